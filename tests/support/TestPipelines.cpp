#include "TestPipelines.h"

#include "graph/PipelineJson.h"

#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

QString TestPipelines::arithmeticJson(const QString &baseUrl)
{
    return uR"json({
  "format": "textgrad-workbench.pipeline", "formatVersion": 1, "name": "Arithmetic QA",
  "engines": {
    "student": { "provider": "openai-compatible", "baseUrl": "%1", "model": "student-model", "temperature": 0 },
    "teacher": { "provider": "openai-compatible", "baseUrl": "%1", "model": "teacher-model" }
  },
  "backwardEngine": "teacher",
  "nodes": [
    { "id": "system_prompt", "type": "parameter", "trainable": true,
      "role": "system prompt for an arithmetic assistant", "value": "You are an arithmetic assistant." },
    { "id": "question", "type": "input", "field": "question", "role": "arithmetic question" },
    { "id": "answer", "type": "llm", "engine": "student", "role": "the assistant's answer",
      "inputs": { "system": "system_prompt", "question": "question" }, "template": "{question}" },
    { "id": "reference", "type": "input", "field": "answer", "role": "correct answer" },
    { "id": "score", "type": "metric", "metric": "exact_match",
      "inputs": { "prediction": "answer", "reference": "reference" } }
  ],
  "objective": "score",
  "optimizer": { "kind": "tgd", "batchSize": 3, "epochs": 2, "maxSteps": 4,
                 "validation": "revert-if-worse", "constraints": [], "seed": 7, "concurrency": 4 }
})json"_s.arg(baseUrl);
}

QString TestPipelines::judgedJson()
{
    return uR"json({
  "format": "textgrad-workbench.pipeline", "formatVersion": 1, "name": "Judged arithmetic",
  "engines": {
    "student": { "provider": "openai-compatible", "baseUrl": "http://127.0.0.1:9/v1", "model": "student-model" },
    "teacher": { "provider": "openai-compatible", "baseUrl": "http://127.0.0.1:9/v1", "model": "teacher-model" }
  },
  "backwardEngine": "teacher",
  "nodes": [
    { "id": "system_prompt", "type": "parameter", "trainable": true,
      "role": "system prompt for an arithmetic assistant", "value": "You are an arithmetic assistant." },
    { "id": "question", "type": "input", "field": "question", "role": "arithmetic question" },
    { "id": "answer", "type": "llm", "engine": "student", "role": "the assistant's answer",
      "inputs": { "system": "system_prompt", "question": "question" }, "template": "{question}" },
    { "id": "reference", "type": "input", "field": "answer", "role": "correct answer" },
    { "id": "judge", "type": "judge", "engine": "teacher",
      "inputs": { "answer": "answer", "reference": "reference" },
      "rubric": { "instructions": "Compare the answer with the reference.",
                  "criteria": [ { "name": "Correctness", "description": "The answer equals the reference.", "weight": 3 },
                                { "name": "Brevity", "description": "Only the number.", "weight": 1 } ],
                  "scale": [1, 5] } }
  ],
  "objective": "judge",
  "optimizer": { "kind": "tgd", "batchSize": 2, "epochs": 1, "maxSteps": 1,
                 "validation": "none", "seed": 3, "concurrency": 2 }
})json"_s;
}

QString TestPipelines::chainJson()
{
    return uR"json({
  "format": "textgrad-workbench.pipeline", "formatVersion": 1, "name": "Plan then answer",
  "engines": { "m": { "provider": "openai-compatible", "baseUrl": "http://127.0.0.1:9/v1", "model": "m" } },
  "backwardEngine": "m",
  "nodes": [
    { "id": "planner", "type": "parameter", "trainable": true, "role": "instructions for writing a plan", "value": "Write a plan." },
    { "id": "solver", "type": "parameter", "trainable": true, "role": "instructions for answering from a plan", "value": "Answer from the plan." },
    { "id": "question", "type": "input", "field": "question", "role": "arithmetic question" },
    { "id": "plan", "type": "llm", "engine": "m", "role": "a plan for solving the question",
      "inputs": { "system": "planner", "question": "question" }, "template": "Question: {question}" },
    { "id": "answer", "type": "llm", "engine": "m", "role": "final answer",
      "inputs": { "system": "solver", "question": "question", "plan": "plan" }, "template": "{question}\nPlan: {plan}" },
    { "id": "reference", "type": "input", "field": "answer", "role": "correct answer" },
    { "id": "score", "type": "metric", "metric": "exact_match", "inputs": { "prediction": "answer", "reference": "reference" } }
  ],
  "objective": "score",
  "optimizer": { "kind": "tgd", "batchSize": 1, "epochs": 1, "maxSteps": 1, "validation": "none", "seed": 1, "concurrency": 1 }
})json"_s;
}

QString TestPipelines::testTimeJson()
{
    return uR"json({
  "format": "textgrad-workbench.pipeline", "formatVersion": 1, "name": "Refine one answer",
  "engines": { "m": { "provider": "openai-compatible", "baseUrl": "http://127.0.0.1:9/v1", "model": "m" } },
  "backwardEngine": "m",
  "nodes": [
    { "id": "question", "type": "parameter", "trainable": false, "role": "the question", "value": "What is 6 times 7?" },
    { "id": "solution", "type": "parameter", "trainable": true, "role": "answer to the question, ending with 'Answer: N'",
      "value": "I think it is 41. Answer: 41" },
    { "id": "judge", "type": "judge", "engine": "m", "inputs": { "question": "question", "solution": "solution" },
      "rubric": { "criteria": [ { "name": "Correct", "description": "The final answer is right.", "weight": 1 } ], "scale": [0, 10] } }
  ],
  "objective": "judge",
  "optimizer": { "kind": "tgd", "maxSteps": 3, "validation": "none", "votePattern": "Answer:\\s*(\\d+)", "stopWhenPerfect": false }
})json"_s;
}

Pipeline TestPipelines::parse(const QString &json)
{
    Pipeline p;
    QVector<PipelineIssue> issues;
    PipelineJson::fromJson(QJsonDocument::fromJson(json.toUtf8()).object(), &p, &issues);
    return p;
}

Dataset TestPipelines::additions(int count, int offset)
{
    Dataset d;
    d.sourcePath = u"additions.csv"_s;
    d.columns = {u"question"_s, u"answer"_s};
    for (int i = 0; i < count; ++i) {
        DataRow row;
        row.line = i + 2;
        const int a = i + offset + 1;
        const int b = (i + offset) * 3 + 2;
        row.fields.insert(u"question"_s, u"%1+%2"_s.arg(a).arg(b));
        row.fields.insert(u"answer"_s, QString::number(a + b));
        d.rows.append(row);
    }
    return d;
}

QString TestPipelines::arithmeticWorld(const ChatRequest &request)
{
    QString system;
    QString user;
    for (const ChatMessage &m : request.messages) {
        if (m.role == u"system"_s)
            system = m.content;
        else if (m.role == u"user"_s)
            user = m.content;
    }
    switch (request.tag.purpose) {
    case CallPurpose::Backward:
        return u"The prompt should ask the assistant to work carefully and reply with the number only."_s;
    case CallPurpose::Optimizer:
        return u"Reasoning first.\n<IMPROVED_VARIABLE>You are an arithmetic assistant. Work carefully and reply with the number only.</IMPROVED_VARIABLE>"_s;
    default:
        break;
    }
    static const QRegularExpression sum(u"(\\d+)\\s*\\+\\s*(\\d+)"_s);
    const QRegularExpressionMatch m = sum.match(user);
    if (!m.hasMatch())
        return u"I do not know."_s;
    const int right = m.captured(1).toInt() + m.captured(2).toInt();
    return QString::number(system.contains(u"carefully"_s) ? right : right + 1);
}

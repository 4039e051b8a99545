#include "CurveRuns.h"

#include "ScriptedClient.h"
#include "TestPipelines.h"

#include "cost/PriceTable.h"
#include "store/RunStore.h"
#include "training/Trainer.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

int CurveRuns::levelOf(const QString &systemPrompt)
{
    static const QRegularExpression level(u"Level (\\d+)"_s);
    const QRegularExpressionMatch m = level.match(systemPrompt);
    return m.hasMatch() ? m.captured(1).toInt() : 1;
}

QString CurveRuns::gradedRun(RunStore &store, const QVector<int> &levels, QString *error)
{
    // The built-in table only, so a user's price file cannot change the figures.
    PriceTable::setActive(std::make_shared<const PriceTable>(PriceTable::builtin()));
    ScriptedClient client([levels](const ChatRequest &r) {
        switch (r.tag.purpose) {
        case CallPurpose::Backward:
            return ScriptedClient::text(u"Sample %1 was wrong; ask for more care."_s.arg(r.tag.sampleIndex));
        case CallPurpose::Optimizer: {
            const int level = levels.value(r.tag.step - 1, 1);
            return ScriptedClient::text(
                u"<IMPROVED_VARIABLE>You are an arithmetic assistant. Level %1.</IMPROVED_VARIABLE>"_s.arg(level));
        }
        default:
            break;
        }
        static const QRegularExpression sum(u"(\\d+)\\s*\\+\\s*(\\d+)"_s);
        const QRegularExpressionMatch m = sum.match(ScriptedClient::lastUser(r));
        if (!m.hasMatch())
            return ScriptedClient::text(u"?"_s);
        const int a = m.captured(1).toInt();
        const int right = a + m.captured(2).toInt();
        const bool correct = a % 4 < levelOf(ScriptedClient::systemText(r));
        return ScriptedClient::text(QString::number(correct ? right : right + 1));
    });

    QString json = TestPipelines::arithmeticJson(u"https://api.openai.com/v1"_s);
    json.replace(u"openai-compatible"_s, u"openai"_s);
    json.replace(u"student-model"_s, u"gpt-4o-mini"_s);
    json.replace(u"teacher-model"_s, u"gpt-4o"_s);
    Pipeline p = TestPipelines::parse(json);
    p.optimizer.maxSteps = int(levels.size());
    p.optimizer.epochs = int(levels.size());
    p.optimizer.stopWhenPerfect = false;
    p.optimizer.concurrency = 2;

    TrainingData data;
    data.train = TestPipelines::additions(6);
    data.validation = TestPipelines::additions(8, 100);
    data.test = TestPipelines::additions(4, 200);
    Trainer trainer(&store, &client);
    const RunOutcome out = trainer.start(p, data, {});
    if (!out.ok) {
        if (error)
            *error = out.error;
        return {};
    }
    return out.runId;
}

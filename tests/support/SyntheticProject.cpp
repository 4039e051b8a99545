#include "SyntheticProject.h"

#include "store/RunStore.h"
#include "store/StoreRows.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <atomic>

using namespace Qt::StringLiterals;
using namespace StoreRows;

namespace {

std::atomic<int> g_counter { 0 };

// splitmix64: the same sequence on every platform and standard library.
class Rng {
public:
    explicit Rng(quint64 seed)
        : m_state(seed)
    {
    }
    quint64 next()
    {
        quint64 z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    int below(int n) { return n <= 0 ? 0 : int(next() % quint64(n)); }
    double unit() { return double(next() >> 11) / double(1ULL << 53); }

private:
    quint64 m_state;
};

const QStringList &vocabulary()
{
    static const QStringList words = QStringLiteral(
        "answer question number carefully reasoning step final check each result format reply "
        "only concise explain sum product digits verify assistant user input output clear short "
        "precise always never include omit units rounding decimal integer before after list "
        "bullet sentence example examples counting objects items total compute add subtract "
        "multiply divide careful mistake error wrong right correct reference expected judge "
        "rubric criteria score brevity correctness tone polite formal summary key points source "
        "context quote cite evidence claim assume ignore irrelevant detail details specific "
        "general first second third then finally think aloud hidden show work briefly state "
        "plain text markdown json field value line lines begin end with without must should "
        "may keep remove avoid prefer use the a of to and in for on that this it is are be as")
                                         .split(u' ');
    return words;
}

QString sentence(Rng &rng, int minWords = 6, int maxWords = 16)
{
    const QStringList &words = vocabulary();
    const int n = minWords + rng.below(maxWords - minWords + 1);
    QString s;
    for (int i = 0; i < n; ++i) {
        QString w = words.at(rng.below(int(words.size())));
        if (i == 0)
            w[0] = w.at(0).toUpper();
        s += (i ? u" "_s : QString()) + w;
    }
    return s + u"."_s;
}

QString textOfSize(Rng &rng, int chars)
{
    QString text;
    while (text.size() < chars)
        text += (text.isEmpty() ? QString() : u" "_s) + sentence(rng);
    return text;
}

// A prompt that evolves: sentences replaced, added, removed or reworded one word at a time.
struct Prompt {
    QStringList sentences;
    QString text() const { return sentences.join(u' '); }

    QStringList mutated(Rng &rng) const
    {
        QStringList s = sentences;
        const int roll = rng.below(100);
        if (roll < 30 && s.size() > 1) {
            s[rng.below(int(s.size()))] = sentence(rng);
        } else if (roll < 65 && s.size() < 16) {
            s.insert(rng.below(int(s.size()) + 1), sentence(rng));
        } else if (roll < 80 && s.size() > 4) {
            s.removeAt(rng.below(int(s.size())));
        } else {
            // Reword one word: a fuzzy match for the blame.
            const int at = rng.below(int(s.size()));
            QStringList words = s.at(at).split(u' ');
            words[1 + rng.below(int(words.size()) - 1)] = vocabulary().at(rng.below(50));
            s[at] = words.join(u' ');
            if (!s[at].endsWith(u'.'))
                s[at] += u'.';
        }
        return s;
    }
};

bool run(QSqlQuery &q, QString *error)
{
    if (q.exec())
        return true;
    *error = q.lastError().text();
    return false;
}

} // namespace

SyntheticProject::Options SyntheticProject::skeleton(int steps)
{
    Options o;
    o.steps = steps;
    o.callsPerStep = 0;
    o.gradientsPerStep = 1;
    o.samplesPerStep = 0;
    o.parameters = { u"system_prompt"_s };
    o.conversationChars = 0;
    o.feedbackChars = 0;
    o.requestChars = 0;
    o.responseChars = 0;
    o.optimizerPromptChars = 0;
    o.optimizerReplyChars = 0;
    return o;
}

SyntheticProject::Result SyntheticProject::build(const QString &path, const Options &o)
{
    Result result;
    result.runId = kRunId;
    QElapsedTimer timer;
    timer.start();
    Rng rng(o.seed);

    QMap<QString, Prompt> prompts;
    for (const QString &parameter : o.parameters) {
        Prompt p;
        for (int i = 0; i < 6; ++i)
            p.sentences.append(sentence(rng));
        prompts.insert(parameter, p);
    }

    {
        RunStore store; // creates the schema
        if (!store.open(path, &result.error))
            return result;
        RunInfo info;
        info.id = kRunId;
        info.pipelineName = u"Synthetic benchmark pipeline"_s;
        info.status = RunStatus::Completed;
        info.initialValScore = 0.3;
        info.createdAt = QDateTime::currentDateTimeUtc();
        if (!store.createRun(info)) {
            result.error = store.lastError();
            return result;
        }
    }

    const QString connection = u"synthetic-project-%1"_s.arg(++g_counter);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        db.setDatabaseName(path);
        if (!db.open()) {
            result.error = db.lastError().text();
            QSqlDatabase::removeDatabase(connection);
            return result;
        }
        QSqlQuery(db).exec(u"PRAGMA synchronous = OFF"_s);
        QSqlQuery steps(db), versions(db), gradients(db), samples(db), calls(db);
        const QStringList byRun { u"run_id"_s };
        const QStringList byRunAndStep { u"run_id"_s, u"owner_step"_s };
        steps.prepare(insertSql(u"steps"_s, byRun + stepColumns()));
        versions.prepare(insertSql(u"prompt_versions"_s, byRun + versionColumns()));
        gradients.prepare(insertSql(u"gradients"_s, byRun + gradientColumns()));
        samples.prepare(insertSql(u"sample_results"_s, byRunAndStep + sampleColumns()));
        calls.prepare(insertSql(u"calls"_s, callColumns()));

        double best = 0.3;
        const QDateTime start = QDateTime(QDate(2024, 5, 1), QTime(9, 0), Qt::UTC);
        bool ok = db.transaction();
        for (int step = 1; ok && step <= o.steps; ++step) {
            StepRecord record;
            record.step = step;
            record.epoch = 1 + (step - 1) / 50;
            record.trainScore = qBound(0.0, best - 0.1 + 0.3 * rng.unit(), 1.0);
            const double candidateScore = qBound(0.0, best - 0.05 + 0.08 * rng.unit(), 1.0);
            record.accepted = candidateScore >= best;
            record.valScore = candidateScore;
            best = record.accepted ? candidateScore : best;
            record.bestValScore = best;
            record.finishedAt = start.addSecs(qint64(step) * 90);

            // Calls of the step: forward, backward, optimizer, then validation.
            QVector<qint64> backwardIds;
            for (int i = 0; i < o.callsPerStep && ok; ++i) {
                CallRecord call;
                call.tag.runId = kRunId;
                call.tag.step = step;
                const int forward = o.samplesPerStep;
                const int backward = forward + o.gradientsPerStep;
                const int optimizer = backward + int(o.parameters.size());
                call.tag.purpose = i < forward ? CallPurpose::Forward
                    : i < backward             ? CallPurpose::Backward
                    : i < optimizer            ? CallPurpose::Optimizer
                                               : CallPurpose::Validation;
                call.tag.nodeId = u"answer"_s;
                call.tag.sampleIndex = i % qMax(1, o.samplesPerStep);
                call.tag.split
                    = call.tag.purpose == CallPurpose::Validation ? u"validation"_s : u"train"_s;
                call.engineName = u"student"_s;
                call.provider = u"openai-compatible"_s;
                call.model = u"student-model"_s;
                call.baseUrl = u"http://127.0.0.1:8080/v1"_s;
                call.httpStatus = 200;
                call.promptTokens = o.requestChars / 4;
                call.completionTokens = o.responseChars / 4;
                call.latencyMs = 300 + rng.below(1500);
                call.startedAt = record.finishedAt.addSecs(-90 + i / 2);
                call.replyText = textOfSize(rng, qMin(300, o.responseChars / 2));
                call.requestJson = o.requestChars > 0
                    ? u"{\"model\":\"student-model\",\"messages\":[{\"role\":\"user\",\"content\":\""_s
                        + textOfSize(rng, o.requestChars) + u"\"}]}"_s
                    : QString();
                call.responseBody = textOfSize(rng, o.responseChars);
                call.costKnown = true;
                call.costUsd = 0.0004;
                Binder b(calls);
                bindCall(b, call);
                ok = run(calls, &result.error);
                if (call.tag.purpose == CallPurpose::Backward)
                    backwardIds.append(calls.lastInsertId().toLongLong());
                ++result.calls;
            }

            // Candidate values and the versions.
            QMap<QString, QString> candidates;
            for (const QString &parameter : o.parameters) {
                Prompt &prompt = prompts[parameter];
                PromptVersion v;
                v.step = step;
                v.nodeId = parameter;
                v.previous = prompt.text();
                v.changed = rng.below(100) < 85;
                const QStringList mutated = v.changed ? prompt.mutated(rng) : prompt.sentences;
                v.value = mutated.join(u' ');
                v.gradientsTotal = o.gradientsPerStep / 2;
                v.gradientsUsed = v.gradientsTotal;
                v.optimizerReply = textOfSize(rng, o.optimizerReplyChars)
                    + u"\n<IMPROVED_VARIABLE>"_s + v.value + u"</IMPROVED_VARIABLE>"_s;
                if (o.optimizerPromptChars > 0) {
                    v.optimizerPrompt = QJsonArray {
                        QJsonObject { { u"role"_s, u"system"_s },
                            { u"content"_s, textOfSize(rng, o.optimizerPromptChars / 3) } },
                        QJsonObject { { u"role"_s, u"user"_s },
                            { u"content"_s, textOfSize(rng, o.optimizerPromptChars) } },
                    };
                }
                candidates.insert(parameter, v.value);
                if (record.accepted && v.changed)
                    prompt.sentences = mutated;
                Binder b(versions);
                b << kRunId;
                bindVersion(b, v);
                ok = ok && run(versions, &result.error);
            }
            record.candidate = candidates;
            for (const QString &parameter : o.parameters)
                record.current.insert(parameter, prompts.value(parameter).text());
            {
                Binder b(steps);
                b << kRunId;
                bindStep(b, record);
                ok = ok && run(steps, &result.error);
            }

            // Gradients: half criticise the answer (base mode, from the metric), half a
            // parameter (chain mode, through the answer's call).
            const bool marked = o.markerEvery > 0 && step % o.markerEvery == 0;
            result.markerSteps += marked ? 1 : 0;
            for (int i = 0; i < o.gradientsPerStep && ok; ++i) {
                GradientRecord g;
                g.step = step;
                const bool chain = i % 2 == 1 && !o.parameters.isEmpty();
                g.targetNode = chain ? o.parameters.at((i / 2) % o.parameters.size()) : u"answer"_s;
                g.sourceNode = chain ? u"answer"_s : u"score"_s;
                g.mode = chain ? u"chain"_s : u"base"_s;
                g.sampleIndex = i / 2;
                g.feedback = o.feedbackChars > 0 ? textOfSize(rng, o.feedbackChars)
                                                 : u"Feedback %1."_s.arg(step);
                if (marked && i == 1)
                    g.feedback += u" Think of the "_s + kMarker + u" example."_s;
                if (o.conversationChars > 0) {
                    g.conversation = QJsonArray {
                        QJsonObject { { u"role"_s, u"system"_s },
                            { u"content"_s, textOfSize(rng, o.conversationChars / 3) } },
                        QJsonObject { { u"role"_s, u"user"_s },
                            { u"content"_s, textOfSize(rng, 2 * o.conversationChars / 3) } },
                        QJsonObject { { u"role"_s, u"assistant"_s }, { u"content"_s, g.feedback } },
                    };
                }
                g.callId = i < backwardIds.size() ? backwardIds.at(i) : 0;
                Binder b(gradients);
                b << kRunId;
                bindGradient(b, g);
                ok = run(gradients, &result.error);
                ++result.gradients;
            }

            for (int i = 0; i < o.samplesPerStep && ok; ++i) {
                SampleResult s;
                s.step = step;
                s.split = u"train"_s;
                s.sampleIndex = i;
                s.line = 2 + rng.below(5000);
                s.score = rng.below(100) < 60 ? 1.0 : 0.0;
                s.outputs = QJsonObject { { u"answer"_s, QString::number(rng.below(1000)) } };
                s.evaluation = s.score > 0 ? u"The answer matches the reference."_s
                                           : u"The answer differs from the reference."_s;
                Binder b(samples);
                b << kRunId << step;
                bindSample(b, s);
                ok = run(samples, &result.error);
            }
            ++result.steps;
            if (ok && step % 200 == 0)
                ok = db.commit() && db.transaction();
        }
        if (ok)
            ok = db.commit();
        else
            db.rollback();
        result.ok = ok;
        if (!ok && result.error.isEmpty())
            result.error = db.lastError().text();
    }
    QSqlDatabase::removeDatabase(connection);
    result.elapsedMs = timer.elapsed();
    return result;
}

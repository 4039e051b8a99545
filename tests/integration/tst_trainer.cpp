// The training loop against a scripted provider and a real SQLite store: call counts per step,
// validation gating, early stopping, determinism, resume after a failure, momentum, test-time
// optimization, and what lands in the store.

#include "ScriptedClient.h"
#include "TestPipelines.h"

#include "store/RunStore.h"
#include "training/RunSummary.h"
#include "training/Trainer.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>

using namespace Qt::StringLiterals;

class TestTrainer : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_dbCounter = 0;

    QString freshDb() { return m_dir.filePath(u"p%1.tgdb"_s.arg(++m_dbCounter)); }

    static TrainingData arithmeticData(int train, int val, int test = 0)
    {
        TrainingData d;
        d.train = TestPipelines::additions(train);
        d.validation = TestPipelines::additions(val, 100);
        d.test = TestPipelines::additions(test, 200);
        return d;
    }

    static QString userText(const ChatRequest &r) { return ScriptedClient::lastUser(r); }

private slots:
    void callCountsWithStringMetric()
    {
        RunStore store;
        QVERIFY(store.open(freshDb(), nullptr));
        ScriptedClient client([](const ChatRequest &r) { return ScriptedClient::text(TestPipelines::arithmeticWorld(r)); });
        Pipeline p = TestPipelines::parse(TestPipelines::arithmeticJson());
        p.optimizer.maxSteps = 1;
        p.optimizer.batchSize = 3;
        p.optimizer.validation = u"none"_s;
        Trainer trainer(&store, &client);
        const RunOutcome out = trainer.start(p, arithmeticData(6, 0), {});
        QVERIFY2(out.ok, qPrintable(out.error));
        // B forward + 2B backward + 1 optimizer = 3B+1 with B = 3.
        QCOMPARE(client.count(CallPurpose::Forward), 3);
        QCOMPARE(client.count(CallPurpose::Backward), 6);
        QCOMPARE(client.count(CallPurpose::Optimizer), 1);
        QCOMPARE(client.count(), 10);
        const CallTotals totals = store.callTotals(out.runId);
        QCOMPARE(totals.total, 10);
        QCOMPARE(totals.byPurpose.value(u"backward"_s), 6);

        // Every gradient is stored with its conversation and the call that produced it.
        const QVector<GradientRecord> grads = store.gradients(out.runId, 1);
        QCOMPARE(grads.size(), 6);
        QSet<qint64> backwardCallIds;
        for (const auto &stored : store.callsAfter(out.runId, 0, 1000)) {
            if (stored.record.tag.purpose == CallPurpose::Backward)
                backwardCallIds.insert(stored.id);
        }
        for (const GradientRecord &g : grads) {
            QVERIFY(!g.feedback.isEmpty());
            QVERIFY(g.conversation.size() >= 3);
            QVERIFY2(backwardCallIds.contains(g.callId), "gradient not linked to its backward call");
        }
        const QVector<StepRecord> steps = store.steps(out.runId, true);
        QCOMPARE(steps.size(), 1);
        QCOMPARE(steps.first().samples.size(), 3);
        QCOMPARE(steps.first().versions.size(), 1);
        QVERIFY(steps.first().versions.first().changed);
        QVERIFY(steps.first().versions.first().optimizerReply.contains(u"IMPROVED_VARIABLE"_s));
    }

    void callCountsWithJudge()
    {
        RunStore store;
        QVERIFY(store.open(freshDb(), nullptr));
        ScriptedClient client([](const ChatRequest &r) {
            switch (r.tag.purpose) {
            case CallPurpose::Loss:
                return ScriptedClient::text(u"<CRITIQUE>Wrong sum.</CRITIQUE><SCORES>Correctness: 1\nBrevity: 5</SCORES>"_s);
            case CallPurpose::Backward:
                return ScriptedClient::text(u"Add the numbers carefully."_s);
            case CallPurpose::Optimizer:
                return ScriptedClient::text(u"<IMPROVED_VARIABLE>Add carefully.</IMPROVED_VARIABLE>"_s);
            default:
                return ScriptedClient::text(u"7"_s);
            }
        });
        const Pipeline p = TestPipelines::parse(TestPipelines::judgedJson());   // B = 2, one step
        Trainer trainer(&store, &client);
        const RunOutcome out = trainer.start(p, arithmeticData(4, 0), {});
        QVERIFY2(out.ok, qPrintable(out.error));
        // B forward + B judge + 2B backward + 1 optimizer = 4B+1 with B = 2.
        QCOMPARE(client.count(CallPurpose::Forward), 2);
        QCOMPARE(client.count(CallPurpose::Loss), 2);
        QCOMPARE(client.count(CallPurpose::Backward), 4);
        QCOMPARE(client.count(CallPurpose::Optimizer), 1);
        QCOMPARE(client.count(), 9);
        const QJsonObject summary = RunSummary::build(store, out.runId);
        QCOMPARE(summary.value(u"calls"_s).toObject().value(u"total"_s).toInt(), 9);
        QCOMPARE(summary.value(u"calls"_s).toObject().value(u"loss"_s).toInt(), 2);
        // The judge's weighted score: Correctness 1/5 (weight 3) and Brevity 5/5 (weight 1).
        QCOMPARE(summary.value(u"steps"_s).toArray().first().toObject().value(u"trainScore"_s).toDouble(), 0.25);
    }

    void improvesThenStopsWhenValidationIsPerfect()
    {
        RunStore store;
        QVERIFY(store.open(freshDb(), nullptr));
        ScriptedClient client([](const ChatRequest &r) { return ScriptedClient::text(TestPipelines::arithmeticWorld(r)); });
        const Pipeline p = TestPipelines::parse(TestPipelines::arithmeticJson());   // maxSteps 4
        Trainer trainer(&store, &client);
        const RunOutcome out = trainer.start(p, arithmeticData(6, 4, 3), {});
        QVERIFY2(out.ok, qPrintable(out.error));
        const QJsonObject s = RunSummary::build(store, out.runId);
        QCOMPARE(s.value(u"initialValScore"_s).toDouble(), 0.0);
        QCOMPARE(s.value(u"finalValScore"_s).toDouble(), 1.0);
        QCOMPARE(s.value(u"testScore"_s).toDouble(), 1.0);
        QCOMPARE(s.value(u"steps"_s).toArray().size(), 1);   // stopped early
        QVERIFY(s.value(u"finalParameters"_s).toObject().value(u"system_prompt"_s).toString().contains(u"carefully"_s));
        // initial validation 4 + step (3 forward, 6 backward, 1 optimizer, 4 validation) + test 3
        QCOMPARE(client.count(CallPurpose::Validation), 8);
        QCOMPARE(client.count(CallPurpose::Test), 3);
        QCOMPARE(s.value(u"calls"_s).toObject().value(u"total"_s).toInt(), client.count());
        QCOMPARE(store.run(out.runId).status, RunStatus::Completed);
        // Each evaluated sample is stored once, where it belongs.
        QCOMPARE(store.sampleResults(out.runId, 0, u"validation"_s).size(), 4);
        QCOMPARE(store.sampleResults(out.runId, 1, u"validation"_s).size(), 4);
        QCOMPARE(store.sampleResults(out.runId, 1, u"train"_s).size(), 3);
        QCOMPARE(store.sampleResults(out.runId, 1, u"test"_s).size(), 3);
    }

    void revertsAStepThatLowersValidation()
    {
        RunStore store;
        QVERIFY(store.open(freshDb(), nullptr));
        // The assistant is right only with the word "arithmetic" in its prompt; the optimizer
        // proposes a prompt without it, which validation must reject.
        ScriptedClient client([](const ChatRequest &r) {
            if (r.tag.purpose == CallPurpose::Backward)
                return ScriptedClient::text(u"Be quicker."_s);
            if (r.tag.purpose == CallPurpose::Optimizer)
                return ScriptedClient::text(u"<IMPROVED_VARIABLE>Be quick.</IMPROVED_VARIABLE>"_s);
            // arithmeticWorld answers right only with "carefully" in the prompt; undo its
            // off-by-one so that "arithmetic" alone is enough here.
            const QString system = ScriptedClient::systemText(r);
            const int worldAnswer = TestPipelines::arithmeticWorld(r).toInt();
            if (system.contains(u"arithmetic"_s))
                return ScriptedClient::text(QString::number(worldAnswer - (system.contains(u"carefully"_s) ? 0 : 1)));
            return ScriptedClient::text(u"0"_s);
        });
        Pipeline p = TestPipelines::parse(TestPipelines::arithmeticJson());
        p.optimizer.maxSteps = 2;
        p.optimizer.stopWhenPerfect = false;
        Trainer trainer(&store, &client);
        const RunOutcome out = trainer.start(p, arithmeticData(6, 4), {});
        QVERIFY2(out.ok, qPrintable(out.error));
        const QJsonObject s = RunSummary::build(store, out.runId);
        const QJsonArray steps = s.value(u"steps"_s).toArray();
        QCOMPARE(steps.size(), 2);
        for (const QJsonValue &v : steps) {
            QCOMPARE(v.toObject().value(u"accepted"_s).toBool(), false);
            QCOMPARE(v.toObject().value(u"valScore"_s).toDouble(), 0.0);
            QCOMPARE(v.toObject().value(u"parameters"_s).toObject().value(u"system_prompt"_s).toString(), u"Be quick."_s);
        }
        QCOMPARE(s.value(u"initialValScore"_s).toDouble(), 1.0);
        QCOMPARE(s.value(u"finalValScore"_s).toDouble(), 1.0);
        QCOMPARE(s.value(u"finalParameters"_s).toObject().value(u"system_prompt"_s).toString(), u"You are an arithmetic assistant."_s);
        // Step 2 ran forward with the reverted (original) prompt, not the rejected one.
        for (const ChatRequest &r : client.requests()) {
            if (r.tag.step == 2 && r.tag.purpose == CallPurpose::Forward)
                QCOMPARE(ScriptedClient::systemText(r), u"You are an arithmetic assistant."_s);
        }
        bool sawRevertEvent = false;
        for (const RunEvent &e : store.events(out.runId))
            sawRevertEvent |= e.kind == u"reverted"_s;
        QVERIFY(sawRevertEvent);
    }

    void seededRunsAreReproducible()
    {
        // Feedback that names the question makes the optimizer prompt depend on the batch and
        // on the order of gradients, which must not depend on thread timing.
        const auto world = [](const ChatRequest &r) {
            if (r.tag.purpose == CallPurpose::Backward)
                return ScriptedClient::text(u"sample %1 went wrong at step %2"_s.arg(r.tag.sampleIndex).arg(r.tag.step));
            return ScriptedClient::text(TestPipelines::arithmeticWorld(r));
        };
        QStringList optimizerPrompts[2];
        QJsonArray steps[2];
        for (int run = 0; run < 2; ++run) {
            RunStore store;
            QVERIFY(store.open(freshDb(), nullptr));
            ScriptedClient client(world);
            Pipeline p = TestPipelines::parse(TestPipelines::arithmeticJson());
            p.optimizer.validation = u"none"_s;
            p.optimizer.concurrency = 4;
            p.optimizer.batchSize = 4;
            Trainer trainer(&store, &client);
            const RunOutcome out = trainer.start(p, arithmeticData(10, 0), {});
            QVERIFY2(out.ok, qPrintable(out.error));
            for (const ChatRequest &r : client.requests()) {
                if (r.tag.purpose == CallPurpose::Optimizer)
                    optimizerPrompts[run].append(userText(r));
            }
            steps[run] = RunSummary::build(store, out.runId).value(u"steps"_s).toArray();
        }
        QCOMPARE(optimizerPrompts[0].size(), 4);
        QCOMPARE(optimizerPrompts[0], optimizerPrompts[1]);
        QCOMPARE(steps[0], steps[1]);

        // Batches depend on the seed and cover each epoch without repeats.
        OptimizerSettings o;
        o.batchSize = 4;
        o.seed = 7;
        const QVector<int> a = Trainer::batchIndices(o, 10, 1) + Trainer::batchIndices(o, 10, 2) + Trainer::batchIndices(o, 10, 3);
        QCOMPARE(a.size(), 10);
        QCOMPARE(QSet<int>(a.begin(), a.end()).size(), 10);
        o.seed = 8;
        QVERIFY(Trainer::batchIndices(o, 10, 1) != a.mid(0, 4));
        QCOMPARE(Trainer::plannedSteps(TestPipelines::parse(TestPipelines::arithmeticJson()), 10), 4);
    }

    void resumesAfterAFailedStep()
    {
        const QString db = freshDb();
        QString runId;
        int callsBefore = 0;
        {
            RunStore store;
            QVERIFY(store.open(db, nullptr));
            std::atomic_int optimizerCalls{0};
            ScriptedClient failing([&](const ChatRequest &r) {
                if (r.tag.purpose == CallPurpose::Optimizer && ++optimizerCalls == 2)
                    return ScriptedClient::failure(u"engine \"teacher\": HTTP 503 from 127.0.0.1 after 5 attempts"_s);
                if (r.tag.purpose == CallPurpose::Backward)
                    return ScriptedClient::text(u"feedback"_s);
                if (r.tag.purpose == CallPurpose::Optimizer)
                    return ScriptedClient::text(u"<IMPROVED_VARIABLE>Prompt v%1</IMPROVED_VARIABLE>"_s.arg(r.tag.step));
                return ScriptedClient::text(u"0"_s);
            });
            Pipeline p = TestPipelines::parse(TestPipelines::arithmeticJson());
            p.optimizer.validation = u"none"_s;
            Trainer trainer(&store, &failing);
            const RunOutcome out = trainer.start(p, arithmeticData(6, 0), {});
            QVERIFY(!out.ok);
            QCOMPARE(out.status, RunStatus::Failed);
            QVERIFY2(out.error.contains(u"step 2"_s) && out.error.contains(u"system_prompt"_s) && out.error.contains(u"503"_s),
                     qPrintable(out.error));
            runId = out.runId;
            callsBefore = failing.count();
            QCOMPARE(store.steps(runId).size(), 1);
            QCOMPARE(store.callTotals(runId).total, callsBefore);
        }
        RunStore store;
        QVERIFY(store.open(db, nullptr));
        ScriptedClient working([](const ChatRequest &r) {
            if (r.tag.purpose == CallPurpose::Optimizer)
                return ScriptedClient::text(u"<IMPROVED_VARIABLE>Prompt v%1</IMPROVED_VARIABLE>"_s.arg(r.tag.step));
            if (r.tag.purpose == CallPurpose::Backward)
                return ScriptedClient::text(u"feedback"_s);
            return ScriptedClient::text(u"0"_s);
        });
        Trainer trainer(&store, &working);
        const RunOutcome out = trainer.resume(runId);
        QVERIFY2(out.ok, qPrintable(out.error));
        // Steps 2..4 only; step 2 used step 1's accepted value.
        QCOMPARE(working.count(CallPurpose::Optimizer), 3);
        for (const ChatRequest &r : working.requests()) {
            QVERIFY(r.tag.step >= 2);
            if (r.tag.step == 2 && r.tag.purpose == CallPurpose::Forward)
                QCOMPARE(ScriptedClient::systemText(r), u"Prompt v1"_s);
        }
        const QVector<StepRecord> steps = store.steps(runId);
        QCOMPARE(steps.size(), 4);
        QCOMPARE(steps.last().current.value(u"system_prompt"_s), u"Prompt v4"_s);
        QCOMPARE(store.callTotals(runId).total, callsBefore + working.count());
        QCOMPARE(store.run(runId).status, RunStatus::Completed);
    }

    void momentumFeedbackReachesTheOptimizer()
    {
        RunStore store;
        QVERIFY(store.open(freshDb(), nullptr));
        ScriptedClient client([](const ChatRequest &r) {
            if (r.tag.purpose == CallPurpose::Backward)
                return ScriptedClient::text(u"critique written at step %1"_s.arg(r.tag.step));
            if (r.tag.purpose == CallPurpose::Optimizer)
                return ScriptedClient::text(u"<IMPROVED_VARIABLE>Prompt v%1</IMPROVED_VARIABLE>"_s.arg(r.tag.step));
            return ScriptedClient::text(u"0"_s);
        });
        Pipeline p = TestPipelines::parse(TestPipelines::arithmeticJson());
        p.optimizer.kind = u"tgd-momentum"_s;
        p.optimizer.validation = u"none"_s;
        p.optimizer.maxSteps = 3;
        p.optimizer.momentumWindow = 1;
        Trainer trainer(&store, &client);
        QVERIFY(trainer.start(p, arithmeticData(9, 0), {}).ok);
        QStringList prompts;
        for (const ChatRequest &r : client.requests()) {
            if (r.tag.purpose == CallPurpose::Optimizer)
                prompts.append(userText(r));
        }
        QCOMPARE(prompts.size(), 3);
        QVERIFY(!prompts.at(0).contains(u"critique written at step 0"_s));
        QVERIFY(prompts.at(1).contains(u"Prompt v1"_s));
        // Window 1: step 3 sees step 2's feedback as memory, not step 1's.
        QVERIFY(prompts.at(2).contains(u"Prompt v2"_s));
        QVERIFY(!prompts.at(2).contains(u"Prompt v1"_s));
    }

    void testTimeOptimizationOfOneAnswer()
    {
        RunStore store;
        QVERIFY(store.open(freshDb(), nullptr));
        ScriptedClient client([](const ChatRequest &r) {
            switch (r.tag.purpose) {
            case CallPurpose::Loss: {
                const bool right = ScriptedClient::lastUser(r).contains(u"Answer: 42"_s);
                return ScriptedClient::text(right ? u"<CRITIQUE>Correct.</CRITIQUE><SCORES>Correct: 10</SCORES>"_s
                                                  : u"<CRITIQUE>6 times 7 is not 41.</CRITIQUE><SCORES>Correct: 0</SCORES>"_s);
            }
            case CallPurpose::Backward:
                return ScriptedClient::text(u"Recompute the product."_s);
            case CallPurpose::Optimizer:
                return ScriptedClient::text(u"<IMPROVED_VARIABLE>6 x 7 = 42. Answer: 42</IMPROVED_VARIABLE>"_s);
            default:
                return ScriptedClient::failure(u"unexpected call"_s);
            }
        });
        const Pipeline p = TestPipelines::parse(TestPipelines::testTimeJson());
        QVERIFY(p.isTestTime());
        Trainer trainer(&store, &client);
        const RunOutcome out = trainer.start(p, TrainingData(), {});
        QVERIFY2(out.ok, qPrintable(out.error));
        // 3 iterations x (1 loss + 1 backward + 1 optimizer), then one loss call on the final value.
        QCOMPARE(client.count(CallPurpose::Loss), 4);
        QCOMPARE(client.count(CallPurpose::Backward), 3);
        QCOMPARE(client.count(CallPurpose::Optimizer), 3);
        const QJsonObject s = RunSummary::build(store, out.runId);
        QCOMPARE(s.value(u"mode"_s).toString(), u"test-time"_s);
        QCOMPARE(s.value(u"initialValScore"_s).toDouble(), 0.0);
        QCOMPARE(s.value(u"finalValScore"_s).toDouble(), 1.0);
        QCOMPARE(s.value(u"finalParameters"_s).toObject().value(u"solution"_s).toString(), u"6 x 7 = 42. Answer: 42"_s);
        const QJsonObject vote = s.value(u"majorityVote"_s).toObject();
        QCOMPARE(vote.value(u"answer"_s).toString(), u"42"_s);
        QCOMPARE(vote.value(u"considered"_s).toInt(), 4);
    }

    void cancelLeavesAResumableRun()
    {
        const QString db = freshDb();
        RunStore store;
        QVERIFY(store.open(db, nullptr));
        Trainer *trainerPtr = nullptr;
        ScriptedClient client([&](const ChatRequest &r) {
            if (r.tag.purpose == CallPurpose::Optimizer && r.tag.step == 2)
                trainerPtr->cancel();
            return ScriptedClient::text(TestPipelines::arithmeticWorld(r).replace(u"carefully"_s, u"slowly"_s));
        });
        Pipeline p = TestPipelines::parse(TestPipelines::arithmeticJson());
        p.optimizer.validation = u"none"_s;
        Trainer trainer(&store, &client);
        trainerPtr = &trainer;
        const RunOutcome out = trainer.start(p, arithmeticData(9, 0), {});
        QCOMPARE(out.status, RunStatus::Cancelled);
        QCOMPARE(store.run(out.runId).status, RunStatus::Cancelled);
        QVERIFY(store.steps(out.runId).size() <= 2);
        ScriptedClient again([](const ChatRequest &r) { return ScriptedClient::text(TestPipelines::arithmeticWorld(r)); });
        Trainer second(&store, &again);
        QVERIFY(second.resume(out.runId).ok);
        QCOMPARE(store.steps(out.runId).size(), 4);
    }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "tst_trainer.moc"

#include "training/Evaluator.h"

#include <QMutex>
#include <QMutexLocker>

#include <atomic>

using namespace Qt::StringLiterals;

EvaluationResult Evaluator::run(const ForwardContext &context, const Dataset &data,
                                CallRecorder &recorder, int limit,
                                const std::function<void(int, int)> &progress)
{
    EvaluationResult result;
    const int n = data.rows.size();
    if (n == 0)
        return result;
    QVector<SampleOutcome> outcomes(n);
    std::atomic_bool failed{false};
    std::atomic_int done{0};
    QVector<std::function<void()>> tasks;
    for (int i = 0; i < n; ++i) {
        tasks.append([&, i] {
            if (failed.load())
                return;   // a row already failed: the evaluation will not be used
            outcomes[i] = ForwardPass::run(context, data.rows.at(i), i, nullptr);
            if (!outcomes[i].ok)
                failed.store(true);
            ++done;
        });
    }
    recorder.runAll(tasks, limit, [&] {
        if (progress)
            progress(done.load(), n);
    });

    double sum = 0.0;
    for (int i = 0; i < n; ++i) {
        const SampleOutcome &o = outcomes.at(i);
        if (!o.ok && result.ok) {
            result.ok = false;
            result.failure = o.failure;
            result.failedNode = o.failedNode;
            result.failedSample = i;
        }
        SampleResult s;
        s.step = context.step;
        s.split = context.split;
        s.sampleIndex = i;
        s.line = data.rows.at(i).line;
        s.outputs = o.outputs;
        s.score = o.score;
        s.evaluation = o.evaluation;
        s.error = o.ok ? QString() : o.failure.error;
        result.samples.append(s);
        result.events += o.events;
        sum += o.score;
    }
    if (result.ok)
        result.score = sum / n;
    return result;
}

// provider-bench: what the provider stack costs and how it scales, measured through the whole
// stack a run uses (ProviderClient over HTTP, ThrottledClient, CallRecorder writing every
// attempt to a RunStore on a temporary SQLite file) against the in-process FakeOpenAiServer.
// Prints Markdown tables; docs/benchmarks.md records a run and what the figures mean.
//
//   cmake -S . -B build-rel -G Ninja -DCMAKE_BUILD_TYPE=Release
//   cmake --build build-rel --target provider-bench -j2 && build-rel/bench/provider-bench

#include "FakeOpenAiServer.h"
#include "providers/ProviderClient.h"
#include "providers/ThrottledClient.h"
#include "store/RunStore.h"
#include "training/CallRecorder.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QMutex>
#include <QMutexLocker>
#include <QTemporaryDir>
#include <QThreadPool>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

// Process CPU time (user + system, every thread: client workers, the coordinator writing
// SQLite, and the fake server).
double processCpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// CPU time of the fake server's thread, from /proc (the thread is named after its QThread), so
// the server's share can be told apart from the client's and its saturation checked.
double serverThreadCpuSeconds()
{
    static const double ticksPerSecond = double(sysconf(_SC_CLK_TCK));
    const QDir tasks(u"/proc/self/task"_s);
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + u"/comm"_s));
        if (!comm.open(QIODevice::ReadOnly) || !comm.readAll().startsWith("FakeOpenAi"))
            continue;
        QFile stat(tasks.filePath(tid + u"/stat"_s));
        if (!stat.open(QIODevice::ReadOnly))
            return 0.0;
        const QByteArray line = stat.readAll();
        // Fields after the parenthesised name: state is field 3, utime 14 and stime 15.
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.size() < 13)
            return 0.0;
        return (fields.at(11).toDouble() + fields.at(12).toDouble()) / ticksPerSecond;
    }
    return 0.0;
}

// The light sink: what a caller that keeps records in memory pays.
class VectorSink : public CallSink
{
public:
    qint64 record(const CallRecord &record) override
    {
        QMutexLocker lock(&m_mutex);
        m_records.append(record);
        return m_records.size();
    }

private:
    QMutex m_mutex;
    QVector<CallRecord> m_records;
};

enum class Recording { Memory, Store };

struct Figures
{
    int calls = 0;
    int ok = 0;
    double wallSeconds = 0;
    double cpuSeconds = 0;
    double serverCpuSeconds = 0;
    int lowestLimit = 0;
    int finalLimit = 0;
};

// A request of the size a backward call has: a system prompt, a sample and its context.
ChatRequest benchRequest(const QString &baseUrl, const QString &runId, int index)
{
    ChatRequest request;
    request.engine.name = u"student"_s;
    request.engine.provider = u"openai-compatible"_s;
    request.engine.baseUrl = baseUrl;
    request.engine.model = u"fake-model"_s;
    request.engine.temperature = 0.0;
    request.engine.timeoutSeconds = 60;
    request.engine.inactivitySeconds = 60;
    const QString context = u"The assistant answers grade-school arithmetic word problems. "_s.repeated(24);
    request.messages = {{u"system"_s, context},
                        {u"user"_s, u"Question "_s + QString::number(index)
                                            + u": Tom has 3 apples and buys 4 more. How many apples?"_s}};
    request.tag.runId = runId;
    request.tag.step = 1;
    request.tag.purpose = CallPurpose::Forward;
    request.tag.nodeId = u"answer"_s;
    request.tag.sampleIndex = index;
    request.tag.split = u"train"_s;
    return request;
}

Figures runBatch(FakeOpenAiServer &server, RunStore *store, Recording recording, bool throttled, int calls,
                 int concurrency)
{
    static int runNumber = 0;
    const QString runId = u"bench-"_s + QString::number(++runNumber);
    if (store) {
        RunInfo run;
        run.id = runId;
        run.pipelineName = u"provider-bench"_s;
        run.status = RunStatus::Running;
        run.createdAt = run.updatedAt = QDateTime::currentDateTimeUtc();
        store->createRun(run);
    }
    server.clearRequests();

    ProviderClient provider{QProcessEnvironment()};
    ThrottledClient::Settings settings;
    settings.initialLimit = concurrency;
    ThrottledClient throttle(&provider, settings);
    LlmClient *client = throttled ? static_cast<LlmClient *>(&throttle) : &provider;

    QAtomicInt ok;
    VectorSink memory;
    std::optional<CallRecorder> recorder;
    if (recording == Recording::Store)
        recorder.emplace(store);
    CallSink *sink = recording == Recording::Store ? static_cast<CallSink *>(&*recorder) : &memory;
    const CancelFlag cancel = makeCancelFlag();
    QVector<std::function<void()>> tasks;
    for (int i = 0; i < calls; ++i) {
        const ChatRequest request = benchRequest(server.baseUrl(), runId, i);
        tasks.append([client, request, sink, cancel, &ok] {
            if (client->complete(request, sink, cancel).ok)
                ok.ref();
        });
    }

    const double cpu0 = processCpuSeconds();
    const double server0 = serverThreadCpuSeconds();
    QElapsedTimer clock;
    clock.start();
    if (recorder) {
        recorder->runAll(tasks, concurrency);
    } else {
        QThreadPool pool;
        pool.setMaxThreadCount(concurrency);
        for (const std::function<void()> &task : tasks)
            pool.start(task);
        pool.waitForDone();
    }
    Figures f;
    f.wallSeconds = double(clock.nsecsElapsed()) / 1e9;
    f.cpuSeconds = processCpuSeconds() - cpu0;
    f.serverCpuSeconds = serverThreadCpuSeconds() - server0;
    f.calls = calls;
    f.ok = ok.loadRelaxed();
    const QVector<ThrottledClient::EngineLimit> limits = throttle.snapshot();
    f.lowestLimit = limits.isEmpty() ? 0 : limits.first().state.lowestLimit;
    f.finalLimit = limits.isEmpty() ? 0 : limits.first().state.limit;
    return f;
}

QString fixed(double value, int decimals)
{
    return QString::number(value, 'f', decimals);
}

void print(const QString &text)
{
    std::fputs(qPrintable(text + u"\n"_s), stdout);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const bool quick = app.arguments().contains(u"--quick"_s);
    const int throughputCalls = quick ? 400 : 2000;

    QTemporaryDir dir;
    RunStore store;
    QString error;
    if (!dir.isValid() || !store.open(dir.filePath(u"bench.textgrad"_s), &error)) {
        std::fprintf(stderr, "cannot open the store: %s\n", qPrintable(error));
        return 1;
    }
    FakeOpenAiServer server;
    if (!server.start()) {
        std::fprintf(stderr, "cannot start the fake server\n");
        return 1;
    }

    // Warm-up: first connections, first SQLite pages, lazily built singletons.
    server.setResponder([](const FakeRequest &) { return FakeReply::completion(u"The answer is 7."_s); });
    runBatch(server, &store, Recording::Store, true, 64, 8);

    print(u"## Throughput against a zero-latency server (%1 calls, concurrency 8)\n"_s.arg(throughputCalls));
    print(u"| stack | calls ok | wall s | calls/s | CPU ms/call (process) | of which fake server | server thread busy |"_s);
    print(u"| --- | ---: | ---: | ---: | ---: | ---: | ---: |"_s);
    struct Variant
    {
        QString name;
        bool throttled;
        Recording recording;
    };
    const QVector<Variant> variants{
        {u"ProviderClient, in-memory sink"_s, false, Recording::Memory},
        {u"ProviderClient + ThrottledClient, in-memory sink"_s, true, Recording::Memory},
        {u"ProviderClient + ThrottledClient, RunStore via CallRecorder"_s, true, Recording::Store},
    };
    for (const Variant &v : variants) {
        const Figures f = runBatch(server, &store, v.recording, v.throttled, throughputCalls, 8);
        print(u"| %1 | %2/%3 | %4 | %5 | %6 | %7 | %8 % |"_s.arg(v.name)
                  .arg(f.ok)
                  .arg(f.calls)
                  .arg(fixed(f.wallSeconds, 2))
                  .arg(fixed(f.calls / f.wallSeconds, 0))
                  .arg(fixed(1000.0 * f.cpuSeconds / f.calls, 3))
                  .arg(fixed(1000.0 * f.serverCpuSeconds / f.calls, 3))
                  .arg(fixed(100.0 * f.serverCpuSeconds / f.wallSeconds, 0)));
    }

    const int latencyMs = 200;
    const int calls = 32;
    server.setResponder([latencyMs](const FakeRequest &) {
        return FakeReply::completion(u"The answer is 7."_s).withDelay(latencyMs);
    });
    print(u"\n## Wall time of %1 calls against a server answering in %2 ms (full stack, RunStore)\n"_s
              .arg(calls)
              .arg(latencyMs));
    print(u"| concurrency | expected s | measured s | measured / expected | calls ok |"_s);
    print(u"| ---: | ---: | ---: | ---: | ---: |"_s);
    for (int concurrency : {1, 4, 8, 16}) {
        // Waves of `concurrency` calls, each wave one server latency long.
        const double expected = std::ceil(double(calls) / concurrency) * latencyMs / 1000.0;
        const Figures f = runBatch(server, &store, Recording::Store, true, calls, concurrency);
        print(u"| %1 | %2 | %3 | %4 | %5/%6 |"_s.arg(concurrency)
                  .arg(fixed(expected, 2))
                  .arg(fixed(f.wallSeconds, 3))
                  .arg(fixed(f.wallSeconds / expected, 3))
                  .arg(f.ok)
                  .arg(f.calls));
    }

    // A server that serves at most four requests at once and refuses the rest with 429, as a
    // provider enforcing a concurrency quota does. The clients use the real retry policy.
    struct Quota
    {
        QMutex mutex;
        QVector<qint64> busyUntil;   // when each accepted request's reply goes out
        int refused = 0;
    };
    auto quota = std::make_shared<Quota>();
    const int quotaLatencyMs = 100;
    const int quotaSlots = 4;
    server.setResponder([quota, quotaLatencyMs, quotaSlots](const FakeRequest &) {
        QMutexLocker lock(&quota->mutex);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        quota->busyUntil.removeIf([now](qint64 until) { return until <= now; });
        if (quota->busyUntil.size() >= quotaSlots) {
            ++quota->refused;
            return FakeReply::error(429, u"Too many concurrent requests"_s);
        }
        quota->busyUntil.append(now + quotaLatencyMs);
        return FakeReply::completion(u"The answer is 7."_s).withDelay(quotaLatencyMs);
    });
    const int quotaCalls = 64;
    print(u"\n## %1 calls at concurrency 16 against a server that takes %2 at once (%3 ms each) and "
          u"answers 429 beyond\n"_s.arg(quotaCalls).arg(quotaSlots).arg(quotaLatencyMs));
    print(u"| client | calls ok | 429 replies | wall s | ideal s | lowest limit | final limit |"_s);
    print(u"| --- | ---: | ---: | ---: | ---: | ---: | ---: |"_s);
    for (bool throttled : {false, true}) {
        {
            QMutexLocker lock(&quota->mutex);
            quota->refused = 0;
            quota->busyUntil.clear();
        }
        const Figures f = runBatch(server, &store, Recording::Store, throttled, quotaCalls, 16);
        QMutexLocker lock(&quota->mutex);
        print(u"| %1 | %2/%3 | %4 | %5 | %6 | %7 | %8 |"_s
                  .arg(throttled ? u"ProviderClient + ThrottledClient"_s : u"ProviderClient alone"_s)
                  .arg(f.ok)
                  .arg(f.calls)
                  .arg(quota->refused)
                  .arg(fixed(f.wallSeconds, 2))
                  .arg(fixed(double(quotaCalls) / quotaSlots * quotaLatencyMs / 1000.0, 2))
                  .arg(throttled ? QString::number(f.lowestLimit) : u"-"_s)
                  .arg(throttled ? QString::number(f.finalLimit) : u"-"_s));
    }

    // A server with a request-rate quota (a token bucket of `rate` requests per second, burst
    // of `rate / 4`), as the cloud providers enforce per minute; beyond it, 429.
    struct Bucket
    {
        QMutex mutex;
        double tokens = 0;
        qint64 lastMs = 0;
        int refused = 0;
    };
    auto bucket = std::make_shared<Bucket>();
    const double rate = 40.0;
    const double burst = rate / 4;
    server.setResponder([bucket, rate, burst, quotaLatencyMs](const FakeRequest &) {
        QMutexLocker lock(&bucket->mutex);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        bucket->tokens = std::min(burst, bucket->tokens + (now - bucket->lastMs) * rate / 1000.0);
        bucket->lastMs = now;
        if (bucket->tokens < 1.0) {
            ++bucket->refused;
            return FakeReply::error(429, u"Rate limit reached for requests"_s);
        }
        bucket->tokens -= 1.0;
        return FakeReply::completion(u"The answer is 7."_s).withDelay(quotaLatencyMs);
    });
    const int rateCalls = 160;
    print(u"\n## %1 calls at concurrency 16 against a server allowing %2 requests/s (%3 ms each) and "
          u"answering 429 beyond\n"_s.arg(rateCalls).arg(rate).arg(quotaLatencyMs));
    print(u"| client | calls ok | 429 replies | wall s | ideal s | lowest limit | final limit |"_s);
    print(u"| --- | ---: | ---: | ---: | ---: | ---: | ---: |"_s);
    for (bool throttled : {false, true}) {
        {
            QMutexLocker lock(&bucket->mutex);
            bucket->refused = 0;
            bucket->tokens = burst;
            bucket->lastMs = QDateTime::currentMSecsSinceEpoch();
        }
        const Figures f = runBatch(server, &store, Recording::Store, throttled, rateCalls, 16);
        QMutexLocker lock(&bucket->mutex);
        print(u"| %1 | %2/%3 | %4 | %5 | %6 | %7 | %8 |"_s
                  .arg(throttled ? u"ProviderClient + ThrottledClient"_s : u"ProviderClient alone"_s)
                  .arg(f.ok)
                  .arg(f.calls)
                  .arg(bucket->refused)
                  .arg(fixed(f.wallSeconds, 2))
                  .arg(fixed((rateCalls - burst) / rate, 2))
                  .arg(throttled ? QString::number(f.lowestLimit) : u"-"_s)
                  .arg(throttled ? QString::number(f.finalLimit) : u"-"_s));
    }
    return 0;
}

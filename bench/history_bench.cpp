// history-bench: builds a project with one run of 1,000 steps and 100,000 calls (gradients with
// backward conversations, prompt versions with optimizer prompts and replies, sample results)
// and measures what the critique history does with it: opening the file and showing the first
// page of the timeline, scrolling to the end, loading random steps' details, searching, and the
// versions and blame of a parameter. Prints Markdown tables.
//
//   history-bench [--steps N] [--calls-per-step N] [--keep FILE]

#include "SyntheticProject.h"
#include "history/HistoryLoader.h"
#include "history/PromptBlame.h"
#include "history/StepTimelineModel.h"
#include "store/RunStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

struct Timing {
    std::vector<double> ms;
    void add(double v) { ms.push_back(v); }
    double percentile(double p) const
    {
        if (ms.empty())
            return 0;
        std::vector<double> sorted = ms;
        std::sort(sorted.begin(), sorted.end());
        const size_t i = std::min(sorted.size() - 1, size_t(p * double(sorted.size() - 1) + 0.5));
        return sorted[i];
    }
    double max() const { return ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end()); }
    double mean() const
    {
        double sum = 0;
        for (double v : ms)
            sum += v;
        return ms.empty() ? 0 : sum / double(ms.size());
    }
};

double msSince(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

void row(const char *what, double ms, const QString &note = QString())
{
    std::printf("| %s | %.1f | %s |\n", what, ms, qPrintable(note));
}

// Runs the event loop until the model's next page arrives; returns the wait in ms.
double waitPage(StepTimelineModel &model)
{
    QEventLoop loop;
    QElapsedTimer t;
    t.start();
    const auto c
        = QObject::connect(&model, &StepTimelineModel::pageLoaded, &loop, &QEventLoop::quit);
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    loop.exec();
    QObject::disconnect(c);
    return msSince(t);
}

// Largest gap between two ticks of a 1 ms timer while `work` runs its event loop: how long
// the GUI thread would have been unable to repaint.
struct StallProbe {
    QTimer timer;
    QElapsedTimer clock;
    qint64 last = 0;
    qint64 worst = 0;
    StallProbe()
    {
        timer.setInterval(1);
        QObject::connect(&timer, &QTimer::timeout, &timer, [this] {
            const qint64 now = clock.nsecsElapsed();
            worst = std::max(worst, now - last);
            last = now;
        });
    }
    void start()
    {
        clock.start();
        last = 0;
        worst = 0;
        timer.start();
    }
    double stop()
    {
        timer.stop();
        worst = std::max(worst, clock.nsecsElapsed() - last);
        return double(worst) / 1e6;
    }
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    QCommandLineOption stepsOpt(u"steps"_s, u"Steps in the run."_s, u"n"_s, u"1000"_s);
    QCommandLineOption callsOpt(
        u"calls-per-step"_s, u"Provider calls per step."_s, u"n"_s, u"100"_s);
    QCommandLineOption keepOpt(
        u"keep"_s, u"Write the project to this file and keep it."_s, u"file"_s);
    parser.addOptions({ stepsOpt, callsOpt, keepOpt });
    parser.process(app);

    QTemporaryDir dir;
    const QString path
        = parser.isSet(keepOpt) ? parser.value(keepOpt) : dir.filePath(u"history-bench.tgdb"_s);
    QFile::remove(path);
    SyntheticProject::Options options;
    options.steps = parser.value(stepsOpt).toInt();
    options.callsPerStep = parser.value(callsOpt).toInt();

    std::printf("Building %d steps x %d calls ...\n", options.steps, options.callsPerStep);
    std::fflush(stdout);
    const SyntheticProject::Result built = SyntheticProject::build(path, options);
    if (!built.ok) {
        std::fprintf(stderr, "build failed: %s\n", qPrintable(built.error));
        return 1;
    }
    std::printf("\nProject: %d steps, %d calls, %d gradients, %.0f MB, built in %.1f s\n\n",
        built.steps, built.calls, built.gradients, double(QFileInfo(path).size()) / 1e6,
        double(built.elapsedMs) / 1000.0);

    std::printf("### Store reads (one RunStore, calling thread)\n\n| what | ms | notes |\n| --- | "
                "---: | --- |\n");
    QElapsedTimer t;
    t.start();
    RunStore store;
    QString error;
    if (!store.open(path, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    const double openMs = msSince(t);
    t.restart();
    const QVector<StepSummary> first = store.stepSummaries(built.runId, -1, 100);
    const double firstMs = msSince(t);
    row("open the project file", openMs);
    row("first page of the timeline (100 steps)", firstMs, u"%1 rows"_s.arg(first.size()));
    row("open + first page", openMs + firstMs);

    t.restart();
    const HistoryCounts counts = store.historyCounts(built.runId);
    row("counts (steps, gradients, versions, calls)", msSince(t),
        u"%1 calls, %2 gradients"_s.arg(counts.calls).arg(counts.gradients));

    Timing pages;
    int after = -1;
    int total = 0;
    QElapsedTimer all;
    all.start();
    for (;;) {
        t.restart();
        const QVector<StepSummary> page = store.stepSummaries(built.runId, after, 100);
        pages.add(msSince(t));
        if (page.isEmpty())
            break;
        total += int(page.size());
        after = page.last().step;
    }
    row("scroll to the end: every page of 100", msSince(all),
        u"%1 rows in %2 pages; page mean %3 ms, max %4 ms"_s.arg(total)
            .arg(pages.ms.size())
            .arg(pages.mean(), 0, 'f', 2)
            .arg(pages.max(), 0, 'f', 2));

    Timing details;
    quint64 seed = 12345;
    int gradientsRead = 0;
    for (int i = 0; i < 50; ++i) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        const int step = 1 + int((seed >> 33) % quint64(built.steps));
        t.restart();
        const StepDetails d = store.stepDetails(built.runId, step);
        details.add(msSince(t));
        gradientsRead += int(d.gradients.size());
    }
    row("one step's details (50 random steps)", details.mean(),
        u"mean; p95 %1 ms, max %2 ms; %3 gradients with conversations each"_s
            .arg(details.percentile(0.95), 0, 'f', 1)
            .arg(details.max(), 0, 'f', 1)
            .arg(gradientsRead / 50));

    t.restart();
    const QVector<StepSummary> hits
        = store.stepSummaries(built.runId, -1, 100, SyntheticProject::kMarker);
    row("search, first page of matching steps", msSince(t),
        u"\"%1\": %2 steps (expected %3)"_s.arg(SyntheticProject::kMarker)
            .arg(hits.size())
            .arg(built.markerSteps));
    t.restart();
    const QVector<StepSummary> none
        = store.stepSummaries(built.runId, -1, 100, u"no such phrase"_s);
    row("search with no match (scans the whole run)", msSince(t), u"%1 steps"_s.arg(none.size()));
    t.restart();
    const QVector<GradientHit> gradientHits
        = store.searchGradients(built.runId, SyntheticProject::kMarker, 0, 50);
    row("gradient search, first page", msSince(t), u"%1 gradients"_s.arg(gradientHits.size()));

    t.restart();
    const QVector<NodeVersion> versions
        = store.nodeVersions(built.runId, options.parameters.first());
    const double versionsMs = msSince(t);
    row("versions of one parameter", versionsMs, u"%1 versions"_s.arg(versions.size()));
    t.restart();
    const PromptBlame blame(PromptBlame::fromNodeVersions(versions));
    const QVector<BlameSentence> sentences = blame.blameVersion(blame.currentIndex());
    const double blameMs = msSince(t);
    row("blame of the current value (all versions)", blameMs,
        u"%1 sentences"_s.arg(sentences.size()));
    t.restart();
    const QVector<GradientRecord> critiques = store.nodeGradients(
        built.runId, options.parameters.first(), PromptBlame::stepsOf(sentences));
    row("critiques behind the blame", msSince(t), u"%1 gradients"_s.arg(critiques.size()));

    // The lazy model as the view drives it: pages read on the loader's thread.
    std::printf(
        "\n### The timeline model (HistoryLoader thread, event loop on the calling thread)\n\n"
        "| what | ms | notes |\n| --- | ---: | --- |\n");
    {
        t.restart();
        HistoryLoader loader;
        loader.setStorePath(path);
        StepTimelineModel model(&loader);
        StallProbe probe;
        probe.start();
        model.setRun(built.runId);
        const double firstPage = waitPage(model);
        const double stallOpen = probe.stop();
        row("open + first page shown", msSince(t),
            u"%1 rows; worst event-loop stall %2 ms"_s.arg(model.rowCount())
                .arg(stallOpen, 0, 'f', 1));
        Q_UNUSED(firstPage);
        Timing roundTrips;
        Timing fetchCalls;
        probe.start();
        all.restart();
        while (model.canFetchMore({})) {
            QElapsedTimer call;
            call.start();
            model.fetchMore({});
            fetchCalls.add(msSince(call));
            roundTrips.add(waitPage(model));
        }
        const double stallScroll = probe.stop();
        row("scroll to the end (fetchMore until done)", msSince(all),
            u"%1 rows; page round trip mean %2 ms, max %3 ms; fetchMore() returns in max %4 ms; "
            "worst stall %5 ms"_s.arg(model.rowCount())
                .arg(roundTrips.mean(), 0, 'f', 2)
                .arg(roundTrips.max(), 0, 'f', 2)
                .arg(fetchCalls.max(), 0, 'f', 3)
                .arg(stallScroll, 0, 'f', 1));

        probe.start();
        t.restart();
        model.setSearch(SyntheticProject::kMarker);
        waitPage(model);
        const double searchStall = probe.stop();
        row("search through the model (Search lane)", msSince(t),
            u"%1 rows; worst stall %2 ms"_s.arg(model.rowCount()).arg(searchStall, 0, 'f', 1));
    }
    std::printf("\n");
    return 0;
}

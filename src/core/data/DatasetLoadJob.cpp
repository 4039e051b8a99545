#include "data/DatasetLoadJob.h"

#include "data/DatasetLoader.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace {

// The line number in a loader error "path:LINE: message", or 0 when it names no line.
int errorLine(const QString &error, const QString &source)
{
    const QString prefix = source + u":"_s;
    if (!error.startsWith(prefix))
        return 0;
    const qsizetype end = error.indexOf(u':', prefix.size());
    if (end < 0)
        return 0;
    bool ok = false;
    const int line = QStringView(error).mid(prefix.size(), end - prefix.size()).toInt(&ok);
    return ok ? line : 0;
}

// Empties physical line `line` (1-based) but keeps its line end, so every other line keeps its
// number and the loaders skip it as a blank line.
bool blankLine(QByteArray &bytes, int line)
{
    qsizetype start = 0;
    for (int l = 1; l < line; ++l) {
        start = bytes.indexOf('\n', start);
        if (start < 0)
            return false;
        ++start;
    }
    qsizetype end = bytes.indexOf('\n', start);
    if (end < 0)
        end = bytes.size();
    if (end > start && bytes.at(end - 1) == '\r')
        --end;
    if (end == start)
        return false;
    bytes.remove(start, end - start);
    return true;
}

int firstContentLine(const QByteArray &bytes)
{
    int line = 1;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const char c = bytes.at(i);
        if (c == '\n')
            ++line;
        else if (c != '\r' && c != ' ' && c != '\t')
            return line;
    }
    return line;
}

DatasetLoadResult loadWithProgress(QPromise<DatasetLoadResult> *promise, const QString &path)
{
    QElapsedTimer timer;
    timer.start();
    DatasetLoadResult result;
    result.path = path;
    auto report = [promise](int percent) {
        if (promise)
            promise->setProgressValue(percent);
    };

    const QString suffix = QFileInfo(path).suffix().toLower();
    const bool csv = suffix == u"csv";
    const bool jsonl = suffix == u"jsonl" || suffix == u"ndjson";
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.errors << path + u": cannot read: "_s + file.errorString();
        return result;
    }
    // Read in chunks: for a large file the read is a good part of the wait, and it is the part
    // whose progress can be told honestly.
    QByteArray bytes;
    const qint64 total = std::max<qint64>(1, file.size());
    bytes.reserve(file.size());
    while (!file.atEnd()) {
        const QByteArray chunk = file.read(1 << 20);
        if (chunk.isEmpty() && file.error() != QFileDevice::NoError) {
            result.errors << path + u": cannot read: "_s + file.errorString();
            return result;
        }
        bytes += chunk;
        report(int(40 * bytes.size() / total));
    }
    file.close();

    if (!csv && !jsonl) {
        // .json arrays are numbered by item, not by line; one bad item fails the file.
        QString error;
        result.ok = DatasetLoader::load(path, &result.dataset, &error);
        if (!result.ok)
            result.errors << error;
        report(100);
        result.elapsedMs = timer.elapsed();
        return result;
    }

    // The loaders stop at the first bad row. A bad row is blanked (its line kept, so the lines
    // after it keep their numbers) and the file parsed again, until it parses or too many rows
    // were bad: one typo in a 100,000-row file should cost a warning, not the whole file.
    const int header = csv ? firstContentLine(bytes) : 0;
    for (int attempt = 0;; ++attempt) {
        QString error;
        Dataset data;
        const bool ok = csv ? DatasetLoader::parseCsv(bytes, path, &data, &error)
                            : DatasetLoader::parseJsonl(bytes, path, &data, &error);
        if (ok) {
            result.ok = true;
            result.dataset = data;
            break;
        }
        result.errors << error;
        const int line = errorLine(error, path);
        if (line <= 0 || line == header || attempt + 1 >= DatasetLoadJob::kMaxBadRows
            || !blankLine(bytes, line)) {
            if (attempt + 1 >= DatasetLoadJob::kMaxBadRows)
                result.errors << path
                        + u": stopped after %1 bad rows; fix the file and import it again"_s.arg(
                            DatasetLoadJob::kMaxBadRows);
            break;
        }
        ++result.skippedRows;
        report(40 + std::min(50, 5 * (attempt + 1)));
    }
    result.dataset.sourcePath = path;
    report(100);
    result.elapsedMs = timer.elapsed();
    return result;
}

} // namespace

DatasetLoadJob::DatasetLoadJob(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<DatasetLoadResult>();
}

DatasetLoadJob::~DatasetLoadJob()
{
    // No waiting here: the worker owns copies of everything it touches, and a result nobody
    // reads is simply dropped with the future.
    if (m_watcher)
        m_watcher->disconnect(this);
}

DatasetLoadResult DatasetLoadJob::loadNow(const QString &path)
{
    return loadWithProgress(nullptr, path);
}

void DatasetLoadJob::start(const QString &path)
{
    if (m_watcher) {
        // Superseded: forget the old watcher; its task finishes on the pool unobserved.
        m_watcher->disconnect(this);
        m_watcher->deleteLater();
        m_watcher = nullptr;
    }
    m_path = path;
    m_watcher = new QFutureWatcher<DatasetLoadResult>(this);
    connect(m_watcher, &QFutureWatcher<DatasetLoadResult>::progressValueChanged, this,
            &DatasetLoadJob::progress);
    connect(m_watcher, &QFutureWatcher<DatasetLoadResult>::finished, this,
            &DatasetLoadJob::onFinished);
    m_watcher->setFuture(QtConcurrent::run(
        [](QPromise<DatasetLoadResult> &promise, const QString &file) {
            promise.setProgressRange(0, 100);
            promise.addResult(loadWithProgress(&promise, file));
        },
        path));
    emit started(path);
}

bool DatasetLoadJob::isRunning() const
{
    return m_watcher && m_watcher->isRunning();
}

void DatasetLoadJob::onFinished()
{
    QFutureWatcher<DatasetLoadResult> *watcher = m_watcher;
    m_watcher = nullptr;
    DatasetLoadResult result;
    if (watcher->future().resultCount() > 0)
        result = watcher->future().result();
    else
        result.errors << m_path + u": the load was cancelled"_s;
    watcher->deleteLater();
    emit finished(result);
}

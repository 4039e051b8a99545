#include "providers/HttpAttempt.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QThreadStorage>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace {

constexpr int kPollMs = 50;   // cancel, deadline and inactivity checks

// QNetworkAccessManager may only be used from the thread that created it; QThreadStorage
// deletes each thread's manager when that thread ends.
QNetworkAccessManager *threadNetworkManager()
{
    static QThreadStorage<QNetworkAccessManager *> storage;
    if (!storage.hasLocalData())
        storage.setLocalData(new QNetworkAccessManager);
    return storage.localData();
}

} // namespace

HttpAttempt HttpAttempt::run(const HttpRequestSpec &spec, double timeoutSeconds, double inactivitySeconds,
                             const CancelFlag &cancel, const std::function<void(const QByteArray &)> &onData)
{
    HttpAttempt attempt;
    attempt.startedAt = QDateTime::currentDateTimeUtc();
    QElapsedTimer clock;
    clock.start();

    QNetworkRequest request(spec.url);
    if (spec.verb == "POST")
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    request.setRawHeader("Accept", spec.stream ? "text/event-stream"_ba : "application/json"_ba);
    request.setRawHeader("User-Agent", "textgrad-workbench/" TEXTGRAD_VERSION);
    for (const auto &header : spec.headers)
        request.setRawHeader(header.first, header.second);

    QNetworkAccessManager *manager = threadNetworkManager();
    QEventLoop loop;
    QNetworkReply *reply = spec.verb == "POST"  ? manager->post(request, spec.body)
                           : spec.verb == "GET" ? manager->get(request)
                                                : manager->sendCustomRequest(request, spec.verb, spec.body);

    const qint64 deadlineMs = timeoutSeconds > 0 ? qint64(timeoutSeconds * 1000.0) : -1;
    const qint64 inactivityMs = inactivitySeconds > 0 ? qint64(inactivitySeconds * 1000.0) : -1;
    qint64 lastActivityMs = 0;

    auto noteActivity = [&lastActivityMs, &clock] { lastActivityMs = clock.elapsed(); };
    auto readAvailable = [&] {
        const QByteArray piece = reply->readAll();
        if (piece.isEmpty())
            return;
        attempt.body += piece;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (onData && status >= 200 && status < 300)
            onData(piece);
    };
    QObject::connect(reply, &QNetworkReply::downloadProgress, &loop, noteActivity);
    QObject::connect(reply, &QNetworkReply::uploadProgress, &loop, noteActivity);
    QObject::connect(reply, &QNetworkReply::readyRead, &loop, [&] {
        noteActivity();
        readAvailable();
    });
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);

    QTimer poll;
    poll.setInterval(kPollMs);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        const qint64 now = clock.elapsed();
        if (cancel && cancel->load())
            attempt.abort = Abort::Cancelled;
        else if (deadlineMs >= 0 && now >= deadlineMs)
            attempt.abort = Abort::Deadline;
        else if (inactivityMs >= 0 && now - lastActivityMs >= inactivityMs)
            attempt.abort = Abort::Inactivity;
        if (attempt.abort != Abort::None) {
            poll.stop();
            reply->abort();
            loop.quit();
        }
    });
    poll.start();

    // The loop runs only this request's signals and timers in this worker thread; the poll
    // timer sees a cancel set before exec() on its first tick.
    if (!reply->isFinished())
        loop.exec();
    poll.stop();

    attempt.latencyMs = clock.elapsed();
    attempt.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    attempt.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    attempt.retryAfter = reply->rawHeader("Retry-After");
    attempt.networkError = reply->error();
    attempt.networkErrorText = reply->errorString();
    if (attempt.abort == Abort::None)
        readAvailable();
    else
        attempt.httpStatus = 0;
    // Outside the reply's own signal handlers, so deleting it now is safe and frees it before
    // this thread's next event loop, which may be minutes away in a thread-pool thread.
    delete reply;
    return attempt;
}

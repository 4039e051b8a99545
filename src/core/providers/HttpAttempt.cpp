#include "providers/HttpAttempt.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QIODevice>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QThreadStorage>
#include <QTimer>

#include <cstring>

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

// A request body Qt can read only once. When a connection dies before any reply, Qt resends
// a request by itself if it can read the body again, and the provider then receives (and
// bills) requests this client never hears about. With a body that cannot rewind, Qt reports
// the failure instead, and the retry loop makes, and records, every further attempt itself.
class OneShotBody : public QIODevice
{
public:
    explicit OneShotBody(const QByteArray &bytes)
        : m_bytes(bytes)
    {
        open(QIODevice::ReadOnly);
    }
    bool isSequential() const override { return true; }
    bool reset() override { return false; }
    qint64 bytesAvailable() const override { return m_bytes.size() - m_pos + QIODevice::bytesAvailable(); }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = qMin(maxSize, qint64(m_bytes.size()) - m_pos);
        if (n <= 0)
            return m_pos >= m_bytes.size() ? -1 : 0;
        std::memcpy(data, m_bytes.constData() + m_pos, size_t(n));
        m_pos += n;
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_bytes;
    qint64 m_pos = 0;
};

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
    QNetworkReply *reply = nullptr;
    if (spec.verb == "GET") {
        reply = manager->get(request);
    } else {
        request.setHeader(QNetworkRequest::ContentLengthHeader, spec.body.size());
        // Without buffering, Qt reads the body from our device and cannot replay it.
        request.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
        auto *body = new OneShotBody(spec.body);
        reply = spec.verb == "POST" ? manager->post(request, body)
                                    : manager->sendCustomRequest(request, spec.verb, body);
        body->setParent(reply);
    }

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
    // What Qt reports, with a body it may not resend, when the connection died first.
    if (attempt.networkError == QNetworkReply::ContentReSendError)
        attempt.networkErrorText = u"the connection closed before a reply arrived"_s;
    if (attempt.abort == Abort::None)
        readAvailable();
    else
        attempt.httpStatus = 0;
    // Outside the reply's own signal handlers, so deleting it now is safe and frees it before
    // this thread's next event loop, which may be minutes away in a thread-pool thread.
    delete reply;
    return attempt;
}

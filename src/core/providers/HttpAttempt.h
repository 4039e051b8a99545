#pragma once

#include "providers/ChatTypes.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QNetworkReply>
#include <QPair>
#include <QUrl>

#include <functional>

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

// An HTTP request as a dialect builds it.
struct HttpRequestSpec
{
    QByteArray verb = "POST";
    QUrl url;
    HttpHeaders headers;   // besides Content-Type, Accept and User-Agent
    QByteArray body;
    bool stream = false;   // asks for text/event-stream
};

// One HTTP exchange, blocking the calling worker thread: a per-thread QNetworkAccessManager and
// a local event loop that also watches the cancel flag, the whole-request deadline and the
// inactivity limit (time since the last byte, so a slow stream that keeps sending is fine).
struct HttpAttempt
{
    enum class Abort { None, Cancelled, Deadline, Inactivity };

    int httpStatus = 0;    // 0 when aborted or no status line came
    QString reason;
    QByteArray body;       // everything received (also when aborted part way)
    QByteArray retryAfter;
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    QString networkErrorText;
    Abort abort = Abort::None;
    qint64 latencyMs = 0;
    QDateTime startedAt;

    // onData sees each piece of a 2xx body as it arrives (for streams).
    static HttpAttempt run(const HttpRequestSpec &spec, double timeoutSeconds, double inactivitySeconds,
                           const CancelFlag &cancel,
                           const std::function<void(const QByteArray &)> &onData = {});
};

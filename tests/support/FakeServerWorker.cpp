#include "FakeServerWorker.h"

#include "FakeDialectBodies.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutexLocker>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype kMaxHeaderBytes = 64 * 1024;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK"_ba;
    case 400: return "Bad Request"_ba;
    case 401: return "Unauthorized"_ba;
    case 403: return "Forbidden"_ba;
    case 404: return "Not Found"_ba;
    case 408: return "Request Timeout"_ba;
    case 411: return "Length Required"_ba;
    case 429: return "Too Many Requests"_ba;
    case 431: return "Request Header Fields Too Large"_ba;
    case 500: return "Internal Server Error"_ba;
    case 502: return "Bad Gateway"_ba;
    case 503: return "Service Unavailable"_ba;
    case 504: return "Gateway Timeout"_ba;
    default: return "Status"_ba;
    }
}

QByteArray errorJson(const QString &message)
{
    return QJsonDocument(QJsonObject{{u"error"_s, QJsonObject{{u"message"_s, message}}}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

FakeServerWorker::FakeServerWorker(std::shared_ptr<FakeServerState> state)
    : m_state(std::move(state))
{
}

quint16 FakeServerWorker::listen()
{
    m_server = new QTcpServer(this);
    connect(m_server, &QTcpServer::newConnection, this, &FakeServerWorker::acceptConnections);
    if (!m_server->listen(QHostAddress::LocalHost, 0))
        return 0;
    return m_server->serverPort();
}

void FakeServerWorker::shutdown()
{
    if (m_server)
        m_server->close();
    auto sockets = m_connections.keys();
    m_connections.clear();
    // Streaming sockets left the connection table when their reply began.
    for (QTcpSocket *socket : m_streams.keys()) {
        if (!sockets.contains(socket))
            sockets.append(socket);
    }
    m_streams.clear();
    for (QTcpSocket *socket : sockets) {
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
}

void FakeServerWorker::acceptConnections()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        m_connections.insert(socket, Connection());
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { readFrom(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_connections.remove(socket);
            socket->deleteLater();
        });
        if (socket->bytesAvailable() > 0)
            readFrom(socket);
    }
}

void FakeServerWorker::readFrom(QTcpSocket *socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    it->buffer.append(socket->readAll());
    processBuffer(socket);
}

void FakeServerWorker::processBuffer(QTcpSocket *socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end() || it->busy)
        return;
    QByteArray &buffer = it->buffer;
    const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        if (buffer.size() > kMaxHeaderBytes) {
            it->closeAfterReply = true;
            it->busy = true;
            writeResponse(socket, 431, errorJson(u"request headers too large"_s), {});
            replyDone(socket);
        }
        return;   // wait for the rest of the headers
    }

    FakeRequest request;
    const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    request.method = requestLine.value(0);
    request.path = requestLine.value(1);
    qsizetype contentLength = 0;
    bool chunked = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed();
        const QByteArray value = line.mid(colon + 1).trimmed();
        request.headers.append({name, value});
        if (name.compare("Content-Length", Qt::CaseInsensitive) == 0)
            contentLength = value.toLongLong();
        else if (name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0)
            chunked = value.toLower().contains("chunked");
    }
    const qsizetype bodyStart = headerEnd + 4;
    if (chunked) {
        // Clients of this server send Content-Length; refusing chunked keeps the parser small.
        buffer.clear();
        it->busy = true;
        it->closeAfterReply = true;
        writeResponse(socket, 411, errorJson(u"chunked request bodies are not supported"_s), {});
        replyDone(socket);
        return;
    }
    if (buffer.size() - bodyStart < contentLength)
        return;   // the body is split across packets: wait for the rest
    request.body = buffer.mid(bodyStart, contentLength);
    buffer.remove(0, bodyStart + contentLength);

    it->busy = true;
    const QByteArray connectionHeader = request.header("Connection").toLower();
    it->closeAfterReply = connectionHeader.contains("close") || requestLine.value(2) == "HTTP/1.0";
    handle(socket, std::move(request));
}

void FakeServerWorker::handle(QTcpSocket *socket, FakeRequest request)
{
    request.receivedAt = QDateTime::currentDateTimeUtc();
    const QByteArray path = request.path.left(request.path.indexOf('?') >= 0 ? request.path.indexOf('?')
                                                                            : request.path.size());
    const QJsonDocument doc = QJsonDocument::fromJson(request.body);
    if (doc.isObject())
        request.json = doc.object();
    FakeDialectBodies::interpret(&request, path);

    FakeReply reply;
    FakeOpenAiServer::Responder responder;
    bool useResponder = false;
    {
        QMutexLocker lock(&m_state->mutex);
        m_state->log.append(request);
        m_state->requestArrived.wakeAll();
        if (request.method == "GET" && path.endsWith("/models")) {
            if (m_state->modelListStatus == 200)
                reply = FakeReply::raw(200, FakeDialectBodies::models(m_state->models, path));
            else
                reply = FakeReply::error(m_state->modelListStatus, u"model list refused"_s);
        } else if (request.method == "POST" && FakeDialectBodies::isChatPath(path)) {
            if (!m_state->scripted.isEmpty())
                reply = m_state->scripted.takeFirst();
            else {
                responder = m_state->responder;
                useResponder = true;
            }
        } else {
            reply = FakeReply::raw(404, errorJson(u"no route for "_s + QString::fromLatin1(request.method) + u" "_s
                                                  + QString::fromLatin1(path)));
        }
    }
    // Outside the lock: a responder may call back into the server (requestCount(), enqueue()).
    if (useResponder)
        reply = responder ? responder(request) : FakeReply::completion(u"fake reply"_s);

    if (reply.delayMs > 0) {
        QTimer::singleShot(reply.delayMs, socket, [this, socket, reply, request] {
            deliver(socket, reply, request);
        });
    } else {
        deliver(socket, reply, request);
    }
}

void FakeServerWorker::deliver(QTcpSocket *socket, const FakeReply &reply, const FakeRequest &request)
{
    if (!m_connections.contains(socket))
        return;
    switch (reply.kind) {
    case FakeReply::Kind::Hang:
        return;   // stays busy until the client gives up
    case FakeReply::Kind::Close:
        m_connections.remove(socket);
        socket->abort();
        socket->deleteLater();
        return;
    case FakeReply::Kind::Truncated: {
        const QByteArray body = completionBody(reply, request);
        writeResponse(socket, 200, body.left(body.size() / 2), {}, body.size());
        // disconnectFromHost() sends what is buffered first; the disconnected handler deletes.
        m_connections.remove(socket);
        socket->disconnectFromHost();
        return;
    }
    case FakeReply::Kind::Raw:
        writeResponse(socket, reply.status, reply.body, reply.headers);
        break;
    case FakeReply::Kind::Error:
        writeResponse(socket, reply.status, FakeDialectBodies::error(reply, request), reply.headers);
        break;
    case FakeReply::Kind::Empty:
        writeResponse(socket, 200, FakeDialectBodies::empty(request), reply.headers);
        break;
    case FakeReply::Kind::Completion:
        writeResponse(socket, reply.status, completionBody(reply, request), reply.headers);
        break;
    case FakeReply::Kind::Stream:
        deliverStream(socket, reply, request);
        return;
    }
    replyDone(socket);
}

QByteArray FakeServerWorker::completionBody(const FakeReply &reply, const FakeRequest &request)
{
    return FakeDialectBodies::completion(reply, request, nextSerial());
}

int FakeServerWorker::nextSerial()
{
    QMutexLocker lock(&m_state->mutex);
    return ++m_state->completions;
}

void FakeServerWorker::deliverStream(QTcpSocket *socket, const FakeReply &reply, const FakeRequest &request)
{
    // Close-delimited, like many servers behind proxies: the only sign of a complete stream is
    // its terminator event, which is exactly what a client must check.
    socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                  "Connection: close\r\n\r\n");
    m_connections.remove(socket);   // no further requests on this connection
    const auto events = std::make_shared<QList<QByteArray>>(FakeDialectBodies::streamEvents(reply, request, nextSerial()));
    const int stallAfter = reply.stallAfterEvents;
    const int delay = reply.chunkDelayMs;
    auto next = std::make_shared<std::function<void(int)>>();
    // The timers are parented to the socket, so they die with it when the client hangs up.
    *next = [socket, events, stallAfter, delay, weak = std::weak_ptr(next)](int index) {
        if (socket->state() != QAbstractSocket::ConnectedState)
            return;
        if (index == stallAfter)
            return;   // silence, connection left open until the client gives up
        if (index >= events->size()) {
            socket->disconnectFromHost();
            return;
        }
        socket->write(events->at(index));
        socket->flush();
        if (auto self = weak.lock())
            QTimer::singleShot(delay, socket, [self, index] { (*self)(index + 1); });
    };
    m_streams.insert(socket, next);
    connect(socket, &QObject::destroyed, this, [this, socket] { m_streams.remove(socket); });
    (*next)(0);
}

void FakeServerWorker::writeResponse(QTcpSocket *socket, int status, const QByteArray &body,
                                     const FakeHeaders &headers, qsizetype announcedLength)
{
    const auto it = m_connections.constFind(socket);
    const bool close = it != m_connections.cend() && it->closeAfterReply;
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    bool hasContentType = false;
    for (const auto &header : headers) {
        if (header.first.compare("Content-Type", Qt::CaseInsensitive) == 0)
            hasContentType = true;
        out += header.first + ": " + header.second + "\r\n";
    }
    if (!hasContentType)
        out += "Content-Type: application/json\r\n";
    out += "Content-Length: " + QByteArray::number(announcedLength >= 0 ? announcedLength : body.size()) + "\r\n";
    out += close ? "Connection: close\r\n" : "Connection: keep-alive\r\n";
    out += "\r\n";
    out += body;
    socket->write(out);
}

void FakeServerWorker::replyDone(QTcpSocket *socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    if (it->closeAfterReply) {
        // Deleting now would drop the unsent reply; the disconnected handler deletes the socket.
        m_connections.erase(it);
        socket->disconnectFromHost();
        return;
    }
    it->busy = false;
    if (!it->buffer.isEmpty())
        processBuffer(socket);
}

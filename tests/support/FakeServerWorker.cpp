#include "FakeServerWorker.h"

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

int estimate(qsizetype chars)
{
    return int((chars + 3) / 4);
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
    const auto sockets = m_connections.keys();
    m_connections.clear();
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
    const QJsonDocument doc = QJsonDocument::fromJson(request.body);
    if (doc.isObject()) {
        request.json = doc.object();
        request.model = request.json.value(u"model"_s).toString();
        const QJsonArray messages = request.json.value(u"messages"_s).toArray();
        for (const QJsonValue &value : messages) {
            const QJsonObject message = value.toObject();
            request.messages.append({message.value(u"role"_s).toString(), message.value(u"content"_s).toString()});
        }
    }

    const QByteArray path = request.path.left(request.path.indexOf('?') >= 0 ? request.path.indexOf('?')
                                                                            : request.path.size());
    FakeReply reply;
    FakeOpenAiServer::Responder responder;
    bool useResponder = false;
    {
        QMutexLocker lock(&m_state->mutex);
        m_state->log.append(request);
        m_state->requestArrived.wakeAll();
        if (request.method == "GET" && path.endsWith("/models")) {
            QJsonArray data;
            for (const QString &model : std::as_const(m_state->models))
                data.append(QJsonObject{{u"id"_s, model}, {u"object"_s, u"model"_s}, {u"owned_by"_s, u"fake"_s}});
            reply = FakeReply::raw(200, QJsonDocument(QJsonObject{{u"object"_s, u"list"_s}, {u"data"_s, data}})
                                            .toJson(QJsonDocument::Compact));
        } else if (request.method == "POST" && path.endsWith("/chat/completions")) {
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
    case FakeReply::Kind::Completion:
        writeResponse(socket, reply.status, completionBody(reply, request), reply.headers);
        break;
    }
    replyDone(socket);
}

QByteArray FakeServerWorker::completionBody(const FakeReply &reply, const FakeRequest &request)
{
    int serial = 0;
    {
        QMutexLocker lock(&m_state->mutex);
        serial = ++m_state->completions;
    }
    const QJsonObject message{{u"role"_s, u"assistant"_s}, {u"content"_s, reply.text}};
    const QJsonObject choice{{u"index"_s, 0}, {u"message"_s, message}, {u"finish_reason"_s, u"stop"_s}};
    QJsonObject root{
        {u"id"_s, QString(u"chatcmpl-fake-"_s + QString::number(serial))},
        {u"object"_s, u"chat.completion"_s},
        {u"created"_s, QDateTime::currentSecsSinceEpoch()},
        {u"model"_s, request.model.isEmpty() ? u"fake-model"_s : request.model},
        {u"choices"_s, QJsonArray{choice}},
    };
    if (reply.includeUsage) {
        qsizetype promptChars = 0;
        for (const ChatMessage &m : request.messages)
            promptChars += m.content.size();
        const int prompt = reply.promptTokens >= 0 ? reply.promptTokens : estimate(promptChars);
        const int completion = reply.completionTokens >= 0 ? reply.completionTokens : estimate(reply.text.size());
        root.insert(u"usage"_s, QJsonObject{{u"prompt_tokens"_s, prompt},
                                            {u"completion_tokens"_s, completion},
                                            {u"total_tokens"_s, prompt + completion}});
    }
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
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

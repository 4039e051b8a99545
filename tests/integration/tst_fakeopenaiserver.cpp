#include "FakeOpenAiServer.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

struct RawResponse
{
    int status = 0;
    QByteArray headers;
    QByteArray body;
};

// Reads one HTTP/1.1 response with a Content-Length body; blocking is fine here because the
// server answers from its own thread.
bool readResponse(QTcpSocket &socket, QByteArray &buffer, RawResponse &response, int timeoutMs = 5000)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd >= 0) {
            const QByteArray head = buffer.left(headerEnd);
            qsizetype length = 0;
            for (const QByteArray &line : head.split('\n')) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
            if (buffer.size() >= headerEnd + 4 + length) {
                response.status = head.split(' ').value(1).toInt();
                response.headers = head;
                response.body = buffer.mid(headerEnd + 4, length);
                buffer.remove(0, headerEnd + 4 + length);
                return true;
            }
        }
        const bool more = socket.waitForReadyRead(100);
        const QByteArray chunk = socket.readAll();
        buffer += chunk;
        if (!more && chunk.isEmpty() && socket.state() != QAbstractSocket::ConnectedState)
            return false;
    }
    return false;
}

QByteArray chatRequest(const QByteArray &body, const QByteArray &extraHeaders = {})
{
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
           "Content-Length: " + QByteArray::number(body.size()) + "\r\n" + extraHeaders + "\r\n" + body;
}

QByteArray chatBody(const QString &question)
{
    const QJsonObject message{{u"role"_s, u"user"_s}, {u"content"_s, question}};
    return QJsonDocument(QJsonObject{{u"model"_s, u"m1"_s}, {u"messages"_s, QJsonArray{message}}})
        .toJson(QJsonDocument::Compact);
}

QString replyText(const RawResponse &response)
{
    const QJsonObject root = QJsonDocument::fromJson(response.body).object();
    return root.value(u"choices"_s).toArray().first().toObject().value(u"message"_s).toObject()
        .value(u"content"_s).toString();
}

} // namespace

class TestFakeOpenAiServer : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void modelsList();
    void splitBodyAndKeepAlive();
    void pipelinedRequests();
    void scriptedBeforeResponder();
    void delayedReply();
    void unknownRoute();
    void geminiRequestIsNormalised();
    void streamIsCloseDelimitedSse();

private:
    std::unique_ptr<FakeOpenAiServer> m_server;
    QTcpSocket *connectSocket();
    std::unique_ptr<QTcpSocket> m_socket;
};

void TestFakeOpenAiServer::init()
{
    m_server = std::make_unique<FakeOpenAiServer>();
    QVERIFY(m_server->start());
    QVERIFY(m_server->port() != 0);
    QCOMPARE(m_server->baseUrl(), u"http://127.0.0.1:"_s + QString::number(m_server->port()) + u"/v1"_s);
}

void TestFakeOpenAiServer::cleanup()
{
    m_socket.reset();
    m_server.reset();
}

QTcpSocket *TestFakeOpenAiServer::connectSocket()
{
    m_socket = std::make_unique<QTcpSocket>();
    m_socket->connectToHost(u"127.0.0.1"_s, m_server->port());
    return m_socket->waitForConnected(3000) ? m_socket.get() : nullptr;
}

void TestFakeOpenAiServer::modelsList()
{
    m_server->setModels({u"alpha"_s, u"beta"_s});
    QTcpSocket *socket = connectSocket();
    QVERIFY(socket);
    socket->write("GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QByteArray buffer;
    RawResponse response;
    QVERIFY(readResponse(*socket, buffer, response));
    QCOMPARE(response.status, 200);
    const QJsonArray data = QJsonDocument::fromJson(response.body).object().value(u"data"_s).toArray();
    QCOMPARE(data.size(), 2);
    QCOMPARE(data.at(1).toObject().value(u"id"_s).toString(), u"beta"_s);
    QCOMPARE(m_server->requestCount(), 1);
    QCOMPARE(m_server->lastRequest().method, "GET"_ba);
}

void TestFakeOpenAiServer::splitBodyAndKeepAlive()
{
    m_server->setResponder([](const FakeRequest &r) { return FakeReply::completion(u"re: "_s + r.lastMessage()); });
    QTcpSocket *socket = connectSocket();
    QVERIFY(socket);
    const QByteArray first = chatRequest(chatBody(u"first question"_s));
    const qsizetype cut = first.size() - 10;   // headers and most of the body, then the rest later
    socket->write(first.left(cut));
    socket->flush();
    QTest::qWait(150);
    QCOMPARE(m_server->requestCount(), 0);   // must wait for the whole Content-Length
    socket->write(first.mid(cut));
    QByteArray buffer;
    RawResponse response;
    QVERIFY(readResponse(*socket, buffer, response));
    QCOMPARE(response.status, 200);
    QCOMPARE(replyText(response), u"re: first question"_s);
    QVERIFY(response.headers.contains("Connection: keep-alive"));

    socket->write(chatRequest(chatBody(u"second question"_s)));
    QVERIFY(readResponse(*socket, buffer, response));
    QCOMPARE(replyText(response), u"re: second question"_s);
    const QJsonObject usage = QJsonDocument::fromJson(response.body).object().value(u"usage"_s).toObject();
    QVERIFY(usage.value(u"prompt_tokens"_s).toInt() > 0);
    QCOMPARE(m_server->requestCount(), 2);
    QCOMPARE(m_server->requests().at(0).model, u"m1"_s);
}

void TestFakeOpenAiServer::pipelinedRequests()
{
    m_server->setResponder([](const FakeRequest &r) { return FakeReply::completion(r.lastMessage()); });
    QTcpSocket *socket = connectSocket();
    QVERIFY(socket);
    socket->write(chatRequest(chatBody(u"one"_s)) + chatRequest(chatBody(u"two"_s), "Connection: close\r\n"));
    QByteArray buffer;
    RawResponse response;
    QVERIFY(readResponse(*socket, buffer, response));
    QCOMPARE(replyText(response), u"one"_s);
    QVERIFY(readResponse(*socket, buffer, response));
    QCOMPARE(replyText(response), u"two"_s);
    QVERIFY(response.headers.contains("Connection: close"));
}

void TestFakeOpenAiServer::scriptedBeforeResponder()
{
    m_server->enqueue(FakeReply::rateLimited(2));
    m_server->enqueue(FakeReply::error(500, u"boom"_s));
    QCOMPARE(m_server->pendingScripted(), 2);
    QTcpSocket *socket = connectSocket();
    QVERIFY(socket);
    QByteArray buffer;
    RawResponse response;
    socket->write(chatRequest(chatBody(u"q"_s)));
    QVERIFY(readResponse(*socket, buffer, response));
    QCOMPARE(response.status, 429);
    QVERIFY(response.headers.contains("Retry-After: 2"));
    socket->write(chatRequest(chatBody(u"q"_s)));
    QVERIFY(readResponse(*socket, buffer, response));
    QCOMPARE(response.status, 500);
    socket->write(chatRequest(chatBody(u"q"_s)));
    QVERIFY(readResponse(*socket, buffer, response));
    QCOMPARE(response.status, 200);
    QCOMPARE(replyText(response), u"fake reply"_s);
    QCOMPARE(m_server->pendingScripted(), 0);
}

void TestFakeOpenAiServer::delayedReply()
{
    m_server->enqueue(FakeReply::completion(u"slow"_s).withDelay(300));
    QTcpSocket *socket = connectSocket();
    QVERIFY(socket);
    QElapsedTimer clock;
    clock.start();
    socket->write(chatRequest(chatBody(u"q"_s)));
    QByteArray buffer;
    RawResponse response;
    QVERIFY(readResponse(*socket, buffer, response));
    QVERIFY(clock.elapsed() >= 280);
    QCOMPARE(replyText(response), u"slow"_s);
}

void TestFakeOpenAiServer::unknownRoute()
{
    QTcpSocket *socket = connectSocket();
    QVERIFY(socket);
    socket->write("GET /v1/nothing HTTP/1.1\r\nHost: x\r\n\r\n");
    QByteArray buffer;
    RawResponse response;
    QVERIFY(readResponse(*socket, buffer, response));
    QCOMPARE(response.status, 404);
}

void TestFakeOpenAiServer::geminiRequestIsNormalised()
{
    const QJsonObject system{{u"parts"_s, QJsonArray{QJsonObject{{u"text"_s, u"Be brief."_s}}}}};
    const QJsonArray contents{
        QJsonObject{{u"role"_s, u"user"_s}, {u"parts"_s, QJsonArray{QJsonObject{{u"text"_s, u"Hi"_s}}}}},
        QJsonObject{{u"role"_s, u"model"_s}, {u"parts"_s, QJsonArray{QJsonObject{{u"text"_s, u"Hello"_s}}}}},
        QJsonObject{{u"role"_s, u"user"_s}, {u"parts"_s, QJsonArray{QJsonObject{{u"text"_s, u"2+2?"_s}}}}}};
    const QByteArray body = QJsonDocument(QJsonObject{{u"systemInstruction"_s, system}, {u"contents"_s, contents}})
                                .toJson(QJsonDocument::Compact);
    m_server->enqueue(FakeReply::completion(u"4"_s).withUsage(5, 1));
    QTcpSocket socket;
    socket.connectToHost(u"127.0.0.1"_s, m_server->port());
    QVERIFY(socket.waitForConnected(2000));
    socket.write("POST /v1beta/models/gem-1:generateContent HTTP/1.1\r\nHost: x\r\nContent-Length: "
                 + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QByteArray buffer;
    RawResponse response;
    QVERIFY(readResponse(socket, buffer, response));
    QCOMPARE(response.status, 200);
    const QJsonObject root = QJsonDocument::fromJson(response.body).object();
    QCOMPARE(root.value(u"candidates"_s).toArray().first().toObject().value(u"content"_s).toObject()
                 .value(u"parts"_s).toArray().first().toObject().value(u"text"_s).toString(),
             u"4"_s);
    QCOMPARE(root.value(u"usageMetadata"_s).toObject().value(u"promptTokenCount"_s).toInt(), 5);

    const FakeRequest seen = m_server->lastRequest();
    QCOMPARE(seen.dialect, u"gemini"_s);
    QCOMPARE(seen.model, u"gem-1"_s);
    QCOMPARE(seen.messages.size(), 4);
    QCOMPARE(seen.messages.at(0).role, u"system"_s);
    QCOMPARE(seen.messages.at(2).role, u"assistant"_s);
    QCOMPARE(seen.lastMessage(), u"2+2?"_s);
}

void TestFakeOpenAiServer::streamIsCloseDelimitedSse()
{
    m_server->enqueue(FakeReply::stream({u"a"_s, u"b"_s}, 20));
    QTcpSocket socket;
    socket.connectToHost(u"127.0.0.1"_s, m_server->port());
    QVERIFY(socket.waitForConnected(2000));
    socket.write(chatRequest(chatBody(u"q"_s)));
    QByteArray received;
    QElapsedTimer clock;
    clock.start();
    while (socket.state() == QAbstractSocket::ConnectedState && clock.elapsed() < 5000) {
        socket.waitForReadyRead(100);
        received += socket.readAll();
    }
    received += socket.readAll();
    QVERIFY2(received.contains("Content-Type: text/event-stream"), received.constData());
    QVERIFY(!received.contains("Content-Length"));
    QVERIFY(received.contains("\"content\":\"a\""));
    QVERIFY(received.contains("\"content\":\"b\""));
    QVERIFY(received.endsWith("data: [DONE]\n\n"));
}

QTEST_GUILESS_MAIN(TestFakeOpenAiServer)
#include "tst_fakeopenaiserver.moc"

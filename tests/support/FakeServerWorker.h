#pragma once

#include "FakeOpenAiServer.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QWaitCondition>

#include <functional>
#include <memory>

class QTcpServer;
class QTcpSocket;

// What the test thread and the server thread share; every field is guarded by mutex.
struct FakeServerState
{
    mutable QMutex mutex;
    mutable QWaitCondition requestArrived;
    FakeOpenAiServer::Responder responder;
    QList<FakeReply> scripted;
    QVector<FakeRequest> log;
    QStringList models{QStringLiteral("fake-model")};
    int modelListStatus = 200;
    int completions = 0;
};

// The fake server's network side. Lives in FakeOpenAiServer's own thread (not the test's main
// thread): it owns the listening socket and every connection, and parses and answers requests.
class FakeServerWorker : public QObject
{
    Q_OBJECT

public:
    explicit FakeServerWorker(std::shared_ptr<FakeServerState> state);

    quint16 listen();     // 0 on failure; call in the server thread
    void shutdown();      // closes the listener and drops every connection

private:
    struct Connection
    {
        QByteArray buffer;
        bool busy = false;         // a reply is pending (delayed or hanging): later requests wait
        bool closeAfterReply = false;
    };

    void acceptConnections();
    void readFrom(QTcpSocket *socket);
    void processBuffer(QTcpSocket *socket);
    void handle(QTcpSocket *socket, FakeRequest request);
    void deliver(QTcpSocket *socket, const FakeReply &reply, const FakeRequest &request);
    void writeResponse(QTcpSocket *socket, int status, const QByteArray &body, const FakeHeaders &headers,
                       qsizetype announcedLength = -1);
    void replyDone(QTcpSocket *socket);
    void deliverStream(QTcpSocket *socket, const FakeReply &reply, const FakeRequest &request);
    QByteArray completionBody(const FakeReply &reply, const FakeRequest &request);
    int nextSerial();

    std::shared_ptr<FakeServerState> m_state;
    QTcpServer *m_server = nullptr;
    QHash<QTcpSocket *, Connection> m_connections;
    // Each stream's self-scheduling step function, kept alive while its socket lives.
    QHash<QTcpSocket *, std::shared_ptr<std::function<void(int)>>> m_streams;
};

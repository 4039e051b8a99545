#include "FakeOpenAiServer.h"

#include "FakeServerWorker.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutexLocker>
#include <QThread>

#include <future>

using namespace Qt::StringLiterals;

QByteArray FakeRequest::header(const QByteArray &name) const
{
    for (const auto &entry : headers) {
        if (entry.first.compare(name, Qt::CaseInsensitive) == 0)
            return entry.second;
    }
    return {};
}

QString FakeRequest::lastMessage(const QString &role) const
{
    for (auto it = messages.crbegin(); it != messages.crend(); ++it) {
        if (it->role == role)
            return it->content;
    }
    return {};
}

FakeReply FakeReply::completion(const QString &text)
{
    FakeReply reply;
    reply.text = text;
    return reply;
}

FakeReply FakeReply::raw(int status, const QByteArray &body, const FakeHeaders &headers)
{
    FakeReply reply;
    reply.kind = Kind::Raw;
    reply.status = status;
    reply.body = body;
    reply.headers = headers;
    return reply;
}

FakeReply FakeReply::error(int status, const QString &message, const FakeHeaders &headers)
{
    FakeReply reply;
    reply.kind = Kind::Error;
    reply.status = status;
    reply.text = message;
    reply.headers = headers;
    return reply;
}

FakeReply FakeReply::rateLimited(int retryAfterSeconds)
{
    return error(429, u"Rate limit reached, slow down"_s,
                 {{"Retry-After"_ba, QByteArray::number(retryAfterSeconds)}});
}

FakeReply FakeReply::rateLimitedNoRetryAfter()
{
    return error(429, u"Rate limit reached, slow down"_s);
}

FakeReply FakeReply::malformedJson()
{
    return raw(200, R"({"id": "chatcmpl-broken", "choices": [{"message": {"content": "oops)"_ba);
}

FakeReply FakeReply::emptyChoices()
{
    FakeReply reply;
    reply.kind = Kind::Empty;
    return reply;
}

FakeReply FakeReply::contentFiltered()
{
    FakeReply reply;
    reply.filtered = true;
    return reply;
}

FakeReply FakeReply::contextLength()
{
    FakeReply reply = error(400, QString());
    reply.errorCode = ErrorCode::ContextLength;
    return reply;
}

FakeReply FakeReply::unknownModel()
{
    FakeReply reply = error(404, QString());
    reply.errorCode = ErrorCode::UnknownModel;
    return reply;
}

FakeReply FakeReply::stream(const QStringList &chunks, int chunkDelayMs)
{
    FakeReply reply;
    reply.kind = Kind::Stream;
    reply.chunks = chunks;
    reply.text = chunks.join(QString());
    reply.chunkDelayMs = chunkDelayMs;
    return reply;
}

FakeReply FakeReply::truncatedStream(const QStringList &chunks)
{
    FakeReply reply = stream(chunks);
    reply.dropTerminator = true;
    return reply;
}

FakeReply FakeReply::withStallAfter(int events) const
{
    FakeReply copy = *this;
    copy.stallAfterEvents = events;
    return copy;
}

FakeReply FakeReply::hang()
{
    FakeReply reply;
    reply.kind = Kind::Hang;
    return reply;
}

FakeReply FakeReply::closeConnection()
{
    FakeReply reply;
    reply.kind = Kind::Close;
    return reply;
}

FakeReply FakeReply::truncated(const QString &text)
{
    FakeReply reply;
    reply.kind = Kind::Truncated;
    reply.text = text;
    return reply;
}

FakeReply FakeReply::withDelay(int ms) const
{
    FakeReply copy = *this;
    copy.delayMs = ms;
    return copy;
}

FakeReply FakeReply::withUsage(int prompt, int completion) const
{
    FakeReply copy = *this;
    copy.includeUsage = true;
    copy.promptTokens = prompt;
    copy.completionTokens = completion;
    return copy;
}

FakeReply FakeReply::withoutUsage() const
{
    FakeReply copy = *this;
    copy.includeUsage = false;
    return copy;
}

FakeOpenAiServer::FakeOpenAiServer()
    : m_state(std::make_shared<FakeServerState>())
{
    m_state->responder = [](const FakeRequest &) { return FakeReply::completion(u"fake reply"_s); };
}

FakeOpenAiServer::~FakeOpenAiServer()
{
    stop();
}

bool FakeOpenAiServer::start()
{
    if (m_thread)
        return m_port != 0;
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(u"FakeOpenAiServer"_s);
    m_worker = new FakeServerWorker(m_state);
    m_worker->moveToThread(m_thread.get());
    QObject::connect(m_thread.get(), &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();

    // The listener must be created in the server thread; wait here until it is listening.
    std::promise<quint16> listening;
    std::future<quint16> port = listening.get_future();
    FakeServerWorker *worker = m_worker;
    QMetaObject::invokeMethod(m_worker, [worker, &listening] { listening.set_value(worker->listen()); },
                              Qt::QueuedConnection);
    m_port = port.get();
    return m_port != 0;
}

void FakeOpenAiServer::stop()
{
    if (!m_thread)
        return;
    FakeServerWorker *worker = m_worker;
    QMetaObject::invokeMethod(m_worker, [worker] {
        worker->shutdown();
        QThread::currentThread()->quit();
    }, Qt::QueuedConnection);
    m_thread->wait();
    m_thread.reset();
    m_worker = nullptr;
    m_port = 0;
    m_state->requestArrived.wakeAll();
}

QString FakeOpenAiServer::baseUrl() const
{
    return rootUrl() + u"/v1"_s;
}

QString FakeOpenAiServer::rootUrl() const
{
    return u"http://127.0.0.1:"_s + QString::number(m_port);
}

void FakeOpenAiServer::setResponder(Responder responder)
{
    QMutexLocker lock(&m_state->mutex);
    m_state->responder = std::move(responder);
}

void FakeOpenAiServer::enqueue(const FakeReply &reply)
{
    QMutexLocker lock(&m_state->mutex);
    m_state->scripted.append(reply);
}

int FakeOpenAiServer::pendingScripted() const
{
    QMutexLocker lock(&m_state->mutex);
    return int(m_state->scripted.size());
}

void FakeOpenAiServer::setModels(const QStringList &models)
{
    QMutexLocker lock(&m_state->mutex);
    m_state->models = models;
}

void FakeOpenAiServer::setModelListStatus(int status)
{
    QMutexLocker lock(&m_state->mutex);
    m_state->modelListStatus = status;
}

int FakeOpenAiServer::requestCount() const
{
    QMutexLocker lock(&m_state->mutex);
    return int(m_state->log.size());
}

QVector<FakeRequest> FakeOpenAiServer::requests() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->log;
}

FakeRequest FakeOpenAiServer::lastRequest() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->log.isEmpty() ? FakeRequest() : m_state->log.constLast();
}

void FakeOpenAiServer::clearRequests()
{
    QMutexLocker lock(&m_state->mutex);
    m_state->log.clear();
}

bool FakeOpenAiServer::waitForRequests(int count, int timeoutMs) const
{
    QDeadlineTimer deadline(timeoutMs);
    QMutexLocker lock(&m_state->mutex);
    while (m_state->log.size() < count) {
        if (!m_state->requestArrived.wait(&m_state->mutex, deadline))
            return m_state->log.size() >= count;
    }
    return true;
}

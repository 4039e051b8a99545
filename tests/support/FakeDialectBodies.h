#pragma once

#include "FakeOpenAiServer.h"

// How the fake server reads requests and writes replies in each dialect (OpenAI, Azure,
// Anthropic, Gemini). Pure functions, used from the server thread.
namespace FakeDialectBodies {

// Sets dialect, messages, model and deployment from the path and the parsed JSON body.
void interpret(FakeRequest *request, const QByteArray &path);
// Whether a POST path is a chat endpoint of some dialect.
bool isChatPath(const QByteArray &path);

QByteArray completion(const FakeReply &reply, const FakeRequest &request, int serial);
QByteArray empty(const FakeRequest &request);
QByteArray error(const FakeReply &reply, const FakeRequest &request);
QByteArray models(const QStringList &models, const QByteArray &path);
// One complete SSE event per entry (blank line included), the terminator last unless dropped.
QList<QByteArray> streamEvents(const FakeReply &reply, const FakeRequest &request, int serial);

} // namespace FakeDialectBodies

#pragma once

#include "graph/Pipeline.h"
#include "data/Dataset.h"
#include "providers/ChatTypes.h"

#include <QString>

// Small pipelines and data shared by the autograd, trainer and CLI tests.
namespace TestPipelines {

// Arithmetic QA: system_prompt (trainable) -> answer (llm) -> score (exact_match vs reference).
QString arithmeticJson(const QString &baseUrl = QStringLiteral("http://127.0.0.1:9/v1"));
// The same task scored by an LLM judge with a two-criterion rubric.
QString judgedJson();
// plan (llm, trainable planner prompt) -> answer (llm, trainable solver prompt) -> exact match.
QString chainJson();
// Test-time: a trainable answer fed to a judge; no inputs.
QString testTimeJson();

Pipeline parse(const QString &json);
// Rows "a+b" -> sum, numbered from firstLine.
Dataset additions(int count, int offset = 0);

// A scripted "world" for the arithmetic pipelines: the assistant answers correctly only when
// its system prompt contains the word "carefully"; the backward engine says so; the optimizer
// proposes a prompt with that word. Deterministic in the request alone.
QString arithmeticWorld(const ChatRequest &request);

} // namespace TestPipelines

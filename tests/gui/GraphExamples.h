#pragma once

// A larger pipeline for the canvas tests and screenshots: two inputs feeding an LLM through a
// multi-placeholder template, a trainable and a fixed parameter, a metric and a judge. Kept in a
// header: moc's tokenizer does not understand raw string literals (see unit/PipelineExamples.h).
inline constexpr char kEightNodes[] = R"json(
{
  "format": "textgrad-workbench.pipeline",
  "formatVersion": 1,
  "name": "Support answers",
  "engines": {
    "student": { "provider": "ollama", "model": "llama3.2" },
    "teacher": { "provider": "openai", "model": "gpt-4o" }
  },
  "backwardEngine": "teacher",
  "nodes": [
    { "id": "system_prompt", "type": "parameter", "trainable": true,
      "role": "system prompt for a support assistant", "value": "You answer support tickets." },
    { "id": "style_guide", "type": "parameter", "role": "house style", "value": "Be brief." },
    { "id": "ticket", "type": "input", "field": "ticket", "role": "customer ticket" },
    { "id": "product_docs", "type": "input", "field": "docs", "role": "relevant documentation" },
    { "id": "reply", "type": "llm", "engine": "student", "role": "the reply to the customer",
      "template": "Docs: {docs}\nTicket: {ticket}\nStyle: {style}",
      "inputs": { "system": "system_prompt", "docs": "product_docs", "ticket": "ticket",
                  "style": "style_guide" } },
    { "id": "expected", "type": "input", "field": "expected", "role": "reference reply" },
    { "id": "mentions_fix", "type": "metric", "metric": "contains",
      "inputs": { "prediction": "reply", "reference": "expected" } },
    { "id": "tone_judge", "type": "judge", "engine": "teacher",
      "inputs": { "reply": "reply", "ticket": "ticket" },
      "rubric": { "criteria": [ { "name": "polite", "description": "courteous", "weight": 1 } ],
                  "scale": [1, 5] } }
  ],
  "objective": "tone_judge",
  "optimizer": { "kind": "tgd", "batchSize": 4, "epochs": 1, "maxSteps": 8 }
}
)json";

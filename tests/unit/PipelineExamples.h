#pragma once

// Pipeline files shared by the graph tests. They live in a header because moc's tokenizer does
// not understand raw string literals, and a stray apostrophe inside one hides the test class.

// The example of docs/contract.md, verbatim.
inline constexpr char kContractExample[] = R"json(
{
  "format": "textgrad-workbench.pipeline",
  "formatVersion": 1,
  "name": "Arithmetic QA",
  "engines": {
    "student": { "provider": "openai-compatible", "baseUrl": "http://127.0.0.1:11434/v1",
                 "model": "llama3.2", "apiKeyEnv": "OPENAI_API_KEY", "temperature": 0 },
    "teacher": { "provider": "openai", "model": "gpt-4o" }
  },
  "backwardEngine": "teacher",
  "nodes": [
    { "id": "system_prompt", "type": "parameter", "trainable": true,
      "role": "system prompt for an arithmetic assistant",
      "value": "You are a careful arithmetic assistant." },
    { "id": "question", "type": "input", "field": "question", "role": "arithmetic question" },
    { "id": "answer", "type": "llm", "engine": "student", "role": "the assistant's answer",
      "inputs": { "system": "system_prompt", "question": "question" },
      "template": "{question}" },
    { "id": "reference", "type": "input", "field": "answer", "role": "correct answer" },
    { "id": "score", "type": "metric", "metric": "exact_match",
      "inputs": { "prediction": "answer", "reference": "reference" } }
  ],
  "objective": "score",
  "optimizer": { "kind": "tgd", "batchSize": 4, "epochs": 1, "maxSteps": 8,
                 "validation": "revert-if-worse", "constraints": [], "seed": 1 }
}
)json";

// Every key the format knows, with non-default values, plus unknown keys at every level.
inline constexpr char kEverything[] = R"json(
{
  "format": "textgrad-workbench.pipeline",
  "formatVersion": 1,
  "name": "Everything",
  "description": "all the keys",
  "x-top": {"kept": [1, 2]},
  "engines": {
    "e": { "provider": "anthropic", "baseUrl": "https://example.test", "model": "m",
           "apiKeyEnv": "MY_KEY", "temperature": 0.5, "topP": 0.9, "maxTokens": 512, "seed": 7,
           "stop": ["END", "STOP"], "timeoutSeconds": 30, "inactivitySeconds": 10,
           "maxRetries": 2, "x-engine": true },
    "az": { "provider": "azure-openai", "baseUrl": "https://res.openai.azure.com", "model": "gpt-4o",
            "deployment": "prod-4o", "apiVersion": "2024-06-01", "stream": true }
  },
  "backwardEngine": "e",
  "nodes": [
    { "id": "p", "type": "parameter", "trainable": true, "role": "r", "value": "v",
      "constraints": ["short"], "position": [10.5, -20], "x-node": "kept" },
    { "id": "q", "type": "input", "field": "question", "position": [0, 0] },
    { "id": "a", "type": "llm", "engine": "e", "template": "{q}", "inputs": {"system": "p", "q": "q"} },
    { "id": "m", "type": "metric", "metric": "numeric", "pattern": "(\\d+)", "tolerance": 0.5,
      "caseSensitive": true, "normalizeWhitespace": false, "stripPunctuation": true,
      "answerPattern": "Answer: (.*)", "purpose": "checks numbers",
      "inputs": {"prediction": "a", "reference": "q"} },
    { "id": "j", "type": "judge", "engine": "e", "inputs": {"answer": "a"},
      "rubric": { "instructions": "be strict",
                  "criteria": [ {"name": "correct", "description": "is right", "weight": 2,
                                 "anchors": {"1": "wrong", "5": "right"}} ],
                  "scale": [0, 10] } }
  ],
  "objective": "m",
  "optimizer": { "kind": "tgd-momentum", "batchSize": 2, "epochs": 3, "maxSteps": 5,
                 "validation": "none", "constraints": ["c1"], "examples": ["ex"], "seed": 42,
                 "engine": "e", "concurrency": 2, "momentumWindow": 5,
                 "gradientTokenBudget": 100, "budgetMode": "summarize",
                 "skipPerfectSamples": true, "tag": "NEW", "stopWhenPerfect": false,
                 "votePattern": "(\\d+)", "x-opt": 1 },
  "prompts": { "backward_base": "inline text" }
}
)json";


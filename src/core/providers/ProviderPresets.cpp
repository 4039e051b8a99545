#include "providers/ProviderPresets.h"

using namespace Qt::StringLiterals;

namespace ProviderPresets {

const QVector<ProviderPreset> &all()
{
    // openai-compatible and azure-openai have no default address: guessing one would turn a
    // clear "baseUrl missing" into a confusing network error.
    static const QVector<ProviderPreset> presets{
        {u"openai"_s, u"OpenAI"_s, DialectKind::OpenAi, u"https://api.openai.com/v1"_s, u"OPENAI_API_KEY"_s, true},
        {u"openai-compatible"_s, u"OpenAI-compatible server"_s, DialectKind::OpenAi, QString(), QString(), false},
        {u"ollama"_s, u"Ollama (local)"_s, DialectKind::OpenAi, u"http://localhost:11434/v1"_s, QString(), false},
        {u"vllm"_s, u"vLLM (local)"_s, DialectKind::OpenAi, u"http://localhost:8000/v1"_s, QString(), false},
        {u"llamacpp"_s, u"llama.cpp server (local)"_s, DialectKind::OpenAi, u"http://localhost:8080/v1"_s, QString(), false},
        {u"lmstudio"_s, u"LM Studio (local)"_s, DialectKind::OpenAi, u"http://localhost:1234/v1"_s, QString(), false},
        {u"openrouter"_s, u"OpenRouter"_s, DialectKind::OpenAi, u"https://openrouter.ai/api/v1"_s, u"OPENROUTER_API_KEY"_s, true},
        {u"together"_s, u"Together AI"_s, DialectKind::OpenAi, u"https://api.together.xyz/v1"_s, u"TOGETHER_API_KEY"_s, true},
        {u"groq"_s, u"Groq"_s, DialectKind::OpenAi, u"https://api.groq.com/openai/v1"_s, u"GROQ_API_KEY"_s, true},
        {u"deepseek"_s, u"DeepSeek"_s, DialectKind::OpenAi, u"https://api.deepseek.com/v1"_s, u"DEEPSEEK_API_KEY"_s, true},
        {u"mistral"_s, u"Mistral AI"_s, DialectKind::OpenAi, u"https://api.mistral.ai/v1"_s, u"MISTRAL_API_KEY"_s, true},
        {u"azure-openai"_s, u"Azure OpenAI"_s, DialectKind::AzureOpenAi, QString(), u"AZURE_OPENAI_API_KEY"_s, true},
        {u"anthropic"_s, u"Anthropic"_s, DialectKind::Anthropic, u"https://api.anthropic.com"_s, u"ANTHROPIC_API_KEY"_s, true},
        {u"gemini"_s, u"Google Gemini"_s, DialectKind::Gemini, u"https://generativelanguage.googleapis.com"_s, u"GEMINI_API_KEY"_s, true},
    };
    return presets;
}

const ProviderPreset *find(const QString &name)
{
    for (const ProviderPreset &preset : all()) {
        if (preset.name == name)
            return &preset;
    }
    return nullptr;
}

QStringList names()
{
    QStringList out;
    for (const ProviderPreset &preset : all())
        out.append(preset.name);
    return out;
}

} // namespace ProviderPresets

#pragma once

#include "providers/CachingClient.h"
#include "providers/ProviderClient.h"
#include "providers/ThrottledClient.h"

#include <QString>

#include <memory>

class KeychainKeySource;

// The LlmClient a run talks to, built the same way by the CLI and the workbench:
//   CachingClient   replies replayed from the project file (unless the run opts out); a hit
//                   never reaches the layers below, so it costs no slot and no request
//   ThrottledClient at most `concurrency` requests in flight per model and endpoint,
//                   halving on 429 and growing back, so a rate-limited run slows down
//   ProviderClient  HTTP, retries, timeouts, every attempt recorded
// with keys from the environment, then the system keychain.
// Thread-safe like its layers; build it on the thread that starts the run.
class ClientStack
{
public:
    struct Options
    {
        QString projectPath;     // the SQLite project file (for the cache)
        bool useCache = true;
        int concurrency = 4;
    };

    explicit ClientStack(const Options &options);
    ~ClientStack();
    ClientStack(const ClientStack &) = delete;
    ClientStack &operator=(const ClientStack &) = delete;

    LlmClient *client() { return m_top; }
    const ThrottledClient &throttle() const { return *m_throttle; }

private:
    std::shared_ptr<KeychainKeySource> m_keys;
    std::unique_ptr<ProviderClient> m_provider;
    std::unique_ptr<ThrottledClient> m_throttle;
    std::unique_ptr<CachingClient> m_cache;
    LlmClient *m_top = nullptr;
};

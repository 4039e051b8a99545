#include "ClientStack.h"

#include "KeychainKeySource.h"

ClientStack::ClientStack(const Options &options)
    : m_keys(std::make_shared<KeychainKeySource>())
    , m_provider(std::make_unique<ProviderClient>(m_keys))
{
    ThrottledClient::Settings limits;
    limits.initialLimit = qMax(1, options.concurrency);
    limits.maxLimit = limits.initialLimit;
    m_throttle = std::make_unique<ThrottledClient>(m_provider.get(), limits);
    m_top = m_throttle.get();
    if (options.useCache) {
        m_cache = std::make_unique<CachingClient>(m_throttle.get(), options.projectPath);
        m_top = m_cache.get();
    }
}

ClientStack::~ClientStack() = default;

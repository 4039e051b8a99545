#include "KeychainKeySource.h"

#include "KeychainJobs.h"

#include <QMutexLocker>

using namespace Qt::StringLiterals;

namespace {

// An account nobody stores a key under: reading it tells whether the keychain answers.
const QString kProbeAccount = u"textgrad-workbench-availability-probe"_s;

QString failureText(const KeychainJobs::Result &result, const QString &what)
{
    QString text = u"could not "_s + what + u" in the system keychain"_s;
    switch (result.status) {
    case KeychainJobs::Status::Unavailable:
        text += u": no keychain service is available in this session"_s;
        break;
    case KeychainJobs::Status::Denied:
        text += u": access was denied"_s;
        break;
    case KeychainJobs::Status::Ok:
    case KeychainJobs::Status::NotFound:
    case KeychainJobs::Status::Failed:
        break;
    }
    if (!result.message.isEmpty())
        text += u" ("_s + result.message + u")"_s;
    return text;
}

} // namespace

QString KeychainKeySource::defaultService()
{
    return u"textgrad-workbench"_s;
}

KeychainKeySource::KeychainKeySource(QProcessEnvironment environment, QString service, int timeoutMs)
    : m_environment(std::move(environment))
    , m_service(std::move(service))
    , m_timeoutMs(timeoutMs)
{
}

QString KeychainKeySource::key(const QString &variable) const
{
    if (variable.isEmpty())
        return {};
    const QString fromEnvironment = m_environment.value(variable).trimmed();
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    QMutexLocker lock(&m_mutex);
    return keychainKey(variable);
}

QString KeychainKeySource::keychainKey(const QString &variable) const
{
    const auto cached = m_cache.constFind(variable);
    if (cached != m_cache.cend())
        return *cached;
    if (!KeychainJobs::mayBeAvailable())
        return {};
    const KeychainJobs::Result result = KeychainJobs::read(m_service, variable, m_timeoutMs);
    switch (result.status) {
    case KeychainJobs::Status::Ok:
    case KeychainJobs::Status::NotFound:
    case KeychainJobs::Status::Denied:
        // An answer: remember it, so a refused or missing entry is not asked for (or prompted
        // for) again on every call.
        m_probed = true;
        m_available = true;
        m_cache.insert(variable, result.secret.trimmed());
        return result.secret.trimmed();
    case KeychainJobs::Status::Unavailable:
    case KeychainJobs::Status::Failed:
        m_probed = true;
        m_available = false;
        break;
    }
    return {};
}

QString KeychainKeySource::describe(const QString &variable) const
{
    const QString environmentText = u"the environment variable "_s + variable;
    if (!m_environment.value(variable).trimmed().isEmpty())
        return environmentText;
    const QString keychainText = u"the system keychain entry "_s + variable + u" (service "_s + m_service + u")"_s;
    if (!key(variable).isEmpty())
        return keychainText;
    if (isAvailable())
        return environmentText + u" or "_s + keychainText;
    return environmentText + u" (no system keychain is available)"_s;
}

bool KeychainKeySource::storeKey(const QString &variable, const QString &key, QString *error)
{
    const QString trimmed = key.trimmed();
    if (variable.isEmpty() || trimmed.isEmpty()) {
        if (error)
            *error = u"a key and the name of its variable are both needed"_s;
        return false;
    }
    QMutexLocker lock(&m_mutex);
    const KeychainJobs::Result result = KeychainJobs::write(m_service, variable, trimmed, m_timeoutMs);
    if (result.status != KeychainJobs::Status::Ok) {
        if (error)
            *error = failureText(result, u"save the key for "_s + variable);
        return false;
    }
    m_probed = true;
    m_available = true;
    m_cache.insert(variable, trimmed);
    return true;
}

bool KeychainKeySource::removeKey(const QString &variable, QString *error)
{
    QMutexLocker lock(&m_mutex);
    const KeychainJobs::Result result = KeychainJobs::remove(m_service, variable, m_timeoutMs);
    if (result.status != KeychainJobs::Status::Ok && result.status != KeychainJobs::Status::NotFound) {
        if (error)
            *error = failureText(result, u"remove the key for "_s + variable);
        return false;
    }
    m_probed = true;
    m_available = true;
    m_cache.insert(variable, QString());
    return true;
}

bool KeychainKeySource::isAvailable() const
{
    QMutexLocker lock(&m_mutex);
    if (!KeychainJobs::mayBeAvailable())
        return false;
    if (!m_probed) {
        const KeychainJobs::Status status = KeychainJobs::read(m_service, kProbeAccount, m_timeoutMs).status;
        m_probed = true;
        m_available = status == KeychainJobs::Status::Ok || status == KeychainJobs::Status::NotFound
                || status == KeychainJobs::Status::Denied;
    }
    return m_available && KeychainJobs::mayBeAvailable();
}

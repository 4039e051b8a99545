#pragma once

#include "providers/KeySource.h"

#include <QHash>
#include <QMutex>
#include <QProcessEnvironment>
#include <QString>

// API keys from the conventional environment variables first, then from the system keychain
// (Secret Service / KWallet on Linux, Keychain on macOS, Credential Manager on Windows) through
// QtKeychain: service "textgrad-workbench", account = the variable's name ("OPENAI_API_KEY").
//
// Where no keychain service runs (CI, a headless box, no D-Bus session) the first lookup gives
// up within the timeout and every later one answers "no key" at once, without messages.
// Keys read from the keychain are kept in memory for the life of this object so worker threads
// do not queue on the keychain for every call. Keys are only ever returned to the caller:
// describe() and error texts name the variable and the place, never the value.
// Thread-safe: lookups come from worker threads; store/remove from the settings UI.
class KeychainKeySource : public KeySource
{
public:
    static QString defaultService();     // "textgrad-workbench"
    static constexpr int kDefaultTimeoutMs = 2500;

    explicit KeychainKeySource(QProcessEnvironment environment = QProcessEnvironment::systemEnvironment(),
                               QString service = defaultService(), int timeoutMs = kDefaultTimeoutMs);

    // The environment variable's value when set, else the keychain entry; empty when neither.
    QString key(const QString &variable) const override;
    // "the environment variable X", "the system keychain entry X (service ...)", or both places
    // when neither holds a key; never the key.
    QString describe(const QString &variable) const override;

    // Saves a key in the keychain for this variable (the workbench's settings). On failure,
    // returns false and says why in *error (without the key).
    bool storeKey(const QString &variable, const QString &key, QString *error = nullptr);
    // Deletes the keychain entry; removing an entry that does not exist succeeds.
    bool removeKey(const QString &variable, QString *error = nullptr);

    // Whether a keychain service answers in this session (asks it once when nobody has yet).
    bool isAvailable() const;
    QString service() const { return m_service; }

private:
    QString keychainKey(const QString &variable) const;   // m_mutex held

    const QProcessEnvironment m_environment;
    const QString m_service;
    const int m_timeoutMs;
    mutable QMutex m_mutex;                 // one keychain lookup at a time; guards the cache
    mutable QHash<QString, QString> m_cache;   // variable -> key from the keychain ("" = none)
    mutable bool m_probed = false;
    mutable bool m_available = false;
};

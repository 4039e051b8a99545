#pragma once

#include <QString>

// Runs QtKeychain jobs for any thread and waits for them, with a deadline.
//
// QtKeychain jobs are asynchronous and queue through one process-wide executor object that
// belongs to the thread which first used it; a job started from another thread, or after that
// thread ended, would never be seen finishing. So every job runs on one keychain thread that
// lives as long as the application (stopped from QCoreApplication's destructor), and callers
// block on a wait condition, never on a nested event loop (the GUI thread may call store()).
//
// A keychain that fails to answer (no D-Bus session, no Secret Service, a locked keyring
// prompting for longer than the deadline) is marked unavailable for the rest of the process,
// so later calls return at once instead of waiting again on every worker thread.
// Thread-safe; calls are serialized.
class KeychainJobs
{
public:
    enum class Status {
        Ok,
        NotFound,       // the keychain answered: no such entry
        Denied,         // the keychain answered: access refused (by the user or a policy)
        Unavailable,    // no keychain service (now, or since an earlier failure)
        Failed          // any other error from the keychain
    };

    struct Result
    {
        Status status = Status::Unavailable;
        QString secret;     // read() only
        QString message;    // QtKeychain's explanation on failure; never contains a secret
    };

    static Result read(const QString &service, const QString &account, int timeoutMs);
    static Result write(const QString &service, const QString &account, const QString &secret, int timeoutMs);
    static Result remove(const QString &service, const QString &account, int timeoutMs);

    // False once a keychain call failed to reach a keychain service in this process.
    static bool mayBeAvailable();
};

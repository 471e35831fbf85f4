#include "backup/keyring.h"

#include <qt6keychain/keychain.h>

#include <QThread>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>

namespace Shivx::Backup {

namespace {

const QString Service = QStringLiteral("shivx-backup");

struct Outcome
{
    QKeychain::Error error = QKeychain::OtherError;
    QString errorString;
    QByteArray data;
};

// QtKeychain's jobs finish through their thread's event loop (D-Bus replies, libsecret's GLib
// callbacks). The engine asks from executor threads, which run no event loop, and a job that
// outlives a timed-out caller must still have a live thread to finish on: every job runs on
// this one thread, which lives until the process exits.
class KeyringThread
{
public:
    static KeyringThread &instance()
    {
        static KeyringThread t;
        return t;
    }

    // Starts the job that `make` creates on the keyring thread and waits for its end.
    std::optional<Outcome> run(std::function<QKeychain::Job *()> make)
    {
        auto promise = std::make_shared<std::promise<Outcome>>();
        std::future<Outcome> future = promise->get_future();
        QMetaObject::invokeMethod(m_context.get(), [make, promise] {
            QKeychain::Job *job = make();
            job->setInsecureFallback(false);
            job->setAutoDelete(true);
            QObject::connect(job, &QKeychain::Job::finished, [promise](QKeychain::Job *j) {
                Outcome o { j->error(), j->errorString(), {} };
                if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(j))
                    o.data = read->binaryData();
                promise->set_value(o);
            });
            job->start();
        });
        if (future.wait_for(std::chrono::seconds(10)) != std::future_status::ready)
            return std::nullopt;
        return future.get();
    }

private:
    KeyringThread()
    {
        m_thread.setObjectName(QStringLiteral("shivx-keyring"));
        m_context = std::make_unique<QObject>();
        m_context->moveToThread(&m_thread);
        m_thread.start();
    }
    ~KeyringThread()
    {
        m_context.release()->deleteLater(); // a finishing thread still runs deferred deletes
        m_thread.quit();
        m_thread.wait();
    }

    QThread m_thread;
    std::unique_ptr<QObject> m_context;
};

Error jobError(const std::optional<Outcome> &o, const QString &account, const QString &what)
{
    if (!o)
        return makeError("backup.keyring_unavailable",
            QStringLiteral("the desktop keyring did not answer within 10 s (%1)").arg(what));
    switch (o->error) {
    case QKeychain::EntryNotFound:
        return makeError("backup.keyring_missing",
            QStringLiteral("the desktop keyring has no entry %1 under service %2 (%3)")
                .arg(account, Service, what));
    case QKeychain::NoBackendAvailable:
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return makeError("backup.keyring_unavailable",
            QStringLiteral("no unlocked desktop keyring (Secret Service on the session bus): "
                           "%1 (%2)")
                .arg(o->errorString, what));
    default:
        return makeError(
            "backup.keyring", QStringLiteral("desktop keyring: %1 (%2)").arg(o->errorString, what));
    }
}

} // namespace

Result<QByteArray> Keyring::read(const QString &account)
{
    const auto o = KeyringThread::instance().run([account] {
        auto *job = new QKeychain::ReadPasswordJob(Service);
        job->setKey(account);
        return job;
    });
    if (!o || o->error != QKeychain::NoError)
        return jobError(o, account, QStringLiteral("reading %1").arg(account));
    return o->data;
}

Result<void> Keyring::write(const QString &account, const QByteArray &secret)
{
    const auto o = KeyringThread::instance().run([account, secret] {
        auto *job = new QKeychain::WritePasswordJob(Service);
        job->setKey(account);
        job->setBinaryData(secret);
        return job;
    });
    if (!o || o->error != QKeychain::NoError)
        return jobError(o, account, QStringLiteral("storing %1").arg(account));
    return {};
}

Result<void> Keyring::check()
{
    const auto r = read(QStringLiteral("availability-check"));
    if (r || r.error().code == QLatin1String("backup.keyring_missing"))
        return {};
    if (r.error().code == QLatin1String("backup.keyring_unavailable"))
        return r.error();
    return makeError("backup.keyring_unavailable",
        QStringLiteral("no desktop keyring answers on the session bus: %1").arg(r.error().message));
}

Result<void> Keyring::remove(const QString &account)
{
    const auto o = KeyringThread::instance().run([account] {
        auto *job = new QKeychain::DeletePasswordJob(Service);
        job->setKey(account);
        return job;
    });
    if (o && o->error == QKeychain::EntryNotFound)
        return {};
    if (!o || o->error != QKeychain::NoError)
        return jobError(o, account, QStringLiteral("removing %1").arg(account));
    return {};
}

} // namespace Shivx::Backup

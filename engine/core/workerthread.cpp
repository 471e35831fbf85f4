#include "core/workerthread.h"

#include <QCoreApplication>

#include <openssl/crypto.h>

namespace Shivx {

WorkerThread::WorkerThread(const char *name, QObject *worker)
{
    setObjectName(QString::fromLatin1(name));
    adopt(worker);
}

WorkerThread::~WorkerThread()
{
    if (!m_ran.load(std::memory_order_acquire))
        qDeleteAll(m_workers);
}

void WorkerThread::adopt(QObject *worker)
{
    worker->moveToThread(this);
    m_workers.append(worker);
}

void WorkerThread::run()
{
    exec();
    // The workers' destructors may still use OpenSSL (a key, a socket), and so may what they
    // deleteLater()'d: both go before the thread's OpenSSL state is released.
    qDeleteAll(m_workers);
    m_workers.clear();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    OPENSSL_thread_stop();
    m_ran.store(true, std::memory_order_release);
}

} // namespace Shivx

#pragma once

#include <QList>
#include <QThread>

#include <atomic>

namespace Shivx {

// The thread of one or more engine services, named for `ps -L` and gdb. Owns the workers
// moved onto it. When its event loop ends (quit()), it deletes them on itself, then releases
// the OpenSSL state the thread created (error queue, DRBGs); both happen before wait() returns.
//
// Why not QThread::finished -> deleteLater and OpenSSL's own cleanup: Qt runs a QThread as a
// detached pthread, and OpenSSL frees a thread's state in a pthread key destructor that runs
// only after the thread has woken wait(). When main() returns right after stopping the engine
// (`shivx serve`), exit() runs OPENSSL_cleanup, which deletes that key while the thread is
// still exiting; its state is then never freed (LeakSanitizer: ~7.6 KB from CRYPTO_zalloc,
// the error queue and private DRBG of the audit thread that generated the checkpoint key).
// The project's executables also call initOpenSslForProcess(), which covers the threads the
// engine does not own; this class keeps the engine's threads clean in any host process.
class WorkerThread : public QThread
{
public:
    // Moves `worker` (which has no parent) onto the new thread. Create and start on the
    // thread that will quit(), wait() for and delete it.
    WorkerThread(const char *name, QObject *worker);
    // Deletes the workers of a thread that never ran; destroy only after wait().
    ~WorkerThread() override;

    // Moves one more parentless worker onto the thread, before start(). Workers are deleted
    // in the order they were given.
    void adopt(QObject *worker);

protected:
    void run() override;

private:
    QList<QObject *> m_workers; // written before start(), then only by run()
    // Set (release) by run() once the workers are gone, read (acquire) by the destructor. Also
    // the hand-over ThreadSanitizer can see: QThread::wait() orders it inside uninstrumented Qt.
    std::atomic<bool> m_ran { false };
};

} // namespace Shivx

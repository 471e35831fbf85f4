#pragma once

#include <QMetaObject>
#include <QObject>
#include <QThread>

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

namespace Shivx {

namespace Internal {
// The wait of a blocking queued call happens inside Qt, which is not built with
// ThreadSanitizer: these tell it about the hand-over both ways. No-ops in other builds.
inline void tsanRelease([[maybe_unused]] void *sync)
{
#if defined(__SANITIZE_THREAD__)
    __tsan_release(sync);
#endif
}
inline void tsanAcquire([[maybe_unused]] void *sync)
{
#if defined(__SANITIZE_THREAD__)
    __tsan_acquire(sync);
#endif
}
} // namespace Internal

// Runs `fn` on `object`'s thread and waits for it to return: directly on that thread; false,
// without running it, when that thread does not run (waiting would never end) or the call
// could not be queued. `fn` may read and write the caller's stack: the caller waits. Under
// ThreadSanitizer the hand-over is annotated, so that those accesses are not reported as races
// with whatever the caller's stack holds later (seen in tst_drruns_serve's TSan run).
template <class Fn> bool callOnThread(QObject *object, Fn &&fn)
{
    QThread *thread = object ? object->thread() : nullptr;
    if (thread && thread == QThread::currentThread()) {
        fn();
        return true;
    }
    if (!thread || !thread->isRunning())
        return false;
    char sync = 0;
    Internal::tsanRelease(&sync);
    const bool ran = QMetaObject::invokeMethod(
        object,
        [&] {
            Internal::tsanAcquire(&sync);
            fn();
            Internal::tsanRelease(&sync);
        },
        Qt::BlockingQueuedConnection);
    Internal::tsanAcquire(&sync);
    return ran;
}

} // namespace Shivx

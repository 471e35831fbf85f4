#pragma once

#include <QMetaObject>
#include <QObject>
#include <QThread>

#include <condition_variable>
#include <memory>
#include <mutex>

namespace Shivx {

// Runs `fn` on `object`'s thread and waits for it to return: directly on that thread; false,
// without running it, when that thread does not run (waiting would never end) or the call
// could not be queued or was dropped unrun (its thread ended first). `fn` may read and write
// the caller's stack: the caller waits.
//
// Not Qt::BlockingQueuedConnection: there Qt's code on the other thread still reads the
// caller's stack after `fn` has returned (the call's argument array), with nothing that
// ThreadSanitizer can see ordering that read before the caller's later use of the same stack
// (tst_drruns_serve's TSan run). Here the call is queued with everything it needs on the
// heap, and the hand-over back is a std::mutex, which the sanitizer understands.
template <class Fn> bool callOnThread(QObject *object, Fn &&fn)
{
    QThread *thread = object ? object->thread() : nullptr;
    if (thread && thread == QThread::currentThread()) {
        fn();
        return true;
    }
    if (!thread || !thread->isRunning())
        return false;
    struct HandOver
    {
        std::mutex mutex;
        std::condition_variable ended;
        bool done = false;
        bool ran = false;
    };
    const auto handOver = std::make_shared<HandOver>();
    // Released when the queued call has run, or when Qt drops it unrun: either ends the wait.
    std::shared_ptr<void> whenGone(nullptr, [handOver](void *) {
        {
            std::lock_guard<std::mutex> lock(handOver->mutex);
            handOver->done = true;
        }
        handOver->ended.notify_all();
    });
    const bool queued = QMetaObject::invokeMethod(
        object,
        [&fn, handOver, whenGone]() mutable {
            fn();
            {
                std::lock_guard<std::mutex> lock(handOver->mutex);
                handOver->ran = true;
            }
            whenGone.reset();
        },
        Qt::QueuedConnection);
    whenGone.reset();
    std::unique_lock<std::mutex> lock(handOver->mutex);
    handOver->ended.wait(lock, [&] { return handOver->done; });
    return queued && handOver->ran;
}

} // namespace Shivx

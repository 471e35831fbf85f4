#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

namespace Shivx::Backup::Internal {

// A queue bounded by the bytes it holds (`weight` of each item), between the thread that
// reads and the threads that compress and encrypt: the reader blocks when the workers fall
// behind, so memory stays at about `capacity` whatever the size of the backup. An item
// heavier than the capacity is admitted alone. Thread-safe.
template <class T> class JobQueue
{
public:
    explicit JobQueue(std::size_t capacity)
        : m_capacity(capacity)
    {
    }

    // Blocks while full; false when the queue was aborted.
    bool push(T item, std::size_t weight)
    {
        std::unique_lock lock(m_mutex);
        m_notFull.wait(
            lock, [&] { return m_aborted || m_items.empty() || m_bytes + weight <= m_capacity; });
        if (m_aborted)
            return false;
        m_bytes += weight;
        m_items.emplace_back(std::move(item), weight);
        m_notEmpty.notify_one();
        return true;
    }

    // Blocks while empty; false once closed and drained, or aborted.
    bool pop(T *out)
    {
        std::unique_lock lock(m_mutex);
        m_notEmpty.wait(lock, [&] { return m_aborted || m_closed || !m_items.empty(); });
        if (m_aborted || m_items.empty())
            return false;
        *out = std::move(m_items.front().first);
        m_bytes -= m_items.front().second;
        m_items.pop_front();
        m_notFull.notify_all();
        return true;
    }

    // No more items will come; pop() drains what is there.
    void close()
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_notEmpty.notify_all();
    }

    // Drop everything and wake every waiter (an error or a cancel).
    void abort()
    {
        std::lock_guard lock(m_mutex);
        m_aborted = true;
        m_items.clear();
        m_bytes = 0;
        m_notEmpty.notify_all();
        m_notFull.notify_all();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_notFull;
    std::condition_variable m_notEmpty;
    std::deque<std::pair<T, std::size_t>> m_items;
    std::size_t m_bytes = 0;
    std::size_t m_capacity;
    bool m_closed = false;
    bool m_aborted = false;
};

} // namespace Shivx::Backup::Internal

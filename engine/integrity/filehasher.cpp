#include "integrity/filehasher.h"

#include <openssl/evp.h>

#include <QElapsedTimer>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <mutex>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace Shivx {

namespace {

constexpr qint64 BufferBytes = 1 << 20;

// Sleeps so that the thread's busy time stays within the CPU share and all threads together
// within the read rate. The rate is shared: each thread paces itself at rate / threads.
class Pacer
{
public:
    Pacer(HashBudget *budget, int threads)
        : m_budget(budget)
        , m_threads(threads)
    {
        m_clock.start();
    }

    // Sleeps until the budget allows the next read, in slices of at most 100 ms so that a
    // cancel is seen quickly.
    void account(qint64 bytes, qint64 busyNs, const std::atomic_bool *cancel)
    {
        if (!m_budget)
            return;
        m_busyNs += busyNs;
        m_bytes += bytes;
        const int cpu = qBound(1, m_budget->cpuPercent.load(std::memory_order_relaxed), 100);
        const qint64 rate = m_budget->readBytesPerSecond.load(std::memory_order_relaxed);
        qint64 wantNs = cpu < 100 ? m_busyNs * 100 / cpu : 0;
        if (rate > 0)
            wantNs = qMax(wantNs, qint64(double(m_bytes) * m_threads * 1e9 / double(rate)));
        for (qint64 sleepNs = wantNs - m_clock.nsecsElapsed(); sleepNs > 0;
             sleepNs = wantNs - m_clock.nsecsElapsed()) {
            if (cancel && cancel->load(std::memory_order_relaxed))
                return;
            std::this_thread::sleep_for(
                std::chrono::nanoseconds(qMin<qint64>(sleepNs, 100'000'000)));
        }
        // Forget the distant past so that a budget that loosens applies at once.
        if (m_clock.nsecsElapsed() > 2'000'000'000) {
            m_clock.restart();
            m_busyNs = 0;
            m_bytes = 0;
        }
    }

private:
    HashBudget *m_budget;
    int m_threads;
    QElapsedTimer m_clock;
    qint64 m_busyNs = 0;
    qint64 m_bytes = 0;
};

struct Digest
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    ~Digest() { EVP_MD_CTX_free(ctx); }
};

QString errnoText(int e)
{
    return QString::fromLocal8Bit(std::strerror(e));
}

void fillFromStat(const struct stat &st, FileState *f)
{
    f->size = qint64(st.st_size);
    f->mode = quint32(st.st_mode);
    f->uid = quint32(st.st_uid);
    f->gid = quint32(st.st_gid);
    f->inode = quint64(st.st_ino);
    f->mtimeNs = qint64(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    f->ctimeNs = qint64(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
}

// Hashes one file with `buffer`; returns the bytes read.
qint64 hashFile(FileState *f, Digest &d, char *buffer, const std::atomic_bool *cancel, Pacer *pacer,
    HashProgress *progress)
{
    f->sha256.clear();
    f->error.clear();
    const QByteArray path = f->path.toUtf8();
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdLen = 0;
    if (f->kind == FileState::Kind::Symlink) {
        const ssize_t n = ::readlink(path.constData(), buffer, BufferBytes);
        if (n < 0) {
            f->error = errnoText(errno);
            return 0;
        }
        EVP_DigestInit_ex(d.ctx, EVP_sha256(), nullptr);
        EVP_DigestUpdate(d.ctx, buffer, size_t(n));
        EVP_DigestFinal_ex(d.ctx, md, &mdLen);
        f->sha256 = QByteArray(reinterpret_cast<const char *>(md), int(mdLen));
        return 0;
    }
    if (f->kind != FileState::Kind::Regular)
        return 0;
    // O_NOATIME spares an inode write per file; it needs ownership (or root), so fall back.
    int fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOATIME);
    if (fd < 0 && errno == EPERM)
        fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        f->error = errnoText(errno);
        return 0;
    }
    struct stat st;
    if (::fstat(fd, &st) == 0)
        fillFromStat(st, f);
    if (f->size > BufferBytes)
        ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    EVP_DigestInit_ex(d.ctx, EVP_sha256(), nullptr);
    qint64 total = 0;
    QElapsedTimer busy;
    // Reads the size fstat gave, not to EOF: a small file is then one read instead of two,
    // and the hash covers exactly the bytes the recorded size says (a file growing meanwhile
    // is hashed as it was when opened; its ctime tells the next check).
    qint64 left = f->size;
    for (;;) {
        busy.start();
        if (left <= 0)
            break;
        const ssize_t n = ::read(fd, buffer, size_t(qMin(left, BufferBytes)));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            f->error = errnoText(errno);
            ::close(fd);
            return total;
        }
        if (n == 0)
            break;
        EVP_DigestUpdate(d.ctx, buffer, size_t(n));
        total += n;
        left -= n;
        if (progress)
            progress->bytesDone.fetch_add(n, std::memory_order_relaxed);
        if (pacer)
            pacer->account(n, busy.nsecsElapsed(), cancel);
        if (cancel && cancel->load(std::memory_order_relaxed)) {
            ::close(fd);
            return total;
        }
    }
    ::close(fd);
    if (left > 0)
        f->size = total; // it shrank while being read: record what was hashed
    EVP_DigestFinal_ex(d.ctx, md, &mdLen);
    f->sha256 = QByteArray(reinterpret_cast<const char *>(md), int(mdLen));
    return total;
}

} // namespace

bool FileHasher::hash(QList<FileState *> files, int threads, const std::atomic_bool *cancel,
    HashBudget *budget, HashProgress *progress, const std::function<void()> &tick)
{
    threads = qBound(1, threads, 64);
    std::atomic<qsizetype> next { 0 };
    std::atomic<int> running { threads };
    std::mutex mutex;
    std::condition_variable done;
    auto work = [&] {
        Digest d;
        std::unique_ptr<char[]> buffer(new char[BufferBytes]);
        Pacer pacer(budget, threads);
        for (;;) {
            if (cancel && cancel->load(std::memory_order_relaxed))
                break;
            const qsizetype i = next.fetch_add(1, std::memory_order_relaxed);
            if (i >= files.size())
                break;
            // at(), never operator[]: a non-const access would detach the shared list, and
            // two threads detaching it at once is a data race (TSan found it).
            hashFile(files.at(i), d, buffer.get(), cancel, budget ? &pacer : nullptr, progress);
            if (progress)
                progress->filesDone.fetch_add(1, std::memory_order_relaxed);
        }
        std::lock_guard<std::mutex> lock(mutex);
        if (--running == 0)
            done.notify_all();
    };
    std::vector<std::thread> pool;
    pool.reserve(size_t(threads));
    for (int t = 0; t < threads; ++t)
        pool.emplace_back(work);
    {
        std::unique_lock<std::mutex> lock(mutex);
        while (!done.wait_for(lock, std::chrono::milliseconds(100), [&] { return running == 0; })) {
            if (tick) {
                lock.unlock();
                tick();
                lock.lock();
            }
        }
    }
    for (std::thread &t : pool)
        t.join();
    return !(cancel && cancel->load());
}

void FileHasher::hashOne(FileState *file)
{
    Digest d;
    std::unique_ptr<char[]> buffer(new char[BufferBytes]);
    hashFile(file, d, buffer.get(), nullptr, nullptr, nullptr);
}

} // namespace Shivx

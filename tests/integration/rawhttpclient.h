#pragma once

// A client that speaks HTTP/1.1 byte by byte over a plain blocking POSIX socket, for tests
// that must send what no well-behaved client library would (half a request, a body the
// server refuses, thousands of idle connections) and see exactly what comes back. No Qt
// event loop: it can run beside a server on another thread or in another process.

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>

#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ShivxTest {

// One answer as it came over the wire; status 0 when none came.
struct RawResponse
{
    int status = 0;
    QByteArray head; // status line and headers
    QByteArray body;

    QByteArray header(const QByteArray &name) const
    {
        for (const QByteArray &line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }
};

class RawClient
{
public:
    // Connects to host:port (IPv4 or IPv6 literal) within `timeoutMs`.
    explicit RawClient(quint16 port, const char *host = "127.0.0.1", int timeoutMs = 5000)
    {
        const bool v6 = QByteArray(host).contains(':');
        m_fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (m_fd < 0)
            return;
        int rc;
        if (v6) {
            sockaddr_in6 a {};
            a.sin6_family = AF_INET6;
            a.sin6_port = htons(port);
            ::inet_pton(AF_INET6, host, &a.sin6_addr);
            rc = ::connect(m_fd, reinterpret_cast<sockaddr *>(&a), sizeof a);
        } else {
            sockaddr_in a {};
            a.sin_family = AF_INET;
            a.sin_port = htons(port);
            ::inet_pton(AF_INET, host, &a.sin_addr);
            rc = ::connect(m_fd, reinterpret_cast<sockaddr *>(&a), sizeof a);
        }
        if (rc != 0 && errno == EINPROGRESS && waitFor(POLLOUT, timeoutMs)) {
            int error = 0;
            socklen_t len = sizeof error;
            ::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &len);
            rc = error == 0 ? 0 : -1;
        }
        if (rc != 0)
            close();
    }
    ~RawClient() { close(); }
    RawClient(const RawClient &) = delete;
    RawClient &operator=(const RawClient &) = delete;

    bool connected() const { return m_fd >= 0; }
    void close()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }

    // Sends every byte, waiting up to `timeoutMs` whenever the peer is not reading. False
    // when the peer closed or reset the connection or stopped reading for that long.
    bool send(const QByteArray &bytes, int timeoutMs = 5000)
    {
        qsizetype done = 0;
        while (done < bytes.size()) {
            const ssize_t n
                = ::send(m_fd, bytes.constData() + done, size_t(bytes.size() - done), MSG_NOSIGNAL);
            if (n > 0) {
                done += n;
                continue;
            }
            if (n < 0 && errno == EAGAIN && waitFor(POLLOUT, timeoutMs))
                continue;
            return false;
        }
        return true;
    }

    // True when an answer (or the close) is waiting to be read.
    bool readable(int timeoutMs = 0) { return !m_in.isEmpty() || waitFor(POLLIN, timeoutMs); }

    // Reads one answer: the head, then Content-Length bytes of body (none for a HEAD request
    // when `headRequest` is set). Empty when none is complete within `timeoutMs`.
    RawResponse readResponse(int timeoutMs = 5000, bool headRequest = false)
    {
        QElapsedTimer t;
        t.start();
        RawResponse r;
        qsizetype end = -1;
        while ((end = m_in.indexOf("\r\n\r\n")) < 0) {
            if (!fill(timeoutMs - int(t.elapsed())))
                return r;
        }
        const QByteArray head = m_in.left(end);
        const qsizetype sp = head.indexOf(' ');
        RawResponse parsed;
        parsed.head = head;
        parsed.status = sp > 0 ? head.mid(sp + 1, 3).toInt() : 0;
        const qint64 length = headRequest ? 0 : parsed.header("Content-Length").toLongLong();
        while (m_in.size() < end + 4 + length) {
            if (!fill(timeoutMs - int(t.elapsed())))
                return r;
        }
        parsed.body = m_in.mid(end + 4, length);
        m_in.remove(0, end + 4 + length);
        return parsed;
    }

    // True once the server has closed the connection (EOF or reset) within `timeoutMs`.
    // What arrived unread before the close goes to `*rest` if given.
    bool waitClosed(int timeoutMs, QByteArray *rest = nullptr)
    {
        QElapsedTimer t;
        t.start();
        if (rest)
            *rest = m_in;
        m_in.clear();
        while (t.elapsed() < timeoutMs) {
            if (!waitFor(POLLIN, timeoutMs - int(t.elapsed())))
                return false;
            char buf[65536];
            const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n > 0 && rest)
                rest->append(buf, n);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
                return true;
        }
        return false;
    }

    int fd() const { return m_fd; }

private:
    bool waitFor(short events, int timeoutMs)
    {
        if (m_fd < 0)
            return false;
        pollfd p { m_fd, events, 0 };
        return ::poll(&p, 1, qMax(0, timeoutMs)) > 0;
    }
    // Reads what is there within `timeoutMs`; false on timeout, EOF or error.
    bool fill(int timeoutMs)
    {
        if (!waitFor(POLLIN, timeoutMs))
            return false;
        char buf[65536];
        const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
        if (n <= 0)
            return n < 0 && errno == EAGAIN;
        m_in.append(buf, n);
        return true;
    }

    int m_fd = -1;
    QByteArray m_in;
};

// Raises this process's soft RLIMIT_NOFILE to at least `wanted` (up to the hard limit).
// Returns the soft limit in effect.
inline qint64 raiseOpenFileLimit(qint64 wanted)
{
    rlimit l {};
    ::getrlimit(RLIMIT_NOFILE, &l);
    if (qint64(l.rlim_cur) < wanted) {
        l.rlim_cur = rlim_t(qMin<qint64>(wanted, qint64(l.rlim_max)));
        ::setrlimit(RLIMIT_NOFILE, &l);
        ::getrlimit(RLIMIT_NOFILE, &l);
    }
    return qint64(l.rlim_cur);
}

} // namespace ShivxTest

// How the RequestGate accepts connections: on its own duplicate of the listening socket,
// within a cap, and through EMFILE without a busy loop (see RequestGate::open()).

#include "api/requestgate_p.h"

#include <QSocketNotifier>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Shivx {

bool RequestGate::open(const QHostAddress &address, quint16 port)
{
    if (!listen(address, port))
        return false;
    // Qt's own accept stays paused for good: its socket engine keeps the first error it ever
    // saw, so once an accept has returned EAGAIN (the end of every burst) a later EMFILE
    // reads as "temporary" and QTcpServer retries at once, forever, at 100% CPU. The gate
    // accepts on a duplicate of the listening descriptor instead, which also stays valid
    // for its notifier when QTcpServer::close() closes the original.
    pauseAccepting();
    m_listenFd = ::fcntl(int(socketDescriptor()), F_DUPFD_CLOEXEC, 0);
    if (m_listenFd < 0) {
        qCCritical(lcGate, "cannot duplicate the listening socket: %s", ::strerror(errno));
        close();
        return false;
    }
    m_acceptNotifier = new QSocketNotifier(m_listenFd, QSocketNotifier::Read, this);
    connect(m_acceptNotifier, &QSocketNotifier::activated, this, &RequestGate::acceptReady);
    return true;
}

void RequestGate::stopAccepting()
{
    delete m_acceptNotifier;
    m_acceptNotifier = nullptr;
    if (m_listenFd >= 0)
        ::close(m_listenFd);
    m_listenFd = -1;
}

void RequestGate::acceptReady()
{
    if (!isListening()) {
        stopAccepting(); // QTcpServer::close() was called: stop listening for good
        return;
    }
    // A bounded batch per wake-up, so that a flood of connections cannot starve the
    // requests on those already open; the notifier fires again while more are waiting.
    for (int i = 0; i < 64; ++i) {
        const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0) {
            incomingConnection(fd);
            continue;
        }
        switch (errno) {
        case EAGAIN:
            return;
        case EINTR:
        case ECONNABORTED:
        case EPROTO:
        case ENETDOWN:
        case ENOPROTOOPT:
        case EHOSTDOWN:
        case ENONET:
        case EHOSTUNREACH:
        case EOPNOTSUPP:
        case ENETUNREACH:
            continue; // that connection failed before it was accepted (accept(2))
        case EMFILE:
        case ENFILE:
        case ENOBUFS:
        case ENOMEM:
            outOfResources(errno);
            return;
        default:
            qCCritical(
                lcGate, "accept failed: %s; no longer accepting connections", ::strerror(errno));
            stopAccepting();
            return;
        }
    }
}

int RequestGate::connectionCap() const
{
    // Leave a quarter of the descriptors to the rest of the engine (database, audit files,
    // probes, supervised processes): connections must not starve them into EMFILE.
    rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return m_limits.maxConnections;
    const qint64 usable = qint64(limit.rlim_cur) - qint64(limit.rlim_cur) / 4;
    return int(qBound(qint64(1), usable, qint64(m_limits.maxConnections)));
}

void RequestGate::incomingConnection(qintptr descriptor)
{
    if (qsizetype(m_connections.size()) >= connectionCap() && !evictLongestWaiting()) {
        refuse(descriptor);
        return;
    }
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        ::close(int(descriptor));
        delete socket;
        return;
    }
    // Bounds what one socket buffers; a whole admitted request always fits, the rest waits
    // in the kernel (TCP flow control slows the client down).
    socket->setReadBufferSize(m_readBufferSize);
    auto connection = std::make_unique<Connection>(socket, m_limits);
    const qint64 now = nowMs();
    connection->serial = ++m_accepted;
    connection->sinceMs = now;
    connection->deadlineMs = now + m_limits.headerTimeoutMs;
    m_connections.emplace(socket, std::move(connection));
    connect(socket, &QObject::destroyed, this, [this, socket] { m_connections.erase(socket); });

    // First our slot, then the server's (connected inside addPendingConnection, which emits
    // pendingConnectionAvailable to QAbstractHttpServer directly), then our second one.
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { beforeServer(socket); });
    m_server = parent();
    addPendingConnection(socket);
    if (hasPendingConnections()) {
        // The server did not take the socket synchronously (not Qt 6.4's behaviour): the
        // order of the slots, which the whole check relies on, would not hold. Fail closed.
        qCCritical(lcGate, "the HTTP server did not take a connection at once; closing it");
        nextPendingConnection();
        drop(socket);
        return;
    }
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { afterServer(socket); });
    if (!m_sweep->isActive())
        m_sweep->start();
}

bool RequestGate::evictLongestWaiting()
{
    // Only an open connection frees a descriptor; those already closing go by themselves.
    const Connection *oldest = nullptr;
    for (const auto &entry : m_connections) {
        const Connection *c = entry.second.get();
        if (c->phase != Connection::Phase::Closing
            && (!oldest || c->sinceMs < oldest->sinceMs
                || (c->sinceMs == oldest->sinceMs && c->serial < oldest->serial)))
            oldest = c;
    }
    if (!oldest)
        return false;
    drop(oldest->socket);
    return true;
}

void RequestGate::refuse(qintptr descriptor)
{
    // No QTcpSocket for a connection that is turned away; a best-effort answer, then close.
    Rejection r;
    r.status = 503;
    r.code = QStringLiteral("too_many_connections");
    r.message = QStringLiteral("%1 connections are open; try again").arg(m_connections.size());
    const QByteArray response = r.response();
    const int fd = int(descriptor);
    [[maybe_unused]] const ssize_t sent
        = ::send(fd, response.constData(), size_t(response.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::shutdown(fd, SHUT_WR);
    ::close(fd);
    count(503);
}

void RequestGate::outOfResources(int error)
{
    // Out of descriptors (EMFILE, ENFILE) or kernel memory: closing the connection that has
    // waited longest frees a descriptor at once; either way the notifier is off until the
    // retry, so there is no busy loop.
    ++m_acceptFailures;
    m_acceptNotifier->setEnabled(false);
    const bool freed = evictLongestWaiting();
    const qint64 now = nowMs();
    if (m_lastAcceptWarningMs < 0 || now - m_lastAcceptWarningMs >= 10'000) {
        qCWarning(lcGate, "accepting a connection failed (%s; %llu failures so far); %s",
            ::strerror(error), m_acceptFailures,
            freed ? "closed the connection that waited longest" : "retrying in 250 ms");
        m_lastAcceptWarningMs = now;
    }
    QTimer::singleShot(freed ? 0 : 250, this, [this] {
        if (m_acceptNotifier)
            m_acceptNotifier->setEnabled(true);
    });
}

} // namespace Shivx

#include "api/requestgate_p.h"

#include <sys/socket.h>

Q_LOGGING_CATEGORY(lcGate, "shivx.api.gate")

namespace Shivx {

namespace {

// A client that pipelines requests without reading the answers makes the server queue
// them in memory; past this much unsent answer the connection is dropped.
constexpr qint64 maxUnsentAnswerBytes = 8 * 1024 * 1024;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

} // namespace

QByteArray RequestGate::Rejection::response() const
{
    const QByteArray body = ApiReply::error(status, code, message).body;
    QByteArray r = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status)
        + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\nCache-Control: no-store\r\n";
    if (!allow.isEmpty())
        r += "Allow: " + allow + "\r\n";
    if (status == 503)
        r += "Retry-After: 1\r\n";
    r += "Connection: close\r\n\r\n";
    return headMethod ? r : r + body;
}

RequestGate::RequestGate(QObject *parent)
    : QTcpServer(parent)
{
    m_clock.start();
    // A child, so that it moves to the API thread with the gate.
    m_sweep = new QTimer(this);
    connect(m_sweep, &QTimer::timeout, this, &RequestGate::sweep);
    // Qt's default of 50 drops connections in a burst (a scrape of many engines at once, or
    // the thousands a test opens); the kernel caps it at net.core.somaxconn anyway.
    setListenBacklogSize(1024);
    setLimits({});
}

RequestGate::~RequestGate()
{
    // The sockets are children and go with QObject's destructor; their destroyed() must not
    // reach a half-destroyed gate.
    for (const auto &entry : m_connections)
        disconnect(entry.first, nullptr, this, nullptr);
    stopAccepting();
}

void RequestGate::setLimits(const RequestLimits &limits)
{
    m_limits = limits;
    const qint64 shortest = qMin(qMin(limits.headerTimeoutMs, limits.requestTimeoutMs),
        qMin(limits.idleTimeoutMs, limits.lingerMs));
    m_sweep->setInterval(int(qBound(qint64(10), shortest / 4, qint64(500))));
}

void RequestGate::setHostCheck(const HostCheck &check)
{
    m_hostCheck = check;
}

void RequestGate::setRouteLookup(RouteLookup lookup, qint64 largestBody)
{
    m_routes = std::move(lookup);
    m_readBufferSize = qMax<qint64>(256 * 1024, m_limits.maxHeadBytes + largestBody + 64 * 1024);
}

QHash<int, quint64> RequestGate::rejected() const
{
    QMutexLocker l(&m_mutex);
    return m_rejected;
}

void RequestGate::count(int status)
{
    QMutexLocker l(&m_mutex);
    ++m_rejected[status];
}

void RequestGate::beforeServer(QTcpSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    Connection &c = *it->second;
    if (c.phase == Connection::Phase::Closing) {
        socket->skip(socket->bytesAvailable());
        return;
    }
    const qint64 available = socket->bytesAvailable();
    const qint64 fresh = available - c.unreadAfterServer;
    if (fresh < 0) {
        // Only the server reads, and only between our two slots; anything else means the
        // stream positions are lost, and with them the request boundaries.
        qCCritical(lcGate, "bytes were read from a connection outside the gate; closing it");
        drop(socket);
        return;
    }
    if (fresh > 0 && !c.pending) {
        const QByteArray bytes = socket->peek(available);
        scan(c, QByteArrayView(bytes).sliced(c.unreadAfterServer));
        if (m_connections.find(socket) == m_connections.end())
            return; // handed to the upgrade taker
    }
    c.received += fresh;
    c.unreadAfterServer = available; // until the server has read
    if (c.pending)
        answerWhenServerCaughtUp(c);
}

void RequestGate::afterServer(QTcpSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    Connection &c = *it->second;
    if (c.phase == Connection::Phase::Closing)
        return;
    c.unreadAfterServer = socket->bytesAvailable();
    if (c.phase == Connection::Phase::Idle && c.unreadAfterServer == 0)
        c.deadlineMs = nowMs() + m_limits.idleTimeoutMs; // idle from the server's last answer
    if (socket->bytesToWrite() > maxUnsentAnswerBytes) {
        qCWarning(lcGate, "dropping a connection with %lld bytes of answers it does not read",
            socket->bytesToWrite());
        drop(socket);
        return;
    }
    if (c.pending)
        answerWhenServerCaughtUp(c);
}

void RequestGate::scan(Connection &c, QByteArrayView data)
{
    qint64 offset = c.received;
    while (!data.isEmpty()) {
        const qint64 now = nowMs();
        if (c.framer.idle()) {
            c.requestStart = offset;
            startRequest(c, now);
        }
        qsizetype used = 0;
        RequestFramer::Event event = c.framer.feed(data, &used);
        data = data.sliced(used);
        offset += used;
        if (event == RequestFramer::Event::Head) {
            Rejection r;
            r.headMethod = c.framer.head().method == "HEAD";
            if (!admit(c.framer.head(), &r)) {
                c.pending = r;
                return;
            }
            if (c.framer.head().upgradeWebSocket) {
                if (!takeUpgrade(c, c.framer.head(), &r))
                    c.pending = r;
                return; // taken: `c` is gone; refused: answered below
            }
            c.headDone = true;
            c.deadlineMs = c.sinceMs + m_limits.requestTimeoutMs;
            event = c.framer.acceptBody();
        }
        if (event == RequestFramer::Event::Complete) {
            finishRequest(c, now);
        } else if (event == RequestFramer::Event::Error) {
            const FramingError &e = c.framer.error();
            c.pending = Rejection { e.status, e.code, e.message, {}, false };
            return;
        }
    }
}

void RequestGate::startRequest(Connection &c, qint64 now)
{
    // A connection's first request is timed from accept: waiting before the first byte
    // must not earn a fresh allowance.
    if (!c.firstRequest)
        c.sinceMs = now;
    c.phase = Connection::Phase::Request;
    c.headDone = false;
    c.deadlineMs = c.sinceMs + qMin(m_limits.headerTimeoutMs, m_limits.requestTimeoutMs);
}

void RequestGate::finishRequest(Connection &c, qint64 now)
{
    c.phase = Connection::Phase::Idle;
    c.firstRequest = false;
    c.sinceMs = now;
    c.deadlineMs = now + m_limits.idleTimeoutMs;
}

bool RequestGate::admit(const RequestHead &head, Rejection *r) const
{
    const auto refuse = [r](int status, const QString &code, const QString &message) {
        r->status = status;
        r->code = code;
        r->message = message;
        return false;
    };
    if (head.host) {
        const QString host = QString::fromLatin1(head.host->left(200));
        switch (m_hostCheck.check(*head.host)) {
        case HostCheck::Verdict::Allowed:
            break;
        case HostCheck::Verdict::Malformed:
            return refuse(400, QStringLiteral("bad_request"),
                QStringLiteral("Host \"%1\" is not HOST[:PORT]").arg(host));
        case HostCheck::Verdict::Forbidden:
            return refuse(403, QStringLiteral("host_not_allowed"),
                QStringLiteral("Host \"%1\" is neither an IP address, localhost, the listen "
                               "host nor in engine.allowed_hosts")
                    .arg(host));
        }
    }
    if (head.contentLength == 0 && !head.transferEncoding)
        return true; // the server answers unknown paths and methods itself, keeping the connection
    const QString what
        = QStringLiteral("%1 %2").arg(QString::fromLatin1(head.method), head.path.left(200));
    const Route route = m_routes ? m_routes(head.method, head.path) : Route { 404, {}, 0 };
    if (route.status == 404)
        return refuse(404, QStringLiteral("not_found"),
            QStringLiteral("no endpoint at %1").arg(head.path.left(200)));
    if (route.status == 405) {
        r->allow = route.allow;
        return refuse(405, QStringLiteral("method_not_allowed"),
            QStringLiteral("%1 allows %2")
                .arg(head.path.left(200), QString::fromLatin1(route.allow)));
    }
    if (head.transferEncoding)
        return refuse(411, QStringLiteral("length_required"),
            QStringLiteral("%1: no endpoint takes a Transfer-Encoding (chunked) body; send "
                           "Content-Length")
                .arg(what));
    if (head.contentLength > route.maxBodyBytes) {
        if (route.maxBodyBytes == 0)
            return refuse(413, QStringLiteral("content_too_large"),
                QStringLiteral("%1 takes no request body").arg(what));
        return refuse(413, QStringLiteral("content_too_large"),
            QStringLiteral("the body of %1 bytes is over the %2-byte limit of %3")
                .arg(head.contentLength)
                .arg(route.maxBodyBytes)
                .arg(what));
    }
    return true;
}

void RequestGate::answerWhenServerCaughtUp(Connection &c)
{
    // The server has answered every request it read in full; once it has read up to where
    // the refused request starts, the gate's answer is next in order.
    const qint64 serverRead = c.received - c.unreadAfterServer;
    if (serverRead >= c.requestStart)
        answer(c);
}

void RequestGate::answer(Connection &c)
{
    QTcpSocket *socket = c.socket;
    const Rejection r = *c.pending;
    c.pending.reset();
    if (socket->state() != QAbstractSocket::ConnectedState) {
        drop(socket); // the client is gone; nobody to answer
        return;
    }
    count(r.status);
    // The server must not read the refused request: take the socket away from it, and drop
    // what it had of the request (its transaction would otherwise keep every byte).
    if (m_server)
        disconnect(socket, &QTcpSocket::readyRead, m_server, nullptr);
    if (socket->isTransactionStarted())
        socket->rollbackTransaction();
    socket->skip(socket->bytesAvailable());
    socket->write(r.response());
    c.phase = Connection::Phase::Closing;
    c.deadlineMs = nowMs() + m_limits.lingerMs;
    connect(socket, &QTcpSocket::bytesWritten, this, [this, socket] {
        const auto it = m_connections.find(socket);
        if (it != m_connections.end() && socket->bytesToWrite() == 0)
            halfClose(*it->second);
    });
    socket->flush();
    if (socket->bytesToWrite() == 0)
        halfClose(c);
}

void RequestGate::halfClose(Connection &c)
{
    // FIN after the answer, while still reading: closing with unread bytes would send a
    // reset, and a client still uploading would lose the answer with it.
    if (c.halfClosed)
        return;
    c.halfClosed = true;
    ::shutdown(int(c.socket->socketDescriptor()), SHUT_WR);
}

void RequestGate::drop(QTcpSocket *socket)
{
    disconnect(socket, nullptr, this, nullptr);
    if (m_server) // it may have queued a readyRead for what is still buffered
        disconnect(socket, &QTcpSocket::readyRead, m_server, nullptr);
    m_connections.erase(socket);
    socket->abort();
    socket->deleteLater();
}

void RequestGate::sweep()
{
    if (m_connections.empty()) {
        m_sweep->stop();
        return;
    }
    const qint64 now = nowMs();
    QList<QTcpSocket *> expired;
    for (const auto &[socket, c] : m_connections)
        if (c->deadlineMs <= now)
            expired.append(socket);
    for (QTcpSocket *socket : std::as_const(expired)) {
        const auto it = m_connections.find(socket);
        if (it == m_connections.end())
            continue;
        Connection &c = *it->second;
        switch (c.phase) {
        case Connection::Phase::Idle:
            if (c.unreadAfterServer > 0) {
                // The client is waiting: the server is still working through requests it
                // pipelined (one per event-loop turn).
                c.deadlineMs = now + m_limits.idleTimeoutMs;
                break;
            }
            // Nothing of a request arrived: close without an answer (FIN, not a reset, so
            // that a keep-alive client sees an ordinary close).
            c.phase = Connection::Phase::Closing;
            c.deadlineMs = now + m_limits.lingerMs;
            socket->disconnectFromHost();
            break;
        case Connection::Phase::Request: {
            const qint64 limit = c.headDone
                ? m_limits.requestTimeoutMs
                : qMin(m_limits.headerTimeoutMs, m_limits.requestTimeoutMs);
            c.pending = Rejection { 408, QStringLiteral("request_timeout"),
                c.headDone
                    ? QStringLiteral("the request body was not complete within %1 ms").arg(limit)
                    : QStringLiteral("the request head was not complete within %1 ms").arg(limit),
                {}, false };
            // The answer may only follow the server's answers to earlier requests; if the
            // server has not caught up by now, close without one.
            if (c.received - c.unreadAfterServer >= c.requestStart)
                answer(c);
            else
                drop(socket);
            break;
        }
        case Connection::Phase::Closing:
            drop(socket);
            break;
        }
    }
}

} // namespace Shivx

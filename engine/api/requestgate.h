#pragma once

#include "api/hostcheck.h"
#include "api/requestlimits.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMutex>
#include <QTcpServer>
#include <QTimer>

class QSocketNotifier;

#include <functional>
#include <memory>
#include <unordered_map>

namespace Shivx {

struct RequestHead;

// The listening socket in front of the HTTP API, and the check of every request before Qt's
// HTTP server reads it.
//
// Why a gate: Qt 6.4's QAbstractHttpServer reads each request whole into memory (inside a
// QIODevice transaction, so twice) before any handler runs, has no limit on header size, body
// size or time, answers nothing when it cannot parse a request, and serves any Host. One POST
// of 3 GB grew `shivx serve` to 7 GB.
//
// How: the gate accepts each connection and hands the socket to the server at once, but its
// own readyRead slot is connected before the server's and a second one after it. Qt calls
// slots in connection order and a socket only buffers new bytes between emissions, so the
// first slot sees (peeks) every byte before the server reads it, and the second learns how
// much the server left unread. A RequestFramer splits the byte stream into requests the way
// the server does; every request's head is checked (Host, route, Content-Length against the
// route's limit, no Transfer-Encoding) the moment it is complete, which is before the server
// has its whole head, let alone the body. A request that fails is answered by the gate (JSON
// error, `Connection: close`) once the server has answered every request before it; the
// server is then disconnected from the socket, the rest of what the client sends is dropped
// unread for a short linger, and the connection closed. Keep-alive thus keeps working for
// Prometheus, with every request on a connection checked.
//
// Rejected alternative: closing each connection after one reply and checking only the first
// request. It is simpler, but every Prometheus scrape and console poll would pay a new
// connection, and it still needs the same framing to know where the first request ends.
//
// Also: time limits for the head, the whole request and idle keep-alive (one sweep timer,
// not a timer per connection, so that thousands of connections cost nothing per turn); a
// cap on open connections; after EMFILE the gate closes the connection that has waited
// longest and goes on accepting. It accepts by itself: Qt 6.4's QTcpServer either stops
// accepting for good after EMFILE or retries in a busy loop (see open()).
//
// Lives on the API thread with its HttpApi; set it up before it moves there.
class RequestGate : public QTcpServer
{
    Q_OBJECT
public:
    // What the API has at a method and path, for requests that carry a body.
    struct Route
    {
        int status = 200; // 404: no such path; 405: not this method (see allow)
        QByteArray allow; // "GET, HEAD" for a 405
        qint64 maxBodyBytes = 0;
    };
    // Called on the gate's thread; must not block.
    using RouteLookup = std::function<Route(const QByteArray &method, const QString &path)>;

    explicit RequestGate(QObject *parent = nullptr);
    ~RequestGate() override;

    // Listens and starts accepting; use instead of listen(). False with errorString() set.
    bool open(const QHostAddress &address, quint16 port);

    void setLimits(const RequestLimits &limits);
    void setHostCheck(const HostCheck &check);
    // `largestBody` is the largest maxBodyBytes any route has: the socket buffer is sized
    // to hold one whole request.
    void setRouteLookup(RouteLookup lookup, qint64 largestBody);

    // Requests answered here by HTTP status, for the API's request counters. Thread-safe.
    QHash<int, quint64> rejected() const;

    // Where WebSocket handshakes (admitted heads with "Upgrade: websocket") go: `accepts`
    // says whether a path has an endpoint; `take` gets the socket before Qt's server has read
    // any of the handshake, and the gate forgets it (no timeouts, no eviction). Both run on
    // the gate's thread. A handshake no taker accepts is answered 404: Qt's server would
    // otherwise upgrade it on the thread that created it (see StreamEndpoint).
    using UpgradeAccepts = std::function<bool(const QString &path)>;
    using UpgradeTake = std::function<void(QTcpSocket *socket)>;
    void setUpgradeTaker(UpgradeAccepts accepts, UpgradeTake take)
    {
        m_upgradeAccepts = std::move(accepts);
        m_upgradeTake = std::move(take);
    }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    struct Connection;
    struct Rejection;

    void beforeServer(QTcpSocket *socket);
    void afterServer(QTcpSocket *socket);
    // Runs the framer over bytes that arrived; stops at the first rejected request.
    void scan(Connection &c, QByteArrayView data);
    // The verdict on a complete head; false with `*r` filled when it is refused.
    bool admit(const RequestHead &head, Rejection *r) const;
    // Hands the connection to the upgrade taker; false (with `*r`) when it declines.
    bool takeUpgrade(Connection &c, const RequestHead &head, Rejection *r);
    void startRequest(Connection &c, qint64 now);
    void finishRequest(Connection &c, qint64 now);
    // Answers c.pending if the server has answered everything before it, else waits.
    void answerWhenServerCaughtUp(Connection &c);
    void answer(Connection &c);
    void halfClose(Connection &c);
    // Closes at once (RST) and forgets the connection; frees its descriptor now.
    void drop(QTcpSocket *socket);
    bool evictLongestWaiting();
    void refuse(qintptr descriptor);
    void acceptReady();
    void outOfResources(int error);
    void stopAccepting();
    void sweep();
    int connectionCap() const;
    void count(int status);
    qint64 nowMs() const { return m_clock.elapsed(); }

    RequestLimits m_limits;
    HostCheck m_hostCheck;
    RouteLookup m_routes;
    UpgradeAccepts m_upgradeAccepts;
    UpgradeTake m_upgradeTake;
    qint64 m_readBufferSize = 256 * 1024;
    QObject *m_server = nullptr; // the QAbstractHttpServer the sockets are handed to
    std::unordered_map<QTcpSocket *, std::unique_ptr<Connection>> m_connections;
    QTimer *m_sweep = nullptr;
    int m_listenFd = -1; // a duplicate of the listening socket's descriptor; see open()
    QSocketNotifier *m_acceptNotifier = nullptr;
    QElapsedTimer m_clock;
    quint64 m_accepted = 0;
    qint64 m_lastAcceptWarningMs = -1;
    quint64 m_acceptFailures = 0;

    mutable QMutex m_mutex;
    QHash<int, quint64> m_rejected;
};

} // namespace Shivx

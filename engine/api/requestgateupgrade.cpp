// The RequestGate's hand-over of a WebSocket handshake to its taker (StreamEndpoint), before
// Qt's HTTP server has read any of it.

#include "api/requestgate_p.h"

namespace Shivx {

bool RequestGate::takeUpgrade(Connection &c, const RequestHead &head, Rejection *r)
{
    QTcpSocket *socket = c.socket;
    // Only before the server has read any of this request: the taker's handshake reads the
    // socket from here on. A handshake pipelined behind other requests is refused instead.
    const bool untouched = c.requestStart == c.received - c.unreadAfterServer;
    if (!m_upgradeAccepts || !m_upgradeAccepts(head.path)) {
        r->status = 404;
        r->code = QStringLiteral("not_found");
        r->message = QStringLiteral("no WebSocket endpoint at %1").arg(head.path.left(200));
        return false;
    }
    if (!untouched || head.contentLength > 0) {
        r->status = 400;
        r->code = QStringLiteral("bad_request");
        r->message = QStringLiteral(
            "a WebSocket handshake must come first on its connection and have no body");
        return false;
    }
    // Neither the gate nor Qt's server may touch the socket again (the server would also
    // delete it when it disconnects, under the WebSocket that uses it).
    disconnect(socket, nullptr, this, nullptr);
    if (m_server)
        disconnect(socket, nullptr, m_server, nullptr);
    disconnect(socket, &QAbstractSocket::disconnected, socket, nullptr);
    // Qt 6.4's server keeps a QHttpServerRequest per connection and frees it from the
    // socket's destroyed() (a slot in the socket's own context), but QWebSocket disconnects
    // every signal of its connection when it closes, so that slot would never run: a leak
    // per stream client. Run it now, the connection being the server's no longer, then
    // drop it so that the real destruction does not free the request twice.
    Q_EMIT socket->destroyed(socket);
    disconnect(socket, &QObject::destroyed, socket, nullptr);
    m_connections.erase(socket); // destroys `c`
    m_upgradeTake(socket);
    return true;
}

} // namespace Shivx

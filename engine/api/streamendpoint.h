#pragma once

#include "api/hostcheck.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTcpSocket>

#include <memory>

class QWebSocket;
class QWebSocketServer;

namespace Shivx {

class ApiGuard;
class StreamHub;

// Admits WebSocket clients to /api/stream (docs/http-api.md, "Live stream").
//
// The handshake: the request gate hands over every "Upgrade: websocket" head, before Qt's
// HTTP server reads it, and the endpoint's own QWebSocketServer answers it. Rejected
// alternative: Qt 6.4's built-in upgrade (QAbstractHttpServer::newWebSocketConnection). Its
// QWebSocketServer is a member that stays on the thread that created the HttpApi, so the
// handshake would run there (the console's GUI thread) on a socket of the API thread, and
// it cannot echo a subprotocol, which browsers require.
//
// The checks run once the client is upgraded and before it is sent anything: the path, the
// Host header (HostCheck; the gate checked it too), the guardian's verdict (ApiGuard:
// blocked or isolated sources, LOCKDOWN), the client cap, and the token:
// "Authorization: Bearer TOKEN" or the subprotocol "shivx.token.TOKEN" on the handshake,
// else a first message {"token": "TOKEN", ...filter} within StreamLimits::tokenTimeoutMs.
// A refused client is closed with 1008 and a reason, so a browser's close event says why.
//
// Lives on the API thread as a child of HttpApi; configure it before serving.
class StreamEndpoint : public QObject
{
    Q_OBJECT
public:
    StreamEndpoint(StreamHub *hub, QObject *parent = nullptr);
    // Deletes what it holds (handshakes in progress, clients waiting or being refused) while
    // the HTTP server that accepted their connections still exists: Qt's server frees its
    // per-connection state when a connection is destroyed, and only while it is alive.
    ~StreamEndpoint() override;

    static QString path() { return QStringLiteral("/api/stream"); }

    void setToken(const QByteArray &token);
    void setHostCheck(const HostCheck &check) { m_hostCheck = check; }
    void setGuard(std::shared_ptr<ApiGuard> guard) { m_guard = std::move(guard); }

    // API thread, from the request gate: a WebSocket handshake at path() that no one has
    // read yet.
    void takeHandshake(QTcpSocket *socket);

private:
    // A socket the server has upgraded; the endpoint owns it from now on.
    void take(QWebSocket *socket);
    // Checks that need no message from the client; false after refusing it.
    bool admitHandshake(QWebSocket *socket, QTcpSocket *tcp);
    void awaitTokenMessage(QWebSocket *socket, QTcpSocket *tcp);
    void refuse(QWebSocket *socket, const QString &reason, const QString &why);
    void tokenRejected(QWebSocket *socket);

    StreamHub *m_hub;
    QWebSocketServer *m_server;
    QList<QPointer<QTcpSocket>> m_handshaking; // taken from the gate, not yet upgraded
    QByteArray m_token;
    HostCheck m_hostCheck;
    std::shared_ptr<ApiGuard> m_guard;
    // Clients admitted but for their token message. A set, not a counter: a client leaves it
    // exactly once whichever way its wait ends (the message, the deadline, a disconnect, or
    // its deletion without a disconnect, as at shutdown or when it was already closed when
    // upgraded), so the cap never counts a client that is gone.
    QSet<QWebSocket *> m_waiting;
};

} // namespace Shivx

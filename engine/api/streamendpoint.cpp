#include "api/streamendpoint.h"

#include "api/apiguard.h"
#include "api/apitoken.h"
#include "api/streamhub.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

Q_DECLARE_LOGGING_CATEGORY(lcStream)

namespace Shivx {

namespace {

// The token message and filter changes are small; anything larger is not a client of ours.
constexpr qint64 maxIncomingBytes = 64 * 1024;

QString tokenHint()
{
    return QStringLiteral("send {\"token\": TOKEN} first, or \"Authorization: Bearer TOKEN\"");
}

} // namespace

StreamEndpoint::StreamEndpoint(StreamHub *hub, QObject *parent)
    : QObject(parent)
    , m_hub(hub)
    , m_server(new QWebSocketServer(QStringLiteral("shivx"), QWebSocketServer::NonSecureMode, this))
{
    connect(m_server, &QWebSocketServer::newConnection, this, [this] {
        while (m_server->hasPendingConnections())
            take(m_server->nextPendingConnection());
    });
}

StreamEndpoint::~StreamEndpoint()
{
    for (const QPointer<QTcpSocket> &t : std::as_const(m_handshaking))
        delete t.data();
    const QList<QWebSocket *> sockets = findChildren<QWebSocket *>(Qt::FindDirectChildrenOnly);
    for (QWebSocket *socket : sockets) {
        disconnect(socket, nullptr, this, nullptr);
        delete socket;
    }
}

void StreamEndpoint::setToken(const QByteArray &token)
{
    m_token = token;
    // Echoed only to a client that offers the right token, as browsers require an echo.
    m_server->setSupportedSubprotocols(
        { QStringLiteral("shivx.token.") + QString::fromLatin1(token) });
}

void StreamEndpoint::takeHandshake(QTcpSocket *socket)
{
    m_handshaking.removeAll(nullptr);
    m_handshaking.append(socket);
    // Reads the handshake already buffered on its own (it re-emits readyRead when a line is
    // waiting).
    m_server->handleConnection(socket);
}

void StreamEndpoint::take(QWebSocket *socket)
{
    socket->setParent(this);
    socket->setMaxAllowedIncomingFrameSize(maxIncomingBytes);
    socket->setMaxAllowedIncomingMessageSize(maxIncomingBytes);
    connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    QTcpSocket *tcp = nullptr;
    m_handshaking.removeAll(nullptr);
    for (const QPointer<QTcpSocket> &t : std::as_const(m_handshaking))
        if (t->peerPort() == socket->peerPort() && t->peerAddress() == socket->peerAddress())
            tcp = t;
    if (!tcp) {
        // Without its connection the send queue cannot be bounded: fail closed.
        qCCritical(lcStream, "an upgraded WebSocket's connection is unknown; closing it");
        socket->abort();
        return;
    }
    m_handshaking.removeAll(tcp);
    tcp->setParent(socket); // goes with the WebSocket, which does not own it
    // The server deletes a connection that closes during its handshake; once upgraded, the
    // connection goes only with its WebSocket.
    disconnect(tcp, nullptr, m_server, nullptr);
    if (socket->state() != QAbstractSocket::ConnectedState) {
        // Closed by the peer before it was upgraded: no disconnected() will come to end it.
        socket->deleteLater();
        return;
    }
    if (!admitHandshake(socket, tcp))
        return;
    const QByteArray authorization = socket->request().rawHeader("Authorization");
    QByteArray offered; // "Bearer TOKEN" from the subprotocol shivx.token.TOKEN
    for (const QByteArray &p : socket->request().rawHeader("Sec-WebSocket-Protocol").split(','))
        if (p.trimmed().startsWith("shivx.token."))
            offered = "Bearer " + p.trimmed().mid(int(qstrlen("shivx.token.")));
    const QByteArray given = authorization.isEmpty() ? offered : authorization;
    if (given.isEmpty()) {
        awaitTokenMessage(socket, tcp);
        return;
    }
    if (!ApiToken::matchesHeader(given, m_token)) {
        tokenRejected(socket);
        return;
    }
    if (m_guard)
        m_guard->answered(socket->peerAddress(), path(), 101);
    m_hub->addClient(socket, tcp, StreamFilter());
}

bool StreamEndpoint::admitHandshake(QWebSocket *socket, QTcpSocket *tcp)
{
    Q_UNUSED(tcp);
    const QString requested = socket->requestUrl().path();
    if (requested != path()) {
        refuse(socket, QStringLiteral("no WebSocket endpoint at %1").arg(requested.left(60)),
            QStringLiteral("path"));
        return false;
    }
    const QByteArray host = socket->request().rawHeader("Host").trimmed();
    if (m_hostCheck.check(host) != HostCheck::Verdict::Allowed) {
        refuse(socket,
            QStringLiteral("Host \"%1\" is not allowed").arg(QString::fromLatin1(host.left(60))),
            QStringLiteral("host"));
        return false;
    }
    if (m_guard) {
        const ApiGuard::Verdict v = m_guard->admit(socket->peerAddress(), path());
        if (v.decision == ApiGuard::Decision::Refuse) {
            m_guard->answered(socket->peerAddress(), path(), v.status);
            refuse(socket, QStringLiteral("%1: %2").arg(v.code, v.message),
                QStringLiteral("guardian"));
            return false;
        }
    }
    const int cap = m_hub->limits().maxClients;
    if (m_hub->clientCount() + int(m_waiting.size()) >= cap) {
        refuse(socket, QStringLiteral("%1 stream clients are connected; try again").arg(cap),
            QStringLiteral("full"));
        return false;
    }
    return true;
}

void StreamEndpoint::awaitTokenMessage(QWebSocket *socket, QTcpSocket *tcp)
{
    m_waiting.insert(socket);
    // Whichever comes first (the message, the deadline, a disconnect) settles the wait, and
    // the others then do nothing.
    auto settle = [this, socket] { return m_waiting.remove(socket); };
    connect(socket, &QObject::destroyed, this, [this, socket] { m_waiting.remove(socket); });
    QPointer<QWebSocket> guard(socket);
    auto *deadline = new QTimer(socket);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, this, [this, guard, settle] {
        if (guard && settle())
            refuse(guard,
                QStringLiteral("no token within %1 ms; %2")
                    .arg(m_hub->limits().tokenTimeoutMs)
                    .arg(tokenHint()),
                QStringLiteral("timeout"));
    });
    connect(socket, &QWebSocket::disconnected, this, [settle] { settle(); });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this, guard, settle] {
        if (guard && settle())
            refuse(guard, QStringLiteral("expected a JSON text message; %1").arg(tokenHint()),
                QStringLiteral("token"));
    });
    connect(socket, &QWebSocket::textMessageReceived, this,
        [this, guard, tcp, settle, deadline](const QString &text) {
            if (!guard || !settle())
                return;
            deadline->stop();
            disconnect(guard, &QWebSocket::textMessageReceived, this, nullptr);
            disconnect(guard, &QWebSocket::binaryMessageReceived, this, nullptr);
            const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
            const QString token = message.value(QStringLiteral("token")).toString();
            if (token.isEmpty()) {
                refuse(guard, QStringLiteral("the first message has no token; %1").arg(tokenHint()),
                    QStringLiteral("token"));
                return;
            }
            if (!ApiToken::matchesHeader("Bearer " + token.toUtf8(), m_token)) {
                tokenRejected(guard);
                return;
            }
            auto filter = StreamFilter::fromJson(message);
            if (!filter) {
                refuse(guard, filter.error().message, QStringLiteral("filter"));
                return;
            }
            if (m_guard)
                m_guard->answered(guard->peerAddress(), path(), 101);
            m_hub->addClient(guard, tcp, *filter);
        });
    deadline->start(int(m_hub->limits().tokenTimeoutMs));
}

void StreamEndpoint::tokenRejected(QWebSocket *socket)
{
    if (m_guard) {
        m_guard->tokenRejected(socket->peerAddress(), path());
        m_guard->answered(socket->peerAddress(), path(), 401);
    }
    refuse(socket, QStringLiteral("wrong token: use the data directory's api-token file"),
        QStringLiteral("token"));
}

void StreamEndpoint::refuse(QWebSocket *socket, const QString &reason, const QString &why)
{
    qCInfo(lcStream).noquote() << "refused stream client" << socket->peerAddress().toString()
                               << "(" + why + "):" << reason;
    m_hub->closeWithPolicy(socket, reason, why);
}

} // namespace Shivx

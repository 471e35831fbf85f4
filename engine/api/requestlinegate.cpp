#include "api/requestlinegate.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTimer>

namespace Shivx {

namespace {
// Longer request lines are refused: no endpoint of this API needs more, and an unbounded
// wait for a line end is a cheap way to hold connections open.
constexpr qint64 maxRequestLine = 8192;
constexpr int firstLineTimeoutMs = 10'000;
} // namespace

void RequestLineGate::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    auto *timer = new QTimer(socket);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, socket, [socket] { socket->abort(); });
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { inspect(socket); });
    timer->start(firstLineTimeoutMs);
}

void RequestLineGate::inspect(QTcpSocket *socket)
{
    static const QRegularExpression requestLine(
        QStringLiteral("^[A-Z]{1,16} [\\x21-\\x7e]{1,8000} HTTP/1\\.[01]$"));
    const QByteArray head = socket->peek(maxRequestLine + 2);
    const qsizetype end = head.indexOf("\r\n");
    if (end < 0) {
        if (head.size() > maxRequestLine)
            reject(socket, 414, "URI Too Long", QStringLiteral("uri_too_long"),
                QStringLiteral("request line longer than %1 bytes").arg(maxRequestLine));
        return; // wait for the rest of the line
    }
    const QString line = QString::fromLatin1(head.left(end));
    if (!requestLine.match(line).hasMatch()) {
        reject(socket, 400, "Bad Request", QStringLiteral("bad_request"),
            QStringLiteral("malformed request line (expected \"METHOD /path HTTP/1.1\")"));
        return;
    }
    // Hand over: our handlers go, the server takes the socket as a new connection, and the
    // bytes already buffered are announced again so that its parser reads them.
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    disconnect(socket, &QTcpSocket::disconnected, socket, nullptr);
    delete socket->findChild<QTimer *>();
    addPendingConnection(socket);
    Q_EMIT newConnection();
    QMetaObject::invokeMethod(socket, &QTcpSocket::readyRead, Qt::QueuedConnection);
}

void RequestLineGate::reject(QTcpSocket *socket, int status, const QByteArray &reason,
    const QString &code, const QString &message)
{
    {
        QMutexLocker l(&m_mutex);
        ++m_rejected[status];
    }
    const QByteArray body = QJsonDocument(QJsonObject { { QStringLiteral("error"), code },
                                              { QStringLiteral("message"), message },
                                              { QStringLiteral("status"), status } })
                                .toJson(QJsonDocument::Compact)
        + '\n';
    socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason
        + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\nConnection: close\r\n\r\n" + body);
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    socket->disconnectFromHost();
}

} // namespace Shivx

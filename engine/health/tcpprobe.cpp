#include "health/tcpprobe.h"

#include <QNetworkProxy>
#include <QTcpSocket>

namespace Shivx {

namespace {

QString describeSocketError(const QTcpSocket &socket, const QString &host)
{
    switch (socket.error()) {
    case QAbstractSocket::ConnectionRefusedError:
        return QStringLiteral("connection refused");
    case QAbstractSocket::HostNotFoundError:
        return QStringLiteral("host not found: %1").arg(host);
    case QAbstractSocket::RemoteHostClosedError:
        return QStringLiteral("connection closed by the remote host");
    case QAbstractSocket::SocketTimeoutError:
        return QStringLiteral("connection timed out");
    case QAbstractSocket::NetworkError:
        return QStringLiteral("network unreachable: %1").arg(socket.errorString());
    default:
        return socket.errorString();
    }
}

} // namespace

TcpProbe::TcpProbe(const TargetSpec &spec, Clock *clock, QObject *parent)
    : Probe(spec, clock, parent)
{
}

TcpProbe::~TcpProbe()
{
    releaseSocket();
}

void TcpProbe::begin()
{
    if (m_spec.host.isEmpty() || m_spec.port == 0) {
        finishLater(QStringLiteral("no host and port to connect to"));
        return;
    }
    m_socket = new QTcpSocket(this);
    m_socket->setProxy(QNetworkProxy::NoProxy);
    connect(m_socket, &QAbstractSocket::connected, this, [this] {
        finish(true);
        releaseSocket();
    });
    connect(m_socket, &QAbstractSocket::errorOccurred, this, [this] {
        finish(false, describeSocketError(*m_socket, m_spec.host));
        releaseSocket();
    });
    m_socket->connectToHost(m_spec.host, m_spec.port);
}

void TcpProbe::abortWork()
{
    releaseSocket();
}

void TcpProbe::releaseSocket()
{
    if (!m_socket)
        return;
    QTcpSocket *socket = m_socket;
    m_socket = nullptr;
    disconnect(socket, nullptr, this, nullptr);
    socket->abort();
    // Later: this may run inside the socket's own signal emission.
    socket->deleteLater();
}

} // namespace Shivx

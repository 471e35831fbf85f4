#include "health/tcpprobe.h"

#include "health/probemessages.h"

#include <QNetworkProxy>
#include <QTcpSocket>

namespace Shivx {

namespace {

Message describeSocketError(const QTcpSocket &socket, const QString &host)
{
    switch (socket.error()) {
    case QAbstractSocket::ConnectionRefusedError:
        return ProbeMessages::connectionRefused();
    case QAbstractSocket::HostNotFoundError:
        return ProbeMessages::hostNotFound(host);
    case QAbstractSocket::RemoteHostClosedError:
        return ProbeMessages::closedByPeer();
    case QAbstractSocket::SocketTimeoutError:
        return ProbeMessages::connectionTimedOut();
    case QAbstractSocket::NetworkError:
        return ProbeMessages::networkUnreachable(socket.errorString());
    default:
        return Message::verbatim(socket.errorString());
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
        finishLater(ProbeMessages::noHostPort());
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

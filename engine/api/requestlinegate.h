#pragma once

#include <QHash>
#include <QMutex>
#include <QTcpServer>

namespace Shivx {

// The listening socket in front of the HTTP API. Qt 6.4's HTTP server drops a connection
// whose request it cannot parse without answering; this gate reads (without consuming)
// each connection's request line first, answers 400 with a JSON error when it is not
// HTTP, and hands only well-formed connections on to the server.
class RequestLineGate : public QTcpServer
{
    Q_OBJECT
public:
    using QTcpServer::QTcpServer;

    // Connections refused here by HTTP status, for the API's request counters. Thread-safe.
    QHash<int, quint64> rejected() const
    {
        QMutexLocker l(&m_mutex);
        return m_rejected;
    }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void inspect(QTcpSocket *socket);
    void reject(QTcpSocket *socket, int status, const QByteArray &reason, const QString &code,
        const QString &message);

    mutable QMutex m_mutex;
    QHash<int, quint64> m_rejected;
};

} // namespace Shivx

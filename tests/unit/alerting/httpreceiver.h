#pragma once

// A minimal HTTP/1.1 receiver on a free loopback port for notifier tests: records every
// request (method, path, body) and answers with the next status of `statuses` (200 when the
// list is empty).

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QTcpServer>
#include <QTcpSocket>

struct ReceivedRequest
{
    QByteArray method;
    QByteArray path;
    QByteArray body;
};

class HttpReceiver : public QObject
{
public:
    HttpReceiver()
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, this, [this, s] { read(s); });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    quint16 port() const { return m_server.serverPort(); }
    QList<ReceivedRequest> requests;
    QList<int> statuses;

private:
    void read(QTcpSocket *s)
    {
        QByteArray &buf = m_buffers[s];
        buf += s->readAll();
        for (;;) {
            const int end = buf.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QByteArray head = buf.left(end);
            qint64 length = 0;
            for (const QByteArray &line : head.split('\n'))
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            if (buf.size() < end + 4 + length)
                return;
            const QList<QByteArray> first = head.split('\n').first().trimmed().split(' ');
            requests.append({ first.value(0), first.value(1), buf.mid(end + 4, length) });
            buf.remove(0, end + 4 + length);
            const int status = statuses.isEmpty() ? 200 : statuses.takeFirst();
            const QByteArray body = "{}";
            s->write("HTTP/1.1 " + QByteArray::number(status)
                + " X\r\nContent-Type: "
                  "application/json\r\nContent-Length: "
                + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        }
    }
    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

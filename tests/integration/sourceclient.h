#pragma once

// An HTTP/1.1 client whose requests come from a chosen loopback address: the whole
// 127.0.0.0/8 is loopback, so a client bound to 127.0.0.2 is a source of its own for the
// guardian (tests that count per source set guardian.api.ignore to []).

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

struct Answer
{
    int status = 0;
    QByteArray head;
    QByteArray body;
    QJsonObject json;
    QByteArray header(const QByteArray &name) const
    {
        for (const QByteArray &line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }
};

// A keep-alive HTTP/1.1 client over a blocking IPv4 socket bound to `from` before it
// connects, so that the engine sees `from` as the request's source.
class SourceClient
{
public:
    SourceClient(const QByteArray &from, const QByteArray &to, quint16 port)
        : m_from(from)
        , m_to(to)
        , m_port(port)
    {
    }
    ~SourceClient() { close(); }

    Answer request(const QByteArray &method, const QByteArray &path, const QByteArray &token = {},
        const QByteArray &body = {})
    {
        for (int attempt = 0; attempt < 2; ++attempt) {
            if (m_fd < 0 && !connectNow())
                return {};
            QByteArray req = method + ' ' + path + " HTTP/1.1\r\nHost: " + m_to + ':'
                + QByteArray::number(m_port) + "\r\n";
            if (!token.isEmpty())
                req += "Authorization: Bearer " + token + "\r\n";
            if (!body.isEmpty() || method == "POST")
                req += "Content-Type: application/json\r\nContent-Length: "
                    + QByteArray::number(body.size()) + "\r\n";
            req += "\r\n" + body;
            if (::send(m_fd, req.constData(), size_t(req.size()), MSG_NOSIGNAL) == req.size()) {
                Answer a = read();
                if (a.status != 0)
                    return a;
            }
            close(); // the server closed a kept-alive connection: once more on a new one
        }
        return {};
    }

private:
    bool connectNow()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in local {};
        local.sin_family = AF_INET;
        ::inet_pton(AF_INET, m_from.constData(), &local.sin_addr);
        sockaddr_in remote {};
        remote.sin_family = AF_INET;
        remote.sin_port = htons(m_port);
        ::inet_pton(AF_INET, m_to.constData(), &remote.sin_addr);
        if (::bind(m_fd, reinterpret_cast<sockaddr *>(&local), sizeof local) != 0
            || ::connect(m_fd, reinterpret_cast<sockaddr *>(&remote), sizeof remote) != 0) {
            close();
            return false;
        }
        timeval tv { 10, 0 };
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        return true;
    }
    void close()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
        m_in.clear();
    }
    bool fill()
    {
        char buf[65536];
        const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
        if (n <= 0)
            return false;
        m_in.append(buf, n);
        return true;
    }
    Answer read()
    {
        Answer a;
        qsizetype end;
        while ((end = m_in.indexOf("\r\n\r\n")) < 0)
            if (!fill())
                return a;
        a.head = m_in.left(end);
        qsizetype length = 0;
        for (const QByteArray &line : a.head.split('\n'))
            if (line.toLower().startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
        while (m_in.size() < end + 4 + length)
            if (!fill())
                return a;
        a.body = m_in.mid(end + 4, length);
        m_in.remove(0, end + 4 + length);
        a.status = a.head.mid(9, 3).toInt();
        a.json = QJsonDocument::fromJson(a.body).object();
        if (a.header("Connection").compare("close", Qt::CaseInsensitive) == 0)
            close();
        return a;
    }

    QByteArray m_from, m_to;
    quint16 m_port;
    int m_fd = -1;
    QByteArray m_in;
};

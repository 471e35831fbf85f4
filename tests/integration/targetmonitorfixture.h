#pragma once

// Shared by the integration tests of the target monitor and its probes (tst_networkprobe,
// tst_processprobe_live, tst_targetmonitor): one copy of the hand-written HTTP server, the spec
// builders and the child-process bookkeeping, so the three executables cannot drift apart.

#include "health/targetmonitor.h"
#include "procfs.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QProcess>
#include <QSslConfiguration>
#include <QSslServer>
#include <QString>
#include <QStringList>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrl>

#include <memory>

#include <unistd.h>

// A named namespace with inline definitions rather than an anonymous one: the fixture class
// below is a base of each test class, and a base from an anonymous namespace in a header
// draws -Wsubobject-linkage.
namespace ShivxTest {

using namespace Shivx;

// Built next to the tests (tests/helpers/testchild.cpp); it can hang, crash, write a pid
// file and die with its parent, which is all the process and command probes need.
inline const QString Helper = QStringLiteral(SHIVX_TEST_HELPER);

// HTTP/1.1 written by hand on a QTcpServer, so the test decides every byte and can be slow
// or never answer at all. "/ok" is always healthy and "/hang" never answers; every other
// path follows the current mode.
class TestHttpServer : public QObject
{
public:
    enum Mode { Healthy, WrongStatus, WrongBody, Slow, Hang, Redirect };

    // With a TLS configuration the server speaks HTTPS (QSslServer, new in Qt 6.4).
    explicit TestHttpServer(const QSslConfiguration &tls = {})
    {
        if (tls.isNull()) {
            m_server = std::make_unique<QTcpServer>();
        } else {
            auto server = std::make_unique<QSslServer>();
            server->setSslConfiguration(tls);
            m_server = std::move(server);
            m_scheme = QStringLiteral("https");
        }
        connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *socket = m_server->nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onRead(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

    bool listen() { return m_server->listen(QHostAddress::LocalHost, 0); }
    void close() { m_server->close(); }
    quint16 port() const { return m_server->serverPort(); }
    QUrl url(const QString &path, const QString &host = QStringLiteral("127.0.0.1")) const
    {
        return QUrl(QStringLiteral("%1://%2:%3%4").arg(m_scheme, host).arg(port()).arg(path));
    }
    void setMode(Mode mode) { m_mode = mode; }
    void setSlowMs(int ms) { m_slowMs = ms; }
    int requests(const QString &path) const { return m_requests.value(path); }

private:
    void onRead(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        if (!buffer.contains("\r\n\r\n"))
            return;
        const QList<QByteArray> requestLine = buffer.left(buffer.indexOf("\r\n")).split(' ');
        m_buffers.remove(socket);
        const QString path
            = requestLine.size() > 1 ? QString::fromLatin1(requestLine.at(1)) : QString();
        m_requests[path] += 1;
        const Mode mode = path == QLatin1String("/ok") ? Healthy
            : path == QLatin1String("/hang")           ? Hang
                                                       : m_mode;
        switch (mode) {
        case Healthy:
            respond(socket, 200, "OK", "ok\n");
            break;
        case WrongStatus:
            respond(socket, 503, "Service Unavailable", "unavailable\n");
            break;
        case WrongBody:
            respond(socket, 200, "OK", "degraded\n");
            break;
        case Redirect:
            respond(socket, 301, "Moved Permanently", "", "Location: /login\r\n");
            break;
        case Slow:
            QTimer::singleShot(
                m_slowMs, socket, [this, socket] { respond(socket, 200, "OK", "ok\n"); });
            break;
        case Hang:
            break;
        }
    }

    void respond(QTcpSocket *socket, int status, const QByteArray &reason, const QByteArray &body,
        const QByteArray &headers = {})
    {
        socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n"
            + "Content-Type: text/plain\r\nContent-Length: " + QByteArray::number(body.size())
            + "\r\nConnection: close\r\n" + headers + "\r\n" + body);
        socket->disconnectFromHost();
    }

    std::unique_ptr<QTcpServer> m_server;
    QString m_scheme = QStringLiteral("http");
    Mode m_mode = Healthy;
    int m_slowMs = 600;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QHash<QString, int> m_requests;
};

inline TargetSpec baseSpec(const QString &name, TargetKind kind)
{
    TargetSpec spec;
    spec.name = name;
    spec.kind = kind;
    spec.intervalMs = 100;
    spec.timeoutMs = 1000;
    spec.failureThreshold = 1;
    return spec;
}

inline TargetSpec httpSpec(const QString &name, const QUrl &url)
{
    TargetSpec spec = baseSpec(name, TargetKind::Http);
    spec.url = url;
    return spec;
}

inline TargetSpec tcpSpec(const QString &name, const QString &host, quint16 port)
{
    TargetSpec spec = baseSpec(name, TargetKind::Tcp);
    spec.host = host;
    spec.port = port;
    return spec;
}

inline TargetSpec commandSpec(const QString &name, const QString &command, const QStringList &args)
{
    TargetSpec spec = baseSpec(name, TargetKind::Command);
    spec.command = command;
    spec.args = args;
    return spec;
}

inline TargetStatus statusOf(const TargetMonitor &monitor, const QString &name)
{
    const QList<TargetStatus> list = monitor.snapshot();
    for (const TargetStatus &status : list) {
        if (status.name == name)
            return status;
    }
    TargetStatus missing;
    missing.name = QStringLiteral("<missing>");
    return missing;
}

inline QString stateOf(const TargetMonitor &monitor, const QString &name)
{
    const TargetStatus status = statusOf(monitor, name);
    return status.name == name ? toString(status.state) : QStringLiteral("<missing>");
}

// Children of this test process, zombies included: what a leaked probe would leave.
inline QList<qint64> childrenOfThisProcess()
{
    const QByteArray self = QByteArray::number(qint64(::getpid()));
    return processesWhere(
        [&self](const QList<QByteArray> &f) { return f.size() > 1 && f.at(1) == self; });
}

// The temporary directory and the helper children of one test class. Not a QObject, so this
// header needs no moc: each test class derives from QObject and this, and forwards its
// initTestCase() and cleanup() slots here.
class TargetMonitorFixture
{
protected:
    void checkPrerequisites()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(QFileInfo(Helper).isExecutable(), qPrintable(Helper));
    }

    QProcess *startChild(const QStringList &args)
    {
        auto *child = new QProcess;
        m_children.append(child);
        child->start(Helper, QStringList { QStringLiteral("--die-with-parent") } + args);
        if (!child->waitForStarted())
            qWarning("cannot start %s: %s", qPrintable(Helper), qPrintable(child->errorString()));
        return child;
    }

    // Kills what the test started, then insists that no child of this process is left, so
    // a probe that leaks its command (or a zombie) fails the test that leaked it.
    void reapChildren()
    {
        for (QProcess *child : std::as_const(m_children)) {
            if (child->state() != QProcess::NotRunning) {
                child->kill();
                child->waitForFinished();
            }
            delete child;
        }
        m_children.clear();
        QTRY_COMPARE(childrenOfThisProcess(), QList<qint64>());
    }

    QTemporaryDir m_dir;
    QList<QProcess *> m_children;
};

} // namespace ShivxTest

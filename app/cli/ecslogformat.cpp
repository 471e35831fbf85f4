#include "ecslogformat.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

#include <cstdio>

namespace Shivx::Cli {

namespace {

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "debug";
    case QtInfoMsg:
        return "info";
    case QtWarningMsg:
        return "warn";
    case QtCriticalMsg:
        return "error";
    case QtFatalMsg:
        return "critical";
    }
    return "info";
}

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QThread *thread = QThread::currentThread();
    QString threadName = thread ? thread->objectName() : QString();
    if (threadName.isEmpty() && thread && QCoreApplication::instance()
        && thread == QCoreApplication::instance()->thread())
        threadName = QStringLiteral("main");
    const QByteArray out
        = EcsLogFormat::line(type, context.category, context.file, context.line, context.function,
              message, QDateTime::currentMSecsSinceEpoch(), threadName)
        + '\n';
    std::fwrite(out.constData(), 1, size_t(out.size()), stderr);
    std::fflush(stderr);
}

} // namespace

QByteArray EcsLogFormat::line(QtMsgType type, const char *category, const char *file, int line,
    const char *function, const QString &message, qint64 tsMs, const QString &threadName)
{
    QJsonObject o;
    o.insert(QStringLiteral("@timestamp"),
        QDateTime::fromMSecsSinceEpoch(tsMs, Qt::UTC).toString(Qt::ISODateWithMs));
    o.insert(QStringLiteral("log.level"), QLatin1String(levelName(type)));
    o.insert(QStringLiteral("message"), message);
    o.insert(QStringLiteral("log.logger"),
        category && *category ? QString::fromUtf8(category) : QStringLiteral("default"));
    if (file && *file) {
        o.insert(QStringLiteral("log.origin.file.name"), QString::fromUtf8(file));
        o.insert(QStringLiteral("log.origin.file.line"), line);
    }
    if (function && *function)
        o.insert(QStringLiteral("log.origin.function"), QString::fromUtf8(function));
    o.insert(QStringLiteral("process.pid"), QCoreApplication::applicationPid());
    if (!threadName.isEmpty())
        o.insert(QStringLiteral("process.thread.name"), threadName);
    o.insert(QStringLiteral("service.name"), QStringLiteral("shivx"));
    o.insert(QStringLiteral("ecs.version"), QStringLiteral("8.11.0"));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void EcsLogFormat::install()
{
    qInstallMessageHandler(&handler);
}

} // namespace Shivx::Cli

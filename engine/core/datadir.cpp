#include "core/datadir.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>

namespace Shivx::DataDir {

QString defaultPath()
{
    // Resolved by hand rather than with QStandardPaths so the CLI, the headless server and
    // the console agree without depending on the application name that each one sets.
    const QByteArray xdg = qgetenv("XDG_DATA_HOME");
    const QString base = !xdg.isEmpty() && QDir::isAbsolutePath(QString::fromLocal8Bit(xdg))
        ? QString::fromLocal8Bit(xdg)
        : QDir::homePath() + QStringLiteral("/.local/share");
    return base + QStringLiteral("/shivx");
}

QString resolve(const QString &explicitDir, const QString &configDir)
{
    if (!explicitDir.isEmpty())
        return QDir(explicitDir).absolutePath();
    if (!configDir.isEmpty())
        return QDir(configDir).absolutePath();
    return defaultPath();
}

Result<void> ensure(const QString &dir)
{
    QDir d(dir);
    if (!d.exists() && !QDir().mkpath(dir))
        return makeError(
            "datadir.create", QStringLiteral("%1: cannot create the data directory").arg(dir));
    QFile::setPermissions(
        dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QTemporaryFile probe(dir + QStringLiteral("/.write-test-XXXXXX"));
    if (!probe.open())
        return makeError("datadir.readonly",
            QStringLiteral("%1: the data directory is not writable: %2")
                .arg(dir, probe.errorString()));
    return {};
}

QString databasePath(const QString &dir)
{
    return dir + QStringLiteral("/shivx.db");
}

QString apiAddressPath(const QString &dir)
{
    return dir + QStringLiteral("/api-address");
}

} // namespace Shivx::DataDir

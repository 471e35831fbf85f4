#include "backup/credentialsource.h"

#include <QFile>

namespace Shivx::Backup {

namespace {

Result<QByteArray> firstLine(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return makeError("backup.password",
            QStringLiteral("cannot read the passphrase file %1: %2").arg(file, f.errorString()));
    QByteArray line = f.readLine();
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);
    if (line.isEmpty())
        return makeError(
            "backup.password", QStringLiteral("the passphrase file %1 is empty").arg(file));
    return line;
}

} // namespace

Result<Credential> passphraseFrom(const QString &file, const char *env, const QString &option)
{
    if (!file.isEmpty()) {
        const auto line = firstLine(file);
        if (!line)
            return line.error();
        return Credential { Credential::Kind::Passphrase, *line,
            QStringLiteral("%1 %2").arg(option, file) };
    }
    const QByteArray value = qgetenv(env);
    if (value.isEmpty())
        return makeError("backup.password",
            QStringLiteral("no passphrase: give %1 FILE or set %2 (never on the command line)")
                .arg(option, QLatin1String(env)));
    return Credential { Credential::Kind::Passphrase, value, QString::fromLatin1(env) };
}

Result<Credential> configuredCredential(const BackupConfig &config)
{
    if (!config.keyFile.isEmpty())
        return KeySlots::readKeyFile(config.keyFile);
    const QString file
        = qEnvironmentVariableIsEmpty("SHIVX_BACKUP_PASSWORD") ? config.passwordFile : QString();
    return passphraseFrom(file, "SHIVX_BACKUP_PASSWORD", QStringLiteral("backup.password_file"));
}

} // namespace Shivx::Backup

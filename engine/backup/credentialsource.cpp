#include "backup/credentialsource.h"

#include "backup/keyring.h"

#include <QFile>
#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcCredentials, "shivx.backup.credentials")

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

Result<Credential> keyringCredential()
{
    if (auto r = Keyring::check(); !r)
        return r.error();
    return Credential { Credential::Kind::Keyring, {}, QStringLiteral("the desktop keyring") };
}

Result<Credential> configuredCredential(const BackupConfig &config, const QString &repo)
{
    const auto slotList
        = config.keyring ? KeySlots::list(repo) : Result<QList<KeySlotInfo>>(QList<KeySlotInfo>());
    const bool hasKeyringSlot = slotList
        && std::any_of(slotList->cbegin(), slotList->cend(),
            [](const KeySlotInfo &s) { return s.kind == QLatin1String("keyring"); });
    if (hasKeyringSlot) {
        auto k = keyringCredential();
        if (k)
            return k;
        qCWarning(lcCredentials).noquote()
            << "backup.keyring is on, but" << k.error().message
            << "- unlocking with backup.key_file or the passphrase instead";
    }
    if (!config.keyFile.isEmpty())
        return KeySlots::readKeyFile(config.keyFile);
    const QString file
        = qEnvironmentVariableIsEmpty("SHIVX_BACKUP_PASSWORD") ? config.passwordFile : QString();
    return passphraseFrom(file, "SHIVX_BACKUP_PASSWORD", QStringLiteral("backup.password_file"));
}

} // namespace Shivx::Backup

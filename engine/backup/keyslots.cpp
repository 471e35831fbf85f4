#include "backup/keyslots.h"

#include "backup/repofiles.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace Shivx::Backup {

namespace {

const std::string_view SlotAad = "SHXKEYSLOT";

QString keysDir(const QString &repo)
{
    return repo + QStringLiteral("/keys");
}

Result<Bytes> wrappingKey(const Credential &c, const QJsonObject &kdf)
{
    Bytes salt;
    if (!fromBase64(kdf.value(QStringLiteral("salt")).toString().toStdString(), &salt))
        return makeError("backup.format", QStringLiteral("key slot has no valid salt"));
    const QString name = kdf.value(QStringLiteral("name")).toString();
    if (c.kind == Credential::Kind::Passphrase) {
        if (name != QLatin1String("scrypt"))
            return makeError("backup.kind", QStringLiteral("not a passphrase slot"));
        return scrypt(std::string_view(c.secret.constData(), std::size_t(c.secret.size())), salt,
            std::uint64_t(kdf.value(QStringLiteral("n")).toInteger()),
            std::uint64_t(kdf.value(QStringLiteral("r")).toInteger()),
            std::uint64_t(kdf.value(QStringLiteral("p")).toInteger()));
    }
    if (name != QLatin1String("hmac-sha256"))
        return makeError("backup.kind", QStringLiteral("not a key file slot"));
    const Id k = hmacSha256(reinterpret_cast<const std::uint8_t *>(c.secret.constData()),
        std::size_t(c.secret.size()), salt.data(), salt.size());
    return Bytes(k.b.begin(), k.b.end());
}

KeySlotInfo infoOf(const QString &id, const QJsonObject &o)
{
    return KeySlotInfo { id, o.value(QStringLiteral("kind")).toString(),
        o.value(QStringLiteral("label")).toString(),
        QDateTime::fromString(o.value(QStringLiteral("created")).toString(), Qt::ISODateWithMs) };
}

} // namespace

Result<Credential> KeySlots::readKeyFile(const QString &path)
{
    const auto bytes = readWholeFile(path);
    if (!bytes)
        return bytes.error();
    const QByteArray raw = QByteArray::fromHex(bytes->trimmed());
    if (raw.size() != 32 || raw.toHex() != bytes->trimmed().toLower())
        return makeError("backup.key_file",
            QStringLiteral("%1 is not a backup key file (expected 64 hex digits)").arg(path),
            { path });
    return Credential { Credential::Kind::KeyFile, raw, path };
}

Result<Credential> KeySlots::createKeyFile(const QString &path)
{
    std::uint8_t raw[32];
    randomBytes(raw, sizeof raw);
    const QByteArray text = QByteArray::fromStdString(toHex(raw, sizeof raw)) + '\n';
    if (QFile::exists(path))
        return makeError("backup.key_file",
            QStringLiteral("%1 exists already; a key file is never overwritten").arg(path),
            { path });
    if (auto w = writeFileAtomic(path, text, 0600); !w)
        return w.error();
    return Credential { Credential::Kind::KeyFile,
        QByteArray(reinterpret_cast<const char *>(raw), 32), path };
}

Result<KeySlotInfo> KeySlots::add(const QString &repo, const MasterKey &key,
    const Credential &credential, const QString &label, const ScryptParams &sp)
{
    Bytes salt(32);
    randomBytes(salt.data(), salt.size());
    QJsonObject kdf;
    kdf.insert(QStringLiteral("salt"), QString::fromStdString(base64(salt)));
    if (credential.kind == Credential::Kind::Passphrase) {
        kdf.insert(QStringLiteral("name"), QStringLiteral("scrypt"));
        kdf.insert(QStringLiteral("n"), qint64(sp.n));
        kdf.insert(QStringLiteral("r"), qint64(sp.r));
        kdf.insert(QStringLiteral("p"), qint64(sp.p));
    } else {
        kdf.insert(QStringLiteral("name"), QStringLiteral("hmac-sha256"));
    }
    const auto wk = wrappingKey(credential, kdf);
    if (!wk)
        return wk.error();
    std::uint8_t plain[64];
    std::memcpy(plain, key.encKey.data(), 32);
    std::memcpy(plain + 32, key.idKey.data(), 32);
    const Bytes wrapped = seal(wk->data(), plain, sizeof plain, SlotAad);
    std::uint8_t idRaw[8];
    randomBytes(idRaw, sizeof idRaw);
    const QString id = QString::fromStdString(toHex(idRaw, sizeof idRaw));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QJsonObject o {
        { QStringLiteral("version"), 1 },
        { QStringLiteral("kind"),
            credential.kind == Credential::Kind::Passphrase ? QStringLiteral("passphrase")
                                                            : QStringLiteral("keyfile") },
        { QStringLiteral("label"), label },
        { QStringLiteral("created"), now.toString(Qt::ISODateWithMs) },
        { QStringLiteral("kdf"), kdf },
        { QStringLiteral("wrapped"), QString::fromStdString(base64(wrapped)) },
    };
    QDir().mkpath(keysDir(repo));
    if (auto w = writeFileAtomic(keysDir(repo) + QLatin1Char('/') + id + QStringLiteral(".json"),
            QJsonDocument(o).toJson(QJsonDocument::Indented), 0600);
        !w)
        return w.error();
    return infoOf(id, o);
}

Result<QList<KeySlotInfo>> KeySlots::list(const QString &repo)
{
    QList<KeySlotInfo> out;
    const QDir dir(keysDir(repo));
    const QStringList names = dir.entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name);
    for (const QString &name : names) {
        const auto bytes = readWholeFile(dir.filePath(name));
        if (!bytes)
            return bytes.error();
        const QJsonObject o = QJsonDocument::fromJson(*bytes).object();
        out.append(infoOf(name.chopped(5), o));
    }
    if (out.isEmpty())
        return makeError("backup.not_repository",
            QStringLiteral("%1 is not a backup repository (no key slots in %2)")
                .arg(repo, keysDir(repo)),
            { repo });
    return out;
}

Result<void> KeySlots::remove(const QString &repo, const QString &slotId)
{
    const auto slotList = list(repo);
    if (!slotList)
        return slotList.error();
    bool found = false;
    for (const KeySlotInfo &s : *slotList)
        found = found || s.id == slotId;
    if (!found)
        return makeError("backup.no_slot",
            QStringLiteral("no key slot %1 in %2 (see `shivx backup key list`)").arg(slotId, repo),
            { slotId });
    if (slotList->size() == 1)
        return makeError("backup.last_slot",
            QStringLiteral("%1 is the last key slot; removing it would make the repository "
                           "unreadable (add another first)")
                .arg(slotId),
            { slotId });
    const QString path = keysDir(repo) + QLatin1Char('/') + slotId + QStringLiteral(".json");
    if (!QFile::remove(path))
        return makeError("backup.io", QStringLiteral("cannot remove %1").arg(path), { path });
    syncDirectory(keysDir(repo));
    return {};
}

Result<MasterKey> KeySlots::unlock(const QString &repo, const Credential &c, QString *slotId)
{
    const auto slotList = list(repo);
    if (!slotList)
        return slotList.error();
    int tried = 0;
    for (const KeySlotInfo &s : *slotList) {
        const auto bytes = readWholeFile(keysDir(repo) + QLatin1Char('/') + s.id + ".json");
        if (!bytes)
            return bytes.error();
        const QJsonObject o = QJsonDocument::fromJson(*bytes).object();
        const auto wk = wrappingKey(c, o.value(QStringLiteral("kdf")).toObject());
        if (!wk)
            continue; // a slot of the other kind, or malformed
        ++tried;
        Bytes wrapped;
        if (!fromBase64(o.value(QStringLiteral("wrapped")).toString().toStdString(), &wrapped))
            continue;
        Bytes plain;
        if (open(wk->data(), wrapped.data(), wrapped.size(), SlotAad, &plain)
            && plain.size() == 64) {
            MasterKey k;
            std::memcpy(k.encKey.data(), plain.data(), 32);
            std::memcpy(k.idKey.data(), plain.data() + 32, 32);
            if (slotId)
                *slotId = s.id;
            return k;
        }
    }
    const QString what = c.kind == Credential::Kind::Passphrase ? QStringLiteral("passphrase")
                                                                : QStringLiteral("key file");
    return makeError("backup.wrong_key",
        QStringLiteral("wrong %1 (%2): none of the %3 %1 slot(s) of %4 opens with it")
            .arg(what, c.origin)
            .arg(tried)
            .arg(repo),
        { repo });
}

} // namespace Shivx::Backup

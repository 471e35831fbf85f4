#include "backup/keyslots.h"

#include "backup/keyring.h"
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
        return makeError("backup.kind", QStringLiteral("not a key file or keyring slot"));
    const Id k = hmacSha256(reinterpret_cast<const std::uint8_t *>(c.secret.constData()),
        std::size_t(c.secret.size()), salt.data(), salt.size());
    return Bytes(k.b.begin(), k.b.end());
}

QString kindName(Credential::Kind kind)
{
    switch (kind) {
    case Credential::Kind::Passphrase:
        return QStringLiteral("passphrase");
    case Credential::Kind::KeyFile:
        return QStringLiteral("keyfile");
    case Credential::Kind::Keyring:
        return QStringLiteral("keyring");
    }
    return QString();
}

// The keyring entry of a keyring slot; empty for other slots.
QString keyringAccount(const QJsonObject &slot)
{
    return slot.value(QStringLiteral("keyring"))
        .toObject()
        .value(QStringLiteral("account"))
        .toString();
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
    std::uint8_t idRaw[8];
    randomBytes(idRaw, sizeof idRaw);
    const QString id = QString::fromStdString(toHex(idRaw, sizeof idRaw));
    Credential c = credential;
    QString account;
    if (c.kind == Credential::Kind::Keyring) {
        std::uint8_t secret[32];
        randomBytes(secret, sizeof secret);
        c.secret = QByteArray(reinterpret_cast<const char *>(secret), sizeof secret);
        account = QStringLiteral("slot-") + id;
        if (auto w = Keyring::write(account, c.secret); !w)
            return w.error();
    }
    Bytes salt(32);
    randomBytes(salt.data(), salt.size());
    QJsonObject kdf;
    kdf.insert(QStringLiteral("salt"), QString::fromStdString(base64(salt)));
    if (c.kind == Credential::Kind::Passphrase) {
        kdf.insert(QStringLiteral("name"), QStringLiteral("scrypt"));
        kdf.insert(QStringLiteral("n"), qint64(sp.n));
        kdf.insert(QStringLiteral("r"), qint64(sp.r));
        kdf.insert(QStringLiteral("p"), qint64(sp.p));
    } else {
        kdf.insert(QStringLiteral("name"), QStringLiteral("hmac-sha256"));
    }
    const auto wk = wrappingKey(c, kdf);
    if (!wk)
        return wk.error();
    std::uint8_t plain[64];
    std::memcpy(plain, key.encKey.data(), 32);
    std::memcpy(plain + 32, key.idKey.data(), 32);
    const Bytes wrapped = seal(wk->data(), plain, sizeof plain, SlotAad);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QJsonObject o {
        { QStringLiteral("version"), 1 },
        { QStringLiteral("kind"), kindName(c.kind) },
        { QStringLiteral("label"), label },
        { QStringLiteral("created"), now.toString(Qt::ISODateWithMs) },
        { QStringLiteral("kdf"), kdf },
        { QStringLiteral("wrapped"), QString::fromStdString(base64(wrapped)) },
    };
    if (!account.isEmpty())
        o.insert(QStringLiteral("keyring"),
            QJsonObject { { QStringLiteral("service"), QStringLiteral("shivx-backup") },
                { QStringLiteral("account"), account } });
    QDir().mkpath(keysDir(repo));
    if (auto w = writeFileAtomic(keysDir(repo) + QLatin1Char('/') + id + QStringLiteral(".json"),
            QJsonDocument(o).toJson(QJsonDocument::Indented), 0600);
        !w) {
        if (!account.isEmpty())
            Keyring::remove(account);
        return w.error();
    }
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
    const auto bytes = readWholeFile(path);
    const QString account
        = bytes ? keyringAccount(QJsonDocument::fromJson(*bytes).object()) : QString();
    if (!QFile::remove(path))
        return makeError("backup.io", QStringLiteral("cannot remove %1").arg(path), { path });
    syncDirectory(keysDir(repo));
    // After the slot file: an entry without its slot is harmless, a slot without its entry
    // would be a slot that can never open.
    if (!account.isEmpty())
        return Keyring::remove(account);
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
        Credential slotCredential = c;
        if (c.kind == Credential::Kind::Keyring) {
            const QString account = keyringAccount(o);
            if (account.isEmpty())
                continue;
            const auto secret = Keyring::read(account);
            if (!secret && secret.error().code == QLatin1String("backup.keyring_missing"))
                continue; // an entry removed from the keyring: the slot cannot open
            if (!secret)
                return secret.error();
            slotCredential.secret = *secret;
        } else if (!keyringAccount(o).isEmpty()) {
            continue;
        }
        const auto wk = wrappingKey(slotCredential, o.value(QStringLiteral("kdf")).toObject());
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
    if (c.kind == Credential::Kind::Keyring)
        return makeError("backup.wrong_key",
            QStringLiteral("no keyring slot of %1 opens with this desktop keyring (%2 tried); "
                           "add one with `shivx backup key add --new-keyring`")
                .arg(repo)
                .arg(tried),
            { repo });
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

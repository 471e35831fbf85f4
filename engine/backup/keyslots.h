#pragma once

#include "backup/backupcrypto.h"
#include "core/result.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace Shivx::Backup {

// The repository's master key: 32 bytes for AES-256-GCM, 32 for the HMAC-SHA-256 object ids
// (and the chunker's gear table). Random at `init`, never changed: key slots only wrap it.
struct MasterKey
{
    std::array<std::uint8_t, 32> encKey {};
    std::array<std::uint8_t, 32> idKey {};
};

// What unlocks a slot: a passphrase (scrypt), the bytes of a key file (HMAC-SHA-256), or the
// desktop keyring, which holds a random 32-byte secret per keyring slot (HMAC-SHA-256 too).
struct Credential
{
    enum class Kind { Passphrase, KeyFile, Keyring };
    Kind kind = Kind::Passphrase;
    // The passphrase (UTF-8) or the key file's 32 bytes. Keyring: empty; each keyring slot's
    // secret is read from the keyring when it is added or tried.
    QByteArray secret;
    QString origin; // where it came from, for error messages ("--password-file /x")
};

struct KeySlotInfo
{
    QString id; // 16 hex digits, the file name under keys/
    QString kind; // "passphrase" | "keyfile" | "keyring"
    QString label;
    QDateTime created;
};

// scrypt parameters of new passphrase slots: N=2^15, r=8, p=1 (32 MiB, ~0.1 s here), the
// interactive-login parameters of the scrypt paper. Tests may lower N (not below 2^10).
struct ScryptParams
{
    std::uint64_t n = 1u << 15;
    std::uint64_t r = 8;
    std::uint64_t p = 1;
};

// The key slots of a repository: REPO/keys/<id>.json (docs/backup-format.md, "Key slots").
// Stateless functions; files written atomically (temporary name, fsync, rename).
namespace KeySlots {

// Reads a key file (hex of 32 bytes, as `key add --new-key-file` writes it).
Result<Credential> readKeyFile(const QString &path);
// Writes a new random key file (mode 0600) and returns its credential.
Result<Credential> createKeyFile(const QString &path);

// A keyring credential stores a new random secret in the desktop keyring first (its entry is
// named by the slot), and removes it again when the slot file cannot be written.
Result<KeySlotInfo> add(const QString &repo, const MasterKey &key, const Credential &credential,
    const QString &label, const ScryptParams &scrypt = {});
Result<QList<KeySlotInfo>> list(const QString &repo);
// Refuses to remove the last slot (the data would be lost for good). A keyring slot's entry
// leaves the keyring too.
Result<void> remove(const QString &repo, const QString &slotId);
// Tries every slot of the credential's kind; "backup.wrong_key" when none opens with it. A
// keyring credential reads each keyring slot's secret from the desktop keyring and fails with
// that error (backup.keyring_unavailable) when there is no keyring to ask.
Result<MasterKey> unlock(const QString &repo, const Credential &credential, QString *slotId);

} // namespace KeySlots

} // namespace Shivx::Backup

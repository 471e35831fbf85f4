#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace Shivx {

// A signed statement that stream S had entry `seq` with hash H at time ts
// (docs/audit-format.md). On disk one canonical JSON line in STREAM/checkpoints.ndjson.
struct Checkpoint
{
    QString stream;
    qint64 seq = 0;
    QByteArray hash; // 64 hex
    qint64 tsMs = 0;
    QByteArray key; // fingerprint of the signing key, 64 hex
    QByteArray signature; // 128 hex (64-byte Ed25519 signature)

    // The exact bytes that are signed: canonical JSON of {hash, seq, stream, ts}.
    QByteArray signedMessage() const;
    // The canonical line (no newline).
    QByteArray toLine() const;
    // Strict parse of one line or JSON object text; does not check the signature.
    static Result<Checkpoint> parse(const QByteArray &line);
};

// An Ed25519 key pair (OpenSSL) for signing checkpoints. Holds only a public key when loaded
// with loadPublic(); sign() then fails. Not thread-safe for concurrent use of one instance.
class CheckpointKey
{
public:
    CheckpointKey();
    ~CheckpointKey();
    CheckpointKey(CheckpointKey &&) noexcept;
    CheckpointKey &operator=(CheckpointKey &&) noexcept;

    static Result<CheckpointKey> generate();
    // Loads DIR/checkpoint.key, or creates the pair (key 0600, dir 0700) when absent.
    static Result<CheckpointKey> loadOrCreate(const QString &keysDir);
    static Result<CheckpointKey> loadPrivatePem(const QByteArray &pem, const QString &source);
    static Result<CheckpointKey> loadPublicPem(const QByteArray &pem, const QString &source);
    static Result<CheckpointKey> loadPublicFile(const QString &path);

    bool hasPrivateKey() const;
    QByteArray publicKeyPem() const;
    QByteArray privateKeyPem() const;
    // SHA-256 hex of the 32-byte raw public key.
    QByteArray fingerprint() const;

    // Fills checkpoint.key and checkpoint.signature.
    Result<void> sign(Checkpoint &checkpoint) const;
    // True when the signature is valid for this key and the key fingerprint matches.
    bool verify(const Checkpoint &checkpoint) const;

    static QString privateKeyPath(const QString &keysDir);
    static QString publicKeyPath(const QString &keysDir);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Shivx

#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace Shivx {

// One line of an audit stream (docs/audit-format.md). On disk it is the canonical JSON of
// {action, actor, data, hash, prev, seq, stream, ts}; `hash` is the lowercase hex SHA-256 of
// the canonical JSON of the other seven members followed by the 64 characters of `prev`.
struct AuditEntry
{
    qint64 seq = 0; // 1-based, per stream
    qint64 tsMs = 0; // written as RFC 3339 UTC with milliseconds
    QString stream;
    QString actor;
    QString action;
    QJsonObject data;
    QByteArray prev; // 64 lowercase hex characters; 64 zeros for seq 1
    QByteArray hash; // 64 lowercase hex characters
};

namespace AuditEntryCodec {

// "000...0" (64 characters): the `prev` of every stream's first entry.
QByteArray genesisHash();

// Canonical bytes of the entry without its `hash` member: what is hashed (before `prev`).
Result<QByteArray> hashedBytes(const AuditEntry &entry);
// SHA-256(hashedBytes + prev), lowercase hex.
QByteArray computeHash(const QByteArray &hashedBytes, const QByteArray &prev);
// Lowercase hex SHA-256 of first + second (OpenSSL: uses the CPU's SHA extensions, about 30
// times faster than QCryptographicHash in Qt 6.4 on the machines we measured).
QByteArray sha256Hex(QByteArrayView first, QByteArrayView second = {});
// Sets entry.hash and returns the full canonical line (no trailing newline).
Result<QByteArray> seal(AuditEntry &entry);

// Parses one line (without its newline) strictly: exactly the eight members with the right
// types, hex fields of 64 lowercase characters, a valid timestamp. Does not check the hash.
Result<AuditEntry> parse(const QByteArray &line);

// parse() and then checks the hash over the line's own bytes: SHA-256 of the line with its
// `"hash":"<64 hex>",` member cut out, followed by prev (the check a verifier without a JSON
// serializer can do). Fails with code "audit.hash_mismatch" when it does not match.
Result<AuditEntry> parseVerified(const QByteArray &line);

// Stream names are path components: [a-z0-9][a-z0-9_-]{0,31}.
bool isValidStreamName(const QString &name);

} // namespace AuditEntryCodec

} // namespace Shivx

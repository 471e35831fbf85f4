#include "audit/auditentry.h"

#include "audit/canonicaljson.h"
#include "core/timeutil.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QTimeZone>

#include <openssl/evp.h>

namespace Shivx::AuditEntryCodec {

namespace {

bool isHex64(const QByteArray &s)
{
    if (s.size() != 64)
        return false;
    return std::all_of(s.begin(), s.end(),
        [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

} // namespace

QByteArray genesisHash()
{
    return QByteArray(64, '0');
}

bool isValidStreamName(const QString &name)
{
    // [a-z0-9][a-z0-9_-]{0,31}, checked by hand: it runs for every entry written.
    if (name.isEmpty() || name.size() > 32)
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char16_t c = name.at(i).unicode();
        const bool alnum = (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9');
        if (!alnum && (i == 0 || (c != u'_' && c != u'-')))
            return false;
    }
    return true;
}

Result<QByteArray> hashedBytes(const AuditEntry &entry)
{
    // The seven members in their sorted order, written directly: only `data` needs the
    // general serializer.
    auto data = CanonicalJson::serialize(entry.data);
    if (!data)
        return makeError(data.error().code.toLatin1().constData(),
            QStringLiteral("data.%1").arg(data.error().message));
    QByteArray out;
    out.reserve(data->size() + 240);
    out += "{\"action\":";
    bool ok = CanonicalJson::appendString(out, entry.action);
    out += ",\"actor\":";
    ok = CanonicalJson::appendString(out, entry.actor) && ok;
    out += ",\"data\":" + *data + ",\"prev\":";
    ok = CanonicalJson::appendString(out, QString::fromLatin1(entry.prev)) && ok;
    out += ",\"seq\":" + QByteArray::number(entry.seq) + ",\"stream\":";
    ok = CanonicalJson::appendString(out, entry.stream) && ok;
    out += ",\"ts\":\"" + TimeUtil::toRfc3339(entry.tsMs).toLatin1() + "\"}";
    if (!ok)
        return makeError("audit.json_string",
            QStringLiteral("action, actor or stream has a lone UTF-16 surrogate"));
    return out;
}

QByteArray sha256Hex(QByteArrayView first, QByteArrayView second)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
    EVP_DigestUpdate(ctx, first.data(), size_t(first.size()));
    EVP_DigestUpdate(ctx, second.data(), size_t(second.size()));
    EVP_DigestFinal_ex(ctx, digest, &size);
    EVP_MD_CTX_free(ctx);
    return QByteArray(reinterpret_cast<const char *>(digest), int(size)).toHex();
}

QByteArray computeHash(const QByteArray &hashed, const QByteArray &prev)
{
    return sha256Hex(hashed, prev);
}

Result<QByteArray> seal(AuditEntry &entry)
{
    if (!isValidStreamName(entry.stream))
        return makeError(
            "audit.stream", QStringLiteral("invalid stream name \"%1\"").arg(entry.stream));
    if (entry.action.isEmpty() || entry.actor.isEmpty())
        return makeError(
            "audit.entry", QStringLiteral("an audit entry needs an action and an actor"));
    if (!isHex64(entry.prev))
        return makeError("audit.entry", QStringLiteral("prev must be 64 lowercase hex characters"));
    auto hashed = hashedBytes(entry);
    if (!hashed)
        return hashed.error();
    entry.hash = computeHash(hashed.value(), entry.prev);
    // The line is the hashed bytes with the hash member inserted before "prev" (sorted order:
    // ... "data", "hash", "prev" ...). The last ,"prev":" is the member: seq, stream and ts
    // after it cannot contain that text. Cheaper than serialising the whole entry again.
    QByteArray line = std::move(hashed.value());
    const qsizetype at = line.lastIndexOf(",\"prev\":\"") + 1;
    line.insert(at, "\"hash\":\"" + entry.hash + "\",");
    return line;
}

Result<AuditEntry> parse(const QByteArray &line)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &pe);
    if (pe.error != QJsonParseError::NoError)
        return makeError("audit.bad_json",
            QStringLiteral("not JSON: %1 at byte %2").arg(pe.errorString()).arg(pe.offset));
    if (!doc.isObject())
        return makeError("audit.bad_json", QStringLiteral("not a JSON object"));
    const QJsonObject o = doc.object();
    static const QStringList keys { QStringLiteral("action"), QStringLiteral("actor"),
        QStringLiteral("data"), QStringLiteral("hash"), QStringLiteral("prev"),
        QStringLiteral("seq"), QStringLiteral("stream"), QStringLiteral("ts") };
    if (o.keys() != keys)
        return makeError("audit.bad_entry",
            QStringLiteral("members are [%1], expected [%2]")
                .arg(o.keys().join(QLatin1Char(',')), keys.join(QLatin1Char(','))));
    AuditEntry e;
    const QJsonValue seq = o.value(QStringLiteral("seq"));
    const double seqValue = seq.toDouble(-1);
    if (!seq.isDouble() || seqValue < 1 || seqValue != double(qint64(seqValue)))
        return makeError("audit.bad_entry", QStringLiteral("seq must be a positive integer"));
    e.seq = qint64(seqValue);
    for (const char *k : { "action", "actor", "stream", "ts", "prev", "hash" })
        if (!o.value(QLatin1String(k)).isString())
            return makeError(
                "audit.bad_entry", QStringLiteral("%1 must be a string").arg(QLatin1String(k)));
    if (!o.value(QStringLiteral("data")).isObject())
        return makeError("audit.bad_entry", QStringLiteral("data must be an object"));
    e.action = o.value(QStringLiteral("action")).toString();
    e.actor = o.value(QStringLiteral("actor")).toString();
    e.stream = o.value(QStringLiteral("stream")).toString();
    e.data = o.value(QStringLiteral("data")).toObject();
    e.prev = o.value(QStringLiteral("prev")).toString().toLatin1();
    e.hash = o.value(QStringLiteral("hash")).toString().toLatin1();
    if (!isHex64(e.prev) || !isHex64(e.hash))
        return makeError(
            "audit.bad_entry", QStringLiteral("prev and hash must be 64 lowercase hex characters"));
    const QString ts = o.value(QStringLiteral("ts")).toString();
    const QDateTime dt = QDateTime::fromString(ts, QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
    if (!dt.isValid() || ts.size() != 24)
        return makeError("audit.bad_entry",
            QStringLiteral("ts \"%1\" is not RFC 3339 UTC with milliseconds").arg(ts.left(40)));
    e.tsMs = QDateTime(dt.date(), dt.time(), QTimeZone::utc()).toMSecsSinceEpoch();
    return e;
}

Result<AuditEntry> parseVerified(const QByteArray &line)
{
    auto entry = parse(line);
    if (!entry)
        return entry;
    // The members after "hash" (prev, seq, stream, ts) cannot contain this text, so the last
    // occurrence is the member itself even when data strings contain look-alikes.
    const QByteArray member = "\"hash\":\"" + entry->hash + "\",";
    const qsizetype at = line.lastIndexOf(member);
    if (at < 0)
        return makeError("audit.bad_entry",
            QStringLiteral("the hash member is not where canonical JSON puts it"));
    const QByteArray hashed = line.left(at) + line.mid(at + member.size());
    const QByteArray actual = computeHash(hashed, entry->prev);
    if (actual != entry->hash)
        return makeError("audit.hash_mismatch",
            QStringLiteral("seq %1: hash %2 does not match the line (computed %3)")
                .arg(entry->seq)
                .arg(QString::fromLatin1(entry->hash), QString::fromLatin1(actual)));
    return entry;
}

} // namespace Shivx::AuditEntryCodec

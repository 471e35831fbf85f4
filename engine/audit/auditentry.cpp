#include "audit/auditentry.h"

#include "audit/canonicaljson.h"
#include "core/timeutil.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTimeZone>

namespace Shivx::AuditEntryCodec {

namespace {

bool isHex64(const QByteArray &s)
{
    if (s.size() != 64)
        return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

QJsonObject toObject(const AuditEntry &e, bool withHash)
{
    QJsonObject o{{QStringLiteral("action"), e.action},
                  {QStringLiteral("actor"), e.actor},
                  {QStringLiteral("data"), e.data},
                  {QStringLiteral("prev"), QString::fromLatin1(e.prev)},
                  {QStringLiteral("seq"), e.seq},
                  {QStringLiteral("stream"), e.stream},
                  {QStringLiteral("ts"), TimeUtil::toRfc3339(e.tsMs)}};
    if (withHash)
        o.insert(QStringLiteral("hash"), QString::fromLatin1(e.hash));
    return o;
}

} // namespace

QByteArray genesisHash()
{
    return QByteArray(64, '0');
}

bool isValidStreamName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[a-z0-9][a-z0-9_-]{0,31}$"));
    return re.match(name).hasMatch();
}

Result<QByteArray> hashedBytes(const AuditEntry &entry)
{
    return CanonicalJson::serialize(toObject(entry, false));
}

QByteArray computeHash(const QByteArray &hashed, const QByteArray &prev)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(hashed);
    h.addData(prev);
    return h.result().toHex();
}

Result<QByteArray> seal(AuditEntry &entry)
{
    if (!isValidStreamName(entry.stream))
        return makeError("audit.stream", QStringLiteral("invalid stream name \"%1\"").arg(entry.stream));
    if (entry.action.isEmpty() || entry.actor.isEmpty())
        return makeError("audit.entry", QStringLiteral("an audit entry needs an action and an actor"));
    if (!isHex64(entry.prev))
        return makeError("audit.entry", QStringLiteral("prev must be 64 lowercase hex characters"));
    auto hashed = hashedBytes(entry);
    if (!hashed)
        return hashed.error();
    entry.hash = computeHash(hashed.value(), entry.prev);
    return CanonicalJson::serialize(toObject(entry, true));
}

Result<AuditEntry> parse(const QByteArray &line)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &pe);
    if (pe.error != QJsonParseError::NoError)
        return makeError("audit.bad_json", QStringLiteral("not JSON: %1 at byte %2").arg(pe.errorString()).arg(pe.offset));
    if (!doc.isObject())
        return makeError("audit.bad_json", QStringLiteral("not a JSON object"));
    const QJsonObject o = doc.object();
    static const QStringList keys{QStringLiteral("action"), QStringLiteral("actor"), QStringLiteral("data"),
                                  QStringLiteral("hash"),   QStringLiteral("prev"),  QStringLiteral("seq"),
                                  QStringLiteral("stream"), QStringLiteral("ts")};
    if (o.keys() != keys)
        return makeError("audit.bad_entry", QStringLiteral("members are [%1], expected [%2]")
                                                .arg(o.keys().join(QLatin1Char(',')), keys.join(QLatin1Char(','))));
    AuditEntry e;
    const QJsonValue seq = o.value(QStringLiteral("seq"));
    const double seqValue = seq.toDouble(-1);
    if (!seq.isDouble() || seqValue < 1 || seqValue != double(qint64(seqValue)))
        return makeError("audit.bad_entry", QStringLiteral("seq must be a positive integer"));
    e.seq = qint64(seqValue);
    for (const char *k : {"action", "actor", "stream", "ts", "prev", "hash"})
        if (!o.value(QLatin1String(k)).isString())
            return makeError("audit.bad_entry", QStringLiteral("%1 must be a string").arg(QLatin1String(k)));
    if (!o.value(QStringLiteral("data")).isObject())
        return makeError("audit.bad_entry", QStringLiteral("data must be an object"));
    e.action = o.value(QStringLiteral("action")).toString();
    e.actor = o.value(QStringLiteral("actor")).toString();
    e.stream = o.value(QStringLiteral("stream")).toString();
    e.data = o.value(QStringLiteral("data")).toObject();
    e.prev = o.value(QStringLiteral("prev")).toString().toLatin1();
    e.hash = o.value(QStringLiteral("hash")).toString().toLatin1();
    if (!isHex64(e.prev) || !isHex64(e.hash))
        return makeError("audit.bad_entry", QStringLiteral("prev and hash must be 64 lowercase hex characters"));
    const QString ts = o.value(QStringLiteral("ts")).toString();
    const QDateTime dt = QDateTime::fromString(ts, QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
    if (!dt.isValid() || ts.size() != 24)
        return makeError("audit.bad_entry", QStringLiteral("ts \"%1\" is not RFC 3339 UTC with milliseconds").arg(ts.left(40)));
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
        return makeError("audit.bad_entry", QStringLiteral("the hash member is not where canonical JSON puts it"));
    const QByteArray hashed = line.left(at) + line.mid(at + member.size());
    const QByteArray actual = computeHash(hashed, entry->prev);
    if (actual != entry->hash)
        return makeError("audit.hash_mismatch", QStringLiteral("seq %1: hash %2 does not match the line (computed %3)")
                                                    .arg(entry->seq)
                                                    .arg(QString::fromLatin1(entry->hash), QString::fromLatin1(actual)));
    return entry;
}

} // namespace Shivx::AuditEntryCodec

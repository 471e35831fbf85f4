#include "audit/segmentseal.h"

#include "audit/canonicaljson.h"
#include "audit/segmentfiles.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

namespace Shivx::AuditFiles {

QByteArray SegmentSeal::toJson() const
{
    const QJsonObject o { { QStringLiteral("bytes"), bytes },
        { QStringLiteral("entries"), entries }, { QStringLiteral("first_seq"), firstSeq },
        { QStringLiteral("last_hash"), QString::fromLatin1(lastHash) },
        { QStringLiteral("last_seq"), lastSeq },
        { QStringLiteral("prev"), QString::fromLatin1(prev) },
        { QStringLiteral("segment"), segment },
        { QStringLiteral("sha256"), QString::fromLatin1(sha256) } };
    return CanonicalJson::serialize(o).value(); // strings and integers below 2^53
}

Result<SegmentSeal> SegmentSeal::parse(const QByteArray &json)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (!doc.isObject())
        return makeError(
            "audit.bad_seal", QStringLiteral("not a JSON object (%1)").arg(pe.errorString()));
    const QJsonObject o = doc.object();
    static const QStringList keys { QStringLiteral("bytes"), QStringLiteral("entries"),
        QStringLiteral("first_seq"), QStringLiteral("last_hash"), QStringLiteral("last_seq"),
        QStringLiteral("prev"), QStringLiteral("segment"), QStringLiteral("sha256") };
    if (o.keys() != keys)
        return makeError("audit.bad_seal",
            QStringLiteral("members are [%1], expected [%2]")
                .arg(o.keys().join(QLatin1Char(',')), keys.join(QLatin1Char(','))));
    SegmentSeal s;
    s.bytes = o.value(QStringLiteral("bytes")).toInteger(-1);
    s.entries = o.value(QStringLiteral("entries")).toInteger(-1);
    s.firstSeq = o.value(QStringLiteral("first_seq")).toInteger(-1);
    s.lastSeq = o.value(QStringLiteral("last_seq")).toInteger(-1);
    s.lastHash = o.value(QStringLiteral("last_hash")).toString().toLatin1();
    s.prev = o.value(QStringLiteral("prev")).toString().toLatin1();
    s.segment = o.value(QStringLiteral("segment")).toString();
    s.sha256 = o.value(QStringLiteral("sha256")).toString().toLatin1();
    if (s.bytes < 0 || s.entries < 0 || s.firstSeq < 0 || s.lastSeq < 0 || s.lastHash.size() != 64
        || s.prev.size() != 64 || s.sha256.size() != 64 || segmentNumber(s.segment) <= 0
        || segmentName(segmentNumber(s.segment)) != s.segment)
        return makeError("audit.bad_seal", QStringLiteral("a member has the wrong type or shape"));
    return s;
}

Result<SegmentSeal> readSeal(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(
            "audit.io", QStringLiteral("%1: cannot read: %2").arg(path, f.errorString()));
    auto seal = SegmentSeal::parse(f.readAll());
    if (!seal)
        return makeError(
            "audit.bad_seal", QStringLiteral("%1: %2").arg(path, seal.error().message));
    return seal;
}

} // namespace Shivx::AuditFiles

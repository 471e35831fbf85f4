#include "audit/auditconfig.h"

#include "core/configreader.h"

#include <QRegularExpression>

namespace Shivx {

QString toString(AuditConfig::Durability durability)
{
    switch (durability) {
    case AuditConfig::Durability::Entry:
        return QStringLiteral("entry");
    case AuditConfig::Durability::Batch:
        return QStringLiteral("batch");
    case AuditConfig::Durability::Os:
        return QStringLiteral("os");
    }
    return {};
}

namespace Internal {

qint64 parseByteSize(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^\\s*(\\d{1,15})\\s*(B|KiB|MiB|GiB)?\\s*$"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return -1;
    qint64 v = m.captured(1).toLongLong();
    const QString unit = m.captured(2);
    if (unit == QLatin1String("KiB"))
        v *= 1024;
    else if (unit == QLatin1String("MiB"))
        v *= 1024 * 1024;
    else if (unit == QLatin1String("GiB"))
        v *= 1024LL * 1024 * 1024;
    return v;
}

void readAuditConfig(ConfigReader &r, const YAML::Node &node, AuditConfig *out)
{
    const QString p = QStringLiteral("audit");
    if (!node.IsDefined() || node.IsNull())
        return;
    if (!r.checkKeys(node, p,
            { QStringLiteral("durability"), QStringLiteral("segment"),
                QStringLiteral("compress_rotated"), QStringLiteral("retention"),
                QStringLiteral("checkpoint") }))
        return;

    QString durability;
    r.string(node, p, "durability", &durability);
    if (!durability.isEmpty()) {
        if (durability == QLatin1String("entry"))
            out->durability = AuditConfig::Durability::Entry;
        else if (durability == QLatin1String("batch"))
            out->durability = AuditConfig::Durability::Batch;
        else if (durability == QLatin1String("os"))
            out->durability = AuditConfig::Durability::Os;
        else
            r.fail(node["durability"], QStringLiteral("audit.durability"),
                QStringLiteral("\"%1\" is not entry, batch or os").arg(durability));
    }

    if (const YAML::Node s = node["segment"]; !r.failed() && s.IsDefined() && !s.IsNull()) {
        const QString sp = QStringLiteral("audit.segment");
        if (r.checkKeys(s, sp, { QStringLiteral("max_size"), QStringLiteral("max_age") })) {
            QString size;
            r.string(s, sp, "max_size", &size);
            if (!r.failed() && !size.isEmpty()) {
                const qint64 bytes = parseByteSize(size);
                if (bytes < 0)
                    r.fail(s["max_size"], sp + QStringLiteral(".max_size"),
                        QStringLiteral("\"%1\" is not a size such as 16MiB, 512KiB or 65536")
                            .arg(size));
                else if (bytes < 4096 || bytes > 1024LL * 1024 * 1024)
                    r.fail(s["max_size"], sp + QStringLiteral(".max_size"),
                        QStringLiteral("%1 bytes is out of range [4KiB, 1GiB]").arg(bytes));
                else
                    out->segmentMaxBytes = bytes;
            }
            r.duration(s, sp, "max_age", &out->segmentMaxAgeMs, 60'000);
        }
    }

    r.boolean(node, p, "compress_rotated", &out->compressRotated);

    if (const YAML::Node ret = node["retention"]; !r.failed() && ret.IsDefined() && !ret.IsNull()) {
        if (ret.IsScalar() && ret.Scalar() == "forever")
            out->retentionMs = 0;
        else
            r.duration(node, p, "retention", &out->retentionMs, 3'600'000);
    }

    if (const YAML::Node c = node["checkpoint"]; !r.failed() && c.IsDefined() && !c.IsNull()) {
        const QString cp = QStringLiteral("audit.checkpoint");
        if (r.checkKeys(c, cp, { QStringLiteral("every_entries"), QStringLiteral("every") })) {
            r.integer(c, cp, "every_entries", &out->checkpointEveryEntries, 1, 100'000'000);
            r.timerDuration(c, cp, "every", &out->checkpointEveryMs, 1000);
        }
    }
}

} // namespace Internal

} // namespace Shivx

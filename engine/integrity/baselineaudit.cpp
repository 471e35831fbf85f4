#include "integrity/baselineaudit.h"

#include "audit/auditreader.h"
#include "audit/auditsink.h"
#include "audit/segmentfiles.h"

namespace Shivx::BaselineAudit {

QByteArray lastAuditedDigest(const QString &dataDir)
{
    const auto reader = AuditReader::open(AuditFiles::streamDir(dataDir, AuditStreams::security()));
    if (!reader)
        return {};
    constexpr qint64 Block = 512;
    for (qint64 end = reader->rowCount(); end > 0; end -= Block) {
        const qint64 first = qMax<qint64>(0, end - Block);
        const QList<AuditRecord> rows = reader->readRows(first, end - first);
        for (auto it = rows.crbegin(); it != rows.crend(); ++it) {
            if (it->valid && it->entry.action == updatedAction())
                return it->entry.data.value(QStringLiteral("digest")).toString().toLatin1();
        }
    }
    return {};
}

} // namespace Shivx::BaselineAudit

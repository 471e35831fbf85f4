#pragma once

#include <QJsonObject>
#include <QMetaType>
#include <QString>

namespace Shivx {

// One thing that happened, on its way into the audit chain. `action` is a stable code
// ("target.transition", "degradation.pinned"), never UI wording, so the log does not change
// with the console's language; details go in `data` (integers only: decimals as strings).
struct AuditEvent
{
    QString stream; // "resilience", "security" or "operator"
    QString actor; // "engine", "console:alice", "cli:alice", "api"
    QString action;
    QJsonObject data;
    qint64 tsMs = 0; // when it happened (ms since epoch, UTC); 0 = when the writer takes it
};

// Where every service sends its audit events. record() is thread-safe and never blocks on
// disk: the writer thread appends, hashes and syncs in batches.
class AuditSink
{
public:
    virtual ~AuditSink() = default;
    virtual void record(AuditEvent event) = 0;
};

namespace AuditStreams {
inline QString resilience()
{
    return QStringLiteral("resilience");
}
inline QString security()
{
    return QStringLiteral("security");
}
inline QString operatorActions()
{
    return QStringLiteral("operator");
}
} // namespace AuditStreams

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::AuditEvent)

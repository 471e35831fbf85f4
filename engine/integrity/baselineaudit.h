#pragma once

#include <QByteArray>
#include <QString>

namespace Shivx {

// The audit chain's record of the baseline: every update writes an
// `integrity.baseline_updated` entry on the `security` stream carrying the new file's digest.
namespace BaselineAudit {

inline QString updatedAction()
{
    return QStringLiteral("integrity.baseline_updated");
}

// The digest (hex) of the newest `integrity.baseline_updated` entry in DATA/audit/security,
// read from the end of the stream; empty when the stream holds none. Entries that do not
// parse are skipped (the audit verifier is the tool that reports them).
QByteArray lastAuditedDigest(const QString &dataDir);

} // namespace BaselineAudit
} // namespace Shivx

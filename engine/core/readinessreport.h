#pragma once

#include "core/message.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace Shivx {

// Readiness: each named check passes or fails with a reason. Every module contributes its
// checks (ModuleHost::addReadinessChecks); the engine is ready when all pass.
struct ReadinessCheck
{
    QString name; // "storage", "sampler", "target:web", "degradation"
    bool ok = false;
    Message detail;
};

struct Readiness
{
    bool ready = false;
    QList<ReadinessCheck> checks;
};

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::Readiness)

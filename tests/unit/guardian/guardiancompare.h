#pragma once

#include "api/apiguard.h"
#include "guardian/defensemode.h"
#include "guardian/threatevent.h"

#include <QTest>

// DefenseMode and ThreatSeverity compare through Shivx::toString() (ADL prefers it to
// QTest's template); the guard's decision has no wording of its own.
namespace QTest {
template <> inline char *toString(const Shivx::ApiGuard::Decision &d)
{
    return qstrdup(QByteArray::number(int(d)).constData());
}
} // namespace QTest

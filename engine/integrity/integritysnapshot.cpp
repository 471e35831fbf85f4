#include "integrity/integritysnapshot.h"

namespace Shivx {

QString toString(IntegrityMode mode)
{
    return mode == IntegrityMode::Fast ? QStringLiteral("fast") : QStringLiteral("full");
}

std::optional<IntegrityMode> parseIntegrityMode(const QString &text)
{
    if (text.compare(QLatin1String("fast"), Qt::CaseInsensitive) == 0)
        return IntegrityMode::Fast;
    if (text.compare(QLatin1String("full"), Qt::CaseInsensitive) == 0)
        return IntegrityMode::Full;
    return std::nullopt;
}

qint64 IntegrityResult::count(IntegrityDifference::Kind kind) const
{
    qint64 n = 0;
    for (const IntegrityDifference &d : differences)
        n += d.kind == kind ? 1 : 0;
    return n;
}

QString toString(IntegrityResult::Outcome outcome)
{
    switch (outcome) {
    case IntegrityResult::Outcome::Ok:
        return QStringLiteral("ok");
    case IntegrityResult::Outcome::Cancelled:
        return QStringLiteral("cancelled");
    case IntegrityResult::Outcome::Failed:
        return QStringLiteral("failed");
    }
    return QString();
}

} // namespace Shivx

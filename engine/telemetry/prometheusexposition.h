#pragma once

#include "health/healthreport.h"
#include "health/hostsample.h"
#include "health/target.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace Shivx {

// Writes the Prometheus text exposition format (version 0.0.4): every family gets HELP and
// TYPE, label values are escaped, and families are written whole, once each.
class PrometheusWriter
{
public:
    using Labels = QList<QPair<QString, QString>>;

    void family(const char *name, const char *type, const char *help);
    void sample(const char *name, const Labels &labels, double value);
    void sample(const char *name, double value) { sample(name, {}, value); }
    QByteArray take() { return std::move(m_out); }

    static QByteArray escapeLabelValue(const QString &value);
    static QByteArray formatValue(double value);

private:
    QByteArray m_out;
};

struct ExpositionInput
{
    HostSample host;
    QList<TargetStatus> targets;
    HealthReport health;
    Readiness readiness;
    qint64 startedAtMs = 0;
    quint64 historyPointsWritten = 0;
    quint64 historyWriteErrors = 0;
    quint64 historyPointsDropped = 0;
    QList<QPair<int, quint64>> apiRequestsByCode;
};

// The engine's metrics, all prefixed shivx_ and in base units (bytes, seconds, ratios).
QByteArray renderEngineMetrics(const ExpositionInput &in);

} // namespace Shivx

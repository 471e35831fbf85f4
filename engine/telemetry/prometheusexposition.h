#pragma once

#include "core/readinessreport.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <functional>

namespace Shivx {

class MetricRegistry;

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

// What the engine's core reports about itself; every module registers its own families
// (ModuleHost::metrics()).
struct CoreMetricsInput
{
    qint64 startedAtMs = 0;
    Readiness readiness;
    quint64 historyPointsWritten = 0;
    quint64 historyWriteErrors = 0;
    quint64 historyPointsDropped = 0;
    QList<QPair<int, quint64>> apiRequestsByCode;
};

// Registers shivx_build_info, shivx_engine_start_time_seconds, shivx_ready,
// shivx_readiness_check, shivx_history_* and shivx_api_requests_total, mirrored from what
// `input` returns at each collection (on the collecting thread: it reads thread-safe state).
void registerCoreMetrics(MetricRegistry &registry, std::function<CoreMetricsInput()> input);

} // namespace Shivx

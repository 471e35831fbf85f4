#include "telemetry/prometheusexposition.h"

#include "telemetry/metricregistry.h"

#include <QCoreApplication>
#include <QLocale>
#include <QSet>

#include <cmath>

namespace Shivx {

void PrometheusWriter::family(const char *name, const char *type, const char *help)
{
    m_out += "# HELP ";
    m_out += name;
    m_out += ' ';
    m_out += help;
    m_out += "\n# TYPE ";
    m_out += name;
    m_out += ' ';
    m_out += type;
    m_out += '\n';
}

QByteArray PrometheusWriter::escapeLabelValue(const QString &value)
{
    QByteArray out;
    const QByteArray utf8 = value.toUtf8();
    out.reserve(utf8.size());
    for (char c : utf8) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

QByteArray PrometheusWriter::formatValue(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    if (value == std::floor(value) && std::fabs(value) < 1e15)
        return QByteArray::number(qint64(value));
    return QString::number(value, 'g', QLocale::FloatingPointShortest).toLatin1();
}

void PrometheusWriter::sample(const char *name, const Labels &labels, double value)
{
    m_out += name;
    if (!labels.isEmpty()) {
        m_out += '{';
        for (int i = 0; i < labels.size(); ++i) {
            if (i)
                m_out += ',';
            m_out += labels.at(i).first.toLatin1();
            m_out += "=\"";
            m_out += escapeLabelValue(labels.at(i).second);
            m_out += '"';
        }
        m_out += '}';
    }
    m_out += ' ';
    m_out += formatValue(value);
    m_out += '\n';
}

void registerCoreMetrics(MetricRegistry &registry, std::function<CoreMetricsInput()> input)
{
    MetricRegistry &r = registry;
    MetricFamily *build = r.gauge(QStringLiteral("shivx_build_info"),
        QStringLiteral("Version of the running engine; the value is always 1."),
        { QStringLiteral("version") });
    Gauge start = r.gauge(QStringLiteral("shivx_engine_start_time_seconds"),
                       QStringLiteral("Unix time the engine started."))
                      ->gauge();
    Gauge ready = r.gauge(QStringLiteral("shivx_ready"),
                       QStringLiteral("1 when the engine is ready to serve, else 0."))
                      ->gauge();
    MetricFamily *checks = r.gauge(QStringLiteral("shivx_readiness_check"),
        QStringLiteral("1 when a readiness check passes, else 0."), { QStringLiteral("check") });
    Counter written = r.counter(QStringLiteral("shivx_history_points_written_total"),
                           QStringLiteral("Metric history points written to storage."))
                          ->counter();
    Counter errors = r.counter(QStringLiteral("shivx_history_write_errors_total"),
                          QStringLiteral("Failed metric history writes."))
                         ->counter();
    Counter dropped = r.counter(QStringLiteral("shivx_history_points_dropped_total"),
                           QStringLiteral("Metric points dropped because their value was not "
                                          "finite."))
                          ->counter();
    MetricFamily *requests = r.counter(QStringLiteral("shivx_api_requests_total"),
        QStringLiteral("HTTP API requests by status code, refusals before routing included."),
        { QStringLiteral("code") });
    build->gauge({ QCoreApplication::applicationVersion() }).set(1);
    r.addCollector([=, input = std::move(input)]() mutable {
        const CoreMetricsInput in = input();
        start.set(double(in.startedAtMs) / 1000.0);
        ready.set(in.readiness.ready ? 1 : 0);
        QSet<QString> names;
        for (const auto &c : in.readiness.checks) {
            checks->gauge({ c.name }).set(c.ok ? 1 : 0);
            names.insert(c.name);
        }
        checks->retain([&](const QStringList &v) { return names.contains(v.value(0)); });
        written.advanceTo(double(in.historyPointsWritten));
        errors.advanceTo(double(in.historyWriteErrors));
        dropped.advanceTo(double(in.historyPointsDropped));
        for (const auto &c : in.apiRequestsByCode)
            requests->counter({ QString::number(c.first) }).advanceTo(double(c.second));
    });
}

} // namespace Shivx

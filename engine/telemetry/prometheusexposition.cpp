#include "telemetry/prometheusexposition.h"

#include <QCoreApplication>
#include <QLocale>

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

QByteArray renderCoreMetrics(const CoreMetricsInput &in)
{
    PrometheusWriter w;
    using L = PrometheusWriter::Labels;
    const auto s = [](const char *v) { return QString::fromLatin1(v); };

    w.family("shivx_build_info", "gauge", "Version of the running engine; the value is always 1.");
    w.sample("shivx_build_info", L { { s("version"), QCoreApplication::applicationVersion() } }, 1);
    w.family("shivx_engine_start_time_seconds", "gauge", "Unix time the engine started.");
    w.sample("shivx_engine_start_time_seconds", double(in.startedAtMs) / 1000.0);

    w.family("shivx_ready", "gauge", "1 when the engine is ready to serve, else 0.");
    w.sample("shivx_ready", in.readiness.ready ? 1 : 0);
    w.family("shivx_readiness_check", "gauge", "1 when a readiness check passes, else 0.");
    for (const auto &c : in.readiness.checks)
        w.sample("shivx_readiness_check", L { { s("check"), c.name } }, c.ok ? 1 : 0);

    w.family("shivx_history_points_written_total", "counter",
        "Metric history points written to storage.");
    w.sample("shivx_history_points_written_total", double(in.historyPointsWritten));
    w.family("shivx_history_write_errors_total", "counter", "Failed metric history writes.");
    w.sample("shivx_history_write_errors_total", double(in.historyWriteErrors));
    w.family("shivx_history_points_dropped_total", "counter",
        "Metric points dropped because their value was not finite.");
    w.sample("shivx_history_points_dropped_total", double(in.historyPointsDropped));
    w.family("shivx_api_requests_total", "counter", "HTTP API requests by status code.");
    for (const auto &c : in.apiRequestsByCode)
        w.sample("shivx_api_requests_total", L { { s("code"), QString::number(c.first) } },
            double(c.second));
    return w.take();
}

} // namespace Shivx

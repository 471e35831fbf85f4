#include "alerting/prometheusrules.h"

#include <QLocale>
#include <QRegularExpression>

#include <yaml-cpp/yaml.h>

namespace Shivx {

QString ruleDuration(qint64 ms)
{
    if (ms % 1000 != 0)
        return QStringLiteral("%1ms").arg(ms);
    const qint64 s = ms / 1000;
    if (s % 3600 == 0 && s > 0)
        return QStringLiteral("%1h").arg(s / 3600);
    if (s % 60 == 0 && s > 0)
        return QStringLiteral("%1m").arg(s / 60);
    return QStringLiteral("%1s").arg(s);
}

namespace {

QString number(double v)
{
    return QString::number(v, 'g', QLocale::FloatingPointShortest);
}

// {{ $threshold }} and {{ $alert }} have no Prometheus equivalent: written out. {{ $value }}
// and {{ $labels.NAME }} mean the same in both.
QString annotation(const QString &text, const AlertRule &rule)
{
    QString out = text;
    static const QRegularExpression threshold(QStringLiteral("\\{\\{\\s*\\$threshold\\s*\\}\\}"));
    static const QRegularExpression alert(QStringLiteral("\\{\\{\\s*\\$alert\\s*\\}\\}"));
    out.replace(threshold, number(rule.threshold));
    out.replace(alert, rule.name);
    return out;
}

} // namespace

QString promqlOf(const AlertRule &rule)
{
    if (rule.always)
        return QStringLiteral("vector(1)");
    const QString sel = rule.series.toString();
    const QString range = QStringLiteral("%1[%2]").arg(sel, ruleDuration(rule.windowMs));
    QString expr;
    switch (rule.function) {
    case WindowFunction::Last:
        expr = sel;
        break;
    case WindowFunction::Avg:
        expr = QStringLiteral("avg_over_time(%1)").arg(range);
        break;
    case WindowFunction::Min:
        expr = QStringLiteral("min_over_time(%1)").arg(range);
        break;
    case WindowFunction::Max:
        expr = QStringLiteral("max_over_time(%1)").arg(range);
        break;
    case WindowFunction::Rate:
        expr = QStringLiteral("rate(%1)").arg(range);
        break;
    case WindowFunction::Increase:
        expr = QStringLiteral("increase(%1)").arg(range);
        break;
    case WindowFunction::Quantile:
        expr = QStringLiteral("quantile_over_time(%1, %2)").arg(number(rule.param), range);
        break;
    case WindowFunction::HoursLeft:
        expr = QStringLiteral("((%1 - %2) / deriv(%3) / 3600 >= 0)")
                   .arg(number(rule.param), sel, range);
        break;
    }
    return QStringLiteral("%1 %2 %3").arg(expr, toString(rule.op), number(rule.threshold));
}

QByteArray toPrometheusRules(const QList<AlertRule> &rules)
{
    YAML::Emitter e;
    e << YAML::BeginMap << YAML::Key << "groups" << YAML::Value << YAML::BeginSeq;
    QStringList groups;
    for (const AlertRule &r : rules)
        if (!groups.contains(r.group))
            groups << r.group;
    for (const QString &group : groups) {
        e << YAML::BeginMap << YAML::Key << "name" << YAML::Value
          << (group.isEmpty() ? std::string("shivx") : group.toStdString());
        e << YAML::Key << "rules" << YAML::Value << YAML::BeginSeq;
        for (const AlertRule &r : rules) {
            if (r.group != group)
                continue;
            if (!r.inhibitedBy.isEmpty())
                e << YAML::Comment(
                    QStringLiteral("inhibited by %1 (equal: %2): an Alertmanager "
                                   "inhibit_rule")
                        .arg(r.inhibitedBy.join(QStringLiteral(", ")),
                            r.inhibitEqual.isEmpty() ? QStringLiteral("all")
                                                     : r.inhibitEqual.join(QStringLiteral(", ")))
                        .toStdString());
            e << YAML::BeginMap;
            e << YAML::Key << "alert" << YAML::Value << r.name.toStdString();
            e << YAML::Key << "expr" << YAML::Value << promqlOf(r).toStdString();
            if (r.forMs > 0)
                e << YAML::Key << "for" << YAML::Value << ruleDuration(r.forMs).toStdString();
            e << YAML::Key << "labels" << YAML::Value << YAML::BeginMap;
            e << YAML::Key << "severity" << YAML::Value << r.severity.toStdString();
            for (auto it = r.labels.cbegin(); it != r.labels.cend(); ++it)
                e << YAML::Key << it.key().toStdString() << YAML::Value << it.value().toStdString();
            e << YAML::EndMap;
            if (!r.summary.isEmpty() || !r.description.isEmpty()) {
                e << YAML::Key << "annotations" << YAML::Value << YAML::BeginMap;
                if (!r.summary.isEmpty())
                    e << YAML::Key << "summary" << YAML::Value
                      << annotation(r.summary, r).toStdString();
                if (!r.description.isEmpty())
                    e << YAML::Key << "description" << YAML::Value
                      << annotation(r.description, r).toStdString();
                e << YAML::EndMap;
            }
            e << YAML::EndMap;
        }
        e << YAML::EndSeq << YAML::EndMap;
    }
    e << YAML::EndSeq << YAML::EndMap;
    return QByteArray(e.c_str()) + '\n';
}

} // namespace Shivx

#pragma once

#include "alerting/slidingwindow.h"
#include "core/result.h"

#include <QList>
#include <QMap>
#include <QPair>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace YAML {
class Node;
}

namespace Shivx {

namespace Internal {
class ConfigReader;
}

// One label matcher of a selector: label="v", label!="v", label=~"re", label!~"re" (the
// regular expressions are anchored, as in PromQL).
struct LabelMatcher
{
    enum class Op { Equal, NotEqual, Regex, NotRegex };
    QString label;
    Op op = Op::Equal;
    QString value;
    QRegularExpression re; // for Regex and NotRegex

    bool matches(const QString &actual) const;
};

// A series selector over the metric registry: a metric name and label matchers, written as in
// PromQL: shivx_target_up{type="http",target!~"test-.*"}.
struct SeriesSelector
{
    QString metric;
    QList<LabelMatcher> matchers;

    // Parses `text`; errors name the position and what was expected.
    static Result<SeriesSelector> parse(const QString &text);
    bool matches(const QStringList &labelNames, const QStringList &labelValues) const;
    QString toString() const; // back in PromQL form
};

enum class Comparison { Greater, GreaterEqual, Less, LessEqual, Equal, NotEqual };

// One alerting rule (docs/alerting.md): `alert` over `series`, `function` over `window`,
// compared with `threshold`, true for `forMs` before it fires.
struct AlertRule
{
    QString name; // "CpuHigh"; the alertname label
    QString group; // the group the rule came from
    SeriesSelector series;
    WindowFunction function = WindowFunction::Last;
    double param = 0; // the quantile (0-1) for Quantile, the target value for HoursLeft
    qint64 windowMs = 60'000;
    Comparison op = Comparison::Greater;
    double threshold = 0;
    qint64 forMs = 0;
    QString severity = QStringLiteral("warning"); // critical, warning, info, none
    QMap<QString, QString> labels; // extra labels for notifications
    QString summary; // templates: {{ $value }}, {{ $labels.NAME }}, {{ $threshold }}
    QString description;
    // Alerts of this rule are inhibited (kept, not notified) while an alert of one of these
    // rules fires with the same values of `inhibitEqual` labels (all of them when empty).
    QStringList inhibitedBy;
    QStringList inhibitEqual;
    bool always = false; // Watchdog: fires whatever the series (the `vector(1)` of Prometheus)
    QString source; // "file:line" where the rule was defined, for errors and the API

    bool compare(double value) const;
};

QString toString(WindowFunction f);
QString toString(Comparison c);

// Fills {{ $value }}, {{ $threshold }}, {{ $labels.NAME }} and {{ $alert }} in `text`.
QString expandTemplate(
    const QString &text, const AlertRule &rule, const QMap<QString, QString> &labels, double value);

// Reads rule files: `path` is a YAML file or a directory of *.yml / *.yaml files (read in
// name order). Errors name the file, line and key. Names must be unique across files, and
// every rule named in inhibited_by must exist.
Result<QList<AlertRule>> loadAlertRules(const QString &path);
// The same from text (tests, the embedded defaults); `source` names it in errors.
Result<QList<AlertRule>> parseAlertRules(const QByteArray &yaml, const QString &source);

} // namespace Shivx

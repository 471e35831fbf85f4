#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace Shivx {

// One sample line of the Prometheus text format.
struct ExpositionSample
{
    int line = 0; // 1-based, for errors that come later (limits)
    QString name;
    QList<QPair<QString, QString>> labels; // in the order written, values unescaped
    double value = 0;
    std::optional<qint64> timestampMs;
    // The family the sample belongs to and its TYPE: `name` itself, or for name_bucket,
    // name_sum and name_count the base name when a TYPE line declared it histogram or summary.
    // "untyped" when no TYPE line names the family.
    QString family;
    QString type = QStringLiteral("untyped");
};

// Reads the Prometheus text exposition format 0.0.4 (what /metrics serves and promtool
// checks): "# HELP name text" and "# TYPE name counter|gauge|histogram|summary|untyped" lines,
// other comments, blank lines, and samples `name{label="value",...} value [timestamp_ms]`
// with the escapes \\ \" \n in label values, NaN and +Inf/-Inf values. Strict where
// Prometheus is: names and label names by its grammar, no duplicate label in a sample, one
// TYPE per name and before its samples. The first mistake is the error, as
// "line N: what was wrong" (code metrics.bad_exposition). Pure function; any thread.
class ExpositionParser
{
public:
    static Result<QList<ExpositionSample>> parse(const QByteArray &text);

    static bool isMetricName(QStringView name);
    static bool isLabelName(QStringView name);
};

} // namespace Shivx

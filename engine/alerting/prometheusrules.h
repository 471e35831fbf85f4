#pragma once

#include "alerting/alertrule.h"

#include <QByteArray>
#include <QList>

namespace Shivx {

// The rules as a Prometheus rules file (`shivx alerts export --prometheus`), for users who
// run Prometheus against /metrics: one group per rule group, the same names, `for`, labels
// (severity included) and annotations. A function becomes its PromQL form (`hours_until`:
// `(TARGET - SEL) / deriv(SEL[W]) / 3600`, kept only when >= 0); `always` becomes vector(1).
// Inhibition is Alertmanager's business (inhibit_rules) and is written as a comment per rule.
// `promtool check rules` accepts the output (tst_prometheusrules).
QByteArray toPrometheusRules(const QList<AlertRule> &rules);

// The PromQL expression of one rule (with its comparison).
QString promqlOf(const AlertRule &rule);

// A duration as rule files write it: "5m", "2h", "30s", "1500ms".
QString ruleDuration(qint64 ms);

} // namespace Shivx

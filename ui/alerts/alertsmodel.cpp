#include "alerts/alertsmodel.h"

#include "widgets/displayformat.h"
#include "widgets/statuscolors.h"

#include <QDateTime>

namespace Shivx::Ui {

namespace {

QColor severityColor(const QString &severity)
{
    if (severity == QLatin1String("critical"))
        return StatusColors::critical();
    if (severity == QLatin1String("warning"))
        return StatusColors::warning();
    return StatusColors::unknown();
}

qint64 sinceMs(const AlertInstance &a)
{
    return a.state == AlertState::Firing ? a.firedAtMs : a.activeSinceMs;
}

} // namespace

void AlertsModel::setAlerts(const QList<AlertInstance> &alerts)
{
    QList<AlertRow> rows;
    rows.reserve(alerts.size());
    for (const AlertInstance &a : alerts)
        rows.append({ a.fingerprint, a });
    update(rows);
}

int AlertsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString AlertsModel::labelsText(const QMap<QString, QString> &labels)
{
    QStringList parts;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        if (it.key() != QLatin1String("alertname") && it.key() != QLatin1String("severity"))
            parts << it.key() + QLatin1Char('=') + it.value();
    return parts.join(QStringLiteral(", "));
}

QString AlertsModel::severityText(const QString &severity)
{
    if (severity == QLatin1String("critical"))
        return tr("critical");
    if (severity == QLatin1String("warning"))
        return tr("warning");
    if (severity == QLatin1String("info"))
        return tr("info");
    if (severity == QLatin1String("none"))
        return tr("none");
    return severity;
}

QString AlertsModel::stateText(AlertState state)
{
    switch (state) {
    case AlertState::Pending:
        return tr("pending");
    case AlertState::Firing:
        return tr("firing");
    case AlertState::Resolved:
        return tr("resolved");
    }
    return QString();
}

QVariant AlertsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const AlertInstance &a = m_rows.at(index.row()).alert;
    if (role == FingerprintRole)
        return a.fingerprint;
    if (role == StateRole)
        return int(a.state);
    const int column = index.column();
    if (role == SortRole) {
        if (column == ValueColumn)
            return a.value;
        if (column == SinceColumn)
            return sinceMs(a);
        if (column == SeverityColumn) // critical first when descending
            return QStringList { QStringLiteral("none"), QStringLiteral("info"),
                QStringLiteral("warning"), QStringLiteral("critical") }
                .indexOf(a.severity);
        return data(index, Qt::DisplayRole);
    }
    if (role == Qt::ForegroundRole && column == SeverityColumn)
        return severityColor(a.severity);
    if (role == Qt::ToolTipRole) {
        if (column == SinceColumn)
            return tr("%1 since %2").arg(stateText(a.state), DisplayFormat::dateTime(sinceMs(a)));
        if (column == SummaryColumn && !a.description.isEmpty())
            return a.description;
        if (column == AlertColumn && a.inhibited)
            return tr("Inhibited: an alert it depends on fires, so it is not notified.");
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case AlertColumn:
        return a.inhibited ? tr("%1 (inhibited)").arg(a.rule) : a.rule;
    case SeverityColumn:
        return severityText(a.severity);
    case LabelsColumn:
        return labelsText(a.labels);
    case ValueColumn:
        return QLocale().toString(a.value, 'g', 4);
    case SinceColumn:
        return DisplayFormat::relativeAge(sinceMs(a), QDateTime::currentMSecsSinceEpoch());
    case SummaryColumn:
        return a.summary;
    case AckColumn:
        return a.ackedBy.isEmpty()
            ? QString()
            : tr("%1 at %2").arg(a.ackedBy, DisplayFormat::timeOfDay(a.ackedAtMs));
    }
    return {};
}

QVariant AlertsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case AlertColumn:
        return tr("Alert");
    case SeverityColumn:
        return tr("Severity");
    case LabelsColumn:
        return tr("Labels");
    case ValueColumn:
        return tr("Value");
    case SinceColumn:
        return tr("Since");
    case SummaryColumn:
        return tr("Summary");
    case AckColumn:
        return tr("Acknowledged");
    }
    return {};
}

bool AlertsModel::cellDiffers(int column, const AlertRow &a, const AlertRow &b) const
{
    const AlertInstance &x = a.alert;
    const AlertInstance &y = b.alert;
    switch (column) {
    case AlertColumn:
        return x.rule != y.rule || x.inhibited != y.inhibited;
    case SeverityColumn:
        return x.severity != y.severity;
    case LabelsColumn:
        return x.labels != y.labels;
    case ValueColumn:
        return x.value != y.value;
    case SinceColumn:
        return true; // the age moves on
    case SummaryColumn:
        return x.summary != y.summary || x.description != y.description;
    case AckColumn:
        return x.ackedBy != y.ackedBy || x.ackedAtMs != y.ackedAtMs;
    }
    return false;
}

QList<int> AlertsModel::rolesFor(int column) const
{
    if (column == SeverityColumn)
        return { Qt::DisplayRole, Qt::ForegroundRole, SortRole };
    return { Qt::DisplayRole, Qt::ToolTipRole, SortRole };
}

} // namespace Shivx::Ui

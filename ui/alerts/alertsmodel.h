#pragma once

#include "alerting/alertinstance.h"

#include "widgets/namedrowsmodel.h"

namespace Shivx::Ui {

// One row of AlertsModel: an alert keyed by its fingerprint (NamedRowsModel's `name`).
struct AlertRow
{
    QString name; // the fingerprint
    AlertInstance alert;
};

// Pending, firing or silenced alerts as a table, one row per alert; update() keeps selection
// and emits dataChanged for the changed cells only (the value and the age move each
// evaluation). GUI thread only.
class AlertsModel : public NamedRowsModel<AlertRow>
{
    Q_OBJECT
public:
    enum Column {
        AlertColumn,
        SeverityColumn,
        LabelsColumn,
        ValueColumn,
        SinceColumn,
        SummaryColumn,
        AckColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        FingerprintRole = Qt::UserRole + 1, // QString
        StateRole, // AlertState as int
        SortRole, // what the column sorts by (numbers, times)
    };

    using NamedRowsModel::NamedRowsModel;

    void setAlerts(const QList<AlertInstance> &alerts);
    const AlertInstance &alertAt(int row) const { return m_rows.at(row).alert; }

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The alert's own labels, without alertname and severity (shown in their columns):
    // `target=web, type=http`.
    static QString labelsText(const QMap<QString, QString> &labels);
    static QString severityText(const QString &severity);
    static QString stateText(AlertState state);

private:
    bool cellDiffers(int column, const AlertRow &a, const AlertRow &b) const override;
    QList<int> rolesFor(int column) const override;
};

} // namespace Shivx::Ui

#pragma once

#include "alerting/alertstore.h"

#include <QAbstractTableModel>

namespace Shivx::Ui {

// The alert history (AlertingService::history: transitions, newest first) as a table. Read
// whole on each load (the page asks for the newest AlertsPage::HistoryRows). GUI thread only.
class AlertHistoryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        AlertColumn,
        LabelsColumn,
        TransitionColumn,
        ValueColumn,
        ColumnCount
    };
    Q_ENUM(Column)
    enum Role {
        TimeRole = Qt::UserRole + 1, // epoch ms
        ToStateRole, // "pending", "firing", "resolved"
    };

    using QAbstractTableModel::QAbstractTableModel;

    void setEntries(const QList<AlertHistoryEntry> &entries);
    const QList<AlertHistoryEntry> &entries() const { return m_entries; }
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // "inactive", "pending", "firing", "resolved" in the UI language.
    static QString stateWord(const QString &state);

private:
    QList<AlertHistoryEntry> m_entries;
};

} // namespace Shivx::Ui

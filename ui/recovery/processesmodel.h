#pragma once

#include "recovery/processsnapshot.h"

#include <QAbstractTableModel>
#include <QList>

namespace Shivx::Ui {

// The supervised processes table: one row per process, in configuration order. update()
// emits dataChanged for the rows whose snapshot changed and resets only when the set of
// processes changes (a new engine); refreshUptime() repaints just the uptime column.
class ProcessesModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        StateColumn,
        PidColumn,
        UptimeColumn,
        RestartsColumn,
        LastExitColumn,
        ColumnCount
    };
    Q_ENUM(Column)
    // ProcessState as int, for tests and delegates that should not parse wording.
    enum Role { StateRole = Qt::UserRole + 1 };

    explicit ProcessesModel(QObject *parent = nullptr);

    void update(const QList<ProcessSnapshot> &processes);
    // Uptime is derived from the wall clock, so it changes without a new snapshot.
    void refreshUptime();
    void retranslate();
    const QList<ProcessSnapshot> &processes() const { return m_rows; }
    int rowOf(const QString &name) const;

    static QString stateText(ProcessState state);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<ProcessSnapshot> m_rows;
};

} // namespace Shivx::Ui

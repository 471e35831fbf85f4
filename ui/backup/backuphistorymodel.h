#pragma once

#include "backup/backupstate.h"

#include <QAbstractTableModel>

namespace Shivx::Ui {

// The backup runtime's finished operations (BackupService::history), newest first: when,
// what, which set and type, the outcome, how long, how many bytes, who asked, and what it did
// or why it failed. A new list replaces the old one whole (it changes when an operation
// ends). Qt::UserRole on any cell gives the operation's id. GUI thread only.
class BackupHistoryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        StartedColumn,
        KindColumn,
        SetColumn,
        TypeColumn,
        StateColumn,
        DurationColumn,
        BytesColumn,
        ActorColumn,
        DetailsColumn,
        ColumnCount
    };
    static constexpr int IdRole = Qt::UserRole;

    explicit BackupHistoryModel(QObject *parent = nullptr);

    void setOperations(QList<BackupOperation> operations);
    const QList<BackupOperation> &operations() const { return m_rows; }
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<BackupOperation> m_rows;
};

} // namespace Shivx::Ui

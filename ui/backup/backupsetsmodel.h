#pragma once

#include "backup/backupstate.h"
#include "widgets/namedrowsmodel.h"

namespace Shivx::Ui {

// The backup sets, one row each: schedule, next run, the newest snapshot's time, size, type,
// duration and deduplication ratio, the repository's last verify, and the set's last restore
// drill with its measured RTO and RPO. update() (NamedRowsModel) keeps selection while the
// engine reports. Qt::UserRole on any cell gives the set's name. GUI thread only.
class BackupSetsModel : public NamedRowsModel<BackupSetState>
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        ScheduleColumn,
        NextRunColumn,
        LastBackupColumn,
        SizeColumn,
        TypeColumn,
        DurationColumn,
        DedupColumn,
        VerifiedColumn,
        DrillColumn,
        ColumnCount
    };
    static constexpr int NameRole = Qt::UserRole;

    using NamedRowsModel::NamedRowsModel;

    // The repository-wide verify result every row's Verified column shows.
    void setVerify(qint64 lastVerifyMs, int lastVerifyOk, const QString &mode);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

protected:
    bool cellDiffers(int column, const BackupSetState &a, const BackupSetState &b) const override;
    QList<int> rolesFor(int column) const override;

private:
    QString cellText(int column, const BackupSetState &set) const;
    QString verifiedText() const;

    qint64 m_verifyMs = 0;
    int m_verifyOk = -1;
    QString m_verifyMode;
};

} // namespace Shivx::Ui

#pragma once

#include "pipelines/pipelinerecords.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace Shivx::Ui {

// Runs of every pipeline, newest first: the recent ones and every dead-lettered one (the
// dead-letter panel filters this same model). setRuns() replaces the rows (a read from the
// job store); upsert() follows PipelineService::runChanged, as dataChanged for a known run
// and one insertion at the top for a new one. tick() repaints the duration of unfinished
// runs. GUI thread only.
class RunsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Id,
        Pipeline,
        State,
        Trigger,
        Created,
        Duration,
        FailedStage,
        Error,
        ColumnCount
    };
    enum Role {
        RunIdRole = Qt::UserRole + 1, // qint64
        StateRole, // int(RunState)
        SortRole, // a number or string that sorts as the column should
        SearchRole, // the text a free-text filter matches (id, pipeline, actor, params, error)
    };

    explicit RunsModel(QObject *parent = nullptr);

    void setRuns(const QList<RunRecord> &runs);
    void upsert(const RunRecord &run);
    void tick();

    int rowOfRun(qint64 id) const;
    const RunRecord &run(int row) const { return m_rows.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    void retranslate();

private:
    QString cellText(int column, const RunRecord &r) const;
    void reindex();

    QList<RunRecord> m_rows; // newest (highest id) first
    QHash<qint64, int> m_rowOf;
};

} // namespace Shivx::Ui

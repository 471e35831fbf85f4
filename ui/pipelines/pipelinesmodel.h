#pragma once

#include "pipelines/pipelinerunner.h"

#include <QAbstractTableModel>
#include <QList>

namespace Shivx::Ui {

// The pipelines the engine loaded, one row each in the catalog's order: name, stages,
// schedule, next fire time, last run, state (paused, running, or the last run's outcome) and
// description.
// setPipelines() keeps rows that stay (dataChanged for what changed), so the selection and
// scroll position survive a reload; noteRun() follows runs live. GUI thread only.
class PipelinesModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Stages, Schedule, NextRun, LastRun, State, Description, ColumnCount };
    enum Role {
        NameRole = Qt::UserRole + 1, // the pipeline's name (QString)
    };

    explicit PipelinesModel(QObject *parent = nullptr);

    void setPipelines(const QList<PipelineInfo> &pipelines);
    // A run was created or changed state: the pipeline's last run moves on.
    void noteRun(const RunRecord &run);

    int rowOf(const QString &name) const;
    const PipelineInfo &pipeline(int row) const { return m_rows.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    void retranslate();

private:
    QString cellText(int column, const PipelineInfo &p) const;
    void emitRowChanged(int row);

    QList<PipelineInfo> m_rows;
};

} // namespace Shivx::Ui

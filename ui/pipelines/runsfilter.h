#pragma once

#include "pipelines/pipelinerecords.h"

#include <QSortFilterProxyModel>

#include <optional>

namespace Shivx::Ui {

// The runs table's filters over RunsModel: one pipeline, one state, and free text matched
// against the run id, pipeline, actor, parameters and error (case-insensitive). Empty or
// unset filters let every run through. Sorts by RunsModel::SortRole.
class RunsFilter : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit RunsFilter(QObject *parent = nullptr);

    void setPipeline(const QString &pipeline);
    void setState(std::optional<RunState> state);
    void setText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_pipeline;
    std::optional<RunState> m_state;
    QString m_text;
};

} // namespace Shivx::Ui

#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace Shivx::Ui {

// What DagView shows: plain values, with no tie to the pipeline engine. The page that embeds
// the view maps its stages and their states onto these.
enum class DagNodeState {
    Pending,
    Queued,
    Running,
    Succeeded,
    Failed,
    Skipped,
    Cancelled,
    Retrying
};

struct DagNode
{
    QString id; // unique within the graph; what DagView's signals carry
    QString label; // shown in the box (the id when empty)
    DagNodeState state = DagNodeState::Pending;
};

// `from` must finish before `to` starts: the arrow points from the dependency to the
// dependent.
struct DagEdge
{
    QString from;
    QString to;
};

struct DagGraph
{
    QList<DagNode> nodes;
    QList<DagEdge> edges;
};

} // namespace Shivx::Ui

Q_DECLARE_METATYPE(Shivx::Ui::DagNodeState)

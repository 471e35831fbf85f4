#include "pipelines/runsmodel.h"

#include "pipelines/pipelinewording.h"
#include "widgets/displayformat.h"

#include <QDateTime>

#include <algorithm>

namespace Shivx::Ui {

namespace {

qint64 durationMs(const RunRecord &r)
{
    if (r.startedMs <= 0)
        return -1;
    const qint64 end = r.finishedMs > 0 ? r.finishedMs : QDateTime::currentMSecsSinceEpoch();
    return qMax<qint64>(0, end - r.startedMs);
}

} // namespace

RunsModel::RunsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void RunsModel::setRuns(const QList<RunRecord> &runs)
{
    beginResetModel();
    m_rows = runs;
    std::sort(m_rows.begin(), m_rows.end(),
        [](const RunRecord &a, const RunRecord &b) { return a.id > b.id; });
    m_rows.erase(std::unique(m_rows.begin(), m_rows.end(),
                     [](const RunRecord &a, const RunRecord &b) { return a.id == b.id; }),
        m_rows.end());
    for (RunRecord &r : m_rows)
        r.definition.clear(); // the rows are for reading; a detail read brings it back
    reindex();
    endResetModel();
}

void RunsModel::upsert(const RunRecord &run)
{
    if (const int row = rowOfRun(run.id); row >= 0) {
        m_rows[row] = run;
        m_rows[row].definition.clear();
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        return;
    }
    // New runs have the highest ids; an older one (rare: a retry of a run read before) goes
    // where its id sorts.
    int at = 0;
    while (at < m_rows.size() && m_rows.at(at).id > run.id)
        ++at;
    beginInsertRows({}, at, at);
    m_rows.insert(at, run);
    m_rows[at].definition.clear();
    reindex();
    endInsertRows();
}

void RunsModel::tick()
{
    for (int row = 0; row < m_rows.size(); ++row)
        if (!isFinished(m_rows.at(row).state) && m_rows.at(row).startedMs > 0)
            Q_EMIT dataChanged(index(row, Duration), index(row, Duration), { Qt::DisplayRole });
}

int RunsModel::rowOfRun(qint64 id) const
{
    return m_rowOf.value(id, -1);
}

int RunsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RunsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString RunsModel::cellText(int column, const RunRecord &r) const
{
    switch (Column(column)) {
    case Id:
        return QString::number(r.id);
    case Pipeline:
        return r.pipeline;
    case State:
        return PipelineWording::runState(r.state);
    case Trigger:
        return PipelineWording::trigger(r.trigger);
    case Created:
        return DisplayFormat::dateTime(r.createdMs);
    case Duration: {
        const qint64 ms = durationMs(r);
        return ms < 0 ? DisplayFormat::noValue() : DisplayFormat::duration(ms);
    }
    case FailedStage:
        return r.failedStage;
    case Error:
        return r.error;
    case ColumnCount:
        break;
    }
    return QString();
}

QVariant RunsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const RunRecord &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return cellText(index.column(), r);
    case RunIdRole:
        return r.id;
    case StateRole:
        return int(r.state);
    case SortRole:
        switch (Column(index.column())) {
        case Id:
        case Created:
            return r.id; // ids grow with creation time
        case Duration:
            return durationMs(r);
        default:
            return cellText(index.column(), r);
        }
    case SearchRole: {
        QStringList parts { QString::number(r.id), r.pipeline, r.actor, r.error, r.failedStage };
        for (auto it = r.params.begin(); it != r.params.end(); ++it)
            parts << it.key() + QLatin1Char('=') + it.value();
        return parts.join(QLatin1Char('\n'));
    }
    case Qt::ForegroundRole:
        if (index.column() == State)
            return PipelineWording::runStateColor(r.state);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Id || index.column() == Pipeline) {
            QStringList params;
            for (auto it = r.params.begin(); it != r.params.end(); ++it)
                params << it.key() + QLatin1Char('=') + it.value();
            return tr("Version %1\nStarted by %2\nParameters: %3")
                .arg(r.version.left(12), r.actor,
                    params.isEmpty() ? DisplayFormat::noValue() : params.join(QLatin1String(", ")));
        }
        return {};
    default:
        return {};
    }
}

QVariant RunsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Id:
        return tr("Run");
    case Pipeline:
        return tr("Pipeline");
    case State:
        return tr("State");
    case Trigger:
        return tr("Trigger");
    case Created:
        return tr("Created");
    case Duration:
        return tr("Duration");
    case FailedStage:
        return tr("Failed stage");
    case Error:
        return tr("Error");
    case ColumnCount:
        break;
    }
    return {};
}

void RunsModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

void RunsModel::reindex()
{
    m_rowOf.clear();
    for (int i = 0; i < m_rows.size(); ++i)
        m_rowOf.insert(m_rows.at(i).id, i);
}

} // namespace Shivx::Ui

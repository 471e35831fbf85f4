#include "overview/scorebreakdownmodel.h"

#include "widgets/enginewording.h"
#include "widgets/statuscolors.h"

#include <QLocale>

namespace Shivx::Ui {

ScoreBreakdownModel::ScoreBreakdownModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ScoreBreakdownModel::update(const QList<ScoreComponent> &components)
{
    bool sameSet = components.size() == m_rows.size();
    for (int i = 0; sameSet && i < components.size(); ++i)
        sameSet = components.at(i).name == m_rows.at(i).name;

    if (!sameSet) {
        beginResetModel();
        m_rows = components;
        endResetModel();
        return;
    }
    for (int row = 0; row < components.size(); ++row) {
        const ScoreComponent &next = components.at(row);
        const ScoreComponent &previous = m_rows.at(row);
        if (next.penalty == previous.penalty && next.maxPenalty == previous.maxPenalty
            && next.detail == previous.detail)
            continue;
        m_rows[row] = next;
        Q_EMIT dataChanged(index(row, PenaltyColumn), index(row, DetailColumn));
    }
}

QString ScoreBreakdownModel::displayName(const QString &component)
{
    const int colon = component.indexOf(QLatin1Char(':'));
    const QString kind = colon < 0 ? component : component.left(colon);
    const QString subject = colon < 0 ? QString() : component.mid(colon + 1);
    if (kind == QLatin1String("cpu"))
        return tr("CPU");
    if (kind == QLatin1String("memory"))
        return tr("Memory");
    if (kind == QLatin1String("disk"))
        return subject.isEmpty() ? tr("Disk") : tr("Disk %1").arg(subject);
    if (kind == QLatin1String("target"))
        return tr("Target %1").arg(subject);
    if (kind == QLatin1String("targets"))
        return tr("Targets");
    if (kind == QLatin1String("critical-target-cap"))
        return tr("Critical target cap");
    if (kind == QLatin1String("watchdog"))
        return tr("Watchdog %1").arg(subject);
    return component;
}

int ScoreBreakdownModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ScoreBreakdownModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ScoreBreakdownModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ScoreComponent &c = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case ComponentColumn:
            return displayName(c.name);
        case PenaltyColumn:
            // "−0.0" reads like a rounding artefact; nothing taken off is a plain 0.
            if (c.penalty <= 0)
                return c.maxPenalty > 0
                    ? tr("0 of %1").arg(QLocale().toString(c.maxPenalty, 'f', 0))
                    : QStringLiteral("0");
            if (c.maxPenalty > 0)
                return tr("−%1 of %2")
                    .arg(QLocale().toString(c.penalty, 'f', 1),
                        QLocale().toString(c.maxPenalty, 'f', 0));
            return tr("−%1").arg(QLocale().toString(c.penalty, 'f', 1));
        case DetailColumn:
            return EngineWording::message(c.detail);
        default:
            break;
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == ComponentColumn)
            return c.name;
        if (index.column() == DetailColumn)
            return EngineWording::message(c.detail);
        break;
    case Qt::ForegroundRole:
        if (index.column() == PenaltyColumn) {
            if (c.penalty <= 0)
                return StatusColors::ok();
            const bool heavy = c.maxPenalty > 0 && c.penalty >= c.maxPenalty / 2;
            return heavy ? StatusColors::critical() : StatusColors::warning();
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == PenaltyColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case PenaltyRole:
        return c.penalty;
    default:
        break;
    }
    return {};
}

void ScoreBreakdownModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    // Cells hold no cached text (data() builds it), so one range covers them all.
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1),
            { Qt::DisplayRole, Qt::ToolTipRole });
}

QVariant ScoreBreakdownModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ComponentColumn:
        return tr("Component");
    case PenaltyColumn:
        return tr("Points off");
    case DetailColumn:
        return tr("Why");
    default:
        break;
    }
    return {};
}

} // namespace Shivx::Ui

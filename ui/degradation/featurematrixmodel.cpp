#include "degradation/featurematrixmodel.h"

#include "widgets/displayformat.h"
#include "widgets/statuscolors.h"

#include <QFont>
#include <QLocale>

namespace Shivx::Ui {

namespace {

// The current level's column stands out in bold, header and cells alike.
QVariant currentLevelFont(bool current)
{
    if (!current)
        return {};
    QFont bold;
    bold.setBold(true);
    return bold;
}

} // namespace

FeatureMatrixModel::FeatureMatrixModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void FeatureMatrixModel::setFeatureMap(const FeatureMap &map)
{
    beginResetModel();
    m_map = map;
    endResetModel();
}

void FeatureMatrixModel::setCurrentLevel(DegradationLevel level)
{
    if (level == m_current)
        return;
    const int old = levelValue(m_current);
    m_current = level;
    const int rows = rowCount();
    for (int column : { old, levelValue(level) }) {
        if (rows > 0)
            Q_EMIT dataChanged(index(0, column), index(rows - 1, column));
        Q_EMIT headerDataChanged(Qt::Horizontal, column, column);
    }
}

void FeatureMatrixModel::retranslate()
{
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
}

QString FeatureMatrixModel::currentLevelHeader(DegradationLevel level)
{
    return tr("%1 (now)").arg(DisplayFormat::degradationLevel(level));
}

int FeatureMatrixModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_map.rules().size());
}

int FeatureMatrixModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : degradationLevelCount;
}

QVariant FeatureMatrixModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const DegradationLevel level = degradationLevelFromValue(index.column());
    const FeatureRule &rule = m_map.rules().at(index.row());
    const FeatureState f = FeatureMap::evaluate(rule, level);
    const bool current = level == m_current;
    switch (role) {
    case Qt::DisplayRole:
        if (rule.quality)
            return f.enabled ? DisplayFormat::percent(f.quality * 100, 0) : tr("off");
        return f.enabled ? tr("on") : tr("off");
    case Qt::ToolTipRole:
        return tr("%1 at %2: %3")
            .arg(rule.name, DisplayFormat::degradationLevel(level),
                f.enabled ? (rule.quality
                        ? tr("runs at %1 quality").arg(DisplayFormat::percent(f.quality * 100, 0))
                        : tr("runs"))
                          : tr("switched off"));
    case Qt::TextAlignmentRole:
        return int(Qt::AlignCenter);
    case Qt::ForegroundRole:
        return f.enabled ? QVariant() : QVariant(StatusColors::critical());
    case Qt::BackgroundRole:
        if (!current)
            return {};
        return StatusColors::tint(StatusColors::forDegradationLevel(level));
    case Qt::FontRole:
        return currentLevelFont(current);
    case IsCurrentLevelRole:
        return current;
    case EnabledRole:
        return f.enabled;
    case QualityRole:
        return f.quality;
    default:
        return {};
    }
}

QVariant FeatureMatrixModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (role == Qt::DisplayRole && section >= 0 && section < rowCount())
            return m_map.rules().at(section).name;
        return {};
    }
    if (section < 0 || section >= columnCount())
        return {};
    const DegradationLevel level = degradationLevelFromValue(section);
    const bool current = level == m_current;
    switch (role) {
    case Qt::DisplayRole:
        return current ? currentLevelHeader(level) : DisplayFormat::degradationLevel(level);
    case Qt::ToolTipRole:
        return DisplayFormat::degradationMeaning(level);
    case Qt::FontRole:
        return currentLevelFont(current);
    case IsCurrentLevelRole:
        return current;
    default:
        return {};
    }
}

} // namespace Shivx::Ui

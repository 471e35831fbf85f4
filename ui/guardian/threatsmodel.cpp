#include "guardian/threatsmodel.h"

#include "widgets/displayformat.h"
#include "widgets/statuscolors.h"

#include <QSet>
#include <QTimer>

namespace Shivx::Ui {

QString ThreatsModel::severityText(ThreatSeverity s)
{
    switch (s) {
    case ThreatSeverity::Info:
        return ThreatsModel::tr("info");
    case ThreatSeverity::Warning:
        return ThreatsModel::tr("warning");
    case ThreatSeverity::Critical:
        return ThreatsModel::tr("critical");
    }
    return QString();
}

ThreatsModel::ThreatsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_flush = new QTimer(this);
    m_flush->setSingleShot(true);
    m_flush->setInterval(0);
    connect(m_flush, &QTimer::timeout, this, &ThreatsModel::flush);
}

void ThreatsModel::setRecords(const QList<ThreatRecord> &records)
{
    beginResetModel();
    m_rows = records;
    m_rowOfId.clear();
    m_rowOfId.reserve(m_rows.size());
    for (int i = 0; i < m_rows.size(); ++i)
        m_rowOfId.insert(m_rows.at(i).id, i);
    endResetModel();
}

void ThreatsModel::enqueue(const ThreatRecord &record)
{
    m_queue.append(record);
    if (!m_flush->isActive())
        m_flush->start();
}

void ThreatsModel::flush()
{
    m_flush->stop();
    if (m_queue.isEmpty())
        return;
    QList<ThreatRecord> fresh;
    QSet<qint64> freshIds;
    for (const ThreatRecord &r : std::as_const(m_queue)) {
        const auto it = m_rowOfId.constFind(r.id);
        if (it != m_rowOfId.cend() && r.id != 0) {
            m_rows[*it] = r;
            Q_EMIT dataChanged(index(*it, LastSeen), index(*it, Evidence));
            continue;
        }
        if (freshIds.contains(r.id) && r.id != 0) { // counted again within this turn
            for (ThreatRecord &f : fresh)
                if (f.id == r.id)
                    f = r;
            continue;
        }
        freshIds.insert(r.id);
        fresh.prepend(r);
    }
    m_queue.clear();
    if (fresh.isEmpty())
        return;
    beginInsertRows({}, 0, int(fresh.size()) - 1);
    m_rows = fresh + m_rows;
    m_rowOfId.clear();
    for (int i = 0; i < m_rows.size(); ++i)
        m_rowOfId.insert(m_rows.at(i).id, i);
    endInsertRows();
}

QStringList ThreatsModel::types() const
{
    QSet<QString> set;
    for (const ThreatRecord &r : m_rows)
        set.insert(r.type);
    QStringList out(set.begin(), set.end());
    out.sort();
    return out;
}

int ThreatsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ThreatsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ThreatsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const ThreatRecord &r = m_rows.at(index.row());
    if (role == RecordRole)
        return QVariant::fromValue(r);
    if (role == SortRole) {
        switch (index.column()) {
        case LastSeen:
            return r.lastMs;
        case Severity:
            return int(r.severity);
        case Count:
            return r.count;
        case Score:
            return r.score;
        default:
            break;
        }
        role = Qt::DisplayRole;
    }
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case LastSeen:
            return DisplayFormat::dateTime(r.lastMs);
        case Severity:
            return severityText(r.severity);
        case Type:
            return r.type;
        case Source:
            return r.source;
        case Count:
            return r.count;
        case Score:
            return r.score;
        case Evidence:
            return r.evidence;
        }
    }
    if (role == Qt::ToolTipRole && index.column() == LastSeen)
        return tr("First seen %1, last seen %2")
            .arg(DisplayFormat::dateTime(r.firstMs), DisplayFormat::dateTime(r.lastMs));
    if (role == Qt::ToolTipRole && index.column() == Evidence)
        return r.evidence;
    if (role == Qt::ForegroundRole && index.column() == Severity
        && r.severity != ThreatSeverity::Info)
        return r.severity == ThreatSeverity::Critical ? StatusColors::critical()
                                                      : StatusColors::warning();
    if (role == Qt::TextAlignmentRole && (index.column() == Count || index.column() == Score))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant ThreatsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case LastSeen:
        return tr("Last seen");
    case Severity:
        return tr("Severity");
    case Type:
        return tr("Type");
    case Source:
        return tr("Source");
    case Count:
        return tr("Count");
    case Score:
        return tr("Score");
    case Evidence:
        return tr("Evidence");
    }
    return {};
}

void ThreatsModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

} // namespace Shivx::Ui

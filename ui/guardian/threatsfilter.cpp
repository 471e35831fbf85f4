#include "guardian/threatsfilter.h"

#include "guardian/threatsmodel.h"

namespace Shivx::Ui {

ThreatsFilter::ThreatsFilter(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(ThreatsModel::SortRole);
}

void ThreatsFilter::setType(const QString &type)
{
    if (type == m_type)
        return;
    m_type = type;
    refilter();
}

void ThreatsFilter::setMinSeverity(std::optional<ThreatSeverity> severity)
{
    if (severity == m_minSeverity)
        return;
    m_minSeverity = severity;
    refilter();
}

void ThreatsFilter::setSourceText(const QString &text)
{
    if (text == m_source)
        return;
    m_source = text;
    refilter();
}

void ThreatsFilter::setSinceMs(qint64 sinceMs)
{
    if (sinceMs == m_sinceMs)
        return;
    m_sinceMs = sinceMs;
    refilter();
}

void ThreatsFilter::setGroupBySource(bool group)
{
    if (group == m_group)
        return;
    m_group = group;
    invalidate();
}

void ThreatsFilter::refilter()
{
    // invalidate(), not invalidateFilter(): the latter maps rows that come back into the
    // sorted proxy one insertion at a time, which made widening a filter over 100000 rows take
    // seconds; invalidate() maps them afresh with one sort.
    invalidate();
}

bool ThreatsFilter::filterAcceptsRow(int sourceRow, const QModelIndex &) const
{
    // The model's records directly: no QVariant per row and column while 100000 are filtered.
    const auto *model = static_cast<const ThreatsModel *>(sourceModel());
    const ThreatRecord &r = model->record(sourceRow);
    if (!m_type.isEmpty() && r.type != m_type)
        return false;
    if (m_minSeverity && r.severity < *m_minSeverity)
        return false;
    if (m_sinceMs > 0 && r.lastMs < m_sinceMs)
        return false;
    if (!m_source.isEmpty() && !r.source.contains(m_source, Qt::CaseInsensitive))
        return false;
    return true;
}

bool ThreatsFilter::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const auto *model = static_cast<const ThreatsModel *>(sourceModel());
    const ThreatRecord &a = model->record(left.row());
    const ThreatRecord &b = model->record(right.row());
    if (m_group && a.source != b.source)
        return a.source < b.source;
    switch (left.column()) {
    case ThreatsModel::LastSeen:
        return a.lastMs < b.lastMs || (a.lastMs == b.lastMs && a.id < b.id);
    case ThreatsModel::Severity:
        return a.severity < b.severity;
    case ThreatsModel::Type:
        return a.type < b.type;
    case ThreatsModel::Source:
        return a.source < b.source;
    case ThreatsModel::Count:
        return a.count < b.count;
    case ThreatsModel::Score:
        return a.score < b.score;
    case ThreatsModel::Evidence:
        return a.evidence < b.evidence;
    }
    return false;
}

} // namespace Shivx::Ui

#pragma once

#include "guardian/threatevent.h"

#include <QSortFilterProxyModel>

#include <optional>

namespace Shivx::Ui {

// Filters ThreatsModel's rows by type (exact), least severity, source (substring, any case)
// and time (rows last seen at or after), reading the raw record, not the display text; sorts
// by ThreatsModel::SortRole.
class ThreatsFilter : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit ThreatsFilter(QObject *parent = nullptr);

    void setType(const QString &type); // empty: any
    void setMinSeverity(std::optional<ThreatSeverity> severity);
    void setSourceText(const QString &text); // empty: any
    void setSinceMs(qint64 sinceMs); // 0: any time
    // Rows of one source next to each other (sources in order, the sort column within one).
    void setGroupBySource(bool group);
    bool groupBySource() const { return m_group; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    // On the records too: a QVariant per comparison made sorting 100000 rows take seconds.
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void refilter();

    QString m_type;
    std::optional<ThreatSeverity> m_minSeverity;
    QString m_source;
    qint64 m_sinceMs = 0;
    bool m_group = false;
};

} // namespace Shivx::Ui

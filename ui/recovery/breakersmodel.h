#pragma once

#include "recovery/circuitbreaker.h"

#include <QAbstractTableModel>
#include <QList>

namespace Shivx::Ui {

// The engine's circuit breakers as a table, one row per breaker. update() diffs the new
// snapshots against the rows it has and emits dataChanged for exactly the cells whose
// value changed (the time-in-state column ticks every refresh; the others only when the
// breaker does something), one insert for new breakers and a remove per vanished one.
class BreakersModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        StateColumn,
        CallsColumn,
        FailuresColumn,
        RejectionsColumn,
        LastTransitionColumn,
        TimeInStateColumn,
        ReasonColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        // BreakerState as int, for delegates and tests that should not parse wording.
        StateRole = Qt::UserRole + 1,
        // The breaker's name (the NameColumn text may carry "forced" wording).
        NameRole,
    };

    explicit BreakersModel(QObject *parent = nullptr);

    void update(const QList<BreakerSnapshot> &breakers);
    const QList<BreakerSnapshot> &breakers() const { return m_rows; }
    int rowOf(const QString &name) const;
    // Headers and cell text are asked again after a language change.
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    static bool cellDiffers(int column, const BreakerSnapshot &a, const BreakerSnapshot &b);
    static QList<int> rolesFor(int column);

    QList<BreakerSnapshot> m_rows;
};

} // namespace Shivx::Ui

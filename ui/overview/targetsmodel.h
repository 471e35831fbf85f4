#pragma once

#include "health/target.h"

#include <QAbstractTableModel>
#include <QList>

namespace Shivx::Ui {

// The live targets table. Holds the engine's TargetStatus snapshots and formats cell text
// only when data() asks for it. update() diffs the new snapshot against the rows it has:
// dataChanged for exactly the cells whose value changed, one batched insert for new targets
// and a remove per vanished target, so views keep selection, sorting and scroll position
// while probes report every few seconds.
class TargetsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        KindColumn,
        StateColumn,
        LatencyColumn,
        FailuresColumn,
        LastCheckColumn,
        LastErrorColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        // Raw value for QSortFilterProxyModel: numbers sort as numbers, not as text.
        SortRole = Qt::UserRole + 1,
        // TargetState as int, for delegates and tests that should not parse wording.
        StateRole,
    };

    explicit TargetsModel(QObject *parent = nullptr);

    // Replaces the model's content with `targets`, keyed by target name.
    void update(const QList<TargetStatus> &targets);
    const QList<TargetStatus> &targets() const { return m_rows; }
    // Tells the views that headers and cell text are to be asked again, after the UI
    // language changed (a model gets no LanguageChange event; its page forwards it).
    void retranslate();
    // Row of the target called `name`, or -1.
    int rowOf(const QString &name) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    // Whether column `column` shows something different for `a` and `b`.
    static bool cellDiffers(int column, const TargetStatus &a, const TargetStatus &b);
    static QList<int> rolesFor(int column);

    QList<TargetStatus> m_rows;
};

} // namespace Shivx::Ui

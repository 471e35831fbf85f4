#pragma once

#include "health/healthreport.h"

#include <QAbstractTableModel>
#include <QList>

namespace Shivx::Ui {

// The health score explained: one row per component with the points it took off and why.
// The component set rarely changes (targets added or removed), so a changed set resets the
// model while the usual case, the same components with new numbers, emits dataChanged
// for the rows that moved.
class ScoreBreakdownModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { ComponentColumn, PenaltyColumn, DetailColumn, ColumnCount };
    enum Role {
        // Points taken off, as double.
        PenaltyRole = Qt::UserRole + 1,
    };

    explicit ScoreBreakdownModel(QObject *parent = nullptr);

    void update(const QList<ScoreComponent> &components);
    const QList<ScoreComponent> &components() const { return m_rows; }

    // Tells the views that headers and cell text are to be asked again, after the UI
    // language changed (a model gets no LanguageChange event; its page forwards it).
    void retranslate();
    // "target:web" -> "Target web": the engine's component codes as the operator reads them.
    static QString displayName(const QString &component);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<ScoreComponent> m_rows;
};

} // namespace Shivx::Ui

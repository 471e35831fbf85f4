#pragma once

#include "guardian/threatevent.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

class QTimer;

namespace Shivx::Ui {

// The threat rows the console shows, one per (source, type) aggregate, newest first. Live
// rows arrive one by one (GuardianService::threatRecorded); they are queued and applied once
// per event-loop turn, an update of a row already shown as dataChanged for its changed cells
// only, new rows as one insertion at the top. Cell text is built when data() asks, so 100000
// rows cost their records and nothing more.
class ThreatsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { LastSeen, Severity, Type, Source, Count, Score, Evidence, ColumnCount };
    // Raw values for filtering and sorting, beside the display text.
    enum Role {
        RecordRole = Qt::UserRole + 1, // the ThreatRecord (QVariant)
        SortRole, // a number or string that sorts as the column should
    };

    explicit ThreatsModel(QObject *parent = nullptr);

    // Replaces every row (a page read from the database), newest first.
    void setRecords(const QList<ThreatRecord> &records);
    // A row recorded now: queued, applied at the next event-loop turn.
    void enqueue(const ThreatRecord &record);
    // Applies the queue now (tests; the timer does it otherwise).
    void flush();

    const ThreatRecord &record(int row) const { return m_rows.at(row); }
    QStringList types() const; // every type shown, sorted

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    void retranslate();
    // The console's word for a severity ("warning"), in its language.
    static QString severityText(ThreatSeverity severity);

private:
    QList<ThreatRecord> m_rows;
    QHash<qint64, int> m_rowOfId; // row id -> index; rebuilt after an insertion at the top
    QList<ThreatRecord> m_queue;
    QTimer *m_flush = nullptr;
};

} // namespace Shivx::Ui

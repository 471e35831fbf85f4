#pragma once

#include "audit/auditreader.h"

#include <QAbstractTableModel>
#include <QFont>
#include <QFuture>

#include <atomic>
#include <list>
#include <memory>

namespace Shivx::Ui {

// The entries of one audit stream as a table, for streams of millions of entries.
//
// Nothing is loaded up front: rowCount() comes from the reader's line index and data() reads
// the block of AuditReader::kBlockLines rows around the requested one on demand, keeping the
// last kCachedBlocks blocks (an LRU of about 2,000 parsed entries). Cell text is built only
// when a view asks for it.
//
// Filtering does not proxy a million rows: setFilter() scans the stream on a worker thread
// and the model then shows only the matching rows, which arrive in ascending batches
// (rowsInserted at the end) while the scan runs. A newer filter or reader cancels the running
// scan; its late results are recognised by their generation and dropped.
//
// GUI thread only. The destructor cancels and waits for a running scan.
class AuditEntriesModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { SeqColumn, TimeColumn, ActorColumn, ActionColumn, DataColumn, ColumnCount };
    enum Role {
        StreamRowRole = Qt::UserRole + 1, // qint64: row in the stream (= line order)
        ValidRole, // bool: the line is a well-formed entry
    };
    static constexpr int kCachedBlocks = 64;

    explicit AuditEntriesModel(QObject *parent = nullptr);
    ~AuditEntriesModel() override;

    // Shows `reader`'s stream (resets the model) and re-applies the current filter.
    void setReader(const AuditReader &reader);
    const AuditReader &reader() const { return m_reader; }

    // An empty filter shows every row.
    void setFilter(const AuditFilter &filter);
    AuditFilter filter() const { return m_filter; }
    bool isFiltered() const { return !m_filter.isEmpty(); }
    bool isSearching() const { return m_searching; }
    qint64 searchScanned() const { return m_scanned; }

    // Model row <-> row in the stream; -1 when the stream row is filtered out (or out of range).
    qint64 streamRow(int modelRow) const;
    int modelRow(qint64 streamRow) const;
    AuditRecord record(int modelRow) const;

    // Stream rows drawn as bad (the verifier's findings); cleared by setReader().
    void setMarkedRows(const QList<qint64> &streamRows);

    // Tells the views that the Time column's ages ("3 min ago", read against the wall clock
    // in data()) have moved on; the page calls it once a second. Costs no reading.
    void refreshAges();

    // Parsed rows currently held (for tests: proves reading stays lazy).
    qint64 cachedRows() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // Short one-line form of an entry's data object: "key=value · key=value".
    static QString dataSummary(const QJsonObject &data);

Q_SIGNALS:
    // GUI thread. A filtered scan advanced: `scanned` of `total` stream rows examined.
    void searchProgressed(qint64 scanned, qint64 total);
    // GUI thread. The filtered scan finished (not emitted for a cancelled one).
    void searchFinished(qint64 matches);

private:
    void startSearch();
    void cancelSearch();
    void onBatch(quint64 generation, const QList<qint64> &rows, qint64 scanned, bool done);
    const AuditRecord *cachedRecord(qint64 streamRow) const;

    AuditReader m_reader;
    AuditFilter m_filter;
    QFont m_fixedFont; // seq and time: digits line up
    QList<qint64> m_matches;
    QList<qint64> m_marked; // sorted
    quint64 m_generation = 0;
    bool m_searching = false;
    qint64 m_scanned = 0;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QList<QFuture<void>> m_scans;

    struct Block
    {
        qint64 index;
        QList<AuditRecord> records;
    };
    mutable std::list<Block> m_cache; // most recently used first
};

} // namespace Shivx::Ui

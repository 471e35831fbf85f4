#include "audit/auditentriesmodel.h"

#include "core/timeutil.h"
#include "widgets/displayformat.h"
#include "widgets/statuscolors.h"
#include "widgets/tableexport.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFontDatabase>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <climits>

namespace Shivx::Ui {

namespace {

// How often a running scan hands its matches to the GUI: often enough to look live, rarely
// enough that a million matches do not flood the event loop.
constexpr qint64 kBatchIntervalMs = 60;
constexpr int kSummaryChars = 240;

QString valueText(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::String:
        return v.toString();
    case QJsonValue::Double:
        return QString::number(v.toDouble(), 'g', 17);
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Undefined:
        break;
    }
    return QString();
}

} // namespace

AuditEntriesModel::AuditEntriesModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_fixedFont(QFontDatabase::systemFont(QFontDatabase::FixedFont))
{
}

AuditEntriesModel::~AuditEntriesModel()
{
    cancelSearch();
    for (QFuture<void> &f : m_scans)
        f.waitForFinished();
}

QString AuditEntriesModel::dataSummary(const QJsonObject &data)
{
    QString out;
    for (auto it = data.begin(); it != data.end(); ++it) {
        if (!out.isEmpty())
            out += QStringLiteral(" · ");
        out += it.key() + QLatin1Char('=') + valueText(it.value());
        if (out.size() > kSummaryChars)
            return out.left(kSummaryChars) + QChar(0x2026);
    }
    return out;
}

void AuditEntriesModel::setReader(const AuditReader &reader)
{
    cancelSearch();
    beginResetModel();
    m_reader = reader;
    m_cache.clear();
    m_matches.clear();
    m_marked.clear();
    m_searching = false;
    m_scanned = 0;
    endResetModel();
    if (isFiltered())
        startSearch();
}

void AuditEntriesModel::setFilter(const AuditFilter &filter)
{
    if (filter == m_filter)
        return;
    cancelSearch();
    beginResetModel();
    m_filter = filter;
    m_matches.clear();
    m_searching = false;
    m_scanned = 0;
    endResetModel();
    if (isFiltered())
        startSearch();
}

void AuditEntriesModel::cancelSearch()
{
    ++m_generation;
    if (m_cancel)
        m_cancel->store(true);
    m_cancel.reset();
    m_scans.erase(std::remove_if(m_scans.begin(), m_scans.end(),
                      [](const QFuture<void> &f) { return f.isFinished(); }),
        m_scans.end());
}

void AuditEntriesModel::startSearch()
{
    m_searching = true;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    const quint64 generation = m_generation;
    const auto cancel = m_cancel;
    const AuditReader reader = m_reader; // the worker's own copy; the index is shared
    const AuditFilter filter = m_filter;
    // The model waits for this scan in its destructor, so `this` is alive whenever the worker
    // posts; a post that arrives after a newer search started is dropped by its generation.
    m_scans.append(QtConcurrent::run([this, reader, filter, cancel, generation] {
        QList<qint64> pending;
        QElapsedTimer sincePost;
        sincePost.start();
        qint64 scanned = 0;
        reader.search(
            filter, 0,
            [&](const QList<qint64> &rows, qint64 n) {
                pending += rows;
                scanned = n;
                if (sincePost.elapsed() >= kBatchIntervalMs) {
                    QMetaObject::invokeMethod(
                        this,
                        [this, generation, pending, n] { onBatch(generation, pending, n, false); },
                        Qt::QueuedConnection);
                    pending.clear();
                    sincePost.restart();
                }
                return true;
            },
            cancel.get());
        if (cancel->load())
            return;
        QMetaObject::invokeMethod(
            this,
            [this, generation, pending, scanned] { onBatch(generation, pending, scanned, true); },
            Qt::QueuedConnection);
    }));
}

void AuditEntriesModel::onBatch(
    quint64 generation, const QList<qint64> &rows, qint64 scanned, bool done)
{
    if (generation != m_generation)
        return;
    if (!rows.isEmpty()) {
        const int first = int(m_matches.size());
        const int last = int(std::min<qint64>(m_matches.size() + rows.size(), INT_MAX) - 1);
        if (last >= first) {
            beginInsertRows({}, first, last);
            m_matches += rows.mid(0, last - first + 1);
            endInsertRows();
        }
    }
    m_scanned = scanned;
    Q_EMIT searchProgressed(scanned, m_reader.rowCount());
    if (done) {
        m_searching = false;
        m_cancel.reset();
        Q_EMIT searchFinished(m_matches.size());
    }
}

qint64 AuditEntriesModel::streamRow(int modelRow) const
{
    if (modelRow < 0)
        return -1;
    if (isFiltered())
        return modelRow < m_matches.size() ? m_matches.at(modelRow) : -1;
    return modelRow < m_reader.rowCount() ? modelRow : -1;
}

int AuditEntriesModel::modelRow(qint64 row) const
{
    if (row < 0 || row >= m_reader.rowCount())
        return -1;
    if (!isFiltered())
        return row <= INT_MAX ? int(row) : -1;
    const auto it = std::lower_bound(m_matches.cbegin(), m_matches.cend(), row);
    return it != m_matches.cend() && *it == row ? int(it - m_matches.cbegin()) : -1;
}

const AuditRecord *AuditEntriesModel::cachedRecord(qint64 row) const
{
    if (row < 0 || row >= m_reader.rowCount())
        return nullptr;
    const qint64 block = row / AuditReader::kBlockLines;
    for (auto it = m_cache.begin(); it != m_cache.end(); ++it) {
        if (it->index == block) {
            if (it != m_cache.begin())
                m_cache.splice(m_cache.begin(), m_cache, it);
            break;
        }
    }
    if (m_cache.empty() || m_cache.front().index != block) {
        m_cache.push_front(Block {
            block, m_reader.readRows(block * AuditReader::kBlockLines, AuditReader::kBlockLines) });
        if (m_cache.size() > size_t(kCachedBlocks))
            m_cache.pop_back();
    }
    const QList<AuditRecord> &records = m_cache.front().records;
    const qint64 offset = row - block * AuditReader::kBlockLines;
    return offset < records.size() ? &records[offset] : nullptr;
}

AuditRecord AuditEntriesModel::record(int modelRow) const
{
    const AuditRecord *r = cachedRecord(streamRow(modelRow));
    return r ? *r : AuditRecord {};
}

void AuditEntriesModel::setMarkedRows(const QList<qint64> &rows)
{
    m_marked = rows;
    std::sort(m_marked.begin(), m_marked.end());
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1),
            { Qt::BackgroundRole, Qt::ForegroundRole });
}

qint64 AuditEntriesModel::cachedRows() const
{
    qint64 n = 0;
    for (const Block &b : m_cache)
        n += b.records.size();
    return n;
}

int AuditEntriesModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    const qint64 n = isFiltered() ? m_matches.size() : m_reader.rowCount();
    return int(std::min<qint64>(n, INT_MAX));
}

void AuditEntriesModel::refreshAges()
{
    if (rowCount() > 0)
        Q_EMIT dataChanged(
            index(0, TimeColumn), index(rowCount() - 1, TimeColumn), { Qt::DisplayRole });
}

int AuditEntriesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditEntriesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const qint64 row = streamRow(index.row());
    if (role == StreamRowRole)
        return row;
    // Roles a view asks for without needing the entry.
    if (role == Qt::TextAlignmentRole)
        return index.column() == SeqColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                           : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    if (role == Qt::FontRole)
        return index.column() == SeqColumn || index.column() == TimeColumn ? QVariant(m_fixedFont)
                                                                           : QVariant();
    const bool marked = std::binary_search(m_marked.cbegin(), m_marked.cend(), row);
    if (role == Qt::BackgroundRole)
        return marked ? QVariant(StatusColors::critical()) : QVariant();
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != Qt::ForegroundRole
        && role != ValidRole && role != TableExport::ExportRole)
        return {};

    const AuditRecord *r = cachedRecord(row);
    if (!r)
        return {};
    if (role == ValidRole)
        return r->valid;
    if (role == TableExport::ExportRole)
        return index.column() == TimeColumn && r->valid ? TimeUtil::toRfc3339(r->entry.tsMs)
                                                        : QVariant();
    if (role == Qt::ForegroundRole) {
        if (marked)
            return StatusColors::textOn(StatusColors::critical());
        return r->valid ? QVariant() : QVariant(StatusColors::critical());
    }
    if (role == Qt::ToolTipRole) {
        const QString where = tr("%1, line %2").arg(r->segment).arg(r->line);
        if (!r->valid)
            return tr("%1\nUnreadable line: %2").arg(where, r->error);
        return tr("%1\n%2 UTC").arg(where, TimeUtil::toRfc3339(r->entry.tsMs));
    }
    if (!r->valid) {
        switch (index.column()) {
        case ActionColumn:
            return tr("unreadable line");
        case DataColumn:
            return r->error;
        default:
            return QStringLiteral("—");
        }
    }
    switch (index.column()) {
    case SeqColumn:
        return QString::number(r->entry.seq);
    case TimeColumn:
        return DisplayFormat::relativeAge(r->entry.tsMs, QDateTime::currentMSecsSinceEpoch());
    case ActorColumn:
        return r->entry.actor;
    case ActionColumn:
        return r->entry.action;
    case DataColumn:
        return dataSummary(r->entry.data);
    default:
        break;
    }
    return {};
}

QVariant AuditEntriesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case SeqColumn:
        return tr("Seq");
    case TimeColumn:
        return tr("Time");
    case ActorColumn:
        return tr("Actor");
    case ActionColumn:
        return tr("Action");
    case DataColumn:
        return tr("Data");
    default:
        break;
    }
    return {};
}

} // namespace Shivx::Ui

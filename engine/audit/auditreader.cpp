#include "audit/auditreader.h"

#include "audit/segmentfiles.h"
#include "audit/segmentreader.h"
#include "core/timeutil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstring>
#include <functional>
#include <list>

namespace Shivx {

namespace {

constexpr qint64 kReadChunk = 4 << 20;
constexpr int kCachedSegments = 2;

// The segments that have data; a retired one (only its seal is left) has no rows to show.
QList<AuditFiles::SegmentFile> dataSegments(const QString &dir)
{
    QList<AuditFiles::SegmentFile> out;
    for (const AuditFiles::SegmentFile &s : AuditFiles::listSegments(dir))
        if (!s.retired())
            out.append(s);
    return out;
}

Result<QByteArray> readCompressed(const QString &path)
{
    auto reader = AuditFiles::SegmentReader::open(path);
    if (!reader)
        return reader.error();
    return (*reader)->readAll();
}

// Counts lines of `data` from `base` on, recording the start of every kBlockLines-th line.
struct LineCounter
{
    std::vector<qint64> *blocks;
    qint64 lines = 0;
    qint64 end = 0; // offset after the last "\n"

    void feed(const char *data, qint64 size, qint64 base)
    {
        const char *p = data;
        const char *stop = data + size;
        while (p < stop) {
            const void *nl = std::memchr(p, '\n', size_t(stop - p));
            if (!nl)
                break;
            p = static_cast<const char *>(nl) + 1;
            ++lines;
            end = base + (p - data);
            if (lines % AuditReader::kBlockLines == 0)
                blocks->push_back(end);
        }
    }
};

} // namespace

struct AuditReader::Index
{
    struct Segment
    {
        AuditSegmentInfo info;
        QString path;
        std::vector<qint64> blocks; // start offset of lines 0, K, 2K, ...
    };
    QString dir;
    QString name;
    std::vector<Segment> segments;
    qint64 rows = 0;
};

struct AuditReader::Cache
{
    std::list<std::pair<int, QByteArray>> segments; // most recently used first
};

AuditReader::AuditReader()
    : m_cache(std::make_unique<Cache>())
{
}

AuditReader::AuditReader(const AuditReader &other)
    : m_index(other.m_index)
    , m_cache(std::make_unique<Cache>())
{
}

AuditReader &AuditReader::operator=(const AuditReader &other)
{
    if (this != &other) {
        m_index = other.m_index;
        m_cache = std::make_unique<Cache>();
    }
    return *this;
}

AuditReader::AuditReader(AuditReader &&) noexcept = default;
AuditReader &AuditReader::operator=(AuditReader &&) noexcept = default;
AuditReader::~AuditReader() = default;

Result<AuditReader> AuditReader::open(const QString &streamDir)
{
    const QDir dir(streamDir);
    if (!dir.exists())
        return makeError(
            "audit.read", QStringLiteral("%1: no such stream directory").arg(streamDir));
    auto index = std::make_shared<Index>();
    index->dir = dir.absolutePath();
    index->name = dir.dirName();
    AuditReader reader;
    const QList<AuditFiles::SegmentFile> files = dataSegments(streamDir);
    QByteArray buf;
    for (qsizetype i = 0; i < files.size(); ++i) {
        const AuditFiles::SegmentFile &sf = files.at(i);
        const bool last = i == files.size() - 1;
        Index::Segment seg;
        seg.info.file = sf.fileName();
        seg.info.number = sf.number;
        seg.info.compressed = sf.compressed;
        seg.info.firstRow = index->rows;
        seg.path = sf.path;
        seg.blocks.push_back(0);
        LineCounter counter { &seg.blocks };
        qint64 total = 0;
        // Streamed a piece at a time, so that indexing never holds a whole segment.
        if (auto opened = AuditFiles::SegmentReader::open(sf); !opened) {
            seg.info.error = opened.error().message;
        } else {
            buf.resize(kReadChunk);
            for (;;) {
                const auto n = (*opened)->read(buf.data(), buf.size());
                if (!n) {
                    seg.info.error = n.error().message;
                    break;
                }
                if (*n == 0)
                    break;
                counter.feed(buf.constData(), *n, total);
                total += *n;
            }
        }
        seg.info.lines = counter.lines;
        seg.info.bytes = counter.end;
        // A rotated segment is complete: an unterminated last line there is a bad row. In the
        // active segment it is most likely an append in progress and shows up once complete.
        if (!last && total > counter.end && seg.info.error.isEmpty()) {
            ++seg.info.lines;
            seg.info.bytes = total;
        }
        index->rows += seg.info.lines;
        index->segments.push_back(std::move(seg));
    }
    reader.m_index = std::move(index);
    return reader;
}

bool AuditReader::isOpen() const
{
    return m_index != nullptr;
}

QString AuditReader::directory() const
{
    return m_index ? m_index->dir : QString();
}

QString AuditReader::streamName() const
{
    return m_index ? m_index->name : QString();
}

qint64 AuditReader::rowCount() const
{
    return m_index ? m_index->rows : 0;
}

QList<AuditSegmentInfo> AuditReader::segments() const
{
    QList<AuditSegmentInfo> out;
    if (m_index) {
        for (const Index::Segment &s : m_index->segments)
            out.append(s.info);
    }
    return out;
}

qint64 AuditReader::indexBytes() const
{
    if (!m_index)
        return 0;
    qint64 bytes = sizeof(Index);
    for (const Index::Segment &s : m_index->segments)
        bytes += qint64(sizeof(Index::Segment) + s.blocks.capacity() * sizeof(qint64)
            + (s.path.capacity() + s.info.file.capacity()) * sizeof(QChar));
    return bytes;
}

int AuditReader::segmentOfRow(qint64 row) const
{
    const auto &segs = m_index->segments;
    // The last segment whose first row is <= row.
    auto it = std::upper_bound(segs.begin(), segs.end(), row,
        [](qint64 r, const Index::Segment &s) { return r < s.info.firstRow; });
    return int(it - segs.begin()) - 1;
}

Result<QByteArray> AuditReader::segmentBytes(int seg, qint64 from, qint64 to) const
{
    const Index::Segment &s = m_index->segments[size_t(seg)];
    for (auto it = m_cache->segments.begin(); it != m_cache->segments.end(); ++it) {
        if (it->first == seg) {
            m_cache->segments.splice(m_cache->segments.begin(), m_cache->segments, it);
            return it->second.mid(from, to - from);
        }
    }
    QString compressedPath = s.info.compressed ? s.path : QString();
    if (!s.info.compressed) {
        QFile f(s.path);
        if (f.open(QIODevice::ReadOnly)) {
            if (!f.seek(from))
                return makeError(
                    "audit.read", QStringLiteral("%1: %2").arg(s.path, f.errorString()));
            QByteArray data = f.read(to - from);
            if (data.size() != to - from)
                return makeError("audit.changed",
                    QStringLiteral("%1 is shorter than when it was indexed").arg(s.info.file));
            return data;
        }
        // Rotated since it was indexed: the compressed copy has the same content.
        compressedPath
            = QFileInfo(s.path).dir().filePath(AuditFiles::compressedSegmentName(s.info.number));
        if (!QFile::exists(compressedPath))
            return makeError("audit.read", QStringLiteral("%1: %2").arg(s.path, f.errorString()));
    }
    auto data = readCompressed(compressedPath);
    if (!data)
        return data.error();
    if (data->size() < to)
        return makeError("audit.changed",
            QStringLiteral("%1 is shorter than when it was indexed").arg(s.info.file));
    QByteArray slice = data->mid(from, to - from);
    m_cache->segments.push_front({ seg, std::move(data.value()) });
    if (m_cache->segments.size() > kCachedSegments)
        m_cache->segments.pop_back();
    return slice;
}

bool AuditReader::forEachLine(qint64 first, qint64 last,
    const std::function<bool(qint64, const QByteArray &, const QString &)> &fn) const
{
    if (!m_index)
        return true;
    first = std::max<qint64>(first, 0);
    last = std::min(last, m_index->rows);
    qint64 row = first;
    while (row < last) {
        const int seg = segmentOfRow(row);
        const Index::Segment &s = m_index->segments[size_t(seg)];
        const qint64 segEnd = std::min(last, s.info.firstRow + s.info.lines);
        const qint64 l0 = row - s.info.firstRow;
        const qint64 l1 = segEnd - s.info.firstRow; // exclusive
        const size_t b0 = size_t(l0 / kBlockLines);
        const size_t b1 = size_t((l1 - 1) / kBlockLines) + 1;
        const qint64 from = s.blocks[b0];
        const qint64 to = b1 < s.blocks.size() ? s.blocks[b1] : s.info.bytes;
        const Result<QByteArray> bytes = segmentBytes(seg, from, to);
        qint64 line = qint64(b0) * kBlockLines;
        if (!bytes) {
            // The rows stay addressable; each says why it cannot be shown.
            for (qint64 l = l0; l < l1; ++l) {
                if (!fn(s.info.firstRow + l, QByteArray(), bytes.error().message))
                    return false;
            }
            row = segEnd;
            continue;
        }
        const QByteArray &data = bytes.value();
        qsizetype pos = 0;
        while (line < l1 && pos <= data.size()) {
            qsizetype nl = data.indexOf('\n', pos);
            if (nl < 0)
                nl = data.size();
            if (line >= l0) {
                if (!fn(s.info.firstRow + line, data.mid(pos, nl - pos), QString()))
                    return false;
            }
            pos = nl + 1;
            ++line;
        }
        row = segEnd;
    }
    return true;
}

QList<AuditRecord> AuditReader::readRows(qint64 first, qint64 count) const
{
    QList<AuditRecord> out;
    if (!m_index || count <= 0)
        return out;
    out.reserve(qsizetype(std::min(count, m_index->rows)));
    forEachLine(
        first, first + count, [&](qint64 row, const QByteArray &line, const QString &readError) {
            AuditRecord r;
            r.row = row;
            const Index::Segment &s = m_index->segments[size_t(segmentOfRow(row))];
            r.segment = s.info.file;
            r.line = row - s.info.firstRow + 1;
            r.raw = line;
            if (!readError.isEmpty()) {
                r.error = readError;
            } else if (line.isEmpty()) {
                r.error = QStringLiteral("empty line");
            } else {
                auto parsed = AuditEntryCodec::parse(line);
                if (parsed) {
                    r.valid = true;
                    r.entry = std::move(parsed.value());
                } else {
                    r.error = parsed.error().message;
                }
            }
            out.append(std::move(r));
            return true;
        });
    return out;
}

AuditRecord AuditReader::readRow(qint64 row) const
{
    const QList<AuditRecord> rows = readRows(row, 1);
    return rows.isEmpty() ? AuditRecord {} : rows.constFirst();
}

qint64 AuditReader::rowOf(const QString &segment, qint64 line) const
{
    if (!m_index || line < 1)
        return -1;
    const int wanted = AuditFiles::segmentNumber(segment);
    for (const Index::Segment &s : m_index->segments) {
        if (wanted > 0 && s.info.number == wanted)
            return line <= s.info.lines ? s.info.firstRow + line - 1 : -1;
    }
    return -1;
}

qint64 AuditReader::rowOfSeq(qint64 seq) const
{
    if (!m_index || m_index->rows == 0)
        return -1;
    const AuditRecord first = readRow(0);
    const qint64 firstSeq = first.valid ? first.entry.seq : 1;
    const qint64 guess = seq - firstSeq;
    if (guess >= 0 && guess < m_index->rows) {
        const AuditRecord r = readRow(guess);
        if (r.valid && r.entry.seq == seq)
            return guess;
    }
    // Out of order (a tampered chain): scan for the member, then confirm by parsing, since a
    // data object could contain the same bytes.
    const QByteArray needle = ",\"seq\":" + QByteArray::number(seq) + ",\"stream\":";
    qint64 found = -1;
    forEachLine(0, m_index->rows, [&](qint64 row, const QByteArray &line, const QString &) {
        if (!line.contains(needle))
            return true;
        auto parsed = AuditEntryCodec::parse(line);
        if (parsed && parsed->seq == seq) {
            found = row;
            return false;
        }
        return true;
    });
    return found;
}

qint64 AuditReader::search(const AuditFilter &filter, qint64 fromRow, const MatchSink &onMatches,
    const std::atomic_bool *cancel) const
{
    if (!m_index)
        return 0;
    const AuditLineMatcher matcher(filter);
    fromRow = std::max<qint64>(fromRow, 0);
    qint64 scanned = 0;
    for (qint64 start = fromRow; start < m_index->rows; start += kScanRows) {
        if (cancel && cancel->load())
            break;
        const qint64 end = std::min(start + kScanRows, m_index->rows);
        QList<qint64> matches;
        forEachLine(start, end, [&](qint64 row, const QByteArray &line, const QString &) {
            if (matcher.matches(line))
                matches.append(row);
            return true;
        });
        scanned = end - fromRow;
        if (!onMatches(matches, scanned))
            break;
    }
    return scanned;
}

AuditStreamStatus AuditReader::streamStatus(const QString &streamDir)
{
    AuditStreamStatus st;
    const QDir dir(streamDir);
    st.name = dir.dirName();
    st.directory = dir.absolutePath();
    st.segmentCount = int(dataSegments(streamDir).size());

    QFile head(AuditFiles::headPath(streamDir));
    if (head.exists()) {
        if (!head.open(QIODevice::ReadOnly)) {
            st.headError = head.errorString();
        } else {
            QJsonParseError pe;
            const QJsonObject o = QJsonDocument::fromJson(head.readAll(), &pe).object();
            if (pe.error != QJsonParseError::NoError
                || !o.value(QStringLiteral("seq")).isDouble()) {
                st.headError = QStringLiteral("head.json is not a head object");
            } else {
                st.hasHead = true;
                st.headSeq = qint64(o.value(QStringLiteral("seq")).toDouble());
                st.headHash = o.value(QStringLiteral("hash")).toString().toLatin1();
                const auto ts
                    = TimeUtil::parseTimePoint(o.value(QStringLiteral("ts")).toString(), 0);
                st.headTsMs = ts ? ts.value() : 0;
            }
        }
    }

    QFile cps(AuditFiles::checkpointsPath(streamDir));
    if (cps.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> lines = cps.readAll().split('\n');
        for (const QByteArray &line : lines) {
            if (line.isEmpty())
                continue;
            ++st.checkpointCount;
        }
        for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
            if (it->isEmpty())
                continue;
            auto cp = Checkpoint::parse(*it);
            if (cp) {
                st.lastCheckpoint = cp.value();
                break;
            }
        }
    }
    return st;
}

QList<AuditStreamStatus> AuditReader::listStreams(const QString &auditDir)
{
    QList<AuditStreamStatus> out;
    for (const QString &name : AuditFiles::listStreamsIn(auditDir))
        out.append(streamStatus(QDir(auditDir).filePath(name)));
    return out;
}

} // namespace Shivx

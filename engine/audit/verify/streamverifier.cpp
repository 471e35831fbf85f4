#include "audit/verify/streamverifier.h"

#include "audit/auditentry.h"
#include "audit/segmentfiles.h"
#include "audit/segmentreader.h"
#include "audit/segmentseal.h"
#include "audit/verify/linescanner.h"

#include <QFuture>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <openssl/evp.h>

#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

namespace Shivx::Internal {

using AuditFiles::SegmentFile;
using AuditFiles::segmentName;
using AuditFiles::SegmentReader;

namespace {

struct Pending
{
    enum class Kind { Chunk, SegmentEnd, Problem };
    Kind kind = Kind::Chunk;
    int segment = 0; // index into the segment list
    QFuture<ChunkScan> scan; // Chunk
    qint64 bytes = 0; // SegmentEnd: uncompressed bytes of the segment
    QByteArray sha256; // SegmentEnd: hex digest, empty when not computed
    VerifyFinding problem; // Problem: line and seq are filled in when stitched
};

QString text(const QString &s)
{
    return s;
}
QString text(qint64 n)
{
    return QString::number(n);
}

class Stitcher
{
public:
    Stitcher(QString stream, QList<SegmentFile> segments, StreamScanResult *result)
        : m_stream(std::move(stream))
        , m_segments(std::move(segments))
        , m_r(result)
    {
    }

    // The chain continues after entries retention removed, from the last retired seal.
    void continueAfter(qint64 lastSeq, const QByteArray &lastHash)
    {
        m_nextSeq = lastSeq + 1;
        m_lastHash = lastHash;
        m_r->summary.lastSeq = lastSeq;
        m_r->summary.lastHash = lastHash;
    }

    // Returns false once a problem is found.
    bool stitch(Pending &p)
    {
        const bool gap
            = p.kind == Pending::Kind::Problem && p.problem.problem == VerifyProblem::SegmentGap;
        if (m_current != p.segment && !gap)
            startSegment(p.segment);
        switch (p.kind) {
        case Pending::Kind::Chunk:
            return stitchChunk(p.scan.result());
        case Pending::Kind::SegmentEnd:
            return endSegment(p);
        case Pending::Kind::Problem:
            // A missing segment has no line; a read or decompression failure is at the line
            // after the last one read.
            p.problem.line = p.problem.problem == VerifyProblem::SegmentGap ? 0 : m_line + 1;
            p.problem.seq = m_nextSeq;
            return report(p.problem);
        }
        return true;
    }

private:
    void startSegment(int index)
    {
        m_current = index;
        m_line = 0;
        m_segFirstPrev.clear();
        SegmentSummary s;
        s.file = m_segments[index].fileName();
        s.compressed = m_segments[index].compressed;
        m_r->summary.segments.append(s);
    }

    SegmentSummary &seg() { return m_r->summary.segments.last(); }

    bool report(VerifyFinding f)
    {
        f.stream = m_stream;
        if (f.segment.isEmpty())
            f.segment = m_segments[m_current].fileName();
        m_r->finding = std::move(f);
        m_r->summary.intact = false;
        return false;
    }

    bool fail(VerifyProblem problem, qint64 line, qint64 seq, const QString &detail)
    {
        return report(VerifyFinding { problem, m_stream, QString(), line, seq, detail });
    }

    bool stitchChunk(const ChunkScan &c)
    {
        if (c.problemIndex == 0 && c.firstSeq == 0)
            return fail(c.problem, m_line + 1, c.problemSeq ? c.problemSeq : m_nextSeq, c.detail);
        if (c.firstSeq != 0) {
            if (c.firstSeq != m_nextSeq)
                return fail(
                    c.firstSeq > m_nextSeq ? VerifyProblem::SeqGap : VerifyProblem::SeqRepeat,
                    m_line + 1, c.firstSeq,
                    m_nextSeq == 1
                        ? QStringLiteral("the stream starts at seq %1, not 1").arg(c.firstSeq)
                        : QStringLiteral("seq %1 follows seq %2")
                              .arg(c.firstSeq)
                              .arg(m_nextSeq - 1));
            if (c.firstPrev != m_lastHash)
                return fail(VerifyProblem::BrokenLink, m_line + 1, c.firstSeq,
                    QStringLiteral("prev %1 is not the hash of the previous entry %2")
                        .arg(QString::fromLatin1(c.firstPrev), QString::fromLatin1(m_lastHash)));
            if (m_line == 0)
                m_segFirstPrev = c.firstPrev;
        }
        if (c.problem != VerifyProblem::None)
            return fail(c.problem, m_line + c.problemIndex + 1, c.problemSeq, c.detail);
        for (const ChunkScan::Found &f : c.found)
            m_r->found.insert(f.seq,
                FoundEntry { f.hash, m_segments[m_current].fileName(), m_line + f.index + 1 });
        if (c.lines > 0) {
            StreamSummary &sum = m_r->summary;
            if (sum.entries == 0) {
                sum.firstSeq = c.firstSeq;
                sum.firstHash = c.firstHash;
            }
            if (seg().entries == 0)
                seg().firstSeq = c.firstSeq;
            seg().lastSeq = c.lastSeq;
            seg().entries += c.lines;
            sum.entries += c.lines;
            sum.lastSeq = c.lastSeq;
            sum.lastHash = c.lastHash;
            m_line += c.lines;
            m_nextSeq = c.lastSeq + 1;
            m_lastHash = c.lastHash;
        }
        return true;
    }

    bool endSegment(const Pending &p)
    {
        const SegmentFile &file = m_segments[m_current];
        seg().bytes = p.bytes;
        m_r->lastSegment = file.fileName();
        m_r->linesInLastSegment = m_line;
        const bool isLast = m_current == m_segments.size() - 1;
        const QString sealName = AuditFiles::sealName(file.number);
        if (!file.sealed()) {
            if (isLast)
                return true;
            return fail(VerifyProblem::SegmentHashMismatch, 0, m_nextSeq - 1,
                QStringLiteral("%1 is missing: a rotated segment must be sealed").arg(sealName));
        }
        const qint64 lastSeq = seg().entries ? seg().lastSeq : m_nextSeq - 1;
        const auto seal = AuditFiles::readSeal(file.sealPath);
        if (!seal)
            return fail(seal.error().code == QLatin1String("audit.io")
                    ? VerifyProblem::IoError
                    : VerifyProblem::SegmentHashMismatch,
                0, lastSeq, seal.error().message);
        const qint64 firstSeq = seg().entries ? seg().firstSeq : m_nextSeq;
        const QByteArray firstPrev = seg().entries ? m_segFirstPrev : m_lastHash;
        QStringList wrong;
        const auto check = [&](const char *key, const auto &found, const auto &expected) {
            if (found != expected)
                wrong << QStringLiteral("%1 is %2, the segment has %3")
                             .arg(QLatin1String(key), text(found), text(expected));
        };
        check("segment", seal->segment, file.name);
        check("bytes", seal->bytes, p.bytes);
        check("entries", seal->entries, seg().entries);
        check("first_seq", seal->firstSeq, firstSeq);
        check("last_seq", seal->lastSeq, lastSeq);
        check("last_hash", QString::fromLatin1(seal->lastHash), QString::fromLatin1(m_lastHash));
        check("prev", QString::fromLatin1(seal->prev), QString::fromLatin1(firstPrev));
        if (!p.sha256.isEmpty())
            check("sha256", QString::fromLatin1(seal->sha256), QString::fromLatin1(p.sha256));
        if (!wrong.isEmpty())
            return fail(VerifyProblem::SegmentHashMismatch, 0, lastSeq,
                QStringLiteral("%1 disagrees with the segment: %2")
                    .arg(sealName, wrong.join(QStringLiteral("; "))));
        return true;
    }

    QString m_stream;
    QList<SegmentFile> m_segments;
    StreamScanResult *m_r;
    int m_current = -1;
    qint64 m_line = 0;
    qint64 m_nextSeq = 1;
    QByteArray m_lastHash = AuditEntryCodec::genesisHash();
    QByteArray m_segFirstPrev;
};

struct MdCtxDeleter
{
    void operator()(EVP_MD_CTX *c) const { EVP_MD_CTX_free(c); }
};

// Chunk buffers go back to a pool when their scan ends: a fresh multi-megabyte allocation per
// chunk costs a page fault and the kernel's zeroing of every page (4% of the verify time).
class BufferPool
{
public:
    QByteArray take(qint64 size)
    {
        QByteArray b;
        {
            const std::lock_guard lock(m_mutex);
            if (!m_free.empty()) {
                b = std::move(m_free.back());
                m_free.pop_back();
            }
        }
        b.resize(int(size));
        return b;
    }

    void give(QByteArray b)
    {
        const std::lock_guard lock(m_mutex);
        m_free.push_back(std::move(b));
    }

private:
    std::mutex m_mutex;
    std::vector<QByteArray> m_free;
};

} // namespace

StreamScanResult verifyStreamSegments(const QString &streamDir, const QString &stream,
    const AuditVerifyOptions &options, QThreadPool *pool, const QList<qint64> &wanted,
    const std::function<void(qint64)> &advance, const std::atomic_bool *cancel)
{
    StreamScanResult result;
    result.summary.name = stream;
    const QList<SegmentFile> segments = AuditFiles::listSegments(streamDir);
    Stitcher stitcher(stream, segments, &result);
    const QByteArray streamBytes = stream.toLatin1();
    const qint64 chunkBytes = std::max<qint64>(options.chunkBytes, 4096);
    const size_t maxInFlight = size_t(pool->maxThreadCount()) * 2 + 1;
    BufferPool buffers; // outlives every scan: they all end before this function returns
    std::deque<Pending> pending;
    bool ok = true;

    const auto drainTo = [&](size_t limit) {
        while (ok && pending.size() > limit) {
            ok = stitcher.stitch(pending.front());
            pending.pop_front();
        }
    };
    const auto push = [&](Pending p) {
        pending.push_back(std::move(p));
        drainTo(maxInFlight);
    };
    const auto problem
        = [&](int index, VerifyProblem kind, const QString &segment, const QString &detail) {
              Pending p;
              p.kind = Pending::Kind::Problem;
              p.segment = index;
              p.problem = VerifyFinding { kind, stream, segment, 0, 0, detail };
              push(std::move(p));
          };

    // Segments that retention removed come first, numbered from 1: the chain is carried through
    // their seals (first_seq, prev and last_seq continue each other) to the first data file.
    int first = 0;
    qint64 retiredSeq = 0;
    QByteArray retiredHash = AuditEntryCodec::genesisHash();
    for (; first < segments.size() && segments[first].retired(); ++first) {
        const SegmentFile &file = segments[first];
        const QString sealName = AuditFiles::sealName(file.number);
        const auto fail = [&](VerifyProblem kind, const QString &segment, const QString &detail) {
            result.finding = VerifyFinding { kind, stream, segment, 0, retiredSeq + 1, detail };
            result.summary.intact = false;
            return result;
        };
        if (file.number != first + 1)
            return fail(VerifyProblem::SegmentGap, segmentName(first + 1),
                QStringLiteral("segment %1 is missing (segments are numbered from 1 without gaps)")
                    .arg(segmentName(first + 1)));
        const auto seal = AuditFiles::readSeal(file.sealPath);
        if (!seal)
            return fail(seal.error().code == QLatin1String("audit.io")
                    ? VerifyProblem::IoError
                    : VerifyProblem::SegmentHashMismatch,
                sealName, seal.error().message);
        if (seal->segment != file.name || seal->firstSeq != retiredSeq + 1
            || seal->prev != retiredHash || seal->entries != seal->lastSeq - seal->firstSeq + 1)
            return fail(VerifyProblem::SegmentGap, sealName,
                QStringLiteral(
                    "%1 (of a segment removed by retention) does not continue the chain: "
                    "it records %2 entries, seq %3 to %4 after prev %5; the chain "
                    "before it ends at seq %6 with hash %7")
                    .arg(sealName)
                    .arg(seal->entries)
                    .arg(seal->firstSeq)
                    .arg(seal->lastSeq)
                    .arg(QString::fromLatin1(seal->prev))
                    .arg(retiredSeq)
                    .arg(QString::fromLatin1(retiredHash)));
        retiredSeq = seal->lastSeq;
        retiredHash = seal->lastHash;
        if (std::binary_search(wanted.cbegin(), wanted.cend(), retiredSeq))
            result.found.insert(retiredSeq, FoundEntry { retiredHash, sealName, 0 });
    }
    if (first > 0) {
        result.retiredThroughSeq = retiredSeq;
        stitcher.continueAfter(retiredSeq, retiredHash);
    }

    for (int i = first; ok && i < segments.size(); ++i) {
        const SegmentFile &file = segments[i];
        const int expectedNumber = i == 0 ? 1 : segments[i - 1].number + 1;
        if (file.number != expectedNumber || file.retired()) {
            const int missing = file.retired() ? file.number : expectedNumber;
            problem(i, VerifyProblem::SegmentGap, segmentName(missing),
                file.retired()
                    ? QStringLiteral("the data file of segment %1 is missing and only its seal is "
                                     "left (retention removes segments from the oldest on only)")
                          .arg(segmentName(missing))
                    : QStringLiteral(
                        "segment %1 is missing (segments are numbered from 1 without gaps)")
                          .arg(segmentName(missing)));
            break;
        }
        auto opened = SegmentReader::open(file);
        if (!opened) {
            problem(i, VerifyProblem::IoError, file.fileName(), opened.error().message);
            break;
        }
        SegmentReader &reader = **opened;
        std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> digest;
        if (file.sealed() && options.checkSealDigest) {
            digest.reset(EVP_MD_CTX_new());
            EVP_DigestInit_ex(digest.get(), EVP_sha256(), nullptr);
        }
        QByteArray carry;
        qint64 total = 0;
        qint64 reported = 0;
        while (ok) {
            if (cancel && cancel->load()) {
                result.cancelled = true;
                ok = false;
                break;
            }
            QByteArray buf = buffers.take(carry.size() + chunkBytes + LineScanner::Padding);
            std::memcpy(buf.data(), carry.constData(), size_t(carry.size()));
            const auto n = reader.read(buf.data() + carry.size(), chunkBytes);
            if (advance) {
                advance(reader.filePosition() - reported);
                reported = reader.filePosition();
            }
            if (!n) {
                const bool corrupt = n.error().code == QLatin1String("audit.corrupt_segment");
                problem(i, corrupt ? VerifyProblem::CorruptSegment : VerifyProblem::IoError,
                    file.fileName(), n.error().message);
                break;
            }
            if (digest)
                EVP_DigestUpdate(digest.get(), buf.constData() + carry.size(), size_t(*n));
            total += *n;
            const qint64 valid = carry.size() + *n;
            const bool eof = *n == 0;
            const char *nl = valid
                ? static_cast<const char *>(memrchr(buf.constData(), '\n', size_t(valid)))
                : nullptr;
            const qint64 chunkLen = eof ? valid : nl ? nl - buf.constData() + 1 : 0;
            if (chunkLen == 0 && !eof) {
                carry = buf.left(int(valid)); // one line longer than a chunk: read on
                continue;
            }
            carry = buf.mid(int(chunkLen), int(valid - chunkLen));
            if (chunkLen > 0) {
                Pending p;
                p.segment = i;
                p.scan = QtConcurrent::run(pool,
                    [buf = std::move(buf), chunkLen, eof, streamBytes, &wanted,
                        &buffers]() mutable {
                        ChunkScan scan = LineScanner::scan(
                            buf.constData(), chunkLen, eof, streamBytes, wanted);
                        buffers.give(std::move(buf));
                        return scan;
                    });
                push(std::move(p));
            }
            if (eof) {
                Pending end;
                end.kind = Pending::Kind::SegmentEnd;
                end.segment = i;
                end.bytes = total;
                if (digest) {
                    unsigned char md[32];
                    EVP_DigestFinal_ex(digest.get(), md, nullptr);
                    end.sha256 = QByteArray(reinterpret_cast<const char *>(md), 32).toHex();
                }
                push(std::move(end));
                break;
            }
        }
    }
    drainTo(0);
    for (Pending &p : pending) // after a problem: let running scans finish before returning
        if (p.kind == Pending::Kind::Chunk)
            p.scan.waitForFinished();
    return result;
}

} // namespace Shivx::Internal

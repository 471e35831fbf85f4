#include "audit/auditstream.h"

#include "audit/canonicaljson.h"
#include "audit/segmentfiles.h"
#include "audit/segmentreader.h"
#include "audit/segmentseal.h"
#include "core/clock.h"
#include "core/timeutil.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <sys/stat.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcAuditStream, "shivx.audit.stream")

namespace Shivx {

using namespace AuditFiles;

namespace {

Error sysError(const QString &path, const char *what)
{
    return makeError("audit.io",
        QStringLiteral("%1: %2: %3")
            .arg(path, QLatin1String(what), QString::fromLocal8Bit(std::strerror(errno))));
}

quint64 inodeOf(const QString &path)
{
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return 0;
    return quint64(st.st_ino);
}

// The last two lines of a file appended line by line: a last line without "\n", and a complete
// line before it that `valid` refuses too (a crash can leave a block of zeros), are one torn
// tail. Removes them from *lines and returns where the tail starts, or -1.
qint64 cutTornTail(QList<Line> *lines, const std::function<bool(const QByteArray &)> &valid)
{
    qint64 tornAt = -1;
    if (!lines->isEmpty() && !lines->last().terminated) {
        tornAt = lines->last().offset;
        lines->removeLast();
    }
    if (!lines->isEmpty() && !valid(lines->last().text)) {
        tornAt = lines->last().offset;
        lines->removeLast();
    }
    return tornAt;
}

AuditEvent repairEvent(const QString &stream, const char *action, const QJsonObject &data)
{
    return AuditEvent { stream, QStringLiteral("engine"), QLatin1String(action), data, 0 };
}

} // namespace

AuditStream::AuditStream(
    QString dataDir, QString name, AuditConfig config, Clock *clock, const CheckpointKey *key)
    : m_dataDir(std::move(dataDir))
    , m_name(std::move(name))
    , m_config(config)
    , m_clock(clock)
    , m_key(key)
    , m_hash(AuditEntryCodec::genesisHash())
{
    m_dir = streamDir(m_dataDir, m_name);
}

AuditStream::~AuditStream()
{
    close();
}

void AuditStream::close()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    m_loaded = false;
}

bool AuditStream::changedOnDisk() const
{
    if (!m_loaded || m_fd < 0)
        return true;
    if (inodeOf(headPath(m_dir)) != m_headInode)
        return true;
    struct stat st
    {
    };
    if (::fstat(m_fd, &st) != 0 || st.st_size != m_activeSize || st.st_nlink == 0)
        return true;
    return QFile::exists(m_dir + QLatin1Char('/') + segmentName(m_activeNumber + 1));
}

Result<QList<AuditEvent>> AuditStream::sync()
{
    if (!changedOnDisk())
        return QList<AuditEvent> {};
    return load();
}

Result<AuditEvent> AuditStream::moveTornTail(
    const QString &path, qint64 offset, const QString &fileLabel)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadWrite))
        return makeError(
            "audit.io", QStringLiteral("%1: cannot open: %2").arg(path, f.errorString()));
    f.seek(offset);
    const QByteArray torn = f.readAll();
    if (!QDir().mkpath(tornDir(m_dir)))
        return makeError("audit.io", QStringLiteral("%1: cannot create").arg(tornDir(m_dir)));
    // Unique: a tail torn again at the same offset (after the truncation below) keeps both.
    QString movedTo = QStringLiteral("torn/%1.%2.torn").arg(fileLabel).arg(offset);
    for (int n = 2; QFile::exists(m_dir + QLatin1Char('/') + movedTo); ++n)
        movedTo = QStringLiteral("torn/%1.%2.%3.torn").arg(fileLabel).arg(offset).arg(n);
    // Written (and synced) before the segment is cut, so the bytes exist somewhere at every moment.
    if (auto r = writeFileAtomic(m_dir + QLatin1Char('/') + movedTo, torn, true); !r)
        return r.error();
    if (!f.resize(offset) || ::fsync(f.handle()) != 0)
        return makeError("audit.io",
            QStringLiteral("%1: cannot truncate to %2: %3")
                .arg(path)
                .arg(offset)
                .arg(f.errorString()));
    qCWarning(lcAuditStream).noquote()
        << "stream" << m_name << ": torn tail of" << fileLabel << "at byte" << offset << "("
        << torn.size() << "bytes ) moved to" << movedTo;
    return repairEvent(m_name, "audit.torn_tail_recovered",
        { { QStringLiteral("segment"), fileLabel }, { QStringLiteral("offset"), offset },
            { QStringLiteral("bytes"), qint64(torn.size()) },
            { QStringLiteral("sha256"), QString::fromLatin1(sha256Hex(torn)) },
            { QStringLiteral("moved_to"), movedTo } });
}

Result<std::optional<AuditEvent>> AuditStream::repairCheckpointsTail()
{
    const QString path = checkpointsPath(m_dir);
    if (!QFile::exists(path))
        return std::optional<AuditEvent> {};
    auto lines = readLastLines(path, 2);
    if (!lines)
        return lines.error();
    const qint64 tornAt
        = cutTornTail(&*lines, [](const QByteArray &line) { return Checkpoint::parse(line).ok(); });
    if (tornAt < 0)
        return std::optional<AuditEvent> {};
    auto moved = moveTornTail(path, tornAt, QStringLiteral("checkpoints.ndjson"));
    if (!moved)
        return moved.error();
    return std::optional<AuditEvent>(*moved);
}

Result<QList<AuditEvent>> AuditStream::load()
{
    close();
    QList<AuditEvent> repairs;
    if (!QDir().mkpath(m_dir))
        return makeError(
            "audit.io", QStringLiteral("%1: cannot create the stream directory").arg(m_dir));

    const QList<SegmentFile> segments = listSegments(m_dir);
    m_seq = 0;
    m_hash = AuditEntryCodec::genesisHash();
    m_lastTsMs = 0;
    m_lastSegment.clear();
    m_activeNumber = segments.isEmpty() ? 1 : segments.last().number;
    if (!segments.isEmpty() && segments.last().sealed())
        ++m_activeNumber;

    // Finish a compression a crash interrupted (the .ndjson is still complete).
    for (const SegmentFile &s : segments) {
        if (m_config.compressRotated && s.sealed() && !s.retired() && !s.compressed
            && s.number < m_activeNumber)
            if (auto r = compressSegmentFile(s.path); !r)
                qCWarning(lcAuditStream).noquote() << r.error().message;
    }

    // The active segment's tail: a last line without "\n", or one that does not hash-verify,
    // was being written when the writer died.
    const QString active = m_dir + QLatin1Char('/') + segmentName(m_activeNumber);
    m_activeFirstTsMs = 0;
    if (QFile::exists(active)) {
        auto lines = readLastLines(active, 2);
        if (!lines)
            return lines.error();
        const qint64 tornAt = cutTornTail(&*lines,
            [](const QByteArray &line) { return AuditEntryCodec::parseVerified(line).ok(); });
        if (tornAt >= 0) {
            auto moved = moveTornTail(active, tornAt, segmentName(m_activeNumber));
            if (!moved)
                return moved.error();
            repairs.append(*moved);
            lines = readLastLines(active, 1);
            if (!lines)
                return lines.error();
        }
        if (!lines->isEmpty()) {
            auto last = AuditEntryCodec::parseVerified(lines->last().text);
            if (!last)
                return makeError("audit.damaged",
                    QStringLiteral("%1: the entry before the torn tail is damaged too (%2); "
                                   "not continuing this chain, run `shivx audit verify`")
                        .arg(active, last.error().message));
            m_seq = last->seq;
            m_hash = last->hash;
            m_lastTsMs = last->tsMs;
            m_lastSegment = segmentName(m_activeNumber);
            if (auto first = AuditEntryCodec::parse(readFirstLine(active)))
                m_activeFirstTsMs = first->tsMs;
        }
    }
    if (m_lastSegment.isEmpty() && m_activeNumber > 1) {
        // The active segment is empty: the chain continues from the previous one's seal.
        auto seal = readSeal(m_dir + QLatin1Char('/') + sealName(m_activeNumber - 1));
        if (!seal)
            return seal.error();
        m_seq = seal->lastSeq;
        m_hash = seal->lastHash;
        m_lastSegment = seal->segment;
        const QList<SegmentFile> again = listSegments(m_dir);
        for (const SegmentFile &s : again)
            if (s.number == m_activeNumber - 1 && !s.retired())
                if (auto bytes = readSegment(s)) {
                    const auto ls = splitLines(*bytes);
                    if (!ls.isEmpty())
                        if (auto e = AuditEntryCodec::parse(ls.last().text))
                            m_lastTsMs = e->tsMs;
                }
    }

    // Checkpoints: a torn last line is moved aside the same way.
    auto cpRepair = repairCheckpointsTail();
    if (!cpRepair)
        return cpRepair.error();
    if (*cpRepair)
        repairs.append(**cpRepair);
    m_lastCheckpointSeq = 0;
    if (QFile::exists(checkpointsPath(m_dir))) {
        auto lines = readLastLines(checkpointsPath(m_dir), 1);
        if (!lines)
            return lines.error();
        if (!lines->isEmpty())
            if (auto cp = Checkpoint::parse(lines->last().text))
                m_lastCheckpointSeq = cp->seq;
    }

    // head.json: rebuilt when it disagrees with the chain (a crash between append and rename).
    if (m_seq > 0) {
        QFile hf(headPath(m_dir));
        qint64 headSeq = -1;
        QByteArray headHash;
        if (hf.open(QIODevice::ReadOnly)) {
            const QJsonObject h = QJsonDocument::fromJson(hf.readAll()).object();
            headSeq = h.value(QStringLiteral("seq")).toInteger(-1);
            headHash = h.value(QStringLiteral("hash")).toString().toLatin1();
        }
        if (headSeq != m_seq || headHash != m_hash) {
            const QString reason = headSeq < 0 ? QStringLiteral("missing")
                : headSeq < m_seq              ? QStringLiteral("behind")
                : headSeq > m_seq              ? QStringLiteral("ahead")
                                               : QStringLiteral("hash_differs");
            repairs.append(repairEvent(m_name, "audit.head_rebuilt",
                { { QStringLiteral("reason"), reason }, { QStringLiteral("head_seq"), headSeq },
                    { QStringLiteral("chain_seq"), m_seq },
                    { QStringLiteral("chain_hash"), QString::fromLatin1(m_hash) } }));
        }
        if (!repairs.isEmpty())
            if (auto r = writeHead(); !r)
                return r.error();
    }
    if (auto r = openActive(); !r)
        return r.error();
    m_headInode = inodeOf(headPath(m_dir));
    m_loaded = true;
    return repairs;
}

Result<void> AuditStream::openActive()
{
    const QString path = m_dir + QLatin1Char('/') + segmentName(m_activeNumber);
    m_fd = ::open(
        QFile::encodeName(path).constData(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (m_fd < 0)
        return sysError(path, "open");
    struct stat st
    {
    };
    ::fstat(m_fd, &st);
    m_activeSize = st.st_size;
    return {};
}

Result<void> AuditStream::writeHead()
{
    const QJsonObject head { { QStringLiteral("hash"), QString::fromLatin1(m_hash) },
        { QStringLiteral("segment"), m_lastSegment }, { QStringLiteral("seq"), m_seq },
        { QStringLiteral("stream"), m_name },
        { QStringLiteral("ts"), TimeUtil::toRfc3339(m_lastTsMs) } };
    auto r = writeFileAtomic(headPath(m_dir), CanonicalJson::serialize(head).value() + '\n',
        m_config.durability != AuditConfig::Durability::Os);
    m_headInode = inodeOf(headPath(m_dir));
    return r;
}

Result<void> AuditStream::writeBuffer(QByteArray &buffer)
{
    // At most 64 KiB per write(2): a single write is not atomic against a crash either (a fatal
    // signal stops it between pages, power loss anywhere), so recovery never relies on it, and
    // short syscalls keep the lock hold time of a huge batch smooth for other writers.
    constexpr qint64 chunk = 64 * 1024;
    qint64 done = 0;
    while (done < buffer.size()) {
        const ssize_t n
            = ::write(m_fd, buffer.constData() + done, size_t(qMin(chunk, buffer.size() - done)));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            m_loaded = false; // a partial line may be on disk: the next sync() repairs it
            return sysError(m_dir + QLatin1Char('/') + segmentName(m_activeNumber), "write");
        }
        done += n;
        m_activeSize += n;
    }
    buffer.clear();
    if (m_config.durability != AuditConfig::Durability::Os && ::fdatasync(m_fd) != 0) {
        m_loaded = false;
        return sysError(m_dir + QLatin1Char('/') + segmentName(m_activeNumber), "fdatasync");
    }
    return {};
}

Result<void> AuditStream::append(const QList<AuditEvent> &input, int *written)
{
    int count = 0;
    if (written)
        *written = 0;
    QList<AuditEvent> events = input;
    QByteArray buffer;
    const bool perEntry = m_config.durability == AuditConfig::Durability::Entry;
    for (qsizetype i = 0; i < events.size(); ++i) {
        const AuditEvent &ev = events.at(i);
        const qint64 now = m_clock->nowMs();
        const bool tooBig = m_activeSize + buffer.size() >= m_config.segmentMaxBytes;
        const bool tooOld
            = m_activeFirstTsMs > 0 && now - m_activeFirstTsMs >= m_config.segmentMaxAgeMs;
        if ((tooBig || tooOld) && m_activeSize + buffer.size() > 0) {
            if (auto r = writeBuffer(buffer); !r)
                return r;
            if (written)
                *written = count;
            if (auto r = rotate(); !r)
                return r;
        }
        AuditEntry e;
        e.seq = m_seq + 1;
        e.tsMs = ev.tsMs > 0 ? ev.tsMs : now;
        e.stream = m_name;
        e.actor = ev.actor.isEmpty() ? QStringLiteral("engine") : ev.actor;
        e.action = ev.action.isEmpty() ? QStringLiteral("unknown") : ev.action;
        e.data = ev.data;
        e.prev = m_hash;
        auto line = AuditEntryCodec::seal(e);
        if (!line) {
            e.data = QJsonObject { { QStringLiteral("invalid_data"), line.error().message },
                { QStringLiteral("json"),
                    QString::fromUtf8(QJsonDocument(ev.data).toJson(QJsonDocument::Compact)) } };
            line = AuditEntryCodec::seal(e);
            if (!line)
                return line.error();
        }
        buffer += *line;
        buffer += '\n';
        m_seq = e.seq;
        m_hash = e.hash;
        m_lastTsMs = e.tsMs;
        m_lastSegment = segmentName(m_activeNumber);
        if (m_activeFirstTsMs == 0)
            m_activeFirstTsMs = e.tsMs;
        ++count;
        if (perEntry) {
            if (auto r = writeBuffer(buffer); !r)
                return r;
            if (written)
                *written = count;
        }
        if (i + 1 == events.size() && !m_pending.isEmpty()) {
            events += m_pending; // retention events produced by a rotation in this batch
            m_pending.clear();
        }
    }
    if (auto r = writeBuffer(buffer); !r)
        return r;
    if (written)
        *written = count;
    return writeHead();
}

Result<void> AuditStream::rotate()
{
    SegmentFile current;
    current.number = m_activeNumber;
    current.name = segmentName(m_activeNumber);
    current.path = m_dir + QLatin1Char('/') + current.name;
    if (::fdatasync(m_fd) != 0)
        return sysError(current.path, "fdatasync");
    ::close(m_fd);
    m_fd = -1;
    auto bytes = readSegment(current);
    if (!bytes)
        return bytes.error();
    const QList<Line> lines = splitLines(*bytes);
    auto first = AuditEntryCodec::parse(lines.value(0).text);
    if (!first)
        return makeError("audit.rotate",
            QStringLiteral("%1: first line: %2").arg(current.path, first.error().message));
    SegmentSeal seal;
    seal.segment = current.name;
    seal.bytes = bytes->size();
    seal.entries = lines.size();
    seal.firstSeq = first->seq;
    seal.prev = first->prev;
    seal.lastSeq = m_seq;
    seal.lastHash = m_hash;
    seal.sha256 = sha256Hex(*bytes);
    if (auto r = writeFileAtomic(
            m_dir + QLatin1Char('/') + sealName(current.number), seal.toJson() + '\n', true);
        !r)
        return r;
    if (m_config.compressRotated)
        if (auto r = compressSegmentFile(current.path); !r)
            qCWarning(lcAuditStream).noquote()
                << "keeping the segment uncompressed:" << r.error().message;
    ++m_activeNumber;
    m_activeFirstTsMs = 0;
    if (auto r = openActive(); !r)
        return r;
    applyRetention();
    return {};
}

QByteArray AuditStream::hashAtSeq(qint64 seq) const
{
    if (seq == m_seq && m_seq > 0)
        return m_hash;
    const QList<SegmentFile> segments = listSegments(m_dir);
    for (auto it = segments.rbegin(); it != segments.rend(); ++it) {
        if (it->retired())
            continue;
        if (it->sealed()) {
            auto seal = readSeal(it->sealPath);
            if (seal && (seq < seal->firstSeq || seq > seal->lastSeq))
                continue;
        }
        auto bytes = readSegment(*it);
        if (!bytes)
            return {};
        for (const Line &l : splitLines(*bytes)) {
            auto e = AuditEntryCodec::parseVerified(l.text);
            if (e && e->seq == seq)
                return e->hash;
        }
    }
    return {};
}

void AuditStream::applyRetention()
{
    if (m_config.retentionMs <= 0 || !m_key)
        return;
    // The newest checkpoint that is signed by our key and names a hash the chain really has.
    QFile cpFile(checkpointsPath(m_dir));
    if (!cpFile.open(QIODevice::ReadOnly))
        return;
    QList<Line> cpLines = splitLines(cpFile.readAll());
    qint64 coveredSeq = 0;
    for (auto it = cpLines.rbegin(); it != cpLines.rend() && coveredSeq == 0; ++it) {
        auto cp = Checkpoint::parse(it->text);
        if (cp && cp->stream == m_name && m_key->verify(*cp) && hashAtSeq(cp->seq) == cp->hash)
            coveredSeq = cp->seq;
    }
    const qint64 cutoff = m_clock->nowMs() - m_config.retentionMs;
    for (const SegmentFile &s : listSegments(m_dir)) {
        if (s.retired())
            continue;
        if (!s.sealed() || s.number >= m_activeNumber)
            break;
        auto bytes = readSegment(s);
        if (!bytes)
            break;
        const QList<Line> lines = splitLines(*bytes);
        auto first = AuditEntryCodec::parseVerified(lines.value(0).text);
        auto last = AuditEntryCodec::parseVerified(lines.value(lines.size() - 1).text);
        if (!first || !last || last->seq > coveredSeq || last->tsMs >= cutoff)
            break; // never delete past the first segment that is not covered and old enough
        if (::unlink(QFile::encodeName(s.path).constData()) != 0)
            break;
        syncDirectory(m_dir);
        qCInfo(lcAuditStream).noquote() << "stream" << m_name << ": retention removed" << s.path;
        m_pending.append(repairEvent(m_name, "audit.segment_retired",
            { { QStringLiteral("segment"), s.name }, { QStringLiteral("first_seq"), first->seq },
                { QStringLiteral("last_seq"), last->seq },
                { QStringLiteral("sha256"), QString::fromLatin1(sha256Hex(*bytes)) },
                { QStringLiteral("checkpoint_seq"), coveredSeq } }));
    }
}

Result<Checkpoint> AuditStream::checkpoint(const CheckpointKey &key, bool force)
{
    if (m_seq == 0 || (!force && m_seq == m_lastCheckpointSeq))
        return Checkpoint {};
    // A line torn by an earlier append (ENOSPC) is moved aside first, and the move recorded in
    // the chain, so that this checkpoint starts on a line of its own and covers the record.
    auto torn = repairCheckpointsTail();
    if (!torn)
        return torn.error();
    if (*torn)
        if (auto r = append({ **torn }); !r)
            return r.error();
    Checkpoint cp;
    cp.stream = m_name;
    cp.seq = m_seq;
    cp.hash = m_hash;
    cp.tsMs = m_clock->nowMs();
    if (auto r = key.sign(cp); !r)
        return r.error();
    const QString path = checkpointsPath(m_dir);
    const int fd = ::open(
        QFile::encodeName(path).constData(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return sysError(path, "open");
    // A short write (a full disk) leaves part of the line: the next append or load moves it
    // to torn/ and records it (repairCheckpointsTail).
    auto written = writeAll(fd, cp.toLine() + '\n', path);
    if (written && ::fdatasync(fd) != 0)
        written = sysError(path, "fdatasync");
    ::close(fd);
    if (!written)
        return written.error();
    m_lastCheckpointSeq = m_seq;
    return cp;
}

} // namespace Shivx

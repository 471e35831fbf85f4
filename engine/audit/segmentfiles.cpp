#include "audit/segmentfiles.h"

#include "audit/auditentry.h"
#include "audit/canonicaljson.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QRegularExpression>

#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace Shivx::AuditFiles {

namespace {

Error ioError(const QString &path, const char *what)
{
    return makeError("audit.io",
        QStringLiteral("%1: %2: %3")
            .arg(path, QLatin1String(what), QString::fromLocal8Bit(std::strerror(errno))));
}

Result<void> writeAll(int fd, const QByteArray &bytes, const QString &path)
{
    qint64 done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return ioError(path, "write");
        done += n;
    }
    return {};
}

} // namespace

QString auditDir(const QString &dataDir)
{
    return dataDir + QStringLiteral("/audit");
}
QString keysDir(const QString &dataDir)
{
    return auditDir(dataDir) + QStringLiteral("/keys");
}
QString lockPath(const QString &dataDir)
{
    return auditDir(dataDir) + QStringLiteral("/lock");
}
QString streamDir(const QString &dataDir, const QString &stream)
{
    return auditDir(dataDir) + QLatin1Char('/') + stream;
}
QString headPath(const QString &dir)
{
    return dir + QStringLiteral("/head.json");
}
QString checkpointsPath(const QString &dir)
{
    return dir + QStringLiteral("/checkpoints.ndjson");
}
QString tornDir(const QString &dir)
{
    return dir + QStringLiteral("/torn");
}

QStringList listStreams(const QString &dataDir)
{
    QStringList out;
    const QStringList dirs
        = QDir(auditDir(dataDir)).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &d : dirs)
        if (d != QLatin1String("keys") && AuditEntryCodec::isValidStreamName(d))
            out.append(d);
    return out;
}

QString segmentName(int number)
{
    return QStringLiteral("seg-%1.ndjson").arg(number, 6, 10, QLatin1Char('0'));
}

int segmentNumber(const QString &fileName)
{
    static const QRegularExpression re(
        QStringLiteral("^seg-(\\d{6,9})\\.(ndjson|ndjson\\.zst|seal)$"));
    const auto m = re.match(fileName);
    return m.hasMatch() ? m.captured(1).toInt() : 0;
}

QList<SegmentFile> listSegments(const QString &dir)
{
    QMap<int, SegmentFile> byNumber;
    const QStringList files = QDir(dir).entryList(QDir::Files, QDir::Name);
    for (const QString &f : files) {
        const int n = segmentNumber(f);
        if (n <= 0)
            continue;
        SegmentFile &s = byNumber[n];
        s.number = n;
        s.name = segmentName(n);
        const QString path = dir + QLatin1Char('/') + f;
        if (f.endsWith(QLatin1String(".seal"))) {
            s.sealPath = path;
        } else if (f.endsWith(QLatin1String(".zst"))) {
            if (s.path.isEmpty()) {
                s.path = path;
                s.compressed = true;
            }
        } else {
            s.path = path;
            s.compressed = false;
        }
    }
    return byNumber.values();
}

QByteArray SegmentSeal::toJson() const
{
    const QJsonObject o { { QStringLiteral("bytes"), bytes },
        { QStringLiteral("entries"), entries }, { QStringLiteral("first_seq"), firstSeq },
        { QStringLiteral("last_hash"), QString::fromLatin1(lastHash) },
        { QStringLiteral("last_seq"), lastSeq },
        { QStringLiteral("prev"), QString::fromLatin1(prev) },
        { QStringLiteral("segment"), segment },
        { QStringLiteral("sha256"), QString::fromLatin1(sha256) } };
    return CanonicalJson::serialize(o).value(); // strings and integers below 2^53
}

Result<SegmentSeal> SegmentSeal::parse(const QByteArray &json)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (!doc.isObject())
        return makeError(
            "audit.bad_seal", QStringLiteral("not a JSON object (%1)").arg(pe.errorString()));
    const QJsonObject o = doc.object();
    static const QStringList keys { QStringLiteral("bytes"), QStringLiteral("entries"),
        QStringLiteral("first_seq"), QStringLiteral("last_hash"), QStringLiteral("last_seq"),
        QStringLiteral("prev"), QStringLiteral("segment"), QStringLiteral("sha256") };
    if (o.keys() != keys)
        return makeError("audit.bad_seal",
            QStringLiteral("members are [%1], expected [%2]")
                .arg(o.keys().join(QLatin1Char(',')), keys.join(QLatin1Char(','))));
    SegmentSeal s;
    s.bytes = o.value(QStringLiteral("bytes")).toInteger(-1);
    s.entries = o.value(QStringLiteral("entries")).toInteger(-1);
    s.firstSeq = o.value(QStringLiteral("first_seq")).toInteger(-1);
    s.lastSeq = o.value(QStringLiteral("last_seq")).toInteger(-1);
    s.lastHash = o.value(QStringLiteral("last_hash")).toString().toLatin1();
    s.prev = o.value(QStringLiteral("prev")).toString().toLatin1();
    s.segment = o.value(QStringLiteral("segment")).toString();
    s.sha256 = o.value(QStringLiteral("sha256")).toString().toLatin1();
    if (s.bytes < 0 || s.entries < 0 || s.firstSeq < 0 || s.lastSeq < 0 || s.lastHash.size() != 64
        || s.prev.size() != 64 || s.sha256.size() != 64 || segmentNumber(s.segment) <= 0)
        return makeError("audit.bad_seal", QStringLiteral("a member has the wrong type or shape"));
    return s;
}

Result<SegmentSeal> readSeal(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(
            "audit.io", QStringLiteral("%1: cannot read: %2").arg(path, f.errorString()));
    auto seal = SegmentSeal::parse(f.readAll());
    if (!seal)
        return makeError(
            "audit.bad_seal", QStringLiteral("%1: %2").arg(path, seal.error().message));
    return seal;
}

Result<QByteArray> zstdDecompress(const QByteArray &in, const QString &source)
{
    ZSTD_DStream *ds = ZSTD_createDStream();
    ZSTD_initDStream(ds);
    QByteArray out;
    QByteArray buffer(int(ZSTD_DStreamOutSize()), Qt::Uninitialized);
    ZSTD_inBuffer input { in.constData(), size_t(in.size()), 0 };
    size_t last = 0;
    while (input.pos < input.size) {
        ZSTD_outBuffer output { buffer.data(), size_t(buffer.size()), 0 };
        last = ZSTD_decompressStream(ds, &output, &input);
        if (ZSTD_isError(last)) {
            ZSTD_freeDStream(ds);
            return makeError("audit.zstd",
                QStringLiteral("%1: %2").arg(source, QLatin1String(ZSTD_getErrorName(last))));
        }
        out.append(buffer.constData(), qsizetype(output.pos));
    }
    // Flush what the decoder still holds for the last frame.
    while (last != 0) {
        ZSTD_outBuffer output { buffer.data(), size_t(buffer.size()), 0 };
        last = ZSTD_decompressStream(ds, &output, &input);
        if (ZSTD_isError(last) || output.pos == 0) {
            ZSTD_freeDStream(ds);
            return makeError("audit.zstd", QStringLiteral("%1: truncated zstd frame").arg(source));
        }
        out.append(buffer.constData(), qsizetype(output.pos));
    }
    ZSTD_freeDStream(ds);
    return out;
}

Result<QByteArray> readSegment(const SegmentFile &segment)
{
    if (segment.retired())
        return makeError(
            "audit.retired", QStringLiteral("%1 was removed by retention").arg(segment.name));
    QFile f(segment.path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(
            "audit.io", QStringLiteral("%1: cannot read: %2").arg(segment.path, f.errorString()));
    const QByteArray bytes = f.readAll();
    if (!segment.compressed)
        return bytes;
    return zstdDecompress(bytes, segment.path);
}

QList<Line> splitLines(const QByteArray &bytes)
{
    QList<Line> out;
    qint64 start = 0;
    while (start < bytes.size()) {
        const qint64 nl = bytes.indexOf('\n', start);
        if (nl < 0) {
            out.append(Line { bytes.mid(start), start, false });
            break;
        }
        out.append(Line { bytes.mid(start, nl - start), start, true });
        start = nl + 1;
    }
    return out;
}

QByteArray readFirstLine(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray line = f.readLine(1 << 24);
    return line.endsWith('\n') ? line.chopped(1) : QByteArray();
}

Result<QList<Line>> readLastLines(const QString &path, int count)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(
            "audit.io", QStringLiteral("%1: cannot read: %2").arg(path, f.errorString()));
    const qint64 size = f.size();
    qint64 window = 16 * 1024;
    for (;;) {
        const qint64 from = qMax<qint64>(0, size - window);
        f.seek(from);
        const QByteArray chunk = f.read(size - from);
        QList<Line> lines = splitLines(chunk);
        // The first line of a window that does not start the file may be cut: need one more.
        if (from == 0 || lines.size() > count) {
            if (from > 0)
                lines.removeFirst();
            for (Line &l : lines)
                l.offset += from;
            if (lines.size() > count)
                lines = lines.mid(lines.size() - count);
            return lines;
        }
        window *= 4;
    }
}

Result<QList<AuditEntry>> readRecentEntries(const QString &dir, qint64 afterSeq, int maxCount)
{
    QList<AuditEntry> newestFirst;
    const QList<SegmentFile> segments = listSegments(dir);
    for (auto it = segments.rbegin(); it != segments.rend() && newestFirst.size() < maxCount;
         ++it) {
        if (it->retired())
            break;
        QList<Line> lines;
        if (!it->sealed() && !it->compressed) {
            auto last = readLastLines(it->path, maxCount + 1);
            if (!last)
                return last.error();
            lines = *last;
        } else {
            auto bytes = readSegment(*it);
            if (!bytes)
                return bytes.error();
            lines = splitLines(*bytes);
        }
        bool reachedOld = false;
        for (auto l = lines.rbegin(); l != lines.rend() && newestFirst.size() < maxCount; ++l) {
            if (!l->terminated)
                continue;
            auto e = AuditEntryCodec::parse(l->text);
            if (!e)
                continue;
            if (e->seq <= afterSeq) {
                reachedOld = true;
                break;
            }
            newestFirst.append(*e);
        }
        if (reachedOld)
            break;
    }
    std::reverse(newestFirst.begin(), newestFirst.end());
    return newestFirst;
}

QByteArray sha256Hex(const QByteArray &bytes)
{
    return AuditEntryCodec::sha256Hex(bytes);
}

Result<void> syncDirectory(const QString &dir)
{
    const int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return ioError(dir, "open directory");
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0)
        return ioError(dir, "fsync directory");
    return {};
}

Result<void> writeFileAtomic(const QString &path, const QByteArray &bytes, bool sync)
{
    const QString tmp = path + QStringLiteral(".tmp");
    const QByteArray tmpName = QFile::encodeName(tmp);
    const int fd = ::open(tmpName.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return ioError(tmp, "open");
    auto written = writeAll(fd, bytes, tmp);
    if (written && sync && ::fdatasync(fd) != 0)
        written = ioError(tmp, "fdatasync");
    ::close(fd);
    if (!written) {
        ::unlink(tmpName.constData());
        return written;
    }
    if (::rename(tmpName.constData(), QFile::encodeName(path).constData()) != 0)
        return ioError(path, "rename");
    if (sync)
        return syncDirectory(QFileInfo(path).absolutePath());
    return {};
}

Result<void> compressSegmentFile(const QString &ndjsonPath)
{
    QFile in(ndjsonPath);
    if (!in.open(QIODevice::ReadOnly))
        return makeError(
            "audit.io", QStringLiteral("%1: cannot read: %2").arg(ndjsonPath, in.errorString()));
    const QByteArray plain = in.readAll();
    QByteArray packed(qsizetype(ZSTD_compressBound(size_t(plain.size()))), Qt::Uninitialized);
    const size_t n = ZSTD_compress(
        packed.data(), size_t(packed.size()), plain.constData(), size_t(plain.size()), 3);
    if (ZSTD_isError(n))
        return makeError("audit.zstd",
            QStringLiteral("%1: %2").arg(ndjsonPath, QLatin1String(ZSTD_getErrorName(n))));
    packed.truncate(qsizetype(n));
    if (auto r = writeFileAtomic(ndjsonPath + QStringLiteral(".zst"), packed, true); !r)
        return r;
    if (::unlink(QFile::encodeName(ndjsonPath).constData()) != 0)
        return ioError(ndjsonPath, "unlink");
    return syncDirectory(QFileInfo(ndjsonPath).absolutePath());
}

} // namespace Shivx::AuditFiles

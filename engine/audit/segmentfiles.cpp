#include "audit/segmentfiles.h"

#include "audit/auditentry.h"
#include "audit/segmentreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMap>

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
    return listStreamsIn(auditDir(dataDir));
}

QStringList listStreamsIn(const QString &auditDirectory)
{
    QStringList out;
    const QStringList dirs
        = QDir(auditDirectory).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &d : dirs)
        if (d != QLatin1String("keys") && AuditEntryCodec::isValidStreamName(d))
            out.append(d);
    return out;
}

namespace {

QString numberText(int number)
{
    return QStringLiteral("%1").arg(number, 6, 10, QLatin1Char('0'));
}

} // namespace

SegmentFileName parseSegmentFileName(const QString &fileName)
{
    static const QLatin1String prefix("seg-");
    if (!fileName.startsWith(prefix))
        return {};
    const qsizetype dot = fileName.indexOf(QLatin1Char('.'), prefix.size());
    if (dot < 0)
        return {};
    const QStringView digits = QStringView(fileName).mid(prefix.size(), dot - prefix.size());
    if (digits.size() < 6 || digits.size() > 9)
        return {};
    for (const QChar c : digits)
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return {};
    const int number = digits.toInt();
    // Exactly what segmentName() writes: no number 0 and no padding beyond six digits.
    if (number <= 0 || numberText(number) != digits)
        return {};
    const QStringView suffix = QStringView(fileName).mid(dot);
    if (suffix == QLatin1String(".ndjson"))
        return { number, SegmentPart::Data };
    if (suffix == QLatin1String(".ndjson.zst"))
        return { number, SegmentPart::Compressed };
    if (suffix == QLatin1String(".seal"))
        return { number, SegmentPart::Seal };
    return {};
}

int segmentNumber(const QString &fileName)
{
    return parseSegmentFileName(fileName).number;
}

QString segmentName(int number)
{
    return QStringLiteral("seg-%1.ndjson").arg(numberText(number));
}

QString compressedSegmentName(int number)
{
    return QStringLiteral("seg-%1.ndjson.zst").arg(numberText(number));
}

QString sealName(int number)
{
    return QStringLiteral("seg-%1.seal").arg(numberText(number));
}

QString SegmentFile::fileName() const
{
    return retired() ? name : compressed ? compressedSegmentName(number) : name;
}

QList<SegmentFile> listSegments(const QString &dir)
{
    QMap<int, SegmentFile> byNumber;
    const QFileInfoList files
        = QDir(dir).entryInfoList(QStringList { QStringLiteral("seg-*") }, QDir::Files, QDir::Name);
    for (const QFileInfo &fi : files) {
        const SegmentFileName n = parseSegmentFileName(fi.fileName());
        if (n.number <= 0)
            continue;
        SegmentFile &s = byNumber[n.number];
        s.number = n.number;
        s.name = segmentName(n.number);
        switch (n.part) {
        case SegmentPart::Seal:
            s.sealPath = fi.filePath();
            break;
        case SegmentPart::Compressed:
            if (!s.path.isEmpty())
                break; // the .ndjson was seen first and wins
            s.path = fi.filePath();
            s.size = fi.size();
            s.compressed = true;
            break;
        case SegmentPart::Data:
            s.path = fi.filePath();
            s.size = fi.size();
            s.compressed = false;
            break;
        }
    }
    return byNumber.values();
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

Result<void> writeAll(int fd, const QByteArray &bytes, const QString &path)
{
    qint64 done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return makeError("audit.io",
                QStringLiteral("%1: write: %2 (%3 of %4 bytes written)")
                    .arg(path, QString::fromLocal8Bit(std::strerror(errno)))
                    .arg(done)
                    .arg(bytes.size()));
        done += n;
    }
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
    // Some file systems (NFS, FUSE) report a failed write-back only here.
    if (::close(fd) != 0 && written)
        written = ioError(tmp, "close");
    if (written && ::rename(tmpName.constData(), QFile::encodeName(path).constData()) != 0)
        written = ioError(path, "rename");
    if (!written) {
        ::unlink(tmpName.constData()); // PATH itself was not touched
        return written;
    }
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

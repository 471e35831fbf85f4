#include "recovery/processlog.h"

#include <QDateTime>
#include <QDir>
#include <QLoggingCategory>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcProcessLog, "shivx.recovery.processlog")

namespace Shivx {

namespace {

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

QString noteLine(const QString &text)
{
    return QStringLiteral("--- %1 %2 ---\n")
        .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs), text);
}

} // namespace

ProcessLog::ProcessLog(const QString &dir, const QString &name, qint64 maxBytes, int keptFiles)
    : m_dir(dir)
    , m_name(name)
    , m_maxBytes(qMax<qint64>(1, maxBytes))
    , m_keptFiles(qMax(1, keptFiles))
{
}

QString ProcessLog::path() const
{
    return QDir(m_dir).filePath(m_name + QStringLiteral(".log"));
}

QString ProcessLog::rotated(int index) const
{
    return path() + QLatin1Char('.') + QString::number(index);
}

void ProcessLog::setLimits(qint64 maxBytes, int keptFiles)
{
    m_maxBytes = qMax<qint64>(1, maxBytes);
    m_keptFiles = qMax(1, keptFiles);
}

void ProcessLog::fail(const QString &message)
{
    m_error = message;
    if (message == m_reported)
        return;
    m_reported = message;
    qCWarning(lcProcessLog).noquote() << message;
}

bool ProcessLog::ensureOpen()
{
    if (m_file.isOpen())
        return true;
    QDir().mkpath(m_dir);
    m_file.setFileName(path());
    // Unbuffered: a failed write shows at once, not at a later flush.
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered)) {
        fail(QStringLiteral("%1: %2; output dropped").arg(m_file.fileName(), m_file.errorString()));
        return false;
    }
    return true;
}

bool ProcessLog::rotate()
{
    m_file.close();
    // rename(2) rather than QFile::rename: it replaces the next file in one step, and its
    // errno says what is in the way ("Is a directory").
    QString failure;
    auto failed = [&failure](const QString &file, int error) {
        if (failure.isEmpty())
            failure = QStringLiteral("%1: %2").arg(file, errnoText(error));
    };
    const QString oldest = rotated(m_keptFiles);
    if (::unlink(QFile::encodeName(oldest).constData()) != 0 && errno != ENOENT)
        failed(oldest, errno);
    for (int i = m_keptFiles - 1; i >= 1; --i) {
        if (std::rename(QFile::encodeName(rotated(i)).constData(),
                QFile::encodeName(rotated(i + 1)).constData())
                != 0
            && errno != ENOENT)
            failed(rotated(i + 1), errno);
    }
    const int moved = std::rename(
        QFile::encodeName(path()).constData(), QFile::encodeName(rotated(1)).constData());
    const int movedError = errno;
    if (moved == 0 || movedError == ENOENT) {
        if (failure.isEmpty()) {
            m_error.clear(); // working again: the next failure is reported anew
            m_reported.clear();
        } else
            fail(QStringLiteral("cannot rotate the log of %1: %2").arg(m_name, failure));
        return ensureOpen();
    }
    // What keeps NAME.log from moving is the failure to name.
    failure = QStringLiteral("%1: %2").arg(rotated(1), errnoText(movedError));
    // NAME.log cannot be moved away. Emptying it keeps the newest output flowing within
    // max_size; keeping the old file and dropping the new output instead would hide what the
    // process does now.
    fail(QStringLiteral("cannot rotate the log of %1: %2; %3 is emptied instead when it is full")
             .arg(m_name, failure, path()));
    m_file.setFileName(path());
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered)) {
        fail(QStringLiteral("%1: %2; output dropped").arg(path(), m_file.errorString()));
        return false;
    }
    const QByteArray why
        = noteLine(QStringLiteral("cannot rotate (%1): the earlier output of this file was dropped")
                       .arg(failure))
              .toUtf8();
    if (why.size() <= m_maxBytes / 4)
        m_file.write(why);
    return true;
}

QStringList ProcessLog::append(const QByteArray &data)
{
    QStringList lines;
    if (data.isEmpty())
        return lines;
    m_partial += data;
    qsizetype start = 0;
    for (qsizetype nl = m_partial.indexOf('\n'); nl >= 0; nl = m_partial.indexOf('\n', start)) {
        lines.append(QString::fromUtf8(m_partial.constData() + start, nl - start));
        start = nl + 1;
    }
    // A process that never writes a newline still has its output bounded in memory.
    if (m_partial.size() - start > 64 * 1024) {
        lines.append(QString::fromUtf8(m_partial.mid(start)));
        start = m_partial.size();
    }
    m_partial.remove(0, start);

    QByteArray rest = data;
    while (!rest.isEmpty()) {
        if (!ensureOpen())
            return lines; // dropped; reported once
        const qint64 room = m_maxBytes - m_file.size();
        qsizetype take = rest.size();
        if (take > room) {
            // Cut at the last line end that fits, so that a line is not split across files;
            // only a line longer than a whole file is cut.
            const qsizetype nl = room > 0 ? rest.lastIndexOf('\n', qsizetype(room) - 1) : -1;
            if (nl >= 0)
                take = nl + 1;
            else if (m_file.size() > 0)
                take = 0;
            else
                take = qsizetype(room);
        }
        if (take > 0 && m_file.write(rest.constData(), take) != take) {
            // Disk full or an I/O error: the rest of this output is dropped, and the next
            // output tries again (a single write, not a loop).
            fail(QStringLiteral("%1: %2; output dropped")
                     .arg(m_file.fileName(), m_file.errorString()));
            return lines;
        }
        rest.remove(0, take);
        // A file that could neither be rotated nor emptied takes nothing more of this output.
        if (!rest.isEmpty() && !rotate())
            return lines;
    }
    return lines;
}

QStringList ProcessLog::note(const QString &text)
{
    // A note must not glue itself to a partial line of the process: that line ends here.
    QStringList lines;
    if (!m_partial.isEmpty())
        lines = append(QByteArrayLiteral("\n"));
    return lines + append(noteLine(text).toUtf8());
}

QStringList ProcessLog::tail(const QString &path, int maxLines)
{
    QFile f(path);
    if (maxLines <= 0 || !f.open(QIODevice::ReadOnly))
        return {};
    const qint64 window = qMin<qint64>(f.size(), qint64(maxLines) * 512);
    f.seek(f.size() - window);
    QList<QByteArray> raw = f.readAll().split('\n');
    if (!raw.isEmpty() && raw.constLast().isEmpty())
        raw.removeLast();
    if (window < f.size() && !raw.isEmpty())
        raw.removeFirst(); // probably cut in the middle
    QStringList lines;
    for (qsizetype i = qMax<qsizetype>(0, raw.size() - maxLines); i < raw.size(); ++i)
        lines.append(QString::fromUtf8(raw.at(i)));
    return lines;
}

} // namespace Shivx

#include "recovery/processlog.h"

#include <QDateTime>
#include <QDir>

namespace Shivx {

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

bool ProcessLog::ensureOpen()
{
    if (m_file.isOpen())
        return true;
    QDir().mkpath(m_dir);
    m_file.setFileName(path());
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append)) {
        m_error = QStringLiteral("%1: %2").arg(m_file.fileName(), m_file.errorString());
        return false;
    }
    return true;
}

void ProcessLog::rotate()
{
    m_file.close();
    QDir dir(m_dir);
    const QString base = m_name + QStringLiteral(".log");
    dir.remove(QStringLiteral("%1.%2").arg(base).arg(m_keptFiles));
    for (int i = m_keptFiles - 1; i >= 1; --i)
        dir.rename(
            QStringLiteral("%1.%2").arg(base).arg(i), QStringLiteral("%1.%2").arg(base).arg(i + 1));
    dir.rename(base, base + QStringLiteral(".1"));
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
            return lines;
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
        if (take > 0 && m_file.write(rest.constData(), take) != take)
            m_error = QStringLiteral("%1: %2").arg(m_file.fileName(), m_file.errorString());
        rest.remove(0, take);
        if (!rest.isEmpty())
            rotate();
    }
    m_file.flush();
    return lines;
}

QStringList ProcessLog::note(const QString &text)
{
    const QString line
        = QStringLiteral("--- %1 %2 ---")
              .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs), text);
    // A note must not glue itself to a partial line of the process: that line ends here.
    QStringList lines;
    if (!m_partial.isEmpty())
        lines = append(QByteArrayLiteral("\n"));
    return lines + append(line.toUtf8() + '\n');
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

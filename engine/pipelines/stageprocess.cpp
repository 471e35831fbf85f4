#include "pipelines/stageprocess.h"

#include "core/steadyclock.h"
#include "pipelines/stagelauncher.h"

#include <QFile>
#include <QTimer>

#include <limits>

#include <csignal>

namespace Shivx {

StageProcess::StageProcess(StageLaunch launch, StageLauncher *launcher, QObject *parent)
    : QObject(parent)
    , m_launch(std::move(launch))
    , m_launcher(launcher)
{
}

StageProcess::~StageProcess()
{
    if (m_id != 0 && !m_done)
        stopBlocking(1000);
    if (m_id != 0)
        m_launcher->forget(m_id);
}

void StageProcess::start()
{
    if (m_id != 0 || m_done)
        return;
    if (m_stopRequested) {
        m_done = true;
        QMetaObject::invokeMethod(
            this,
            [this] { Q_EMIT finished(-1, 0, false, QStringLiteral("stopped before it started")); },
            Qt::QueuedConnection);
        return;
    }
    m_id = m_launcher->launch(
        m_launch, this,
        [this](const StageLauncher::Started &s) {
            if (m_done)
                return;
            m_pid = s.pid;
            m_pgid = s.pgid;
            m_startTicks = s.startTicks;
            m_spawnedNs = s.spawnedNs;
            m_bootId = s.bootId;
            if (m_launch.timeoutMs > 0) {
                m_timeout = new QTimer(this);
                m_timeout->setSingleShot(true);
                connect(m_timeout, &QTimer::timeout, this, [this] {
                    m_timedOut = true;
                    signalGroup(SIGKILL);
                });
                // From the spawn, which the report may follow by a few milliseconds.
                const qint64 sinceSpawnMs = (steadyNs() - s.spawnedNs) / 1'000'000;
                m_timeout->start(int(qBound(qint64(0), m_launch.timeoutMs - sinceSpawnMs,
                    qint64(std::numeric_limits<int>::max()))));
            }
            Q_EMIT started(m_pid);
        },
        [this](const StageLauncher::Finished &f) { end(f.exitCode, f.signal, f.error); });
}

void StageProcess::end(int exitCode, int signal, const QString &error)
{
    if (m_done)
        return;
    m_done = true;
    if (m_timeout)
        m_timeout->stop();
    if (m_kill)
        m_kill->stop();
    Q_EMIT finished(exitCode, signal, m_timedOut, error);
}

void StageProcess::signalGroup(int signal)
{
    // The launcher sends it only while the process is not reaped: after that, its pid and
    // group id may belong to someone else.
    if (m_id != 0 && !m_done)
        m_launcher->signal(m_id, signal);
}

void StageProcess::stop(int graceMs)
{
    if (m_done)
        return;
    if (m_id == 0) {
        m_stopRequested = true;
        return;
    }
    signalGroup(SIGTERM);
    if (!m_kill) {
        m_kill = new QTimer(this);
        m_kill->setSingleShot(true);
        connect(m_kill, &QTimer::timeout, this, [this] { signalGroup(SIGKILL); });
        m_kill->start(graceMs);
    }
}

void StageProcess::stopBlocking(int graceMs)
{
    if (m_done || m_id == 0)
        return;
    signalGroup(SIGTERM);
    StageLauncher::Finished f;
    if (!m_launcher->waitReaped(m_id, graceMs, &f)) {
        signalGroup(SIGKILL);
        if (!m_launcher->waitReaped(m_id, std::numeric_limits<int>::max(), &f))
            f.error = QStringLiteral("lost track of its process");
    }
    end(f.exitCode, f.signal, f.error);
}

QByteArrayList StageLaunch::encode(const QProcessEnvironment &env)
{
    QByteArrayList out;
    const QStringList entries = env.toStringList();
    out.reserve(entries.size());
    for (const QString &e : entries)
        out.append(e.toLocal8Bit());
    return out;
}

bool StageProcess::readStatus(const QString &path, const QString &key, int *exitCode)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    bool found = false;
    while (!f.atEnd()) {
        const QList<QByteArray> fields = f.readLine(256).simplified().split(' ');
        bool ok = false;
        int code = 0;
        if (fields.size() == 1)
            code = fields.at(0).toInt(&ok);
        else if (fields.size() == 2 && QString::fromLatin1(fields.at(0)) == key)
            code = fields.at(1).toInt(&ok);
        if (ok) {
            *exitCode = code;
            found = true;
        }
    }
    return found;
}

} // namespace Shivx

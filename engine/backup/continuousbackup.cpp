#include "backup/continuousbackup.h"

#include "backup/backupservice.h"
#include "core/inotifytree.h"

#include <QFile>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <cstring>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcContinuous, "shivx.backup.continuous")

namespace Shivx {

namespace {

constexpr uint32_t WatchMask = IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO
    | IN_CREATE | IN_DELETE | IN_ONLYDIR;

} // namespace

ContinuousBackup::ContinuousBackup(BackupConfig config, BackupService *service, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_service(service)
{
}

ContinuousBackup::~ContinuousBackup()
{
    stop();
}

void ContinuousBackup::start()
{
    if (m_fd >= 0)
        return;
    for (const BackupSetSpec &s : m_config.sets) {
        if (!s.continuous)
            continue;
        SetState st;
        st.spec = s;
        st.debounce = new QTimer(this);
        st.debounce->setSingleShot(true);
        const QString name = s.name;
        connect(st.debounce, &QTimer::timeout, this, [this, name] { fire(name); });
        m_sets.insert(s.name, st);
    }
    if (m_sets.isEmpty())
        return;
    m_fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (m_fd < 0) {
        qCWarning(lcContinuous) << "inotify unavailable; continuous sets are backed up only when "
                                   "asked:"
                                << std::strerror(errno);
        return;
    }
    m_notifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &ContinuousBackup::onReadable);
    for (auto it = m_sets.begin(); it != m_sets.end(); ++it) {
        for (const QStringList &list : { it->spec.paths, it->spec.sqlite }) {
            for (const QString &p : list) {
                const QByteArray path = QFile::encodeName(p);
                struct stat st;
                if (::stat(path.constData(), &st) != 0)
                    continue;
                // A file (a database) is seen through its directory, which also sees its -wal.
                watchTree(
                    S_ISDIR(st.st_mode) ? path : path.left(qMax(1, int(path.lastIndexOf('/')))),
                    it.key());
            }
        }
        // The first backup walks the set: changes made while nothing watched are unknown.
        it->debounce->start(int(m_config.continuous.debounceMs));
    }
    qCInfo(lcContinuous) << "watching" << m_dirs.size() << "directories of" << m_sets.size()
                         << "continuous set(s)";
}

void ContinuousBackup::stop()
{
    delete m_notifier;
    m_notifier = nullptr;
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    m_dirs.clear();
    for (SetState &s : m_sets)
        if (s.debounce)
            s.debounce->stop();
}

void ContinuousBackup::watchTree(const QByteArray &dir, const QString &set)
{
    InotifyTree::watch(
        m_fd, dir, WatchMask, lcContinuous(), {}, [&](int wd, const QByteArray &path) {
            if (m_dirs.contains(wd))
                return false;
            m_dirs.insert(wd, { path, set });
            return true;
        });
}

void ContinuousBackup::onReadable()
{
    alignas(inotify_event) char buffer[64 * 1024];
    QSet<QString> changedSets;
    for (;;) {
        const ssize_t n = ::read(m_fd, buffer, sizeof buffer);
        if (n <= 0)
            break;
        for (ssize_t off = 0; off < n;) {
            const auto *e = reinterpret_cast<const inotify_event *>(buffer + off);
            off += ssize_t(sizeof(inotify_event) + e->len);
            if (e->mask & IN_Q_OVERFLOW) {
                // Events were lost: the next backup of every set walks it whole.
                for (auto it = m_sets.begin(); it != m_sets.end(); ++it) {
                    it->wholeSet = true;
                    changedSets.insert(it.key());
                }
                continue;
            }
            const auto dir = m_dirs.constFind(e->wd);
            if (dir == m_dirs.cend())
                continue;
            const QByteArray path = e->len ? dir->first + '/' + QByteArray(e->name) : dir->first;
            const QString set = dir->second;
            if (e->mask & IN_IGNORED) {
                m_dirs.remove(e->wd);
                continue;
            }
            if ((e->mask & IN_ISDIR) && (e->mask & (IN_CREATE | IN_MOVED_TO)))
                watchTree(path, set);
            m_sets[set].touched.insert(QFile::decodeName(path));
            changedSets.insert(set);
        }
    }
    for (const QString &set : std::as_const(changedSets))
        m_sets[set].debounce->start(int(m_config.continuous.debounceMs));
}

void ContinuousBackup::fire(const QString &name)
{
    SetState &s = m_sets[name];
    if (s.queued) {
        s.debounce->start(int(m_config.continuous.debounceMs)); // after the running one
        return;
    }
    const qint64 wait
        = s.sinceLast.isValid() ? m_config.continuous.minIntervalMs - s.sinceLast.elapsed() : 0;
    if (wait > 0) {
        s.debounce->start(int(wait));
        return;
    }
    const QStringList paths
        = s.wholeSet ? QStringList() : QStringList(s.touched.begin(), s.touched.end());
    const auto op = m_service->backupChanged(name, paths);
    if (!op) {
        if (op.error().code == QLatin1String("engine.not_running"))
            return;
        // Another backup of the set (an operator's, a schedule's) is on: try after it.
        s.debounce->start(int(m_config.continuous.debounceMs));
        return;
    }
    s.queued = true;
    s.touched.clear();
    s.wholeSet = false;
    s.sinceLast.start();
    Q_EMIT backupQueued(name, int(paths.size()));
}

void ContinuousBackup::backupFinished(const QString &set, bool ok)
{
    const auto it = m_sets.find(set);
    if (it == m_sets.end())
        return;
    it->queued = false;
    if (!ok)
        it->wholeSet = true;
    if (!it->touched.isEmpty() || !ok)
        it->debounce->start(int(m_config.continuous.debounceMs));
}

} // namespace Shivx

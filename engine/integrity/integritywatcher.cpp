#include "integrity/integritywatcher.h"

#include "core/inotifytree.h"
#include "integrity/filehasher.h"
#include "integrity/integrityscanner.h"
#include "integrity/ownfiles.h"
#include "integrity/pathwalker.h"

#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <climits>
#include <cstring>
#include <glob.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcIntegrityWatch, "shivx.integrity.watch")

namespace Shivx {

namespace {

constexpr uint32_t WatchMask = IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO
    | IN_CREATE | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;

QList<QByteArray> expand(const QString &pattern)
{
    const QByteArray p = pattern.toUtf8();
    glob_t g {};
    QList<QByteArray> out;
    if (::glob(p.constData(), GLOB_NOCHECK, nullptr, &g) == 0)
        for (size_t i = 0; i < g.gl_pathc; ++i)
            out.append(QByteArray(g.gl_pathv[i]));
    ::globfree(&g);
    return out;
}

} // namespace

IntegrityWatcher::IntegrityWatcher(
    IntegrityConfig config, IntegrityScanner *scanner, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_scanner(scanner)
{
    for (const IntegrityPathSet &s : m_config.sets)
        if (s.critical)
            m_critical.append(s);
}

IntegrityWatcher::~IntegrityWatcher()
{
    stop();
}

void IntegrityWatcher::start()
{
    if (m_critical.isEmpty() || m_fd >= 0)
        return;
    m_fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (m_fd < 0) {
        qCWarning(lcIntegrityWatch) << "inotify unavailable, critical paths are checked only by "
                                       "the schedule:"
                                    << std::strerror(errno);
        return;
    }
    m_gather = new QTimer(this);
    m_gather->setSingleShot(true);
    m_gather->setInterval(GatherMs);
    connect(m_gather, &QTimer::timeout, this, &IntegrityWatcher::recheck);
    m_notifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &IntegrityWatcher::onReadable);
    for (const IntegrityPathSet &s : std::as_const(m_critical)) {
        for (const QString &pattern : s.paths) {
            for (const QByteArray &path : expand(pattern)) {
                struct stat st;
                if (::stat(path.constData(), &st) != 0)
                    continue;
                // A single file is seen through its directory, which also sees it replaced.
                if (S_ISDIR(st.st_mode))
                    watchTree(path, s);
                else
                    watchTree(path.left(qMax(1, int(path.lastIndexOf('/')))), s);
            }
        }
    }
    qCInfo(lcIntegrityWatch) << "watching" << m_dirs.size() << "directories of" << m_critical.size()
                             << "critical set(s)";
}

void IntegrityWatcher::stop()
{
    delete m_notifier;
    m_notifier = nullptr;
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    m_dirs.clear();
    if (m_gather)
        m_gather->stop();
}

void IntegrityWatcher::watchTree(const QByteArray &dir, const IntegrityPathSet &set)
{
    InotifyTree::watch(
        m_fd, dir, WatchMask, lcIntegrityWatch(),
        [&](const QByteArray &path) { return PathWalker::excluded(set.excludes, path); },
        [&](int wd, const QByteArray &path) {
            if (m_dirs.contains(wd))
                return false; // already watched (two sets, or a symlinked directory)
            m_dirs.insert(wd, path);
            return true;
        });
}

const IntegrityPathSet *IntegrityWatcher::setFor(const QString &path) const
{
    for (const IntegrityPathSet &s : m_critical)
        if (PathWalker::covers(s, path))
            return &s;
    return nullptr;
}

void IntegrityWatcher::onReadable()
{
    alignas(inotify_event) char buffer[64 * 1024];
    for (;;) {
        const ssize_t n = ::read(m_fd, buffer, sizeof buffer);
        if (n <= 0)
            break;
        for (ssize_t off = 0; off < n;) {
            const auto *e = reinterpret_cast<const inotify_event *>(buffer + off);
            off += ssize_t(sizeof(inotify_event) + e->len);
            if (e->mask & IN_Q_OVERFLOW) {
                queueAllRecorded();
                continue;
            }
            if (e->mask & IN_IGNORED) {
                m_dirs.remove(e->wd);
                continue;
            }
            const auto it = m_dirs.constFind(e->wd);
            if (it == m_dirs.constEnd() || e->len == 0)
                continue;
            const QByteArray path = (it->endsWith('/') ? *it : *it + '/') + QByteArray(e->name);
            const QString p = QString::fromUtf8(path);
            const IntegrityPathSet *set = setFor(p);
            if (!set)
                continue;
            if (e->mask & IN_ISDIR) {
                // A new directory gets its own watch; its files are re-checked as they come.
                if (e->mask & (IN_CREATE | IN_MOVED_TO))
                    watchTree(path, *set);
                continue;
            }
            m_pending.insert(p);
        }
    }
    if (!m_pending.isEmpty() && !m_gather->isActive())
        m_gather->start();
}

void IntegrityWatcher::queueAllRecorded()
{
    if (const auto b = m_scanner->baseline())
        for (auto it = b->files.constBegin(); it != b->files.constEnd(); ++it)
            if (setFor(it.key()))
                m_pending.insert(it.key());
    if (!m_pending.isEmpty() && m_gather && !m_gather->isActive())
        m_gather->start();
}

void IntegrityWatcher::recheck()
{
    // A restore replacing a path re-checks it itself once its baseline update is written;
    // comparing here in between would report (and auto restore would undo) its own rename.
    // Its temporary file lives only for the restore.
    QStringList paths;
    for (const QString &p : std::as_const(m_pending))
        if (!m_scanner->isRestoring(p) && !p.contains(QLatin1String(".shivx-restore-")))
            paths.append(p);
    m_pending.clear();
    const auto baseline = m_scanner->baseline();
    if (!baseline || paths.isEmpty())
        return; // nothing verified to compare with: the next check reports the baseline
    QList<IntegrityDifference> diffs;
    // The engine writes its databases all the time: never re-read them (OwnFiles).
    const OwnFiles own = OwnFiles::ofDataDir(m_scanner->dataDir());
    for (const QString &p : paths) {
        if (own.contains(p))
            continue;
        const IntegrityPathSet *set = setFor(p);
        const auto recorded = baseline->files.constFind(p);
        FileState now;
        if (set && PathWalker::statPath(p, set->followSymlinks, &now)) {
            if (S_ISDIR(now.mode))
                continue;
            now.set = set->name;
            if (now.kind != FileState::Kind::Other)
                FileHasher::hashOne(&now);
            if (recorded == baseline->files.constEnd()) {
                diffs.append({ IntegrityDifference::Kind::Added, p, now.set, 0, {}, now });
            } else if (const quint32 changed = compareStates(*recorded, now)) {
                diffs.append(
                    { IntegrityDifference::Kind::Changed, p, now.set, changed, *recorded, now });
            }
        } else if (recorded != baseline->files.constEnd()) {
            diffs.append(
                { IntegrityDifference::Kind::Removed, p, recorded->set, 0, *recorded, {} });
        }
    }
    m_scanner->mergeRealtime(paths, diffs);
    Q_EMIT rechecked(int(paths.size()));
}

} // namespace Shivx

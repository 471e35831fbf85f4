#pragma once

#include "integrity/integrityconfig.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>

class QSocketNotifier;
class QTimer;

namespace Shivx {

class IntegrityScanner;

// Real-time integrity of the `critical: true` sets: watches their directories with inotify
// (QSocketNotifier on the inotify descriptor) and re-checks a file against the baseline within
// a second of its change: content, attributes, deletion, and replacement by rename (watching
// the directory, not the file, is what sees a new inode take the old name). Results go to
// IntegrityScanner::mergeRealtime. Runs on its own thread (`shivx-integrity-watch`), apart
// from the scanner's, so a long scheduled check never delays it, and ignores the degradation
// budget: these checks never stop.
class IntegrityWatcher : public QObject
{
    Q_OBJECT
public:
    // `scanner` must outlive the watcher (both belong to the integrity runtime).
    IntegrityWatcher(IntegrityConfig config, IntegrityScanner *scanner, QObject *parent = nullptr);
    ~IntegrityWatcher() override;

    // Watcher's thread. Opens inotify and watches every directory of the critical sets.
    void start();
    void stop();

    int watchCount() const { return int(m_dirs.size()); }

    // How long events are gathered before the re-check (a burst of writes is read once).
    static constexpr int GatherMs = 100;

Q_SIGNALS:
    // Watcher's thread, after each re-check: how many paths were read again.
    void rechecked(int paths);

private:
    void onReadable();
    void watchTree(const QByteArray &dir, const IntegrityPathSet &set);
    void recheck();
    void queueAllRecorded();
    const IntegrityPathSet *setFor(const QString &path) const;

    const IntegrityConfig m_config;
    QList<IntegrityPathSet> m_critical;
    IntegrityScanner *m_scanner;
    int m_fd = -1;
    QSocketNotifier *m_notifier = nullptr;
    QTimer *m_gather = nullptr;
    QHash<int, QByteArray> m_dirs; // watch descriptor -> directory
    QSet<QString> m_pending;
};

} // namespace Shivx

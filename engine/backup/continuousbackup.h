#pragma once

#include "backup/backupconfig.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>

class QSocketNotifier;
class QTimer;

namespace Shivx {

class BackupService;

// Continuous mode (`schedule: continuous`, docs/backup.md): watches every directory of the
// continuous sets with inotify; once changes have settled (no event for
// backup.continuous.debounce) it asks for an incremental backup that reads only the changed
// paths (BackupService::backupChanged), at most one per set per backup.continuous.min_interval.
// The backups run as executor work of kind backup.scheduled, so they wait while
// background_tasks is off; changes keep gathering meanwhile. The first backup after start, and
// the one after a failed backup, walk the whole set (changes made while nothing watched are
// unknown). Lives on its own thread (`shivx-backup-watch`); every method must be called there.
class ContinuousBackup : public QObject
{
    Q_OBJECT
public:
    ContinuousBackup(BackupConfig config, BackupService *service, QObject *parent = nullptr);
    ~ContinuousBackup() override;

    void start();
    void stop();
    int watchCount() const { return int(m_dirs.size()); }

    // A backup of `set` ended (connected to the controller's backupFinished).
    void backupFinished(const QString &set, bool ok);

Q_SIGNALS:
    // A continuous backup of `set` was queued, reading `paths` paths (0: the whole set).
    void backupQueued(const QString &set, int paths);

private:
    struct SetState
    {
        BackupSetSpec spec;
        QSet<QString> touched;
        bool wholeSet = true; // the next backup walks everything
        bool queued = false; // one of ours is queued or running
        QElapsedTimer sinceLast; // since the last one was queued
        QTimer *debounce = nullptr;
    };
    void onReadable();
    void watchTree(const QByteArray &dir, const QString &set);
    void fire(const QString &set);

    const BackupConfig m_config;
    BackupService *m_service;
    int m_fd = -1;
    QSocketNotifier *m_notifier = nullptr;
    QHash<int, QPair<QByteArray, QString>> m_dirs; // watch descriptor -> directory, set
    QHash<QString, SetState> m_sets;
};

} // namespace Shivx

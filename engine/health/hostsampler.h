#pragma once

#include "health/hostsample.h"
#include "health/procparser.h"

#include <QObject>
#include <QStringList>

#include <atomic>

class QTimer;

namespace Shivx {

class Clock;

// Reads the local machine from /proc and statvfs on its own thread (the Engine moves it
// there). `procRoot` lets tests point it at a directory of captured files.
class HostSampler : public QObject
{
    Q_OBJECT
public:
    explicit HostSampler(qint64 intervalMs, QStringList ignoredFsTypes = {}, Clock *clock = nullptr,
        QString procRoot = QStringLiteral("/proc"), QObject *parent = nullptr);
    ~HostSampler() override;

    // Takes one sample now; rates are against the previous call.
    HostSample sampleNow();

    // Epoch ms of the last completed sample; the watchdog reads it from another thread.
    qint64 lastSampleMs() const { return m_lastSampleMs.load(); }

public Q_SLOTS:
    void start();
    void stop();

Q_SIGNALS:
    // Emitted on the sampler thread once per interval.
    void sampled(const Shivx::HostSample &sample);

private:
    // A /proc file kept open between samples and read again from offset 0: the kernel renders
    // it afresh on each read, and opening /proc/self/... anew every second cost more than the
    // parsing (path walk, a dentry made and dropped per file).
    struct ProcFile
    {
        QByteArray path;
        int fd = -1;
    };
    enum ProcFileId {
        Stat,
        LoadAvg,
        MemInfo,
        DiskStats,
        NetDev,
        SelfStatus,
        SelfStat,
        SelfMounts,
        ProcFileCount
    };

    QByteArray readProc(ProcFileId id);
    int countOpenFds() const;
    bool mountsChanged();
    void sampleMounts(HostSample &s);

    qint64 m_intervalMs;
    QStringList m_ignoredFsTypes;
    Clock *m_clock;
    QString m_procRoot;
    QTimer *m_timer = nullptr;
    std::atomic<qint64> m_lastSampleMs { 0 };

    bool m_havePrevious = false;
    qint64 m_prevMs = 0;
    ProcParser::CpuStat m_prevCpu;
    ProcParser::IoTotals m_prevDisk;
    ProcParser::IoTotals m_prevNet;
    quint64 m_prevProcTicks = 0;
    QStringList m_wholeDisks;
    ProcFile m_files[ProcFileCount];
    QByteArray m_readBuffer; // reused by readProc
    // Real procfs (not a test tree): it can say when the mount table changed, and how many
    // descriptors are open, without a full read.
    bool m_procfs = false;
    bool m_haveMounts = false;
    QList<ProcParser::Mount> m_mounts; // parsed once per change of the mount table
};

} // namespace Shivx

#pragma once

#include "core/readinessreport.h"

#include <QObject>
#include <QString>

#include <functional>

class QTimer;

namespace Shivx {

class AuditSink;
class Clock;
class EngineStatus;

// The engine's core loop, on `shivx-core`: once a second it marks the core alive (the
// heartbeat liveness reads), evaluates every module's readiness checks, announces a change
// and records it in the audit chain. A wedged core thread stops the heartbeat, so liveness
// fails: what only a wedged engine deserves.
class ReadinessMonitor : public QObject
{
    Q_OBJECT
public:
    // `evaluate` must be thread-safe; `audit` may be null.
    ReadinessMonitor(EngineStatus *status, std::function<Readiness()> evaluate, AuditSink *audit,
        Clock *clock, QObject *parent = nullptr);

public Q_SLOTS:
    void start();
    void stop();

Q_SIGNALS:
    // Emitted on the monitor's thread when the verdict or any check's verdict changes.
    void readinessChanged(const Shivx::Readiness &readiness);

private:
    void tick();

    EngineStatus *m_status;
    std::function<Readiness()> m_evaluate;
    AuditSink *m_audit;
    Clock *m_clock;
    QTimer *m_timer = nullptr;
    Readiness m_last;
    bool m_haveLast = false;
    QString m_lastAudited; // "ready" or the failing checks, to audit changes only
};

} // namespace Shivx

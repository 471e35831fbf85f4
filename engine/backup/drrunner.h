#pragma once

#include "backup/drplan.h"
#include "backup/drrun.h"

#include <QObject>

#include <functional>

class QProcess;
class QTimer;

namespace Shivx {

class AlertingService;
class AuditSink;
class BackupService;
class Clock;
class DegradationService;
class GuardianService;
class HealthService;
class RecoveryService;

// The services a DR plan's steps act through; any but `backup` may be null (that module is not
// compiled in or not running), and a step that needs a missing one fails naming it.
struct DrServices
{
    BackupService *backup = nullptr;
    RecoveryService *recovery = nullptr;
    HealthService *health = nullptr;
    GuardianService *guardian = nullptr;
    DegradationService *degradation = nullptr;
    AlertingService *alerting = nullptr; // `notify` goes to its notifiers when it runs
    AuditSink *audit = nullptr;
    Clock *clock = nullptr;
};

// Runs one activation of a DR plan step by step (docs/backup.md, "DR plans"): each step under
// its timeout, its outcome and log in the DrRun value, audited (`dr.step_succeeded`, ...);
// a failed step's on_failure decides between stopping, going on, and rolling back what the
// steps before it did (start what was stopped, restore the guardian's mode, release an
// isolation or a pin, run a command's `undo`). A dry run checks each step's names and runs
// restores as dry runs, changing nothing. Asynchronous: restores and verifies run as backup
// operations, commands as child processes (no shell), waits poll every 100 ms. Lives on the
// backup controller's thread; every method must be called there.
class DrRunner : public QObject
{
    Q_OBJECT
public:
    DrRunner(DrPlan plan, DrRun run, DrServices services, QObject *parent = nullptr);
    ~DrRunner() override;

    void start();
    // Stops the current step (cancels its operation, kills its command) and ends the run
    // `aborted`; nothing is rolled back.
    void abort(const QString &actor);
    const DrRun &run() const { return m_run; }

Q_SIGNALS:
    // A step started, logged, or ended (runner's thread).
    void changed(const Shivx::DrRun &run);
    // The run ended: the final report (runner's thread).
    void finished(const Shivx::DrRun &run);

private:
    enum class Poll { Pending, Ok, Failed };
    using Check = std::function<Poll(Message *message)>;

    void startStep(int index);
    void dryRunStep(const DrStep &step);
    // Starts `step`; returns a check to poll, or sets m_result and returns nothing.
    Check begin(const DrStep &step);
    Check waitOperation(qint64 id, const QString &what);
    Check runCommand(const DrStep &step);
    static Message noTarget(const QString &target);
    void tick();
    void timedOut();
    void endStep(bool ok, const Message &message);
    void rollback();
    void end(const QString &state);
    void log(const QString &line);
    void audit(const QString &action, const QJsonObject &data);
    qint64 now() const;

    const DrPlan m_plan;
    DrRun m_run;
    DrServices m_s;
    QTimer *m_tick = nullptr;
    QTimer *m_timeout = nullptr;
    Check m_check;
    std::function<void()> m_cancel; // stops what the current step started
    std::optional<std::pair<bool, Message>> m_result; // a step that ended at once
    QList<std::function<void()>> m_undo; // of each finished step (null: nothing to undo)
    QProcess *m_process = nullptr;
    bool m_failedSteps = false;
};

} // namespace Shivx

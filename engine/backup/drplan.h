#pragma once

#include "core/result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Shivx {

// What a DR step does when it fails (docs/backup.md, "DR plans").
enum class DrOnFailure {
    Abort, // stop the run; it fails
    Continue, // go on with the next step; the run still fails at the end
    Rollback, // undo the steps done so far, newest first, then stop
};

// One step of a DR plan. Which fields apply depends on `action`; the reader refuses the others.
struct DrStep
{
    QString name;
    QString action; // see drActions()
    qint64 timeoutMs = 300'000;
    DrOnFailure onFailure = DrOnFailure::Abort;
    QString target; // stop_target, start_target, wait_healthy: a target's name
    QString set; // restore, verify_restore
    QString snapshot; // restore, verify_restore: id prefix or "latest"; empty = by `at`
    QString at; // restore, verify_restore: a point in time (RFC 3339, -2h, now)
    QString path; // restore, verify_restore: absolute path inside the snapshot
    QString to = QStringLiteral("/"); // restore, verify_restore: where ("/" = in place)
    QString mode; // guardian_mode: NORMAL, ELEVATED, LOCKDOWN
    QString source; // isolate, release_source
    QString level; // pin_degradation
    qint64 durationMs = 3'600'000; // isolate, pin_degradation
    QString reason; // guardian_mode, isolate, pin_degradation (default: the plan's name)
    QStringList command; // run_command: argv, no shell
    QStringList undo; // run_command: argv run when the plan rolls back
    QString message; // notify
    QString webhook; // notify: an http(s) URL that gets {"plan","run","message"} (optional)
};

struct DrPlan
{
    QString name; // from the file name: database-failure.yaml -> database-failure
    QString file;
    QString description;
    QList<DrStep> steps;
};

// The step actions a plan may use.
const QStringList &drActions();

// Reads one plan (YAML). `${NAME}` in any string is replaced by the environment variable NAME
// (an unset one is an error naming it). Errors name the file, the line and the dotted key.
Result<DrPlan> loadDrPlan(const QString &file);
// Every *.yaml / *.yml plan of `dir`, sorted by name; one bad plan fails the whole list.
Result<QList<DrPlan>> loadDrPlans(const QString &dir);

QString toString(DrOnFailure policy); // abort | continue | rollback

} // namespace Shivx

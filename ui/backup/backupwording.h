#pragma once

#include "backup/backupstate.h"

#include <QCoreApplication>
#include <QString>

namespace Shivx::Ui {

// The Backup & DR page's words for the backup runtime's codes (operation kinds, states,
// backup and verify types) and for an operation's progress and outcome. The engine's codes
// stay English in the API; the operator reads them here in the console's language.
class BackupWording
{
    Q_DECLARE_TR_FUNCTIONS(Shivx::Ui::BackupWording)
public:
    static QString kind(const QString &kind);
    static QString state(const QString &state);
    // backup: full | incremental | differential; verify: quick | full.
    static QString type(const QString &type);
    // "Backup of app (full)", "Full verify", "Restore".
    static QString title(const BackupOperation &operation);
    // "12 MB of 40 MB, about 3 s left" while running, "waiting for …" while queued.
    static QString progress(const BackupOperation &operation);
    // What a finished operation did or why it failed, worded (EngineWording for errors).
    static QString outcome(const BackupOperation &operation);
};

} // namespace Shivx::Ui

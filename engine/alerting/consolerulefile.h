#pragma once

#include "alerting/alertrule.h"
#include "core/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace Shivx {

// The rules file the console writes (docs/alerting.md, "Rule editor"): `console-rules.yml`
// in the directory `alerting.rules` names, one group `console`, rewritten whole on every save
// (the operator's own files are never touched, so their comments stay). Reading the
// configuration again (Engine::reloadConfiguration) then checks and applies it; when that
// fails, restore() puts the previous content back.
class ConsoleRuleFile
{
public:
    static constexpr const char *FileName = "console-rules.yml";

    struct Saved
    {
        QString path;
        bool existed = false;
        QByteArray previous; // the content before the save
    };

    // Adds `rule` to (or replaces the rule of that name in) the console's file under
    // `rulesDir`. Errors: alerting.rules_not_a_directory (empty or a file: the console does
    // not rewrite an operator's file), alerting.bad_rules (the existing file does not parse),
    // alerting.storage (cannot write; the file is replaced atomically).
    static Result<Saved> save(const QString &rulesDir, const AlertRule &rule);
    static Result<void> restore(const Saved &saved);

    // The rules in the engine's own YAML form (alerting.md, "Rules"); parseAlertRules() reads
    // it back to the same rules.
    static QByteArray toYaml(const QList<AlertRule> &rules);
};

} // namespace Shivx

#include "widgets/enginewording.h"

#include "widgets/displayformat.h"

namespace Shivx::Ui {

namespace {

QString arg(const Error &e, int i)
{
    return e.args.value(i).toString();
}

} // namespace

QString EngineWording::error(const Error &e)
{
    const QString &c = e.code;
    if (c == QLatin1String("engine.not_running"))
        return tr("The engine is not running.");
    if (c == QLatin1String("recovery.unknown_process"))
        return tr("No supervised process is called %1.").arg(arg(e, 0));
    if (c == QLatin1String("breaker.not_found"))
        return tr("No circuit breaker is called %1.").arg(arg(e, 0));
    if (c == QLatin1String("degradation.bad_reason"))
        return tr("Give a reason of at most 500 characters: it goes into the audit log.");
    if (c == QLatin1String("degradation.bad_duration"))
        return tr("A pin lasts from 1 s to %1 (degradation.max_pin).")
            .arg(DisplayFormat::duration(e.args.value(1).toLongLong()));
    if (c == QLatin1String("degradation.not_pinned"))
        return tr("No level is pinned.");
    if (c == QLatin1String("engine.data_dir_locked")) {
        const qint64 pid = e.args.value(1).toLongLong();
        if (pid <= 0)
            return tr("The data directory %1 is in use by another engine. Stop it, or start "
                      "with another --data-dir.")
                .arg(arg(e, 0));
        return tr("The data directory %1 is in use by the engine with process ID %2 (started "
                  "%3). Stop it, or start with another --data-dir.")
            .arg(arg(e, 0))
            .arg(pid)
            .arg(arg(e, 2));
    }
    if (c == QLatin1String("config.not_reloadable"))
        return tr("The engine runs on its embedded configuration, which has no file to read "
                  "again. Start it with --config FILE to reload.");
    // The loader's messages name the file, line and key, which read the same in every
    // language; the sentence around them is the console's.
    if (c.startsWith(QLatin1String("config.")))
        return tr("The configuration file has an error: %1").arg(e.message);
    return e.message;
}

} // namespace Shivx::Ui

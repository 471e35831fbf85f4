#include "widgets/enginewording.h"

#include "degradation/degradationlevel.h"
#include "widgets/displayformat.h"

#include <QHash>
#include <QLocale>

#include <functional>

namespace Shivx::Ui {

namespace {

QString arg(const Error &e, int i)
{
    return e.args.value(i).toString();
}

QString number(const QVariant &v, int decimals = 1)
{
    return QLocale().toString(v.toDouble(), 'f', decimals);
}

QString percent(const QVariant &v)
{
    return DisplayFormat::percent(v.toDouble());
}

QString duration(const QVariant &ms)
{
    return DisplayFormat::duration(ms.toLongLong());
}

QString level(const QVariant &code)
{
    const auto l = parseDegradationLevel(code.toString());
    return l ? DisplayFormat::degradationLevel(*l) : code.toString();
}

QString targetState(const QVariant &code)
{
    for (TargetState s :
        { TargetState::Unknown, TargetState::Up, TargetState::Degraded, TargetState::Down })
        if (toString(s) == code.toString())
            return DisplayFormat::targetState(s);
    return code.toString();
}

QString engineState(const QVariant &code)
{
    for (EngineState s : { EngineState::Stopped, EngineState::Starting, EngineState::Running,
             EngineState::Stopping, EngineState::Failed })
        if (toString(s) == code.toString())
            return DisplayFormat::engineState(s);
    return code.toString();
}

QString nested(const QVariant &v)
{
    return EngineWording::message(v.value<Message>());
}

using Wording = std::function<QString(const QVariantList &)>;

// One entry per code the engine produces; `a` are the message's args.
const QHash<QString, Wording> &wordings()
{
    using W = EngineWording;
    static const QHash<QString, Wording> table {
        { QStringLiteral("breaker.recovery_timeout_passed"),
            [](const QVariantList &a) {
                return W::tr("the recovery timeout of %1 passed").arg(duration(a.value(0)));
            } },
        // Singular and plural spelled out: the console ships no English catalogue to
        // resolve "%n ...(s)".
        { QStringLiteral("breaker.trials_succeeded"),
            [](const QVariantList &a) {
                const int n = a.value(0).toInt();
                return n == 1 ? W::tr("the trial call succeeded")
                              : W::tr("%1 trial calls succeeded").arg(n);
            } },
        { QStringLiteral("breaker.consecutive_failures"),
            [](const QVariantList &a) {
                const int n = a.value(0).toInt();
                return n == 1 ? W::tr("1 consecutive failure")
                              : W::tr("%1 consecutive failures").arg(n);
            } },
        { QStringLiteral("breaker.failure_rate"),
            [](const QVariantList &a) {
                return W::tr("%1 of the last %2 calls failed")
                    .arg(a.value(0).toInt())
                    .arg(a.value(1).toInt());
            } },
        { QStringLiteral("breaker.trial_failed"),
            [](const QVariantList &) { return W::tr("the trial call failed"); } },
        { QStringLiteral("breaker.forced_open"),
            [](const QVariantList &) { return W::tr("forced open"); } },
        { QStringLiteral("breaker.forced_closed"),
            [](const QVariantList &) { return W::tr("forced closed"); } },
        { QStringLiteral("breaker.automatic"),
            [](const QVariantList &) { return W::tr("back to automatic"); } },

        { QStringLiteral("degradation.no_score"),
            [](const QVariantList &) { return W::tr("no score yet"); } },
        { QStringLiteral("degradation.score_means"),
            [](const QVariantList &a) {
                return W::tr("score %1 means %2").arg(number(a.value(0)), level(a.value(1)));
            } },
        { QStringLiteral("degradation.score_below"),
            [](const QVariantList &a) {
                return W::tr("score %1 below %2").arg(number(a.value(0)), number(a.value(1)));
            } },
        { QStringLiteral("degradation.score_at_or_above"),
            [](const QVariantList &a) {
                return W::tr("score %1 at or above %2").arg(number(a.value(0)), number(a.value(1)));
            } },
        { QStringLiteral("degradation.score_held"),
            [](const QVariantList &a) {
                return W::tr("score held at or above %1 for %2")
                    .arg(number(a.value(0)), duration(a.value(1)));
            } },
        { QStringLiteral("degradation.pinned"),
            [](const QVariantList &a) {
                return W::tr("pinned by %1 for %2: %3")
                    .arg(a.value(0).toString(), duration(a.value(1)), a.value(2).toString());
            } },
        { QStringLiteral("degradation.released"),
            [](const QVariantList &a) {
                return W::tr("pin released by %1; %2")
                    .arg(a.value(0).toString(), nested(a.value(1)));
            } },
        { QStringLiteral("degradation.pin_expired"),
            [](const QVariantList &a) {
                return W::tr("the pin of %1 by %2 expired; %3")
                    .arg(level(a.value(0)), a.value(1).toString(), nested(a.value(2)));
            } },
        { QStringLiteral("engine.not_running"),
            [](const QVariantList &) { return W::tr("the engine is not running"); } },

        { QStringLiteral("score.cpu"),
            [](const QVariantList &a) {
                return W::tr("CPU %1 (warning above %2)")
                    .arg(percent(a.value(0)), percent(a.value(1)));
            } },
        { QStringLiteral("score.cpu_no_rate"),
            [](const QVariantList &) { return W::tr("no CPU rate yet"); } },
        { QStringLiteral("score.memory"),
            [](const QVariantList &a) {
                return W::tr("memory %1 used (warning above %2)")
                    .arg(percent(a.value(0)), percent(a.value(1)));
            } },
        { QStringLiteral("score.disk"),
            [](const QVariantList &a) {
                return W::tr("%1 %2 used (warning above %3)")
                    .arg(a.value(0).toString(), percent(a.value(1)), percent(a.value(2)));
            } },
        { QStringLiteral("score.no_filesystems"),
            [](const QVariantList &) { return W::tr("no filesystems"); } },
        { QStringLiteral("score.target"),
            [](const QVariantList &a) {
                QString text = W::tr("%1 %2").arg(a.value(0).toString(), targetState(a.value(1)));
                if (a.value(2).isValid())
                    text = W::tr("%1: %2").arg(text, nested(a.value(2)));
                return a.value(3).toBool() ? W::tr("%1 (critical)").arg(text) : text;
            } },
        { QStringLiteral("score.watchdog"),
            [](const QVariantList &a) {
                return W::tr("the %1 thread has been silent for %2")
                    .arg(a.value(0).toString(), duration(a.value(1)));
            } },
        { QStringLiteral("score.critical_cap"),
            [](const QVariantList &a) {
                return W::tr("a critical target is DOWN: the score is capped at %1")
                    .arg(number(a.value(0), 0));
            } },

        { QStringLiteral("readiness.no_heartbeat"),
            [](const QVariantList &) { return W::tr("no heartbeat yet"); } },
        { QStringLiteral("readiness.silent"),
            [](const QVariantList &a) {
                return W::tr("silent for %1 (limit %2)")
                    .arg(DisplayFormat::latencyMs(a.value(0).toDouble()),
                        DisplayFormat::latencyMs(a.value(1).toDouble()));
            } },
        { QStringLiteral("readiness.heartbeat"),
            [](const QVariantList &a) {
                return W::tr("last heartbeat %1 ago")
                    .arg(DisplayFormat::latencyMs(a.value(0).toDouble()));
            } },
        { QStringLiteral("readiness.storage_writable"),
            [](const QVariantList &) { return W::tr("writable"); } },
        { QStringLiteral("readiness.storage_not_writable"),
            [](const QVariantList &) { return W::tr("not writable"); } },
        { QStringLiteral("readiness.target"),
            [](const QVariantList &a) {
                const QString state = targetState(a.value(0));
                return a.value(1).isValid() ? W::tr("%1: %2").arg(state, nested(a.value(1)))
                                            : state;
            } },
        { QStringLiteral("readiness.degradation"),
            [](const QVariantList &a) {
                return W::tr("%1: %2").arg(level(a.value(0)), nested(a.value(1)));
            } },
        { QStringLiteral("readiness.engine_state"),
            [](const QVariantList &a) { return engineState(a.value(0)); } },
    };
    return table;
}

} // namespace

QString EngineWording::message(const Message &m)
{
    if (m.code.isEmpty())
        return m.text;
    const auto it = wordings().constFind(m.code);
    return it == wordings().cend() ? m.text : (*it)(m.args);
}

QStringList EngineWording::messageCodes()
{
    QStringList codes = wordings().keys();
    codes.sort();
    return codes;
}

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

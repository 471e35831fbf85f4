#include "drreport.h"

#include "core/timeutil.h"
#include "htmlreportpdf.h"

#include <QLocale>

namespace Shivx::Reports {

namespace {

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

QString when(qint64 ms)
{
    return ms > 0 ? TimeUtil::toRfc3339(ms) : QStringLiteral("—");
}

QString colour(const QString &state)
{
    // Dark enough to print in black and white, like the verification report's verdicts.
    if (state == QLatin1String("succeeded"))
        return QStringLiteral("#1b6e33");
    if (state == QLatin1String("running") || state == QLatin1String("pending")
        || state == QLatin1String("skipped"))
        return QStringLiteral("#5f6670");
    return QStringLiteral("#b3261e");
}

} // namespace

QString DrReport::state(const QString &code)
{
    if (code == QLatin1String("pending"))
        return tr("Pending");
    if (code == QLatin1String("running"))
        return tr("Running");
    if (code == QLatin1String("succeeded"))
        return tr("Succeeded");
    if (code == QLatin1String("failed"))
        return tr("Failed");
    if (code == QLatin1String("skipped"))
        return tr("Skipped");
    if (code == QLatin1String("rolled_back"))
        return tr("Rolled back");
    if (code == QLatin1String("aborted"))
        return tr("Aborted");
    if (code == QLatin1String("interrupted"))
        return tr("Interrupted (the engine stopped)");
    return code;
}

QString DrReport::action(const QString &code)
{
    static const struct
    {
        const char *code;
        const char *text;
    } words[] = {
        { "stop_target", QT_TR_NOOP("Stop target") },
        { "start_target", QT_TR_NOOP("Start target") },
        { "wait_healthy", QT_TR_NOOP("Wait until healthy") },
        { "restore", QT_TR_NOOP("Restore") },
        { "verify_restore", QT_TR_NOOP("Verify restore") },
        { "guardian_mode", QT_TR_NOOP("Guardian mode") },
        { "isolate", QT_TR_NOOP("Isolate source") },
        { "release_source", QT_TR_NOOP("Release source") },
        { "pin_degradation", QT_TR_NOOP("Pin degradation") },
        { "release_degradation", QT_TR_NOOP("Release degradation") },
        { "run_command", QT_TR_NOOP("Run command") },
        { "notify", QT_TR_NOOP("Notify") },
    };
    for (const auto &w : words)
        if (code == QLatin1String(w.code))
            return tr(w.text);
    return code;
}

QString DrReport::duration(qint64 ms)
{
    const QLocale l;
    if (ms < 1000)
        return tr("%1 ms").arg(qMax<qint64>(ms, 0));
    if (ms < 60'000)
        return tr("%1 s").arg(l.toString(ms / 1000.0, 'f', 1));
    return tr("%1 min %2 s").arg(ms / 60'000).arg((ms / 1000) % 60, 2, 10, QLatin1Char('0'));
}

QString DrReport::auditReference(const DrRun &run)
{
    return tr("Audit chain: actions dr.activated, dr.step_* and dr.finished with plan "
              "\"%1\" and run %2, actor %3")
        .arg(run.plan)
        .arg(run.id)
        .arg(run.actor);
}

QString DrReport::html(const DrRun &run, const MessageWording &wording)
{
    QString h;
    h += QStringLiteral("<h2>%1</h2>").arg(esc(tr("Disaster recovery report")));
    h += QStringLiteral("<p style=\"font-size:12pt; color:%1;\"><b>%2</b></p>")
             .arg(colour(run.state),
                 esc(tr("%1: %2").arg(run.plan, state(run.state))
                     + (run.dryRun ? QStringLiteral(" — ") + tr("dry run") : QString())));
    const auto row = [](const QString &k, const QString &v) {
        return QStringLiteral("<tr><td style=\"padding-right:12px;\"><b>%1</b></td>"
                              "<td>%2</td></tr>")
            .arg(esc(k), esc(v));
    };
    h += QStringLiteral("<table>");
    h += row(tr("Plan"), run.plan);
    h += row(tr("Run"), QString::number(run.id));
    h += row(tr("Activated by"), run.actor);
    h += row(tr("Started"), when(run.startedMs));
    h += row(tr("Finished"), when(run.finishedMs));
    h += row(
        tr("Measured recovery time"), run.finished() ? duration(run.recoveryMs) : state(run.state));
    h += QStringLiteral("</table>");

    h += QStringLiteral("<h3>%1</h3>").arg(esc(tr("Steps")));
    h += QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" "
                        "style=\"border-collapse:collapse;\"><tr style=\"background:#eef1f5;\">");
    for (const QString &head : { QStringLiteral("#"), tr("Step"), tr("Action"), tr("Outcome"),
             tr("Duration"), tr("Message") })
        h += QStringLiteral("<th align=\"left\">%1</th>").arg(esc(head));
    h += QStringLiteral("</tr>");
    for (int i = 0; i < run.steps.size(); ++i) {
        const DrStepRun &s = run.steps.at(i);
        const bool timed = s.startedMs > 0 && s.finishedMs >= s.startedMs;
        h += QStringLiteral("<tr%1><td>%2</td><td>%3</td><td>%4</td>"
                            "<td style=\"color:%5;\"><b>%6</b></td><td>%7</td><td>%8</td></tr>")
                 .arg(i % 2 ? QStringLiteral(" style=\"background:#f6f7f9;\"") : QString())
                 .arg(i + 1)
                 .arg(esc(s.name), esc(action(s.action)), colour(s.state), esc(state(s.state)),
                     timed ? duration(s.finishedMs - s.startedMs) : QStringLiteral("—"),
                     esc(wording ? wording(s.message) : s.message.text));
    }
    h += QStringLiteral("</table>");

    // The logs are what an auditor asks for when a step's one-line outcome is not enough.
    h += QStringLiteral("<h3>%1</h3>").arg(esc(tr("Step logs")));
    for (const DrStepRun &s : run.steps) {
        if (s.log.isEmpty())
            continue;
        h += QStringLiteral("<p><b>%1</b></p><pre style=\"font-size:7pt;\">%2</pre>")
                 .arg(esc(s.name), esc(s.log.join(QLatin1Char('\n'))));
    }
    h += QStringLiteral("<h3>%1</h3><p>%2</p>")
             .arg(esc(tr("Audit references")), esc(auditReference(run)));
    return h;
}

Result<void> DrReport::writePdf(
    const DrRun &run, const QString &path, const MessageWording &wording)
{
    return writeHtmlReportPdf(
        { tr("Disaster recovery report: %1").arg(run.plan), state(run.state), html(run, wording) },
        path);
}

} // namespace Shivx::Reports

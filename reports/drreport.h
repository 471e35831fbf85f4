#pragma once

#include "backup/drrun.h"
#include "core/result.h"

#include <QCoreApplication>
#include <QString>

#include <functional>

namespace Shivx::Reports {

// The final report of a DR run (docs/backup.md, "DR plans"): the plan, each step with its
// outcome, duration and message, the measured recovery time, and where the run is in the audit
// chain. Shared by the console's DR view (state words, durations) and the PDF; translated
// (context "Shivx::Reports::DrReport"). The engine's state codes stay in logs and JSON.
class DrReport
{
    Q_DECLARE_TR_FUNCTIONS(Shivx::Reports::DrReport)
public:
    // "Succeeded", "Rolled back", ... for a run's or a step's state code.
    static QString state(const QString &code);
    // "Restore", "Wait until healthy", ... for a step's action code.
    static QString action(const QString &code);
    // "850 ms", "12.4 s", "3 min 05 s": step durations and the recovery time.
    static QString duration(qint64 ms);
    // How to find the run's entries in the audit chain: the actions and the plan/run fields.
    static QString auditReference(const DrRun &run);
    // Words a step's outcome; the console passes its engine wording, which knows the codes.
    // Without one, the engine's English.
    using MessageWording = std::function<QString(const Message &)>;
    // The report body as HTML (Qt's rich text subset).
    static QString html(const DrRun &run, const MessageWording &wording = {});
    // Writes the report as PDF through the audit report's writer (htmlreportpdf.h); same
    // contract: a QGuiApplication, main thread, `path` never half-written.
    static Result<void> writePdf(
        const DrRun &run, const QString &path, const MessageWording &wording = {});
};

} // namespace Shivx::Reports

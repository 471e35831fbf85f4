// The console's pages in sidebar order. Adding a capability's page is one line here
// (docs/adding-a-capability.md); the page's class takes (Engine *, QWidget *parent), and
// names the method F5 calls and the objectName of the field Ctrl+F focuses.

#include "shell/consolepages.h"

#include "alerts/alertspage.h"
#include "audit/auditpage.h"
#include "backup/backuppage.h"
#include "degradation/degradationpage.h"
#include "guardian/guardianpage.h"
#include "history/historypage.h"
#include "integrity/integritypage.h"
#include "overview/overviewpage.h"
#include "pipelines/pipelinespage.h"
#include "recovery/recoverypage.h"

#include <QCoreApplication>

namespace Shivx::Ui {

namespace {

template <class Page> QWidget *make(Engine *engine, QWidget *parent)
{
    return new Page(engine, parent);
}

template <class Page, void (Page::*reload)()> void refresh(QWidget *page)
{
    (static_cast<Page *>(page)->*reload)();
}

} // namespace

const QList<ConsolePage> &consolePages()
{
    // clang-format off
    static const QList<ConsolePage> pages {
        { "overview", QT_TRANSLATE_NOOP("Shivx::Ui::ConsolePages", "Overview"), &make<OverviewPage>,
            &refresh<OverviewPage, &OverviewPage::refresh>, nullptr },
        { "history", QT_TRANSLATE_NOOP("Shivx::Ui::ConsolePages", "History"), &make<HistoryPage>,
            &refresh<HistoryPage, &HistoryPage::reload>, "seriesFilter" },
        { "recovery", QT_TRANSLATE_NOOP("Shivx::Ui::ConsolePages", "Recovery"), &make<RecoveryPage>,
            &refresh<RecoveryPage, &RecoveryPage::refresh>, nullptr },
        { "degradation", QT_TRANSLATE_NOOP("Shivx::Ui::ConsolePages", "Degradation"), &make<DegradationPage>,
            &refresh<DegradationPage, &DegradationPage::reloadTimeline>, nullptr },
        { "guardian", QT_TRANSLATE_NOOP("Shivx::Ui::ConsolePages", "Guardian"), &make<GuardianPage>,
            &refresh<GuardianPage, &GuardianPage::reloadThreats>, "threatSourceFilter" },
        { "integrity", QT_TRANSLATE_NOOP("Shivx::Ui::ConsolePages", "Integrity"), &make<IntegrityPage>,
            &refresh<IntegrityPage, &IntegrityPage::refresh>, nullptr },
        { "pipelines", QT_TRANSLATE_NOOP("Shivx::Ui::ConsolePages", "Pipelines"), &make<PipelinesPage>,
            &refresh<PipelinesPage, &PipelinesPage::refresh>, "runSearch" },
        { "backup", QT_TRANSLATE_NOOP("Shivx::Ui::ConsolePages", "Backup & DR"), &make<BackupPage>,
            &refresh<BackupPage, &BackupPage::refresh>, nullptr },
        { "alerts", QT_TRANSLATE_NOOP("Shivx::Ui::ConsolePages", "Alerts"), &make<AlertsPage>,
            &refresh<AlertsPage, &AlertsPage::refresh>, nullptr },
        { "audit", QT_TRANSLATE_NOOP("Shivx::Ui::ConsolePages", "Audit"), &make<AuditPage>,
            &refresh<AuditPage, &AuditPage::reload>, "searchEdit" },
    };
    // clang-format on
    return pages;
}

} // namespace Shivx::Ui

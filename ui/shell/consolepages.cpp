// The console's pages in sidebar order. Adding a capability's page is one line here
// (docs/adding-a-capability.md); the page's class takes (Engine *, QWidget *parent).

#include "shell/consolepages.h"

#include "audit/auditpage.h"
#include "degradation/degradationpage.h"
#include "history/historypage.h"
#include "overview/overviewpage.h"
#include "recovery/recoverypage.h"

#include <QCoreApplication>

namespace Shivx::Ui {

namespace {

template <class Page> QWidget *make(Engine *engine, QWidget *parent)
{
    return new Page(engine, parent);
}

} // namespace

const QList<ConsolePage> &consolePages()
{
    // clang-format off
    static const QList<ConsolePage> pages {
        { "overview", QT_TRANSLATE_NOOP("Shivx::Ui::ConsolePages", "Overview"), &make<OverviewPage> },
        { "history", QT_TRANSLATE_NOOP("Shivx::Ui::ConsolePages", "History"), &make<HistoryPage> },
        { "recovery", QT_TRANSLATE_NOOP("Shivx::Ui::ConsolePages", "Recovery"), &make<RecoveryPage> },
        { "degradation", QT_TRANSLATE_NOOP("Shivx::Ui::ConsolePages", "Degradation"), &make<DegradationPage> },
        { "audit", QT_TRANSLATE_NOOP("Shivx::Ui::ConsolePages", "Audit"), &make<AuditPage> },
    };
    // clang-format on
    return pages;
}

} // namespace Shivx::Ui

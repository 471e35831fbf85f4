// The console driven by keyboard alone, against a real started engine: the page keys reach
// every page, wrap around, read the page's data again and focus its filter field.

#include "audit/auditpage.h"
#include "degradation/degradationpage.h"
#include "shell/consolepages.h"
#include "shell/pagekeys.h"
#include "testconsole.h"

#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTranslator>

using namespace Shivx;
using ShivxTest::Console;

class TstPageKeys : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void pageShortcuts();
    void drivesThePagesByKeyboard();
    void everyButtonHasItsOwnMnemonic();
    void tabFollowsTheReadingOrder();
};

namespace {

// The letter after the single '&' in `text` (lower case), or a null QChar.
QChar mnemonic(const QString &text)
{
    for (int i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) != QLatin1Char('&'))
            continue;
        if (text.at(i + 1) != QLatin1Char('&'))
            return text.at(i + 1).toLower();
        ++i; // "&&" is a literal ampersand
    }
    return {};
}

// Every push button on every page has a mnemonic, and no two on one page (nor a menu title,
// which is reachable from every page) share it: Alt+letter would then only cycle between them.
void checkMnemonics(Ui::MainWindow &window)
{
    QHash<QChar, QString> menus;
    for (QAction *menu : window.menuBar()->actions())
        menus.insert(mnemonic(menu->text()), menu->text());
    for (int i = 0; i < window.pageCount(); ++i) {
        QHash<QChar, QString> taken = menus;
        for (QPushButton *button : window.pageWidget(i)->findChildren<QPushButton *>()) {
            const QString text = button->text();
            if (text.isEmpty())
                continue;
            const QChar letter = mnemonic(text);
            QVERIFY2(!letter.isNull(), qPrintable(text + QStringLiteral(" has no mnemonic")));
            QVERIFY2(!taken.contains(letter),
                qPrintable(text + QStringLiteral(" and ") + taken.value(letter)
                    + QStringLiteral(" share Alt+") + letter));
            taken.insert(letter, text);
        }
    }
}

} // namespace

void TstPageKeys::pageShortcuts()
{
    QCOMPARE(Ui::PageKeys::pageShortcut(0), QKeySequence(Qt::CTRL | Qt::Key_1));
    QCOMPARE(Ui::PageKeys::pageShortcut(8), QKeySequence(Qt::CTRL | Qt::Key_9));
    QCOMPARE(Ui::PageKeys::pageShortcut(9), QKeySequence(Qt::CTRL | Qt::Key_0));
    QVERIFY(Ui::PageKeys::pageShortcut(10).isEmpty());
    QVERIFY(Ui::PageKeys::pageShortcut(-1).isEmpty());
}

void TstPageKeys::drivesThePagesByKeyboard()
{
    Console console;
    QVERIFY(console.open("sampler: {interval: 200ms}\n"));
    Ui::MainWindow &window = console.window();
    window.activateWindow();
    // Window shortcuts fire only in the active window.
    QVERIFY(QTest::qWaitForWindowActive(&window));
    const int count = window.pageCount();
    QVERIFY(count >= 5);

    // Every page's named search field exists, so Ctrl+F cannot silently do nothing.
    for (int i = 0; i < count; ++i) {
        const char *name = Ui::consolePages().at(i).searchField;
        if (name)
            QVERIFY2(window.pageWidget(i)->findChild<QWidget *>(QLatin1String(name)), name);
    }

    // Ctrl+digit: the page at that position in the sidebar, which follows.
    auto *navigation = window.findChild<QListWidget *>(QStringLiteral("navigation"));
    QVERIFY(navigation);
    QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);
    QCOMPARE(window.currentPage(), 1);
    QVERIFY(window.pageWidget(1)->isVisible());
    QCOMPARE(navigation->currentRow(), 1);
    QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(window.currentPage(), 0);
    // Ctrl+0: the tenth page when there is one; no page there: nothing changes.
    QTest::keyClick(&window, Qt::Key_0, Qt::ControlModifier);
    QCOMPARE(window.currentPage(), count >= 10 ? 9 : 0);
    QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(window.currentPage(), 0);
    QCOMPARE(navigation->item(1)->toolTip(),
        QKeySequence(Qt::CTRL | Qt::Key_2).toString(QKeySequence::NativeText));

    // Ctrl+PgUp / Ctrl+PgDown step through all pages and wrap at both ends.
    QTest::keyClick(&window, Qt::Key_PageUp, Qt::ControlModifier);
    QCOMPARE(window.currentPage(), count - 1);
    QTest::keyClick(&window, Qt::Key_PageDown, Qt::ControlModifier);
    QCOMPARE(window.currentPage(), 0);
    for (int i = 1; i < count; ++i) {
        QTest::keyClick(&window, Qt::Key_PageDown, Qt::ControlModifier);
        QCOMPARE(window.currentPage(), i);
        QVERIFY(window.pageWidget(i)->isVisible());
    }

    // Audit: F5 reads the streams again and re-opens the current one.
    const int audit = window.pageIndex(QStringLiteral("audit"));
    QTest::keyClick(&window, Qt::Key(Qt::Key_1 + audit), Qt::ControlModifier);
    QCOMPARE(window.currentPage(), audit);
    auto *auditPage = window.page<Ui::AuditPage>();
    QTRY_VERIFY_WITH_TIMEOUT(auditPage->streams().contains(QStringLiteral("resilience")), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!auditPage->isLoading(), 10000);
    QSignalSpy loaded(auditPage, &Ui::AuditPage::streamLoaded);
    QTest::keyClick(&window, Qt::Key_F5);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1, 10000);

    // Ctrl+F focuses the audit filter's search field, with its text selected for typing over.
    auto *search = auditPage->findChild<QLineEdit *>(QStringLiteral("searchEdit"));
    QVERIFY(search);
    search->setText(QStringLiteral("old"));
    QVERIFY(!search->hasFocus());
    QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
    QVERIFY(search->hasFocus());
    QCOMPARE(search->selectedText(), QStringLiteral("old"));
    // From inside the field the page keys still work.
    QTest::keyClick(search, Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(window.currentPage(), 0);

    // Degradation: F5 reads the timeline again. Showing the page reads it once; its own timer
    // would read it again only after 15 s, longer than the wait here.
    QSignalSpy timeline(window.page<Ui::DegradationPage>(), &Ui::DegradationPage::timelineUpdated);
    QVERIFY(window.showPage(QStringLiteral("degradation")));
    QTRY_VERIFY_WITH_TIMEOUT(timeline.count() >= 1, 10000);
    timeline.clear();
    QTest::keyClick(&window, Qt::Key_F5);
    QTRY_VERIFY_WITH_TIMEOUT(timeline.count() >= 1, 5000);
    // A page without a search field: Ctrl+F leaves the focus where it was.
    QWidget *before = QApplication::focusWidget();
    QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
    QCOMPARE(QApplication::focusWidget(), before);

    // History: Ctrl+F focuses the series filter.
    QVERIFY(window.showPage(QStringLiteral("history")));
    QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
    QVERIFY(QApplication::focusWidget());
    QCOMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("seriesFilter"));
}

void TstPageKeys::everyButtonHasItsOwnMnemonic()
{
    Console console;
    QVERIFY(console.open("sampler: {interval: 200ms}\n"));
    checkMnemonics(console.window());
    if (QTest::currentTestFailed())
        return;
    QTranslator german;
    QVERIFY(german.load(QStringLiteral(":/i18n/shivx_de.qm")));
    QVERIFY(QCoreApplication::installTranslator(&german));
    QTRY_COMPARE(console.window().menuBar()->actions().value(0)->text(), QStringLiteral("&Datei"));
    checkMnemonics(console.window());
    QVERIFY(QCoreApplication::removeTranslator(&german));
}

void TstPageKeys::tabFollowsTheReadingOrder()
{
    Console console;
    QVERIFY(console.open("sampler: {interval: 200ms}\n"));
    Ui::MainWindow &window = console.window();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));

    // Tab from the sidebar walks the page's enabled fields and buttons, each once.
    const auto tabThrough = [&](int index) {
        window.showPage(index);
        QWidget *page = window.pageWidget(index);
        auto *navigation = window.findChild<QListWidget *>(QStringLiteral("navigation"));
        navigation->setFocus(Qt::TabFocusReason);
        QStringList visited;
        for (int n = 0; n < 100; ++n) {
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
            QWidget *focus = QApplication::focusWidget();
            if (!focus || !page->isAncestorOf(focus))
                break;
            visited << focus->objectName();
        }
        return visited;
    };
    for (int i = 0; i < window.pageCount(); ++i) {
        const QStringList visited = tabThrough(i);
        QVERIFY2(!visited.isEmpty(), qPrintable(window.pageWidget(i)->objectName()));
        QVERIFY2(QSet<QString>(visited.cbegin(), visited.cend()).size() == visited.size(),
            qPrintable(visited.join(QLatin1Char(' '))));
    }
    // Recovery: the header's Reload button comes before the table below it.
    const QStringList recovery = tabThrough(window.pageIndex(QStringLiteral("recovery")));
    QVERIFY2(recovery.indexOf(QStringLiteral("reloadConfigurationButton"))
            < recovery.indexOf(QStringLiteral("breakersView")),
        qPrintable(recovery.join(QLatin1Char(' '))));
    QVERIFY(recovery.indexOf(QStringLiteral("reloadConfigurationButton")) >= 0);
}

QTEST_MAIN(TstPageKeys)
#include "tst_pagekeys.moc"

// What the operator can copy out of the console's pages, each made as the shell makes it
// (consolePages()) for a real started engine: every table carries Copy and Export CSV…,
// and every label that shows an error or a message is selectable with a Copy menu.
// SelectableText's copy itself on plain and rich text.

#include "contextmenu.h"
#include "shell/consolepages.h"
#include "testengine.h"
#include "widgets/selectabletext.h"
#include "widgets/tableactions.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Shivx;
using Shivx::Ui::SelectableText;

class TstConsoleCopy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void everyTableHasCopyAndExport();
    void errorLabelsAreSelectable_data();
    void errorLabelsAreSelectable();
    void copyTakesSelectionOrWholeText();

private:
    QWidget *pageWithChild(const QString &objectName) const;

    QTemporaryDir m_dir;
    std::unique_ptr<Engine> m_engine;
    QList<QWidget *> m_pages;
};

void TstConsoleCopy::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_engine = ShivxTest::startEngine(m_dir.path(),
        "sampler: {interval: 200ms}\n"
        "targets:\n"
        "  - {name: local, type: tcp, host: 127.0.0.1, port: 9, interval: 200ms, timeout: "
        "100ms}\n");
    QVERIFY(m_engine);
    for (const Ui::ConsolePage &p : Ui::consolePages())
        m_pages << p.create(m_engine.get(), nullptr);
}

void TstConsoleCopy::cleanupTestCase()
{
    qDeleteAll(m_pages);
    m_pages.clear();
    if (m_engine)
        m_engine->stop();
}

QWidget *TstConsoleCopy::pageWithChild(const QString &objectName) const
{
    for (QWidget *page : m_pages) {
        if (page->findChild<QLabel *>(objectName))
            return page;
    }
    return nullptr;
}

void TstConsoleCopy::everyTableHasCopyAndExport()
{
    int tables = 0;
    for (QWidget *page : std::as_const(m_pages)) {
        for (QTableView *view : page->findChildren<QTableView *>()) {
            ++tables;
            auto *actions = view->findChild<Ui::TableActions *>();
            QVERIFY2(actions, qPrintable(view->objectName()));
            QCOMPARE(view->contextMenuPolicy(), Qt::ActionsContextMenu);
            QVERIFY(view->actions().contains(actions->copyAction()));
            QVERIFY(view->actions().contains(actions->exportAction()));
        }
    }
    // Overview (score, targets), Recovery (breakers, processes), Degradation (matrix,
    // timeline), Guardian (threats, isolations, the selected source's score), Integrity
    // (differences), Pipelines (pipelines, attempts, artifacts, runs, dead letters), Alerts
    // (firing, pending, silenced, silences, history), Backup & DR (sets, history, DR plans), Audit
    // (entries): a table that went missing from a page fails here too.
    QCOMPARE(tables, 24);
}

void TstConsoleCopy::errorLabelsAreSelectable_data()
{
    QTest::addColumn<QString>("name");
    for (const char *name : { "recoveryMessage", "processMessage", "actionStatus", "timelineStatus",
             "bannerDetail", "auditStatus", "streamInfo", "verifyBannerTitle", "verifyBannerBody",
             "verifyStatus", "historyStatus" })
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TstConsoleCopy::errorLabelsAreSelectable()
{
    QFETCH(QString, name);
    QWidget *page = pageWithChild(name);
    QVERIFY2(page, qPrintable(name + QLatin1String(" is on no page")));
    auto *label = page->findChild<QLabel *>(name);
    QVERIFY(label->textInteractionFlags().testFlags(
        Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard));
    QCOMPARE(label->contextMenuPolicy(), Qt::CustomContextMenu);
    label->setText(QStringLiteral("Could not change breaker x: no such breaker"));
    QGuiApplication::clipboard()->clear();
    SelectableText::copy(label);
    QCOMPARE(QGuiApplication::clipboard()->text(),
        QStringLiteral("Could not change breaker x: no such breaker"));
}

void TstConsoleCopy::copyTakesSelectionOrWholeText()
{
    QLabel plain(QStringLiteral("engine.not_running: The engine is not running."));
    SelectableText::apply(&plain);
    QCOMPARE(SelectableText::copyText(&plain), plain.text());
    plain.setSelection(0, 18);
    QCOMPARE(SelectableText::copyText(&plain), QStringLiteral("engine.not_running"));

    // A banner's rich text copies as it reads.
    QLabel rich;
    rich.setTextFormat(Qt::RichText);
    SelectableText::apply(&rich, Qt::TextBrowserInteraction);
    QVERIFY(rich.textInteractionFlags().testFlag(Qt::LinksAccessibleByMouse));
    rich.setText(QStringLiteral("<b>Tampering</b> at <a href=\"finding:0\">line 3</a>"));
    QCOMPARE(SelectableText::copyText(&rich), QStringLiteral("Tampering at line 3"));

    // The label's own menu: Copy, which copies the whole text with nothing selected.
    plain.setSelection(0, 0);
    plain.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plain));
    QGuiApplication::clipboard()->clear();
    const QStringList entries
        = ShivxTest::contextMenuEntries(&plain, QPoint(5, 5), QStringLiteral("Copy"));
    QCOMPARE(entries, QStringList { QStringLiteral("Copy") });
    QCOMPARE(QGuiApplication::clipboard()->text(), plain.text());
}

QTEST_MAIN(TstConsoleCopy)
#include "tst_consolecopy.moc"

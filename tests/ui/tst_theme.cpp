// View > Theme: the light and dark palettes and the status colours on them, by the WCAG 2
// contrast ratio; switching through the menu against a real started engine (palette, a status
// cell, the status bar, the sidebar, QSettings); every page photographed in both palettes
// (build/screenshots/theme-*.png); the stored choice applied at start.
//
// Thresholds: 4.5:1 (WCAG 1.4.3, normal text) wherever a status colour is text (on Window, Base,
// AlternateBase) or carries text (textOn); 3:1 (WCAG 1.4.11, graphical objects) only for the
// gauge arc against the window, which carries no text.

#include "core/config.h"
#include "history/historypage.h"
#include "loopbackport.h"
#include "overview/overviewpage.h"
#include "overview/targetsmodel.h"
#include "shell/consolepages.h"
#include "testconsole.h"
#include "widgets/statuscolors.h"
#include "widgets/theme.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QSettings>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>

using namespace Shivx;
using namespace Shivx::Ui;
using ShivxTest::Console;

Q_DECLARE_METATYPE(Shivx::Ui::Theme::Choice)

class TstTheme : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void statusColoursKeepContrast_data();
    void statusColoursKeepContrast();
    void paletteTextKeepsContrast_data();
    void paletteTextKeepsContrast();
    void viewMenuSwitchesAndRemembers();
    void storedChoiceAppliesAtStart();
};

namespace {

// Every colour StatusColors hands out, read after the theme is applied.
QList<std::pair<QString, QColor>> statusColours()
{
    QList<std::pair<QString, QColor>> colours = {
        { QStringLiteral("ok"), StatusColors::ok() },
        { QStringLiteral("warning"), StatusColors::warning() },
        { QStringLiteral("critical"), StatusColors::critical() },
        { QStringLiteral("unknown"), StatusColors::unknown() },
    };
    for (const DegradationLevel level : { DegradationLevel::Normal, DegradationLevel::Level1,
             DegradationLevel::Level2, DegradationLevel::Level3, DegradationLevel::Emergency })
        colours.append({ QStringLiteral("level %1").arg(int(level)),
            StatusColors::forDegradationLevel(level) });
    return colours;
}

// `over` painted with `tint` at its alpha, as the feature matrix does for the current level.
QColor blend(const QColor &tint, const QColor &over)
{
    const double a = tint.alphaF();
    return QColor::fromRgbF(float(tint.redF() * a + over.redF() * (1 - a)),
        float(tint.greenF() * a + over.greenF() * (1 - a)),
        float(tint.blueF() * a + over.blueF() * (1 - a)));
}

QString screenshotPath(const QString &name)
{
    const QString dir = QStringLiteral(SHIVX_BINARY_DIR "/screenshots");
    QDir().mkpath(dir);
    return dir + QLatin1Char('/') + name + QStringLiteral(".png");
}

} // namespace

void TstTheme::initTestCase()
{
    // The theme choice goes to QSettings; keep it out of the user's.
    QStandardPaths::setTestModeEnabled(true);
    QSettings().remove(QStringLiteral("appearance/theme"));
}

void TstTheme::cleanup()
{
    Theme::apply(Theme::Choice::System);
}

void TstTheme::statusColoursKeepContrast_data()
{
    QTest::addColumn<Theme::Choice>("choice");
    QTest::newRow("light") << Theme::Choice::Light;
    QTest::newRow("dark") << Theme::Choice::Dark;
    // Whatever the platform gives the test (offscreen: Qt's light defaults).
    QTest::newRow("system") << Theme::Choice::System;
}

void TstTheme::statusColoursKeepContrast()
{
    QFETCH(Theme::Choice, choice);
    Theme::apply(choice);
    const QPalette palette = QApplication::palette();
    if (choice != Theme::Choice::System)
        QCOMPARE(Theme::isDark(palette), choice == Theme::Choice::Dark);

    for (const auto &[name, colour] : statusColours()) {
        const QByteArray what = name.toUtf8();
        // Text on a status cell or banner.
        const double onCell = StatusColors::contrastRatio(StatusColors::textOn(colour), colour);
        QVERIFY2(onCell >= 4.5, what + " cell text: " + QByteArray::number(onCell, 'f', 2));
        // The status colour as text (error lines, penalties, labels in the status bar).
        for (const auto role : { QPalette::Window, QPalette::Base, QPalette::AlternateBase }) {
            const double asText = StatusColors::contrastRatio(colour, palette.color(role));
            QVERIFY2(asText >= 4.5,
                what + " as text on role " + QByteArray::number(int(role)) + ": "
                    + QByteArray::number(asText, 'f', 2));
        }
        // The feature matrix tints the current level's column (over Base); its text is the
        // palette's Text, or critical() for a switched-off feature.
        const QColor tinted = blend(StatusColors::tint(colour), palette.color(QPalette::Base));
        for (const QColor &text : { palette.color(QPalette::Text), StatusColors::critical() }) {
            const double onTint = StatusColors::contrastRatio(text, tinted);
            QVERIFY2(onTint >= 4.5,
                what + " tinted cell, text " + text.name().toUtf8() + ": "
                    + QByteArray::number(onTint, 'f', 2));
        }
    }
    // Gauge arcs: graphics without text, 3:1 against the window they are drawn on.
    for (const QColor &arc : { StatusColors::ok(), StatusColors::warning(),
             StatusColors::critical(), StatusColors::unknown() })
        QVERIFY(StatusColors::contrastRatio(arc, palette.color(QPalette::Window)) >= 3.0);
}

void TstTheme::paletteTextKeepsContrast_data()
{
    QTest::addColumn<QPalette>("palette");
    QTest::newRow("light") << Theme::lightPalette();
    QTest::newRow("dark") << Theme::darkPalette();
}

void TstTheme::paletteTextKeepsContrast()
{
    QFETCH(QPalette, palette);
    const std::pair<QPalette::ColorRole, QPalette::ColorRole> pairs[] = {
        { QPalette::WindowText, QPalette::Window },
        { QPalette::Text, QPalette::Base },
        { QPalette::Text, QPalette::AlternateBase },
        { QPalette::ButtonText, QPalette::Button },
        { QPalette::HighlightedText, QPalette::Highlight },
        { QPalette::ToolTipText, QPalette::ToolTipBase },
        { QPalette::PlaceholderText, QPalette::Window },
        { QPalette::PlaceholderText, QPalette::Base },
        { QPalette::Link, QPalette::Base },
        { QPalette::Link, QPalette::Window },
    };
    for (const auto &[fg, bg] : pairs) {
        const double ratio = StatusColors::contrastRatio(palette.color(fg), palette.color(bg));
        QVERIFY2(ratio >= 4.5,
            QByteArray::number(int(fg)) + " on " + QByteArray::number(int(bg)) + ": "
                + QByteArray::number(ratio, 'f', 2));
    }
}

void TstTheme::viewMenuSwitchesAndRemembers()
{
    const QPalette systemPalette = QApplication::palette();
    QTcpServer service;
    QVERIFY(service.listen(QHostAddress::LocalHost, 0));
    Console console;
    QVERIFY(console.open("engine: {listen: \"127.0.0.1:0\"}\n"
                         "sampler: {interval: 200ms}\n"
                         "targets:\n"
                         "  - {name: local-service, type: tcp, host: 127.0.0.1, port: "
        + QByteArray::number(service.serverPort())
        + ", interval: 1s, timeout: 500ms}\n"
          "  - {name: refused-service, type: tcp, host: 127.0.0.1, port: "
        + QByteArray::number(ShivxTest::closedLoopbackPort())
        + ", interval: 1s, timeout: 500ms}\n"));
    MainWindow &window = console.window();
    OverviewPage *overview = window.page<OverviewPage>();
    QTRY_COMPARE_WITH_TIMEOUT(overview->targetsModel()->rowCount(), 2, 10000);
    // Rows are sorted by name: local-service first. The refused one gives the photos red.
    const QModelIndex state = overview->targetsModel()->index(0, TargetsModel::StateColumn);
    QTRY_VERIFY_WITH_TIMEOUT(
        overview->targetsModel()->targets().value(0).state == TargetState::Up, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(
        overview->targetsModel()->targets().value(1).state == TargetState::Down, 15000);
    // The History page's photo with a line in it.
    window.showPage(QStringLiteral("history"));
    QTRY_VERIFY_WITH_TIMEOUT(
        window.page<HistoryPage>()->availableSeries().contains(QStringLiteral("health.score")),
        20000);
    window.showPage(QStringLiteral("overview"));
    auto *engineState = window.findChild<QLabel *>(QStringLiteral("engineStateLabel"));
    QVERIFY(engineState);

    auto *system = window.findChild<QAction *>(QStringLiteral("systemThemeAction"));
    auto *light = window.findChild<QAction *>(QStringLiteral("lightThemeAction"));
    auto *dark = window.findChild<QAction *>(QStringLiteral("darkThemeAction"));
    QVERIFY(system && light && dark);
    QVERIFY(system->isChecked());

    for (QAction *action : { dark, light }) {
        const bool toDark = action == dark;
        const QColor cellBefore = state.data(Qt::BackgroundRole).value<QColor>();
        action->trigger();
        QVERIFY(action->isChecked());
        QCOMPARE(QApplication::palette().color(QPalette::Window),
            (toDark ? Theme::darkPalette() : Theme::lightPalette()).color(QPalette::Window));
        QCOMPARE(QSettings().value(QStringLiteral("appearance/theme")).toString(),
            toDark ? QStringLiteral("dark") : QStringLiteral("light"));
        // The UP cell and the status bar's "Engine: running" take the palette's variant.
        const QColor cell = state.data(Qt::BackgroundRole).value<QColor>();
        QCOMPARE(cell, StatusColors::ok());
        QVERIFY(cell != cellBefore);
        QCOMPARE(state.data(Qt::ForegroundRole).value<QColor>(),
            toDark ? QColor(Qt::black) : QColor(Qt::white));
        // Widgets learn of the application palette through a posted event.
        QTRY_COMPARE(window.palette().color(QPalette::Window),
            QApplication::palette().color(QPalette::Window));
        QTRY_COMPARE(engineState->palette().color(QPalette::WindowText), StatusColors::ok());
        // The sidebar's style sheet takes the new window colour too.
        auto *navigation = window.findChild<QWidget *>(QStringLiteral("navigation"));
        QVERIFY(navigation);
        QCOMPARE(navigation->grab().toImage().pixelColor(20, navigation->height() - 20),
            QApplication::palette().color(QPalette::Window));

        for (int i = 0; i < window.pageCount(); ++i) {
            window.showPage(i);
            QTest::qWait(150); // pages fill on show (history, audit read the database)
            const QString id = QLatin1String(consolePages().at(i).id);
            QVERIFY(window.grab().save(screenshotPath(
                QStringLiteral("theme-%1-%2").arg(Theme::key(Theme::current()), id))));
        }
        window.showPage(QStringLiteral("overview"));
    }

    system->trigger();
    QCOMPARE(
        QSettings().value(QStringLiteral("appearance/theme")).toString(), QStringLiteral("system"));
    QCOMPARE(Theme::stored(), Theme::Choice::System);
    QCOMPARE(
        QApplication::palette().color(QPalette::Window), systemPalette.color(QPalette::Window));
    QCOMPARE(QApplication::palette().color(QPalette::Text), systemPalette.color(QPalette::Text));
}

void TstTheme::storedChoiceAppliesAtStart()
{
    // What shivx-console does before its first window: apply the stored choice; the menu
    // shows it ticked.
    QSettings().setValue(QStringLiteral("appearance/theme"), QStringLiteral("dark"));
    Theme::apply(Theme::stored());
    QVERIFY(Theme::isDark());
    Console console;
    QVERIFY(console.open("engine: {listen: \"127.0.0.1:0\"}\n"));
    auto *dark = console.window().findChild<QAction *>(QStringLiteral("darkThemeAction"));
    QVERIFY(dark && dark->isChecked());
    QVERIFY(
        !console.window().findChild<QAction *>(QStringLiteral("systemThemeAction"))->isChecked());
    QSettings().setValue(QStringLiteral("appearance/theme"), QStringLiteral("bogus"));
    QCOMPARE(Theme::stored(), Theme::Choice::System);
}

QTEST_MAIN(TstTheme)
#include "tst_theme.moc"

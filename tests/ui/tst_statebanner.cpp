// The state banner the Degradation and Guardian pages share: texts, the background in the
// state's colour with readable text on it, and a control beside the texts.
#include "widgets/statebanner.h"
#include "widgets/statuscolors.h"

#include <QLabel>
#include <QPushButton>
#include <QTest>

using namespace Shivx::Ui;

class TstStateBanner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsTheStateInItsColour_data()
    {
        QTest::addColumn<QColor>("background");
        QTest::newRow("ok (light text or dark, whichever reads)") << StatusColors::ok();
        QTest::newRow("critical") << StatusColors::critical();
        QTest::newRow("white") << QColor(Qt::white);
        QTest::newRow("black") << QColor(Qt::black);
    }
    void showsTheStateInItsColour()
    {
        QFETCH(QColor, background);
        StateBanner banner;
        banner.setState(background, QStringLiteral("LOCKDOWN"), QStringLiteral("meaning"),
            { QStringLiteral("since 12:00"), QStringLiteral("steps down at 13:00") });
        auto *title = banner.findChild<QLabel *>(QStringLiteral("bannerTitle"));
        auto *meaning = banner.findChild<QLabel *>(QStringLiteral("bannerMeaning"));
        auto *detail = banner.findChild<QLabel *>(QStringLiteral("bannerDetail"));
        QVERIFY(title && meaning && detail);
        QCOMPARE(banner.title(), QStringLiteral("LOCKDOWN"));
        QCOMPARE(meaning->text(), QStringLiteral("meaning"));
        QCOMPARE(detail->text(), QStringLiteral("since 12:00\nsteps down at 13:00"));
        QCOMPARE(banner.palette().color(QPalette::Window), background);
        const QColor text = title->palette().color(QPalette::WindowText);
        QCOMPARE(text, StatusColors::textOn(background));
        // Readable: the text differs from the background in lightness by a clear margin.
        QVERIFY2(qAbs(text.lightness() - background.lightness()) > 100,
            qPrintable(QStringLiteral("%1 on %2").arg(text.name(), background.name())));
        QVERIFY(title->font().pointSizeF() > meaning->font().pointSizeF());
        QVERIFY(title->font().bold());
    }

    void holdsTheControlBesideTheTexts()
    {
        StateBanner banner;
        auto *button = new QPushButton(QStringLiteral("Set mode…"));
        banner.addSide(button, 2);
        QCOMPARE(button->parent(), &banner);
        banner.resize(800, 120);
        banner.show();
        QVERIFY(QTest::qWaitForWindowExposed(&banner));
        auto *title = banner.findChild<QLabel *>(QStringLiteral("bannerTitle"));
        QVERIFY(button->geometry().left() > title->geometry().left());
    }
};

QTEST_MAIN(TstStateBanner)
#include "tst_statebanner.moc"

// The result line of the Backup & DR and Integrity pages (ResultLabel): a failure in the
// critical colour of the palette in use, re-coloured when the theme turns dark, cleared when
// the language changes; a success plain.
#include "widgets/resultlabel.h"
#include "widgets/statuscolors.h"
#include "widgets/theme.h"

#include <QApplication>
#include <QEvent>
#include <QTest>

using Shivx::Ui::ResultLabel;
namespace StatusColors = Shivx::Ui::StatusColors;
namespace Theme = Shivx::Ui::Theme;

class TstResultLabel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void failureColourFollowsTheThemeAndLanguageClears()
    {
        Theme::apply(Theme::Choice::Light);
        QWidget page;
        auto *label = new ResultLabel(&page);
        page.show();
        QCOMPARE(label->objectName(), QStringLiteral("actionResult"));
        QVERIFY(label->wordWrap());

        label->showResult(true, QStringLiteral("backup succeeded"));
        QVERIFY(label->styleSheet().isEmpty());
        label->showResult(false, QStringLiteral("backup failed"));
        const QString light = StatusColors::critical().name();
        QVERIFY2(label->styleSheet().contains(light), qPrintable(label->styleSheet()));

        Theme::apply(Theme::Choice::Dark);
        QCoreApplication::processEvents();
        const QString dark = StatusColors::critical().name();
        QVERIFY(dark != light);
        QVERIFY2(label->styleSheet().contains(dark), qPrintable(label->styleSheet()));
        QCOMPARE(label->text(), QStringLiteral("backup failed"));
        QVERIFY(!label->resultOk());

        QEvent change(QEvent::LanguageChange);
        QCoreApplication::sendEvent(label, &change);
        QVERIFY(label->text().isEmpty());
        QVERIFY(label->styleSheet().isEmpty());
        Theme::apply(Theme::Choice::Light);
    }
};

QTEST_MAIN(TstResultLabel)
#include "tst_resultlabel.moc"

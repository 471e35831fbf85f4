#include "widgets/gaugewidget.h"
#include "widgets/statuscolors.h"

#include <QImage>
#include <QSignalSpy>
#include <QTest>

#include <limits>

using Shivx::Ui::GaugeWidget;
namespace StatusColors = Shivx::Ui::StatusColors;

class TstGaugeWidget : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void clampsIntoRange_data();
    void clampsIntoRange();
    void noValueUntilSet();
    void nanClearsValue();
    void emitsOnlyOnChange();
    void levels_data();
    void levels();
    void levelColours();
    void rendersToImage_data();
    void rendersToImage();
    void sizeHint();
};

void TstGaugeWidget::clampsIntoRange_data()
{
    QTest::addColumn<double>("input");
    QTest::addColumn<double>("expected");
    QTest::newRow("inside") << 42.5 << 42.5;
    QTest::newRow("below minimum -> minimum") << -10.0 << 0.0;
    QTest::newRow("above maximum -> maximum") << 250.0 << 100.0;
    QTest::newRow("infinity -> maximum") << std::numeric_limits<double>::infinity() << 100.0;
}

void TstGaugeWidget::clampsIntoRange()
{
    QFETCH(double, input);
    QFETCH(double, expected);
    GaugeWidget gauge;
    gauge.setValue(input);
    QVERIFY(gauge.hasValue());
    QCOMPARE(gauge.value(), expected);
}

void TstGaugeWidget::noValueUntilSet()
{
    GaugeWidget gauge;
    QVERIFY(!gauge.hasValue());
    QCOMPARE(gauge.valueText(), QStringLiteral("—"));
    QCOMPARE(gauge.level(), GaugeWidget::Level::None);
    gauge.setDecimals(1);
    gauge.setValue(12.34);
    QCOMPARE(gauge.valueText(), QLocale().toString(12.3, 'f', 1));
    gauge.clearValue();
    QVERIFY(!gauge.hasValue());
    QCOMPARE(gauge.valueText(), QStringLiteral("—"));
}

void TstGaugeWidget::nanClearsValue()
{
    GaugeWidget gauge;
    gauge.setValue(50);
    gauge.setValue(std::numeric_limits<double>::quiet_NaN());
    QVERIFY(!gauge.hasValue());
}

void TstGaugeWidget::emitsOnlyOnChange()
{
    GaugeWidget gauge;
    QSignalSpy spy(&gauge, &GaugeWidget::valueChanged);
    gauge.setValue(10);
    gauge.setValue(10);
    gauge.setValue(150);
    gauge.setValue(200); // clamps to the same 100
    QCOMPARE(spy.count(), 2);
    QCOMPARE(spy.at(1).at(0).toDouble(), 100.0);
}

void TstGaugeWidget::levels_data()
{
    QTest::addColumn<bool>("higherIsBetter");
    QTest::addColumn<double>("value");
    QTest::addColumn<GaugeWidget::Level>("expected");
    // Worse upwards (CPU %): warning at 70, critical at 90.
    QTest::newRow("cpu 10 -> ok") << false << 10.0 << GaugeWidget::Level::Ok;
    QTest::newRow("cpu 70 -> warning") << false << 70.0 << GaugeWidget::Level::Warning;
    QTest::newRow("cpu 89.9 -> warning") << false << 89.9 << GaugeWidget::Level::Warning;
    QTest::newRow("cpu 90 -> critical") << false << 90.0 << GaugeWidget::Level::Critical;
    // Better upwards (health score): warning at or below 79.95, critical at or below 49.95.
    QTest::newRow("score 100 -> ok") << true << 100.0 << GaugeWidget::Level::Ok;
    QTest::newRow("score 80 -> ok") << true << 80.0 << GaugeWidget::Level::Ok;
    QTest::newRow("score 79.9 -> warning") << true << 79.9 << GaugeWidget::Level::Warning;
    QTest::newRow("score 49 -> critical") << true << 49.0 << GaugeWidget::Level::Critical;
}

void TstGaugeWidget::levels()
{
    QFETCH(bool, higherIsBetter);
    QFETCH(double, value);
    QFETCH(GaugeWidget::Level, expected);
    GaugeWidget gauge;
    if (higherIsBetter)
        gauge.setThresholds(79.95, 49.95, GaugeWidget::Direction::HigherIsBetter);
    else
        gauge.setThresholds(70, 90);
    gauge.setValue(value);
    QCOMPARE(gauge.level(), expected);
}

void TstGaugeWidget::levelColours()
{
    GaugeWidget gauge;
    gauge.setThresholds(70, 90);
    QCOMPARE(gauge.levelColor(), StatusColors::unknown());
    gauge.setValue(5);
    QCOMPARE(gauge.levelColor(), StatusColors::ok());
    gauge.setValue(75);
    QCOMPARE(gauge.levelColor(), StatusColors::warning());
    gauge.setValue(95);
    QCOMPARE(gauge.levelColor(), StatusColors::critical());
    QVERIFY(StatusColors::ok() != StatusColors::warning());
    QVERIFY(StatusColors::warning() != StatusColors::critical());
}

void TstGaugeWidget::rendersToImage_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("withValue");
    QTest::newRow("size hint, critical value") << QSize() << true;
    QTest::newRow("size hint, no value") << QSize() << false;
    QTest::newRow("tiny") << QSize(3, 2) << true;
    QTest::newRow("wide and flat") << QSize(600, 60) << true;
}

void TstGaugeWidget::rendersToImage()
{
    QFETCH(QSize, size);
    QFETCH(bool, withValue);
    GaugeWidget gauge;
    gauge.setLabel(QStringLiteral("CPU"));
    gauge.setUnit(QStringLiteral("%"));
    gauge.setDetail(QStringLiteral("load 1.00"));
    gauge.setThresholds(70, 90);
    if (withValue)
        gauge.setValue(95);
    gauge.resize(size.isValid() ? size : gauge.sizeHint());

    QImage image(gauge.size(), QImage::Format_ARGB32);
    image.fill(Qt::transparent);
    gauge.render(&image);
    if (!withValue || size != QSize())
        return;
    // The filled arc starts at the lower left; some pixel there carries the critical colour.
    bool found = false;
    const QColor critical = StatusColors::critical();
    for (int y = 0; y < image.height() && !found; ++y) {
        for (int x = 0; x < image.width() / 2 && !found; ++x)
            found = QColor(image.pixel(x, y)).rgb() == critical.rgb();
    }
    QVERIFY2(found, "no pixel in the critical colour");
}

void TstGaugeWidget::sizeHint()
{
    GaugeWidget gauge;
    QVERIFY(gauge.sizeHint().isValid());
    QVERIFY(gauge.sizeHint().width() >= gauge.minimumSizeHint().width());
    QVERIFY(gauge.sizeHint().height() >= gauge.minimumSizeHint().height());
    QVERIFY(gauge.minimumSizeHint().width() >= 100);
}

QTEST_MAIN(TstGaugeWidget)
#include "tst_gaugewidget.moc"

// The feature map: the classic defaults at every level, gradual quality, unknown features.
#include "degradation/featuremap.h"

#include <QTest>

using namespace Shivx;
using L = DegradationLevel;

class TstFeatureMap : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaults_data()
    {
        QTest::addColumn<QString>("feature");
        QTest::addColumn<QList<bool>>("enabled"); // at NORMAL .. EMERGENCY
        auto row = [](const char *name, QList<bool> enabled) {
            QTest::newRow(name) << QString::fromLatin1(name) << enabled;
        };
        row("analytics", { true, false, false, false, false });
        row("background_tasks", { true, false, false, false, false });
        row("ai_inference", { true, true, false, false, false });
        row("web_search", { true, true, false, false, false });
        row("uploads", { true, true, true, false, false });
        row("integrations", { true, true, true, false, false });
        row("chat", { true, true, true, true, false });
        row("memory_writes", { true, true, true, true, false });
        row("core", { true, true, true, true, true });
        row("sampling", { true, true, true, true, false });
    }

    void defaults()
    {
        QFETCH(QString, feature);
        QFETCH(QList<bool>, enabled);
        const FeatureMap map = FeatureMap::defaults();
        QVERIFY(map.contains(feature));
        for (L level : allDegradationLevels()) {
            const auto f = map.feature(feature, level);
            QVERIFY(f);
            QVERIFY2(f->enabled == enabled.at(levelValue(level)), qPrintable(toString(level)));
            QCOMPARE(map.isEnabled(feature, level), f->enabled);
        }
    }

    void binaryFeaturesHaveFullOrNoQuality()
    {
        const FeatureMap map = FeatureMap::defaults();
        QCOMPARE(map.feature(QStringLiteral("uploads"), L::Level2)->quality, 1.0);
        QCOMPARE(map.feature(QStringLiteral("uploads"), L::Level3)->quality, 0.0);
    }

    void samplingIsReducedStepByStep()
    {
        const FeatureMap map = FeatureMap::defaults();
        const QList<double> expected { 1.0, 0.5, 0.25, 0.1, 0.0 };
        for (L level : allDegradationLevels())
            QCOMPARE(map.feature(QStringLiteral("sampling"), level)->quality,
                expected.at(levelValue(level)));
    }

    void atListsEveryFeatureInOrder()
    {
        const FeatureMap map = FeatureMap::defaults();
        const QList<FeatureState> all = map.at(L::Emergency);
        QCOMPARE(all.size(), map.rules().size());
        QCOMPARE(all.first().name, QStringLiteral("analytics"));
        QStringList on;
        for (const FeatureState &f : all)
            if (f.enabled)
                on << f.name;
        QCOMPARE(on, QStringList { QStringLiteral("core") });
    }

    void unknownFeatureIsEnabled()
    {
        const FeatureMap map = FeatureMap::defaults();
        QVERIFY(!map.contains(QStringLiteral("telepathy")));
        QVERIFY(!map.feature(QStringLiteral("telepathy"), L::Emergency));
        QVERIFY(map.isEnabled(QStringLiteral("telepathy"), L::Emergency));
    }

    void qualityAboveZeroCountsAsEnabled()
    {
        FeatureRule r { QStringLiteral("thumbnails"), L::Emergency,
            std::array<double, degradationLevelCount> { 1.0, 1.0, 0.3, 0.0, 0.0 } };
        const FeatureMap map({ r });
        QVERIFY(map.isEnabled(QStringLiteral("thumbnails"), L::Level2));
        QCOMPARE(map.feature(QStringLiteral("thumbnails"), L::Level2)->quality, 0.3);
        QVERIFY(!map.isEnabled(QStringLiteral("thumbnails"), L::Level3));
    }

    void levelCodesRoundTrip()
    {
        for (L level : allDegradationLevels()) {
            QVERIFY(parseDegradationLevel(toString(level)) == level);
            QVERIFY(parseDegradationLevel(toString(level).toLower()) == level);
            QVERIFY(parseDegradationLevel(QString::number(levelValue(level))) == level);
        }
        QVERIFY(!parseDegradationLevel(QStringLiteral("LEVEL_5")));
        QVERIFY(!parseDegradationLevel(QString()));
        QCOMPARE(toString(degradationLevelFromValue(9)), toString(L::Emergency));
        QCOMPARE(toString(degradationLevelFromValue(-1)), toString(L::Normal));
    }
};

QTEST_GUILESS_MAIN(TstFeatureMap)
#include "tst_featuremap.moc"

// The `degradation:` and `features:` sections through the real configuration loader: good
// input gives the values, bad input an error naming the file, line and key.
#include "core/config.h"
#include "degradation/degradationconfig.h"

#include <QTest>

using namespace Shivx;
using L = DegradationLevel;

class TstDegradationConfig : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaultsWhenAbsent()
    {
        const auto c = ConfigLoader::parse("engine: {api: false}\n", QStringLiteral("d.yaml"));
        QVERIFY2(c.ok(), c.ok() ? "" : qPrintable(c.error().message));
        const DegradationConfig &d = c->section<DegradationConfig>();
        QCOMPARE(d.normalMin, 80.0);
        QCOMPARE(d.level1Min, 60.0);
        QCOMPARE(d.level2Min, 50.0);
        QCOMPARE(d.level3Min, 30.0);
        QCOMPARE(d.recoveryHoldMs, 60'000);
        QCOMPARE(d.features.rules().size(), FeatureMap::defaults().rules().size());
    }

    void embeddedDefaultLoads()
    {
        const auto c = ConfigLoader::loadDefault();
        QVERIFY2(c.ok(), c.ok() ? "" : qPrintable(c.error().message));
        // The embedded file spells out the built-in defaults, so the two must agree.
        const FeatureMap builtIn = FeatureMap::defaults();
        const FeatureMap &embedded = c->section<DegradationConfig>().features;
        QCOMPARE(embedded.rules().size(), builtIn.rules().size());
        for (DegradationLevel level : allDegradationLevels()) {
            const auto a = embedded.at(level), b = builtIn.at(level);
            for (int i = 0; i < a.size(); ++i) {
                QCOMPARE(a.at(i).name, b.at(i).name);
                QCOMPARE(a.at(i).enabled, b.at(i).enabled);
                QCOMPARE(a.at(i).quality, b.at(i).quality);
            }
        }
        const DegradationConfig defaults;
        QCOMPARE(c->section<DegradationConfig>().normalMin, defaults.normalMin);
        QCOMPARE(c->section<DegradationConfig>().level3Min, defaults.level3Min);
        QCOMPARE(c->section<DegradationConfig>().recoveryHoldMs, defaults.recoveryHoldMs);
        QCOMPARE(c->section<DegradationConfig>().maxPinMs, defaults.maxPinMs);
    }

    void customValues()
    {
        const QByteArray yaml
            = "degradation:\n"
              "  thresholds: {normal: 90, level_1: 75, level_2: 40, level_3: 20}\n"
              "  recovery_hold: 2m\n"
              "  max_pin: 1h\n"
              "features:\n"
              "  reports: LEVEL_1\n"
              "  search: emergency\n"
              "  thumbnails: {NORMAL: 1, LEVEL_2: 0.4, EMERGENCY: 0}\n";
        const auto c = ConfigLoader::parse(yaml, QStringLiteral("d.yaml"));
        QVERIFY2(c.ok(), c.ok() ? "" : qPrintable(c.error().message));
        const DegradationConfig &d = c->section<DegradationConfig>();
        QCOMPARE(d.normalMin, 90.0);
        QCOMPARE(d.level3Min, 20.0);
        QCOMPARE(d.recoveryHoldMs, 120'000);
        QCOMPARE(d.maxPinMs, 3'600'000);
        QCOMPARE(toString(d.levelForScore(80)), toString(L::Level1));
        QCOMPARE(toString(d.levelForScore(19.9)), toString(L::Emergency));
        // A features section replaces the default map whole.
        QCOMPARE(d.features.rules().size(), 3);
        QVERIFY(!d.features.contains(QStringLiteral("analytics")));
        QVERIFY(d.features.isEnabled(QStringLiteral("reports"), L::Level1));
        QVERIFY(!d.features.isEnabled(QStringLiteral("reports"), L::Level2));
        QVERIFY(d.features.isEnabled(QStringLiteral("search"), L::Emergency));
        const QList<double> q { 1.0, 1.0, 0.4, 0.4, 0.0 }; // left-out levels inherit
        for (L level : allDegradationLevels())
            QCOMPARE(d.features.feature(QStringLiteral("thumbnails"), level)->quality,
                q.at(levelValue(level)));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown key in degradation")
            << QByteArray("degradation:\n  hold: 60s\n")
            << QStringLiteral("d.yaml:2: degradation.hold: unknown key (known: max_pin, "
                              "recovery_hold, thresholds)");
        QTest::newRow("unknown threshold")
            << QByteArray("degradation:\n  thresholds:\n    level_4: 10\n")
            << QStringLiteral("d.yaml:3: degradation.thresholds.level_4: unknown key");
        QTest::newRow("threshold not a number")
            << QByteArray("degradation:\n  thresholds: {normal: high}\n")
            << QStringLiteral(
                   "d.yaml:2: degradation.thresholds.normal: expected a number, got \"high\"");
        QTest::newRow("threshold above 100")
            << QByteArray("degradation:\n  thresholds:\n    normal: 120\n")
            << QStringLiteral(
                   "d.yaml:3: degradation.thresholds.normal: 120 is out of range [0, 100]");
        QTest::newRow("thresholds out of order")
            << QByteArray("degradation:\n  thresholds:\n    level_1: 60\n    level_2: 65\n")
            << QStringLiteral(
                   "d.yaml:4: degradation.thresholds.level_2: 65 must be below level_1 (60)");
        QTest::newRow("threshold equal to the one above")
            << QByteArray("degradation:\n  thresholds:\n    normal: 60\n")
            << QStringLiteral(
                   "d.yaml:3: degradation.thresholds.level_1: 60 must be below normal (60)");
        QTest::newRow("hold without unit")
            << QByteArray("degradation:\n  recovery_hold: 60\n")
            << QStringLiteral("d.yaml:2: degradation.recovery_hold:");
        QTest::newRow("max_pin below a minute")
            << QByteArray("degradation:\n  max_pin: 30s\n")
            << QStringLiteral("d.yaml:2: degradation.max_pin: must be at least 1m");
        QTest::newRow("degradation not a mapping") << QByteArray(
            "degradation: [1, 2]\n") << QStringLiteral("d.yaml:1: degradation: expected a mapping");
        QTest::newRow("features a list")
            << QByteArray("features:\n  - chat\n")
            << QStringLiteral(
                   "d.yaml:2: features: expected a mapping of feature name to level or qualities");
        QTest::newRow("feature with an unknown level")
            << QByteArray("features:\n  chat: LEVEL_5\n")
            << QStringLiteral("d.yaml:2: features.chat: \"LEVEL_5\" is not a level (NORMAL, "
                              "LEVEL_1, LEVEL_2, LEVEL_3, EMERGENCY)");
        QTest::newRow("feature as a list")
            << QByteArray("features:\n  chat: [NORMAL]\n")
            << QStringLiteral("d.yaml:2: features.chat: expected the worst level at which the "
                              "feature stays enabled");
        QTest::newRow("feature name with a space")
            << QByteArray("features:\n  \"web search\": NORMAL\n")
            << QStringLiteral("d.yaml:2: features.web search: feature names are 1-64 letters");
        QTest::newRow("quality above 1")
            << QByteArray("features:\n  sampling:\n    NORMAL: 1.5\n")
            << QStringLiteral("d.yaml:3: features.sampling.NORMAL: expected a quality between 0 "
                              "and 1, got \"1.5\"");
        QTest::newRow("quality not a number")
            << QByteArray("features:\n  sampling: {LEVEL_1: half}\n")
            << QStringLiteral("d.yaml:2: features.sampling.LEVEL_1: expected a quality between 0 "
                              "and 1, got \"half\"");
        QTest::newRow("quality for an unknown level")
            << QByteArray("features:\n  sampling:\n    LEVEL_9: 0.5\n")
            << QStringLiteral("d.yaml:3: features.sampling.LEVEL_9: \"LEVEL_9\" is not a level");
        QTest::newRow("quality rising at a worse level")
            << QByteArray("features:\n  sampling:\n    LEVEL_1: 0.2\n    LEVEL_2: 0.5\n")
            << QStringLiteral("d.yaml:3: features.sampling.LEVEL_2: quality 0.5 is higher than at "
                              "the better level before it (0.2)");
    }

    void errors()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, message);
        const auto c = ConfigLoader::parse(yaml, QStringLiteral("d.yaml"));
        QVERIFY(!c.ok());
        QVERIFY2(c.error().message.startsWith(message), qPrintable(c.error().message));
    }
};

QTEST_GUILESS_MAIN(TstDegradationConfig)
#include "tst_degradationconfig.moc"

#include "health/probemessages.h"
#include "health/readiness.h"

#include <QTest>

using namespace Shivx;

namespace {
ReadinessInputs healthy()
{
    ReadinessInputs in;
    in.storageOk = true;
    in.nowMs = 100'000;
    in.samplerLastMs = 99'500;
    in.probesHeartbeatMs = 99'800;
    in.stallMs = 5000;
    return in;
}

TargetStatus target(TargetState state, bool critical)
{
    TargetStatus t;
    t.name = QStringLiteral("db");
    t.state = state;
    t.critical = critical;
    t.lastError = ProbeMessages::connectionRefused();
    return t;
}
} // namespace

class TstReadiness : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cases_data()
    {
        QTest::addColumn<int>("mutation");
        QTest::addColumn<bool>("ready");
        QTest::addColumn<QString>("failing");
        QTest::newRow("all good -> ready") << 0 << true << QString();
        QTest::newRow("storage not writable") << 1 << false << QStringLiteral("storage");
        QTest::newRow("sampler silent past the stall limit")
            << 2 << false << QStringLiteral("sampler");
        QTest::newRow("sampler never ran") << 3 << false << QStringLiteral("sampler");
        QTest::newRow("critical target down") << 4 << false << QStringLiteral("target:db");
        QTest::newRow("critical target degraded is not up")
            << 5 << false << QStringLiteral("target:db");
        QTest::newRow("non-critical target down -> still ready") << 6 << true << QString();
        QTest::newRow("critical target unknown at start")
            << 7 << false << QStringLiteral("target:db");
        QTest::newRow("critical target up") << 8 << true << QString();
        QTest::newRow("probe thread stalled") << 9 << false << QStringLiteral("probes");
    }
    void cases()
    {
        QFETCH(int, mutation);
        QFETCH(bool, ready);
        QFETCH(QString, failing);
        ReadinessInputs in = healthy();
        switch (mutation) {
        case 1:
            in.storageOk = false;
            break;
        case 2:
            in.samplerLastMs = in.nowMs - 5001;
            break;
        case 3:
            in.samplerLastMs = 0;
            break;
        case 4:
            in.targets = { target(TargetState::Down, true) };
            break;
        case 5:
            in.targets = { target(TargetState::Degraded, true) };
            break;
        case 6:
            in.targets = { target(TargetState::Down, false) };
            break;
        case 7:
            in.targets = { target(TargetState::Unknown, true) };
            break;
        case 8:
            in.targets = { target(TargetState::Up, true) };
            break;
        case 9:
            in.probesHeartbeatMs = in.nowMs - 60'000;
            break;
        default:
            break;
        }
        const Readiness r = evaluateReadiness(in);
        QCOMPARE(r.ready, ready);
        QStringList bad;
        for (const auto &c : r.checks)
            if (!c.ok)
                bad << c.name;
        QCOMPARE(bad, failing.isEmpty() ? QStringList() : QStringList { failing });
    }

    void failingTargetCarriesItsError()
    {
        ReadinessInputs in = healthy();
        in.targets = { target(TargetState::Down, true) };
        const Readiness r = evaluateReadiness(in);
        QVERIFY(r.checks.last().detail.text.contains(QLatin1String("connection refused")));
    }
};

QTEST_GUILESS_MAIN(TstReadiness)
#include "tst_readiness.moc"

// DR plan files: the shipped samples load; each kind of mistake is refused with the file, the
// line and the key; ${NAME} comes from the environment and an unset one is named.
#include "backup/drplan.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;

class TstDrPlan : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString write(const QByteArray &yaml)
    {
        const QString path = m_dir.filePath(QStringLiteral("plan.yaml"));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(path));
        f.write(yaml);
        return path;
    }

private Q_SLOTS:
    void shippedPlansLoad()
    {
        qputenv("DEMO_ROOT", "/srv/demo");
        const auto plans = loadDrPlans(QStringLiteral(SHIVX_SOURCE_DIR "/resources/dr/plans"));
        QVERIFY2(plans, qPrintable(plans ? QString() : plans.error().message));
        QCOMPARE(plans->size(), 3);
        QCOMPARE(plans->at(0).name, QStringLiteral("data-corruption"));
        const DrPlan &db = plans->at(1);
        QCOMPARE(db.name, QStringLiteral("database-failure"));
        QCOMPARE(db.steps.size(), 7);
        QCOMPARE(db.steps.at(1).command.at(2), QStringLiteral("/srv/demo/app/demo.db"));
        QVERIFY(db.steps.at(1).onFailure == DrOnFailure::Continue);
        QVERIFY(db.steps.at(2).onFailure == DrOnFailure::Rollback);
        QCOMPARE(db.steps.at(5).timeoutMs, qint64(60000));
        QCOMPARE(db.steps.at(0).timeoutMs, qint64(30000));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no steps") << QByteArray("description: x\n")
                                  << "steps: expected a list of steps";
        QTest::newRow("unknown action")
            << QByteArray("steps:\n  - {action: reboot}\n")
            << "plan.yaml:2: steps[0].action: \"reboot\" is not an action";
        QTest::newRow("key of another action")
            << QByteArray("steps:\n  - {action: notify, message: hi, target: x}\n")
            << "plan.yaml:2: steps[0].target: unknown key";
        QTest::newRow("missing target") << QByteArray("steps:\n  - {action: stop_target}\n")
                                        << "steps[0].target: required for action stop_target";
        QTest::newRow("bad policy")
            << QByteArray("steps:\n  - {action: release_degradation, on_failure: retry}\n")
            << "steps[0].on_failure: \"retry\" is not abort, continue or rollback";
        QTest::newRow("bad timeout")
            << QByteArray("steps:\n  - {action: release_degradation, timeout: soon}\n")
            << "plan.yaml:2: steps[0].timeout:";
        QTest::newRow("relative restore target")
            << QByteArray("steps:\n  - {action: restore, set: a, to: restored}\n")
            << "restored is not an absolute path";
        QTest::newRow("bad guardian mode")
            << QByteArray("steps:\n  - {action: guardian_mode, mode: PANIC}\n")
            << "steps[0].mode: \"PANIC\" is not NORMAL, ELEVATED or LOCKDOWN";
        QTest::newRow("bad level")
            << QByteArray("steps:\n  - {action: pin_degradation, level: LEVEL_9}\n")
            << "steps[0].level: \"LEVEL_9\" is not a degradation level";
        QTest::newRow("command not a list")
            << QByteArray("steps:\n  - {action: run_command, command: \"rm -rf /\"}\n")
            << "steps[0].command: expected a list of strings";
        QTest::newRow("duplicate step name")
            << QByteArray("steps:\n  - {name: a, action: release_degradation}\n"
                          "  - {name: a, action: release_degradation}\n")
            << "plan.yaml:3: steps[1].name: duplicate step name a";
        QTest::newRow("unset variable")
            << QByteArray("steps:\n  - {action: notify, message: \"${SHIVX_NOT_SET_ANYWHERE}\"}\n")
            << "steps[0].message: ${SHIVX_NOT_SET_ANYWHERE} is not set in the engine's environment";
        QTest::newRow("yaml syntax") << QByteArray("steps: [\n") << "plan.yaml:";
    }
    void errors()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, expected);
        const auto plan = loadDrPlan(write(yaml));
        QVERIFY(!plan);
        QCOMPARE(plan.error().code, QStringLiteral("dr.bad_plan"));
        QVERIFY2(plan.error().message.contains(expected), qPrintable(plan.error().message));
    }
};

QTEST_GUILESS_MAIN(TstDrPlan)
#include "tst_drplan.moc"

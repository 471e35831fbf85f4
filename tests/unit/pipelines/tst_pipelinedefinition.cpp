// Pipeline files: a good one gives its DAG and version; a bad one an error naming the file,
// the line, the key and the stage.
#include "pipelines/pipelinedefinition.h"

#include <QCryptographicHash>
#include <QTest>

using namespace Shivx;

class TstPipelineDefinition : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesEveryKey()
    {
        const QByteArray yaml = "name: ml\n"
                                "description: train and ship\n"
                                "concurrency: 2\n"
                                "max_active_runs: 3\n"
                                "schedule: '*/5 * * * *'\n"
                                "missed: catch_up_once\n"
                                "background: true\n"
                                "external: true\n"
                                "params: {rows: '100'}\n"
                                "retention: {max_runs: 7, max_age: 2d}\n"
                                "stages:\n"
                                "  - name: a\n"
                                "    command: /bin/echo\n"
                                "    args: [x, y]\n"
                                "    env: {K: V}\n"
                                "    cwd: sub\n"
                                "    timeout: 3s\n"
                                "    retries: 2\n"
                                "    backoff: {initial_delay: 10ms, max_delay: 1s, jitter: 0}\n"
                                "    artifacts: true\n"
                                "  - name: b-2\n"
                                "    command: 'true'\n"
                                "    needs: a\n"
                                "    when: always\n";
        const auto p = PipelineParser::parse(yaml, QStringLiteral("/etc/p/ml.yaml"));
        QVERIFY2(p.ok(), p.ok() ? "" : qPrintable(p.error().message));
        QCOMPARE(p->name, QStringLiteral("ml"));
        QCOMPARE(p->concurrency, 2);
        QCOMPARE(p->maxActiveRuns, 3);
        QCOMPARE(p->schedule, QStringLiteral("*/5 * * * *"));
        QVERIFY(p->missed == MissedRunPolicy::CatchUpOnce);
        QVERIFY(p->background);
        QVERIFY(p->external);
        QCOMPARE(p->params.value(QStringLiteral("rows")), QStringLiteral("100"));
        QCOMPARE(p->keepRuns, 7);
        QCOMPARE(p->keepForMs, 2 * 86'400'000LL);
        QCOMPARE(p->stages.size(), 2);
        const StageDefinition &a = p->stages.at(0);
        QCOMPARE(a.args, (QStringList { QStringLiteral("x"), QStringLiteral("y") }));
        QCOMPARE(a.env.value(0).second, QStringLiteral("V"));
        QCOMPARE(a.cwd, QStringLiteral("/etc/p/sub"));
        QCOMPARE(a.timeoutMs, 3000);
        QCOMPARE(a.retries, 2);
        QCOMPARE(a.backoff.maxAttempts, 3);
        QCOMPARE(a.backoff.initialDelayMs, 10);
        QVERIFY(a.artifacts);
        QCOMPARE(a.line, 12);
        QCOMPARE(p->stages.at(1).needs, QStringList { QStringLiteral("a") });
        QCOMPARE(toString(p->stages.at(1).when), toString(StageWhen::Always));
        QCOMPARE(PipelineParser::envName(QStringLiteral("b-2")), QStringLiteral("B_2"));
    }

    void versionIsTheHashOfTheBytes()
    {
        const QByteArray one = "stages: [{name: a, command: 'true'}]\n";
        const QByteArray two = "stages: [{name: a, command: 'false'}]\n";
        const auto a = PipelineParser::parse(one, QStringLiteral("x.yaml"));
        const auto b = PipelineParser::parse(two, QStringLiteral("x.yaml"));
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->name, QStringLiteral("x")); // from the file name
        // sha256 of the bytes, as `sha256sum` prints it
        QCOMPARE(a->version,
            QStringLiteral("%1").arg(QString::fromLatin1(
                QCryptographicHash::hash(one, QCryptographicHash::Sha256).toHex())));
        QVERIFY(a->version != b->version);
        QCOMPARE(a->version.size(), 64);
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("message");
        QTest::newRow("duplicate stage names -> both lines")
            << QByteArray("stages:\n"
                          "  - name: a\n"
                          "    command: 'true'\n"
                          "  - name: a\n"
                          "    command: 'true'\n")
            << "p.yaml:4: stages[1] (a).name: duplicate stage \"a\" (first at line 2)";
        QTest::newRow("unknown dependency -> its line") << QByteArray(
            "stages:\n"
            "  - name: a\n"
            "    command: 'true'\n"
            "    needs:\n"
            "      - nope\n") << "p.yaml:5: stages[0] (a).needs[0]: unknown stage \"nope\"";
        QTest::newRow("cycle -> the stage that closes it")
            << QByteArray("stages:\n"
                          "  - {name: a, command: 'true', needs: [c]}\n"
                          "  - {name: b, command: 'true', needs: [a]}\n"
                          "  - {name: c, command: 'true', needs: [b]}\n")
            << "p.yaml:3: stages[1] (b).needs[0]: dependency cycle: a needs c needs b needs a";
        QTest::newRow("self dependency")
            << QByteArray("stages:\n  - {name: a, command: 'true', needs: [a]}\n")
            << "p.yaml:2: stages[0] (a).needs[0]: stage \"a\" cannot depend on itself";
        QTest::newRow("unknown stage key")
            << QByteArray("stages:\n  - name: a\n    command: 'true'\n    retry: 3\n")
            << "p.yaml:4: stages[0].retry: unknown key (known: args, artifacts, backoff, command, "
               "cwd, env, name, needs, retries, timeout, when)";
        QTest::newRow("bad when")
            << QByteArray("stages:\n  - name: a\n    command: 'true'\n    when: sometimes\n")
            << "p.yaml:4: stages[0] (a).when: expected success, failure or always, got "
               "\"sometimes\"";
        QTest::newRow("no command")
            << QByteArray("stages:\n  - name: a\n")
            << "p.yaml:2: stages[0] (a).command: every stage needs a command";
        QTest::newRow("bad stage name")
            << QByteArray("stages:\n  - name: 'a b'\n    command: 'true'\n")
            << "p.yaml:2: stages[0].name: \"a b\" is not a stage name (1-64 letters, digits, '_' "
               "or '-')";
        QTest::newRow("no stages")
            << QByteArray("name: x\n") << "p.yaml:1: stages: expected a list of at least one stage";
        QTest::newRow("bad timeout")
            << QByteArray("stages:\n  - name: a\n    command: 'true'\n    timeout: soon\n")
            << "p.yaml:4: stages[0] (a).timeout: ";
        QTest::newRow("duplicate key")
            << QByteArray("stages:\n  - name: a\n    command: 'true'\n    command: 'false'\n")
            << "p.yaml:4: stages[0].command: duplicate key (first at line 3)";
        QTest::newRow("reserved pipeline name")
            << QByteArray("name: runs\nstages: [{name: a, command: 'true'}]\n")
            << "p.yaml:1: name: \"runs\" is not a pipeline name";
        QTest::newRow("bad schedule")
            << QByteArray("schedule: '61 * * * *'\nstages: [{name: a, command: 'true'}]\n")
            << "p.yaml:1: schedule: ";
        QTest::newRow("bad missed policy")
            << QByteArray("missed: always\nstages: [{name: a, command: 'true'}]\n")
            << "p.yaml:1: missed: expected skip or catch_up_once, got \"always\"";
        QTest::newRow("yaml syntax") << QByteArray("stages: [\n") << "p.yaml:2: ";
    }

    void refused()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, message);
        const auto p = PipelineParser::parse(yaml, QStringLiteral("p.yaml"));
        QVERIFY(!p.ok());
        QCOMPARE(p.error().code, QStringLiteral("pipeline.invalid"));
        QVERIFY2(p.error().message.startsWith(message), qPrintable(p.error().message));
    }
};

QTEST_GUILESS_MAIN(TstPipelineDefinition)
#include "tst_pipelinedefinition.moc"

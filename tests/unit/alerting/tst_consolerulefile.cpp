// The console's rules file: the rules written in the engine's YAML form read back to the same
// rules, a save adds or replaces by name in console-rules.yml only, restore() puts the previous
// content back (or removes a file the save created), and the console refuses to save where
// alerting.rules is not a directory.
#include "alerting/consolerulefile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;

namespace {

AlertRule parsed(const char *yaml)
{
    auto r = parseAlertRules(
        QByteArray("groups:\n  - name: g\n    rules:\n") + yaml, QStringLiteral("test.yml"));
    if (!r)
        qFatal("%s", qPrintable(r.error().message));
    return r->first();
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TstConsoleRuleFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::newRow("last with labels and templates")
            << QByteArray("      - alert: A\n        series: m{a=\"x\\\"y\",b!~\"t.*\"}\n"
                          "        op: \"<=\"\n        threshold: -1.5\n        for: 90s\n"
                          "        severity: critical\n        labels: { team: \"ops: night\" }\n"
                          "        annotations: { summary: \"{{ $labels.a }} at {{ $value }}\","
                          " description: \"two\\nlines\" }\n");
        QTest::newRow("quantile") << QByteArray(
            "      - alert: Q\n        series: h\n        function: quantile_over_time\n"
            "        quantile: 0.95\n        window: 10m\n        threshold: 2\n");
        QTest::newRow("hours_until with a target")
            << QByteArray("      - alert: H\n        series: d\n        function: hours_until\n"
                          "        target: 100\n        window: 6h\n        op: \"<\"\n"
                          "        threshold: 24\n        for: 30m\n        severity: info\n");
        QTest::newRow("always") << QByteArray(
            "      - alert: W\n        always: true\n        severity: none\n");
    }
    void roundTrip()
    {
        QFETCH(QByteArray, yaml);
        const AlertRule a = parsed(yaml.constData());
        auto back = parseAlertRules(ConsoleRuleFile::toYaml({ a }), QStringLiteral("console"));
        QVERIFY2(back, back ? "" : qPrintable(back.error().message));
        QCOMPARE(back->size(), 1);
        const AlertRule &b = back->first();
        QCOMPARE(b.name, a.name);
        QCOMPARE(b.series.toString(), a.series.toString());
        QCOMPARE(int(b.function), int(a.function));
        QCOMPARE(b.param, a.param);
        QCOMPARE(b.windowMs, a.windowMs);
        QCOMPARE(int(b.op), int(a.op));
        QCOMPARE(b.threshold, a.threshold);
        QCOMPARE(b.forMs, a.forMs);
        QCOMPARE(b.severity, a.severity);
        QCOMPARE(b.labels, a.labels);
        QCOMPARE(b.summary, a.summary);
        QCOMPARE(b.description, a.description);
        QCOMPARE(b.always, a.always);
    }

    void saveAddsReplacesAndRestores()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QLatin1String(ConsoleRuleFile::FileName));
        const AlertRule one
            = parsed("      - alert: One\n        series: m\n        threshold: 1\n");
        auto first = ConsoleRuleFile::save(dir.path(), one);
        QVERIFY(first);
        QVERIFY(!first->existed);
        QCOMPARE(first->path, path);
        const QByteArray afterOne = readAll(path);

        AlertRule two = parsed("      - alert: Two\n        series: m\n        threshold: 2\n");
        auto second = ConsoleRuleFile::save(dir.path(), two);
        QVERIFY(second);
        QVERIFY(second->existed);
        QCOMPARE(second->previous, afterOne);
        two.threshold = 3; // the same name again: replaced, not added
        QVERIFY(ConsoleRuleFile::save(dir.path(), two));
        auto rules = loadAlertRules(path);
        QVERIFY(rules);
        QCOMPARE(rules->size(), 2);
        QCOMPARE(rules->at(1).name, QStringLiteral("Two"));
        QCOMPARE(rules->at(1).threshold, 3.0);

        QVERIFY(ConsoleRuleFile::restore(*second));
        QCOMPARE(readAll(path), afterOne);
        QVERIFY(ConsoleRuleFile::restore(*first));
        QVERIFY(!QFile::exists(path));
    }

    void refusesWhatIsNotADirectory()
    {
        QTemporaryDir dir;
        const AlertRule one
            = parsed("      - alert: One\n        series: m\n        threshold: 1\n");
        auto unset = ConsoleRuleFile::save(QString(), one);
        QVERIFY(!unset);
        QCOMPARE(unset.error().code, QStringLiteral("alerting.rules_not_a_directory"));
        QFile file(dir.filePath(QStringLiteral("rules.yml")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        auto aFile = ConsoleRuleFile::save(file.fileName(), one);
        QVERIFY(!aFile);
        QVERIFY2(
            aFile.error().message.contains(file.fileName()), qPrintable(aFile.error().message));
        // A console file that no longer parses is not overwritten.
        QFile broken(dir.filePath(QLatin1String(ConsoleRuleFile::FileName)));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("groups: [ {name: x, rules: [ {alert: 1bad} ] } ]\n");
        broken.close();
        auto bad = ConsoleRuleFile::save(dir.path(), one);
        QVERIFY(!bad);
        QCOMPARE(bad.error().code, QStringLiteral("alerting.bad_rules"));
        QCOMPARE(readAll(broken.fileName()),
            QByteArray("groups: [ {name: x, rules: [ {alert: 1bad} ] } ]\n"));
    }
};

QTEST_GUILESS_MAIN(TstConsoleRuleFile)
#include "tst_consolerulefile.moc"

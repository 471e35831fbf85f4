// The rules exported for Prometheus pass Prometheus's own tools: `promtool check rules` on the
// whole file, and `promtool test rules` with unit tests for CpuHigh, TargetDown and the
// Watchdog, plus DiskFilling firing hours before the disk is full.
#include "alerting/alertingconfig.h"
#include "alerting/prometheusrules.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;

namespace {

QByteArray promtool(const QStringList &args, const QString &dir, int *code)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStandardPaths::findExecutable(QStringLiteral("promtool")), args);
    if (!p.waitForStarted() || !p.waitForFinished(60000)) {
        *code = -1;
        return "promtool did not run";
    }
    *code = p.exitCode();
    return p.readAll();
}

} // namespace

class TstPrometheusRules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("promtool")).isEmpty(),
            "promtool not found: install Debian's prometheus package");
    }

    void expressions_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("expr");
        QTest::newRow("last") << QByteArray("series: m{a=\"b\"}\n        threshold: 1\n")
                              << "m{a=\"b\"} > 1";
        QTest::newRow("quantile") << QByteArray(
            "series: m\n        function: quantile_over_time\n        quantile: 0.9\n"
            "        window: 10m\n        op: \">=\"\n        threshold: 2.5\n")
                                  << "quantile_over_time(0.9, m[10m]) >= 2.5";
        QTest::newRow("hours_until")
            << QByteArray("series: free\n        function: hours_until\n        window: 6h\n"
                          "        op: \"<\"\n        threshold: 24\n")
            << "((0 - free) / deriv(free[6h]) / 3600 >= 0) < 24";
        QTest::newRow("rate") << QByteArray(
            "series: c_total\n        function: rate\n        window: 90s\n"
            "        threshold: 0\n")
                              << "rate(c_total[90s]) > 0";
    }
    void expressions()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, expr);
        auto r
            = parseAlertRules("groups:\n  - name: g\n    rules:\n      - alert: A\n        " + yaml,
                QStringLiteral("t.yml"));
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(promqlOf(r->first()), expr);
    }

    void defaultsPassPromtoolCheckAndUnitTests()
    {
        auto rules = defaultAlertRules();
        QVERIFY(rules);
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("rules.yml")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(toPrometheusRules(*rules));
        f.close();
        QFile t(dir.filePath(QStringLiteral("tests.yml")));
        QVERIFY(t.open(QIODevice::WriteOnly));
        QFile source(
            QStringLiteral(SHIVX_SOURCE_DIR "/tests/unit/alerting/prometheus-rules-tests.yml"));
        QVERIFY(source.open(QIODevice::ReadOnly));
        t.write(source.readAll());
        t.close();
        int code = 0;
        QByteArray out = promtool(
            { QStringLiteral("check"), QStringLiteral("rules"), f.fileName() }, dir.path(), &code);
        QVERIFY2(code == 0, out.constData());
        QVERIFY2(out.contains("SUCCESS: 10 rules found"), out.constData());
        out = promtool(
            { QStringLiteral("test"), QStringLiteral("rules"), t.fileName() }, dir.path(), &code);
        QVERIFY2(code == 0, out.constData());
    }
};

QTEST_GUILESS_MAIN(TstPrometheusRules)
#include "tst_prometheusrules.moc"

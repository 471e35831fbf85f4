// Alert windows seeded from the stored history at start: a first `shivx serve` scrapes a deep
// queue into its history and stops; a second one on the same data directory, where the queue
// is shallow now, fires `max_over_time` over 10 min at once, because the window holds what
// the first engine stored. Without the seeding the window would hold the shallow queue only.
#include "pythonhttpserver.h"
#include "servefixture.h"

#include "telemetry/historystore.h"

#include <QJsonArray>

using namespace Shivx;

namespace {

QString stateOf(ServeProcess &serve, const QString &name)
{
    const QJsonArray alerts = httpRequest(serve.url().resolved(QUrl(QStringLiteral("/api/alerts"))))
                                  .json.value(QStringLiteral("alerts"))
                                  .toArray();
    for (const QJsonValue &v : alerts)
        if (v.toObject().value(QStringLiteral("alert")).toString() == name)
            return v.toObject().value(QStringLiteral("state")).toString();
    return QString();
}

} // namespace

class TestAlertSeedServe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void secondEngineJudgesTheWindowTheFirstStored()
    {
        QTemporaryDir dir;
        const QString www = dir.filePath(QStringLiteral("www"));
        QVERIFY(QDir().mkpath(www));
        const QString fixture = www + QStringLiteral("/metrics.txt");
        QVERIFY(PythonHttpServer::writeFile(fixture, "queue_depth 500\n"));
        PythonHttpServer python;
        QVERIFY(python.start(www));
        QVERIFY(PythonHttpServer::writeFile(dir.filePath(QStringLiteral("rules.yml")),
            "groups:\n"
            "  - name: seeded\n"
            "    rules:\n"
            "      - alert: WasDeep\n"
            "        series: queue_depth{target=\"fx\"}\n"
            "        function: max_over_time\n"
            "        window: 10m\n"
            "        op: \">\"\n"
            "        threshold: 100\n"));
        // The first engine does not alert at all, so that its alert store holds nothing the
        // second one could restore: only the history carries the deep queue over.
        const QString config = QStringLiteral("alerting:\n"
                                              "  enabled: %3\n"
                                              "  default_rules: false\n"
                                              "  rules: %1/rules.yml\n"
                                              "  interval: 1s\n"
                                              "targets:\n"
                                              "  - {name: fx, type: prometheus, url: \"%2\", "
                                              "interval: 300ms, timeout: 300ms}\n")
                                   .arg(dir.path(), python.url(QStringLiteral("metrics.txt")));
        ServeProcess serve(config.arg(QStringLiteral("false")));
        QVERIFY2(serve.start(), (serve.output() + serve.errors()).constData());
        auto store = HistoryStore::open(
            serve.dataDir() + QStringLiteral("/shivx.db"), QStringLiteral("tst_alertseed_serve"));
        QVERIFY(store);
        const auto lastStored = [&] {
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            auto q = (*store)->query(
                QStringLiteral(R"(queue_depth{target="fx"})"), now - 60'000, now, Resolution::Raw);
            return q && !q->points.isEmpty() ? q->points.last().avg : -1.0;
        };
        QTRY_COMPARE_WITH_TIMEOUT(lastStored(), 500.0, 15000);
        // Shallow now, and stored so: every value the second engine scrapes is 5.
        QVERIFY(PythonHttpServer::writeFile(fixture, "queue_depth 5\n"));
        QTRY_COMPARE_WITH_TIMEOUT(lastStored(), 5.0, 15000);
        QCOMPARE(serve.terminate(), 0);
        store->reset();

        // The second engine alerts: the rule's 10 min window holds the 500 the first one stored.
        {
            QFile f(serve.configPath());
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(config.arg(QStringLiteral("true")).toUtf8());
        }
        QVERIFY2(serve.start(), (serve.output() + serve.errors()).constData());
        QTRY_COMPARE_WITH_TIMEOUT(
            stateOf(serve, QStringLiteral("WasDeep")), QStringLiteral("firing"), 5000);
        QCOMPARE(serve.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TestAlertSeedServe)
#include "tst_alertseed_serve.moc"

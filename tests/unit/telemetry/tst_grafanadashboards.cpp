// The Grafana dashboards in resources/grafana/: valid JSON with the fields Grafana needs
// (uid, title, panels with a position and Prometheus targets), and every PromQL expression
// accepted by Prometheus's own parser (`promtool check rules`, each expression wrapped in a
// rule).
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class TstGrafanaDashboards : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void dashboardsAreValidAndTheirQueriesParse()
    {
        const QDir dir(QStringLiteral(SHIVX_SOURCE_DIR "/resources/grafana"));
        const QStringList files
            = dir.entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name);
        QCOMPARE(files,
            (QStringList {
                "overview.json", "pipelines-workflows.json", "resilience-recovery.json" }));
        QSet<QString> uids;
        QByteArray rules = "groups:\n  - name: dashboards\n    rules:\n";
        int exprs = 0;
        for (const QString &name : files) {
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::ReadOnly));
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
            QVERIFY2(error.error == QJsonParseError::NoError,
                qPrintable(name + QLatin1String(": ") + error.errorString()));
            const QJsonObject d = doc.object();
            const QString uid = d.value(QStringLiteral("uid")).toString();
            QVERIFY2(!uid.isEmpty() && !uids.contains(uid), qPrintable(name));
            uids.insert(uid);
            QVERIFY(!d.value(QStringLiteral("title")).toString().isEmpty());
            QVERIFY(d.value(QStringLiteral("schemaVersion")).toInt() >= 30);
            const QJsonArray panels = d.value(QStringLiteral("panels")).toArray();
            QVERIFY2(panels.size() >= 8, qPrintable(name));
            QSet<int> ids;
            for (const QJsonValue &pv : panels) {
                const QJsonObject p = pv.toObject();
                const QString where
                    = name + QLatin1Char(':') + p.value(QStringLiteral("title")).toString();
                const int id = p.value(QStringLiteral("id")).toInt();
                QVERIFY2(id > 0 && !ids.contains(id), qPrintable(where));
                ids.insert(id);
                const QJsonObject pos = p.value(QStringLiteral("gridPos")).toObject();
                QVERIFY2(pos.value(QStringLiteral("w")).toInt() > 0
                        && pos.value(QStringLiteral("h")).toInt() > 0
                        && pos.value(QStringLiteral("x")).toInt()
                                + pos.value(QStringLiteral("w")).toInt()
                            <= 24,
                    qPrintable(where));
                const QJsonArray targets = p.value(QStringLiteral("targets")).toArray();
                QVERIFY2(!targets.isEmpty(), qPrintable(where));
                for (const QJsonValue &tv : targets) {
                    const QString expr = tv.toObject().value(QStringLiteral("expr")).toString();
                    QVERIFY2(!expr.isEmpty(), qPrintable(where));
                    QVERIFY2(expr.contains(QLatin1String("shivx_")), qPrintable(where));
                    // A JSON string is a YAML double-quoted scalar.
                    rules += "      - record: dashboard:expr" + QByteArray::number(++exprs)
                        + "\n        expr: "
                        + QJsonDocument(QJsonArray { expr })
                              .toJson(QJsonDocument::Compact)
                              .mid(1)
                              .chopped(1)
                        + "\n";
                }
            }
        }
        QTemporaryDir tmp;
        QFile r(tmp.filePath(QStringLiteral("dashboards.yml")));
        QVERIFY(r.open(QIODevice::WriteOnly));
        r.write(rules);
        r.close();
        const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
        QVERIFY2(!promtool.isEmpty(), "promtool not found: install Debian's prometheus package");
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(promtool, { QStringLiteral("check"), QStringLiteral("rules"), r.fileName() });
        QVERIFY(p.waitForFinished(60000));
        const QByteArray out = p.readAll();
        QVERIFY2(p.exitCode() == 0, out.constData());
        QVERIFY2(out.contains("SUCCESS: " + QByteArray::number(exprs) + " rules found"),
            out.constData());
    }
};

QTEST_GUILESS_MAIN(TstGrafanaDashboards)
#include "tst_grafanadashboards.moc"

// `shivx serve --log-format json` against the real binary: every line on stderr is one JSON
// object with the Elastic Common Schema fields Filebeat and Vector read without a parser
// (@timestamp in UTC with milliseconds, log.level, message, log.logger, process.pid,
// service.name), from the engine's start to its shutdown; a format it does not know is a
// usage error naming the value.
#include "servefixture.h"

#include <QDateTime>
#include <QJsonArray>

class TstJsonLogServe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyLineIsEcsJson()
    {
        ServeProcess serve;
        QVERIFY(serve.start({ QStringLiteral("--log-format"), QStringLiteral("json") }));
        const qint64 pid = serve.process().processId();
        QCOMPARE(serve.terminate(), 0);
        const QList<QByteArray> lines = serve.errors().split('\n');
        QList<QJsonObject> objects;
        for (const QByteArray &l : lines) {
            if (l.isEmpty())
                continue;
            QJsonParseError e;
            const QJsonDocument d = QJsonDocument::fromJson(l, &e);
            QVERIFY2(e.error == QJsonParseError::NoError && d.isObject(), l.constData());
            objects.append(d.object());
        }
        QVERIFY(objects.size() >= 2);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        bool started = false;
        for (const QJsonObject &o : objects) {
            const QString ts = o.value(QStringLiteral("@timestamp")).toString();
            QVERIFY2(
                ts.endsWith(QLatin1Char('Z')) && ts.contains(QLatin1Char('.')), qPrintable(ts));
            const QDateTime t = QDateTime::fromString(ts, Qt::ISODateWithMs);
            QVERIFY(t.isValid());
            QVERIFY(qAbs(t.toMSecsSinceEpoch() - now) < 120'000);
            QVERIFY(QStringList({ "debug", "info", "warn", "error", "critical" })
                        .contains(o.value(QStringLiteral("log.level")).toString()));
            QVERIFY(!o.value(QStringLiteral("log.logger")).toString().isEmpty());
            QCOMPARE(o.value(QStringLiteral("process.pid")).toInteger(), pid);
            QCOMPARE(o.value(QStringLiteral("service.name")).toString(), QStringLiteral("shivx"));
            QVERIFY(o.contains(QStringLiteral("ecs.version")));
            const QString message = o.value(QStringLiteral("message")).toString();
            if (message.startsWith(QLatin1String("engine started"))) {
                started = true;
                QCOMPARE(o.value(QStringLiteral("log.level")).toString(), QStringLiteral("info"));
                QCOMPARE(o.value(QStringLiteral("log.logger")).toString(),
                    QStringLiteral("shivx.core.engine"));
                QCOMPARE(o.value(QStringLiteral("process.thread.name")).toString(),
                    QStringLiteral("main"));
            }
        }
        QVERIFY2(started, lines.join('\n').constData());
        // What the operator reads on stdout is unchanged.
        QVERIFY(serve.output().contains("stopped cleanly"));
    }

    void unknownFormatIsAUsageError()
    {
        QTemporaryDir dir;
        const CliRun r = runCli({ QStringLiteral("serve"), QStringLiteral("--data-dir"), dir.path(),
            QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
            QStringLiteral("--log-format"), QStringLiteral("xml") });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(
            r.err.contains("--log-format: expected text or json (got \"xml\")"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TstJsonLogServe)
#include "tst_jsonlog_serve.moc"

// Notifiers against a local HTTP receiver on loopback: a Slack-compatible webhook with its
// resolution, PagerDuty Events v2 bodies, retries with backoff through the circuit breaker,
// grouping and repeat, and secrets (from a file or the environment) that never reach the
// audit events or the log.
#include "alerting/alertnotifier.h"
#include "audit/auditsink.h"
#include "core/clock.h"
#include "httpreceiver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;

namespace {

class CapturingAudit : public AuditSink
{
public:
    void record(AuditEvent e) override { events.append(e); }
    QList<AuditEvent> events;
};

QStringList g_log;
QMutex g_logLock;
void captureLog(QtMsgType, const QMessageLogContext &, const QString &msg)
{
    QMutexLocker l(&g_logLock);
    g_log << msg;
}

AlertInstance alert(const char *rule, const char *target, AlertState state)
{
    AlertInstance a;
    a.rule = QLatin1String(rule);
    a.severity = QStringLiteral("critical");
    a.labels = { { QStringLiteral("alertname"), a.rule },
        { QStringLiteral("target"), QLatin1String(target) },
        { QStringLiteral("severity"), a.severity } };
    a.fingerprint = a.rule + QLatin1Char('-') + QLatin1String(target);
    a.state = state;
    a.activeSinceMs = 1'700'000'000'000;
    a.firedAtMs = a.activeSinceMs;
    a.summary = QStringLiteral("Target %1 is down").arg(QLatin1String(target));
    a.value = 1;
    return a;
}

AlertingSnapshot firing(const QList<AlertInstance> &alerts)
{
    AlertingSnapshot s;
    s.alerts = alerts;
    return s;
}

} // namespace

class TstAlertNotifier : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        QMutexLocker l(&g_logLock);
        g_log.clear();
    }

    void webhookGetsFiringThenResolvedAndTheSecretStaysHidden()
    {
        HttpReceiver receiver;
        QTemporaryDir dir;
        const QByteArray secretPath = "/hooks/T0SECRET/B1SECRET";
        QFile f(dir.filePath(QStringLiteral("slack-url")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("http://127.0.0.1:" + QByteArray::number(receiver.port()) + secretPath + "\n");
        f.close();
        NotifierConfig c;
        c.name = QStringLiteral("ops");
        c.secretFile = f.fileName();
        c.groupWaitMs = 0;
        c.retry.initialDelayMs = 10;
        auto secret = resolveSecret(c);
        QVERIFY(secret);
        CapturingAudit audit;
        qInstallMessageHandler(captureLog);
        AlertNotifier n(c, *secret, nullptr, &audit);
        n.start();
        // One failure first: retried with backoff, then delivered.
        receiver.statuses = { 503 };
        const AlertInstance down = alert("TargetDown", "web", AlertState::Firing);
        n.onSnapshot(firing({ down }));
        QTRY_COMPARE_WITH_TIMEOUT(receiver.requests.size(), 2, 10000);
        QCOMPARE(receiver.requests.at(1).path, secretPath);
        QCOMPARE(receiver.requests.at(1).method, QByteArray("POST"));
        QJsonObject body = QJsonDocument::fromJson(receiver.requests.at(1).body).object();
        QVERIFY2(body.value(QStringLiteral("text")).toString().startsWith(QLatin1String("FIRING")),
            receiver.requests.at(1).body.constData());
        QCOMPARE(body.value(QStringLiteral("attachments")).toArray().size(), 1);
        QCOMPARE(body.value(QStringLiteral("attachments"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("color"))
                     .toString(),
            QStringLiteral("danger"));
        QTRY_COMPARE(n.sent(), quint64(1));

        // Still firing: nothing more until the repeat interval.
        n.onSnapshot(firing({ down }));
        QTest::qWait(300);
        QCOMPARE(receiver.requests.size(), 2);

        AlertInstance resolved = down;
        resolved.state = AlertState::Resolved;
        resolved.resolvedAtMs = down.firedAtMs + 60'000;
        n.onTransitions({ { resolved, QStringLiteral("firing") } });
        n.onSnapshot(firing({}));
        QTRY_COMPARE_WITH_TIMEOUT(receiver.requests.size(), 3, 10000);
        body = QJsonDocument::fromJson(receiver.requests.at(2).body).object();
        QVERIFY(
            body.value(QStringLiteral("text")).toString().startsWith(QLatin1String("RESOLVED")));
        QCOMPARE(body.value(QStringLiteral("status")).toString(), QStringLiteral("resolved"));
        qInstallMessageHandler(nullptr);

        // The secret is in no audit event and no log line; the failure was logged by name.
        bool loggedFailure = false;
        for (const QString &line : std::as_const(g_log)) {
            QVERIFY2(!line.contains(QLatin1String("SECRET")), qPrintable(line));
            loggedFailure = loggedFailure
                || line.contains(QLatin1String("notifier ops attempt 1 failed: HTTP 503"));
        }
        QVERIFY(loggedFailure);
        QVERIFY(!audit.events.isEmpty());
        for (const AuditEvent &e : std::as_const(audit.events))
            QVERIFY(!QJsonDocument(e.data).toJson().contains("SECRET"));
        QCOMPARE(audit.events.first().action, QStringLiteral("alert.notified"));
    }

    void pagerDutyEventsFromAnEnvironmentKey()
    {
        HttpReceiver receiver;
        qputenv("SHIVX_TEST_PD_KEY", "R0UTINGKEYSECRET");
        NotifierConfig c;
        c.name = QStringLiteral("pd");
        c.type = NotifierType::PagerDuty;
        c.url = QStringLiteral("http://127.0.0.1:%1/v2/enqueue").arg(receiver.port());
        c.secretEnv = QStringLiteral("SHIVX_TEST_PD_KEY");
        c.groupWaitMs = 0;
        auto secret = resolveSecret(c);
        QVERIFY(secret);
        CapturingAudit audit;
        AlertNotifier n(c, *secret, nullptr, &audit);
        n.start();
        n.onSnapshot(firing({ alert("TargetDown", "web", AlertState::Firing),
            alert("TargetDown", "db", AlertState::Firing) }));
        QTRY_COMPARE_WITH_TIMEOUT(receiver.requests.size(), 2, 10000);
        for (const ReceivedRequest &r : std::as_const(receiver.requests)) {
            QCOMPARE(r.path, QByteArray("/v2/enqueue"));
            const QJsonObject e = QJsonDocument::fromJson(r.body).object();
            QCOMPARE(e.value(QStringLiteral("routing_key")).toString(),
                QStringLiteral("R0UTINGKEYSECRET"));
            QCOMPARE(e.value(QStringLiteral("event_action")).toString(), QStringLiteral("trigger"));
            QVERIFY(e.value(QStringLiteral("dedup_key"))
                        .toString()
                        .startsWith(QLatin1String("TargetDown-")));
            const QJsonObject p = e.value(QStringLiteral("payload")).toObject();
            QCOMPARE(p.value(QStringLiteral("severity")).toString(), QStringLiteral("critical"));
            QVERIFY(
                p.value(QStringLiteral("summary")).toString().startsWith(QLatin1String("Target ")));
            QVERIFY(!p.value(QStringLiteral("source")).toString().isEmpty());
        }
        for (const AuditEvent &e : std::as_const(audit.events))
            QVERIFY(!QJsonDocument(e.data).toJson().contains("R0UTINGKEY"));
        qunsetenv("SHIVX_TEST_PD_KEY");
        NotifierConfig missing = c;
        auto err = resolveSecret(missing);
        QVERIFY(!err);
        QVERIFY2(err.error().message.contains(QLatin1String("SHIVX_TEST_PD_KEY is not set")),
            qPrintable(err.error().message));
    }

    void breakerOpensAfterRepeatedFailuresAndGroupStaysDue()
    {
        HttpReceiver receiver;
        receiver.statuses = { 500, 500, 500, 500, 500, 500 };
        NotifierConfig c;
        c.name = QStringLiteral("flaky");
        c.groupWaitMs = 0;
        c.retry.maxAttempts = 2;
        c.retry.initialDelayMs = 10;
        c.breaker.failureThreshold = 3;
        c.breaker.recoveryTimeoutMs = 600'000;
        AlertNotifier n(
            c, QStringLiteral("http://127.0.0.1:%1/h").arg(receiver.port()), nullptr, nullptr);
        n.start();
        n.onSnapshot(firing({ alert("TargetDown", "web", AlertState::Firing) }));
        // Two deliveries of two attempts each fail; the third failure opens the breaker, and
        // from then on nothing reaches the receiver.
        QTRY_VERIFY_WITH_TIMEOUT(n.breaker().state == BreakerState::Open, 10000);
        QTest::qWait(500);
        QCOMPARE(receiver.requests.size(), 3);
        QVERIFY(n.failed() >= 2);
        QCOMPARE(n.sent(), quint64(0));
    }

    void groupsByLabels()
    {
        HttpReceiver receiver;
        NotifierConfig c;
        c.name = QStringLiteral("grouped");
        c.groupWaitMs = 0;
        c.groupBy = { QStringLiteral("alertname") };
        AlertNotifier n(
            c, QStringLiteral("http://127.0.0.1:%1/h").arg(receiver.port()), nullptr, nullptr);
        n.start();
        n.onSnapshot(firing({ alert("TargetDown", "web", AlertState::Firing),
            alert("TargetDown", "db", AlertState::Firing),
            alert("BreakerOpen", "web", AlertState::Firing) }));
        QTRY_COMPARE_WITH_TIMEOUT(receiver.requests.size(), 2, 10000);
        QTest::qWait(300);
        QCOMPARE(receiver.requests.size(), 2);
        int alerts = 0;
        for (const ReceivedRequest &r : std::as_const(receiver.requests))
            alerts += QJsonDocument::fromJson(r.body)
                          .object()
                          .value(QStringLiteral("alerts"))
                          .toArray()
                          .size();
        QCOMPARE(alerts, 3);
    }
};

QTEST_GUILESS_MAIN(TstAlertNotifier)
#include "tst_alertnotifier.moc"

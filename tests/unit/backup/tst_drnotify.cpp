// A DR plan's `notify` step delivered through the alerting module's notifiers: an in-process
// engine with a webhook notifier pointing at a real HTTP receiver on a loopback port runs a
// plan whose notify step must arrive there as a DrNotify alert carrying the message, the plan
// and the run; without alerting notifiers the step still succeeds, audited only.
#include "backup/backupservice.h"
#include "backup/repository.h"
#include "core/engine.h"
#include "testengine.h"

#include "../alerting/httpreceiver.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;

namespace {

const QByteArray Passphrase = "dr notify passphrase";

void writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    QCOMPARE(f.write(content), content.size());
}

} // namespace

class TstDrNotify : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const QString &rel) const { return m_dir.filePath(rel); }

    // Starts an engine with `alerting` (YAML lines) and runs plan "tell"; returns the run.
    DrRun runPlan(const QString &data, const QString &alerting)
    {
        auto engine = ShivxTest::startEngine(path(data),
            QStringLiteral("sampler: {interval: 1s}\n"
                           "backup:\n"
                           "  repository: %1/repo\n"
                           "  password_file: %1/pw\n"
                           "  dr_plans: %1/plans\n"
                           "  sets:\n"
                           "    app: {paths: [%1/src]}\n")
                    .arg(m_dir.path())
                    .toUtf8()
                + alerting.toUtf8(),
            ShivxTest::Api::Off);
        if (!engine)
            return {};
        BackupService *service = engine->service<BackupService>();
        const auto run
            = service->activateDr(QStringLiteral("tell"), false, QStringLiteral("test:drnotify"));
        if (!run)
            qWarning("activate: %s", qPrintable(run.error().toString()));
        DrRun last;
        QElapsedTimer t;
        t.start();
        while (run && t.elapsed() < 20'000) {
            const QList<DrRun> runs = service->drRuns();
            if (!runs.isEmpty() && runs.first().id == run->id && runs.first().finished()) {
                last = runs.first();
                break;
            }
            QTest::qWait(20);
        }
        // Let the notifier deliver before the engine stops.
        m_keep = std::move(engine);
        return last;
    }
    std::unique_ptr<Engine> m_keep;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        writeFile(path(QStringLiteral("pw")), Passphrase + '\n');
        writeFile(path(QStringLiteral("src/a.txt")), "a\n");
        writeFile(path(QStringLiteral("plans/tell.yaml")),
            "steps:\n"
            "  - {name: tell-team, action: notify, message: database restored on db-7}\n");
        Backup::Repository::InitOptions options;
        options.scrypt.n = 1u << 10; // a quick key derivation: this test is not about scrypt
        const auto repo = Backup::Repository::init(path(QStringLiteral("repo")),
            Backup::Credential {
                Backup::Credential::Kind::Passphrase, Passphrase, QStringLiteral("test") },
            options);
        QVERIFY2(repo, qPrintable(repo ? QString() : repo.error().toString()));
    }

    void cleanup() { m_keep.reset(); }

    void notifyReachesTheWebhookNotifier()
    {
        HttpReceiver receiver;
        writeFile(path(QStringLiteral("hook-url")),
            QStringLiteral("http://127.0.0.1:%1/hook\n").arg(receiver.port()).toUtf8());
        const DrRun run = runPlan(QStringLiteral("data-hook"),
            QStringLiteral("alerting:\n"
                           "  default_rules: false\n"
                           "  notifiers:\n"
                           "    - {name: hook, type: webhook, url_file: %1/hook-url, "
                           "group_wait: 0s}\n")
                .arg(m_dir.path()));
        QCOMPARE(run.state, QStringLiteral("succeeded"));
        QVERIFY2(run.steps.first().message.text.contains(QLatin1String("DrNotify")),
            qPrintable(run.steps.first().message.text));
        // The receiver sees the Watchdog too: look for the DR alert among the requests.
        const auto delivered = [&receiver]() -> QByteArray {
            for (const ReceivedRequest &r : receiver.requests)
                if (r.body.contains("database restored on db-7"))
                    return r.body;
            return {};
        };
        QTRY_VERIFY_WITH_TIMEOUT(!delivered().isEmpty(), 15'000);
        const QByteArray body = delivered();
        QVERIFY2(body.contains("DrNotify"), body.constData());
        QVERIFY2(body.contains("\"plan\":\"tell\""), body.constData());
        QVERIFY2(
            body.contains(QStringLiteral("\"run\":\"%1\"").arg(run.id).toUtf8()), body.constData());
    }

    void withoutAlertingTheAuditEntryIsTheNotification()
    {
        const DrRun run
            = runPlan(QStringLiteral("data-off"), QStringLiteral("alerting: {enabled: false}\n"));
        QCOMPARE(run.state, QStringLiteral("succeeded"));
        QVERIFY2(run.steps.first().message.text.contains(QLatin1String("audit chain only")),
            qPrintable(run.steps.first().message.text));
    }
};

QTEST_GUILESS_MAIN(TstDrNotify)
#include "tst_drnotify.moc"

// The guardian's controller on a real SQLite database in a temporary directory: repeats
// aggregate into one row, the security stream gets the events and every mode change, the
// policies isolate, raise the mode and run a real command (no shell) with the source and the
// duration as arguments, isolations end on time, and mode and isolations survive a restart.
#include "core/clock.h"
#include "guardian/detectors/logwatcher.h"
#include "guardian/guardianapiguard.h"
#include "guardian/guardiancontroller.h"
#include "guardian/threatstore.h"
#include "guardiancompare.h"
#include "health/hostsample.h"
#include "recordingauditsink.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;

namespace {

ThreatEvent threat(const char *type, ThreatSeverity s, const char *source, const char *evidence)
{
    return ThreatEvent { QLatin1String(type), s, QLatin1String(source), QLatin1String(evidence), 0,
        0 };
}

GuardianConfig quietConfig()
{
    GuardianConfig c;
    c.mode.elevateWarnings = 1000;
    c.mode.lockdownOnCritical = false;
    c.mode.elevateScore = 0;
    c.mode.lockdownScore = 0;
    c.api.ignore.clear();
    return c;
}

} // namespace

class TstGuardianController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<GuardianSnapshot>();
        qRegisterMetaType<ThreatRecord>();
        qRegisterMetaType<DefenseMode>();
        qRegisterMetaType<Message>();
    }

    void repeatsAggregateIntoOneRow()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("shivx.db"));
        ManualClock clock;
        RecordingAuditSink audit;
        GuardianConfig config = quietConfig();
        config.aggregateWindowMs = 60'000;
        GuardianController c(config, db, &clock, &audit, nullptr);
        c.start();
        QSignalSpy recorded(&c, &GuardianController::threatRecorded);
        for (int i = 0; i < 50; ++i) {
            c.raise(threat("sshd.auth_failure", ThreatSeverity::Warning, "203.0.113.9",
                qPrintable(QStringLiteral("attempt %1").arg(i))));
            clock.advanceMs(1000);
        }
        c.raise(threat("sshd.auth_failure", ThreatSeverity::Critical, "203.0.113.9", "burst"));
        c.raise(threat("sshd.auth_failure", ThreatSeverity::Warning, "198.51.100.1", "other"));
        c.raise(threat("api.request_rate", ThreatSeverity::Warning, "203.0.113.9", "rate"));
        QCOMPARE(recorded.size(), 53);

        auto rows = ThreatStore::query(db, {});
        QVERIFY2(rows, qPrintable(rows.ok() ? QString() : rows.error().toString()));
        QCOMPARE(rows->size(), 3);
        const ThreatRecord &ssh = rows->at(2); // oldest row last
        QCOMPARE(ssh.source, QStringLiteral("203.0.113.9"));
        QCOMPARE(ssh.count, 51);
        QCOMPARE(toString(ssh.severity), toString(ThreatSeverity::Critical));
        QCOMPARE(ssh.evidence, QStringLiteral("burst"));
        QCOMPARE(ssh.lastMs - ssh.firstMs, 50'000);

        // On the chain: each new row, and the row whose severity rose; not every repeat.
        QCOMPARE(audit.count(QStringLiteral("guardian.threat")), 4);
        for (const AuditEvent &e : audit.withAction(QStringLiteral("guardian.threat")))
            QCOMPARE(e.stream, QStringLiteral("security"));

        // Past the aggregation window, a repeat opens a new row.
        clock.advanceMs(61'000);
        c.raise(threat("api.request_rate", ThreatSeverity::Warning, "203.0.113.9", "again"));
        rows = ThreatStore::query(db, {});
        QCOMPARE(rows->size(), 4);

        // Filters.
        ThreatFilter f;
        f.type = QStringLiteral("sshd.auth_failure");
        QCOMPARE(ThreatStore::query(db, f)->size(), 2);
        f.minSeverity = ThreatSeverity::Critical;
        QCOMPARE(ThreatStore::query(db, f)->size(), 1);
        ThreatFilter bySource;
        bySource.source = QStringLiteral("198.51.100.1");
        QCOMPARE(ThreatStore::query(db, bySource)->size(), 1);
        ThreatFilter recent;
        recent.sinceMs = clock.nowMs() - 1000;
        QCOMPARE(ThreatStore::query(db, recent)->size(), 1);
        ThreatFilter paged;
        paged.limit = 2;
        const auto first = ThreatStore::query(db, paged);
        QCOMPARE(first->size(), 2);
        paged.beforeId = first->last().id;
        QCOMPARE(ThreatStore::query(db, paged)->size(), 2);
        c.stop();
    }

    void modeChangesAreAuditedStoredAndRestored()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("shivx.db"));
        ManualClock clock;
        RecordingAuditSink audit;
        GuardianConfig config;
        config.mode.quietMs = 600'000;
        {
            auto guard = std::make_shared<GuardianApiGuard>(config.api, &clock, nullptr);
            GuardianController c(config, db, &clock, &audit, guard);
            c.start();
            QSignalSpy modes(&c, &GuardianController::modeChanged);
            c.raise(threat("api.token_failures", ThreatSeverity::Critical, "192.0.2.4", "10"));
            QCOMPARE(modes.size(), 1);
            QCOMPARE(
                toString(modes.at(0).at(0).value<DefenseMode>()), toString(DefenseMode::Lockdown));
            QCOMPARE(toString(c.snapshotPtr()->mode), toString(DefenseMode::Lockdown));
            // The guard follows the mode.
            QCOMPARE(
                guard->admit(QHostAddress(QStringLiteral("192.0.2.4")), QStringLiteral("/x")).code,
                QStringLiteral("guardian.lockdown"));
            const auto changes = audit.withAction(QStringLiteral("guardian.mode_changed"));
            QCOMPARE(changes.size(), 1);
            QCOMPARE(changes.at(0).stream, QStringLiteral("security"));
            QCOMPARE(changes.at(0).data.value(QStringLiteral("to")).toString(),
                QStringLiteral("LOCKDOWN"));
            QCOMPARE(changes.at(0).data.value(QStringLiteral("code")).toString(),
                QStringLiteral("guardian.mode.critical"));

            const auto r = c.setMode(
                DefenseMode::Elevated, QStringLiteral("contained"), QStringLiteral("cli:alice"));
            QVERIFY(r);
            QCOMPARE(toString(r->mode), toString(DefenseMode::Elevated));
            QCOMPARE(toString(r->floor), toString(DefenseMode::Elevated));
            QCOMPARE(audit.withAction(QStringLiteral("guardian.mode_changed")).last().actor,
                QStringLiteral("cli:alice"));
            QCOMPARE(c.setMode(DefenseMode::Normal, QStringLiteral("  "), QStringLiteral("api"))
                         .error()
                         .code,
                QStringLiteral("guardian.bad_reason"));
            c.stop();
        }
        // A restart: the operator's mode and its reason come back.
        GuardianController again(config, db, &clock, &audit, nullptr);
        again.start();
        const auto s = again.snapshotPtr();
        QCOMPARE(toString(s->mode), toString(DefenseMode::Elevated));
        QCOMPARE(toString(s->floor), toString(DefenseMode::Elevated));
        QCOMPARE(s->actor, QStringLiteral("cli:alice"));
        QCOMPARE(s->reason.code, QStringLiteral("guardian.mode.operator"));
        QCOMPARE(s->reason.args.value(1).toString(), QStringLiteral("contained"));
        again.stop();
    }

    void quietTickStepsDownAndIsAudited()
    {
        QTemporaryDir dir;
        ManualClock clock;
        RecordingAuditSink audit;
        GuardianConfig config;
        config.mode.quietMs = 60'000;
        GuardianController c(config, dir.filePath(QStringLiteral("db")), &clock, &audit, nullptr);
        c.start();
        c.raise(threat("x", ThreatSeverity::Critical, "192.0.2.1", "e"));
        QCOMPARE(toString(c.snapshotPtr()->mode), toString(DefenseMode::Lockdown));
        clock.advanceMs(60'000);
        c.tick();
        QCOMPARE(toString(c.snapshotPtr()->mode), toString(DefenseMode::Elevated));
        clock.advanceMs(60'000);
        c.tick();
        QCOMPARE(toString(c.snapshotPtr()->mode), toString(DefenseMode::Normal));
        QCOMPARE(c.snapshotPtr()->modeChanges, 3);
        QCOMPARE(audit.count(QStringLiteral("guardian.mode_changed")), 3);
        c.stop();
    }

    void isolationsEndOnTimeAndSurviveARestart()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("shivx.db"));
        ManualClock clock;
        RecordingAuditSink audit;
        const GuardianConfig config = quietConfig();
        {
            GuardianController c(config, db, &clock, &audit, nullptr);
            c.start();
            QCOMPARE(c.isolate(QStringLiteral("example.org"), 60'000, QStringLiteral("r"),
                          QStringLiteral("api"))
                         .error()
                         .code,
                QStringLiteral("guardian.bad_source"));
            QCOMPARE(c.isolate(QStringLiteral("192.0.2.1"), 10, QStringLiteral("r"),
                          QStringLiteral("api"))
                         .error()
                         .code,
                QStringLiteral("guardian.bad_duration"));
            QVERIFY(c.isolate(QStringLiteral("::ffff:192.0.2.1"), 60'000, QStringLiteral("scan"),
                QStringLiteral("cli:alice")));
            QVERIFY(c.isolate(QStringLiteral("192.0.2.2"), 600'000, QStringLiteral("scan"),
                QStringLiteral("cli:alice")));
            QVERIFY(c.isolate(QStringLiteral("192.0.2.3"), 600'000, QStringLiteral("scan"),
                QStringLiteral("cli:alice")));
            const auto s = c.snapshotPtr();
            QCOMPARE(s->isolations.size(), 3);
            QCOMPARE(s->isolations.at(0).source, QStringLiteral("192.0.2.1")); // soonest first
            QVERIFY(c.release(QStringLiteral("192.0.2.3"), QStringLiteral("cli:alice")));
            QCOMPARE(
                c.release(QStringLiteral("192.0.2.3"), QStringLiteral("cli:alice")).error().code,
                QStringLiteral("guardian.not_isolated"));
            c.stop();
        }
        clock.advanceMs(60'000);
        GuardianController c(config, db, &clock, &audit, nullptr);
        c.start();
        // 192.0.2.1 ended while the engine was down; 192.0.2.2 is still isolated.
        QCOMPARE(c.snapshotPtr()->isolations.size(), 1);
        QCOMPARE(c.snapshotPtr()->isolations.at(0).source, QStringLiteral("192.0.2.2"));
        clock.advanceMs(540'000);
        c.tick();
        QVERIFY(c.snapshotPtr()->isolations.isEmpty());
        QCOMPARE(audit.count(QStringLiteral("guardian.isolated")), 3);
        QCOMPARE(audit.count(QStringLiteral("guardian.released")), 2);
        c.stop();
    }

    void policyIsolatesRaisesAndRunsTheCommand()
    {
        QTemporaryDir dir;
        // A real program: writes each argument on its own line.
        const QString script = dir.filePath(QStringLiteral("ban.sh"));
        const QString out = dir.filePath(QStringLiteral("argv.txt"));
        {
            QFile f(script);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(
                "#!/bin/sh\nfor a in \"$0\" \"$@\"; do printf '%s\\n' \"$a\"; done > \"$OUT\"\n");
        }
        QFile::setPermissions(script, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        qputenv("OUT", out.toLocal8Bit());

        ManualClock clock;
        RecordingAuditSink audit;
        GuardianConfig config = quietConfig();
        GuardianPolicy p;
        p.type = QStringLiteral("api.token_failures");
        p.minSeverity = ThreatSeverity::Critical;
        p.isolateMs = 600'000;
        p.raiseMode = DefenseMode::Elevated;
        p.command = { script, QStringLiteral("--set"), QStringLiteral("banned; rm -rf /") };
        config.policies.append(p);
        auto guard = std::make_shared<GuardianApiGuard>(config.api, &clock, nullptr);
        GuardianController c(config, dir.filePath(QStringLiteral("db")), &clock, &audit, guard);
        c.start();
        QSignalSpy finished(&c, &GuardianController::commandFinished);

        // A warning does not match the critical-only policy.
        c.raise(threat("api.token_failures", ThreatSeverity::Warning, "192.0.2.50", "5"));
        QVERIFY(c.snapshotPtr()->isolations.isEmpty());
        QCOMPARE(toString(c.snapshotPtr()->mode), toString(DefenseMode::Normal));

        c.raise(threat("api.token_failures", ThreatSeverity::Critical, "192.0.2.50", "10"));
        const auto s = c.snapshotPtr();
        QCOMPARE(toString(s->mode), toString(DefenseMode::Elevated));
        QCOMPARE(s->reason.code, QStringLiteral("guardian.mode.policy"));
        QCOMPARE(s->isolations.size(), 1);
        QCOMPARE(s->isolations.at(0).source, QStringLiteral("192.0.2.50"));
        QCOMPARE(s->isolations.at(0).untilMs - s->isolations.at(0).sinceMs, 600'000);
        QCOMPARE(
            guard->admit(QHostAddress(QStringLiteral("192.0.2.50")), QStringLiteral("/")).status,
            403);

        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10'000);
        QCOMPARE(finished.at(0).at(1).toInt(), 0);
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QStringList argv = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
        QCOMPARE(argv.mid(1, 4),
            (QStringList { QStringLiteral("--set"), QStringLiteral("banned; rm -rf /"),
                QStringLiteral("192.0.2.50"), QStringLiteral("600") }));
        QCOMPARE(audit.withAction(QStringLiteral("guardian.command_ran"))
                     .at(0)
                     .data.value(QStringLiteral("exit_code"))
                     .toInt(),
            0);

        // Already isolated: a repeat neither isolates again nor runs the command again.
        c.raise(threat("api.token_failures", ThreatSeverity::Critical, "192.0.2.50", "20"));
        QTest::qWait(200);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(audit.count(QStringLiteral("guardian.isolated")), 1);
        QCOMPARE(c.snapshotPtr()->commandsRun, 1);
        c.stop();
    }

    void ignoredSourcesAreNeverIsolatedByPolicy()
    {
        QTemporaryDir dir;
        ManualClock clock;
        GuardianConfig config = quietConfig();
        config.api.ignore = { QStringLiteral("10.0.0.0/8") };
        GuardianPolicy p;
        p.type = QStringLiteral("*");
        p.isolateMs = 60'000;
        config.policies.append(p);
        GuardianController c(config, dir.filePath(QStringLiteral("db")), &clock, nullptr, nullptr);
        c.start();
        c.raise(threat("api.request_rate", ThreatSeverity::Warning, "10.1.2.3", "e"));
        c.raise(threat("sshd.auth_failure", ThreatSeverity::Warning, "root", "not an address"));
        QVERIFY(c.snapshotPtr()->isolations.isEmpty());
        c.raise(threat("api.request_rate", ThreatSeverity::Warning, "11.1.2.3", "e"));
        QCOMPARE(c.snapshotPtr()->isolations.size(), 1);
        c.stop();
    }

    void failingCommandIsCountedAndAudited()
    {
        QTemporaryDir dir;
        ManualClock clock;
        RecordingAuditSink audit;
        GuardianConfig config = quietConfig();
        GuardianPolicy p;
        p.type = QStringLiteral("*");
        p.command = { dir.filePath(QStringLiteral("missing")) };
        config.policies.append(p);
        GuardianController c(config, dir.filePath(QStringLiteral("db")), &clock, &audit, nullptr);
        c.start();
        QSignalSpy finished(&c, &GuardianController::commandFinished);
        c.raise(threat("x", ThreatSeverity::Warning, "192.0.2.1", "e"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10'000);
        QCOMPARE(finished.at(0).at(1).toInt(), -1);
        QCOMPARE(c.snapshotPtr()->commandsFailed, 1);
        QCOMPARE(audit.count(QStringLiteral("guardian.command_ran")), 1);
        c.stop();
    }

    void unopenableStoreStillGuards()
    {
        QTemporaryDir dir;
        const QString notADb = dir.filePath(QStringLiteral("text"));
        QFile f(notADb);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
        ManualClock clock;
        RecordingAuditSink audit;
        GuardianController c(GuardianConfig(), notADb, &clock, &audit, nullptr);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral(".*text.*")));
        c.start();
        QCOMPARE(audit.count(QStringLiteral("guardian.storage_failed")), 1);
        c.raise(threat("x", ThreatSeverity::Critical, "192.0.2.1", "e"));
        QCOMPARE(toString(c.snapshotPtr()->mode), toString(DefenseMode::Lockdown));
        c.stop();
    }

    // A watcher's hit is an event like any other (policies, the row) with the watcher's
    // severity; action isolate isolates an address that is not on the ignore list.
    void watcherHitsRaiseAndIsolate()
    {
        QTemporaryDir dir;
        ManualClock clock;
        RecordingAuditSink audit;
        GuardianConfig config = quietConfig();
        config.api.ignore = { QStringLiteral("10.0.0.0/8") };
        WatcherConfig sshd;
        sshd.name = QStringLiteral("sshd");
        sshd.file = QStringLiteral("/var/log/auth.log");
        sshd.action = QStringLiteral("isolate");
        sshd.severity = QStringLiteral("critical");
        sshd.isolateMs = 120'000;
        config.watchers = { sshd };
        GuardianPolicy raise;
        raise.type = QStringLiteral("watcher.sshd");
        raise.minSeverity = ThreatSeverity::Critical;
        raise.raiseMode = DefenseMode::Elevated;
        config.policies = { raise };
        const QString db = dir.filePath(QStringLiteral("shivx.db"));
        GuardianController c(config, db, &clock, &audit, nullptr);
        c.start();
        for (int i = 0; i < 3; ++i)
            c.watcherMatched(QStringLiteral("sshd"), QStringLiteral("203.0.113.5"));
        WatcherHit hit { QStringLiteral("sshd"), QStringLiteral("203.0.113.5"),
            QStringLiteral("isolate"), 3, 600'000, clock.nowMs(),
            { QByteArray("Failed password for root from 203.0.113.5 port 22 ssh2") } };
        c.watcherHit(hit);
        const auto rows = ThreatStore::query(db, {});
        QVERIFY(rows);
        QCOMPARE(rows->size(), 1);
        QCOMPARE(rows->first().type, QStringLiteral("watcher.sshd"));
        QCOMPARE(toString(rows->first().severity), QStringLiteral("critical"));
        QCOMPARE(rows->first().evidence,
            QStringLiteral("3 matches within 10m in /var/log/auth.log, the last: Failed password "
                           "for root from 203.0.113.5 port 22 ssh2"));
        QCOMPARE(rows->first().score, 15); // three matched lines: the watchers feature in full
        const GuardianSnapshot s = *c.snapshotPtr();
        QCOMPARE(toString(s.mode), toString(DefenseMode::Elevated));
        QCOMPARE(s.isolations.size(), 1);
        QCOMPARE(s.isolations.first().source, QStringLiteral("203.0.113.5"));
        QCOMPARE(s.isolations.first().untilMs - s.isolations.first().sinceMs, 120'000);
        // On the ignore list, or not an address: the event, but no isolation.
        c.watcherHit({ QStringLiteral("sshd"), QStringLiteral("10.1.2.3"),
            QStringLiteral("isolate"), 3, 600'000, clock.nowMs(), {} });
        c.watcherHit({ QStringLiteral("sshd"), QStringLiteral("mallory"), QStringLiteral("isolate"),
            3, 600'000, clock.nowMs(), {} });
        QCOMPARE(ThreatStore::query(db, {})->size(), 3);
        QCOMPARE(c.snapshotPtr()->isolations.size(), 1);
        // A hit of a watcher the configuration does not name is dropped.
        c.watcherHit({ QStringLiteral("gone"), QStringLiteral("203.0.113.6"),
            QStringLiteral("notify"), 3, 600'000, clock.nowMs(), {} });
        QCOMPARE(ThreatStore::query(db, {})->size(), 3);
        c.stop();
    }

    // Sustained memory above the limit: one resource.memory warning naming the top processes
    // from the real /proc, not one per sample.
    void resourceAbuseRaisesOncePerEpisode()
    {
        QTemporaryDir dir;
        ManualClock clock;
        RecordingAuditSink audit;
        GuardianConfig config = quietConfig();
        config.resourceAbuse.memoryPercent = 90;
        config.resourceAbuse.sustainMs = 10'000;
        config.resourceAbuse.topProcesses = 3;
        const QString db = dir.filePath(QStringLiteral("shivx.db"));
        GuardianController c(config, db, &clock, &audit, nullptr);
        c.start();
        HostSample sample;
        sample.memUsedPercent = 97;
        for (int i = 0; i < 5; ++i) {
            sample.timestampMs = clock.nowMs();
            c.hostSampled(sample);
            clock.advanceMs(5000);
        }
        const auto rows = ThreatStore::query(db, {});
        QVERIFY(rows);
        QCOMPARE(rows->size(), 1);
        const ThreatRecord &r = rows->first();
        QCOMPARE(r.type, QStringLiteral("resource.memory"));
        QCOMPARE(r.count, 1);
        QVERIFY2(r.evidence.startsWith(QLatin1String("memory at 97% for 10s (limit 90%); top: ")),
            qPrintable(r.evidence));
        QVERIFY2(r.evidence.contains(QLatin1String(" MiB")), qPrintable(r.evidence));
        QVERIFY(!r.source.isEmpty());
        c.stop();
    }

    // The API guard's signals (answered requests, failed token checks) reach the score that
    // an event carries and that assess() explains.
    void apiSignalsScoreTheSource()
    {
        QTemporaryDir dir;
        ManualClock clock;
        RecordingAuditSink audit;
        const GuardianConfig config = quietConfig();
        auto guard = std::make_shared<GuardianApiGuard>(config.api, &clock, nullptr);
        const QString db = dir.filePath(QStringLiteral("shivx.db"));
        GuardianController c(config, db, &clock, &audit, guard);
        c.start();
        const QHostAddress scanner(QStringLiteral("198.51.100.7"));
        for (int i = 0; i < 100; ++i)
            guard->answered(scanner, QStringLiteral("/probe/%1").arg(i), 404);
        for (int i = 0; i < 10; ++i)
            guard->tokenRejected(scanner, QStringLiteral("/api/guardian/mode"));
        guard->answered(QHostAddress(QStringLiteral("198.51.100.8")), QStringLiteral("/"), 200);
        const QList<ThreatAssessment> a
            = c.assess({ QStringLiteral("198.51.100.7"), QStringLiteral("198.51.100.8") });
        QCOMPARE(a.size(), 2);
        QCOMPARE(a.at(0).pointsOf(QStringLiteral("rate")), 30.0); // 100 against the floor of 10
        QCOMPARE(a.at(0).pointsOf(QStringLiteral("auth_failures")), 25.0);
        QCOMPARE(a.at(0).pointsOf(QStringLiteral("distinct_paths")), 15.0);
        QCOMPARE(a.at(0).pointsOf(QStringLiteral("error_ratio")), 15.0);
        QCOMPARE(a.at(0).score, 85.0);
        QCOMPARE(a.at(1).score, 0.0);
        c.raise(
            threat("api.token_failures", ThreatSeverity::Critical, "198.51.100.7", "10 failed"));
        const auto rows = ThreatStore::query(db, {});
        QVERIFY(rows);
        QCOMPARE(rows->first().score, 85);
        // The audit record names the features that added points.
        bool found = false;
        for (const auto &e : audit.events())
            if (e.action == QLatin1String("guardian.threat"))
                found = e.data.value(QStringLiteral("score_features"))
                            .toObject()
                            .value(QStringLiteral("auth_failures"))
                            .toDouble()
                    == 25.0;
        QVERIFY(found);
        c.stop();
    }
};

QTEST_GUILESS_MAIN(TstGuardianController)
#include "tst_guardiancontroller.moc"

// The default BackupOverdue alert for a set that never had a backup: an in-process engine on a
// manual clock with the default rules, a scheduled set whose backups cannot succeed (its path
// does not exist) and a manual-only set. 27 hours later BackupOverdue fires for the scheduled
// set, measured from when the engine's database first knew it, and not for the manual one.
// A restart does not reset that time.
#include "alerting/alertingservice.h"
#include "backup/backupservice.h"
#include "backup/repository.h"
#include "core/clock.h"
#include "core/engine.h"
#include "testengine.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;

namespace {

const QByteArray Passphrase = "overdue passphrase";
constexpr qint64 Hour = 3'600'000;

void writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    QCOMPARE(f.write(content), content.size());
}

// The firing BackupOverdue alerts' `set` labels.
QStringList overdueSets(Engine *engine)
{
    QStringList sets;
    for (const AlertInstance &a : engine->service<AlertingService>()->snapshot().alerts)
        if (a.rule == QLatin1String("BackupOverdue") && a.state == AlertState::Firing)
            sets << a.labels.value(QStringLiteral("set"));
    return sets;
}

} // namespace

class TstBackupOverdue : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    ManualClock m_clock { QDateTime::currentMSecsSinceEpoch() };

    std::unique_ptr<Engine> start()
    {
        auto options = ShivxTest::engineOptions(m_dir.filePath(QStringLiteral("data")),
            QStringLiteral("sampler: {interval: 200ms}\n"
                           "alerting: {interval: 1s}\n"
                           "backup:\n"
                           "  repository: %1/repo\n"
                           "  password_file: %1/pw\n"
                           "  sets:\n"
                           "    nightly: {paths: [%1/missing], schedule: '0 3 * * *'}\n"
                           "    manual: {paths: [%1/missing]}\n")
                .arg(m_dir.path())
                .toUtf8(),
            ShivxTest::Api::Off);
        options.clock = &m_clock;
        auto engine = std::make_unique<Engine>(options);
        const auto started = engine->start();
        if (!started) {
            qWarning("start: %s", qPrintable(started.error().toString()));
            return nullptr;
        }
        return engine;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        writeFile(m_dir.filePath(QStringLiteral("pw")), Passphrase + '\n');
        Backup::Repository::InitOptions options;
        options.scrypt.n = 1u << 10; // a quick key derivation: this test is not about scrypt
        const auto repo = Backup::Repository::init(m_dir.filePath(QStringLiteral("repo")),
            Backup::Credential {
                Backup::Credential::Kind::Passphrase, Passphrase, QStringLiteral("test") },
            options);
        QVERIFY2(repo, qPrintable(repo ? QString() : repo.error().toString()));
    }

    void firesForAScheduledSetThatNeverHadABackup()
    {
        auto engine = start();
        QVERIFY(engine);
        BackupService *backup = engine->service<BackupService>();
        QTRY_COMPARE(backup->state().sets.size(), 2);
        const qint64 known = backup->state().sets.first().knownSinceMs;
        QVERIFY(known > 0);
        QCOMPARE(backup->state().sets.first().lastSuccessMs, 0);
        // Young: nothing is overdue.
        QTest::qWait(1000);
        QVERIFY(overdueSets(engine.get()).isEmpty());

        // A restart 20 hours later keeps the time the set was first known.
        engine.reset();
        m_clock.advanceMs(20 * Hour);
        engine = start();
        QVERIFY(engine);
        backup = engine->service<BackupService>();
        QTRY_COMPARE(backup->state().sets.size(), 2);
        QCOMPARE(backup->state().sets.first().knownSinceMs, known);

        // 27 hours after the set was configured: its first nightly backup never came.
        m_clock.advanceMs(7 * Hour);
        QTRY_COMPARE_WITH_TIMEOUT(overdueSets(engine.get()), QStringList { "nightly" }, 15'000);
    }
};

QTEST_GUILESS_MAIN(TstBackupOverdue)
#include "tst_backupoverdue.moc"

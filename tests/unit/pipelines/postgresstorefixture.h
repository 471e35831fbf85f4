#pragma once

// What the PostgreSQL job store's tests share: a store on the test's server, and records to
// write (tst_postgresjobstore: one store and its connection; tst_postgresengines: several
// engines sharing one database).
#include "pipelines/postgresjobstore.h"
#include "postgresserver.h"

#include <QDebug>
#include <QSqlDatabase>

#include <memory>

namespace PostgresStoreFixture {

using namespace Shivx;

// Why these tests cannot run here (what to install), or empty.
inline QString skipReason()
{
    if (ShivxTest::PostgresServer::binDir().isEmpty())
        return ShivxTest::PostgresServer::skipMessage();
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
        return QStringLiteral("Qt's QPSQL driver is not installed: installer/install-deps.sh "
                              "--test installs libqt6sql6-psql");
    return {};
}

inline std::unique_ptr<PostgresJobStore> openStore(
    ShivxTest::PostgresServer &server, const QString &name)
{
    auto where = PostgresLocation::parse(server.url());
    if (!where) {
        qWarning() << where.error().message;
        return nullptr;
    }
    auto s = PostgresJobStore::open(*where, name);
    if (!s)
        qWarning() << s.error().message;
    return s ? std::move(*s) : nullptr;
}

inline RunRecord newRun(const QString &pipeline, qint64 createdMs)
{
    RunRecord r;
    r.pipeline = pipeline;
    r.version = QStringLiteral("abc");
    r.file = QStringLiteral("p.yaml");
    static const char bytes[] = "stages:\n  - name: a\n\x01\xff"; // bytes, not text
    r.definition = QByteArray(bytes, sizeof bytes - 1);
    r.params = { { QStringLiteral("k"), QStringLiteral("v'\"") } };
    r.trigger = QStringLiteral("manual");
    r.actor = QStringLiteral("cli:test");
    r.createdMs = createdMs;
    return r;
}

inline AttemptRecord attempt(
    qint64 run, const QString &stage, int n, const QString &owner, qint64 leaseUntil)
{
    AttemptRecord a;
    a.runId = run;
    a.stage = stage;
    a.attempt = n;
    a.leaseOwner = owner;
    a.leaseUntilMs = leaseUntil;
    a.stdoutPath = QStringLiteral("o");
    a.stderrPath = QStringLiteral("e");
    a.statusPath = QStringLiteral("s");
    return a;
}

inline StageRecord running(qint64 run, const QString &stage, int attempts)
{
    StageRecord s;
    s.runId = run;
    s.stage = stage;
    s.state = StageState::Running;
    s.attempts = attempts;
    return s;
}

} // namespace PostgresStoreFixture

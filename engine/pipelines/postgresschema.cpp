// The PostgreSQL job store's location (pipelines.store) and schema steps.

#include "pipelines/jobstorerows.h"
#include "pipelines/postgresjobstore.h"

#include <QDateTime>
#include <QSqlError>
#include <QUrl>
#include <QUrlQuery>

namespace Shivx {

using namespace Internal;

namespace {

Error urlError(const QString &what)
{
    return makeError("pipeline.store_url", what);
}

struct Step
{
    int step;
    const char *name;
    QStringList statements;
};

// Never edit a step that has shipped; add one. The columns mirror the SQLite store's
// (PipelinesModule::migrations(), docs/storage.md) so that both share jobstorerows.
QList<Step> steps()
{
    return {
        { 1, "pipeline job store",
            {
                QStringLiteral("CREATE TABLE pipeline_run ("
                               " id BIGSERIAL PRIMARY KEY,"
                               " pipeline TEXT NOT NULL, version TEXT NOT NULL,"
                               " file TEXT NOT NULL, definition BYTEA NOT NULL,"
                               " params TEXT NOT NULL, state TEXT NOT NULL,"
                               " triggered_by TEXT NOT NULL, actor TEXT NOT NULL,"
                               " created_ms BIGINT NOT NULL,"
                               " started_ms BIGINT NOT NULL DEFAULT 0,"
                               " finished_ms BIGINT NOT NULL DEFAULT 0,"
                               " error TEXT NOT NULL DEFAULT '',"
                               " failed_stage TEXT NOT NULL DEFAULT '')"),
                QStringLiteral(
                    "CREATE INDEX pipeline_run_by_pipeline ON pipeline_run (pipeline, id)"),
                QStringLiteral("CREATE INDEX pipeline_run_by_state ON pipeline_run (state)"),
                QStringLiteral(
                    "CREATE TABLE pipeline_stage ("
                    " run_id BIGINT NOT NULL REFERENCES pipeline_run(id) ON DELETE CASCADE,"
                    " stage TEXT NOT NULL, state TEXT NOT NULL,"
                    " attempts INTEGER NOT NULL DEFAULT 0,"
                    " failures INTEGER NOT NULL DEFAULT 0,"
                    " next_attempt_ms BIGINT NOT NULL DEFAULT 0,"
                    " PRIMARY KEY (run_id, stage))"),
                QStringLiteral(
                    "CREATE TABLE pipeline_attempt ("
                    " id BIGSERIAL PRIMARY KEY,"
                    " run_id BIGINT NOT NULL REFERENCES pipeline_run(id) ON DELETE CASCADE,"
                    " stage TEXT NOT NULL, attempt INTEGER NOT NULL, state TEXT NOT NULL,"
                    " lease_owner TEXT NOT NULL, lease_until_ms BIGINT NOT NULL,"
                    " pid BIGINT NOT NULL DEFAULT 0, pgid BIGINT NOT NULL DEFAULT 0,"
                    " start_ticks BIGINT NOT NULL DEFAULT 0, boot_id TEXT NOT NULL DEFAULT '',"
                    " started_ms BIGINT NOT NULL DEFAULT 0,"
                    " finished_ms BIGINT NOT NULL DEFAULT 0,"
                    " schedule_delay_us BIGINT NOT NULL DEFAULT -1,"
                    " slot_wait_us BIGINT NOT NULL DEFAULT -1,"
                    " exit_code INTEGER NOT NULL DEFAULT 0, signal INTEGER NOT NULL DEFAULT 0,"
                    " error TEXT NOT NULL DEFAULT '',"
                    " stdout_path TEXT NOT NULL, stderr_path TEXT NOT NULL,"
                    " status_path TEXT NOT NULL, artifacts_dir TEXT NOT NULL DEFAULT '',"
                    " UNIQUE (run_id, stage, attempt))"),
                QStringLiteral("CREATE INDEX pipeline_attempt_running ON pipeline_attempt (state)"
                               " WHERE state = 'running'"),
                QStringLiteral(
                    "CREATE TABLE pipeline_artifact ("
                    " run_id BIGINT NOT NULL REFERENCES pipeline_run(id) ON DELETE CASCADE,"
                    " stage TEXT NOT NULL, path TEXT NOT NULL,"
                    " sha256 TEXT NOT NULL, size BIGINT NOT NULL,"
                    " PRIMARY KEY (run_id, stage, path))"),
                QStringLiteral("CREATE TABLE pipeline_schedule ("
                               " pipeline TEXT PRIMARY KEY, last_fired_ms BIGINT NOT NULL)"),
            } },
        // A transaction that changes runs or stages, or starts an attempt, notifies the other
        // engines at its commit (PostgreSQL folds a transaction's notifications into one), so
        // they look at once instead of at their next poll. Lease renewals do not notify.
        { 2, "change notifications",
            {
                QStringLiteral("CREATE FUNCTION shivx_pipelines_changed() RETURNS trigger"
                               " LANGUAGE plpgsql AS $$ BEGIN"
                               " PERFORM pg_notify('shivx_pipelines', '');"
                               " RETURN NULL; END $$"),
                QStringLiteral("CREATE TRIGGER pipeline_run_changed AFTER INSERT OR UPDATE OR"
                               " DELETE ON pipeline_run FOR EACH STATEMENT"
                               " EXECUTE FUNCTION shivx_pipelines_changed()"),
                QStringLiteral("CREATE TRIGGER pipeline_stage_changed AFTER INSERT OR UPDATE OR"
                               " DELETE ON pipeline_stage FOR EACH STATEMENT"
                               " EXECUTE FUNCTION shivx_pipelines_changed()"),
                QStringLiteral("CREATE TRIGGER pipeline_attempt_started AFTER INSERT ON"
                               " pipeline_attempt FOR EACH STATEMENT"
                               " EXECUTE FUNCTION shivx_pipelines_changed()"),
            } },
    };
}

} // namespace

Result<PostgresLocation> PostgresLocation::parse(const QString &url)
{
    const QUrl u(url, QUrl::StrictMode);
    if (!u.isValid())
        return urlError(QStringLiteral("not a URL: %1").arg(u.errorString()));
    if (u.scheme() != QLatin1String("postgresql") && u.scheme() != QLatin1String("postgres"))
        return urlError(
            QStringLiteral("the scheme must be postgresql://, not \"%1\"").arg(u.scheme()));
    PostgresLocation loc;
    loc.user = u.userName();
    loc.password = u.password();
    loc.host = u.host();
    loc.port = u.port(5432);
    loc.database = u.path().mid(1);
    if (loc.database.isEmpty() || loc.database.contains(QLatin1Char('/')))
        return urlError(
            QStringLiteral("no database name: expected postgresql://USER@HOST/DATABASE"));
    const QUrlQuery query(u);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (key == QLatin1String("host")) {
            if (!loc.host.isEmpty())
                return urlError(QStringLiteral("the host is given twice (%1 and ?host=%2)")
                                    .arg(loc.host, value));
            loc.host = value;
        } else if (key == QLatin1String("port")) {
            bool ok = false;
            loc.port = value.toInt(&ok);
            if (!ok || loc.port < 1 || loc.port > 65535)
                return urlError(QStringLiteral("port \"%1\" is not a port number").arg(value));
        } else {
            return urlError(QStringLiteral("unknown parameter \"%1\" (host, port)").arg(key));
        }
    }
    if (loc.host.isEmpty())
        return urlError(QStringLiteral(
            "no host: give one (postgresql://USER@HOST/DB) or a socket folder (?host=/run/...)"));
    if (!loc.host.startsWith(QLatin1Char('/')) && loc.host.contains(QLatin1Char('/')))
        return urlError(QStringLiteral("socket folder \"%1\" is not absolute").arg(loc.host));
    return loc;
}

Result<void> PostgresJobStore::migrate()
{
    // One transaction under an advisory lock: engines that start together apply each step
    // once, and a step that fails leaves the schema as it was.
    if (!m_db.transaction())
        return makeError("pipeline.store",
            QStringLiteral("job store: begin migration: %1").arg(m_db.lastError().text()));
    QSqlQuery q(m_db);
    auto fail = [&](const QString &what) {
        const Error e = makeError(
            "pipeline.store", QStringLiteral("job store: %1: %2").arg(what, q.lastError().text()));
        m_db.rollback();
        return e;
    };
    // IF NOT EXISTS notices would go to the engine's log at every start.
    if (!q.exec(QStringLiteral("SET client_min_messages TO warning"))
        || !q.exec(QStringLiteral("SELECT pg_advisory_xact_lock(7281930466)"))
        || !q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS pipeline_schema_version ("
                                  " step INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                                  " applied_ms BIGINT NOT NULL)"))
        || !q.exec(QStringLiteral("SELECT COALESCE(MAX(step), 0) FROM pipeline_schema_version"))
        || !q.next())
        return fail(QStringLiteral("read schema version"));
    const int have = q.value(0).toInt();
    const QList<Step> all = steps();
    if (have > all.last().step) {
        m_db.rollback();
        return makeError("pipeline.store",
            QStringLiteral("job store: its schema is at step %1, newer than this engine's %2; "
                           "update the engine")
                .arg(have)
                .arg(all.last().step));
    }
    for (const Step &s : all) {
        if (s.step <= have)
            continue;
        for (const QString &sql : s.statements)
            if (!q.exec(sql))
                return fail(QStringLiteral("schema step %1 (%2)").arg(s.step).arg(s.name));
        q.prepare(QStringLiteral(
            "INSERT INTO pipeline_schema_version (step, name, applied_ms) VALUES (?, ?, ?)"));
        q.addBindValue(s.step);
        q.addBindValue(QString::fromLatin1(s.name));
        q.addBindValue(QDateTime::currentMSecsSinceEpoch());
        if (!q.exec())
            return fail(QStringLiteral("record schema step %1").arg(s.step));
    }
    if (!m_db.commit())
        return fail(QStringLiteral("commit migration"));
    return {};
}

Result<QList<int>> PostgresJobStore::schemaSteps()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT step FROM pipeline_schema_version ORDER BY step")))
        return storeError(q, "read schema version");
    QList<int> list;
    while (q.next())
        list.append(q.value(0).toInt());
    return list;
}

} // namespace Shivx

#include "guardian/threatstore.h"

#include "core/messagejson.h"
#include "storage/database.h"

#include <QAtomicInteger>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace Shivx {

namespace {

QString openKey(const QString &source, const QString &type)
{
    return source + QLatin1Char('\n') + type;
}

ThreatRecord readRow(const QSqlQuery &q)
{
    ThreatRecord r;
    r.id = q.value(0).toLongLong();
    r.type = q.value(1).toString();
    r.severity = ThreatSeverity(qBound(0, q.value(2).toInt(), 2));
    r.source = q.value(3).toString();
    r.evidence = q.value(4).toString();
    r.score = q.value(5).toInt();
    r.count = q.value(6).toLongLong();
    r.firstMs = q.value(7).toLongLong();
    r.lastMs = q.value(8).toLongLong();
    return r;
}

const char *const Columns = "id, type, severity, source, evidence, score, count, first_ts, last_ts";

QString messageText(const Message &m)
{
    return QString::fromUtf8(QJsonDocument(messageToJson(m)).toJson(QJsonDocument::Compact));
}

} // namespace

ThreatStore::~ThreatStore()
{
    m_db = QSqlDatabase();
    if (!m_connection.isEmpty())
        Database::close(m_connection);
}

Error ThreatStore::sqlError(const QSqlQuery &q, const char *what) const
{
    return makeError("guardian.storage",
        QStringLiteral("%1: %2: %3").arg(m_path, QLatin1String(what), q.lastError().text()));
}

Result<std::unique_ptr<ThreatStore>> ThreatStore::open(
    const QString &dbPath, const QString &connectionName)
{
    auto db = Database::open(dbPath, connectionName);
    if (!db)
        return db.error();
    std::unique_ptr<ThreatStore> s(new ThreatStore);
    s->m_path = dbPath;
    s->m_connection = connectionName;
    s->m_db = *db;
    return s;
}

Result<ThreatStore::Recorded> ThreatStore::record(const ThreatEvent &e, qint64 aggregateWindowMs)
{
    const QString key = openKey(e.source, e.type);
    auto it = m_open.find(key);
    if (it == m_open.end()) {
        // After a restart the cache is empty: the row may still be in the window.
        QSqlQuery find(m_db);
        find.prepare(QStringLiteral("SELECT id, last_ts, severity FROM guardian_threat"
                                    " WHERE source = ? AND type = ? ORDER BY id DESC LIMIT 1"));
        find.addBindValue(e.source);
        find.addBindValue(e.type);
        if (!find.exec())
            return sqlError(find, "finding the threat row");
        if (find.next())
            it = m_open.insert(key,
                { find.value(0).toLongLong(), find.value(1).toLongLong(),
                    ThreatSeverity(qBound(0, find.value(2).toInt(), 2)) });
    }
    Recorded out;
    QSqlQuery q(m_db);
    if (it != m_open.end() && it->lastMs >= e.tsMs - aggregateWindowMs) {
        q.prepare(QStringLiteral("UPDATE guardian_threat SET count = count + 1,"
                                 " last_ts = MAX(last_ts, ?), severity = MAX(severity, ?),"
                                 " score = MAX(score, ?), evidence = ? WHERE id = ?"
                                 " RETURNING %1")
                      .arg(QLatin1String(Columns)));
        q.addBindValue(e.tsMs);
        q.addBindValue(int(e.severity));
        q.addBindValue(e.score);
        q.addBindValue(e.evidence);
        q.addBindValue(it->id);
        if (!q.exec() || !q.next())
            return sqlError(q, "counting a threat event");
        out.record = readRow(q);
        out.severityRaised = out.record.severity > it->severity;
    } else {
        q.prepare(QStringLiteral("INSERT INTO guardian_threat (type, severity, source, evidence,"
                                 " score, count, first_ts, last_ts) VALUES (?, ?, ?, ?, ?, 1, ?, ?)"
                                 " RETURNING %1")
                      .arg(QLatin1String(Columns)));
        q.addBindValue(e.type);
        q.addBindValue(int(e.severity));
        q.addBindValue(e.source);
        q.addBindValue(e.evidence);
        q.addBindValue(e.score);
        q.addBindValue(e.tsMs);
        q.addBindValue(e.tsMs);
        if (!q.exec() || !q.next())
            return sqlError(q, "storing a threat event");
        out.record = readRow(q);
        out.newRow = true;
    }
    q.finish();
    m_open.insert(key, { out.record.id, out.record.lastMs, out.record.severity });
    return out;
}

Result<void> ThreatStore::deleteOlderThan(qint64 lastSeenBeforeMs)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM guardian_threat WHERE last_ts < ?"));
    q.addBindValue(lastSeenBeforeMs);
    if (!q.exec())
        return sqlError(q, "deleting old threat rows");
    for (auto it = m_open.begin(); it != m_open.end();)
        it = it->lastMs < lastSeenBeforeMs ? m_open.erase(it) : std::next(it);
    return {};
}

Result<void> ThreatStore::saveMode(const StoredMode &m)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO guardian_state (id, mode, floor, reason,"
                             " actor, changed_ts) VALUES (1, ?, ?, ?, ?, ?)"));
    q.addBindValue(toString(m.mode));
    q.addBindValue(toString(m.floor));
    q.addBindValue(messageText(m.reason));
    q.addBindValue(m.actor);
    q.addBindValue(m.changedMs);
    if (!q.exec())
        return sqlError(q, "storing the defense mode");
    return {};
}

Result<std::optional<ThreatStore::StoredMode>> ThreatStore::loadMode()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral(
            "SELECT mode, floor, reason, actor, changed_ts FROM guardian_state WHERE id = 1")))
        return sqlError(q, "reading the defense mode");
    if (!q.next())
        return std::optional<StoredMode>();
    StoredMode m;
    // A value this program does not know (edited by hand) reads as NORMAL, not as an error
    // that would keep the engine from starting.
    m.mode = parseDefenseMode(q.value(0).toString()).value_or(DefenseMode::Normal);
    m.floor = parseDefenseMode(q.value(1).toString()).value_or(DefenseMode::Normal);
    m.reason = messageFromJson(QJsonDocument::fromJson(q.value(2).toString().toUtf8()).object());
    m.actor = q.value(3).toString();
    m.changedMs = q.value(4).toLongLong();
    return std::optional<StoredMode>(m);
}

Result<void> ThreatStore::saveIsolation(const Isolation &i)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO guardian_isolation (source, since_ts,"
                             " until_ts, reason, actor) VALUES (?, ?, ?, ?, ?)"));
    q.addBindValue(i.source);
    q.addBindValue(i.sinceMs);
    q.addBindValue(i.untilMs);
    q.addBindValue(i.reason);
    q.addBindValue(i.actor);
    if (!q.exec())
        return sqlError(q, "storing an isolation");
    return {};
}

Result<void> ThreatStore::removeIsolation(const QString &source)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM guardian_isolation WHERE source = ?"));
    q.addBindValue(source);
    if (!q.exec())
        return sqlError(q, "removing an isolation");
    return {};
}

Result<QList<Isolation>> ThreatStore::loadIsolations()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT source, since_ts, until_ts, reason, actor"
                               " FROM guardian_isolation ORDER BY until_ts")))
        return sqlError(q, "reading isolations");
    QList<Isolation> out;
    while (q.next())
        out.append({ q.value(0).toString(), q.value(1).toLongLong(), q.value(2).toLongLong(),
            q.value(3).toString(), q.value(4).toString() });
    return out;
}

Result<QList<ThreatRecord>> ThreatStore::query(const QString &dbPath, const ThreatFilter &f)
{
    static QAtomicInteger<quint64> serial;
    const QString name = QStringLiteral("guardian-query-%1").arg(serial.fetchAndAddRelaxed(1));
    Result<QList<ThreatRecord>> result = [&]() -> Result<QList<ThreatRecord>> {
        auto db = Database::open(dbPath, name);
        if (!db)
            return db.error();
        QStringList where;
        QVariantList binds;
        if (!f.type.isEmpty()) {
            where << QStringLiteral("type = ?");
            binds << f.type;
        }
        if (f.minSeverity) {
            where << QStringLiteral("severity >= ?");
            binds << int(*f.minSeverity);
        }
        if (!f.source.isEmpty()) {
            where << QStringLiteral("source = ?");
            binds << f.source;
        }
        if (f.sinceMs > 0) {
            where << QStringLiteral("last_ts >= ?");
            binds << f.sinceMs;
        }
        if (f.untilMs > 0) {
            where << QStringLiteral("first_ts <= ?");
            binds << f.untilMs;
        }
        if (f.beforeId > 0) {
            where << QStringLiteral("id < ?");
            binds << f.beforeId;
        }
        QSqlQuery q(*db);
        q.setForwardOnly(true);
        q.prepare(
            QStringLiteral("SELECT %1 FROM guardian_threat%2 ORDER BY id DESC LIMIT %3")
                .arg(QLatin1String(Columns),
                    where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where.join(" AND "))
                .arg(qBound(1, f.limit, 100'000)));
        for (const QVariant &b : binds)
            q.addBindValue(b);
        if (!q.exec())
            return makeError("guardian.storage",
                QStringLiteral("%1: reading threats: %2").arg(dbPath, q.lastError().text()));
        QList<ThreatRecord> rows;
        while (q.next())
            rows.append(readRow(q));
        return rows;
    }();
    Database::close(name);
    return result;
}

} // namespace Shivx

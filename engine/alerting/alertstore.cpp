#include "alerting/alertstore.h"

#include "storage/database.h"
#include "storage/migrations.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

#include <cmath>

namespace Shivx {

namespace {

QString labelsJson(const QMap<QString, QString> &labels)
{
    QJsonObject o;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        o.insert(it.key(), it.value());
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QMap<QString, QString> parseLabels(const QString &json)
{
    QMap<QString, QString> out;
    const QJsonObject o = QJsonDocument::fromJson(json.toUtf8()).object();
    for (auto it = o.begin(); it != o.end(); ++it)
        out.insert(it.key(), it.value().toString());
    return out;
}

// QSqlQuery binds an empty QString as NULL; the free-text columns take NULL (read back as ""),
// the others never hold an empty value.
QVariant text(const QString &s)
{
    return QVariant(s.isNull() ? QStringLiteral("") : s);
}

Error queryError(const QSqlQuery &q, const char *what)
{
    return makeError("alerting.storage",
        QStringLiteral("alert store: %1: %2").arg(QLatin1String(what), q.lastError().text()));
}

} // namespace

QList<Internal::Migration> AlertStore::migrations()
{
    return { { 4, QStringLiteral("alerting: active alerts, transitions, silences"),
        { QStringLiteral("CREATE TABLE alerting_active (fingerprint TEXT PRIMARY KEY, "
                         "rule TEXT NOT NULL, severity TEXT NOT NULL, labels TEXT NOT NULL, "
                         "state TEXT NOT NULL, active_since INTEGER NOT NULL, "
                         "fired_at INTEGER NOT NULL, value REAL NOT NULL, summary TEXT, "
                         "description TEXT, acked_by TEXT, "
                         "acked_at INTEGER NOT NULL)"),
            QStringLiteral("CREATE TABLE alerting_history (id INTEGER PRIMARY KEY, "
                           "ts INTEGER NOT NULL, fingerprint TEXT NOT NULL, rule TEXT NOT NULL, "
                           "labels TEXT NOT NULL, from_state TEXT NOT NULL, "
                           "to_state TEXT NOT NULL, value REAL NOT NULL)"),
            QStringLiteral("CREATE INDEX alerting_history_ts ON alerting_history (ts)"),
            QStringLiteral("CREATE TABLE alerting_silence (id TEXT PRIMARY KEY, "
                           "matchers TEXT NOT NULL, starts_at INTEGER NOT NULL, "
                           "ends_at INTEGER NOT NULL, created_by TEXT, "
                           "comment TEXT)") },
        QStringLiteral("alerting") } };
}

AlertStore::AlertStore(QSqlDatabase db, QString connection)
    : m_db(std::move(db))
    , m_connection(std::move(connection))
{
}

AlertStore::~AlertStore()
{
    m_db = QSqlDatabase();
    Database::close(m_connection);
}

Result<std::unique_ptr<AlertStore>> AlertStore::open(
    const QString &path, const QString &connectionName)
{
    auto db = Database::open(path, connectionName);
    if (!db)
        return db.error();
    return std::unique_ptr<AlertStore>(new AlertStore(*db, connectionName));
}

Result<QList<AlertInstance>> AlertStore::activeAlerts()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT fingerprint, rule, severity, labels, state, active_since, "
                               "fired_at, value, summary, description, acked_by, acked_at "
                               "FROM alerting_active")))
        return queryError(q, "reading active alerts");
    QList<AlertInstance> out;
    while (q.next()) {
        AlertInstance a;
        a.fingerprint = q.value(0).toString();
        a.rule = q.value(1).toString();
        a.severity = q.value(2).toString();
        a.labels = parseLabels(q.value(3).toString());
        if (!parseAlertState(q.value(4).toString(), &a.state))
            continue;
        a.activeSinceMs = q.value(5).toLongLong();
        a.firedAtMs = q.value(6).toLongLong();
        a.value = q.value(7).toDouble();
        a.summary = q.value(8).toString();
        a.description = q.value(9).toString();
        a.ackedBy = q.value(10).toString();
        a.ackedAtMs = q.value(11).toLongLong();
        out.append(a);
    }
    return out;
}

Result<void> AlertStore::upsert(QSqlDatabase &db, const AlertInstance &a)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO alerting_active VALUES "
                             "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const QVariant &v : { QVariant(a.fingerprint), QVariant(a.rule), QVariant(a.severity),
             QVariant(labelsJson(a.labels)), QVariant(toString(a.state)), QVariant(a.activeSinceMs),
             QVariant(a.firedAtMs), QVariant(a.value), QVariant(a.summary), QVariant(a.description),
             QVariant(a.ackedBy), QVariant(a.ackedAtMs) })
        q.addBindValue(v);
    if (!q.exec())
        return queryError(q, "writing an active alert");
    return {};
}

Result<void> AlertStore::record(const QList<AlertTransition> &transitions, qint64 nowMs)
{
    if (transitions.isEmpty())
        return {};
    Transaction tx(m_db);
    if (!tx.begin())
        return tx.begin().error();
    for (const AlertTransition &t : transitions) {
        const AlertInstance &a = t.alert;
        if (a.state == AlertState::Resolved) {
            QSqlQuery del(m_db);
            del.prepare(QStringLiteral("DELETE FROM alerting_active WHERE fingerprint = ?"));
            del.addBindValue(a.fingerprint);
            if (!del.exec())
                return queryError(del, "removing a resolved alert");
        } else if (auto r = upsert(m_db, a); !r) {
            return r;
        }
        QSqlQuery h(m_db);
        h.prepare(QStringLiteral("INSERT INTO alerting_history (ts, fingerprint, rule, labels, "
                                 "from_state, to_state, value) VALUES (?, ?, ?, ?, ?, ?, ?)"));
        h.addBindValue(nowMs);
        h.addBindValue(a.fingerprint);
        h.addBindValue(a.rule);
        h.addBindValue(labelsJson(a.labels));
        h.addBindValue(text(t.from));
        h.addBindValue(toString(a.state));
        h.addBindValue(std::isfinite(a.value) ? a.value : 0.0);
        if (!h.exec())
            return queryError(h, "appending alert history");
    }
    return tx.commit();
}

Result<void> AlertStore::update(const AlertInstance &alert)
{
    return upsert(m_db, alert);
}

Result<QList<AlertHistoryEntry>> AlertStore::history(int limit, const QString &rule)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT ts, fingerprint, rule, labels, from_state, to_state, value "
                             "FROM alerting_history WHERE (? = '' OR rule = ?) "
                             "ORDER BY id DESC LIMIT ?"));
    q.addBindValue(text(rule));
    q.addBindValue(text(rule));
    q.addBindValue(limit);
    if (!q.exec())
        return queryError(q, "reading alert history");
    QList<AlertHistoryEntry> out;
    while (q.next())
        out.append({ q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
            parseLabels(q.value(3).toString()), q.value(4).toString(), q.value(5).toString(),
            q.value(6).toDouble() });
    return out;
}

Result<QList<AlertSilence>> AlertStore::silences()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT id, matchers, starts_at, ends_at, created_by, comment "
                               "FROM alerting_silence ORDER BY starts_at")))
        return queryError(q, "reading silences");
    QList<AlertSilence> out;
    while (q.next())
        out.append(
            { q.value(0).toString(), parseLabels(q.value(1).toString()), q.value(2).toLongLong(),
                q.value(3).toLongLong(), q.value(4).toString(), q.value(5).toString() });
    return out;
}

Result<void> AlertStore::addSilence(const AlertSilence &s)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO alerting_silence VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(s.id);
    q.addBindValue(labelsJson(s.matchers));
    q.addBindValue(s.startsAtMs);
    q.addBindValue(s.endsAtMs);
    q.addBindValue(text(s.createdBy));
    q.addBindValue(text(s.comment));
    if (!q.exec())
        return queryError(q, "adding a silence");
    return {};
}

Result<bool> AlertStore::expireSilence(const QString &id, qint64 nowMs)
{
    QSqlQuery q(m_db);
    q.prepare(
        QStringLiteral("UPDATE alerting_silence SET ends_at = ? WHERE id = ? AND ends_at > ?"));
    q.addBindValue(nowMs);
    q.addBindValue(id);
    q.addBindValue(nowMs);
    if (!q.exec())
        return queryError(q, "ending a silence");
    return q.numRowsAffected() > 0;
}

} // namespace Shivx

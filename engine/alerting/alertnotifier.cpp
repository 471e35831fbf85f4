#include "alerting/alertnotifier.h"

#include "audit/auditsink.h"
#include "core/clock.h"

#include <QHostInfo>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

Q_LOGGING_CATEGORY(lcNotifier, "shivx.alerting.notifier")

namespace Shivx {

AlertNotifier::AlertNotifier(
    NotifierConfig config, QString secret, Clock *clock, AuditSink *audit, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_secret(std::move(secret))
    , m_clock(clock ? clock : Clock::system())
    , m_audit(audit)
    , m_breaker(std::make_unique<CircuitBreaker>(
          QStringLiteral("notifier:") + m_config.name, m_config.breaker, m_clock))
    , m_retry(m_config.retry)
{
}

AlertNotifier::~AlertNotifier() = default;

void AlertNotifier::start()
{
    m_nam = new QNetworkAccessManager(this);
    m_timer = new QTimer(this);
    connect(m_timer, &QTimer::timeout, this, &AlertNotifier::tick);
    m_timer->start(int(qBound(qint64(100), m_config.groupWaitMs / 2, qint64(1000))));
}

void AlertNotifier::stop()
{
    if (m_timer)
        m_timer->stop();
}

QString AlertNotifier::groupKey(const AlertInstance &a) const
{
    QStringList parts;
    for (const QString &l : m_config.groupBy)
        parts << QStringLiteral("%1=\"%2\"").arg(l, a.labels.value(l));
    return parts.join(QLatin1Char(','));
}

void AlertNotifier::onSnapshot(const AlertingSnapshot &snapshot)
{
    const qint64 now = m_clock->nowMs();
    QHash<QString, QMap<QString, AlertInstance>> firing;
    for (const AlertInstance &a : snapshot.alerts)
        if (a.state == AlertState::Firing && !a.inhibited && a.silencedBy.isEmpty())
            firing[groupKey(a)].insert(a.fingerprint, a);
    for (auto it = firing.cbegin(); it != firing.cend(); ++it)
        m_groups[it.key()]; // groups seen for the first time
    for (auto it = m_groups.begin(); it != m_groups.end(); ++it) {
        Group &g = it.value();
        g.firing = firing.value(it.key());
        // Something fires that the last message did not carry: the group is due.
        for (const QString &fp : g.firing.keys())
            if (!g.sentFiring.contains(fp) && g.dueSinceMs == 0)
                g.dueSinceMs = now;
    }
}

void AlertNotifier::onTransitions(const QList<AlertTransition> &transitions)
{
    if (!m_config.sendResolved)
        return;
    const qint64 now = m_clock->nowMs();
    for (const AlertTransition &t : transitions) {
        if (t.alert.state != AlertState::Resolved || t.from != QLatin1String("firing"))
            continue;
        Group &g = m_groups[groupKey(t.alert)];
        if (!g.sentFiring.contains(t.alert.fingerprint))
            continue; // never told: nothing to resolve
        g.resolved.append(t.alert);
        if (g.dueSinceMs == 0)
            g.dueSinceMs = now;
    }
}

void AlertNotifier::tick()
{
    const qint64 now = m_clock->nowMs();
    const QStringList keys = m_groups.keys();
    for (const QString &key : keys) {
        Group &g = m_groups[key];
        if (g.inFlight)
            continue;
        const bool newsDue = g.dueSinceMs > 0 && now - g.dueSinceMs >= m_config.groupWaitMs;
        const bool repeatDue = !g.firing.isEmpty() && g.lastSentMs > 0
            && now - g.lastSentMs >= m_config.repeatIntervalMs;
        if (newsDue || repeatDue)
            send(key);
        else if (g.firing.isEmpty() && g.resolved.isEmpty() && g.dueSinceMs == 0)
            m_groups.remove(key);
    }
}

void AlertNotifier::send(const QString &key)
{
    Group &g = m_groups[key];
    Notification n { m_config.name, key, g.firing.values(), g.resolved, m_clock->nowMs() };
    if (n.firing.isEmpty() && n.resolved.isEmpty()) {
        g.dueSinceMs = 0;
        return;
    }
    QList<QByteArray> bodies;
    switch (m_config.type) {
    case NotifierType::Webhook:
        bodies << NotificationPayload::webhook(n);
        break;
    case NotifierType::PagerDuty:
        bodies = NotificationPayload::pagerDuty(n, m_secret, QHostInfo::localHostName());
        break;
    case NotifierType::Alertmanager:
        bodies << NotificationPayload::alertmanager(n, 4 * m_config.repeatIntervalMs, QString());
        break;
    }
    g.inFlight = true;
    attempt(key, n, bodies, 1);
}

void AlertNotifier::attempt(
    const QString &key, Notification n, QList<QByteArray> bodies, int attemptNo)
{
    if (!m_breaker->tryAcquire()) {
        finish(key, n, false, 0);
        return;
    }
    QUrl url;
    switch (m_config.type) {
    case NotifierType::Webhook:
        url = QUrl(m_secret);
        break;
    case NotifierType::PagerDuty:
        url = QUrl(m_config.url);
        break;
    case NotifierType::Alertmanager: {
        url = QUrl(m_config.url);
        QString path = url.path();
        if (path.endsWith(QLatin1Char('/')))
            path.chop(1);
        url.setPath(path + QStringLiteral("/api/v2/alerts"));
        break;
    }
    }
    QNetworkRequest req(url);
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    req.setTransferTimeout(int(m_config.timeoutMs));
    QNetworkReply *reply = m_nam->post(req, bodies.first());
    connect(reply, &QNetworkReply::finished, this, [=]() mutable {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const bool ok = reply->error() == QNetworkReply::NoError && status >= 200 && status < 300;
        if (ok) {
            m_breaker->recordSuccess();
            bodies.removeFirst();
            if (bodies.isEmpty())
                finish(key, n, true, status);
            else
                attempt(key, n, bodies, 1); // PagerDuty: the next event
            return;
        }
        m_breaker->recordFailure();
        // 4xx other than 429 will not get better by retrying the same body.
        const bool permanent = status >= 400 && status < 500 && status != 429;
        // Name the notifier and the status: never the URL, which may be the secret.
        qCWarning(lcNotifier).noquote()
            << "notifier" << m_config.name << "attempt" << attemptNo << "failed:"
            << (status ? QStringLiteral("HTTP %1").arg(status) : QStringLiteral("no answer"));
        if (!permanent && m_retry.shouldRetry(attemptNo)) {
            QTimer::singleShot(int(m_retry.delayBeforeAttempt(attemptNo + 1)), this,
                [=] { attempt(key, n, bodies, attemptNo + 1); });
            return;
        }
        finish(key, n, false, status);
    });
}

void AlertNotifier::finish(const QString &key, const Notification &n, bool ok, int status)
{
    Group &g = m_groups[key];
    g.inFlight = false;
    if (ok) {
        ++m_sent;
        g.lastSentMs = m_clock->nowMs();
        g.dueSinceMs = 0;
        g.sentFiring.clear();
        for (const AlertInstance &a : n.firing)
            g.sentFiring.insert(a.fingerprint);
        // Only what this message carried is done; resolutions that arrived meanwhile stay.
        g.resolved.erase(
            std::remove_if(g.resolved.begin(), g.resolved.end(),
                [&](const AlertInstance &a) {
                    for (const AlertInstance &s : n.resolved)
                        if (s.fingerprint == a.fingerprint && s.resolvedAtMs == a.resolvedAtMs)
                            return true;
                    return false;
                }),
            g.resolved.end());
    } else {
        ++m_failed;
    }
    if (m_audit)
        m_audit->record({ AuditStreams::resilience(), QStringLiteral("engine"),
            ok ? QStringLiteral("alert.notified") : QStringLiteral("alert.notify_failed"),
            { { QStringLiteral("notifier"), m_config.name },
                { QStringLiteral("type"), toString(m_config.type) },
                { QStringLiteral("group"), key },
                { QStringLiteral("firing"), qint64(n.firing.size()) },
                { QStringLiteral("resolved"), qint64(n.resolved.size()) },
                { QStringLiteral("status"), status } },
            m_clock->nowMs() });
    Q_EMIT delivered(key, ok, status);
}

} // namespace Shivx

#include "api/streamhub.h"

#include "api/streampublisher.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>

Q_LOGGING_CATEGORY(lcStream, "shivx.api.stream")

namespace Shivx {

struct StreamHub::Client
{
    QWebSocket *socket = nullptr;
    QTcpSocket *tcp = nullptr;
    StreamFilter filter;
    QTimer *pongDeadline = nullptr; // a child of the socket; active while a ping is unanswered
    bool closing = false;
};

namespace {

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonObject pointJson(const SamplePoint &p)
{
    return { { QStringLiteral("series"), p.series }, { QStringLiteral("ts"), p.tsMs },
        { QStringLiteral("value"), p.value } };
}

} // namespace

StreamHub::StreamHub(QObject *parent)
    : QObject(parent)
    , m_pingTimer(new QTimer(this))
{
    connect(m_pingTimer, &QTimer::timeout, this, &StreamHub::pingClients);
}

StreamHub::~StreamHub()
{
    if (m_publisher)
        m_publisher->attach(nullptr); // waits for a publish in progress

    // The sockets are children and go with QObject's destructor; their signals must not
    // reach a half-destroyed hub.
    for (auto it = m_clients.cbegin(); it != m_clients.cend(); ++it)
        disconnect(it.key(), nullptr, this, nullptr);
}

void StreamHub::setPublisher(StreamPublisher *publisher)
{
    m_publisher = publisher;
    publisher->attach(this);
}

void StreamHub::setMetricRegistry(MetricRegistry *registry)
{
    m_clientsGauge = registry
                         ->gauge(QStringLiteral("shivx_api_stream_clients"),
                             QStringLiteral("WebSocket clients of /api/stream, admitted ones."))
                         ->gauge();
    m_messages = registry->counter(QStringLiteral("shivx_api_stream_messages_total"),
        QStringLiteral("Messages sent to /api/stream clients, by kind."),
        { QStringLiteral("kind") });
    m_closed = registry->counter(QStringLiteral("shivx_api_stream_closed_total"),
        QStringLiteral("/api/stream clients the engine closed (refused or dropped), by reason."),
        { QStringLiteral("reason") });
}

void StreamHub::publish(const QString &kind, const QString &name, QJsonObject message)
{
    if (m_clientCount.load() == 0)
        return;
    message.insert(QStringLiteral("type"), kind);
    QMetaObject::invokeMethod(
        this, [this, kind, name, message] { deliver(kind, name, message); }, Qt::QueuedConnection);
}

void StreamHub::publishSamples(const QList<SamplePoint> &points)
{
    if (m_clientCount.load() == 0 || points.isEmpty())
        return;
    QMetaObject::invokeMethod(
        this, [this, points] { deliverSamples(points); }, Qt::QueuedConnection);
}

void StreamHub::addClient(QWebSocket *socket, QTcpSocket *tcp, const StreamFilter &filter)
{
    auto c = std::make_shared<Client>();
    c->socket = socket;
    c->tcp = tcp;
    c->filter = filter;
    socket->setParent(this);
    m_clients.insert(socket, c);
    m_clientCount = int(m_clients.size());
    m_clientsGauge.set(m_clients.size());
    connect(socket, &QWebSocket::disconnected, this, [this, socket] { remove(socket); });
    // Also a client deleted without a disconnect (aborted when already closed, shutdown).
    connect(socket, &QObject::destroyed, this, [this, socket] { forget(socket); });
    connect(socket, &QWebSocket::textMessageReceived, this,
        [this, socket](const QString &text) { onMessage(socket, text); });
    c->pongDeadline = new QTimer(socket);
    c->pongDeadline->setSingleShot(true);
    connect(c->pongDeadline, &QTimer::timeout, this, [this, socket] { dropUnresponsive(socket); });
    QTimer *deadline = c->pongDeadline;
    connect(socket, &QWebSocket::pong, deadline, &QTimer::stop);
    if (!m_pingTimer->isActive())
        m_pingTimer->start(int(m_limits.pingIntervalMs));
    QJsonObject ack = filter.toJson();
    ack.insert(QStringLiteral("type"), QStringLiteral("subscribed"));
    send(*c, compact(ack), QStringLiteral("control"));
}

void StreamHub::onMessage(QWebSocket *socket, const QString &text)
{
    const auto it = m_clients.find(socket);
    if (it == m_clients.end() || (*it)->closing)
        return;
    // A later message replaces the filter; a bad one is answered and changes nothing.
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    QJsonObject answer;
    if (!doc.isObject()) {
        answer = { { QStringLiteral("type"), QStringLiteral("error") },
            { QStringLiteral("message"),
                QStringLiteral("expected a JSON object with kinds, series, targets") } };
    } else if (auto f = StreamFilter::fromJson(doc.object()); !f) {
        answer = { { QStringLiteral("type"), QStringLiteral("error") },
            { QStringLiteral("message"), f.error().message } };
    } else {
        (*it)->filter = *f;
        answer = f->toJson();
        answer.insert(QStringLiteral("type"), QStringLiteral("subscribed"));
    }
    std::shared_ptr<Client> keep = *it;
    send(*keep, compact(answer), QStringLiteral("control"));
}

void StreamHub::deliver(const QString &kind, const QString &name, const QJsonObject &message)
{
    QByteArray json; // built once, for the first client that wants it
    // A copy: send() may drop clients, which changes m_clients.
    const QList<std::shared_ptr<Client>> clients = m_clients.values();
    for (const auto &c : clients) {
        if (c->closing || !c->filter.wants(kind, name))
            continue;
        if (json.isEmpty())
            json = compact(message);
        send(*c, json, kind);
    }
}

void StreamHub::deliverSamples(const QList<SamplePoint> &points)
{
    const QList<std::shared_ptr<Client>> clients = m_clients.values();
    for (const auto &c : clients) {
        if (c->closing || !c->filter.wantsKind(QStringLiteral("sample")))
            continue;
        QJsonArray wanted;
        for (const SamplePoint &p : points)
            if (c->filter.wants(QStringLiteral("sample"), p.series))
                wanted.append(pointJson(p));
        if (wanted.isEmpty())
            continue;
        send(*c,
            compact({ { QStringLiteral("type"), QStringLiteral("sample") },
                { QStringLiteral("points"), wanted } }),
            QStringLiteral("sample"));
    }
}

bool StreamHub::send(Client &c, const QByteArray &json, const QString &kind)
{
    qint64 unsent = c.tcp->bytesToWrite();
    if (unsent + json.size() > m_limits.maxQueuedBytes) {
        // A socket hands its buffer to the kernel only when the event loop turns; a burst
        // of messages within one turn is not a slow client. So first give the kernel what it
        // takes now (without blocking), and judge by what is left.
        c.tcp->flush();
        unsent = c.tcp->bytesToWrite();
    }
    if (unsent + json.size() > m_limits.maxQueuedBytes) {
        qCWarning(lcStream).noquote()
            << "dropping stream client" << c.socket->peerAddress().toString() << "with" << unsent
            << "bytes unsent: it reads too slowly";
        closeWithPolicy(c.socket,
            QStringLiteral("slow consumer: %1 bytes unsent, the limit is %2 bytes")
                .arg(unsent)
                .arg(m_limits.maxQueuedBytes),
            QStringLiteral("slow"));
        return false;
    }
    c.socket->sendTextMessage(QString::fromUtf8(json));
    if (m_messages) {
        auto counter = m_messageCounters.find(kind);
        if (counter == m_messageCounters.end())
            counter = m_messageCounters.insert(kind, m_messages->counter({ kind }));
        counter->inc();
    }
    return true;
}

void StreamHub::closeWithPolicy(QWebSocket *socket, const QString &reason, const QString &why)
{
    if (const auto it = m_clients.find(socket); it != m_clients.end())
        (*it)->closing = true;
    if (m_closed)
        m_closed->counter({ why }).inc();
    // The close frame queues behind what is unsent; a client that does not read it is cut.
    socket->close(QWebSocketProtocol::CloseCodePolicyViolated, reason.left(120));
    QPointer<QWebSocket> guard(socket);
    QTimer::singleShot(m_limits.lingerMs, this, [this, guard] {
        if (!guard)
            return;
        guard->abort();
        if (m_clients.contains(guard.data()))
            remove(guard.data());
        else
            guard->deleteLater();
    });
}

void StreamHub::pingClients()
{
    for (const auto &c : std::as_const(m_clients)) {
        // One ping at a time: an unanswered one keeps its deadline.
        if (c->closing || c->pongDeadline->isActive())
            continue;
        c->socket->ping();
        c->pongDeadline->start(int(m_limits.pongTimeoutMs));
    }
}

void StreamHub::dropUnresponsive(QWebSocket *socket)
{
    const auto it = m_clients.find(socket);
    if (it == m_clients.end() || (*it)->closing)
        return;
    qCWarning(lcStream).noquote() << "dropping stream client" << socket->peerAddress().toString()
                                  << "that did not answer a ping within" << m_limits.pongTimeoutMs
                                  << "ms";
    if (m_closed)
        m_closed->counter({ QStringLiteral("no_pong") }).inc();
    // No close frame: a peer that does not answer pings would not read it either.
    remove(socket);
    socket->abort();
}

void StreamHub::remove(QWebSocket *socket)
{
    forget(socket);
    socket->deleteLater();
}

void StreamHub::forget(QWebSocket *socket)
{
    // The one place a client leaves the count: removing twice changes nothing.
    if (!m_clients.remove(socket))
        return;
    m_clientCount = int(m_clients.size());
    m_clientsGauge.set(m_clients.size());
    if (m_clients.isEmpty())
        m_pingTimer->stop();
}

} // namespace Shivx

#pragma once

#include "api/streamfilter.h"
#include "telemetry/historystore.h"
#include "telemetry/metricregistry.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>

#include <atomic>
#include <memory>

class QTcpSocket;
class QTimer;
class QWebSocket;

namespace Shivx {

class StreamPublisher;

// Bounds of the live stream (/api/stream); the defaults are what `shivx serve` uses, tests
// shrink them. docs/http-api.md, "Live stream", is the user-facing copy.
struct StreamLimits
{
    int maxClients = 64; // admitted and waiting for their token, together
    // Unsent bytes one client may have queued in the engine; past it the client is dropped.
    qint64 maxQueuedBytes = 4 * 1024 * 1024;
    qint64 tokenTimeoutMs = 5'000; // for a client that sends the token as its first message
    qint64 lingerMs = 2'000; // after a close frame, until the connection is cut
    // Keep-alive: every admitted client is pinged this often, and cut when its pong has not
    // come within pongTimeoutMs, so that a client whose peer vanished without a FIN (a
    // laptop that slept, a dropped VPN) leaves the cap instead of holding its slot forever.
    qint64 pingIntervalMs = 30'000;
    qint64 pongTimeoutMs = 10'000;
};

// The live stream's fan-out: events from the engine's threads go to every admitted WebSocket
// client whose filter wants them, as compact JSON text messages (docs/http-api.md).
//
// Threads: publish() and publishSamples() are called on any thread and return at once (a
// queued call; nothing is queued while no client is connected). Everything else runs on the
// API thread, where the hub lives as a child of HttpApi.
//
// Keep-alive: one timer pings every admitted client each pingIntervalMs (a WebSocket ping,
// which browsers and WebSocket libraries answer by themselves); a client whose pong has not
// come within pongTimeoutMs is cut without a close frame (its peer is not reading) and counted
// as "no_pong" in shivx_api_stream_closed_total. Rejected alternative: TCP keep-alive. Its
// timing is the kernel's (hours by default, per socket options that Qt does not expose
// portably), and it cannot tell a live connection from a client that stopped processing.
//
// Memory: a client's unsent bytes are its socket's write buffer. Before each message the hub
// checks it against maxQueuedBytes and drops the client instead of buffering more (close
// 1008 with the reason, cut after lingerMs), so a client that stops reading never grows the
// engine. Rejected alternative: a per-client queue that discards old messages: the client
// would silently miss transitions and audit entries, which is worse than reconnecting.
class StreamHub : public QObject
{
    Q_OBJECT
public:
    explicit StreamHub(QObject *parent = nullptr);
    ~StreamHub() override;

    // Any thread. `kind` is one of StreamFilter::allKinds(); `name` what the filter's patterns
    // match (the target for "target"); `message` gets "type": kind.
    void publish(const QString &kind, const QString &name, QJsonObject message);
    // Any thread: points as the history wrote them; one "sample" message per client, holding
    // the points its filter wants.
    void publishSamples(const QList<SamplePoint> &points);

    // Attaches the hub to the engine's publisher until the hub is destroyed; before serving.
    void setPublisher(StreamPublisher *publisher);
    // API thread, before serving.
    void setLimits(const StreamLimits &limits) { m_limits = limits; }
    const StreamLimits &limits() const { return m_limits; }
    void setMetricRegistry(MetricRegistry *registry);

    // API thread: takes an admitted client (the hub owns `socket`, `tcp` is its connection)
    // and sends it the acknowledgement of `filter`.
    void addClient(QWebSocket *socket, QTcpSocket *tcp, const StreamFilter &filter);
    int clientCount() const { return m_clientCount.load(); } // any thread

    // API thread: closes `socket` with 1008 and `reason`, cutting it after lingerMs; counts
    // `why` in shivx_api_stream_closed_total. Used for refusals and drops alike.
    void closeWithPolicy(QWebSocket *socket, const QString &reason, const QString &why);

private:
    struct Client;

    void deliver(const QString &kind, const QString &name, const QJsonObject &message);
    void deliverSamples(const QList<SamplePoint> &points);
    // False when the client was dropped for being slow.
    bool send(Client &c, const QByteArray &json, const QString &kind);
    void onMessage(QWebSocket *socket, const QString &text);
    void remove(QWebSocket *socket);
    void pingClients();
    void dropUnresponsive(QWebSocket *socket);
    // Takes a client out of the count, once; also for a socket being destroyed.
    void forget(QWebSocket *socket);

    StreamLimits m_limits;
    StreamPublisher *m_publisher = nullptr;
    QHash<QWebSocket *, std::shared_ptr<Client>> m_clients;
    std::atomic<int> m_clientCount { 0 };
    QTimer *m_pingTimer; // runs while there are clients
    MetricFamily *m_messages = nullptr;
    MetricFamily *m_closed = nullptr;
    Gauge m_clientsGauge;
    QHash<QString, Counter> m_messageCounters;
};

} // namespace Shivx

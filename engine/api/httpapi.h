#pragma once

#include "api/apiroute.h"
#include "api/requestlimits.h"
#include "core/result.h"
#include "telemetry/metricregistry.h"

#include <QAbstractHttpServer>
#include <QHash>
#include <QMutex>
#include <QStringList>

#include <functional>
#include <memory>

namespace Shivx {

class ApiGuard;
class MetricRegistry;
class RequestGate;
class StreamEndpoint;
class StreamHub;
struct StreamLimits;

// The engine's HTTP API: the routes every capability adds (engine/<capability>/<cap>api.*),
// the bearer token for mutating ones, and the engine's Prometheus metrics at /metrics (also
// /api/health/metrics). Created and bound on the caller's thread, then moved to the API
// thread by the Engine (the listening socket is a child and moves with it), so requests are
// answered even while the console's GUI thread is busy.
class HttpApi : public QAbstractHttpServer
{
    Q_OBJECT
public:
    // `metrics` renders the Prometheus text on the API thread (so it reads thread-safe state).
    explicit HttpApi(std::function<QByteArray()> metrics, QObject *parent = nullptr);
    // Deletes the live stream's connections first: Qt's server frees its state of a
    // connection when that is destroyed, which it no longer hears once its own QObject
    // destructor has begun (the children go last).
    ~HttpApi() override;

    // Binds host:port ("127.0.0.1:0" picks a free port); the bound port, or an error
    // ("api.listen") naming the address and what failed.
    Result<quint16> bindTo(const QString &listen);
    // What the request gate allows (RequestGate, RequestLimits); call before bindTo().
    void setRequestLimits(const RequestLimits &limits);
    // DNS names besides localhost and the listen host that Host may carry
    // (engine.allowed_hosts; see HostCheck); call before bindTo().
    void setAllowedHosts(const QStringList &names);

    // Adds endpoints. Call before the API is moved to its thread.
    void addRoutes(const QList<ApiRoute> &routes);
    // Authorises routes with requiresToken (see ApiToken); empty rejects them all.
    void setToken(const QByteArray &token);

    // Consulted for every request before routing (see ApiGuard); null: none. Call before the
    // API is moved to its thread.
    void setGuard(std::shared_ptr<ApiGuard> guard);
    // Registers the API's families in `registry` (requests by route, method and status,
    // durations, request and response sizes); call before the API is moved to its thread.
    // `registry` outlives the API.
    void setMetricRegistry(MetricRegistry *registry);

    // Requests answered so far, by HTTP status code. Thread-safe.
    QList<QPair<int, quint64>> requestCounts() const;

    // The live stream at /api/stream (WebSocket; StreamHub, StreamEndpoint): publish events
    // into it from any thread. Lives as long as the API.
    StreamHub *streamHub() const { return m_streamHub; }
    // Its bounds; call before the API is moved to its thread.
    void setStreamLimits(const StreamLimits &limits);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    ApiReply route(
        const QHttpServerRequest &request, const QHostAddress &source, const ApiRoute *match);
    void send(const QHttpServerRequest &request, QTcpSocket *socket, const ApiReply &reply);
    void observe(const QHttpServerRequest &request, const ApiRoute *match, const ApiReply &reply,
        qint64 elapsedNs);

    void configureGate();

    mutable QMutex m_countsMutex;
    QHash<int, quint64> m_counts;
    RequestGate *m_gate = nullptr;
    RequestLimits m_limits;
    QStringList m_allowedHosts;
    QString m_listenHost;
    QList<ApiRoute> m_routes;
    QByteArray m_token;
    std::shared_ptr<ApiGuard> m_guard;
    StreamHub *m_streamHub = nullptr; // children: they move to the API thread with it
    StreamEndpoint *m_streamEndpoint = nullptr;

    // API thread only: handles taken once per route (and per route, method and status).
    struct RouteMetrics
    {
        Histogram duration;
        Histogram requestSize;
        Histogram responseSize;
    };
    MetricFamily *m_routeRequests = nullptr;
    MetricFamily *m_duration = nullptr;
    MetricFamily *m_requestSize = nullptr;
    MetricFamily *m_responseSize = nullptr;
    QHash<QString, RouteMetrics> m_routeMetrics;
    QHash<QString, Counter> m_routeCounters;
};

} // namespace Shivx

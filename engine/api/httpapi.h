#pragma once

#include "api/apiroute.h"
#include "api/requestlimits.h"
#include "core/result.h"

#include <QAbstractHttpServer>
#include <QHash>
#include <QMutex>
#include <QStringList>

#include <functional>
#include <memory>

namespace Shivx {

class ApiGuard;
class RequestGate;

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

    // Requests answered so far, by HTTP status code. Thread-safe.
    QList<QPair<int, quint64>> requestCounts() const;

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    ApiReply route(const QHttpServerRequest &request, const QHostAddress &source);
    void send(const QHttpServerRequest &request, QTcpSocket *socket, const ApiReply &reply);

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
};

} // namespace Shivx

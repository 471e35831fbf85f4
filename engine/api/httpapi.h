#pragma once

#include "api/apiroute.h"
#include "api/requestlimits.h"
#include "health/healthreport.h"

#include <QAbstractHttpServer>
#include <QHash>
#include <QMutex>
#include <QStringList>

#include <functional>

namespace Shivx {

class Clock;
class EngineStatus;
class RequestGate;

// The engine's HTTP API. Created and bound on the caller's thread, then moved to the API
// thread by the Engine (the listening QTcpServer is a child and moves with it), so requests
// are answered even while the console's GUI thread is busy.
class HttpApi : public QAbstractHttpServer
{
    Q_OBJECT
public:
    struct Providers
    {
        std::function<Readiness()> readiness;
        std::function<QByteArray()> metrics; // Prometheus text
    };

    HttpApi(EngineStatus *status, Providers providers, Clock *clock, qint64 livenessLimitMs,
        QObject *parent = nullptr);

    // Binds host:port ("127.0.0.1:0" picks a free port). Returns the bound port.
    quint16 bindTo(const QString &listen, QString *error);
    // What the request gate allows (RequestGate, RequestLimits); call before bindTo().
    void setRequestLimits(const RequestLimits &limits);
    // DNS names besides localhost and the listen host that Host may carry
    // (engine.allowed_hosts; see HostCheck); call before bindTo().
    void setAllowedHosts(const QStringList &names);

    // Adds endpoints owned by other services. Call before the API is moved to its thread.
    // `token` authorises routes with requiresToken (see ApiToken); empty rejects them all.
    void addRoutes(const QList<ApiRoute> &routes);
    void setToken(const QByteArray &token);

    // Requests answered so far, by HTTP status code. Thread-safe.
    QList<QPair<int, quint64>> requestCounts() const;

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    using Reply = ApiReply;
    Reply route(const QHttpServerRequest &request);
    Reply routeExtension(const QHttpServerRequest &request, const QString &path, bool *matched);
    void send(const QHttpServerRequest &request, QTcpSocket *socket, const Reply &reply);

    Reply live();
    Reply ready();
    Reply status(bool verbose);
    void configureGate();

    EngineStatus *m_status;
    Providers m_providers;
    Clock *m_clock;
    qint64 m_livenessLimitMs;
    mutable QMutex m_countsMutex;
    QHash<int, quint64> m_counts;
    RequestGate *m_gate = nullptr;
    RequestLimits m_limits;
    QStringList m_allowedHosts;
    QString m_listenHost;
    QList<ApiRoute> m_routes;
    QByteArray m_token;
};

} // namespace Shivx

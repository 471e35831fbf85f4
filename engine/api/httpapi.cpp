#include "api/httpapi.h"

#include "api/apiguard.h"
#include "api/apitoken.h"
#include "api/requestgate.h"
#include "api/streamendpoint.h"
#include "api/streamhub.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QUrlQuery>

namespace Shivx {

namespace {

const ApiRoute *findRoute(const QList<ApiRoute> &routes, const QString &path)
{
    for (const ApiRoute &r : routes)
        if (r.prefix ? (path.startsWith(r.path) && path.size() > r.path.size()) : path == r.path)
            return &r;
    return nullptr;
}

// The methods a route answers: HEAD comes with GET (Qt's parser maps it to the same handler
// and the body is dropped in send()).
QList<QByteArray> allowedMethods(const ApiRoute &route)
{
    QList<QByteArray> allow = route.methods;
    if (allow.contains(QByteArray("GET")))
        allow.append("HEAD");
    return allow;
}

// What the gate needs to know of a request with a body before it is read: the same
// matching as route(), without running anything.
RequestGate::Route gateRoute(
    const QList<ApiRoute> &routes, const QByteArray &method, const QString &path)
{
    const ApiRoute *match = findRoute(routes, path);
    if (!match)
        return { 404, {}, 0 };
    const QList<QByteArray> allow = allowedMethods(*match);
    if (!allow.contains(method))
        return { 405, allow.join(", "), 0 };
    const bool get = method == "GET" || method == "HEAD";
    return { 200, {}, get ? 0 : match->maxBodyBytes };
}

// The method's name, or "OTHER" for one no route takes (TRACE, CONNECT).
QByteArray methodName(QHttpServerRequest::Method m)
{
    static const QByteArray names[]
        = { "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS" };
    static const QHttpServerRequest::Method values[] = { QHttpServerRequest::Method::Get,
        QHttpServerRequest::Method::Head, QHttpServerRequest::Method::Post,
        QHttpServerRequest::Method::Put, QHttpServerRequest::Method::Delete,
        QHttpServerRequest::Method::Patch, QHttpServerRequest::Method::Options };
    for (size_t i = 0; i < std::size(values); ++i)
        if (m == values[i])
            return names[i];
    return "OTHER";
}

} // namespace

HttpApi::HttpApi(std::function<QByteArray()> metrics, QObject *parent)
    : QAbstractHttpServer(parent)
{
    // The engine's metrics, every capability's families, in Prometheus text format.
    auto scrape = [metrics = std::move(metrics)](const ApiRequest &) {
        return ApiReply { 200, "text/plain; version=0.0.4; charset=utf-8", metrics(), {} };
    };
    addRoutes({ ApiRoute { QStringLiteral("/metrics"), false, { "GET" }, false, scrape },
        ApiRoute { QStringLiteral("/api/health/metrics"), false, { "GET" }, false, scrape } });
    m_streamHub = new StreamHub(this);
    m_streamEndpoint = new StreamEndpoint(m_streamHub, this);
}

HttpApi::~HttpApi()
{
    delete m_streamEndpoint; // before the hub, which it uses
    delete m_streamHub;
}

void HttpApi::setStreamLimits(const StreamLimits &limits)
{
    m_streamHub->setLimits(limits);
}

Result<quint16> HttpApi::bindTo(const QString &listen)
{
    const int colon = listen.lastIndexOf(QLatin1Char(':'));
    QString host = listen.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    const QHostAddress address = host == QLatin1String("localhost")
        ? QHostAddress(QHostAddress::LocalHost)
        : QHostAddress(host);
    const quint16 port = quint16(listen.mid(colon + 1).toUInt());
    auto *gate = new RequestGate(this);
    m_gate = gate;
    m_listenHost = host;
    configureGate();
    if (!gate->open(address, port)) {
        const QString why = gate->errorString();
        delete gate;
        m_gate = nullptr;
        return makeError("api.listen", QStringLiteral("cannot listen on %1: %2").arg(listen, why));
    }
    bind(gate);
    const quint16 bound = gate->serverPort();
    return bound;
}

void HttpApi::setRequestLimits(const RequestLimits &limits)
{
    m_limits = limits;
}

void HttpApi::setAllowedHosts(const QStringList &names)
{
    m_allowedHosts = names;
}

void HttpApi::configureGate()
{
    qint64 largestBody = 0;
    for (const ApiRoute &r : std::as_const(m_routes))
        largestBody = qMax(largestBody, r.maxBodyBytes);
    m_gate->setLimits(m_limits);
    m_gate->setHostCheck(HostCheck(m_listenHost, m_allowedHosts));
    m_streamEndpoint->setHostCheck(HostCheck(m_listenHost, m_allowedHosts));
    m_gate->setUpgradeTaker([](const QString &path) { return path == StreamEndpoint::path(); },
        [this](QTcpSocket *socket) { m_streamEndpoint->takeHandshake(socket); });
    // m_routes no longer changes once requests are served (see addRoutes), so the gate may
    // read it on the API thread without a lock.
    m_gate->setRouteLookup([this](const QByteArray &method,
                               const QString &path) { return gateRoute(m_routes, method, path); },
        largestBody);
}

QList<QPair<int, quint64>> HttpApi::requestCounts() const
{
    QMutexLocker l(&m_countsMutex);
    QHash<int, quint64> counts = m_counts;
    if (m_gate) {
        const auto rejected = m_gate->rejected();
        for (auto it = rejected.cbegin(); it != rejected.cend(); ++it)
            counts[it.key()] += it.value();
    }
    QList<QPair<int, quint64>> out;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        out.append({ it.key(), it.value() });
    std::sort(out.begin(), out.end());
    return out;
}

ApiReply ApiReply::json(int status, const QJsonObject &object)
{
    return { status, "application/json",
        QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n', {} };
}

ApiReply ApiReply::error(int status, const QString &code, const QString &message)
{
    return json(status,
        QJsonObject { { QStringLiteral("error"), code }, { QStringLiteral("message"), message },
            { QStringLiteral("status"), status } });
}

void HttpApi::addRoutes(const QList<ApiRoute> &routes)
{
    m_routes.append(routes);
    if (m_gate)
        configureGate();
}

void HttpApi::setToken(const QByteArray &token)
{
    m_token = token;
    m_streamEndpoint->setToken(token);
}

void HttpApi::setGuard(std::shared_ptr<ApiGuard> guard)
{
    m_guard = std::move(guard);
    m_streamEndpoint->setGuard(m_guard);
}

ApiReply HttpApi::route(
    const QHttpServerRequest &request, const QHostAddress &source, const ApiRoute *match)
{
    const QString path = request.url().path();
    bool needsToken = false;
    if (m_guard) {
        ApiGuard::Verdict v = m_guard->admit(source, path);
        if (v.decision == ApiGuard::Decision::Refuse) {
            ApiReply r = ApiReply::error(v.status, v.code, v.message);
            if (v.retryAfterSeconds > 0)
                r.extraHeaders.append(
                    qMakePair(QByteArray("Retry-After"), QByteArray::number(v.retryAfterSeconds)));
            return r;
        }
        needsToken = v.decision == ApiGuard::Decision::RequireToken;
    }
    if (!match)
        return ApiReply::error(404, QStringLiteral("not_found"),
            QStringLiteral("no endpoint at %1").arg(path.left(200)));
    const QByteArray method = methodName(request.method());
    const bool allowed = match->methods.contains(method)
        || (method == "HEAD" && match->methods.contains(QByteArray("GET")));
    if (!allowed) {
        const QByteArray allowHeader = allowedMethods(*match).join(", ");
        ApiReply r = ApiReply::error(405, QStringLiteral("method_not_allowed"),
            QStringLiteral("%1 allows %2").arg(path, QString::fromLatin1(allowHeader)));
        r.extraHeaders.append(qMakePair(QByteArray("Allow"), allowHeader));
        return r;
    }
    if ((match->requiresToken || needsToken)
        && !ApiToken::matchesHeader(request.value("Authorization"), m_token)) {
        // A route that needs no token, asked without one only because the guard demands it
        // (LOCKDOWN), is not a failed check: a local poller that never had the token must
        // not get its address isolated.
        if (m_guard && (match->requiresToken || !request.value("Authorization").isEmpty()))
            m_guard->tokenRejected(source, path);
        ApiReply r = ApiReply::error(401, QStringLiteral("unauthorized"),
            QStringLiteral("%1 needs \"Authorization: Bearer TOKEN\" with the token from the data "
                           "directory's api-token file")
                .arg(path));
        r.extraHeaders.append(qMakePair(QByteArray("WWW-Authenticate"), QByteArray("Bearer")));
        return r;
    }
    ApiRequest req { method, path, QUrlQuery(request.url()), request.body(),
        match->prefix ? path.mid(match->path.size()) : QString() };
    return match->handler(req);
}

void HttpApi::send(const QHttpServerRequest &request, QTcpSocket *socket, const ApiReply &reply)
{
    {
        QMutexLocker l(&m_countsMutex);
        ++m_counts[reply.status];
    }
    QHttpServerResponder responder = makeResponder(request, socket);
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(reply.status));
    responder.writeHeader("Content-Type", reply.contentType);
    responder.writeHeader("Content-Length", QByteArray::number(reply.body.size()));
    responder.writeHeader("Cache-Control", "no-store");
    for (const auto &h : reply.extraHeaders)
        responder.writeHeader(h.first, h.second);
    responder.writeBody(
        request.method() == QHttpServerRequest::Method::Head ? QByteArray() : reply.body);
}

bool HttpApi::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    QElapsedTimer timer;
    timer.start();
    const ApiRoute *match = findRoute(m_routes, request.url().path());
    const QHostAddress source = socket->peerAddress();
    const ApiReply reply = route(request, source, match);
    send(request, socket, reply);
    if (m_guard)
        m_guard->answered(source, request.url().path(), reply.status);
    observe(request, match, reply, timer.nsecsElapsed());
    return true;
}

void HttpApi::setMetricRegistry(MetricRegistry *registry)
{
    const QStringList route { QStringLiteral("route") };
    m_routeRequests = registry->counter(QStringLiteral("shivx_api_route_requests_total"),
        QStringLiteral("HTTP API requests that reached routing, by route, method and status."),
        { QStringLiteral("route"), QStringLiteral("method"), QStringLiteral("code") });
    m_duration = registry->histogram(QStringLiteral("shivx_api_request_duration_seconds"),
        QStringLiteral("Time from routing an HTTP API request to its response being queued."),
        route, MetricRegistry::durationBuckets());
    m_requestSize = registry->histogram(QStringLiteral("shivx_api_request_size_bytes"),
        QStringLiteral("Body size of HTTP API requests."), route, MetricRegistry::sizeBuckets());
    m_streamHub->setMetricRegistry(registry);
    m_responseSize = registry->histogram(QStringLiteral("shivx_api_response_size_bytes"),
        QStringLiteral("Body size of HTTP API responses."), route, MetricRegistry::sizeBuckets());
}

void HttpApi::observe(const QHttpServerRequest &request, const ApiRoute *match,
    const ApiReply &reply, qint64 elapsedNs)
{
    if (!m_routeRequests)
        return;
    // The route's pattern, never the raw path: label values stay bounded whatever clients send.
    const QString route = match ? match->path : QStringLiteral("unmatched");
    auto it = m_routeMetrics.find(route);
    if (it == m_routeMetrics.end())
        it = m_routeMetrics.insert(route,
            { m_duration->histogram({ route }), m_requestSize->histogram({ route }),
                m_responseSize->histogram({ route }) });
    it->duration.observe(double(elapsedNs) / 1e9);
    it->requestSize.observe(double(request.body().size()));
    it->responseSize.observe(double(reply.body.size()));
    const QByteArray method = methodName(request.method());
    const QString key = route + QLatin1Char(' ') + QLatin1String(method) + QLatin1Char(' ')
        + QString::number(reply.status);
    auto c = m_routeCounters.find(key);
    if (c == m_routeCounters.end())
        c = m_routeCounters.insert(key,
            m_routeRequests->counter(
                { route, QString::fromLatin1(method), QString::number(reply.status) }));
    c->inc();
}

void HttpApi::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // handleRequest answers every request, so this only runs if Qt bypasses it.
    send(request, socket,
        ApiReply::error(404, QStringLiteral("not_found"), QStringLiteral("no endpoint")));
}

} // namespace Shivx

#include "api/httpapi.h"

#include "api/apitoken.h"
#include "api/healthjson.h"
#include "api/requestgate.h"
#include "core/clock.h"
#include "core/enginestatus.h"
#include "core/timeutil.h"

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

ApiReply json(int status, const QJsonObject &object)
{
    return ApiReply::json(status, object);
}

ApiReply error(int status, const QString &code, const QString &message)
{
    return ApiReply::error(status, code, message);
}

struct RouteSpec
{
    const char *path;
    const char *allow;
};

// Every endpoint answers GET (and HEAD, which Qt's parser maps to the same handler with the
// body dropped by the client); anything else on a known path is 405 with an Allow header.
const RouteSpec routes[] = {
    { "/api/health/live", "GET, HEAD" },
    { "/api/health/ready", "GET, HEAD" },
    { "/api/health/status", "GET, HEAD" },
    { "/api/health/metrics", "GET, HEAD" },
    { "/metrics", "GET, HEAD" },
};

const ApiRoute *findRoute(const QList<ApiRoute> &extensions, const QString &path)
{
    for (const ApiRoute &r : extensions)
        if (r.prefix ? (path.startsWith(r.path) && path.size() > r.path.size()) : path == r.path)
            return &r;
    return nullptr;
}

// What the gate needs to know of a request with a body before it is read: the same
// matching as route() and routeExtension(), without running anything.
RequestGate::Route gateRoute(
    const QList<ApiRoute> &extensions, const QByteArray &method, const QString &path)
{
    const bool get = method == "GET" || method == "HEAD";
    for (const auto &r : routes)
        if (path == QLatin1String(r.path))
            return get ? RequestGate::Route { 200, {}, 0 }
                       : RequestGate::Route { 405, QByteArray(r.allow), 0 };
    const ApiRoute *match = findRoute(extensions, path);
    if (!match)
        return { 404, {}, 0 };
    QList<QByteArray> allow = match->methods;
    if (allow.contains(QByteArray("GET")))
        allow.append("HEAD");
    if (!allow.contains(method))
        return { 405, allow.join(", "), 0 };
    return { 200, {}, get ? 0 : match->maxBodyBytes };
}

} // namespace

HttpApi::HttpApi(EngineStatus *status, Providers providers, Clock *clock, qint64 livenessLimitMs,
    QObject *parent)
    : QAbstractHttpServer(parent)
    , m_status(status)
    , m_providers(std::move(providers))
    , m_clock(clock ? clock : Clock::system())
    , m_livenessLimitMs(livenessLimitMs)
{
}

quint16 HttpApi::bindTo(const QString &listen, QString *errorText)
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
        if (errorText)
            *errorText = QStringLiteral("cannot listen on %1: %2").arg(listen, gate->errorString());
        delete gate;
        m_gate = nullptr;
        return 0;
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
}

HttpApi::Reply HttpApi::routeExtension(
    const QHttpServerRequest &request, const QString &path, bool *matched)
{
    const ApiRoute *match = findRoute(m_routes, path);
    *matched = match != nullptr;
    if (!match)
        return {};
    static const QByteArray names[]
        = { "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS" };
    static const QHttpServerRequest::Method values[] = { QHttpServerRequest::Method::Get,
        QHttpServerRequest::Method::Head, QHttpServerRequest::Method::Post,
        QHttpServerRequest::Method::Put, QHttpServerRequest::Method::Delete,
        QHttpServerRequest::Method::Patch, QHttpServerRequest::Method::Options };
    QByteArray method;
    for (size_t i = 0; i < std::size(values); ++i)
        if (request.method() == values[i])
            method = names[i];
    const bool allowed = match->methods.contains(method)
        || (method == "HEAD" && match->methods.contains(QByteArray("GET")));
    if (!allowed) {
        QList<QByteArray> allow = match->methods;
        if (allow.contains(QByteArray("GET")))
            allow.append("HEAD");
        const QByteArray allowHeader = allow.join(", ");
        Reply r = error(405, QStringLiteral("method_not_allowed"),
            QStringLiteral("%1 allows %2").arg(path, QString::fromLatin1(allowHeader)));
        r.extraHeaders.append(qMakePair(QByteArray("Allow"), allowHeader));
        return r;
    }
    if (match->requiresToken && !ApiToken::matchesHeader(request.value("Authorization"), m_token)) {
        Reply r = error(401, QStringLiteral("unauthorized"),
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

HttpApi::Reply HttpApi::live()
{
    // Live means the engine's core loop still turns. Degradation and failing targets never
    // make liveness fail: a liveness failure gets the process killed, which only a wedged
    // engine deserves.
    const qint64 now = m_clock->nowMs();
    const qint64 beat = m_status->coreHeartbeatMs.load();
    const qint64 age = now - beat;
    QJsonObject o { { QStringLiteral("timestamp"), TimeUtil::toRfc3339(now) },
        { QStringLiteral("uptime_seconds"), double(now - m_status->startedAtMs.load()) / 1000.0 } };
    if (beat <= 0 || age > m_livenessLimitMs) {
        o.insert(QStringLiteral("status"), QStringLiteral("stalled"));
        o.insert(QStringLiteral("detail"), QStringLiteral("engine loop silent for %1 ms").arg(age));
        return json(503, o);
    }
    o.insert(QStringLiteral("status"), QStringLiteral("alive"));
    return json(200, o);
}

HttpApi::Reply HttpApi::ready()
{
    const Readiness r = m_providers.readiness();
    QJsonObject o = HealthJson::readiness(r);
    o.insert(QStringLiteral("timestamp"), TimeUtil::toRfc3339(m_clock->nowMs()));
    return json(r.ready ? 200 : 503, o);
}

HttpApi::Reply HttpApi::status(bool verbose)
{
    const HealthReport h = m_status->health();
    QJsonObject o = HealthJson::status(h, verbose);
    if (verbose) {
        o.insert(QStringLiteral("targets"), HealthJson::targets(m_status->targets()));
        o.insert(QStringLiteral("host"), HealthJson::host(m_status->host()));
    }
    return json(200, o);
}

HttpApi::Reply HttpApi::route(const QHttpServerRequest &request)
{
    const QString path = request.url().path();
    const RouteSpec *match = nullptr;
    for (const auto &r : routes)
        if (path == QLatin1String(r.path))
            match = &r;
    if (!match) {
        bool matched = false;
        Reply extension = routeExtension(request, path, &matched);
        if (matched)
            return extension;
        return error(404, QStringLiteral("not_found"),
            QStringLiteral("no endpoint at %1").arg(path.left(200)));
    }
    const auto method = request.method();
    if (method != QHttpServerRequest::Method::Get && method != QHttpServerRequest::Method::Head) {
        Reply r = error(405, QStringLiteral("method_not_allowed"),
            QStringLiteral("%1 allows %2").arg(path, QLatin1String(match->allow)));
        r.extraHeaders.append(qMakePair(QByteArray("Allow"), QByteArray(match->allow)));
        return r;
    }
    if (path == QLatin1String("/api/health/live"))
        return live();
    if (path == QLatin1String("/api/health/ready"))
        return ready();
    if (path == QLatin1String("/api/health/status")) {
        const QUrlQuery q(request.url());
        const bool verbose = q.hasQueryItem(QStringLiteral("verbose"))
            && q.queryItemValue(QStringLiteral("verbose")) != QLatin1String("false")
            && q.queryItemValue(QStringLiteral("verbose")) != QLatin1String("0");
        return status(verbose);
    }
    return { 200, "text/plain; version=0.0.4; charset=utf-8", m_providers.metrics(), {} };
}

void HttpApi::send(const QHttpServerRequest &request, QTcpSocket *socket, const Reply &reply)
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
    send(request, socket, route(request));
    return true;
}

void HttpApi::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // handleRequest answers every request, so this only runs if Qt bypasses it.
    send(request, socket, error(404, QStringLiteral("not_found"), QStringLiteral("no endpoint")));
}

} // namespace Shivx

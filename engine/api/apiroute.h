#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

#include <functional>

namespace Shivx {

// A request as a route handler sees it. Handlers run on the API thread and must only call
// thread-safe service methods (snapshot getters, or queued invokeMethod).
struct ApiRequest
{
    QByteArray method; // "GET", "POST", ...
    QString path; // decoded path, e.g. "/api/breakers/db/force"
    QUrlQuery query;
    QByteArray body;
    QString pathTail; // for prefix routes: the part of the path after the prefix
};

struct ApiReply
{
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> extraHeaders;

    // Compact JSON with a trailing newline.
    static ApiReply json(int status, const QJsonObject &object);
    // {"error": code, "message": message, "status": status}: the shape of every API error.
    static ApiReply error(int status, const QString &code, const QString &message);
};

// One endpoint of the HTTP API, registered by the service that owns it (see HttpApi::addRoutes).
struct ApiRoute
{
    QString path; // exact path, or a prefix ending in '/' when `prefix` is set
    bool prefix = false;
    QList<QByteArray> methods; // e.g. {"GET"}; HEAD is implied by GET
    // Mutating endpoints require "Authorization: Bearer TOKEN" with the token kept in the
    // data directory (ApiToken); read-only ones stay open like the health endpoints.
    bool requiresToken = false;
    std::function<ApiReply(const ApiRequest &)> handler;
    // The largest request body this route takes, in bytes. The request gate compares it
    // with Content-Length before any of the body is read and answers 413 above it; GET and
    // HEAD never take a body whatever this says. 0 (the default) takes none: a route that
    // reads a JSON body sets jsonBodyLimit.
    qint64 maxBodyBytes = 0;

    static constexpr qint64 jsonBodyLimit = 64 * 1024;
};

} // namespace Shivx

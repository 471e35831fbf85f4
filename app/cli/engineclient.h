#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QUrl>

namespace Shivx::Cli {

// Talks to a running engine over its HTTP API, for commands that change live state
// (degradation pins, breaker forcing, supervisor control) and must not bypass the engine.
// The address comes from --url or from DATA_DIR/api-address; the bearer token always
// comes from DATA_DIR/api-token, so only users who can read the data directory can act.
class EngineClient
{
public:
    struct Reply
    {
        int status = 0;
        QJsonObject body;
    };

    // `url` may be empty: then the address the engine recorded in the data directory is used.
    static Result<EngineClient> connect(const QString &dataDir, const QString &url);
    // `url` as --url gives it (http://HOST:PORT); the error names it (code "cli.url").
    static Result<QUrl> parseUrl(const QString &url);

    QUrl baseUrl() const { return m_base; }
    // Sends a request and waits (at most `timeoutMs`) for the JSON answer. Errors name the
    // URL and what failed (refused, timeout, non-JSON body); HTTP error statuses are
    // returned as replies, so the caller can print the engine's own message.
    // `path` may carry an encoded query ("/api/guardian/threats?limit=50").
    Result<Reply> request(const QByteArray &method, const QString &path,
        const QJsonObject &body = {}, int timeoutMs = 10'000) const;

private:
    QUrl m_base;
    QByteArray m_token;
};

} // namespace Shivx::Cli

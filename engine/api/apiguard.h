#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QString>

namespace Shivx {

// What the HTTP API asks before it routes a request, so that a capability (the guardian) can
// refuse a source without the API knowing why: rate limits, isolation, lockdown. One guard at
// most, installed with ModuleHost::setApiGuard() before the API serves; HttpApi keeps it for
// its lifetime (shared ownership, since the module's controller updates the same object).
//
// Thread: every method is called on the API thread, for every request the RequestGate
// admitted, and must neither block nor take long (the guardian's goal is <= 2 us per request,
// bench/guardian_api). Rejected alternative: a route wrapper per capability: it would miss
// the core's routes (/metrics) and 404s, which an attacker probes first.
class ApiGuard
{
public:
    enum class Decision {
        Allow, // route as usual
        RequireToken, // route only with a valid bearer token, whatever the route says
        Refuse, // answer `status` with the verdict's error and nothing else
    };
    struct Verdict
    {
        Decision decision = Decision::Allow;
        int status = 0; // for Refuse: 403, 429
        QString code; // the JSON error code ("guardian.isolated")
        QString message; // English
        int retryAfterSeconds = 0; // > 0: a Retry-After header
    };

    virtual ~ApiGuard() = default;
    // `source` is the peer address of the connection; `path` the decoded request path.
    virtual Verdict admit(const QHostAddress &source, const QString &path) = 0;
    // A request from `source` that needed the token came without it or with a wrong one.
    virtual void tokenRejected(const QHostAddress &source, const QString &path) = 0;
    // The answer's status for a request admit() saw (refused ones too), for signals that need
    // the outcome (the guardian's threat score counts error ratios). Same rules as admit().
    virtual void answered(const QHostAddress &source, const QString &path, int status)
    {
        Q_UNUSED(source);
        Q_UNUSED(path);
        Q_UNUSED(status);
    }
};

} // namespace Shivx

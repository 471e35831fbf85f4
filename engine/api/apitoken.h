#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QString>

namespace Shivx {

// The bearer token that authorises mutating API calls (degradation pins, breaker forcing,
// supervisor control). It lives in DATA_DIR/api-token with mode 0600, so whoever can read
// the data directory can drive the engine, and nobody else on the machine can.
class ApiToken
{
public:
    static QString path(const QString &dataDir);
    // Reads the token, creating a fresh random one (256 bits, hex) if the file is missing.
    static Result<QByteArray> loadOrCreate(const QString &dataDir);
    // Reads an existing token (for the CLI); an error names the file when it is missing.
    static Result<QByteArray> load(const QString &dataDir);
    // Constant-time comparison of an "Authorization" header value against the token.
    static bool matchesHeader(const QByteArray &authorization, const QByteArray &token);
};

} // namespace Shivx

#include "api/apitoken.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

#include <openssl/crypto.h>
#include <openssl/rand.h>

namespace Shivx {

QString ApiToken::path(const QString &dataDir)
{
    return QDir(dataDir).filePath(QStringLiteral("api-token"));
}

Result<QByteArray> ApiToken::load(const QString &dataDir)
{
    QFile f(path(dataDir));
    if (!f.open(QIODevice::ReadOnly))
        return makeError("api.token",
            QStringLiteral(
                "cannot read the API token %1: %2 (is an engine running on this data directory?)")
                .arg(f.fileName(), f.errorString()));
    const QByteArray token = f.readAll().trimmed();
    if (token.size() < 32)
        return makeError(
            "api.token", QStringLiteral("%1: token is too short or empty").arg(f.fileName()));
    return token;
}

Result<QByteArray> ApiToken::loadOrCreate(const QString &dataDir)
{
    if (QFile::exists(path(dataDir)))
        return load(dataDir);
    unsigned char raw[32];
    if (RAND_bytes(raw, sizeof raw) != 1)
        return makeError("api.token", QStringLiteral("no randomness available for the API token"));
    const QByteArray token = QByteArray(reinterpret_cast<const char *>(raw), sizeof raw).toHex();
    QSaveFile f(path(dataDir));
    // Set the mode before any byte is written, so the token is never readable by others.
    if (!f.open(QIODevice::WriteOnly)
        || !f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || f.write(token + '\n') != token.size() + 1 || !f.commit())
        return makeError("api.token",
            QStringLiteral("cannot write the API token %1: %2").arg(f.fileName(), f.errorString()));
    return token;
}

bool ApiToken::matchesHeader(const QByteArray &authorization, const QByteArray &token)
{
    static const QByteArray scheme("Bearer ");
    if (token.isEmpty() || !authorization.startsWith(scheme))
        return false;
    const QByteArray given = authorization.mid(scheme.size()).trimmed();
    return given.size() == token.size()
        && CRYPTO_memcmp(given.constData(), token.constData(), token.size()) == 0;
}

} // namespace Shivx

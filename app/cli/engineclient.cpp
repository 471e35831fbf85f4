#include "engineclient.h"

#include "api/apitoken.h"
#include "core/datadir.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

namespace Shivx::Cli {

Result<QUrl> EngineClient::parseUrl(const QString &url)
{
    const QUrl parsed(url);
    if (!parsed.isValid() || parsed.scheme().isEmpty() || parsed.host().isEmpty())
        return makeError("cli.url", QStringLiteral("--url %1: expected http://HOST:PORT").arg(url));
    return parsed;
}

Result<EngineClient> EngineClient::connect(const QString &dataDir, const QString &url)
{
    EngineClient client;
    if (!url.isEmpty()) {
        auto parsed = parseUrl(url);
        if (!parsed)
            return parsed.error();
        client.m_base = *parsed;
    } else {
        QFile f(DataDir::apiAddressPath(dataDir));
        if (!f.open(QIODevice::ReadOnly))
            return makeError("cli.no_engine",
                QStringLiteral("no running engine recorded in %1 (%2); start `shivx serve` "
                               "or the console on this data directory, or pass --url")
                    .arg(f.fileName(), f.errorString()));
        client.m_base = QUrl(QString::fromUtf8(f.readAll().trimmed()));
        if (!client.m_base.isValid())
            return makeError("cli.no_engine", QStringLiteral("%1: not a URL").arg(f.fileName()));
    }
    auto token = ApiToken::load(dataDir);
    if (!token)
        return token.error();
    client.m_token = token.value();
    return client;
}

Result<EngineClient::Reply> EngineClient::request(
    const QByteArray &method, const QString &path, const QJsonObject &body, int timeoutMs) const
{
    QNetworkAccessManager nam;
    QUrl url = m_base;
    const qsizetype query = path.indexOf(QLatin1Char('?'));
    url.setPath(query < 0 ? path : path.left(query));
    if (query >= 0)
        url.setQuery(path.mid(query + 1), QUrl::StrictMode);
    QNetworkRequest req(url);
    req.setRawHeader("Authorization", "Bearer " + m_token);
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    const QByteArray payload
        = body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
    QNetworkReply *reply = nam.sendCustomRequest(req, method, payload);
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    timer.start(timeoutMs);
    loop.exec();
    if (!reply->isFinished()) {
        reply->abort();
        reply->deleteLater();
        return makeError("cli.timeout",
            QStringLiteral("%1: no answer within %2 ms").arg(url.toString()).arg(timeoutMs));
    }
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0)
        return makeError(
            "cli.connect", QStringLiteral("%1: %2").arg(url.toString(), reply->errorString()));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(reply->readAll(), &parseError);
    if (!doc.isObject())
        return makeError("cli.bad_reply",
            QStringLiteral("%1: HTTP %2 without a JSON object (%3)")
                .arg(url.toString())
                .arg(status)
                .arg(parseError.errorString()));
    return Reply { status, doc.object() };
}

} // namespace Shivx::Cli

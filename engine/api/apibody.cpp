#include "api/apibody.h"

#include <QJsonDocument>
#include <QRegularExpression>

namespace Shivx::ApiBody {

namespace {

Error bad(const QString &message)
{
    return makeError("api.bad_request", message);
}

} // namespace

Result<QJsonObject> object(
    const ApiRequest &request, const QStringList &known, const QString &example)
{
    QJsonObject body;
    if (!request.body.trimmed().isEmpty()) {
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(request.body, &pe);
        if (!doc.isObject())
            return bad(
                QStringLiteral("body: expected a JSON object%1 (%2)")
                    .arg(example.isEmpty() ? QString() : QStringLiteral(" such as ") + example,
                        doc.isNull() ? pe.errorString()
                                     : QStringLiteral("got another JSON value")));
        body = doc.object();
    }
    for (auto it = body.begin(); it != body.end(); ++it)
        if (!known.contains(it.key())) {
            QStringList sorted = known;
            sorted.sort();
            return bad(QStringLiteral("%1: unknown field (known: %2)")
                           .arg(it.key().left(64), sorted.join(QStringLiteral(", "))));
        }
    return body;
}

Result<QString> string(const QJsonObject &body, const char *name, bool required)
{
    const QJsonValue v = body.value(QLatin1String(name));
    if (v.isUndefined() || v.isNull()) {
        if (required)
            return bad(QStringLiteral("%1: required").arg(QLatin1String(name)));
        return QString();
    }
    if (!v.isString())
        return bad(QStringLiteral("%1: expected a string").arg(QLatin1String(name)));
    return v.toString();
}

Result<QString> actor(const QJsonObject &body)
{
    const QJsonValue claimed = body.value(QStringLiteral("actor"));
    if (claimed.isUndefined() || claimed.isNull())
        return QStringLiteral("api");
    static const QRegularExpression pattern(
        QStringLiteral("^(cli|console):[A-Za-z0-9_.@-]{1,64}$"));
    if (!claimed.isString() || !pattern.match(claimed.toString()).hasMatch())
        return bad(QStringLiteral("actor: expected \"cli:USER\" or \"console:USER\" (USER: 1-64 "
                                  "letters, digits, '_', '.', '@' or '-')"));
    return claimed.toString();
}

ApiReply badRequest(const Error &error)
{
    return ApiReply::error(400, QStringLiteral("bad_request"), error.message);
}

} // namespace Shivx::ApiBody

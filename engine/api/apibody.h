#pragma once

#include "api/apiroute.h"
#include "core/result.h"

#include <QJsonObject>
#include <QStringList>

// What every route that takes a JSON body needs, so that each answers bad input the same way:
// 400 with {"error": "bad_request", "message": "FIELD: what is wrong"}.
namespace Shivx::ApiBody {

// The body as a JSON object; an empty body is an empty object. A field outside `known` is
// refused, naming it and the known ones. `example` (may be empty) is shown when the body is
// not an object, e.g. {"state":"open"}.
Result<QJsonObject> object(
    const ApiRequest &request, const QStringList &known, const QString &example = {});

// A string field. Absent or null is "" unless `required`.
Result<QString> string(const QJsonObject &body, const char *name, bool required);

// Who asks, for the audit log: the body's "actor" when a client acts for a person
// ("cli:USER" or "console:USER", USER of 1-64 letters, digits, '_', '.', '@' or '-'),
// else "api". Any other value is refused: the audit chain records no free text as an actor.
Result<QString> actor(const QJsonObject &body);

// The 400 reply for one of the errors above (or any validation error of a route).
ApiReply badRequest(const Error &error);

} // namespace Shivx::ApiBody

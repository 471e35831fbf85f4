#pragma once

#include "core/message.h"

#include <QJsonObject>

namespace Shivx {

// A Message as JSON, `{"code", "args", "text"}`: how the API serves one and the stores keep it,
// so that a console reading it back words the code in its own language.
QJsonObject messageToJson(const Message &message);
// The inverse; a missing code reads back as verbatim text.
Message messageFromJson(const QJsonObject &object);

} // namespace Shivx

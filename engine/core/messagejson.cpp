#include "core/messagejson.h"

#include <QJsonArray>

namespace Shivx {

QJsonObject messageToJson(const Message &message)
{
    return { { QStringLiteral("code"), message.code },
        { QStringLiteral("args"), QJsonArray::fromVariantList(message.args) },
        { QStringLiteral("text"), message.text } };
}

Message messageFromJson(const QJsonObject &object)
{
    Message m;
    m.code = object.value(QStringLiteral("code")).toString();
    m.text = object.value(QStringLiteral("text")).toString();
    for (const QJsonValue &a : object.value(QStringLiteral("args")).toArray())
        m.args.append(a.toVariant());
    return m;
}

} // namespace Shivx

#include "audit/canonicaljson.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace Shivx::CanonicalJson {

namespace {

constexpr double kMaxExactInteger = 9007199254740992.0; // 2^53

bool hasLoneSurrogate(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isHighSurrogate()) {
            if (i + 1 >= text.size() || !text.at(i + 1).isLowSurrogate())
                return true;
            ++i;
        } else if (c.isLowSurrogate()) {
            return true;
        }
    }
    return false;
}

bool write(QByteArray &out, const QJsonValue &value, const QString &path, Error *error)
{
    switch (value.type()) {
    case QJsonValue::Null:
        out += "null";
        return true;
    case QJsonValue::Bool:
        out += value.toBool() ? "true" : "false";
        return true;
    case QJsonValue::Double: {
        const double d = value.toDouble();
        if (!std::isfinite(d) || std::floor(d) != d || std::fabs(d) > kMaxExactInteger) {
            *error = makeError("audit.json_number",
                               QStringLiteral("%1: %2 is not an integer within +-2^53; put decimals in a string")
                                   .arg(path.isEmpty() ? QStringLiteral("$") : path)
                                   .arg(d, 0, 'g', 17));
            return false;
        }
        out += QByteArray::number(qint64(d));
        return true;
    }
    case QJsonValue::String:
        if (!appendString(out, value.toString())) {
            *error = makeError("audit.json_string", QStringLiteral("%1: string has a lone UTF-16 surrogate").arg(path));
            return false;
        }
        return true;
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        out += '[';
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (i)
                out += ',';
            if (!write(out, array.at(i), QStringLiteral("%1[%2]").arg(path).arg(i), error))
                return false;
        }
        out += ']';
        return true;
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        // QJsonObject orders keys by UTF-16 code units, Python by code points; UTF-8 byte
        // order equals code point order, so sort on the encoded keys.
        QList<QPair<QByteArray, QString>> keys;
        keys.reserve(object.size());
        for (auto it = object.begin(); it != object.end(); ++it)
            keys.append({it.key().toUtf8(), it.key()});
        std::sort(keys.begin(), keys.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
        out += '{';
        bool first = true;
        for (const auto &key : std::as_const(keys)) {
            if (!first)
                out += ',';
            first = false;
            const QString childPath = path.isEmpty() ? key.second : path + QLatin1Char('.') + key.second;
            if (!appendString(out, key.second)) {
                *error = makeError("audit.json_string", QStringLiteral("%1: key has a lone UTF-16 surrogate").arg(childPath));
                return false;
            }
            out += ':';
            if (!write(out, object.value(key.second), childPath, error))
                return false;
        }
        out += '}';
        return true;
    }
    case QJsonValue::Undefined:
        break;
    }
    *error = makeError("audit.json_value", QStringLiteral("%1: undefined value").arg(path));
    return false;
}

} // namespace

bool appendString(QByteArray &out, const QString &text)
{
    if (hasLoneSurrogate(text))
        return false;
    static const char hex[] = "0123456789abcdef";
    const QByteArray utf8 = text.toUtf8();
    out.reserve(out.size() + utf8.size() + 2);
    out += '"';
    for (const char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 0xf];
            } else {
                out += ch;
            }
        }
    }
    out += '"';
    return true;
}

Result<QByteArray> serialize(const QJsonValue &value)
{
    QByteArray out;
    Error error;
    if (!write(out, value, QString(), &error))
        return error;
    return out;
}

Result<QByteArray> serialize(const QJsonObject &object)
{
    return serialize(QJsonValue(object));
}

} // namespace Shivx::CanonicalJson

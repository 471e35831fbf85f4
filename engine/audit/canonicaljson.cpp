#include "audit/canonicaljson.h"

#include <QJsonArray>
#include <QStringList>
#include <QVarLengthArray>

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

void appendUtf8String(QByteArray &out, const QByteArray &utf8)
{
    static const char hex[] = "0123456789abcdef";
    out.reserve(out.size() + utf8.size() + 2);
    out += '"';
    for (const char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
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
}

// On failure `*where` receives the failing member's path from the inside out ("b", "[1]",
// "a"); building it only then keeps the common path free of string work per member.
struct Failure
{
    QString what;
    QStringList where;
};

QString joinPath(const QStringList &insideOut)
{
    QString path;
    for (auto it = insideOut.rbegin(); it != insideOut.rend(); ++it)
        path += (path.isEmpty() || it->startsWith(QLatin1Char('[')) ? QString()
                                                                    : QStringLiteral("."))
            + *it;
    return path.isEmpty() ? QStringLiteral("$") : path;
}

bool write(QByteArray &out, const QJsonValue &value, Failure *failure)
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
            failure->what
                = QStringLiteral("%1 is not an integer within +-2^53; put decimals in a string")
                      .arg(d, 0, 'g', 17);
            return false;
        }
        out += QByteArray::number(qint64(d));
        return true;
    }
    case QJsonValue::String:
        if (!appendString(out, value.toString())) {
            failure->what = QStringLiteral("string has a lone UTF-16 surrogate");
            return false;
        }
        return true;
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        out += '[';
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (i)
                out += ',';
            if (!write(out, array.at(i), failure)) {
                failure->where.append(QStringLiteral("[%1]").arg(i));
                return false;
            }
        }
        out += ']';
        return true;
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        // QJsonObject orders keys by UTF-16 code units, Python by code points; UTF-8 byte
        // order equals code point order, so sort on the encoded keys.
        QVarLengthArray<QPair<QByteArray, QJsonValue>, 16> members;
        members.reserve(object.size());
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString key = it.key();
            if (hasLoneSurrogate(key)) {
                failure->what = QStringLiteral("key has a lone UTF-16 surrogate");
                failure->where.append(key);
                return false;
            }
            members.append({ key.toUtf8(), it.value() });
        }
        std::sort(members.begin(), members.end(),
            [](const auto &a, const auto &b) { return a.first < b.first; });
        out += '{';
        bool first = true;
        for (const auto &member : std::as_const(members)) {
            if (!first)
                out += ',';
            first = false;
            appendUtf8String(out, member.first);
            out += ':';
            if (!write(out, member.second, failure)) {
                failure->where.append(QString::fromUtf8(member.first));
                return false;
            }
        }
        out += '}';
        return true;
    }
    case QJsonValue::Undefined:
        break;
    }
    failure->what = QStringLiteral("undefined value");
    return false;
}

} // namespace

bool appendString(QByteArray &out, const QString &text)
{
    if (hasLoneSurrogate(text))
        return false;
    appendUtf8String(out, text.toUtf8());
    return true;
}

Result<QByteArray> serialize(const QJsonValue &value)
{
    QByteArray out;
    Failure failure;
    if (!write(out, value, &failure)) {
        const char *code = failure.what.contains(QLatin1String("surrogate")) ? "audit.json_string"
            : failure.what.startsWith(QLatin1String("undefined"))            ? "audit.json_value"
                                                                             : "audit.json_number";
        return makeError(code, QStringLiteral("%1: %2").arg(joinPath(failure.where), failure.what));
    }
    return out;
}

Result<QByteArray> serialize(const QJsonObject &object)
{
    return serialize(QJsonValue(object));
}

} // namespace Shivx::CanonicalJson

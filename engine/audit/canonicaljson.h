#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>

namespace Shivx::CanonicalJson {

// The one serialisation of JSON the audit chain hashes: byte for byte what Python writes with
//   json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
// Members sorted by code point, no insignificant whitespace, UTF-8 as is, only the escapes
// JSON requires (\" \\ \b \f \n \r \t, other controls as \u00xx lowercase). Integers only:
// a non-integral number, one beyond +-2^53 (where doubles stop being exact), NaN/inf or a
// lone UTF-16 surrogate is an error naming the JSON path, because Python would write it
// differently or not at all. Decimals belong in strings.
Result<QByteArray> serialize(const QJsonObject &object);
Result<QByteArray> serialize(const QJsonValue &value);

// Appends one JSON string literal (quotes included) in the canonical form. Fails only on
// lone surrogates.
bool appendString(QByteArray &out, const QString &text);

} // namespace Shivx::CanonicalJson

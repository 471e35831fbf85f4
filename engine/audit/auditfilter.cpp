#include "audit/auditfilter.h"

#include "audit/canonicaljson.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace Shivx {

namespace {

char lowerAscii(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

// Substring search with ASCII letters folded; `needle` is lowercase already. Non-ASCII bytes
// compare exactly, which keeps the search on bytes (no UTF-8 decoding per line).
bool containsFolded(QByteArrayView haystack, const QByteArray &needle)
{
    if (needle.isEmpty())
        return true;
    const auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
        [](char a, char b) { return lowerAscii(a) == b; });
    return it != haystack.end();
}

QByteArray foldedUtf8(const QString &text)
{
    // toLower() on the QString also folds non-ASCII letters of the needle; the haystack's
    // non-ASCII bytes are compared as written, so "Ä" finds "ä" only if written lowercase.
    return text.toLower().toUtf8();
}

// The body of the JSON string that starts at line[pos] (after its opening quote), and the
// position after its closing quote; body is decoded when it contains escapes.
bool readString(QByteArrayView line, qsizetype pos, QByteArray *body, qsizetype *end)
{
    bool escaped = false;
    for (qsizetype i = pos; i < line.size(); ++i) {
        const char c = line[i];
        if (c == '\\') {
            escaped = true;
            ++i; // skip the escaped character
            continue;
        }
        if (c == '"') {
            const QByteArrayView raw = line.sliced(pos, i - pos);
            if (!escaped) {
                *body = raw.toByteArray();
            } else {
                const QByteArray wrapped = "[\"" + raw.toByteArray() + "\"]";
                const QJsonDocument doc = QJsonDocument::fromJson(wrapped);
                if (!doc.isArray())
                    return false;
                *body = doc.array().at(0).toString().toUtf8();
            }
            *end = i + 1;
            return true;
        }
    }
    return false;
}

int digits(QByteArrayView s, qsizetype pos, int count, bool *ok)
{
    int v = 0;
    for (int i = 0; i < count; ++i) {
        const char c = s[pos + i];
        if (c < '0' || c > '9') {
            *ok = false;
            return 0;
        }
        v = v * 10 + (c - '0');
    }
    return v;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
qint64 daysFromCivil(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return qint64(era) * 146097 + doe - 719468;
}

// "YYYY-MM-DDTHH:MM:SS.mmmZ" at pos -> epoch ms.
bool parseTs(QByteArrayView s, qsizetype pos, qint64 *ms)
{
    if (s[pos + 4] != '-' || s[pos + 7] != '-' || s[pos + 10] != 'T' || s[pos + 13] != ':'
        || s[pos + 16] != ':' || s[pos + 19] != '.' || s[pos + 23] != 'Z')
        return false;
    bool ok = true;
    const int y = digits(s, pos, 4, &ok), mo = digits(s, pos + 5, 2, &ok),
              d = digits(s, pos + 8, 2, &ok), h = digits(s, pos + 11, 2, &ok),
              mi = digits(s, pos + 14, 2, &ok), se = digits(s, pos + 17, 2, &ok),
              milli = digits(s, pos + 20, 3, &ok);
    if (!ok || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return false;
    *ms = ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60'000LL + se * 1000LL + milli;
    return true;
}

} // namespace

bool AuditFilter::isEmpty() const
{
    return action.isEmpty() && actor.isEmpty() && fromMs == 0 && toMs == 0 && text.isEmpty();
}

bool AuditFilter::operator==(const AuditFilter &o) const
{
    return action == o.action && actor == o.actor && fromMs == o.fromMs && toMs == o.toMs
        && text == o.text;
}

namespace {

// The action, actor (decoded UTF-8) and ts of a canonical entry line, or false.
bool extractRaw(QByteArrayView line, QByteArray *action, QByteArray *actor, qint64 *tsMs)
{
    static constexpr QByteArrayView kActionKey("{\"action\":\"");
    static constexpr QByteArrayView kActorKey(",\"actor\":\"");
    // ,"ts":"YYYY-MM-DDTHH:MM:SS.mmmZ"}  — always the last 33 bytes of a canonical line.
    static constexpr QByteArrayView kTsKey(",\"ts\":\"");
    constexpr qsizetype kTail = 33;
    if (line.size() < kActionKey.size() + kTail || !line.startsWith(kActionKey)
        || !line.endsWith("\"}"))
        return false;
    qsizetype pos = 0;
    if (!readString(line, kActionKey.size(), action, &pos))
        return false;
    if (!line.sliced(pos).startsWith(kActorKey))
        return false;
    if (!readString(line, pos + kActorKey.size(), actor, &pos))
        return false;
    const qsizetype tsAt = line.size() - kTail;
    if (tsAt < pos || line.sliced(tsAt, kTsKey.size()) != kTsKey)
        return false;
    return parseTs(line, tsAt + kTsKey.size(), tsMs);
}

} // namespace

AuditLineFields AuditLineFields::extract(QByteArrayView line)
{
    AuditLineFields f;
    QByteArray action, actor;
    if (!extractRaw(line, &action, &actor, &f.tsMs))
        return f;
    f.action = QString::fromUtf8(action);
    f.actor = QString::fromUtf8(actor);
    f.ok = true;
    return f;
}

AuditLineMatcher::AuditLineMatcher(const AuditFilter &filter)
    : m_filter(filter)
    , m_action(foldedUtf8(filter.action))
    , m_actor(foldedUtf8(filter.actor))
{
    if (!filter.text.isEmpty()) {
        // Search for the text as it is written inside a JSON string, so that quotes and
        // backslashes in the search text find their escaped form in the line.
        QByteArray literal;
        CanonicalJson::appendString(literal, filter.text.toLower());
        m_text = literal.mid(1, literal.size() - 2);
    }
    m_needFields
        = !m_action.isEmpty() || !m_actor.isEmpty() || filter.fromMs != 0 || filter.toMs != 0;
}

bool AuditLineMatcher::matches(QByteArrayView line) const
{
    if (m_needFields) {
        QByteArray action, actor;
        qint64 tsMs = 0;
        if (!extractRaw(line, &action, &actor, &tsMs))
            return false;
        if (m_filter.fromMs != 0 && tsMs < m_filter.fromMs)
            return false;
        if (m_filter.toMs != 0 && tsMs > m_filter.toMs)
            return false;
        if (!containsFolded(action, m_action) || !containsFolded(actor, m_actor))
            return false;
    }
    return containsFolded(line, m_text);
}

} // namespace Shivx

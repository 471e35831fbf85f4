#include "audit/canonicalcheck.h"

#include <algorithm>
#include <cstring>
#include <string>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace Shivx::Internal::CanonicalCheck {

namespace {

bool isLowerHexDigit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

int hexValue(char c)
{
    return c <= '9' ? c - '0' : c - 'a' + 10;
}

// A key as the code points it names, for ordering keys that contain escapes (the escaped
// characters sort below the characters written as is, so raw bytes would order them wrongly).
std::string decodedKey(const char *k, int n)
{
    std::string out;
    for (int i = 0; i < n; ++i) {
        if (k[i] != '\\') {
            out += k[i];
            continue;
        }
        const char e = k[++i];
        switch (e) {
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': out += char(hexValue(k[i + 3]) * 16 + hexValue(k[i + 4])); i += 4; break;
        default: out += e;   // \" and \\ (the only other escapes a checked key holds)
        }
    }
    return out;
}

// <0 when a sorts before b, 0 when equal. UTF-8 byte order is code point order.
int compareKeys(const Member &a, bool aEscaped, const Member &b, bool bEscaped)
{
    if (aEscaped || bEscaped)
        return decodedKey(a.key, a.keyLength).compare(decodedKey(b.key, b.keyLength));
    // Most neighbouring keys differ in their first byte.
    if (a.keyLength > 0 && b.keyLength > 0 && a.key[0] != b.key[0])
        return static_cast<unsigned char>(a.key[0]) - static_cast<unsigned char>(b.key[0]);
    const int c = std::memcmp(a.key, b.key, size_t(std::min(a.keyLength, b.keyLength)));
    return c != 0 ? c : a.keyLength - b.keyLength;
}

class Checker
{
public:
    Checker(const char *limit, Failure *failure) : m_limit(limit), m_failure(failure) {}

    const char *object(const char *p, int depth, Member *members, int maxMembers, int *count)
    {
        ++p;
        int n = 0;
        if (p < m_limit && *p == '}') {
            *count = 0;
            return p + 1;
        }
        Member previous;
        bool previousEscaped = false;
        for (;;) {
            if (p >= m_limit || *p != '"')
                return fail(p, "expected a member name in double quotes");
            Member m;
            m.key = p + 1;
            bool escaped = false;
            const char *q = string(p, &escaped);
            if (!q)
                return nullptr;
            m.keyLength = int(q - 1 - m.key);
            if (n > 0) {
                const int order = compareKeys(previous, previousEscaped, m, escaped);
                if (order >= 0)
                    return fail(p, order == 0 ? "duplicate member name" : "members are not sorted by name");
            }
            if (q >= m_limit || *q != ':')
                return fail(q, "expected ':' after a member name");
            m.value = q + 1;
            q = value(q + 1, depth);
            if (!q)
                return nullptr;
            m.valueEnd = q;
            if (n < maxMembers)
                members[n] = m;
            ++n;
            previous = m;
            previousEscaped = escaped;
            if (q >= m_limit)
                return fail(q, "object not closed before the end of the line");
            if (*q == '}') {
                *count = n;
                return q + 1;
            }
            if (*q != ',')
                return fail(q, "expected ',' or '}' after a member (canonical JSON has no whitespace)");
            p = q + 1;
        }
    }

private:
    const char *fail(const char *at, const char *what)
    {
        m_failure->at = std::min(at, m_limit);
        m_failure->what = what;
        return nullptr;
    }

    const char *value(const char *p, int depth)
    {
        if (p >= m_limit)
            return fail(p, "expected a value");
        switch (*p) {
        case '"': {
            bool escaped = false;
            return string(p, &escaped);
        }
        case '{': {
            if (depth >= MaxDepth)
                return fail(p, "objects and arrays nested too deeply");
            int count = 0;
            return object(p, depth + 1, nullptr, 0, &count);
        }
        case '[':
            if (depth >= MaxDepth)
                return fail(p, "objects and arrays nested too deeply");
            return array(p, depth + 1);
        case 't': return literal(p, "true", 4);
        case 'f': return literal(p, "false", 5);
        case 'n': return literal(p, "null", 4);
        default:
            if (*p == '-' || (*p >= '0' && *p <= '9'))
                return number(p);
            return fail(p, "expected a value (canonical JSON has no whitespace)");
        }
    }

    const char *literal(const char *p, const char *word, int n)
    {
        if (m_limit - p < n || std::memcmp(p, word, size_t(n)) != 0)
            return fail(p, "expected a value");
        return p + n;
    }

    const char *array(const char *p, int depth)
    {
        ++p;
        if (p < m_limit && *p == ']')
            return p + 1;
        for (;;) {
            const char *q = value(p, depth);
            if (!q)
                return nullptr;
            if (q >= m_limit)
                return fail(q, "array not closed before the end of the line");
            if (*q == ']')
                return q + 1;
            if (*q != ',')
                return fail(q, "expected ',' or ']' after an array element");
            p = q + 1;
        }
    }

    const char *number(const char *p)
    {
        const char *q = p;
        if (*q == '-')
            ++q;
        const char *digits = q;
        if (q >= m_limit || *q < '0' || *q > '9')
            return fail(p, "expected a digit");
        if (*q == '0') {
            ++q;
            if (q < m_limit && *q >= '0' && *q <= '9')
                return fail(p, "integer with a leading zero");
            if (*p == '-')
                return fail(p, "-0 is not canonical (it is written 0)");
        } else {
            while (q < m_limit && *q >= '0' && *q <= '9')
                ++q;
        }
        if (q < m_limit && (*q == '.' || *q == 'e' || *q == 'E'))
            return fail(p, "number with a fraction or exponent: entries hold integers only (decimals go in as strings)");
        static constexpr char maxExact[] = "9007199254740992";   // 2^53
        const long n = long(q - digits);
        if (n > 16 || (n == 16 && std::memcmp(digits, maxExact, 16) > 0))
            return fail(p, "integer beyond +-2^53 (canonical entries hold exact integers only)");
        return q;
    }

    // p at the opening quote; returns the byte after the closing one.
    const char *string(const char *p, bool *escaped)
    {
        ++p;
        for (;;) {
            p = skipPlain(p);
            if (p >= m_limit)
                return fail(p, "string not closed before the end of the line");
            const auto c = static_cast<unsigned char>(*p);
            if (c == '"')
                return p + 1;
            if (c == '\\') {
                *escaped = true;
                p = escape(p);
            } else if (c < 0x20) {
                return fail(p, "control character in a string (it must be escaped)");
            } else {
                p = utf8(p);
            }
            if (!p)
                return nullptr;
        }
    }

    // The first byte at or after p that is a quote, a backslash, a control character or not
    // ASCII; may return a position at or past the limit.
    const char *skipPlain(const char *p) const
    {
#ifdef __SSE2__
        const __m128i quote = _mm_set1_epi8('"');
        const __m128i backslash = _mm_set1_epi8('\\');
        const __m128i space = _mm_set1_epi8(0x20);
        while (p < m_limit) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
            // Signed compare: bytes >= 0x80 are negative, so this also stops at non-ASCII.
            const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                                 _mm_cmplt_epi8(v, space));
            const int mask = _mm_movemask_epi8(special);
            if (mask)
                return p + __builtin_ctz(unsigned(mask));
            p += 16;
        }
        return p;
#else
        while (p < m_limit) {
            const auto c = static_cast<unsigned char>(*p);
            if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
                return p;
            ++p;
        }
        return p;
#endif
    }

    const char *escape(const char *p)
    {
        if (m_limit - p < 2)
            return fail(p, "string not closed before the end of the line");
        switch (p[1]) {
        case '"': case '\\': case 'b': case 'f': case 'n': case 'r': case 't':
            return p + 2;
        case 'u':
            break;
        default:
            return fail(p, "escape that canonical JSON does not use (only \\\" \\\\ \\b \\f \\n \\r \\t and \\u00XX)");
        }
        if (m_limit - p < 6 || p[2] != '0' || p[3] != '0' || (p[4] != '0' && p[4] != '1') || !isLowerHexDigit(p[5]))
            return fail(p, "\\u escape of a character canonical JSON writes as is (only control characters are "
                           "escaped as \\u00XX, in lowercase)");
        const int code = (p[4] - '0') * 16 + hexValue(p[5]);
        if (code == '\b' || code == '\f' || code == '\n' || code == '\r' || code == '\t')
            return fail(p, "\\u escape where canonical JSON uses \\b, \\f, \\n, \\r or \\t");
        return p + 6;
    }

    // One UTF-8 sequence of 2 to 4 bytes: no overlong forms, no surrogates, at most U+10FFFF.
    const char *utf8(const char *p)
    {
        const auto b = [p](int i) { return static_cast<unsigned char>(p[i]); };
        const auto cont = [&b](int i) { return (b(i) & 0xC0) == 0x80; };
        const unsigned char c = b(0);
        int n = 0;
        bool ok = false;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
        } else {
            return fail(p, "invalid UTF-8");
        }
        if (m_limit - p < n)
            return fail(p, "invalid UTF-8 (a sequence cut short)");
        switch (n) {
        case 2:
            ok = cont(1);
            break;
        case 3:
            ok = cont(1) && cont(2) && !(c == 0xE0 && b(1) < 0xA0) && !(c == 0xED && b(1) >= 0xA0);
            break;
        default:
            ok = cont(1) && cont(2) && cont(3) && !(c == 0xF0 && b(1) < 0x90) && !(c == 0xF4 && b(1) >= 0x90);
        }
        if (!ok)
            return fail(p, "invalid UTF-8 (bad continuation, overlong form, surrogate or beyond U+10FFFF)");
        return p + n;
    }

    const char *m_limit;
    Failure *m_failure;
};

} // namespace

const char *checkObject(const char *p, const char *limit, Member *members, int maxMembers, int *memberCount,
                        Failure *failure)
{
    Checker checker(limit, failure);
    *memberCount = 0;
    if (p >= limit || *p != '{') {
        failure->at = p;
        failure->what = "expected '{' (an entry is one JSON object)";
        return nullptr;
    }
    return checker.object(p, 1, members, maxMembers, memberCount);
}

} // namespace Shivx::Internal::CanonicalCheck

#include "audit/verify/canonicalcheck.h"

#include <algorithm>
#include <cstdint>
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
        case 'b':
            out += '\b';
            break;
        case 'f':
            out += '\f';
            break;
        case 'n':
            out += '\n';
            break;
        case 'r':
            out += '\r';
            break;
        case 't':
            out += '\t';
            break;
        case 'u':
            out += char(hexValue(k[i + 3]) * 16 + hexValue(k[i + 4]));
            i += 4;
            break;
        default:
            out += e; // \" and \\ (the only other escapes a checked key holds)
        }
    }
    return out;
}

// A member name as found: its bytes between the quotes and whether it holds an escape.
struct Key
{
    const char *bytes = nullptr;
    int length = 0;
    bool escaped = false;
};

// <0 when a sorts before b, 0 when equal. UTF-8 byte order is code point order.
int compareKeys(const Key &a, const Key &b)
{
    if (a.escaped || b.escaped)
        return decodedKey(a.bytes, a.length).compare(decodedKey(b.bytes, b.length));
    // Keys are short and mostly differ early: a byte loop beats a call to memcmp.
    const int n = std::min(a.length, b.length);
    for (int i = 0; i < n; ++i) {
        if (a.bytes[i] != b.bytes[i])
            return static_cast<unsigned char>(a.bytes[i]) - static_cast<unsigned char>(b.bytes[i]);
    }
    return a.length - b.length;
}

#define SHIVX_HOT inline __attribute__((always_inline))
#define SHIVX_COLD __attribute__((noinline))

class Checker
{
public:
    Checker(const char *limit, Failure *failure)
        : m_limit(limit)
        , m_failure(failure)
    {
    }

    const char *object(const char *p, int depth, Member *members, int maxMembers, int *count)
    {
        ++p;
        int n = 0;
        if (p < m_limit && *p == '}') {
            *count = 0;
            return p + 1;
        }
        Key previous; // plain locals, so that the names stay in registers
        for (;; ++n) {
            if (p >= m_limit || *p != '"')
                return fail(p, "expected a member name in double quotes");
            Key key;
            key.bytes = p + 1;
            bool escaped = false;
            const char *q = string(p, &escaped);
            if (!q)
                return nullptr;
            key.escaped = escaped;
            key.length = int(q - 1 - key.bytes);
            if (n > 0) {
                const int order = compareKeys(previous, key);
                if (order >= 0)
                    return fail(
                        p, order == 0 ? "duplicate member name" : "members are not sorted by name");
            }
            previous = key;
            if (q >= m_limit || *q != ':')
                return fail(q, "expected ':' after a member name");
            const char *value = q + 1;
            q = scalarOrValue(value, depth);
            if (!q)
                return nullptr;
            if (n < maxMembers) {
                Member &m = members[n];
                m.key = key.bytes;
                m.keyLength = key.length;
                m.value = value;
                m.valueEnd = q;
            }
            if (q >= m_limit)
                return fail(q, "object not closed before the end of the line");
            if (*q == '}') {
                *count = n + 1;
                return q + 1;
            }
            if (*q != ',')
                return fail(
                    q, "expected ',' or '}' after a member (canonical JSON has no whitespace)");
            p = q + 1;
        }
    }

private:
    SHIVX_COLD const char *fail(const char *at, const char *what)
    {
        m_failure->at = std::min(at, m_limit);
        m_failure->what = what;
        return nullptr;
    }

    // Strings and integers, the common values, without a call.
    SHIVX_HOT const char *scalarOrValue(const char *p, int depth)
    {
        if (p < m_limit) {
            if (*p == '"') {
                bool escaped = false;
                return string(p, &escaped);
            }
            if (*p >= '1' && *p <= '9')
                return number(p);
        }
        return value(p, depth);
    }

    SHIVX_COLD const char *value(const char *p, int depth)
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
        case 't':
            return literal(p, "true", 4);
        case 'f':
            return literal(p, "false", 5);
        case 'n':
            return literal(p, "null", 4);
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
            const char *q = scalarOrValue(p, depth);
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

    SHIVX_HOT const char *number(const char *p)
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
            return fail(p,
                "number with a fraction or exponent: entries hold integers only (decimals go in as "
                "strings)");
        static constexpr char maxExact[] = "9007199254740992"; // 2^53
        const long n = long(q - digits);
        if (n > 16 || (n == 16 && std::memcmp(digits, maxExact, 16) > 0))
            return fail(p, "integer beyond +-2^53 (canonical entries hold exact integers only)");
        return q;
    }

    // p at the opening quote; returns the byte after the closing one.
    SHIVX_HOT const char *string(const char *p, bool *escaped)
    {
        bool quote = false;
        p = skipPlain(p + 1, &quote);
        if (quote && p < m_limit)
            return p + 1;
        return stringFromSpecial(p, escaped);
    }

    // The rest of a string from its first byte that is not plain ASCII (or the limit).
    SHIVX_COLD const char *stringFromSpecial(const char *p, bool *escaped)
    {
        for (;;) {
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
            bool quote = false;
            p = skipPlain(p, &quote);
        }
    }

    // The first byte at or after p that is a quote, a backslash, a control character or not
    // ASCII; may return a position at or past the limit. *quote tells whether it is a double
    // quote, from the window's masks rather than a load of the byte (which would wait for the
    // position to be computed).
    SHIVX_HOT const char *skipPlain(const char *p, bool *quote)
    {
#ifdef __SSE2__
        // The special bytes of a 64-byte window are found at once and kept for the strings that
        // follow: a loop of 16-byte steps per string mispredicted its exit on most strings (a
        // line's strings are 2 to 65 bytes long).
        for (;;) {
            const auto offset = std::uintptr_t(p - m_window);
            if (offset < 64) {
                const std::uint64_t rest = m_specials >> offset;
                if (rest) {
                    const int i = __builtin_ctzll(rest);
                    *quote = (m_quotes >> (offset + unsigned(i))) & 1;
                    return p + i;
                }
                p = m_window + 64;
            }
            if (p >= m_limit) {
                *quote = false;
                return p;
            }
            m_window = p;
            findSpecials(p);
        }
#else
        while (p < m_limit) {
            const auto c = static_cast<unsigned char>(*p);
            if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) {
                *quote = c == '"';
                return p;
            }
            ++p;
        }
        *quote = false;
        return p;
#endif
    }

#ifdef __SSE2__
    // Sets bit i of m_specials when p[i] is a quote, a backslash, a control character or not
    // ASCII, and of m_quotes when it is a quote.
    void findSpecials(const char *p)
    {
        const __m128i quoteChar = _mm_set1_epi8('"');
        const __m128i backslash = _mm_set1_epi8('\\');
        const __m128i space = _mm_set1_epi8(0x20);
        std::uint64_t specials = 0;
        std::uint64_t quotes = 0;
        for (int i = 0; i < 4; ++i) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + 16 * i));
            const __m128i q = _mm_cmpeq_epi8(v, quoteChar);
            // Signed compare: bytes >= 0x80 are negative, so this also flags non-ASCII.
            const __m128i special = _mm_or_si128(
                _mm_or_si128(q, _mm_cmpeq_epi8(v, backslash)), _mm_cmplt_epi8(v, space));
            specials |= std::uint64_t(unsigned(_mm_movemask_epi8(special))) << (16 * i);
            quotes |= std::uint64_t(unsigned(_mm_movemask_epi8(q))) << (16 * i);
        }
        m_specials = specials;
        m_quotes = quotes;
    }
#endif

    const char *escape(const char *p)
    {
        if (m_limit - p < 2)
            return fail(p, "string not closed before the end of the line");
        switch (p[1]) {
        case '"':
        case '\\':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
            return p + 2;
        case 'u':
            break;
        default:
            return fail(p,
                "escape that canonical JSON does not use (only \\\" \\\\ \\b \\f \\n \\r \\t and "
                "\\u00XX)");
        }
        if (m_limit - p < 6 || p[2] != '0' || p[3] != '0' || (p[4] != '0' && p[4] != '1')
            || !isLowerHexDigit(p[5]))
            return fail(p,
                "\\u escape of a character canonical JSON writes as is (only control characters "
                "are "
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
            ok = cont(1) && cont(2) && cont(3) && !(c == 0xF0 && b(1) < 0x90)
                && !(c == 0xF4 && b(1) >= 0x90);
        }
        if (!ok)
            return fail(
                p, "invalid UTF-8 (bad continuation, overlong form, surrogate or beyond U+10FFFF)");
        return p + n;
    }

    const char *m_limit;
    Failure *m_failure;
    const char *m_window = nullptr; // the 64 bytes whose special bytes m_specials marks
    std::uint64_t m_specials = 0;
    std::uint64_t m_quotes = 0;
};

} // namespace

const char *checkObject(const char *p, const char *limit, Member *members, int maxMembers,
    int *memberCount, Failure *failure)
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

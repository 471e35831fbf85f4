#include "audit/verify/linescanner.h"

#include "audit/verify/canonicalcheck.h"
#include "audit/verify/sha256lanes.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace Shivx::Internal::LineScanner {

namespace {

constexpr int HexLen = 64;
constexpr int MemberCount = 8;
// `,"hash":"<64 hex>"`: cut out of the line (with the comma before it) to form the hashed bytes.
constexpr int HashMemberLen = 9 + HexLen + 1;
constexpr const char *MemberNames[MemberCount]
    = { "action", "actor", "data", "hash", "prev", "seq", "stream", "ts" };

// A member name and its closing quote (at most 8 bytes) as one little-endian word, so that each
// name is checked with one load and compare.
constexpr std::uint64_t quotedName(const char *name)
{
    std::uint64_t v = 0;
    int i = 0;
    for (; name[i]; ++i)
        v |= std::uint64_t(static_cast<unsigned char>(name[i])) << (8 * i);
    return v | std::uint64_t('"') << (8 * i);
}

constexpr std::uint64_t quotedNameMask(const char *name)
{
    int n = 1;
    while (name[n - 1])
        ++n;
    return n >= 8 ? ~std::uint64_t(0) : (std::uint64_t(1) << (8 * n)) - 1;
}

bool isMemberName(const char *key, int i)
{
    static constexpr std::uint64_t names[MemberCount]
        = { quotedName(MemberNames[0]), quotedName(MemberNames[1]), quotedName(MemberNames[2]),
              quotedName(MemberNames[3]), quotedName(MemberNames[4]), quotedName(MemberNames[5]),
              quotedName(MemberNames[6]), quotedName(MemberNames[7]) };
    static constexpr std::uint64_t masks[MemberCount]
        = { quotedNameMask(MemberNames[0]), quotedNameMask(MemberNames[1]),
              quotedNameMask(MemberNames[2]), quotedNameMask(MemberNames[3]),
              quotedNameMask(MemberNames[4]), quotedNameMask(MemberNames[5]),
              quotedNameMask(MemberNames[6]), quotedNameMask(MemberNames[7]) };
    std::uint64_t word; // the key is followed by `":` and a value: 8 bytes are inside the line
    std::memcpy(&word, key, sizeof word);
    return (word & masks[i]) == names[i];
}
enum { Action, Actor, Data, Hash, Prev, Seq, Stream, Ts };

bool isLowerHex(const char *p, int n)
{
    for (int i = 0; i < n; ++i) {
        const char c = p[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

bool isDigits(const char *p, int n)
{
    for (int i = 0; i < n; ++i)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return true;
}

int num(const char *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; ++i)
        v = v * 10 + (p[i] - '0');
    return v;
}

// "YYYY-MM-DDTHH:MM:SS.mmmZ" with plausible ranges.
bool isTimestamp(const char *t)
{
    return isDigits(t, 4) && t[4] == '-' && isDigits(t + 5, 2) && t[7] == '-' && isDigits(t + 8, 2)
        && t[10] == 'T' && isDigits(t + 11, 2) && t[13] == ':' && isDigits(t + 14, 2)
        && t[16] == ':' && isDigits(t + 17, 2) && t[19] == '.' && isDigits(t + 20, 3)
        && t[23] == 'Z' && num(t + 5, 2) >= 1 && num(t + 5, 2) <= 12 && num(t + 8, 2) >= 1
        && num(t + 8, 2) <= 31 && num(t + 11, 2) < 24 && num(t + 14, 2) < 60 && num(t + 17, 2) < 60;
}

void toHex(const unsigned char *digest, char *out)
{
    static constexpr char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; ++i) {
        out[2 * i] = digits[digest[i] >> 4];
        out[2 * i + 1] = digits[digest[i] & 15];
    }
}

// Every line compares a recorded hash with a digest and a prev with a hash, so both are done
// 16 bytes at a time where the CPU allows.
#ifdef __SSE2__

// Whether the 64 characters at hex are the lowercase hex of the 32-byte digest.
bool spellsDigest(const char *hex, const unsigned char *digest)
{
    const __m128i low = _mm_set1_epi8(0x0f);
    const __m128i nine = _mm_set1_epi8(9);
    const __m128i zero = _mm_set1_epi8('0');
    const __m128i letters = _mm_set1_epi8('a' - '0' - 10);
    __m128i diff = _mm_setzero_si128();
    for (int i = 0; i < 2; ++i) {
        const __m128i d = _mm_loadu_si128(reinterpret_cast<const __m128i *>(digest + 16 * i));
        const __m128i hi = _mm_and_si128(_mm_srli_epi16(d, 4), low);
        const __m128i lo = _mm_and_si128(d, low);
        const __m128i nibbles[2] = { _mm_unpacklo_epi8(hi, lo), _mm_unpackhi_epi8(hi, lo) };
        for (int half = 0; half < 2; ++half) {
            const __m128i n = nibbles[half];
            const __m128i ascii = _mm_add_epi8(
                _mm_add_epi8(n, zero), _mm_and_si128(_mm_cmpgt_epi8(n, nine), letters));
            const __m128i recorded
                = _mm_loadu_si128(reinterpret_cast<const __m128i *>(hex + 32 * i + 16 * half));
            diff = _mm_or_si128(diff, _mm_xor_si128(ascii, recorded));
        }
    }
    return _mm_movemask_epi8(_mm_cmpeq_epi8(diff, _mm_setzero_si128())) == 0xffff;
}

bool sameHash(const char *a, const char *b)
{
    __m128i diff = _mm_setzero_si128();
    for (int i = 0; i < HexLen; i += 16)
        diff = _mm_or_si128(diff,
            _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i *>(a + i)),
                _mm_loadu_si128(reinterpret_cast<const __m128i *>(b + i))));
    return _mm_movemask_epi8(_mm_cmpeq_epi8(diff, _mm_setzero_si128())) == 0xffff;
}

#else

bool spellsDigest(const char *hex, const unsigned char *digest)
{
    char computed[HexLen];
    toHex(digest, computed);
    return std::memcmp(computed, hex, HexLen) == 0;
}

bool sameHash(const char *a, const char *b)
{
    return std::memcmp(a, b, HexLen) == 0;
}

#endif

QLatin1String text(const char *b, const char *e)
{
    return QLatin1String(b, int(e - b));
}

// One line that passed every check but its hash, waiting for a second one to be hashed with.
struct Line
{
    const char *hash = nullptr; // the recorded hash (64 bytes in the chunk)
    qint64 seq = 0;
    qint64 index = 0;
    std::size_t length = 0; // hashed bytes in the lane's buffer
};

class Scanner
{
public:
    Scanner(const QByteArray &stream, const QList<qint64> &wanted)
        : m_stream(stream)
        , m_wanted(wanted)
    {
        m_want = m_wanted.cbegin();
    }

    ChunkScan run(const char *data, qint64 size, bool unterminated)
    {
        const char *p = data;
        const char *const end = data + size;
        // Outside the loop: initialising the members for every line cost 4% of the scan.
        CanonicalCheck::Member m[MemberCount];
        CanonicalCheck::Failure failure;
        while (p < end) {
            int count = 0;
            const char *q = CanonicalCheck::checkObject(p, end, m, MemberCount, &count, &failure);
            const bool terminated = q && q < end && *q == '\n';
            if (!terminated) {
                const char *nl = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
                if (!nl && unterminated)
                    return fail(BadJson, nextSeq(),
                        QStringLiteral("the last line is not terminated by a newline (a torn "
                                       "write: the engine moves such tails aside when it starts)"));
                if (q)
                    return fail(BadJson, nextSeq(),
                        QStringLiteral("byte %1: text after the entry's closing brace")
                            .arg(q - p + 1));
                if (nl && failure.at >= nl)
                    return fail(BadJson, nextSeq(),
                        QStringLiteral("byte %1: the line ends before the entry's JSON does "
                                       "(not canonical JSON)")
                            .arg(nl - p + 1));
                return fail(BadJson, nextSeq(),
                    QStringLiteral("byte %1: %2 (not canonical JSON)")
                        .arg(failure.at - p + 1)
                        .arg(QLatin1String(failure.what)));
            }
            if (!checkMembers(m, count))
                return std::move(m_r);
            const char *hash = m[Hash].value + 1;
            const char *prev = m[Prev].value + 1;
            const qint64 seq = seqOf(m[Seq]);
            if (!checkLink(seq, prev))
                return std::move(m_r);

            // The hashed bytes: the line without `,"hash":"<64>"`, then prev.
            const char *hashMember = m[Hash].key - 2;
            const std::size_t head = std::size_t(hashMember - p);
            const std::size_t tail = std::size_t(q - m[Hash].valueEnd);
            const int lane = m_pending ? 1 : 0;
            std::vector<unsigned char> &buf = m_lane[lane];
            const std::size_t length = head + tail + HexLen;
            if (buf.size() < length + Sha256Lanes::Padding)
                buf.resize(length + Sha256Lanes::Padding);
            std::memcpy(buf.data(), p, head);
            std::memcpy(buf.data() + head, m[Hash].valueEnd, tail);
            std::memcpy(buf.data() + head + tail, prev, HexLen);
            // Filled in place: building a Line and copying it stalled on store forwarding.
            Line &line = m_lines[lane];
            line.hash = hash;
            line.seq = seq;
            line.index = m_index;
            line.length = length;
            if (!m_pending) {
                m_pending = true;
            } else {
                unsigned char a[32];
                unsigned char b[32];
                Sha256Lanes::digest2(
                    m_lane[0].data(), m_lines[0].length, m_lane[1].data(), length, a, b);
                m_pending = false;
                if (!accept(m_lines[0], a) || !accept(line, b))
                    return std::move(m_r);
            }
            m_prevSeq = seq;
            m_prevHash = hash;
            ++m_index;
            p = q + 1;
        }
        if (!flush())
            return std::move(m_r);
        if (m_r.lines > 0) {
            m_r.lastSeq = m_prevSeq;
            m_r.lastHash = QByteArray(m_prevHash, HexLen);
        }
        return std::move(m_r);
    }

    // A pool thread keeps its buffers between chunks, but not the size of an exceptionally long
    // line.
    static void releaseLargeBuffers()
    {
        for (std::vector<unsigned char> &b : m_lane) {
            if (b.capacity() > (1u << 20)) {
                b.clear();
                b.shrink_to_fit();
            }
        }
    }

private:
    static constexpr VerifyProblem BadJson = VerifyProblem::BadJson;

    qint64 nextSeq() const { return m_prevSeq ? m_prevSeq + 1 : 0; }

    // The checks before guarantee 1 to 16 digits, the first not 0.
    static qint64 seqOf(const CanonicalCheck::Member &m)
    {
        qint64 seq = 0;
        for (const char *d = m.value; d < m.valueEnd; ++d)
            seq = seq * 10 + (*d - '0');
        return seq;
    }

    // Hashes the line still waiting alone. False when its hash does not match.
    bool flush()
    {
        if (!m_pending)
            return true;
        m_pending = false;
        unsigned char digest[32];
        Sha256Lanes::digest1(m_lane[0].data(), m_lines[0].length, digest);
        return accept(m_lines[0], digest);
    }

    // The first problem of the chunk at the current line, after the line before it has been
    // settled (its hash may be the earlier problem).
    ChunkScan &fail(VerifyProblem problem, qint64 seq, QString detail)
    {
        if (!flush())
            return m_r;
        m_r.problem = problem;
        m_r.problemIndex = m_index;
        m_r.problemSeq = seq;
        m_r.detail = std::move(detail);
        return m_r;
    }

    bool checkMembers(const CanonicalCheck::Member *m, int count)
    {
#pragma GCC unroll 8
        for (int i = 0; i < std::min(count, MemberCount); ++i) {
            const char *name = MemberNames[i];
            if (!isMemberName(m[i].key, i)) {
                fail(BadJson, nextSeq(),
                    QStringLiteral(
                        "member \"%1\" where \"%2\" belongs (members must be exactly action, "
                        "actor, data, hash, prev, seq, stream, ts, in this order)")
                        .arg(QString::fromUtf8(m[i].key, m[i].keyLength), QLatin1String(name)));
                return false;
            }
        }
        if (count != MemberCount) {
            fail(BadJson, nextSeq(), QStringLiteral("the entry has %1 members, not 8").arg(count));
            return false;
        }
        const auto length = [m](int i) { return m[i].valueEnd - m[i].value; };
        const auto isString = [m](int i) { return m[i].value[0] == '"'; };
        const bool typesOk = isString(Action) && length(Action) > 2 && isString(Actor)
            && length(Actor) > 2 && m[Data].value[0] == '{' && isString(Hash) && isString(Prev)
            && m[Seq].value[0] >= '1' && m[Seq].value[0] <= '9' && isString(Stream) && isString(Ts);
        if (!typesOk) {
            fail(BadJson, nextSeq(),
                QStringLiteral("a member has the wrong type or is empty (action and actor are "
                               "non-empty strings, data an object, seq a positive integer)"));
            return false;
        }
        if (length(Hash) != HexLen + 2 || length(Prev) != HexLen + 2) {
            fail(BadJson, nextSeq(),
                QStringLiteral("hash and prev must be 64 lowercase hex characters"));
            return false;
        }
        if (length(Ts) != 26 || !isTimestamp(m[Ts].value + 1)) {
            fail(BadJson, nextSeq(),
                QStringLiteral("ts %1 is not a UTC time of the form YYYY-MM-DDTHH:MM:SS.mmmZ")
                    .arg(text(m[Ts].value, m[Ts].valueEnd)));
            return false;
        }
        if (length(Stream) != m_stream.size() + 2
            || std::memcmp(m[Stream].value + 1, m_stream.constData(), size_t(m_stream.size()))
                != 0) {
            fail(VerifyProblem::WrongStream, seqOf(m[Seq]),
                QStringLiteral("entry names stream %1, expected \"%2\"")
                    .arg(text(m[Stream].value, m[Stream].valueEnd), QLatin1String(m_stream)));
            return false;
        }
        return true;
    }

    // The seq and prev of a line against the line before it in this chunk; the first line's
    // are the caller's to check against the previous chunk.
    bool checkLink(qint64 seq, const char *prev)
    {
        if (m_index == 0) {
            if (!isLowerHex(prev, HexLen)) { // later lines' prev is compared with a verified hash
                fail(BadJson, seq, QStringLiteral("prev must be 64 lowercase hex characters"));
                return false;
            }
            m_r.firstSeq = seq;
            m_r.firstPrev = QByteArray(prev, HexLen);
            m_want = std::lower_bound(m_wanted.cbegin(), m_wanted.cend(), seq);
            return true;
        }
        if (seq != m_prevSeq + 1) {
            fail(seq > m_prevSeq ? VerifyProblem::SeqGap : VerifyProblem::SeqRepeat, seq,
                QStringLiteral("seq %1 follows seq %2").arg(seq).arg(m_prevSeq));
            return false;
        }
        if (!sameHash(prev, m_prevHash)) {
            if (!isLowerHex(prev, HexLen))
                fail(BadJson, seq, QStringLiteral("prev must be 64 lowercase hex characters"));
            else
                fail(VerifyProblem::BrokenLink, seq,
                    QStringLiteral("prev %1 is not the hash of the previous entry %2")
                        .arg(QLatin1String(prev, HexLen), QLatin1String(m_prevHash, HexLen)));
            return false;
        }
        return true;
    }

    // Compares a line's recorded hash with its digest; counts the line when they match.
    bool accept(const Line &line, const unsigned char *digest)
    {
        if (!spellsDigest(line.hash, digest)) {
            char hex[HexLen];
            toHex(digest, hex);
            const bool wellFormed = isLowerHex(line.hash, HexLen);
            m_r.problem = wellFormed ? VerifyProblem::HashMismatch : VerifyProblem::BadJson;
            m_r.problemIndex = line.index;
            m_r.problemSeq = line.seq;
            m_r.detail = wellFormed
                ? QStringLiteral("hash %1 recorded, %2 computed")
                      .arg(QLatin1String(line.hash, HexLen), QLatin1String(hex, HexLen))
                : QStringLiteral("hash must be 64 lowercase hex characters");
            return false;
        }
        if (m_want != m_wanted.cend() && *m_want == line.seq) {
            m_r.found.append({ line.seq, QByteArray(line.hash, HexLen), line.index });
            ++m_want;
        }
        if (line.index == 0)
            m_r.firstHash = QByteArray(line.hash, HexLen);
        ++m_r.lines;
        return true;
    }

    const QByteArray &m_stream;
    const QList<qint64> &m_wanted;
    QList<qint64>::const_iterator m_want;
    ChunkScan m_r;
    qint64 m_index = 0; // lines before the current one
    qint64 m_prevSeq = 0; // seq and recorded hash of the line before the current one
    const char *m_prevHash = nullptr;
    bool m_pending = false; // m_lines[0] waits for a second line to be hashed with
    Line m_lines[2];
    // The hashed bytes of the waiting line (lane 0) and of the current one (lane 1), reused
    // across chunks so that scanning allocates nothing per line.
    static thread_local std::vector<unsigned char> m_lane[2];
};

thread_local std::vector<unsigned char> Scanner::m_lane[2];

} // namespace

static_assert(Padding >= CanonicalCheck::ReadAhead, "the JSON check reads this far past a line");

ChunkScan scan(const char *data, qint64 size, bool unterminated, const QByteArray &stream,
    const QList<qint64> &wanted)
{
    ChunkScan r = Scanner(stream, wanted).run(data, size, unterminated);
    Scanner::releaseLargeBuffers();
    return r;
}

} // namespace Shivx::Internal::LineScanner

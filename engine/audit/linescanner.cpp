#include "audit/linescanner.h"

#include "audit/auditentry.h"

// The one-shot SHA256_Init/Update/Final calls are deprecated in OpenSSL 3 in favour of EVP,
// but EVP_DigestInit_ex2 + Final costs ~30% more per 200-byte entry (measured: 940 vs 610 ns
// per line under load); the line hash is the hot path, so the low-level calls stay.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <string_view>

namespace Shivx::Internal::LineScanner {

namespace {

constexpr int HexLen = 64;
// `,"hash":"<64>"` and `,"prev":"<64>"`: the comma that precedes them is part of the member
// removed from the hashed bytes, so the hashed bytes are the line with these 74 bytes cut out.
constexpr int HashMemberLen = 9 + HexLen + 1;
constexpr int PrevMemberLen = 9 + HexLen + 1;
constexpr int TsMemberLen = 7 + 24 + 2;   // `,"ts":"YYYY-MM-DDTHH:MM:SS.mmmZ"}`

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
    return isDigits(t, 4) && t[4] == '-' && isDigits(t + 5, 2) && t[7] == '-' && isDigits(t + 8, 2) && t[10] == 'T'
        && isDigits(t + 11, 2) && t[13] == ':' && isDigits(t + 14, 2) && t[16] == ':' && isDigits(t + 17, 2)
        && t[19] == '.' && isDigits(t + 20, 3) && t[23] == 'Z' && num(t + 5, 2) >= 1 && num(t + 5, 2) <= 12
        && num(t + 8, 2) >= 1 && num(t + 8, 2) <= 31 && num(t + 11, 2) < 24 && num(t + 14, 2) < 60
        && num(t + 17, 2) < 60;
}

// The fixed-shape tail of a canonical entry, read from the end of the line.
struct Tail
{
    const char *hashMember = nullptr; // the `,` before "hash"
    const char *hash = nullptr;
    const char *prev = nullptr;
    qint64 seq = 0;
};

bool parseTail(const char *b, const char *e, const QByteArray &stream, Tail *t)
{
    const qint64 minLen = HashMemberLen + PrevMemberLen + 8 + 12 + stream.size() + TsMemberLen + 30;
    if (e - b < minLen)
        return false;
    const char *q = e - TsMemberLen;
    if (std::memcmp(q, ",\"ts\":\"", 7) != 0 || q[31] != '"' || q[32] != '}' || !isTimestamp(q + 7))
        return false;
    q -= 12 + stream.size();
    if (std::memcmp(q, ",\"stream\":\"", 11) != 0 || std::memcmp(q + 11, stream.constData(), size_t(stream.size())) != 0
        || q[11 + stream.size()] != '"')
        return false;
    const char *digitsEnd = q;
    while (q > b && q[-1] >= '0' && q[-1] <= '9')
        --q;
    const qint64 digits = digitsEnd - q;
    if (digits < 1 || digits > 16 || *q == '0')
        return false;
    t->seq = 0;
    for (const char *d = q; d < digitsEnd; ++d)
        t->seq = t->seq * 10 + (*d - '0');
    q -= 7;
    if (q - b < HashMemberLen + PrevMemberLen || std::memcmp(q, ",\"seq\":", 7) != 0)
        return false;
    q -= PrevMemberLen;
    // The hex of hash and prev is not validated here: hash must equal a computed digest and prev
    // the previous (verified) hash, so both are checked by the comparisons that follow, and
    // only a line that fails them is examined further (a per-character check cost a third of
    // the scan: its branches mispredict on random hex).
    if (std::memcmp(q, ",\"prev\":\"", 9) != 0 || q[PrevMemberLen - 1] != '"')
        return false;
    t->prev = q + 9;
    q -= HashMemberLen;
    if (std::memcmp(q, ",\"hash\":\"", 9) != 0 || q[HashMemberLen - 1] != '"')
        return false;
    t->hash = q + 9;
    t->hashMember = q;
    return true;
}

// Full JSON validation (simdjson: grammar, UTF-8, numbers) plus the canonical member order and
// types. The values of the tail members are the bytes parseTail already checked.
bool checkJson(simdjson::dom::parser &parser, const char *b, const char *e, QString *why)
{
    simdjson::dom::element doc;
    if (const auto error = parser.parse(b, size_t(e - b), false).get(doc)) {
        *why = QStringLiteral("not JSON: %1").arg(QLatin1String(simdjson::error_message(error)));
        return false;
    }
    simdjson::dom::object object;
    if (doc.get_object().get(object)) {
        *why = QStringLiteral("not a JSON object");
        return false;
    }
    static constexpr std::string_view keys[] = {"action", "actor", "data", "hash", "prev", "seq", "stream", "ts"};
    size_t i = 0;
    for (const auto field : object) {
        if (i >= 8 || field.key != keys[i]) {
            *why = QStringLiteral("member \"%1\" where \"%2\" belongs (members must be exactly action, actor, data, "
                                  "hash, prev, seq, stream, ts, in this order)")
                       .arg(QString::fromUtf8(field.key.data(), int(field.key.size())),
                            i < 8 ? QLatin1String(keys[i].data()) : QLatin1String("end of object"));
            return false;
        }
        const bool typeOk = i == 2 ? field.value.is_object() : i == 5 ? field.value.is_int64() : field.value.is_string();
        if (!typeOk || ((i == 0 || i == 1) && std::string_view(field.value).empty())) {
            *why = QStringLiteral("member \"%1\" has the wrong type or is empty").arg(QLatin1String(keys[i].data()));
            return false;
        }
        ++i;
    }
    if (i != 8) {
        *why = QStringLiteral("the entry has %1 members, not 8").arg(i);
        return false;
    }
    return true;
}

void toHex(const unsigned char *digest, char *out)
{
    static constexpr char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; ++i) {
        out[2 * i] = digits[digest[i] >> 4];
        out[2 * i + 1] = digits[digest[i] & 15];
    }
}

// Why a line failed the fast path, from the strict codec: names the member at fault, or finds
// that the line is a valid entry of another stream.
void diagnose(const char *b, const char *e, const QByteArray &stream, ChunkScan *r)
{
    const auto entry = AuditEntryCodec::parse(QByteArray(b, int(e - b)));
    if (!entry) {
        r->problem = VerifyProblem::BadJson;
        r->detail = entry.error().message;
        return;
    }
    r->problemSeq = entry->seq;
    if (entry->stream != QString::fromLatin1(stream)) {
        r->problem = VerifyProblem::WrongStream;
        r->detail = QStringLiteral("entry names stream \"%1\", expected \"%2\"").arg(entry->stream, QString::fromLatin1(stream));
        return;
    }
    r->problem = VerifyProblem::BadJson;
    r->detail = QStringLiteral("not in canonical form (members, spacing or number format differ from the canonical "
                               "serialisation)");
}

} // namespace

static_assert(Padding >= qint64(simdjson::SIMDJSON_PADDING), "simdjson reads this far past a line");

ChunkScan scan(const char *data, qint64 size, bool unterminated, const QByteArray &stream, const QList<qint64> &wanted)
{
    thread_local simdjson::dom::parser parser;
    ChunkScan r;
    const char *p = data;
    const char *const end = data + size;
    const char *prevHash = nullptr;
    qint64 prevSeq = 0;
    auto want = wanted.cbegin();
    QString why;

    const auto fail = [&](VerifyProblem problem, qint64 seq, QString detail) {
        r.problem = problem;
        r.problemIndex = r.lines;
        r.problemSeq = seq;
        r.detail = std::move(detail);
        return r;
    };

    while (p < end) {
        const char *nl = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
        const char *e = nl ? nl : end;
        if (!nl && unterminated)
            return fail(VerifyProblem::BadJson, prevSeq ? prevSeq + 1 : 0,
                        QStringLiteral("the last line is not terminated by a newline (a torn write: the engine moves "
                                       "such tails aside when it starts)"));
        Tail t;
        if (!parseTail(p, e, stream, &t) || !checkJson(parser, p, e, &why)) {
            if (why.isEmpty()) {
                diagnose(p, e, stream, &r);
                r.problemIndex = r.lines;
                if (r.problemSeq == 0 && prevSeq)
                    r.problemSeq = prevSeq + 1;
                return r;
            }
            return fail(VerifyProblem::BadJson, prevSeq ? prevSeq + 1 : 0, why);
        }
        if (r.lines == 0) {
            if (!isLowerHex(t.prev, HexLen)) // later lines' prev is compared with a verified hash
                return fail(VerifyProblem::BadJson, 0, QStringLiteral("prev must be 64 lowercase hex characters"));
            r.firstSeq = t.seq;
            r.firstPrev = QByteArray(t.prev, HexLen);
            want = std::lower_bound(wanted.cbegin(), wanted.cend(), t.seq);
        } else {
            if (t.seq != prevSeq + 1)
                return fail(t.seq > prevSeq ? VerifyProblem::SeqGap : VerifyProblem::SeqRepeat, t.seq,
                            QStringLiteral("seq %1 follows seq %2").arg(t.seq).arg(prevSeq));
            if (std::memcmp(t.prev, prevHash, HexLen) != 0 && !isLowerHex(t.prev, HexLen))
                return fail(VerifyProblem::BadJson, t.seq, QStringLiteral("prev must be 64 lowercase hex characters"));
            if (std::memcmp(t.prev, prevHash, HexLen) != 0)
                return fail(VerifyProblem::BrokenLink, t.seq,
                            QStringLiteral("prev %1 is not the hash of the previous entry %2")
                                .arg(QLatin1String(t.prev, HexLen), QLatin1String(prevHash, HexLen)));
        }
        SHA256_CTX sha;
        SHA256_Init(&sha);
        SHA256_Update(&sha, p, size_t(t.hashMember - p));
        SHA256_Update(&sha, t.hashMember + HashMemberLen, size_t(e - t.hashMember - HashMemberLen));
        SHA256_Update(&sha, t.prev, HexLen);
        unsigned char digest[32];
        SHA256_Final(digest, &sha);
        char hex[HexLen];
        toHex(digest, hex);
        if (std::memcmp(hex, t.hash, HexLen) != 0 && !isLowerHex(t.hash, HexLen))
            return fail(VerifyProblem::BadJson, t.seq, QStringLiteral("hash must be 64 lowercase hex characters"));
        if (std::memcmp(hex, t.hash, HexLen) != 0)
            return fail(VerifyProblem::HashMismatch, t.seq,
                        QStringLiteral("hash %1 recorded, %2 computed")
                            .arg(QLatin1String(t.hash, HexLen), QLatin1String(hex, HexLen)));
        if (want != wanted.cend() && *want == t.seq) {
            r.found.append({t.seq, QByteArray(t.hash, HexLen), r.lines});
            ++want;
        }
        if (r.lines == 0)
            r.firstHash = QByteArray(t.hash, HexLen);
        prevSeq = t.seq;
        prevHash = t.hash;
        ++r.lines;
        p = e + 1;
    }
    if (r.lines > 0) {
        r.lastSeq = prevSeq;
        r.lastHash = QByteArray(prevHash, HexLen);
    }
    return r;
}

} // namespace Shivx::Internal::LineScanner

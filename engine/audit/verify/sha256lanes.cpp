#include "audit/verify/sha256lanes.h"

// SHA256() is deprecated in OpenSSL 3 in favour of EVP; it is only the fallback here, and the
// one-shot call avoids an EVP context per message (see linescanner.cpp for the measured cost).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <atomic>
#include <cstdint>
#include <cstring>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#define SHIVX_SHA_EXTENSIONS 1
#endif

namespace Shivx::Internal::Sha256Lanes {

namespace {

#ifdef SHIVX_SHA_EXTENSIONS

alignas(16) constexpr std::uint32_t K[64] = {
    0x428a2f98,
    0x71374491,
    0xb5c0fbcf,
    0xe9b5dba5,
    0x3956c25b,
    0x59f111f1,
    0x923f82a4,
    0xab1c5ed5,
    0xd807aa98,
    0x12835b01,
    0x243185be,
    0x550c7dc3,
    0x72be5d74,
    0x80deb1fe,
    0x9bdc06a7,
    0xc19bf174,
    0xe49b69c1,
    0xefbe4786,
    0x0fc19dc6,
    0x240ca1cc,
    0x2de92c6f,
    0x4a7484aa,
    0x5cb0a9dc,
    0x76f988da,
    0x983e5152,
    0xa831c66d,
    0xb00327c8,
    0xbf597fc7,
    0xc6e00bf3,
    0xd5a79147,
    0x06ca6351,
    0x14292967,
    0x27b70a85,
    0x2e1b2138,
    0x4d2c6dfc,
    0x53380d13,
    0x650a7354,
    0x766a0abb,
    0x81c2c92e,
    0x92722c85,
    0xa2bfe8a1,
    0xa81a664b,
    0xc24b8b70,
    0xc76c51a3,
    0xd192e819,
    0xd6990624,
    0xf40e3585,
    0x106aa070,
    0x19a4c116,
    0x1e376c08,
    0x2748774c,
    0x34b0bcb5,
    0x391c0cb3,
    0x4ed8aa4a,
    0x5b9cca4f,
    0x682e6ff3,
    0x748f82ee,
    0x78a5636f,
    0x84c87814,
    0x8cc70208,
    0x90befffa,
    0xa4506ceb,
    0xbef9a3f7,
    0xc67178f2,
};

#define SHIVX_SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

// The state lives in the layout the round instruction wants: ABEF and CDGH, high word first.
struct State
{
    __m128i abef;
    __m128i cdgh;
};

SHIVX_SHA_TARGET inline State initialState()
{
    return { _mm_set_epi32(0x6a09e667, int(0xbb67ae85), 0x510e527f, int(0x9b05688c)),
        _mm_set_epi32(0x3c6ef372, int(0xa54ff53a), 0x1f83d9ab, 0x5be0cd19) };
}

// One 64-byte block of each of N messages. The lanes' instructions are interleaved so that
// each lane's round latency is hidden behind the other's.
template <int N>
SHIVX_SHA_TARGET inline __attribute__((always_inline)) void compress(
    State (&s)[N], const unsigned char *const (&block)[N])
{
    const __m128i byteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    State saved[N];
    __m128i w[N][4];
    for (int l = 0; l < N; ++l)
        saved[l] = s[l];
#pragma GCC unroll 16
    for (int g = 0; g < 16; ++g) {
#pragma GCC unroll 2
        for (int l = 0; l < N; ++l) {
            __m128i &x = w[l][g & 3];
            if (g < 4) {
                x = _mm_shuffle_epi8(
                    _mm_loadu_si128(reinterpret_cast<const __m128i *>(block[l] + 16 * g)),
                    byteSwap);
            } else {
                // W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], four words at a time: x holds
                // the words of group g-4, the others those of g-3, g-2 and g-1.
                const __m128i &g3 = w[l][(g + 1) & 3];
                const __m128i &g2 = w[l][(g + 2) & 3];
                const __m128i &g1 = w[l][(g + 3) & 3];
                const __m128i t
                    = _mm_add_epi32(_mm_sha256msg1_epu32(x, g3), _mm_alignr_epi8(g1, g2, 4));
                x = _mm_sha256msg2_epu32(t, g1);
            }
            const __m128i wk
                = _mm_add_epi32(x, _mm_load_si128(reinterpret_cast<const __m128i *>(K + 4 * g)));
            s[l].cdgh = _mm_sha256rnds2_epu32(s[l].cdgh, s[l].abef, wk);
            s[l].abef = _mm_sha256rnds2_epu32(s[l].abef, s[l].cdgh, _mm_shuffle_epi32(wk, 0x0E));
        }
    }
    for (int l = 0; l < N; ++l) {
        s[l].abef = _mm_add_epi32(s[l].abef, saved[l].abef);
        s[l].cdgh = _mm_add_epi32(s[l].cdgh, saved[l].cdgh);
    }
}

SHIVX_SHA_TARGET inline void store(const State &s, unsigned char out[32])
{
    const __m128i feba = _mm_shuffle_epi32(s.abef, 0x1B);
    const __m128i dchg = _mm_shuffle_epi32(s.cdgh, 0xB1);
    const __m128i dcba = _mm_blend_epi16(feba, dchg, 0xF0);
    const __m128i hgfe = _mm_alignr_epi8(dchg, feba, 8);
    const __m128i wordSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    _mm_storeu_si128(reinterpret_cast<__m128i *>(out), _mm_shuffle_epi8(dcba, wordSwap));
    _mm_storeu_si128(reinterpret_cast<__m128i *>(out + 16), _mm_shuffle_epi8(hgfe, wordSwap));
}

// Appends 0x80, zeros and the length in bits; returns the number of 64-byte blocks.
std::size_t pad(unsigned char *msg, std::size_t len)
{
    const std::size_t blocks = (len + 72) / 64;
    const std::size_t total = blocks * 64;
    msg[len] = 0x80;
    std::memset(msg + len + 1, 0, total - len - 9);
    const std::uint64_t bits = std::uint64_t(len) * 8;
    for (int i = 0; i < 8; ++i)
        msg[total - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
    return blocks;
}

SHIVX_SHA_TARGET void hashOne(unsigned char *msg, std::size_t len, unsigned char out[32])
{
    const std::size_t blocks = pad(msg, len);
    State s[1] = { initialState() };
    for (std::size_t i = 0; i < blocks; ++i) {
        const unsigned char *const b[1] = { msg + 64 * i };
        compress<1>(s, b);
    }
    store(s[0], out);
}

SHIVX_SHA_TARGET void hashTwo(unsigned char *a, std::size_t aLen, unsigned char *b,
    std::size_t bLen, unsigned char outA[32], unsigned char outB[32])
{
    const std::size_t aBlocks = pad(a, aLen);
    const std::size_t bBlocks = pad(b, bLen);
    State s[2] = { initialState(), initialState() };
    const std::size_t both = aBlocks < bBlocks ? aBlocks : bBlocks;
    for (std::size_t i = 0; i < both; ++i) {
        const unsigned char *const blocks[2] = { a + 64 * i, b + 64 * i };
        compress<2>(s, blocks);
    }
    // The longer message goes on alone.
    for (int l = 0; l < 2; ++l) {
        const std::size_t blocks = l == 0 ? aBlocks : bBlocks;
        const unsigned char *msg = l == 0 ? a : b;
        State one[1] = { s[l] };
        for (std::size_t i = both; i < blocks; ++i) {
            const unsigned char *const block[1] = { msg + 64 * i };
            compress<1>(one, block);
        }
        s[l] = one[0];
    }
    store(s[0], outA);
    store(s[1], outB);
}

bool cpuHasShaExtensions()
{
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
        return false;
    const bool ssse3 = ecx & (1u << 9);
    const bool sse41 = ecx & (1u << 19);
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
        return false;
    return ssse3 && sse41 && (ebx & (1u << 29));
}

#else

bool cpuHasShaExtensions()
{
    return false;
}

#endif

const bool cpuSupport = cpuHasShaExtensions();
std::atomic_bool enabled { cpuSupport };

} // namespace

bool accelerated()
{
    return enabled.load(std::memory_order_relaxed);
}

void setAccelerated(bool on)
{
    enabled.store(on && cpuSupport, std::memory_order_relaxed);
}

void digest1(unsigned char *msg, std::size_t len, unsigned char out[32])
{
#ifdef SHIVX_SHA_EXTENSIONS
    if (accelerated())
        return hashOne(msg, len, out);
#endif
    SHA256(msg, len, out);
}

void digest2(unsigned char *a, std::size_t aLen, unsigned char *b, std::size_t bLen,
    unsigned char outA[32], unsigned char outB[32])
{
#ifdef SHIVX_SHA_EXTENSIONS
    if (accelerated())
        return hashTwo(a, aLen, b, bLen, outA, outB);
#endif
    SHA256(a, aLen, outA);
    SHA256(b, bLen, outB);
}

} // namespace Shivx::Internal::Sha256Lanes

#pragma once

// The cryptographic primitives of the backup repository (docs/backup-format.md): SHA-256,
// HMAC-SHA-256 object ids, AES-256-GCM sealing with random 96-bit nonces, scrypt. Thin
// wrappers over OpenSSL's EVP; every function is thread-safe (no shared state).

#include "core/result.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace Shivx::Backup {

using Bytes = std::vector<std::uint8_t>;

// A 32-byte object, pack or snapshot id. Ordered and hashable for the index.
struct Id
{
    std::array<std::uint8_t, 32> b {};

    bool operator==(const Id &o) const { return b == o.b; }
    bool operator!=(const Id &o) const { return b != o.b; }
    bool operator<(const Id &o) const { return b < o.b; }
    bool isNull() const;
    std::string hex() const;
    static bool fromHex(std::string_view hex, Id *out);
};

struct IdHash
{
    std::size_t operator()(const Id &id) const noexcept
    {
        std::size_t h;
        static_assert(sizeof h <= sizeof id.b);
        __builtin_memcpy(&h, id.b.data(), sizeof h); // ids are uniformly distributed already
        return h;
    }
};

constexpr std::size_t NonceSize = 12;
constexpr std::size_t TagSize = 16;
constexpr std::size_t SealOverhead = NonceSize + TagSize;

std::string toHex(const std::uint8_t *data, std::size_t size);
Id sha256(const void *data, std::size_t size);
Id hmacSha256(const std::uint8_t *key, std::size_t keySize, const void *data, std::size_t size);
void randomBytes(std::uint8_t *out, std::size_t size);

// HMAC-SHA-256 with a 32-byte key whose padded inner and outer states are hashed once; mac()
// then costs two context copies instead of a key setup per object. Same result as
// hmacSha256(). mac() is thread-safe (the states are only copied from).
class HmacKey
{
public:
    explicit HmacKey(const std::uint8_t key[32]);
    ~HmacKey();
    HmacKey(const HmacKey &) = delete;
    HmacKey &operator=(const HmacKey &) = delete;
    Id mac(const void *data, std::size_t size) const;

private:
    void *m_inner;
    void *m_outer;
};

// Incremental SHA-256 (files, whole packs).
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;
    void update(const void *data, std::size_t size);
    Id finish();

private:
    void *m_ctx;
};

// AES-256-GCM with a random nonce: writes nonce || ciphertext || tag (size + SealOverhead
// bytes) to `out`, which must have room. `aad` is authenticated, not stored.
void seal(const std::uint8_t key[32], const void *plain, std::size_t size, std::string_view aad,
    std::uint8_t *out);
Bytes seal(const std::uint8_t key[32], const void *plain, std::size_t size, std::string_view aad);
// The inverse; false when the tag does not verify (wrong key, altered bytes or wrong aad).
bool open(const std::uint8_t key[32], const std::uint8_t *sealed, std::size_t size,
    std::string_view aad, std::uint8_t *out);
bool open(const std::uint8_t key[32], const std::uint8_t *sealed, std::size_t size,
    std::string_view aad, Bytes *out);

// scrypt(passphrase, salt, N, r, p) -> 32 bytes, through EVP_PBE_scrypt.
Result<Bytes> scrypt(std::string_view passphrase, const Bytes &salt, std::uint64_t n,
    std::uint64_t r, std::uint64_t p);

std::string base64(const Bytes &data);
bool fromBase64(std::string_view text, Bytes *out);

// Little-endian integer helpers for the binary layouts.
inline void putU32(std::uint8_t *p, std::uint32_t v)
{
    p[0] = std::uint8_t(v);
    p[1] = std::uint8_t(v >> 8);
    p[2] = std::uint8_t(v >> 16);
    p[3] = std::uint8_t(v >> 24);
}
inline std::uint32_t getU32(const std::uint8_t *p)
{
    return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16
        | std::uint32_t(p[3]) << 24;
}

} // namespace Shivx::Backup

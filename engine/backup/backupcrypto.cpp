#include "backup/backupcrypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <QByteArray>

#include <cstring>

namespace Shivx::Backup {

bool Id::isNull() const
{
    for (std::uint8_t c : b) {
        if (c)
            return false;
    }
    return true;
}

std::string Id::hex() const
{
    return toHex(b.data(), b.size());
}

bool Id::fromHex(std::string_view hex, Id *out)
{
    if (hex.size() != 64)
        return false;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < 32; ++i) {
        const int hi = nibble(hex[2 * i]);
        const int lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out->b[i] = std::uint8_t(hi << 4 | lo);
    }
    return true;
}

std::string toHex(const std::uint8_t *data, std::size_t size)
{
    static const char digits[] = "0123456789abcdef";
    std::string s(size * 2, '0');
    for (std::size_t i = 0; i < size; ++i) {
        s[2 * i] = digits[data[i] >> 4];
        s[2 * i + 1] = digits[data[i] & 15];
    }
    return s;
}

Id sha256(const void *data, std::size_t size)
{
    Id id;
    unsigned int len = 32;
    EVP_Digest(data, size, id.b.data(), &len, EVP_sha256(), nullptr);
    return id;
}

Id hmacSha256(const std::uint8_t *key, std::size_t keySize, const void *data, std::size_t size)
{
    Id id;
    unsigned int len = 32;
    HMAC(EVP_sha256(), key, int(keySize), static_cast<const unsigned char *>(data), size,
        id.b.data(), &len);
    return id;
}

HmacKey::HmacKey(const std::uint8_t key[32])
    : m_inner(EVP_MD_CTX_new())
    , m_outer(EVP_MD_CTX_new())
{
    std::uint8_t pad[64];
    for (int round = 0; round < 2; ++round) {
        const std::uint8_t x = round == 0 ? 0x36 : 0x5c;
        std::memset(pad, x, sizeof pad);
        for (int i = 0; i < 32; ++i)
            pad[i] = std::uint8_t(key[i] ^ x);
        auto *ctx = static_cast<EVP_MD_CTX *>(round == 0 ? m_inner : m_outer);
        EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
        EVP_DigestUpdate(ctx, pad, sizeof pad);
    }
}

HmacKey::~HmacKey()
{
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX *>(m_inner));
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX *>(m_outer));
}

Id HmacKey::mac(const void *data, std::size_t size) const
{
    struct Work
    {
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        ~Work() { EVP_MD_CTX_free(ctx); }
    };
    thread_local Work work;
    Id inner;
    unsigned int len = 32;
    EVP_MD_CTX_copy_ex(work.ctx, static_cast<const EVP_MD_CTX *>(m_inner));
    EVP_DigestUpdate(work.ctx, data, size);
    EVP_DigestFinal_ex(work.ctx, inner.b.data(), &len);
    Id out;
    EVP_MD_CTX_copy_ex(work.ctx, static_cast<const EVP_MD_CTX *>(m_outer));
    EVP_DigestUpdate(work.ctx, inner.b.data(), 32);
    EVP_DigestFinal_ex(work.ctx, out.b.data(), &len);
    return out;
}

void randomBytes(std::uint8_t *out, std::size_t size)
{
    if (RAND_bytes(out, int(size)) != 1)
        qFatal("backup: the OpenSSL random generator failed"); // never continue with weak keys
}

Sha256::Sha256()
    : m_ctx(EVP_MD_CTX_new())
{
    EVP_DigestInit_ex(static_cast<EVP_MD_CTX *>(m_ctx), EVP_sha256(), nullptr);
}

Sha256::~Sha256()
{
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX *>(m_ctx));
}

void Sha256::update(const void *data, std::size_t size)
{
    EVP_DigestUpdate(static_cast<EVP_MD_CTX *>(m_ctx), data, size);
}

Id Sha256::finish()
{
    Id id;
    unsigned int len = 32;
    EVP_DigestFinal_ex(static_cast<EVP_MD_CTX *>(m_ctx), id.b.data(), &len);
    return id;
}

namespace {

// One cipher context per thread and direction, keyed once: the AES key schedule is computed
// when the key changes, not per object (it cost as much as sealing a small object).
struct CipherHolder
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    std::uint8_t key[32] = {};
    bool keyed = false;
    ~CipherHolder() { EVP_CIPHER_CTX_free(ctx); }
};

EVP_CIPHER_CTX *threadCipher(const std::uint8_t key[32], const std::uint8_t *nonce, bool encrypt)
{
    thread_local CipherHolder enc;
    thread_local CipherHolder dec;
    CipherHolder &h = encrypt ? enc : dec;
    if (!h.keyed || std::memcmp(h.key, key, 32) != 0) {
        if (encrypt)
            EVP_EncryptInit_ex(h.ctx, EVP_aes_256_gcm(), nullptr, key, nullptr);
        else
            EVP_DecryptInit_ex(h.ctx, EVP_aes_256_gcm(), nullptr, key, nullptr);
        std::memcpy(h.key, key, 32);
        h.keyed = true;
    }
    if (encrypt)
        EVP_EncryptInit_ex(h.ctx, nullptr, nullptr, nullptr, nonce);
    else
        EVP_DecryptInit_ex(h.ctx, nullptr, nullptr, nullptr, nonce);
    return h.ctx;
}

} // namespace

void seal(const std::uint8_t key[32], const void *plain, std::size_t size, std::string_view aad,
    std::uint8_t *out)
{
    randomBytes(out, NonceSize);
    EVP_CIPHER_CTX *ctx = threadCipher(key, out, true);
    int len = 0;
    if (!aad.empty())
        EVP_EncryptUpdate(ctx, nullptr, &len, reinterpret_cast<const unsigned char *>(aad.data()),
            int(aad.size()));
    std::uint8_t *ct = out + NonceSize;
    const auto *src = static_cast<const unsigned char *>(plain);
    std::size_t done = 0;
    while (done < size) { // EVP lengths are int
        const int step = int(std::min<std::size_t>(size - done, 1u << 30));
        EVP_EncryptUpdate(ctx, ct + done, &len, src + done, step);
        done += std::size_t(step);
    }
    EVP_EncryptFinal_ex(ctx, ct + size, &len);
    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, int(TagSize), ct + size);
}

Bytes seal(const std::uint8_t key[32], const void *plain, std::size_t size, std::string_view aad)
{
    Bytes out(size + SealOverhead);
    seal(key, plain, size, aad, out.data());
    return out;
}

bool open(const std::uint8_t key[32], const std::uint8_t *sealed, std::size_t size,
    std::string_view aad, std::uint8_t *out)
{
    if (size < SealOverhead)
        return false;
    EVP_CIPHER_CTX *ctx = threadCipher(key, sealed, false);
    const std::size_t n = size - SealOverhead;
    int len = 0;
    if (!aad.empty())
        EVP_DecryptUpdate(ctx, nullptr, &len, reinterpret_cast<const unsigned char *>(aad.data()),
            int(aad.size()));
    const std::uint8_t *ct = sealed + NonceSize;
    std::size_t done = 0;
    while (done < n) {
        const int step = int(std::min<std::size_t>(n - done, 1u << 30));
        EVP_DecryptUpdate(ctx, out + done, &len, ct + done, step);
        done += std::size_t(step);
    }
    std::uint8_t tag[TagSize];
    std::memcpy(tag, ct + n, TagSize);
    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, int(TagSize), tag);
    return EVP_DecryptFinal_ex(ctx, out + n, &len) == 1;
}

bool open(const std::uint8_t key[32], const std::uint8_t *sealed, std::size_t size,
    std::string_view aad, Bytes *out)
{
    if (size < SealOverhead)
        return false;
    out->resize(size - SealOverhead);
    return open(key, sealed, size, aad, out->data());
}

Result<Bytes> scrypt(std::string_view passphrase, const Bytes &salt, std::uint64_t n,
    std::uint64_t r, std::uint64_t p)
{
    Bytes key(32);
    // maxmem: scrypt needs 128 * r * N bytes (32 MiB at N=2^15, r=8); allow up to 1 GiB so a
    // slot written with stronger parameters still opens.
    if (EVP_PBE_scrypt(passphrase.data(), passphrase.size(), salt.data(), salt.size(), n, r, p,
            1ull << 30, key.data(), key.size())
        != 1)
        return makeError("backup.kdf",
            QStringLiteral("scrypt with N=%1 r=%2 p=%3 failed (invalid parameters or not enough "
                           "memory)")
                .arg(n)
                .arg(r)
                .arg(p));
    return key;
}

std::string base64(const Bytes &data)
{
    return QByteArray(reinterpret_cast<const char *>(data.data()), qsizetype(data.size()))
        .toBase64()
        .toStdString();
}

bool fromBase64(std::string_view text, Bytes *out)
{
    const auto r = QByteArray::fromBase64Encoding(
        QByteArray(text.data(), qsizetype(text.size())), QByteArray::AbortOnBase64DecodingErrors);
    if (!r)
        return false;
    out->assign(r.decoded.begin(), r.decoded.end());
    return true;
}

} // namespace Shivx::Backup

#include "backup/chunker.h"

#include "backup/backupcrypto.h"

#include <cstring>

namespace Shivx::Backup {

namespace {

int log2Of(std::size_t v)
{
    int bits = 0;
    while ((std::size_t(1) << (bits + 1)) <= v)
        ++bits;
    return bits;
}

// The top `bits` bits: with fp = (fp << 1) + gear[byte] they depend on the last 64 bytes,
// whereas the low bits would depend only on the last few.
std::uint64_t topMask(int bits)
{
    return bits <= 0 ? 0 : ~std::uint64_t(0) << (64 - bits);
}

} // namespace

Chunker::Chunker(const std::uint8_t idKey[32], Params params)
    : m_params(params)
{
    const int bits = log2Of(params.avg);
    m_maskStrict = topMask(bits + 2);
    m_maskLoose = topMask(bits - 2);
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint8_t msg[8] = { 'g', 'e', 'a', 'r' };
        putU32(msg + 4, i);
        const Id h = hmacSha256(idKey, 32, msg, sizeof msg);
        std::uint64_t v = 0;
        for (int k = 0; k < 8; ++k)
            v |= std::uint64_t(h.b[std::size_t(k)]) << (8 * k);
        m_gear[i] = v;
    }
}

std::size_t Chunker::cut(const std::uint8_t *data, std::size_t size) const
{
    if (size <= m_params.min)
        return size;
    const std::size_t end = std::min(size, m_params.max);
    const std::size_t normal = std::min(end, m_params.avg);
    std::uint64_t fp = 0;
    // Cut-point skipping: the hash starts 64 bytes before min, so a boundary at min already
    // sees a full window.
    std::size_t i = m_params.min - 64;
    for (; i < m_params.min; ++i)
        fp = (fp << 1) + m_gear[data[i]];
    for (; i < normal; ++i) {
        fp = (fp << 1) + m_gear[data[i]];
        if (!(fp & m_maskStrict))
            return i + 1;
    }
    for (; i < end; ++i) {
        fp = (fp << 1) + m_gear[data[i]];
        if (!(fp & m_maskLoose))
            return i + 1;
    }
    return end;
}

} // namespace Shivx::Backup

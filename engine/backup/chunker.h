#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace Shivx::Backup {

// Content-defined chunking, FastCDC with normalized chunking (Xia et al., USENIX ATC 2016):
// a gear rolling hash over the last 64 bytes, a stricter mask before the average size and a
// looser one after it, so chunk sizes cluster around the average. Boundaries depend only on
// content, so an insertion shifts at most the chunks it touches. The gear table is derived
// from the repository's id key (docs/backup-format.md), so boundaries do not fingerprint
// known files (borg's chunker seed, for the same reason). Immutable; thread-safe.
class Chunker
{
public:
    // Sizes in bytes; avg a power of two, min <= avg <= max.
    struct Params
    {
        std::size_t min = 512 * 1024;
        std::size_t avg = 1024 * 1024;
        std::size_t max = 8 * 1024 * 1024;
    };

    Chunker(const std::uint8_t idKey[32], Params params);

    const Params &params() const { return m_params; }
    // Length of the first chunk of data[0..size). `final` says no more data follows; otherwise
    // the caller must offer at least params().max bytes (or all that is left).
    std::size_t cut(const std::uint8_t *data, std::size_t size) const;

private:
    Params m_params;
    std::uint64_t m_maskStrict;
    std::uint64_t m_maskLoose;
    std::array<std::uint64_t, 256> m_gear;
};

} // namespace Shivx::Backup

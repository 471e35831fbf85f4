#pragma once

#include <cstddef>

namespace Shivx::Internal::Sha256Lanes {

// SHA-256 of short messages, two at a time. Verifying an audit chain hashes one ~270-byte
// message per line; with the CPU's SHA extensions one message is bound by the latency of its
// round instructions, so two independent messages interleaved use the idle issue slots and
// hash nearly twice as many lines per second (bench/audit_verify). Without the extensions
// (or on other architectures) both calls fall back to OpenSSL, one message after the other.
//
// Each message is hashed in place: `msg` holds `len` bytes and must have room for
// Padding more, which the call overwrites with the SHA-256 padding.

constexpr std::size_t Padding = 72;

void digest1(unsigned char *msg, std::size_t len, unsigned char out[32]);
void digest2(unsigned char *a, std::size_t aLen, unsigned char *b, std::size_t bLen,
    unsigned char outA[32], unsigned char outB[32]);

// Whether the SHA extensions are used. setAccelerated(false) forces the OpenSSL path (tests
// check both paths against each other); it cannot turn them on where the CPU lacks them.
bool accelerated();
void setAccelerated(bool on);

} // namespace Shivx::Internal::Sha256Lanes

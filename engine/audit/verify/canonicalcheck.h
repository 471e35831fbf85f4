#pragma once

namespace Shivx::Internal::CanonicalCheck {

// A strict, allocation-free check that bytes are one JSON object in the canonical form of
// docs/audit-format.md (what canonicaljson writes and Python's json.dumps(sort_keys=True,
// separators=(",", ":"), ensure_ascii=False) writes): no whitespace, members sorted by code point
// and unique at every depth, integers only (no leading zeros, no -0, at most 2^53 in magnitude),
// strings of valid UTF-8 with exactly the escapes JSON requires (\" \\ \b \f \n \r \t and
// lowercase \u00XX for the other control characters) and no others. Everything it accepts is
// valid JSON (RFC 8259); the verifier runs it on every line, so it reads 64-byte windows at
// a time inside strings.

struct Member
{
    const char *key = nullptr; // the key's bytes, without quotes (as written, escapes included)
    int keyLength = 0;
    const char *value = nullptr; // first byte of the value
    const char *valueEnd = nullptr;
};

struct Failure
{
    const char *at = nullptr; // where the check stopped
    const char *what = nullptr; // a static description
};

constexpr int MaxDepth = 64; // objects and arrays nested deeper are refused
// Bytes of readable memory check() may read past `limit` (never interpreting them).
constexpr int ReadAhead = 64;

// Checks the object that starts at p and ends before limit. Returns the byte after its closing
// brace, or nullptr with *failure set. The first `maxMembers` top-level members are stored in
// members[] and *memberCount receives how many there are in all.
const char *checkObject(const char *p, const char *limit, Member *members, int maxMembers,
    int *memberCount, Failure *failure);

} // namespace Shivx::Internal::CanonicalCheck

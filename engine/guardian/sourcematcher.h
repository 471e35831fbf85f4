#pragma once

#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>

#include <cstddef>
#include <functional>
#include <optional>

namespace Shivx {

// An address as 128 bits, IPv4 in its IPv4-mapped IPv6 form (::ffff:a.b.c.d), so that one
// hash and one mask test serve both families and "::ffff:127.0.0.2" from a dual-stack socket
// is the same source as "127.0.0.2". A plain value, cheap to hash (the API guard keys its
// per-source counters by it).
struct SourceKey
{
    quint64 hi = 0;
    quint64 lo = 0;

    static SourceKey of(const QHostAddress &address);
    bool operator==(const SourceKey &o) const { return hi == o.hi && lo == o.lo; }
    bool isLoopback() const; // 127.0.0.0/8 or ::1
    // The usual text form: "127.0.0.2", "2001:db8::1".
    QString toString() const;
};

struct SourceKeyHash
{
    std::size_t operator()(const SourceKey &k) const noexcept
    {
        return std::hash<quint64>()(k.hi * 0x9E3779B97F4A7C15ULL ^ k.lo);
    }
};

// A list of addresses and CIDR ranges (guardian.api.ignore), tested against a SourceKey.
// Immutable after construction; any thread.
class SourceMatcher
{
public:
    struct Range
    {
        SourceKey network;
        SourceKey mask;
    };
    // "203.0.113.0/24", "::1", "10.1.2.3"; null when it is neither.
    static std::optional<Range> parseEntry(const QString &text);

    SourceMatcher() = default;
    // Entries that do not parse are skipped (the configuration reader refused them already).
    explicit SourceMatcher(const QStringList &entries);

    bool contains(const SourceKey &key) const;
    bool isEmpty() const { return m_ranges.isEmpty(); }

private:
    QList<Range> m_ranges;
};

} // namespace Shivx

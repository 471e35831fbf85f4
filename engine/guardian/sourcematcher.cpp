#include "guardian/sourcematcher.h"

namespace Shivx {

namespace {

quint64 bytesToWord(const quint8 *b)
{
    quint64 w = 0;
    for (int i = 0; i < 8; ++i)
        w = (w << 8) | b[i];
    return w;
}

SourceKey maskOfLength(int bits)
{
    SourceKey m;
    m.hi = bits >= 64 ? ~0ULL : (bits <= 0 ? 0 : ~0ULL << (64 - bits));
    const int low = bits - 64;
    m.lo = low >= 64 ? ~0ULL : (low <= 0 ? 0 : ~0ULL << (64 - low));
    return m;
}

constexpr quint64 MappedHi = 0;
constexpr quint64 MappedLoPrefix = 0x0000FFFF00000000ULL;

} // namespace

SourceKey SourceKey::of(const QHostAddress &address)
{
    SourceKey k;
    if (address.protocol() == QAbstractSocket::IPv4Protocol) {
        k.hi = MappedHi;
        k.lo = MappedLoPrefix | address.toIPv4Address();
        return k;
    }
    const Q_IPV6ADDR a = address.toIPv6Address();
    k.hi = bytesToWord(a.c);
    k.lo = bytesToWord(a.c + 8);
    return k;
}

bool SourceKey::isLoopback() const
{
    if (hi == MappedHi && (lo >> 32) == 0xFFFF)
        return ((lo >> 24) & 0xFF) == 127;
    return hi == 0 && lo == 1;
}

QString SourceKey::toString() const
{
    if (hi == MappedHi && (lo >> 32) == 0xFFFF)
        return QHostAddress(quint32(lo & 0xFFFFFFFFULL)).toString();
    Q_IPV6ADDR a;
    for (int i = 0; i < 8; ++i) {
        a.c[i] = quint8(hi >> (56 - 8 * i));
        a.c[8 + i] = quint8(lo >> (56 - 8 * i));
    }
    return QHostAddress(a).toString();
}

std::optional<SourceMatcher::Range> SourceMatcher::parseEntry(const QString &text)
{
    const QString t = text.trimmed();
    const int slash = t.indexOf(QLatin1Char('/'));
    const QHostAddress address(slash < 0 ? t : t.left(slash));
    if (address.isNull())
        return std::nullopt;
    const bool v4 = address.protocol() == QAbstractSocket::IPv4Protocol;
    int bits = v4 ? 32 : 128;
    if (slash >= 0) {
        bool ok = false;
        bits = t.mid(slash + 1).toInt(&ok);
        if (!ok || bits < 0 || bits > (v4 ? 32 : 128))
            return std::nullopt;
    }
    Range r;
    r.mask = maskOfLength(v4 ? bits + 96 : bits);
    const SourceKey k = SourceKey::of(address);
    r.network = { k.hi & r.mask.hi, k.lo & r.mask.lo };
    return r;
}

SourceMatcher::SourceMatcher(const QStringList &entries)
{
    for (const QString &e : entries)
        if (const auto r = parseEntry(e))
            m_ranges.append(*r);
}

bool SourceMatcher::contains(const SourceKey &key) const
{
    for (const Range &r : m_ranges)
        if ((key.hi & r.mask.hi) == r.network.hi && (key.lo & r.mask.lo) == r.network.lo)
            return true;
    return false;
}

} // namespace Shivx

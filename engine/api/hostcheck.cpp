#include "api/hostcheck.h"

#include <QHostAddress>

namespace Shivx {

namespace {

bool isDigits(QByteArrayView s, qsizetype maxLength)
{
    if (s.isEmpty() || s.size() > maxLength)
        return false;
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return true;
}

// Dotted decimal only: the form browsers put into Host after normalising a URL. Shorter
// forms ("127.1") count as names, which is the safe side.
bool isIPv4Literal(QByteArrayView host)
{
    int parts = 0;
    qsizetype start = 0;
    while (start <= host.size()) {
        qsizetype dot = host.indexOf('.', start);
        if (dot < 0)
            dot = host.size();
        const QByteArrayView part = host.sliced(start, dot - start);
        if (!isDigits(part, 3) || part.toInt() > 255)
            return false;
        ++parts;
        start = dot + 1;
    }
    return parts == 4;
}

// An empty port ("host:") is allowed by the URI grammar; anything else must be a number.
bool isPort(QByteArrayView port)
{
    return port.isEmpty() || (isDigits(port, 5) && port.toInt() <= 65535);
}

QString normalized(QStringView name)
{
    QString n = name.toString().toLower();
    if (n.endsWith(QLatin1Char('.')))
        n.chop(1);
    return n;
}

} // namespace

HostCheck::HostCheck(const QString &listenHost, const QStringList &allowed)
{
    m_names.insert(QStringLiteral("localhost"));
    if (isDnsName(listenHost))
        m_names.insert(normalized(listenHost));
    for (const QString &name : allowed)
        m_names.insert(normalized(name));
}

bool HostCheck::isDnsName(QStringView name)
{
    if (name.endsWith(QLatin1Char('.')))
        name.chop(1);
    if (name.isEmpty() || name.size() > 253 || isIPv4Literal(name.toLatin1()))
        return false;
    QChar previous = QLatin1Char('.');
    for (QChar c : name) {
        const bool dot = c == QLatin1Char('.');
        if (dot && previous == QLatin1Char('.'))
            return false; // empty label
        if (!dot && !(c.isLetterOrNumber() && c.unicode() < 128) && c != QLatin1Char('-')
            && c != QLatin1Char('_'))
            return false;
        previous = c;
    }
    return true;
}

HostCheck::Verdict HostCheck::check(QByteArrayView host) const
{
    if (host.isEmpty())
        return Verdict::Malformed;
    if (host.startsWith('[')) {
        const qsizetype close = host.indexOf(']');
        if (close < 0)
            return Verdict::Malformed;
        const QByteArrayView rest = host.sliced(close + 1);
        if (!rest.isEmpty() && (!rest.startsWith(':') || !isPort(rest.sliced(1))))
            return Verdict::Malformed;
        QHostAddress address;
        if (!address.setAddress(QString::fromLatin1(host.sliced(1, close - 1)))
            || address.protocol() != QAbstractSocket::IPv6Protocol)
            return Verdict::Malformed;
        return Verdict::Allowed;
    }
    QByteArrayView name = host;
    if (const qsizetype colon = host.indexOf(':'); colon >= 0) {
        if (host.indexOf(':', colon + 1) >= 0 || !isPort(host.sliced(colon + 1)))
            return Verdict::Malformed; // an IPv6 address must be in brackets
        name = host.first(colon);
    }
    if (isIPv4Literal(name))
        return Verdict::Allowed;
    const QString text = QString::fromLatin1(name);
    if (!isDnsName(text))
        return Verdict::Malformed;
    return m_names.contains(normalized(text)) ? Verdict::Allowed : Verdict::Forbidden;
}

} // namespace Shivx

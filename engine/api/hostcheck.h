#pragma once

#include <QByteArrayView>
#include <QSet>
#include <QString>
#include <QStringList>

namespace Shivx {

// The defence against DNS rebinding: a web page on evil.example whose name the attacker
// re-points at 127.0.0.1 reaches the API from the victim's browser, but its requests still
// carry "Host: evil.example". So a request whose Host is a DNS name is served only when that
// name is `localhost`, the listen host or on the allow-list (engine.allowed_hosts). IP
// literals (v4, or v6 in brackets, with or without a port) always pass: a rebinding attack
// needs a name, and Prometheus or the kubelet send the address they were configured with.
// Immutable after construction; safe to use from any thread.
class HostCheck
{
public:
    enum class Verdict {
        Allowed,
        Forbidden, // a well-formed DNS name that is not allowed: 403
        Malformed, // not "host[:port]" at all: 400
    };

    HostCheck() = default;
    // `listenHost` is the host part of engine.listen (a name or an address); `allowed` the
    // names of engine.allowed_hosts. Names compare without case and without a trailing dot.
    HostCheck(const QString &listenHost, const QStringList &allowed);

    // `host` is the Host header's value with surrounding whitespace removed.
    Verdict check(QByteArrayView host) const;

    // True for a DNS name as engine.allowed_hosts takes it: letters, digits, '-', '_' and
    // dots, no port, not an IP address.
    static bool isDnsName(QStringView name);

private:
    QSet<QString> m_names; // lower case, no trailing dot
};

} // namespace Shivx

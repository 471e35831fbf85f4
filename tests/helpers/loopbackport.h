#pragma once

#include <QHostAddress>
#include <QTcpServer>

namespace ShivxTest {

// A loopback port nothing listens on: bound once, then released, so a probe of it is refused
// at once. Another process could take it meanwhile; on a test machine that is rare enough.
inline quint16 closedLoopbackPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

} // namespace ShivxTest

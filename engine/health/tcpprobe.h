#pragma once

#include "health/probe.h"

QT_BEGIN_NAMESPACE
class QTcpSocket;
QT_END_NAMESPACE

namespace Shivx {

// Connects to host:port (a name is resolved asynchronously) and closes at once; latency is
// the time to connect. No proxy: the check is whether the service accepts connections.
class TcpProbe : public Probe
{
    Q_OBJECT
public:
    TcpProbe(const TargetSpec &spec, Clock *clock, QObject *parent = nullptr);
    ~TcpProbe() override;

protected:
    void begin() override;
    void abortWork() override;

private:
    void releaseSocket();

    QTcpSocket *m_socket = nullptr;
};

} // namespace Shivx

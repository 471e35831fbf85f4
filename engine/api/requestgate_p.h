#pragma once

// What the RequestGate's files share (requestgate.cpp: requests on open connections;
// requestgateaccept.cpp: accepting and turning away connections; requestgateupgrade.cpp: the
// WebSocket hand-over). Internal to the gate.

#include "api/apiroute.h"
#include "api/requestframer.h"
#include "api/requestgate.h"

#include <QLoggingCategory>
#include <QTcpSocket>

#include <optional>

Q_DECLARE_LOGGING_CATEGORY(lcGate)

namespace Shivx {

struct RequestGate::Rejection
{
    int status = 400;
    QString code;
    QString message;
    QByteArray allow; // Allow header of a 405
    bool headMethod = false; // a HEAD request: the answer has no body

    // The whole HTTP answer, closing the connection.
    QByteArray response() const;
};

struct RequestGate::Connection
{
    enum class Phase {
        Idle, // waiting for the first byte of a request
        Request, // some of a request has arrived
        Closing, // answered by the gate; dropping what still arrives until the client goes
    };

    Connection(QTcpSocket *s, const RequestLimits &limits)
        : socket(s)
        , framer(limits.maxRequestLineBytes, limits.maxHeadBytes)
    {
    }

    QTcpSocket *socket;
    quint64 serial = 0; // accept order, to break ties between equal sinceMs
    RequestFramer framer;
    Phase phase = Phase::Idle;
    bool firstRequest = true;
    bool headDone = false; // the current request's head was admitted
    bool halfClosed = false;
    qint64 sinceMs = 0; // when the current wait (idle, or request) began
    qint64 deadlineMs = 0;
    // Byte offsets in the connection's stream: everything that arrived, what the server had
    // not read after its last turn, and where the current request begins.
    qint64 received = 0;
    qint64 unreadAfterServer = 0;
    qint64 requestStart = 0;
    std::optional<Rejection> pending; // the current request's answer, once it may be sent
};

} // namespace Shivx

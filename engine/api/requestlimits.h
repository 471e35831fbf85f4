#pragma once

#include <QtGlobal>

namespace Shivx {

// What the request gate (RequestGate) allows a client before Qt's HTTP server sees its
// request. Sizes in bytes, times in milliseconds. The defaults are what `shivx serve` uses;
// tests shrink them to run quickly. docs/http-api.md, "Limits", is the user-facing copy.
struct RequestLimits
{
    // Request line plus header lines plus the blank line. A request line over
    // maxRequestLineBytes answers 414, a head over maxHeadBytes (or more than 100 header
    // lines, or one over 8 KiB: what Qt's header parser can take) answers 431. Browsers on
    // localhost send other local apps' cookies too, so the head limit leaves room for them.
    qint64 maxRequestLineBytes = 8 * 1024;
    qint64 maxHeadBytes = 16 * 1024;

    // From the first byte of a request (or from accept, for a connection's first request)
    // until its head is complete, and until its body is complete; past either, 408 and close.
    qint64 headerTimeoutMs = 10'000;
    qint64 requestTimeoutMs = 30'000;
    // A kept-alive connection may wait this long for its next request; then it is closed
    // without an answer (HTTP lets a server close an idle connection at any time).
    qint64 idleTimeoutMs = 60'000;
    // After answering an error early (413 with the body still coming), the gate reads and
    // drops what the client still sends for up to this long, so that the client reads the
    // answer instead of a connection reset; then it closes.
    qint64 lingerMs = 2'000;

    // Connections open at once. The gate also keeps a quarter of the process's descriptor
    // limit (RLIMIT_NOFILE) free for the rest of the engine, whichever is lower. At the cap
    // a new connection closes the one that has waited longest for a request; when every
    // connection is closing already, the newcomer gets 503.
    int maxConnections = 4096;
};

} // namespace Shivx

#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace Shivx {

// The parts of a request head the gate decides on.
struct RequestHead
{
    QByteArray method; // "GET", "POST", ... (upper-case letters only)
    QString path; // decoded path, as QUrl::path() gives it to the router
    int minorVersion = 1; // HTTP/1.x
    std::optional<QByteArray> host; // the Host header's value, trimmed; none without a Host
    qint64 contentLength = 0; // 0 without a Content-Length
    bool transferEncoding = false; // any Transfer-Encoding header
    bool upgradeWebSocket = false; // "Upgrade: websocket" (any case)
};

// A request the framer refuses: the status and JSON error it is answered with.
struct FramingError
{
    int status = 400;
    QString code;
    QString message;
};

// Splits the bytes of one connection into requests, the way Qt 6.4's HTTP server does
// (QHttpServerRequestPrivate::parse), so that the gate knows where each request's head ends
// and how long its body is before the server has read them: leading CR, LF, SP, HT and VT
// before a request line are skipped; the request line ends at LF; the head ends at the first
// empty line; the body is Content-Length bytes.
//
// It is stricter than Qt wherever Qt would frame a request differently from what it means:
// every line must end in CRLF, no obsolete line folding, one Content-Length of digits only,
// one Host, a header name that Qt's header parser accepts (when Qt's parser rejects a head it
// silently drops every header, Content-Length included, and would then read a body as the
// next request). The first violation is an error; the head is then never complete, so the
// server never sees a request that breaks these rules.
//
// Not thread-safe; one per connection.
class RequestFramer
{
public:
    enum class Event {
        NeedMore, // every byte given was used; wait for more
        Head, // a head is complete: read head(), then call acceptBody() or stop
        Complete, // the body of the accepted head is complete (none when it has none)
        Error, // the bytes break the rules: read error(); stop feeding
    };

    RequestFramer(qint64 maxRequestLineBytes, qint64 maxHeadBytes);

    // Consumes bytes from `data` up to the next event and stores how many in `*used`.
    Event feed(QByteArrayView data, qsizetype *used);
    // After Head: expect the head's Content-Length bytes of body. Returns Complete at once
    // for a request without a body.
    Event acceptBody();

    // True while between requests: nothing of the next request has arrived yet.
    bool idle() const { return m_state == State::Idle; }
    const RequestHead &head() const { return m_head; }
    const FramingError &error() const { return m_error; }

private:
    enum class State { Idle, Leading, RequestLine, Headers, HeadDone, Body, Failed };

    Event fail(int status, const QString &code, const QString &message);
    // Checks the request line (without its CRLF); fills method, path and version.
    bool parseRequestLine(QByteArrayView line);
    // Checks one header line (without its CRLF); records Host, Content-Length and
    // Transfer-Encoding.
    bool parseHeaderLine(QByteArrayView line);

    qint64 m_maxRequestLine;
    qint64 m_maxHead;
    State m_state = State::Idle;
    qint64 m_headBytes = 0; // bytes of the current head so far, leading blank bytes included
    QByteArray m_line; // the current line, CRLF included once complete
    int m_headerLines = 0;
    int m_contentLengths = 0;
    qint64 m_bodyLeft = 0;
    RequestHead m_head;
    FramingError m_error;
};

} // namespace Shivx

#include "api/requestframer.h"

#include <QUrl>

namespace Shivx {

namespace {

// Qt 6.4's QHttpHeaderParser gives up on a head with more header lines or a longer line
// than these (its MAX_HEADER_FIELDS and MAX_HEADER_FIELD_SIZE); when it gives up it keeps
// no header at all, so a head past them must never reach it.
constexpr int qtMaxHeaderLines = 100;
constexpr qsizetype qtMaxHeaderLine = 8 * 1024;

bool isBlank(char c)
{
    // What Qt's server skips before a request line.
    return c == '\r' || c == '\n' || c == ' ' || c == '\t' || c == '\v';
}

bool isTokenChar(char c)
{
    // Field names as Qt's header parser accepts them (RFC 9110 token).
    static constexpr QByteArrayView other("!#$%&'*+-.^_`|~");
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || other.contains(c);
}

QByteArrayView trimmedOws(QByteArrayView v)
{
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t'))
        v.chop(1);
    return v;
}

} // namespace

RequestFramer::RequestFramer(qint64 maxRequestLineBytes, qint64 maxHeadBytes)
    : m_maxRequestLine(maxRequestLineBytes)
    , m_maxHead(maxHeadBytes)
{
}

RequestFramer::Event RequestFramer::fail(int status, const QString &code, const QString &message)
{
    m_state = State::Failed;
    m_error = { status, code, message };
    m_line.clear();
    return Event::Error;
}

RequestFramer::Event RequestFramer::acceptBody()
{
    if (m_state != State::HeadDone)
        return fail(500, QStringLiteral("internal"), QStringLiteral("no head to accept"));
    m_bodyLeft = m_head.contentLength;
    m_state = m_bodyLeft > 0 ? State::Body : State::Idle;
    return m_bodyLeft > 0 ? Event::NeedMore : Event::Complete;
}

RequestFramer::Event RequestFramer::feed(QByteArrayView data, qsizetype *used)
{
    qsizetype i = 0;
    const auto stop = [&](Event e) {
        *used = i;
        return e;
    };
    while (i < data.size()) {
        switch (m_state) {
        case State::Failed:
            return stop(Event::Error);
        case State::HeadDone:
            return stop(Event::Head);
        case State::Body: {
            const qsizetype n = qsizetype(qMin<qint64>(m_bodyLeft, data.size() - i));
            i += n;
            m_bodyLeft -= n;
            if (m_bodyLeft == 0) {
                m_state = State::Idle;
                return stop(Event::Complete);
            }
            break;
        }
        case State::Idle:
            m_head = {};
            m_headBytes = 0;
            m_headerLines = 0;
            m_contentLengths = 0;
            m_line.clear();
            m_state = State::Leading;
            break;
        case State::Leading:
            if (!isBlank(data[i])) {
                m_state = State::RequestLine;
                break;
            }
            ++i;
            if (++m_headBytes > m_maxHead)
                return stop(fail(400, QStringLiteral("bad_request"),
                    QStringLiteral("more than %1 blank bytes before a request line")
                        .arg(m_maxHead)));
            break;
        case State::RequestLine:
        case State::Headers: {
            const bool requestLine = m_state == State::RequestLine;
            const qsizetype lf = data.indexOf('\n', i);
            const qsizetype end = lf < 0 ? data.size() : lf + 1;
            // Never copy more than a line may hold (+ CRLF): a flood is refused, not buffered.
            const qint64 lineLimit = (requestLine ? m_maxRequestLine : qtMaxHeaderLine) + 2;
            const qsizetype take = qsizetype(qMin<qint64>(end - i, lineLimit + 1 - m_line.size()));
            m_line.append(data.sliced(i, take));
            i += take;
            m_headBytes += take;
            const bool complete = m_line.endsWith('\n');
            const qsizetype content = m_line.size() - (complete ? 2 : 0);
            if (requestLine && content > m_maxRequestLine)
                return stop(fail(414, QStringLiteral("uri_too_long"),
                    QStringLiteral("request line longer than %1 bytes").arg(m_maxRequestLine)));
            if (!requestLine && content > qtMaxHeaderLine)
                return stop(fail(431, QStringLiteral("header_too_large"),
                    QStringLiteral("header line %1 is longer than %2 bytes")
                        .arg(m_headerLines + 1)
                        .arg(qtMaxHeaderLine)));
            if (m_headBytes > m_maxHead)
                return stop(fail(431, QStringLiteral("header_too_large"),
                    QStringLiteral("request head longer than %1 bytes").arg(m_maxHead)));
            if (!complete)
                break;
            const QByteArrayView line = QByteArrayView(m_line).chopped(1);
            if (!line.endsWith('\r') || line.chopped(1).contains('\r'))
                return stop(fail(400, QStringLiteral("bad_request"),
                    requestLine ? QStringLiteral("the request line does not end in CRLF")
                                : QStringLiteral("header line %1 does not end in CRLF")
                                      .arg(m_headerLines + 1)));
            const QByteArrayView text = line.chopped(1);
            if (requestLine) {
                if (!parseRequestLine(text))
                    return stop(Event::Error);
                m_state = State::Headers;
            } else if (text.isEmpty()) {
                m_line.clear();
                if (m_head.minorVersion == 1 && !m_head.host)
                    return stop(fail(400, QStringLiteral("bad_request"),
                        QStringLiteral("an HTTP/1.1 request needs a Host header")));
                m_state = State::HeadDone;
                return stop(Event::Head);
            } else if (!parseHeaderLine(text)) {
                return stop(Event::Error);
            }
            m_line.clear();
            break;
        }
        }
    }
    return stop(m_state == State::HeadDone ? Event::Head
            : m_state == State::Failed     ? Event::Error
                                           : Event::NeedMore);
}

bool RequestFramer::parseRequestLine(QByteArrayView line)
{
    const auto bad = [this](const QString &why) {
        fail(400, QStringLiteral("bad_request"),
            QStringLiteral("malformed request line (expected \"METHOD /path HTTP/1.1\"): %1")
                .arg(why));
        return false;
    };
    const qsizetype sp1 = line.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    if (sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0)
        return bad(QStringLiteral("not three parts separated by single spaces"));
    const QByteArrayView method = line.first(sp1);
    const QByteArrayView target = line.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = line.sliced(sp2 + 1);
    if (method.isEmpty() || method.size() > 16)
        return bad(QStringLiteral("no method"));
    for (char c : method)
        if (c < 'A' || c > 'Z')
            return bad(QStringLiteral("the method is not upper-case letters"));
    if (!target.startsWith('/'))
        return bad(QStringLiteral("the target is not a path starting with '/'"));
    for (char c : target)
        if (c < 0x21 || c > 0x7e)
            return bad(QStringLiteral("the target has a byte that must be percent-encoded"));
    if (version != "HTTP/1.1" && version != "HTTP/1.0")
        return bad(QStringLiteral("the version is not HTTP/1.0 or HTTP/1.1"));
    m_head.method = method.toByteArray();
    m_head.minorVersion = version.back() - '0';
    // The same call Qt's server makes, so that the gate routes the path the server will.
    m_head.path = QUrl::fromEncoded(target.toByteArray()).path();
    return true;
}

bool RequestFramer::parseHeaderLine(QByteArrayView line)
{
    const int number = ++m_headerLines;
    const auto bad = [this, number](const QString &why) {
        fail(400, QStringLiteral("bad_request"),
            QStringLiteral("header line %1: %2").arg(number).arg(why));
        return false;
    };
    if (number > qtMaxHeaderLines) {
        fail(431, QStringLiteral("header_too_large"),
            QStringLiteral("more than %1 header lines").arg(qtMaxHeaderLines));
        return false;
    }
    if (line.front() == ' ' || line.front() == '\t')
        return bad(QStringLiteral("continuation lines (obsolete line folding) are not accepted"));
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0)
        return bad(QStringLiteral("expected \"Name: value\""));
    const QByteArrayView name = line.first(colon);
    for (char c : name)
        if (!isTokenChar(c))
            return bad(QStringLiteral("the field name has a character a token cannot have"));
    const QByteArrayView value = trimmedOws(line.sliced(colon + 1));
    for (char c : value)
        if ((uchar(c) < 0x20 && c != '\t') || c == 0x7f)
            return bad(QStringLiteral("the value has a control character"));
    const QByteArray lower = name.toByteArray().toLower();
    if (lower == "content-length") {
        if (++m_contentLengths > 1)
            return bad(QStringLiteral("more than one Content-Length"));
        bool digits = !value.isEmpty() && value.size() <= 18;
        for (char c : value)
            digits = digits && c >= '0' && c <= '9';
        if (!digits)
            return bad(QStringLiteral("Content-Length is not a number of bytes"));
        m_head.contentLength = value.toLongLong();
    } else if (lower == "transfer-encoding") {
        m_head.transferEncoding = true;
    } else if (lower == "upgrade") {
        m_head.upgradeWebSocket = value.trimmed().compare("websocket", Qt::CaseInsensitive) == 0;
    } else if (lower == "host") {
        if (m_head.host)
            return bad(QStringLiteral("more than one Host"));
        m_head.host = value.toByteArray();
    }
    return true;
}

} // namespace Shivx

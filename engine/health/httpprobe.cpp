#include "health/httpprobe.h"

#include "health/curlmulti.h"
#include "health/probemessages.h"

#include <curl/curl.h>

#include <cerrno>
#include <cstring>

namespace Shivx {

namespace {

constexpr char UserAgent[] = "ShivX-Probe/1";

QString curlDetail(const QByteArray &errorBuffer, int curlCode)
{
    const QString detail = QString::fromUtf8(errorBuffer.constData()).trimmed();
    return detail.isEmpty() ? QString::fromUtf8(curl_easy_strerror(CURLcode(curlCode))) : detail;
}

} // namespace

HttpProbe::HttpProbe(const TargetSpec &spec, Clock *clock, CurlMulti *transfers, QObject *parent)
    : Probe(spec, clock, parent)
    , m_transfers(transfers)
{
}

HttpProbe::~HttpProbe()
{
    releaseTransfer();
}

void HttpProbe::begin()
{
    const QUrl &url = m_spec.url;
    if (!url.isValid()
        || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
        finishLater(ProbeMessages::notHttpUrl(url.toString()));
        return;
    }
    if (!m_transfers) {
        finishLater(ProbeMessages::cannotStartTransfer());
        return;
    }
    m_easy = m_transfers->takeEasy();
    if (!m_easy) {
        finishLater(ProbeMessages::cannotStartTransfer());
        return;
    }
    m_needle = m_spec.bodyContains.toUtf8();
    m_errorBuffer = QByteArray(CURL_ERROR_SIZE, '\0');
    const QByteArray urlText = url.toEncoded();
    curl_easy_setopt(m_easy, CURLOPT_URL, urlText.constData()); // curl copies strings
    curl_easy_setopt(m_easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(m_easy, CURLOPT_ERRORBUFFER, m_errorBuffer.data());
    // No signals from curl in a threaded program; the probe thread's event loop does the rest.
    curl_easy_setopt(m_easy, CURLOPT_NOSIGNAL, 1L);
    // "" disables proxies, including http_proxy and friends from the environment.
    curl_easy_setopt(m_easy, CURLOPT_PROXY, "");
    curl_easy_setopt(m_easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(m_easy, CURLOPT_HTTP_VERSION, long(CURL_HTTP_VERSION_1_1));
    curl_easy_setopt(m_easy, CURLOPT_USERAGENT, UserAgent);
    // A fresh connection, closed after the answer: see the class comment.
    curl_easy_setopt(m_easy, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(m_easy, CURLOPT_FORBID_REUSE, 1L);
    // No TLS session resumption either: a resumed session skips the certificate check.
    curl_easy_setopt(m_easy, CURLOPT_SSL_SESSIONID_CACHE, 0L);
    m_headers = curl_slist_append(nullptr, "Connection: close");
    if (!m_accept.isEmpty()) {
        m_headers = curl_slist_append(m_headers, QByteArray("Accept: " + m_accept).constData());
        // "" offers every encoding curl decodes (gzip, deflate); the body arrives decoded.
        curl_easy_setopt(m_easy, CURLOPT_ACCEPT_ENCODING, "");
    }
    curl_easy_setopt(m_easy, CURLOPT_HTTPHEADER, m_headers);
    if (m_spec.tlsVerify) {
        // The CA bundle only, without the CA directory Debian's libcurl also defaults to: with
        // a directory curl does not cache the parsed CA store in the multi handle, and OpenSSL 3
        // takes ~300 ms of CPU to parse the bundle again for every connection. The bundle holds
        // the same certificates (update-ca-certificates writes both).
        curl_easy_setopt(m_easy, CURLOPT_CAPATH, static_cast<const char *>(nullptr));
    } else {
        curl_easy_setopt(m_easy, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(m_easy, CURLOPT_SSL_VERIFYHOST, 0L);
        // Nothing to verify against, so nothing to load.
        curl_easy_setopt(m_easy, CURLOPT_CAINFO, static_cast<const char *>(nullptr));
        curl_easy_setopt(m_easy, CURLOPT_CAPATH, static_cast<const char *>(nullptr));
    }
    curl_easy_setopt(m_easy, CURLOPT_HEADERFUNCTION, &HttpProbe::onHeader);
    curl_easy_setopt(m_easy, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(m_easy, CURLOPT_WRITEFUNCTION, &HttpProbe::onBody);
    curl_easy_setopt(m_easy, CURLOPT_WRITEDATA, this);
    // The probe's own precise timer (Probe::start) enforces timeoutMs; curl needs no deadline.
    if (!m_transfers->add(m_easy, [this](int code) { evaluate(code); })) {
        releaseTransfer();
        finishLater(ProbeMessages::cannotStartTransfer());
    }
}

size_t HttpProbe::onHeader(char *data, size_t size, size_t count, void *self)
{
    auto *probe = static_cast<HttpProbe *>(self);
    const size_t bytes = size * count;
    const QByteArray line = QByteArray::fromRawData(data, qsizetype(bytes));
    // A new status line starts a new response (after a 100 Continue): forget the old headers.
    if (line.startsWith("HTTP/"))
        probe->m_location.clear();
    else if (line.size() > 9 && qstrnicmp(line.constData(), "location:", 9) == 0)
        probe->m_location = line.mid(9).trimmed();
    return bytes;
}

size_t HttpProbe::onBody(char *data, size_t size, size_t count, void *self)
{
    return static_cast<HttpProbe *>(self)->takeBody(data, size * count);
}

size_t HttpProbe::takeBody(const char *data, size_t bytes)
{
    if (m_bodyBytes == 0) {
        long status = 0;
        curl_easy_getinfo(m_easy, CURLINFO_RESPONSE_CODE, &status);
        if (status != m_spec.expectStatus) {
            // The verdict is known; the body of an error page is not worth reading.
            m_wrongStatus = true;
            m_stoppedReading = true;
            return 0;
        }
    }
    if (m_keepBody) {
        if (m_bodyBytes + qint64(bytes) > m_maxBodyBytes) {
            m_truncated = true;
            m_stoppedReading = true;
            return 0;
        }
        m_body.append(data, qsizetype(bytes));
        m_bodyBytes += qint64(bytes);
        return bytes;
    }
    const qint64 room = MaxBodyBytes - m_bodyBytes;
    const qint64 taken = qMin<qint64>(room, qint64(bytes));
    m_bodyBytes += taken;
    if (!m_needle.isEmpty() && !m_found) {
        // Search only the new bytes and the tail that a match could straddle.
        const qsizetype from = qMax<qsizetype>(0, m_body.size() - m_needle.size() + 1);
        m_body.append(data, qsizetype(taken));
        m_found = m_body.indexOf(m_needle, from) >= 0;
    }
    if (m_found || m_bodyBytes >= MaxBodyBytes) {
        m_truncated = !m_found;
        // Enough to judge: returning short makes curl end the transfer (CURLE_WRITE_ERROR).
        m_stoppedReading = true;
        return 0;
    }
    return bytes;
}

Message HttpProbe::transportError(int curlCode) const
{
    switch (CURLcode(curlCode)) {
    case CURLE_COULDNT_CONNECT: {
        long osErrno = 0;
        curl_easy_getinfo(m_easy, CURLINFO_OS_ERRNO, &osErrno);
        switch (osErrno) {
        case ECONNREFUSED:
            return ProbeMessages::connectionRefused();
        case ETIMEDOUT:
            return ProbeMessages::connectionTimedOut();
        case ENETUNREACH:
        case EHOSTUNREACH:
            return ProbeMessages::networkUnreachable(
                QString::fromLocal8Bit(std::strerror(int(osErrno))));
        default:
            return ProbeMessages::cannotConnect(curlDetail(m_errorBuffer, curlCode));
        }
    }
    case CURLE_COULDNT_RESOLVE_HOST:
        return ProbeMessages::hostNotFound(m_spec.url.host());
    case CURLE_OPERATION_TIMEDOUT:
        return ProbeMessages::connectionTimedOut();
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
        return ProbeMessages::incompleteResponse();
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        // curl names the certificate problem ("SSL certificate problem: self-signed
        // certificate"); the prefix is the one operators already know from this probe.
        return ProbeMessages::tlsFailed(curlDetail(m_errorBuffer, curlCode));
    default:
        return Message::verbatim(curlDetail(m_errorBuffer, curlCode));
    }
}

void HttpProbe::evaluate(int curlCode)
{
    if (!m_easy || isDone())
        return;
    const bool transferOk = curlCode == CURLE_OK || m_stoppedReading;
    long status = 0;
    curl_easy_getinfo(m_easy, CURLINFO_RESPONSE_CODE, &status);
    Message error;
    if (status == 0) {
        error = transferOk ? ProbeMessages::noHttpResponse() : transportError(curlCode);
    } else if (m_wrongStatus || status != m_spec.expectStatus) {
        const bool redirect = status >= 300 && status < 400;
        error = ProbeMessages::httpStatus(
            int(status), m_spec.expectStatus, redirect ? QString::fromUtf8(m_location) : QString());
    } else if (!transferOk) {
        // Reset mid-body and the like: the status was right, the answer incomplete.
        error = transportError(curlCode);
    } else if (m_keepBody) {
        error = m_truncated ? ProbeMessages::scrapeTooLarge(m_maxBodyBytes) : checkBody(m_body);
    } else if (!m_needle.isEmpty() && !m_found) {
        error = ProbeMessages::bodyMissing(m_spec.bodyContains, m_truncated);
    }
    m_body = QByteArray(); // a scrape's body may be megabytes; the spent probe lingers a while
    releaseTransfer();
    finish(error.isEmpty(), error);
}

void HttpProbe::keepBody(qint64 maxBytes, const QByteArray &accept)
{
    m_keepBody = true;
    m_maxBodyBytes = maxBytes;
    m_accept = accept;
}

Message HttpProbe::checkBody(const QByteArray &)
{
    return {};
}

void HttpProbe::abortWork()
{
    releaseTransfer();
}

void HttpProbe::releaseTransfer()
{
    if (m_easy) {
        if (m_transfers)
            m_transfers->recycle(m_easy);
        else
            curl_easy_cleanup(m_easy); // the multi went first (the monitor stopped)
        m_easy = nullptr;
    }
    if (m_headers) {
        curl_slist_free_all(m_headers);
        m_headers = nullptr;
    }
}

} // namespace Shivx

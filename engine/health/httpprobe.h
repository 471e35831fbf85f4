#pragma once

#include "health/probe.h"

#include <QByteArray>
#include <QPointer>

typedef void CURL; // NOLINT(modernize-use-using): libcurl's own spelling
struct curl_slist;

namespace Shivx {

class CurlMulti;

// GET url through libcurl (the monitor's CurlMulti, on the monitor thread); passes when the
// status equals expectStatus and, if bodyContains is set, the first MaxBodyBytes of the body
// contain it. Reading stops as soon as the verdict is known: a wrong status, the text found,
// or MaxBodyBytes read. Redirects are not followed: a 301 is reported as the status it is
// ("HTTP 301 (expected 200), redirect to ..."), because a health endpoint that redirects
// usually points at a login page, and following it would hide that. No proxy is used: the
// probe checks the service, not the path through a proxy. Each probe opens its own HTTP/1.1
// connection and closes it, so an expired certificate or a listener that stopped accepting is
// seen by the next probe, and a tls_verify: false connection is never reused by a target that
// verifies. tlsVerify = false skips certificate and host name checks for this target only.
class HttpProbe : public Probe
{
    Q_OBJECT
public:
    static constexpr qint64 MaxBodyBytes = 1024 * 1024;

    HttpProbe(
        const TargetSpec &spec, Clock *clock, CurlMulti *transfers, QObject *parent = nullptr);
    ~HttpProbe() override;

protected:
    void begin() override;
    void abortWork() override;

    // For probes that read the whole answer (ScrapeProbe): keep up to `maxBytes` of the body
    // (more fails the probe) and send `accept` as the Accept header, with gzip allowed. Call
    // from the constructor.
    void keepBody(qint64 maxBytes, const QByteArray &accept);
    // Called with the kept body once the status matched and the transfer completed; a
    // non-empty Message fails the probe. The default accepts any body.
    virtual Message checkBody(const QByteArray &body);

private:
    static size_t onHeader(char *data, size_t size, size_t count, void *self);
    static size_t onBody(char *data, size_t size, size_t count, void *self);
    size_t takeBody(const char *data, size_t bytes);
    void evaluate(int curlCode);
    Message transportError(int curlCode) const;
    void releaseTransfer();

    // Guarded: the monitor may delete its CurlMulti (stop) before deferred probe deletes run.
    QPointer<CurlMulti> m_transfers;
    CURL *m_easy = nullptr;
    curl_slist *m_headers = nullptr;
    QByteArray m_errorBuffer; // CURLOPT_ERRORBUFFER: curl's detail for the last failure
    QByteArray m_location; // Location header of the final response
    QByteArray m_needle; // bodyContains in UTF-8
    QByteArray m_body; // what bodyContains is searched in: at most MaxBodyBytes
    qint64 m_bodyBytes = 0;
    qint64 m_maxBodyBytes = MaxBodyBytes;
    bool m_keepBody = false;
    QByteArray m_accept;
    bool m_found = false;
    bool m_truncated = false;
    bool m_wrongStatus = false;
    // Set when onBody ended the transfer on purpose; curl then reports CURLE_WRITE_ERROR.
    bool m_stoppedReading = false;
};

} // namespace Shivx

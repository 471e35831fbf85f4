#pragma once

#include "health/httpprobe.h"

namespace Shivx {

// One scrape of a `prometheus` target: an HttpProbe (same transfer, timeout, TLS and proxy
// rules) that asks for the text format, reads up to MaxScrapeBytes of the answer and parses it
// with ExpositionParser. It passes when the status is 200 and the whole body parses; the
// parsed samples travel in ProbeResult::scraped. A body that does not parse fails the probe
// with the parser's "line N: ..." (ProbeMessages::badExposition). Monitor thread only.
class ScrapeProbe : public HttpProbe
{
    Q_OBJECT
public:
    static constexpr qint64 MaxScrapeBytes = 16 * 1024 * 1024;

    ScrapeProbe(
        const TargetSpec &spec, Clock *clock, CurlMulti *transfers, QObject *parent = nullptr);

protected:
    Message checkBody(const QByteArray &body) override;
};

} // namespace Shivx

#include "health/scrapeprobe.h"

#include "health/probemessages.h"
#include "telemetry/expositionparser.h"

namespace Shivx {

ScrapeProbe::ScrapeProbe(
    const TargetSpec &spec, Clock *clock, CurlMulti *transfers, QObject *parent)
    : HttpProbe(spec, clock, transfers, parent)
{
    // The text format only: a server that offers OpenMetrics or protobuf falls back to it.
    keepBody(MaxScrapeBytes, "text/plain;version=0.0.4;q=1,*/*;q=0.1");
}

Message ScrapeProbe::checkBody(const QByteArray &body)
{
    auto parsed = ExpositionParser::parse(body);
    if (!parsed)
        return ProbeMessages::badExposition(parsed.error().message);
    m_scraped = std::make_shared<const QList<ExpositionSample>>(std::move(*parsed));
    return {};
}

} // namespace Shivx

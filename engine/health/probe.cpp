#include "health/probe.h"

#include "core/clock.h"
#include "health/commandprobe.h"
#include "health/httpprobe.h"
#include "health/probemessages.h"
#include "health/processprobe.h"
#include "health/scrapeprobe.h"
#include "health/tcpprobe.h"

#include <QTimer>
#include <QTimerEvent>

#include <limits>

namespace Shivx {

Probe *Probe::create(const TargetSpec &spec, Clock *clock, CurlMulti *http, QObject *parent)
{
    switch (spec.kind) {
    case TargetKind::Http:
        return new HttpProbe(spec, clock, http, parent);
    case TargetKind::Tcp:
        return new TcpProbe(spec, clock, parent);
    case TargetKind::Process:
        return new ProcessProbe(spec, clock, parent);
    case TargetKind::Command:
        return new CommandProbe(spec, clock, parent);
    case TargetKind::Prometheus:
        return new ScrapeProbe(spec, clock, http, parent);
    }
    return new ProcessProbe(spec, clock, parent);
}

Probe::Probe(const TargetSpec &spec, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_spec(spec)
    , m_clock(clock ? clock : Clock::system())
{
}

Probe::~Probe() = default;

void Probe::start()
{
    m_elapsed.start();
    if (m_spec.timeoutMs > 0) {
        // Precise: a coarse timer may fire 5% late, which shows up in "timed out after" tests
        // and in the latency of the hanging probe.
        m_timeout.start(int(qMin<qint64>(m_spec.timeoutMs, std::numeric_limits<int>::max())),
            Qt::PreciseTimer, this);
    }
    begin();
}

void Probe::cancel()
{
    if (m_done)
        return;
    m_done = true;
    m_timeout.stop();
    abortWork();
}

void Probe::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_timeout.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_timeout.stop();
    if (!m_done)
        onTimeout();
}

void Probe::onTimeout()
{
    finish(false, ProbeMessages::timedOut(m_spec.timeoutMs));
    abortWork();
}

void Probe::finish(bool ok, const Message &error)
{
    if (m_done)
        return;
    m_done = true;
    m_timeout.stop();
    ProbeResult result;
    result.ok = ok;
    result.error = ok ? Message() : error;
    if (ok)
        result.scraped = m_scraped;
    result.latencyMs = elapsedMs();
    result.finishedAtMs = m_clock->nowMs();
    Q_EMIT finished(result);
}

void Probe::finishLater(const Message &error)
{
    QTimer::singleShot(0, this, [this, error] { finish(false, error); });
}

double Probe::elapsedMs() const
{
    return m_elapsed.isValid() ? double(m_elapsed.nsecsElapsed()) / 1e6 : 0.0;
}

} // namespace Shivx

#pragma once

#include "health/target.h"

#include <QBasicTimer>
#include <QElapsedTimer>
#include <QObject>

namespace Shivx {

class Clock;
class CurlMulti;

// One asynchronous run of a target's check. Lives on the monitor thread; start() returns at
// once and finished() follows exactly once, unless cancel() comes first. The probe enforces
// TargetSpec::timeoutMs itself, so a hanging peer costs a timer, not a thread.
class Probe : public QObject
{
    Q_OBJECT
public:
    // `http` runs the HTTP probes' transfers (the monitor's, on the monitor thread); the
    // other kinds ignore it.
    static Probe *create(const TargetSpec &spec, Clock *clock, CurlMulti *http, QObject *parent);

    ~Probe() override;

    void start();
    // Stops the check without a result: aborts sockets and replies, kills command children
    // and reaps them before returning. finished() is not emitted afterwards.
    void cancel();

    bool isDone() const { return m_done; }
    const TargetSpec &spec() const { return m_spec; }

Q_SIGNALS:
    // Emitted on the probe's (the monitor's) thread.
    void finished(const Shivx::ProbeResult &result);

protected:
    Probe(const TargetSpec &spec, Clock *clock, QObject *parent);

    virtual void begin() = 0;
    // The timeout fired; the default reports ProbeMessages::timedOut(). Implementations abort their
    // I/O.
    virtual void onTimeout();
    // Release whatever is in flight; called once, from cancel() or after a timeout.
    virtual void abortWork() = 0;

    // Reports the result once; later calls are ignored. Latency is wall time since start().
    void finish(bool ok, const Message &error = {});
    // For failures detected inside start(): reported from the event loop, so start() never
    // emits before the caller has connected and stored the probe.
    void finishLater(const Message &error);
    double elapsedMs() const;
    void timerEvent(QTimerEvent *event) override;

    TargetSpec m_spec;
    // What a successful scrape parsed (ScrapeProbe); finish() hands it on in the result.
    std::shared_ptr<const QList<ExpositionSample>> m_scraped;

private:
    Clock *m_clock;
    // A QBasicTimer rather than a QTimer: one per probe run, and a QTimer object with its
    // connection cost more than the rest of a fast probe's own bookkeeping.
    QBasicTimer m_timeout;
    QElapsedTimer m_elapsed;
    bool m_done = false;
};

} // namespace Shivx

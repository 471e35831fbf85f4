#pragma once

#include <QtGlobal>

#include <deque>
#include <set>

namespace Shivx {

// What a rule computes over its window (docs/alerting.md, "Functions").
enum class WindowFunction {
    Last, // the newest sample
    Avg, // avg_over_time
    Min, // min_over_time
    Max, // max_over_time
    Rate, // per-second increase of a counter, resets handled
    Increase, // increase of a counter over the window, resets handled
    Quantile, // quantile_over_time(q)
    HoursLeft, // linear fit over the window: hours until the series reaches `target`
};

// The samples of one series over a time window, with every aggregate kept up to date as
// samples arrive and expire, so that an evaluation costs O(1) (O(log n) for quantiles)
// instead of a pass over the raw samples: running sums for the average and the least-squares
// fit, monotonic deques for min and max, a running sum of counter increases (a drop is a
// reset, counted from zero), and an ordered multiset for quantiles (kept only when asked).
// Not thread-safe: one evaluator thread owns it.
class SlidingWindow
{
public:
    explicit SlidingWindow(qint64 windowMs, bool keepOrder = false);

    // Adds a sample (ts ascending; an older or equal ts is ignored) and expires those older
    // than ts - window.
    void add(qint64 tsMs, double value);
    // Expires samples older than now - window (evaluations call it when a series is silent).
    void expire(qint64 nowMs);

    int size() const { return int(m_samples.size()); }
    qint64 windowMs() const { return m_windowMs; }
    // NaN when the window has too few samples (rate, increase and the fit need two).
    double value(WindowFunction f, double param = 0) const;

    // The least-squares slope in units per second, and the fitted value at `tsMs`.
    double slopePerSecond() const;
    double fittedAt(qint64 tsMs) const;
    // Hours until the fit reaches `target`; +Inf when the trend moves away from it (or is
    // flat), 0 when it is there already.
    double hoursUntil(double target) const;

private:
    struct Sample
    {
        qint64 ts;
        double v;
        double increase; // counter increase from the previous sample (reset-aware)
    };
    void popFront();

    qint64 m_windowMs;
    bool m_keepOrder;
    std::deque<Sample> m_samples;
    std::deque<Sample> m_min; // increasing values
    std::deque<Sample> m_max; // decreasing values
    std::multiset<double> m_ordered;
    double m_sum = 0;
    double m_increase = 0; // sum of increases after the first sample
    // Fit over (t, v) with t in seconds relative to m_origin, to keep the sums well-conditioned.
    qint64 m_origin = 0;
    double m_st = 0, m_sv = 0, m_stt = 0, m_stv = 0;
};

} // namespace Shivx

#include "alerting/slidingwindow.h"

#include <cmath>
#include <iterator>
#include <limits>

namespace Shivx {

SlidingWindow::SlidingWindow(qint64 windowMs, bool keepOrder)
    : m_windowMs(qMax<qint64>(windowMs, 1))
    , m_keepOrder(keepOrder)
{
}

void SlidingWindow::add(qint64 tsMs, double value)
{
    if (!std::isfinite(value) || (!m_samples.empty() && tsMs <= m_samples.back().ts))
        return;
    if (m_samples.empty()) {
        m_origin = tsMs;
        m_st = m_sv = m_stt = m_stv = 0;
        m_sum = 0;
        m_increase = 0;
    }
    double inc = 0;
    if (!m_samples.empty()) {
        const double prev = m_samples.back().v;
        inc = value >= prev ? value - prev : value; // a drop is a counter reset
    }
    const Sample s { tsMs, value, inc };
    m_samples.push_back(s);
    m_sum += value;
    m_increase += inc;
    const double t = double(tsMs - m_origin) / 1000.0;
    m_st += t;
    m_sv += value;
    m_stt += t * t;
    m_stv += t * value;
    while (!m_min.empty() && m_min.back().v >= value)
        m_min.pop_back();
    m_min.push_back(s);
    while (!m_max.empty() && m_max.back().v <= value)
        m_max.pop_back();
    m_max.push_back(s);
    if (m_keepOrder)
        m_ordered.insert(value);
    expire(tsMs);
}

void SlidingWindow::popFront()
{
    const Sample s = m_samples.front();
    m_samples.pop_front();
    m_sum -= s.v;
    const double t = double(s.ts - m_origin) / 1000.0;
    m_st -= t;
    m_sv -= s.v;
    m_stt -= t * t;
    m_stv -= t * s.v;
    if (!m_samples.empty())
        m_increase -= m_samples.front().increase; // the new first sample's increase leaves
    if (!m_min.empty() && m_min.front().ts == s.ts)
        m_min.pop_front();
    if (!m_max.empty() && m_max.front().ts == s.ts)
        m_max.pop_front();
    if (m_keepOrder)
        m_ordered.erase(m_ordered.find(s.v));
}

void SlidingWindow::expire(qint64 nowMs)
{
    while (!m_samples.empty() && m_samples.front().ts < nowMs - m_windowMs)
        popFront();
    if (m_samples.empty())
        return;
    // Running sums drift with many add/remove pairs; rebase the fit when the window has
    // turned over so the origin stays near the data.
    if (m_samples.front().ts - m_origin > 4 * m_windowMs) {
        const std::deque<Sample> keep = m_samples;
        m_samples.clear();
        m_min.clear();
        m_max.clear();
        m_ordered.clear();
        for (const Sample &s : keep)
            add(s.ts, s.v);
    }
}

double SlidingWindow::value(WindowFunction f, double param) const
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (m_samples.empty())
        return nan;
    const double n = double(m_samples.size());
    switch (f) {
    case WindowFunction::Last:
        return m_samples.back().v;
    case WindowFunction::Avg:
        return m_sum / n;
    case WindowFunction::Min:
        return m_min.front().v;
    case WindowFunction::Max:
        return m_max.front().v;
    case WindowFunction::Increase:
        return m_samples.size() < 2 ? nan : m_increase;
    case WindowFunction::Rate: {
        if (m_samples.size() < 2)
            return nan;
        const double span = double(m_samples.back().ts - m_samples.front().ts) / 1000.0;
        return span > 0 ? m_increase / span : nan;
    }
    case WindowFunction::Quantile: {
        if (!m_keepOrder || m_ordered.empty())
            return nan;
        // Linear interpolation between closest ranks, as PromQL's quantile_over_time.
        const double q = qBound(0.0, param, 1.0);
        const double rank = q * (n - 1);
        const auto lo = qint64(std::floor(rank));
        auto it = m_ordered.begin();
        std::advance(it, lo);
        const double a = *it;
        const double b = std::next(it) == m_ordered.end() ? a : *std::next(it);
        return a + (b - a) * (rank - double(lo));
    }
    case WindowFunction::HoursLeft:
        return hoursUntil(param);
    }
    return nan;
}

double SlidingWindow::slopePerSecond() const
{
    const double n = double(m_samples.size());
    const double denom = n * m_stt - m_st * m_st;
    if (m_samples.size() < 2 || std::fabs(denom) < 1e-12)
        return std::numeric_limits<double>::quiet_NaN();
    return (n * m_stv - m_st * m_sv) / denom;
}

double SlidingWindow::fittedAt(qint64 tsMs) const
{
    const double n = double(m_samples.size());
    const double slope = slopePerSecond();
    if (!std::isfinite(slope))
        return m_samples.empty() ? std::numeric_limits<double>::quiet_NaN() : m_samples.back().v;
    const double intercept = (m_sv - slope * m_st) / n;
    return intercept + slope * (double(tsMs - m_origin) / 1000.0);
}

double SlidingWindow::hoursUntil(double target) const
{
    if (m_samples.size() < 2)
        return std::numeric_limits<double>::quiet_NaN();
    const double slope = slopePerSecond();
    const double now = fittedAt(m_samples.back().ts);
    if (!std::isfinite(slope) || !std::isfinite(now))
        return std::numeric_limits<double>::quiet_NaN();
    const double gap = target - now;
    if (gap == 0 || (gap < 0) != (slope < 0) || slope == 0)
        return gap == 0 ? 0 : std::numeric_limits<double>::infinity();
    return qMax(0.0, gap / slope / 3600.0);
}

} // namespace Shivx

#include "widgets/gaugewidget.h"

#include "widgets/displayformat.h"
#include "widgets/statuscolors.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace Shivx::Ui {

namespace {
// The arc opens at the bottom: 240 degrees starting at 7 o'clock, clockwise.
constexpr double kStartAngle = 210.0;
constexpr double kSweep = 240.0;
} // namespace

GaugeWidget::GaugeWidget(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    updateAccessibleText();
}

void GaugeWidget::setRange(double minimum, double maximum)
{
    if (!(maximum > minimum))
        return;
    m_minimum = minimum;
    m_maximum = maximum;
    if (m_hasValue)
        m_value = std::clamp(m_value, m_minimum, m_maximum);
    update();
}

void GaugeWidget::setValue(double value)
{
    if (std::isnan(value)) {
        clearValue();
        return;
    }
    const double clamped = std::clamp(value, m_minimum, m_maximum);
    if (m_hasValue && clamped == m_value)
        return;
    m_value = clamped;
    m_hasValue = true;
    updateAccessibleText();
    update();
    Q_EMIT valueChanged(m_value);
}

void GaugeWidget::clearValue()
{
    if (!m_hasValue)
        return;
    m_hasValue = false;
    m_value = m_minimum;
    updateAccessibleText();
    update();
}

void GaugeWidget::setLabel(const QString &label)
{
    m_label = label;
    updateAccessibleText();
    update();
}

void GaugeWidget::setUnit(const QString &unit)
{
    m_unit = unit;
    updateAccessibleText();
    update();
}

void GaugeWidget::setDetail(const QString &detail)
{
    if (detail == m_detail)
        return;
    m_detail = detail;
    update();
}

void GaugeWidget::setDecimals(int decimals)
{
    m_decimals = std::clamp(decimals, 0, 6);
    updateAccessibleText();
    update();
}

void GaugeWidget::setThresholds(double warning, double critical, Direction direction)
{
    m_warning = warning;
    m_critical = critical;
    m_direction = direction;
    update();
}

GaugeWidget::Level GaugeWidget::level() const
{
    if (!m_hasValue)
        return Level::None;
    if (m_direction == Direction::HigherIsWorse) {
        if (m_value >= m_critical)
            return Level::Critical;
        if (m_value >= m_warning)
            return Level::Warning;
        return Level::Ok;
    }
    if (m_value <= m_critical)
        return Level::Critical;
    if (m_value <= m_warning)
        return Level::Warning;
    return Level::Ok;
}

QColor GaugeWidget::levelColor() const
{
    return colorFor(level());
}

QColor GaugeWidget::colorFor(Level level)
{
    switch (level) {
    case Level::Ok:
        return StatusColors::ok();
    case Level::Warning:
        return StatusColors::warning();
    case Level::Critical:
        return StatusColors::critical();
    case Level::None:
        break;
    }
    return StatusColors::unknown();
}

QString GaugeWidget::valueText() const
{
    if (!m_hasValue)
        return DisplayFormat::noValue();
    return QLocale().toString(m_value, 'f', m_decimals);
}

QSize GaugeWidget::sizeHint() const
{
    return { 180, 170 };
}

QSize GaugeWidget::minimumSizeHint() const
{
    return { 120, 115 };
}

void GaugeWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);

    const QFontMetricsF labelMetrics(font());
    const double labelBlock = labelMetrics.height() * (m_detail.isEmpty() ? 1.3 : 2.3);
    const double side = std::max(10.0, std::min(double(width()), height() - labelBlock) - 8.0);
    const double penWidth = std::max(6.0, side * 0.09);
    const QRectF arcRect((width() - side) / 2.0 + penWidth / 2.0, 4.0 + penWidth / 2.0,
        side - penWidth, side - penWidth);

    // Track, then the filled part in the level colour.
    // The text colour, faint: visible on light and dark palettes alike, where Mid and
    // Window can be nearly the same.
    QColor track = palette().color(QPalette::WindowText);
    track.setAlpha(38);
    QPen pen(track, penWidth, Qt::SolidLine, Qt::RoundCap);
    p.setPen(pen);
    p.drawArc(arcRect, int(kStartAngle * 16), int(-kSweep * 16));

    if (m_hasValue) {
        const double fraction = (m_value - m_minimum) / (m_maximum - m_minimum);
        const double span = kSweep * fraction;
        if (span > 0.5) {
            pen.setColor(levelColor());
            p.setPen(pen);
            p.drawArc(arcRect, int(kStartAngle * 16), int(-span * 16));
        }
    }

    // Value and unit in the centre, scaled with the gauge.
    QFont valueFont = font();
    valueFont.setPixelSize(std::max(10, int(side * 0.22)));
    valueFont.setBold(true);
    QFont unitFont = font();
    unitFont.setPixelSize(std::max(8, int(side * 0.09)));

    const QString text = valueText();
    const QFontMetricsF valueMetrics(valueFont);
    const QRectF centre = arcRect;
    p.setFont(valueFont);
    p.setPen(m_hasValue ? palette().color(QPalette::WindowText)
                        : palette().color(QPalette::PlaceholderText));
    const QRectF valueRect(centre.left(), centre.center().y() - valueMetrics.height() * 0.6,
        centre.width(), valueMetrics.height());
    p.drawText(valueRect, Qt::AlignCenter, text);

    if (!m_unit.isEmpty()) {
        p.setFont(unitFont);
        p.setPen(palette().color(QPalette::PlaceholderText));
        const QFontMetricsF unitMetrics(unitFont);
        p.drawText(QRectF(centre.left(), valueRect.bottom(), centre.width(), unitMetrics.height()),
            Qt::AlignHCenter | Qt::AlignTop, m_unit);
    }

    // Label (and detail) under the opening of the arc.
    QFont labelFont = font();
    labelFont.setBold(true);
    p.setFont(labelFont);
    p.setPen(palette().color(QPalette::WindowText));
    const double labelTop = arcRect.bottom() - side * 0.08;
    const QRectF labelRect(0, labelTop, width(), labelMetrics.height() * 1.2);
    p.drawText(labelRect, Qt::AlignHCenter | Qt::AlignVCenter,
        labelMetrics.elidedText(m_label, Qt::ElideRight, width()));
    if (!m_detail.isEmpty()) {
        p.setFont(font());
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(QRectF(0, labelRect.bottom(), width(), labelMetrics.height()),
            Qt::AlignHCenter | Qt::AlignVCenter,
            labelMetrics.elidedText(m_detail, Qt::ElideMiddle, width()));
    }
}

void GaugeWidget::updateAccessibleText()
{
    // Screen readers and tests read the gauge through its accessible name.
    const QString text = m_unit.isEmpty() ? valueText() : tr("%1 %2").arg(valueText(), m_unit);
    setAccessibleName(m_label);
    setAccessibleDescription(text);
    setToolTip(m_label.isEmpty() ? text : tr("%1: %2").arg(m_label, text));
}

} // namespace Shivx::Ui

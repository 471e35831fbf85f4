#pragma once

#include <QColor>
#include <QString>
#include <QWidget>

namespace Shivx::Ui {

// A painted arc gauge: the arc fills from minimum to maximum, its colour follows the
// warning/critical thresholds, the value and unit sit in the middle and the label below.
// Only stores numbers and repaints; never blocks, so it can take a value per sample.
class GaugeWidget : public QWidget
{
    Q_OBJECT
    Q_PROPERTY(double value READ value WRITE setValue NOTIFY valueChanged)
    Q_PROPERTY(QString label READ label WRITE setLabel)
    Q_PROPERTY(QString unit READ unit WRITE setUnit)
public:
    // Which end of the scale is bad: CPU % grows towards trouble, a health score shrinks.
    enum class Direction { HigherIsWorse, HigherIsBetter };
    enum class Level { None, Ok, Warning, Critical };
    Q_ENUM(Level)

    explicit GaugeWidget(QWidget *parent = nullptr);

    void setRange(double minimum, double maximum);
    double minimum() const { return m_minimum; }
    double maximum() const { return m_maximum; }

    // Clamped into [minimum, maximum]; NaN clears the value.
    void setValue(double value);
    // Shows "—" until the next setValue(), e.g. before the first sample arrives.
    void clearValue();
    double value() const { return m_value; }
    bool hasValue() const { return m_hasValue; }

    void setLabel(const QString &label);
    QString label() const { return m_label; }
    void setUnit(const QString &unit);
    QString unit() const { return m_unit; }
    // Small second line under the label, e.g. the mount point a disk gauge shows.
    void setDetail(const QString &detail);
    QString detail() const { return m_detail; }
    void setDecimals(int decimals);

    // For HigherIsWorse, value >= warning is Warning and >= critical is Critical;
    // for HigherIsBetter, value <= warning is Warning and <= critical is Critical.
    void setThresholds(
        double warning, double critical, Direction direction = Direction::HigherIsWorse);
    Level level() const;
    QColor levelColor() const;
    static QColor colorFor(Level level);

    // What the centre of the gauge reads: the formatted value, or "—" without one.
    QString valueText() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void valueChanged(double value);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void updateAccessibleText();

    double m_minimum = 0;
    double m_maximum = 100;
    double m_value = 0;
    bool m_hasValue = false;
    double m_warning = 70;
    double m_critical = 90;
    Direction m_direction = Direction::HigherIsWorse;
    int m_decimals = 0;
    QString m_label;
    QString m_unit;
    QString m_detail;
};

} // namespace Shivx::Ui

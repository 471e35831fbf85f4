#pragma once

#include "backup/backupstate.h"

#include <QChartView>

class QBarCategoryAxis;
class QBarSet;
class QBarSeries;
class QLineSeries;
class QValueAxis;

namespace Shivx::Ui {

// The sizes (bars, left axis) and durations (line, right axis) of the last successful
// backups, oldest on the left, labelled with the time each started. Fed the history the page
// reads (setOperations picks the backups); GUI thread only.
class BackupHistoryChart : public QChartView
{
    Q_OBJECT
public:
    static constexpr int MaxBackups = 20;

    explicit BackupHistoryChart(QWidget *parent = nullptr);

    void setOperations(const QList<BackupOperation> &history);
    // How many backups the chart shows.
    int backups() const { return m_backups; }
    void retranslate();

private:
    QBarSet *m_sizes = nullptr;
    QBarSeries *m_bars = nullptr;
    QLineSeries *m_durations = nullptr;
    QBarCategoryAxis *m_xAxis = nullptr;
    QValueAxis *m_sizeAxis = nullptr;
    QValueAxis *m_durationAxis = nullptr;
    int m_backups = 0;
};

} // namespace Shivx::Ui

#include "backup/backuphistorychart.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QDateTime>
#include <QLineSeries>
#include <QValueAxis>

namespace Shivx::Ui {

BackupHistoryChart::BackupHistoryChart(QWidget *parent)
    // The chart goes in through the constructor: QChartView(parent) makes a default chart
    // that a later setChart() releases to nobody (LeakSanitizer found it).
    : QChartView(new QChart, parent)
{
    QChart *chart = this->chart();
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    m_sizes = new QBarSet(QString());
    m_bars = new QBarSeries(chart);
    m_bars->append(m_sizes);
    m_durations = new QLineSeries(chart);
    m_durations->setPointsVisible(true);
    chart->addSeries(m_bars);
    chart->addSeries(m_durations);
    m_xAxis = new QBarCategoryAxis(chart);
    m_sizeAxis = new QValueAxis(chart);
    m_sizeAxis->setLabelFormat(QStringLiteral("%.1f"));
    m_durationAxis = new QValueAxis(chart);
    m_durationAxis->setLabelFormat(QStringLiteral("%.2f"));
    chart->addAxis(m_xAxis, Qt::AlignBottom);
    chart->addAxis(m_sizeAxis, Qt::AlignLeft);
    chart->addAxis(m_durationAxis, Qt::AlignRight);
    m_bars->attachAxis(m_xAxis);
    m_bars->attachAxis(m_sizeAxis);
    m_durations->attachAxis(m_xAxis);
    m_durations->attachAxis(m_durationAxis);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);
    retranslate();
    setOperations({});
}

void BackupHistoryChart::retranslate()
{
    m_sizes->setLabel(tr("Size (MB)"));
    m_durations->setName(tr("Duration (s)"));
    m_sizeAxis->setTitleText(tr("MB"));
    m_durationAxis->setTitleText(tr("s"));
    chart()->setTitle(tr("Last backups"));
}

void BackupHistoryChart::setOperations(const QList<BackupOperation> &history)
{
    // history is newest first; the chart reads left to right, oldest first.
    QList<BackupOperation> backups;
    for (const BackupOperation &op : history) {
        if (op.kind == QLatin1String("backup") && op.state == QLatin1String("succeeded"))
            backups.prepend(op);
        if (backups.size() == MaxBackups)
            break;
    }
    m_backups = int(backups.size());
    if (m_sizes->count() > 0)
        m_sizes->remove(0, m_sizes->count());
    m_durations->clear();
    QStringList labels;
    double maxMb = 0;
    double maxS = 0;
    for (int i = 0; i < backups.size(); ++i) {
        const BackupOperation &op = backups.at(i);
        const double mb
            = double(op.result.value(QStringLiteral("bytes")).toInteger()) / (1000.0 * 1000.0);
        const double s = double(qMax<qint64>(0, op.finishedMs - op.startedMs)) / 1000.0;
        m_sizes->append(mb);
        m_durations->append(i, s);
        maxMb = qMax(maxMb, mb);
        maxS = qMax(maxS, s);
        // Two backups in one minute would share a category: the id keeps them apart.
        labels << QStringLiteral("%1 #%2")
                      .arg(QDateTime::fromMSecsSinceEpoch(op.startedMs)
                               .toString(QStringLiteral("HH:mm")))
                      .arg(op.id);
    }
    m_xAxis->clear();
    m_xAxis->append(labels.isEmpty() ? QStringList { QStringLiteral(" ") } : labels);
    m_sizeAxis->setRange(0, maxMb > 0 ? maxMb * 1.15 : 1);
    m_durationAxis->setRange(0, maxS > 0 ? maxS * 1.15 : 1);
}

} // namespace Shivx::Ui

#pragma once

#include "history/historyquery.h"

#include <QFutureWatcher>
#include <QWidget>

class QChart;
class QComboBox;
class QDateTimeAxis;
class QDateTimeEdit;
class QLabel;
class QLineSeries;
class QPushButton;
class QTabWidget;
class QTimer;
class QValueAxis;

namespace Shivx {
class Engine;
}

namespace Shivx::Ui {

class DashboardView;
class HistoryChartView;
class SeriesPicker;

// Metric history from the engine's database: pick series, pick a time range, explore the
// chart, export what is shown as CSV, and keep sets of charts as dashboards (a tab each
// beside Explore, sharing the page's range). Every database read runs on a worker thread; answers
// carry a generation number and only the newest is drawn. Relative ranges ("last hour")
// refresh every few seconds while the page is visible.
class HistoryPage : public QWidget
{
    Q_OBJECT
public:
    enum class Range { Last15Minutes, LastHour, Last24Hours, Last7Days, Last30Days, Custom };
    Q_ENUM(Range)

    explicit HistoryPage(const QString &databasePath, QWidget *parent = nullptr);
    // The engine's database; the engine must outlive nothing here (the path is copied).
    HistoryPage(Engine *engine, QWidget *parent);
    ~HistoryPage() override;

    void setRange(Range range);
    Range range() const;
    // Only for Range::Custom; epoch milliseconds.
    void setCustomRange(qint64 fromMs, qint64 toMs);
    // Ticks or unticks a series in the picker (it must be listed already).
    bool setSeriesChecked(const QString &series, bool checked);
    QStringList checkedSeries() const;
    QStringList availableSeries() const;

    // Writes the points on screen as ts,series,min,max,avg,count (RFC 3339 UTC timestamps).
    bool exportCsv(const QString &path, QString *error) const;

    // Starts a load now (coalesced with one already running).
    void reload();
    // Shows the whole queried range again after zooming or panning.
    void resetZoom();

    // Adds a chart of the ticked series to `dashboard` (created when new); an empty title
    // becomes the series' names. False when nothing is ticked or the name is empty.
    bool addToDashboard(const QString &dashboard, const QString &title);
    DashboardView *dashboardView(const QString &name) const;
    void showDashboard(const QString &name);
    void showExplore();
    QTabWidget *tabs() const { return m_tabs; }

    QChart *chart() const { return m_chart; }
    HistoryChartView *chartView() const { return m_chartView; }
    // The first piece of the line of `series` in the chart, or null when it is not shown.
    QLineSeries *lineSeries(const QString &series) const;

protected:
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    // Sets every user-visible string; called on construction and on LanguageChange.
    void retranslateUi();
    // Chart title and status line for the answer on screen.
    void updateStatus();
    void onRangeChanged();
    void onAnswer();
    void applyResults(const QList<HistoryQueryResult> &results);
    void applyAxes();
    void exportCsvInteractive();
    void addToDashboardInteractive();
    void rebuildDashboardTabs();
    // Explore's buttons only while Explore is shown.
    void updateTabActions();
    DashboardView *currentDashboard() const;
    // [from, to] of the current range, evaluated now for relative ranges.
    std::pair<qint64, qint64> currentRange() const;
    void scheduleReload();
    // With nothing in the range, a button for the nearest one that has data of the ticked
    // series (HistoryRanges::nearestWithData).
    void offerNearestRange();
    void showNearestRange();

    QString m_databasePath;
    QComboBox *m_rangeCombo = nullptr;
    QDateTimeEdit *m_fromEdit = nullptr;
    QDateTimeEdit *m_toEdit = nullptr;
    QLabel *m_fromLabel = nullptr;
    QLabel *m_toLabel = nullptr;
    QPushButton *m_resetZoomButton = nullptr;
    QPushButton *m_exportButton = nullptr;
    QPushButton *m_addToDashboardButton = nullptr;
    QTabWidget *m_tabs = nullptr;
    QLabel *m_status = nullptr;
    bool m_statusError = false; // m_status shows an error (in StatusColors::critical())
    QLabel *m_rangeLabel = nullptr;
    QLabel *m_hintLabel = nullptr;
    SeriesPicker *m_seriesPicker = nullptr;
    QChart *m_chart = nullptr;
    HistoryChartView *m_chartView = nullptr;
    QDateTimeAxis *m_timeAxis = nullptr;
    QValueAxis *m_valueAxis = nullptr;

    QFutureWatcher<HistoryAnswer> m_watcher;
    QTimer *m_refreshTimer = nullptr;
    QTimer *m_reloadDebounce = nullptr;
    quint64 m_generation = 0;
    bool m_reloadPending = false;
    bool m_zoomed = false;
    // The answer on screen, for CSV export and the axes.
    QList<HistoryQueryResult> m_shown;
    qint64 m_shownFromMs = 0;
    qint64 m_shownToMs = 0;
    int m_shownPoints = 0;
    QList<SeriesInfo> m_seriesInfo; // from the last answer: where each series has data
    QStringList m_savedSeries; // ticked at the last start, ticked again once listed
    bool m_seriesRestored = false;
    QPushButton *m_nearestButton = nullptr;
    Range m_nearestRange = Range::LastHour;
    std::pair<qint64, qint64> m_nearestCustom; // for Range::Custom
    QList<Resolution> m_shownResolutions;
    qint64 m_answeredAtMs = 0;
    bool m_answered = false; // an answer has been drawn, so the status line describes it
};

} // namespace Shivx::Ui

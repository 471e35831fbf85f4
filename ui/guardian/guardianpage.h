#pragma once

#include "core/result.h"
#include "guardian/detectors/threatscore.h"
#include "guardian/guardiansnapshot.h"
#include "guardian/threatevent.h"

#include <QFutureWatcher>
#include <QWidget>

#include <deque>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTableWidget;
class QTimer;

class QChartView;
class QLineSeries;
class QValueAxis;

namespace Shivx {
class Engine;
class GuardianService;
}

namespace Shivx::Ui {

class StateBanner;
class ThreatsFilter;
class ThreatsModel;

// Guardian: the defense mode as a banner with its control (set with a reason), the threat
// rows with filters by type, severity, source and time, the isolated sources with the time
// left and Release, and a chart of threat events per second over the last two minutes.
// The rows are grouped by source (a check box); the selected row's source has its threat score
// explained below the table, feature by feature with its points (GuardianService::assess on a
// worker thread, again every ScoreRefreshSeconds while selected).
// Threat rows are read from the engine's database on a worker thread (up to 100000, newest
// first) and then follow GuardianService::threatRecorded live. The engine must outlive the
// page.
class GuardianPage : public QWidget
{
    Q_OBJECT
public:
    static constexpr int MaxRows = 100'000;
    static constexpr int ChartSeconds = 120;
    static constexpr int ScoreRefreshSeconds = 5;

    GuardianPage(Engine *engine, QWidget *parent = nullptr);
    ~GuardianPage() override;

    // Reads the threat rows again (F5); coalesced with a read in flight.
    void reloadThreats();
    void setSnapshot(const GuardianSnapshot &snapshot);

    ThreatsModel *threatsModel() const { return m_model; }
    ThreatsFilter *threatsFilter() const { return m_filter; }
    // Events per second shown in the chart, oldest first.
    QList<int> eventRates() const;
    // The source whose score is explained, and the explanation shown (empty before one came).
    QString scoreSource() const { return m_scoreSource; }
    const ThreatAssessment &scoreShown() const { return m_scoreShown; }

Q_SIGNALS:
    // A read of the threat rows was put on screen (or its error shown).
    void threatsLoaded();
    // The explanation of the selected source's score was put on screen (or its error).
    void scoreLoaded();

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void retranslateUi();
    void updateBanner();
    void sizeThreatColumns();
    void updateIsolations();
    void updateTypeFilter();
    void applyFilters();
    void setMode();
    void releaseSelected();
    void showActionResult(bool ok, const QString &text);
    void onThreatsRead();
    void onThreatRecorded(const ThreatRecord &record);
    void tickChart();
    void onThreatSelected();
    void requestScore();
    void onScoreRead();
    void showScore();
    QString actor() const;

    Engine *m_engine;
    GuardianService *m_service;
    GuardianSnapshot m_snapshot;

    StateBanner *m_banner = nullptr;
    QGroupBox *m_controlBox = nullptr;
    QLabel *m_modeLabel = nullptr;
    QComboBox *m_modeCombo = nullptr;
    QPushButton *m_setModeButton = nullptr;
    QLabel *m_actionStatus = nullptr;
    bool m_actionOk = true;

    QGroupBox *m_threatsBox = nullptr;
    QComboBox *m_typeCombo = nullptr;
    QComboBox *m_severityCombo = nullptr;
    QLineEdit *m_sourceEdit = nullptr;
    QComboBox *m_timeCombo = nullptr;
    QTableView *m_threatsView = nullptr;
    QLabel *m_threatsStatus = nullptr;
    QCheckBox *m_groupCheck = nullptr;
    QGroupBox *m_scoreBox = nullptr;
    QLabel *m_scoreTitle = nullptr;
    QTableWidget *m_scoreTable = nullptr;
    QString m_scoreSource;
    ThreatAssessment m_scoreShown;
    QString m_scoreError;
    QFutureWatcher<Result<QList<ThreatAssessment>>> m_scoreWatcher;
    quint64 m_scoreGeneration = 0; // a read for an earlier selection is dropped
    quint64 m_scoreReadGeneration = 0;
    int m_scoreAge = 0; // seconds since the shown explanation was read
    ThreatsModel *m_model = nullptr;
    ThreatsFilter *m_filter = nullptr;
    QFutureWatcher<Result<QList<ThreatRecord>>> m_watcher;
    quint64 m_generation = 0;
    bool m_reloadPending = false;
    QString m_readError;

    QGroupBox *m_isolationsBox = nullptr;
    QTableWidget *m_isolations = nullptr;
    QPushButton *m_releaseButton = nullptr;

    QGroupBox *m_chartBox = nullptr;
    QChartView *m_chartView = nullptr;
    QLineSeries *m_series = nullptr;
    QValueAxis *m_xAxis = nullptr;
    QValueAxis *m_yAxis = nullptr;
    std::deque<int> m_rates; // events per second, oldest first, ChartSeconds of them
    int m_eventsThisSecond = 0;
    QTimer *m_secondTimer = nullptr;
};

} // namespace Shivx::Ui

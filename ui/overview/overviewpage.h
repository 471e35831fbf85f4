#pragma once

#include "degradation/degradationsnapshot.h"
#include "health/healthconfig.h"
#include "health/healthreport.h"
#include "health/hostsample.h"
#include "health/target.h"
#include "recovery/circuitbreaker.h"

#include <QWidget>

class QGroupBox;
class QLabel;
class QTableView;
class QSortFilterProxyModel;

namespace Shivx {
class Engine;
}

namespace Shivx::Ui {

class GaugeWidget;
class HostPanel;
class ScoreBreakdownModel;
class TargetsModel;

// The live picture: gauges for the score and the host's CPU, memory and fullest disk, the
// host's other numbers, why the score is what it is, the monitored targets, open breakers
// and the degradation level. Follows the engine's health, recovery and degradation services
// (the engine must outlive the page); the setters take the same data directly.
class OverviewPage : public QWidget
{
    Q_OBJECT
public:
    explicit OverviewPage(Engine *engine, QWidget *parent = nullptr);

    // The gauges turn yellow at the score's warning thresholds and red two thirds of the way
    // from there to 100 %, where the score has lost two thirds of that component's points.
    void setScoreThresholds(const ScoreConfig &score);
    void setHostSample(const HostSample &sample);
    void setHealth(const HealthReport &report);
    void setTargets(const QList<TargetStatus> &targets);
    // Shows the names of open circuit breakers above the targets; hidden while none is open.
    void setBreakers(const QList<BreakerSnapshot> &breakers);
    QLabel *openBreakersLabel() const { return m_openBreakers; }
    void setDegradation(const DegradationSnapshot &snapshot);
    // Shows the engine's snapshots now (the console's F5); the services' signals bring the
    // same data as it changes.
    void refresh();

    GaugeWidget *scoreGauge() const { return m_scoreGauge; }
    GaugeWidget *cpuGauge() const { return m_cpuGauge; }
    GaugeWidget *memoryGauge() const { return m_memoryGauge; }
    GaugeWidget *diskGauge() const { return m_diskGauge; }
    TargetsModel *targetsModel() const { return m_targetsModel; }
    ScoreBreakdownModel *scoreModel() const { return m_scoreModel; }

protected:
    void changeEvent(QEvent *event) override;

private:
    // Sets every user-visible string, from the last data shown; called on construction and
    // on LanguageChange.
    void retranslateUi();
    void updateTargetsSummary();
    void updateOpenBreakers();

    Engine *m_engine = nullptr;
    GaugeWidget *m_scoreGauge = nullptr;
    GaugeWidget *m_cpuGauge = nullptr;
    GaugeWidget *m_memoryGauge = nullptr;
    GaugeWidget *m_diskGauge = nullptr;
    HostPanel *m_hostPanel = nullptr;
    QLabel *m_scoreSummary = nullptr;
    ScoreBreakdownModel *m_scoreModel = nullptr;
    QTableView *m_scoreView = nullptr;
    TargetsModel *m_targetsModel = nullptr;
    QSortFilterProxyModel *m_targetsProxy = nullptr;
    QTableView *m_targetsView = nullptr;
    QLabel *m_targetsSummary = nullptr;
    QLabel *m_openBreakers = nullptr;
    QStringList m_openBreakerNames;
    QLabel *m_degradationLabel = nullptr;
    QGroupBox *m_scoreBox = nullptr;
    QGroupBox *m_targetsBox = nullptr;
    // What the setters were given last, to word it again in a new language.
    HostSample m_sample;
    bool m_hasSample = false;
    HealthReport m_health;
    bool m_hasHealth = false;
    DegradationSnapshot m_degradation;
};

} // namespace Shivx::Ui

#pragma once

#include "degradation/degradationsnapshot.h"
#include "degradation/levelhistory.h"
#include "history/historyquery.h"

#include <QFutureWatcher>
#include <QWidget>

class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTableWidget;
class QTimer;

namespace Shivx {
class DegradationService;
class Engine;
}

namespace Shivx::Ui {

class FeatureMatrixModel;
class StateBanner;

// Degradation: the level in effect as a banner, a control to pin or release it (with a
// confirmation before EMERGENCY), the feature matrix with today's level highlighted, and the
// level changes with the score behind them, read from the metric history on a worker thread.
// The engine must outlive the page; the page follows its degradationChanged and healthChanged
// signals itself.
class DegradationPage : public QWidget
{
    Q_OBJECT
public:
    enum class Range { LastHour, Last24Hours, Last7Days };

    DegradationPage(Engine *engine, QWidget *parent = nullptr);
    ~DegradationPage() override;

    void setSnapshot(const DegradationSnapshot &snapshot);
    const DegradationSnapshot &snapshot() const { return m_snapshot; }

    // The timeline's range; starts a reload.
    void setRange(Range range);
    // Reads the timeline again now (coalesced with a read in flight).
    void reloadTimeline();
    const QList<LevelChange> &levelChangesShown() const { return m_changes; }

    FeatureMatrixModel *matrixModel() const { return m_matrixModel; }

Q_SIGNALS:
    // A timeline answer was put on screen (or its error shown).
    void timelineUpdated();

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    // Sets every user-visible string; called on construction and on LanguageChange.
    void retranslateUi();
    void updateBanner();
    void updateForecast();
    void updateControls();
    void pin();
    void release();
    void showActionResult(bool ok, const QString &text);
    void onTimelineAnswer();
    void fillTimeline();
    // Rewords the timeline's "3 min ago" against the clock; once a second.
    void refreshTimelineAges();
    QString actor() const;

    Engine *m_engine;
    DegradationService *m_service;
    DegradationSnapshot m_snapshot;

    StateBanner *m_banner = nullptr;
    QString m_forecast; // "likely LEVEL_N in ~T" from alerting, or empty

    QGroupBox *m_controlBox = nullptr;
    QLabel *m_levelLabel = nullptr;
    QComboBox *m_levelCombo = nullptr;
    QLabel *m_reasonLabel = nullptr;
    QLineEdit *m_reasonEdit = nullptr;
    QLabel *m_durationLabel = nullptr;
    QComboBox *m_durationCombo = nullptr;
    QPushButton *m_pinButton = nullptr;
    QPushButton *m_releaseButton = nullptr;
    QLabel *m_actionStatus = nullptr;
    bool m_actionOk = true;

    QGroupBox *m_matrixBox = nullptr;
    FeatureMatrixModel *m_matrixModel = nullptr;
    QTableView *m_matrixView = nullptr;

    QGroupBox *m_timelineBox = nullptr;
    QComboBox *m_rangeCombo = nullptr;
    QTableWidget *m_timeline = nullptr;
    QLabel *m_timelineStatus = nullptr;
    QFutureWatcher<HistoryAnswer> m_watcher;
    QTimer *m_refreshTimer = nullptr;
    QTimer *m_reloadDebounce = nullptr;
    quint64 m_generation = 0;
    bool m_reloadPending = false;
    QList<LevelChange> m_changes;
    QString m_timelineError;
    bool m_timelineAnswered = false;
    bool m_levelRecorded = false;
};

} // namespace Shivx::Ui

#pragma once

#include "core/engine.h"

#include <QMainWindow>

class QLabel;
class QListWidget;
class QStackedWidget;

namespace Shivx::Ui {

class AuditPage;
class DegradationPage;
class HistoryPage;
class OverviewPage;
class RecoveryPage;

// The console's frame: a navigation list of the areas on the left, the area's page on the
// right, and a status bar with the engine's state, API address, health and last sample.
// Does not own the engine; the engine must outlive the window and be started already
// (the History page reads the engine's database path once, at construction).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    enum Page {
        OverviewPageIndex,
        HistoryPageIndex,
        RecoveryPageIndex,
        DegradationPageIndex,
        AuditPageIndex,
        PageCount
    };

    explicit MainWindow(Engine *engine, QWidget *parent = nullptr);
    ~MainWindow() override;

    void showPage(int page);
    int currentPage() const;

    OverviewPage *overviewPage() const { return m_overview; }
    HistoryPage *historyPage() const { return m_history; }
    AuditPage *auditPage() const { return m_audit; }
    RecoveryPage *recoveryPage() const { return m_recovery; }
    DegradationPage *degradationPage() const { return m_degradation; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    // Sets every user-visible string; the status bar is worded again from the engine's
    // snapshots. Called on construction and on LanguageChange.
    void retranslateUi();
    void onStateChanged(EngineState state);
    void onHostSampled(const HostSample &sample);
    void onHealthChanged(const HealthReport &report);
    void onReadinessChanged(const Readiness &readiness);
    void updateApiLabel();

    Engine *m_engine = nullptr;
    QListWidget *m_navigation = nullptr;
    QStackedWidget *m_stack = nullptr;
    OverviewPage *m_overview = nullptr;
    HistoryPage *m_history = nullptr;
    AuditPage *m_audit = nullptr;
    RecoveryPage *m_recovery = nullptr;
    DegradationPage *m_degradation = nullptr;
    QLabel *m_engineStateLabel = nullptr;
    QLabel *m_apiLabel = nullptr;
    QLabel *m_healthLabel = nullptr;
    QLabel *m_readinessLabel = nullptr;
    QLabel *m_sampleLabel = nullptr;
};

} // namespace Shivx::Ui

#pragma once

#include "alerting/alertingsnapshot.h"
#include "alerting/alertstore.h"
#include "core/result.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;

namespace Shivx {
class AlertingService;
class Engine;
}

namespace Shivx::Ui {

class AlertHistoryModel;
class AlertHistoryPanel;
class AlertsModel;
class SilencesPanel;
class RuleEditor;

// Alerts (docs/alerting.md): a summary line with the health forecast, then tabs for the
// firing, pending and silenced alerts (live from AlertingService::changed) with Acknowledge
// and Silence… (SilenceDialog), the silences in effect with Expire, the history of
// transitions (read on a worker thread), and the rule editor (RuleEditor). The engine must
// outlive the page.
class AlertsPage : public QWidget
{
    Q_OBJECT
public:
    enum Tab { FiringTab, PendingTab, SilencedTab, HistoryTab, RulesTab };

    AlertsPage(Engine *engine, QWidget *parent = nullptr);
    ~AlertsPage() override;

    // F5: the snapshot again and the history.
    void refresh();
    void reloadHistory();
    void setSnapshot(const AlertingSnapshot &snapshot);
    // Shows the alert with this fingerprint (its tab, its row selected); false when it is
    // neither pending, firing nor silenced any more (the history tab is shown instead).
    bool showAlert(const QString &fingerprint);

    // "likely LEVEL_2 in ~40 min": where the health score's trend leads (the alerting
    // thread's forecast); empty when no worse level is likely within the horizon. Also on the
    // Degradation page.
    static QString forecastText(const HealthForecast &forecast);

    AlertsModel *model(Tab tab) const;
    AlertHistoryModel *historyModel() const;
    RuleEditor *ruleEditor() const { return m_ruleEditor; }
    QString actionStatus() const;

Q_SIGNALS:
    void historyLoaded();

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    QTableView *makeAlertTable(AlertsModel *model, const QString &objectName);
    void retranslateUi();
    void updateSummary();
    void updateButtons();
    void acknowledgeSelected();
    void silenceSelected();
    void expireSilence(const QString &id);
    void showActionResult(bool ok, const QString &text);
    void updateRuleNames();
    QTableView *currentAlertTable() const;
    QString actor() const;

    Engine *m_engine;
    AlertingService *m_service;
    AlertingSnapshot m_snapshot;

    QLabel *m_summary = nullptr;
    QLabel *m_forecast = nullptr;
    QTabWidget *m_tabs = nullptr;
    AlertsModel *m_models[3] = {};
    QTableView *m_tables[3] = {};
    SilencesPanel *m_silences = nullptr;
    QPushButton *m_ackButton = nullptr;
    QPushButton *m_silenceButton = nullptr;
    QLabel *m_actionStatus = nullptr;
    bool m_actionOk = true;

    AlertHistoryPanel *m_history = nullptr;

    RuleEditor *m_ruleEditor = nullptr;
};

} // namespace Shivx::Ui

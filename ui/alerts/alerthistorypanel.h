#pragma once

#include "alerting/alertstore.h"
#include "core/result.h"

#include <QFutureWatcher>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;

namespace Shivx {
class AlertingService;
}

namespace Shivx::Ui {

class AlertHistoryModel;

// The Alerts page's History tab: the newest MaxRows transitions (AlertingService::history),
// filtered by rule, read on a worker thread (a reload asked for while one runs follows it).
// The service must outlive the panel. GUI thread only.
class AlertHistoryPanel : public QWidget
{
    Q_OBJECT
public:
    static constexpr int MaxRows = 2000;

    AlertHistoryPanel(AlertingService *service, QWidget *parent = nullptr);
    ~AlertHistoryPanel() override;

    void reload();
    // The rule names the filter offers (besides "All rules").
    void setRules(const QStringList &rules);
    bool loadedOnce() const { return m_loadedOnce; }
    AlertHistoryModel *model() const { return m_model; }

Q_SIGNALS:
    // A read was put on screen (or its error shown).
    void loaded();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void onRead();

    AlertingService *m_service;
    QComboBox *m_rule = nullptr;
    QPushButton *m_reload = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_status = nullptr;
    AlertHistoryModel *m_model = nullptr;
    QFutureWatcher<Result<QList<AlertHistoryEntry>>> m_watcher;
    bool m_pending = false;
    bool m_loadedOnce = false;
};

} // namespace Shivx::Ui

#pragma once

#include "recovery/circuitbreaker.h"

#include <QWidget>

class QGroupBox;
class QLabel;
class QPushButton;
class QSplitter;
class QTableView;
class QTimer;

namespace Shivx {
class Engine;
class RecoveryService;
} // namespace Shivx

namespace Shivx::Ui {

class BreakersModel;
class ProcessesPanel;

// Recovery: the engine's circuit breakers with the operator's overrides (force open, force
// closed, back to automatic) on the selected one, and "Reload configuration", which applies
// the engine's configuration file again (targets and thresholds; breakers keep state and
// counts). Sections are stacked in a vertical splitter, breakers on top, so other recovery
// panels can be added below with splitter()->addWidget().
//
// Reads the engine's thread-safe snapshots once a second (time in state moves on its own)
// and at once when a breaker changes state. Does not own the engine, which must outlive it.
class RecoveryPage : public QWidget
{
    Q_OBJECT
public:
    explicit RecoveryPage(Engine *engine, QWidget *parent = nullptr);

    QSplitter *splitter() const { return m_splitter; }
    ProcessesPanel *processesPanel() const { return m_processes; }
    BreakersModel *breakersModel() const { return m_model; }
    QTableView *breakersView() const { return m_view; }
    QPushButton *forceOpenButton() const { return m_forceOpen; }
    QPushButton *forceClosedButton() const { return m_forceClosed; }
    QPushButton *automaticButton() const { return m_automatic; }
    QPushButton *reloadButton() const { return m_reload; }
    // What the last action (force or reload) reported, for the operator.
    QLabel *messageLabel() const { return m_message; }

    // Who the audit log names for this console's actions: "console:USER".
    static QString actor();

public Q_SLOTS:
    // Reads the breakers from the engine now.
    void refresh();
    // Forces the selected breaker; does nothing without a selection.
    void forceSelected(Shivx::BreakerForce force);
    // Has the engine read its configuration file again and apply it; a file that does not
    // load is reported and the running configuration stays.
    void reloadConfiguration();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateButtons();
    void updateSummary();
    void showMessage(const QString &text, bool error);
    QString selectedName() const;

    Engine *m_engine;
    RecoveryService *m_service;
    QSplitter *m_splitter = nullptr;
    ProcessesPanel *m_processes = nullptr; // supervised processes, below the breakers
    QGroupBox *m_breakersBox = nullptr;
    BreakersModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_message = nullptr;
    bool m_messageError = false; // m_message shows an error (in StatusColors::critical())
    QPushButton *m_forceOpen = nullptr;
    QPushButton *m_forceClosed = nullptr;
    QPushButton *m_automatic = nullptr;
    QPushButton *m_reload = nullptr;
    QTimer *m_refreshTimer = nullptr;
};

} // namespace Shivx::Ui

#pragma once

#include "alerting/alertinstance.h"

#include <QGroupBox>

class QPushButton;
class QTableWidget;

namespace Shivx::Ui {

// The silences in effect (matchers, end, time left, who, why) with Expire silence, on the
// Alerts page's Silenced tab. It shows and asks; the page runs the command. GUI thread only.
class SilencesPanel : public QGroupBox
{
    Q_OBJECT
public:
    explicit SilencesPanel(QWidget *parent = nullptr);

    // Keeps the selection by silence id; `running`: whether Expire can act.
    void setSilences(const QList<AlertSilence> &silences, bool running);
    QString selectedId() const;

Q_SIGNALS:
    void expireRequested(const QString &silenceId);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateButton();

    QTableWidget *m_table = nullptr;
    QPushButton *m_expire = nullptr;
    bool m_running = false;
};

} // namespace Shivx::Ui

#pragma once

#include <QDialog>
#include <QMap>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace Shivx::Ui {

// Asks how to silence an alert: which of its labels the silence matches (alertname and the
// series' labels ticked, so only this alert; untick to widen it), for how long (1 minute to
// 30 days) and why. The engine checks the range again; the dialog keeps OK disabled while no
// label is ticked. objectName "silenceDialog".
class SilenceDialog : public QDialog
{
    Q_OBJECT
public:
    SilenceDialog(const QMap<QString, QString> &labels, QWidget *parent = nullptr);

    QMap<QString, QString> matchers() const;
    qint64 durationMs() const;
    QString comment() const;
    // Tests and callers that preset the choice.
    void setDuration(int amount, int unitIndex); // unitIndex: 0 minutes, 1 hours, 2 days

private:
    void updateOk();

    QList<QPair<QCheckBox *, QPair<QString, QString>>> m_labels;
    QSpinBox *m_amount = nullptr;
    QComboBox *m_unit = nullptr;
    QLineEdit *m_comment = nullptr;
    QLabel *m_until = nullptr;
    QPushButton *m_ok = nullptr;
};

} // namespace Shivx::Ui

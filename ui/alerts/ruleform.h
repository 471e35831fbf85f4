#pragma once

#include "alerting/alertrule.h"
#include "core/result.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;

namespace Shivx {
class Engine;
}

namespace Shivx::Ui {

// The rule editor's fields: name, series selector, function (with its quantile or target),
// window, comparison and threshold, `for`, severity and summary, and "Start from", which copies
// an existing rule of the configuration in effect. rule() runs the fields through the engine's
// rule loader, so its errors read as in a rule file, named by field. The engine must outlive
// the form. GUI thread only.
class RuleForm : public QWidget
{
    Q_OBJECT
public:
    explicit RuleForm(Engine *engine, QWidget *parent = nullptr);

    Result<AlertRule> rule() const;
    void setRule(const AlertRule &rule);
    // The existing rules in "Start from", read again from the configuration in effect.
    void reloadRules();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateParamField();

    Engine *m_engine;
    QComboBox *m_startFrom = nullptr;
    QLabel *m_startFromLabel = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_series = nullptr;
    QComboBox *m_function = nullptr;
    QLabel *m_paramLabel = nullptr;
    QDoubleSpinBox *m_param = nullptr;
    QLineEdit *m_window = nullptr;
    QComboBox *m_op = nullptr;
    QLineEdit *m_threshold = nullptr;
    QLineEdit *m_for = nullptr;
    QComboBox *m_severity = nullptr;
    QLineEdit *m_summary = nullptr;
    QList<QLabel *> m_labels; // the form's labels, in field order
    QList<AlertRule> m_rules; // "Start from"
};

} // namespace Shivx::Ui

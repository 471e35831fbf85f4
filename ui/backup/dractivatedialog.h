#pragma once

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace Shivx::Ui {

// The confirmation before a DR plan runs: it names the plan and what it will do (its steps),
// and OK stays disabled until the operator has typed the plan's name exactly, so that a plan
// that stops and overwrites production is never started by a stray click. "Dry run first"
// (on by default) asks for a dry run that changes nothing before the real run. GUI thread.
class DrActivateDialog : public QDialog
{
    Q_OBJECT
public:
    DrActivateDialog(const QString &plan, const QStringList &steps, QWidget *parent = nullptr);

    QString plan() const { return m_plan; }
    bool dryRunFirst() const;
    // True when the typed name matches (what enables OK).
    bool confirmed() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

    const QString m_plan;
    const QStringList m_steps;
    QLabel *m_text = nullptr;
    QLabel *m_prompt = nullptr;
    QLineEdit *m_name = nullptr;
    QCheckBox *m_dryRun = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace Shivx::Ui

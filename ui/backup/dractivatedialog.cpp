#include "backup/dractivatedialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Shivx::Ui {

DrActivateDialog::DrActivateDialog(const QString &plan, const QStringList &steps, QWidget *parent)
    : QDialog(parent)
    , m_plan(plan)
    , m_steps(steps)
{
    setObjectName(QStringLiteral("drActivateDialog"));
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("drActivateText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_prompt = new QLabel(this);
    m_prompt->setWordWrap(true);
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("drConfirmName"));
    m_prompt->setBuddy(m_name);
    m_dryRun = new QCheckBox(this);
    m_dryRun->setObjectName(QStringLiteral("drDryRunFirst"));
    m_dryRun->setChecked(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this,
        [this] { m_buttons->button(QDialogButtonBox::Ok)->setEnabled(confirmed()); });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_text);
    layout->addWidget(m_prompt);
    layout->addWidget(m_name);
    layout->addWidget(m_dryRun);
    layout->addWidget(m_buttons);
    retranslateUi();
    resize(520, sizeHint().height());
}

bool DrActivateDialog::dryRunFirst() const
{
    return m_dryRun->isChecked();
}

bool DrActivateDialog::confirmed() const
{
    // Exact, case and all: the point is that the operator read the name.
    return m_name->text() == m_plan;
}

void DrActivateDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

void DrActivateDialog::retranslateUi()
{
    setWindowTitle(tr("Activate DR plan %1").arg(m_plan));
    QString steps;
    for (const QString &s : m_steps)
        steps += QStringLiteral("<li>%1</li>").arg(s.toHtmlEscaped());
    m_text->setText(tr("<p>You are about to activate the disaster recovery plan <b>%1</b>. "
                       "Its steps act on the running system:</p><ol>%2</ol>")
                        .arg(m_plan.toHtmlEscaped(), steps));
    m_prompt->setText(
        tr("Type the plan's name, <b>%1</b>, to confirm:").arg(m_plan.toHtmlEscaped()));
    m_dryRun->setText(tr("&Dry run first (checks every step, changes nothing)"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Activate"));
    m_buttons->button(QDialogButtonBox::Cancel)->setText(tr("Cancel"));
}

} // namespace Shivx::Ui

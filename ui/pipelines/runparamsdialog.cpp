#include "pipelines/runparamsdialog.h"

#include "widgets/statuscolors.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSet>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Shivx::Ui {

RunParamsDialog::RunParamsDialog(
    const QString &pipeline, const QMap<QString, QString> &defaults, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("runParamsDialog"));
    setWindowTitle(tr("Run %1").arg(pipeline));
    auto *intro = new QLabel(defaults.isEmpty()
            ? tr("%1 declares no parameters: it runs as defined.").arg(pipeline)
            : tr("Parameters of this run (the stages read them as $SHIVX_PARAM_NAME). Values "
                 "left as they are keep the pipeline's defaults."),
        this);
    intro->setWordWrap(true);
    m_table = new QTableWidget(0, 2, this);
    m_table->setObjectName(QStringLiteral("paramsTable"));
    m_table->setHorizontalHeaderLabels({ tr("Parameter"), tr("Value") });
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->resizeSection(0, 160);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    for (auto it = defaults.begin(); it != defaults.end(); ++it)
        addRow(it.key(), it.value());
    m_add = new QPushButton(tr("Add parameter"), this);
    m_add->setObjectName(QStringLiteral("addParamButton"));
    m_remove = new QPushButton(tr("Remove"), this);
    m_remove->setObjectName(QStringLiteral("removeParamButton"));
    m_remove->setEnabled(false);
    connect(m_add, &QPushButton::clicked, this, [this] {
        addRow(QString(), QString());
        m_table->setCurrentCell(m_table->rowCount() - 1, 0);
        m_table->editItem(m_table->item(m_table->rowCount() - 1, 0));
    });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        if (m_table->currentRow() >= 0)
            m_table->removeRow(m_table->currentRow());
    });
    connect(m_table, &QTableWidget::itemSelectionChanged, this,
        [this] { m_remove->setEnabled(!m_table->selectedItems().isEmpty()); });
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("paramsError"));
    m_error->setWordWrap(true);
    QPalette pal = m_error->palette();
    pal.setColor(QPalette::WindowText, StatusColors::critical());
    m_error->setPalette(pal);
    m_error->hide();
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Run"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &RunParamsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &RunParamsDialog::reject);

    auto *rowButtons = new QHBoxLayout;
    rowButtons->addWidget(m_add);
    rowButtons->addWidget(m_remove);
    rowButtons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_table, 1);
    layout->addLayout(rowButtons);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    resize(480, 320);
}

void RunParamsDialog::addRow(const QString &name, const QString &value)
{
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, 0, new QTableWidgetItem(name));
    m_table->setItem(row, 1, new QTableWidgetItem(value));
}

void RunParamsDialog::setParam(const QString &name, const QString &value)
{
    for (int row = 0; row < m_table->rowCount(); ++row) {
        if (m_table->item(row, 0) && m_table->item(row, 0)->text().trimmed() == name) {
            m_table->item(row, 1)->setText(value);
            return;
        }
    }
    addRow(name, value);
}

QMap<QString, QString> RunParamsDialog::params() const
{
    QMap<QString, QString> p;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QString name
            = m_table->item(row, 0) ? m_table->item(row, 0)->text().trimmed() : QString();
        if (!name.isEmpty())
            p.insert(name, m_table->item(row, 1) ? m_table->item(row, 1)->text() : QString());
    }
    return p;
}

QString RunParamsDialog::problem() const
{
    QSet<QString> seen;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QString name
            = m_table->item(row, 0) ? m_table->item(row, 0)->text().trimmed() : QString();
        const QString value = m_table->item(row, 1) ? m_table->item(row, 1)->text() : QString();
        if (name.isEmpty() && !value.isEmpty())
            return tr("Row %1 has a value but no parameter name.").arg(row + 1);
        if (!name.isEmpty() && seen.contains(name))
            return tr("The parameter %1 is given twice (row %2).").arg(name).arg(row + 1);
        seen.insert(name);
    }
    return QString();
}

void RunParamsDialog::accept()
{
    const QString why = problem();
    m_error->setText(why);
    m_error->setVisible(!why.isEmpty());
    if (why.isEmpty())
        QDialog::accept();
}

} // namespace Shivx::Ui

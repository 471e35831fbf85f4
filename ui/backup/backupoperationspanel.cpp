#include "backup/backupoperationspanel.h"

#include "backup/backupwording.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace Shivx::Ui {

BackupOperationsPanel::BackupOperationsPanel(QWidget *parent)
    : QWidget(parent)
{
    m_layout = new QVBoxLayout(this);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_idle = new QLabel(this);
    m_idle->setObjectName(QStringLiteral("noOperationLabel"));
    m_layout->addWidget(m_idle);
    retranslate();
}

void BackupOperationsPanel::retranslate()
{
    m_idle->setText(tr("No backup operation is queued or running."));
    for (Row &row : m_rows) {
        row.cancel->setText(tr("Ca&ncel"));
        show(row);
    }
}

QPushButton *BackupOperationsPanel::cancelButton(qint64 id) const
{
    const auto it = m_rows.constFind(id);
    return it == m_rows.cend() ? nullptr : it->cancel;
}

void BackupOperationsPanel::setOperations(const QList<BackupOperation> &operations, bool running)
{
    if (!running) {
        for (qint64 id : m_rows.keys())
            remove(id);
        m_finished.clear(); // ids start again from 1 in the next engine run
        return;
    }
    // The state can be older than the last operationChanged: a line it does not list yet stays,
    // and a line it lists keeps its newer progress; only a finished entry removes it.
    for (const BackupOperation &op : operations) {
        if (op.finished())
            update(op);
        else
            add(op);
    }
}

void BackupOperationsPanel::add(const BackupOperation &op)
{
    if (!m_rows.contains(op.id))
        update(op);
}

void BackupOperationsPanel::update(const BackupOperation &op)
{
    if (m_finished.contains(op.id))
        return;
    if (op.finished()) {
        m_finished.insert(op.id);
        remove(op.id);
        return;
    }
    auto it = m_rows.find(op.id);
    if (it == m_rows.end()) {
        Row row;
        row.widget = new QWidget(this);
        row.widget->setObjectName(QStringLiteral("operation-%1").arg(op.id));
        row.title = new QLabel(row.widget);
        row.title->setMinimumWidth(220);
        row.bar = new QProgressBar(row.widget);
        row.bar->setObjectName(QStringLiteral("operationProgress"));
        row.bar->setRange(0, 1000);
        row.detail = new QLabel(row.widget);
        row.detail->setObjectName(QStringLiteral("operationDetail"));
        row.detail->setMinimumWidth(260);
        row.cancel = new QPushButton(tr("Ca&ncel"), row.widget);
        row.cancel->setObjectName(QStringLiteral("cancelOperationButton"));
        const qint64 id = op.id;
        connect(row.cancel, &QPushButton::clicked, this, [this, id] {
            if (QPushButton *b = cancelButton(id))
                b->setEnabled(false); // until the operation ends (or the cancel fails)
            Q_EMIT cancelRequested(id);
        });
        auto *line = new QHBoxLayout(row.widget);
        line->setContentsMargins(0, 0, 0, 0);
        line->addWidget(row.title);
        line->addWidget(row.bar, 1);
        line->addWidget(row.detail);
        line->addWidget(row.cancel);
        m_layout->addWidget(row.widget);
        row.widget->show();
        it = m_rows.insert(op.id, row);
    }
    it->operation = op;
    show(*it);
    m_idle->setVisible(m_rows.isEmpty());
}

void BackupOperationsPanel::show(Row &row)
{
    const BackupOperation &op = row.operation;
    row.title->setText(BackupWording::title(op));
    if (op.totalBytes > 0) {
        row.bar->setRange(0, 1000);
        row.bar->setValue(
            int(1000.0 * double(qMin(op.doneBytes, op.totalBytes)) / double(op.totalBytes)));
    } else {
        // Busy indicator while the total is unknown (listing files, queued).
        row.bar->setRange(0, 0);
    }
    row.detail->setText(BackupWording::progress(op));
}

void BackupOperationsPanel::remove(qint64 id)
{
    const auto it = m_rows.find(id);
    if (it == m_rows.end())
        return;
    it->widget->hide();
    it->widget->deleteLater();
    m_rows.erase(it);
    m_idle->setVisible(m_rows.isEmpty());
}

} // namespace Shivx::Ui

#include "alerts/silencespanel.h"

#include "widgets/displayformat.h"
#include "widgets/tableactions.h"

#include <QDateTime>
#include <QEvent>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Shivx::Ui {

namespace {
constexpr int SilenceIdRole = Qt::UserRole + 1;
} // namespace

SilencesPanel::SilencesPanel(QWidget *parent)
    : QGroupBox(parent)
{
    m_table = new QTableWidget(0, 5, this);
    m_table->setObjectName(QStringLiteral("silencesTable"));
    TableActions::install(m_table);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_expire = new QPushButton(this);
    m_expire->setObjectName(QStringLiteral("expireSilenceButton"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_expire, 0, Qt::AlignLeft);
    connect(m_expire, &QPushButton::clicked, this, [this] {
        if (const QString id = selectedId(); !id.isEmpty())
            Q_EMIT expireRequested(id);
    });
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &SilencesPanel::updateButton);
    retranslateUi();
}

void SilencesPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QGroupBox::changeEvent(event);
}

void SilencesPanel::retranslateUi()
{
    setTitle(tr("Silences"));
    m_table->setHorizontalHeaderLabels(
        { tr("Matches"), tr("Ends"), tr("Time left"), tr("By"), tr("Comment") });
    m_expire->setText(tr("&Expire silence"));
}

QString SilencesPanel::selectedId() const
{
    const QList<QTableWidgetItem *> items = m_table->selectedItems();
    return items.isEmpty() ? QString() : items.first()->data(SilenceIdRole).toString();
}

void SilencesPanel::setSilences(const QList<AlertSilence> &silences, bool running)
{
    m_running = running;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QString selected = selectedId();
    m_table->setRowCount(int(silences.size()));
    for (int row = 0; row < silences.size(); ++row) {
        const AlertSilence &s = silences.at(row);
        QStringList matchers;
        for (auto it = s.matchers.cbegin(); it != s.matchers.cend(); ++it)
            matchers << it.key() + QLatin1Char('=') + it.value();
        const QStringList cells { matchers.join(QStringLiteral(", ")),
            DisplayFormat::dateTime(s.endsAtMs),
            DisplayFormat::duration(qMax<qint64>(0, s.endsAtMs - now) / 60'000 * 60'000),
            s.createdBy, s.comment };
        for (int col = 0; col < cells.size(); ++col) {
            QTableWidgetItem *item = m_table->item(row, col);
            if (!item) {
                item = new QTableWidgetItem;
                m_table->setItem(row, col, item);
            }
            if (item->text() != cells.at(col))
                item->setText(cells.at(col));
            item->setData(SilenceIdRole, s.id);
        }
        if (s.id == selected)
            m_table->selectRow(row);
    }
    updateButton();
}

void SilencesPanel::updateButton()
{
    m_expire->setEnabled(m_running && !selectedId().isEmpty());
}

} // namespace Shivx::Ui

#include "history/seriespicker.h"

#include "widgets/displayformat.h"

#include <QEvent>
#include <QHash>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSet>
#include <QVBoxLayout>

namespace Shivx::Ui {

namespace {

constexpr int kSeriesRole = Qt::UserRole + 1;
// First and last sample of the series, epoch ms, for the tooltip.
constexpr int kFirstMsRole = Qt::UserRole + 2;
constexpr int kLastMsRole = Qt::UserRole + 3;

} // namespace

SeriesPicker::SeriesPicker(QWidget *parent)
    : QWidget(parent)
{
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("seriesFilter"));
    m_filter->setClearButtonEnabled(true);
    m_seriesList = new QListWidget(this);
    m_seriesList->setObjectName(QStringLiteral("seriesList"));
    m_seriesList->setSortingEnabled(true);
    m_seriesList->setUniformItemSizes(true);
    m_clearButton = new QPushButton(this);
    m_clearButton->setEnabled(false);

    auto *layout = new QVBoxLayout(this);
    m_seriesLabel = new QLabel(this);
    QFont bold = m_seriesLabel->font();
    bold.setBold(true);
    m_seriesLabel->setFont(bold);
    layout->addWidget(m_seriesLabel);
    layout->addWidget(m_filter);
    layout->addWidget(m_seriesList, 1);
    layout->addWidget(m_clearButton);
    layout->setContentsMargins(0, 0, 0, 0);

    connect(m_seriesList, &QListWidget::itemChanged, this, &SeriesPicker::onItemChanged);
    connect(m_filter, &QLineEdit::textChanged, this, &SeriesPicker::applyFilter);
    connect(m_clearButton, &QPushButton::clicked, this, [this] {
        for (int i = 0; i < m_seriesList->count(); ++i)
            m_seriesList->item(i)->setCheckState(Qt::Unchecked);
    });

    retranslateUi();
}

void SeriesPicker::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void SeriesPicker::retranslateUi()
{
    m_filter->setPlaceholderText(tr("Filter series"));
    m_clearButton->setText(tr("&Clear selection"));
    m_seriesLabel->setText(tr("Series"));
    // Tooltips are data, not ticks: no itemChanged handling needed.
    const QSignalBlocker blocker(m_seriesList);
    for (int i = 0; i < m_seriesList->count(); ++i)
        updateToolTip(m_seriesList->item(i));
}

void SeriesPicker::updateToolTip(QListWidgetItem *item)
{
    item->setToolTip(tr("%1\nfrom %2\nto %3")
                         .arg(item->data(kSeriesRole).toString(),
                             DisplayFormat::dateTime(item->data(kFirstMsRole).toLongLong()),
                             DisplayFormat::dateTime(item->data(kLastMsRole).toLongLong())));
}

bool SeriesPicker::setSeriesChecked(const QString &series, bool checked)
{
    for (int i = 0; i < m_seriesList->count(); ++i) {
        QListWidgetItem *item = m_seriesList->item(i);
        if (item->data(kSeriesRole).toString() == series) {
            item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
            return true;
        }
    }
    return false;
}

QStringList SeriesPicker::availableSeries() const
{
    QStringList names;
    for (int i = 0; i < m_seriesList->count(); ++i)
        names << m_seriesList->item(i)->data(kSeriesRole).toString();
    return names;
}

int SeriesPicker::seriesCount() const
{
    return m_seriesList->count();
}

void SeriesPicker::onItemChanged(QListWidgetItem *)
{
    QStringList checked;
    for (int i = 0; i < m_seriesList->count(); ++i) {
        if (m_seriesList->item(i)->checkState() == Qt::Checked)
            checked << m_seriesList->item(i)->data(kSeriesRole).toString();
    }
    if (checked == m_checked)
        return;
    m_checked = checked;
    m_clearButton->setEnabled(!m_checked.isEmpty());
    Q_EMIT checkedSeriesChanged();
}

void SeriesPicker::applyFilter(const QString &text)
{
    for (int i = 0; i < m_seriesList->count(); ++i) {
        QListWidgetItem *item = m_seriesList->item(i);
        item->setHidden(!text.isEmpty() && !item->text().contains(text, Qt::CaseInsensitive));
    }
}

void SeriesPicker::updateSeries(const QList<SeriesInfo> &series)
{
    // Adding and re-ticking items fires itemChanged; the selection is taken from m_checked
    // afterwards instead, so block the signal while the list is rebuilt.
    const QSignalBlocker blocker(m_seriesList);
    QHash<QString, QListWidgetItem *> existing;
    for (int i = 0; i < m_seriesList->count(); ++i)
        existing.insert(m_seriesList->item(i)->data(kSeriesRole).toString(), m_seriesList->item(i));

    QSet<QString> present;
    for (const SeriesInfo &info : series) {
        present.insert(info.name);
        QListWidgetItem *item = existing.value(info.name);
        if (!item) {
            item = new QListWidgetItem(info.name);
            item->setData(kSeriesRole, info.name);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
            item->setCheckState(m_checked.contains(info.name) ? Qt::Checked : Qt::Unchecked);
            m_seriesList->addItem(item);
            if (!m_filter->text().isEmpty())
                item->setHidden(!info.name.contains(m_filter->text(), Qt::CaseInsensitive));
        }
        item->setData(kFirstMsRole, info.firstMs);
        item->setData(kLastMsRole, info.lastMs);
        updateToolTip(item);
    }
    for (auto it = existing.cbegin(); it != existing.cend(); ++it) {
        if (!present.contains(it.key()) && !m_checked.contains(it.key()))
            delete it.value();
    }

    // A first visit shows the health score rather than an empty chart.
    if (!m_listedOnce && !series.isEmpty()) {
        m_listedOnce = true;
        if (m_checked.isEmpty() && present.contains(QStringLiteral("health.score"))) {
            m_checked << QStringLiteral("health.score");
            setSeriesChecked(QStringLiteral("health.score"), true);
            m_clearButton->setEnabled(true);
            Q_EMIT checkedSeriesChanged();
        }
    }
}

} // namespace Shivx::Ui

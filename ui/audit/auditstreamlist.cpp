#include "audit/auditstreamlist.h"

#include "widgets/displayformat.h"

#include <QEvent>
#include <QHeaderView>
#include <QLocale>

namespace Shivx::Ui {

AuditStreamList::AuditStreamList(QWidget *parent)
    : QTreeWidget(parent)
{
    setColumnCount(3);
    setRootIsDecorated(false);
    setUniformRowHeights(true);
    header()->setStretchLastSection(true);
    header()->setSectionResizeMode(NameColumn, QHeaderView::ResizeToContents);
    header()->setSectionResizeMode(EntriesColumn, QHeaderView::ResizeToContents);
    connect(this, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (item)
            Q_EMIT currentStreamChanged(item->text(NameColumn));
    });
    fill();
}

void AuditStreamList::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        fill();
    QTreeWidget::changeEvent(event);
}

void AuditStreamList::setStreams(const QList<AuditStreamStatus> &streams, const QString &current)
{
    m_streams = streams;
    const QSignalBlocker blocker(this);
    fill();
    const QList<QTreeWidgetItem *> items = findItems(current, Qt::MatchExactly, NameColumn);
    if (!items.isEmpty())
        setCurrentItem(items.constFirst());
}

bool AuditStreamList::select(const QString &name)
{
    const QList<QTreeWidgetItem *> items = findItems(name, Qt::MatchExactly, NameColumn);
    if (items.isEmpty())
        return false;
    setCurrentItem(items.constFirst());
    return true;
}

QString AuditStreamList::current() const
{
    return currentItem() ? currentItem()->text(NameColumn) : QString();
}

void AuditStreamList::fill()
{
    setHeaderLabels({ tr("Stream"), tr("Entries"), tr("Last checkpoint") });
    const QString selected = current();
    const QSignalBlocker blocker(this);
    clear();
    for (const AuditStreamStatus &s : m_streams) {
        auto *item = new QTreeWidgetItem(this);
        item->setText(NameColumn, s.name);
        item->setText(
            EntriesColumn, s.hasHead ? QLocale().toString(s.headSeq) : DisplayFormat::noValue());
        item->setTextAlignment(EntriesColumn, Qt::AlignRight | Qt::AlignVCenter);
        if (s.lastCheckpoint) {
            item->setText(CheckpointColumn,
                tr("seq %1, %2")
                    .arg(s.lastCheckpoint->seq)
                    .arg(DisplayFormat::dateTime(s.lastCheckpoint->tsMs)));
            item->setToolTip(CheckpointColumn,
                tr("%n signed checkpoint(s); the last one vouches for hash %1", nullptr,
                    s.checkpointCount)
                    .arg(QString::fromLatin1(s.lastCheckpoint->hash)));
        } else {
            item->setText(CheckpointColumn, tr("none yet"));
        }
        item->setToolTip(NameColumn,
            s.headError.isEmpty()
                ? tr("%1\n%n segment(s)", nullptr, s.segmentCount).arg(s.directory)
                : tr("%1\nhead.json: %2").arg(s.directory, s.headError));
        if (s.name == selected)
            setCurrentItem(item);
    }
}

} // namespace Shivx::Ui

#include "shell/layoutmemory.h"

#include <QHeaderView>
#include <QSettings>
#include <QSplitter>
#include <QTableView>

namespace Shivx::Ui {

void LayoutMemory::restore(const QList<QPair<QString, QWidget *>> &pages)
{
    m_items.clear();
    for (const auto &[id, page] : pages) {
        int n = 0;
        for (QSplitter *s : page->findChildren<QSplitter *>())
            m_items.append({ QStringLiteral("%1/splitter%2").arg(id).arg(n++), s, nullptr, {} });
        n = 0;
        for (QTableView *t : page->findChildren<QTableView *>())
            m_items.append({ QStringLiteral("%1/table%2").arg(id).arg(n++), nullptr, t, {} });
    }
    QSettings settings;
    settings.beginGroup(settingsGroup());
    for (Item &item : m_items) {
        item.defaults = stateOf(item);
        const QByteArray saved = settings.value(item.key).toByteArray();
        if (!saved.isEmpty())
            apply(item, saved);
    }
}

void LayoutMemory::save() const
{
    QSettings settings;
    settings.beginGroup(settingsGroup());
    for (const Item &item : m_items)
        if (item.splitter || item.table)
            settings.setValue(item.key, stateOf(item));
}

void LayoutMemory::reset()
{
    QSettings settings;
    settings.remove(settingsGroup());
    for (const Item &item : std::as_const(m_items))
        apply(item, item.defaults);
}

QByteArray LayoutMemory::stateOf(const Item &item)
{
    if (item.splitter)
        return item.splitter->saveState();
    if (item.table)
        return item.table->horizontalHeader()->saveState();
    return {};
}

void LayoutMemory::apply(const Item &item, const QByteArray &state)
{
    if (item.splitter) {
        item.splitter->restoreState(state);
    } else if (item.table) {
        QHeaderView *header = item.table->horizontalHeader();
        // A state from another version of the table (other columns) is refused as a whole.
        if (!header->restoreState(state))
            return;
        // The header keeps the indicator; the model sorts only when the view tells it.
        if (item.table->isSortingEnabled())
            item.table->sortByColumn(header->sortIndicatorSection(), header->sortIndicatorOrder());
    }
}

} // namespace Shivx::Ui

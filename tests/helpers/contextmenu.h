#pragma once

// Opens `target`'s context menu as a right-click at `pos` (target coordinates) would, and
// returns its entries: the text before any "\t" (the shortcut column), with " (disabled)"
// for disabled ones. `choose`, if given, names the entry to trigger; the menu then closes.
// The menu runs its own event loop, so it is read from a zero timer while it is up.

#include <QAction>
#include <QApplication>
#include <QContextMenuEvent>
#include <QMenu>
#include <QStringList>
#include <QTimer>

namespace ShivxTest {

inline QStringList contextMenuEntries(QWidget *target, QPoint pos, const QString &choose = {})
{
    QStringList entries;
    QTimer::singleShot(0, [&entries, choose] {
        auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
        if (!menu)
            return;
        QAction *chosen = nullptr;
        for (QAction *a : menu->actions()) {
            const QString text = a->text().section(QLatin1Char('\t'), 0, 0);
            entries << text + (a->isEnabled() ? QString() : QStringLiteral(" (disabled)"));
            if (text == choose)
                chosen = a;
        }
        if (chosen)
            chosen->trigger();
        menu->close();
    });
    QContextMenuEvent event(QContextMenuEvent::Mouse, pos, target->mapToGlobal(pos));
    QCoreApplication::sendEvent(target, &event);
    return entries;
}

} // namespace ShivxTest

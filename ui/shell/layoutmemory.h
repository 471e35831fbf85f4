#pragma once

#include <QByteArray>
#include <QList>
#include <QPointer>
#include <QString>

class QHeaderView;
class QSplitter;
class QTableView;
class QWidget;

namespace Shivx::Ui {

// Splitter positions, column widths and sort orders of the console's pages, kept in QSettings
// under "layout/PAGE/splitterN" and "layout/PAGE/tableN" (N in construction order), so that a
// restart shows each page as the operator left it. Keys are per page id, not per position, so
// a page added to the list does not take another's layout.
class LayoutMemory
{
public:
    // Notes each page's splitters and tables with their state as built (the defaults), then
    // applies what QSettings holds for them.
    void restore(const QList<QPair<QString, QWidget *>> &pages);
    // Writes the current state of everything restore() noted.
    void save() const;
    // Puts every splitter and table back to its state as built and forgets the saved ones.
    void reset();

    static QString settingsGroup() { return QStringLiteral("layout"); }

private:
    struct Item
    {
        QString key;
        QPointer<QSplitter> splitter;
        QPointer<QTableView> table;
        QByteArray defaults;
    };
    static QByteArray stateOf(const Item &item);
    static void apply(const Item &item, const QByteArray &state);

    QList<Item> m_items;
};

} // namespace Shivx::Ui

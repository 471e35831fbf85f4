#include "shell/pagekeys.h"

#include "shell/consolepages.h"
#include "shell/mainwindow.h"

#include <QAction>
#include <QLineEdit>

namespace Shivx::Ui {

namespace {

// Actions rather than QShortcut: a window's actions take part in its shortcut map the same
// way, and tests and menus can find them by objectName.
QAction *addKey(MainWindow *window, const char *name, const QKeySequence &keys)
{
    auto *action = new QAction(window);
    action->setObjectName(QLatin1String(name));
    action->setShortcut(keys);
    window->addAction(action);
    return action;
}

} // namespace

PageKeys::PageKeys(MainWindow *window)
    : QObject(window)
    , m_window(window)
{
    for (int i = 0; i < window->pageCount() && !pageShortcut(i).isEmpty(); ++i) {
        QAction *action
            = addKey(window, QByteArray("showPage" + QByteArray::number(i + 1)), pageShortcut(i));
        connect(action, &QAction::triggered, window, [window, i] { window->showPage(i); });
    }
    connect(addKey(window, "nextPageAction", QKeySequence(Qt::CTRL | Qt::Key_PageDown)),
        &QAction::triggered, this, [this] { step(1); });
    connect(addKey(window, "previousPageAction", QKeySequence(Qt::CTRL | Qt::Key_PageUp)),
        &QAction::triggered, this, [this] { step(-1); });
    connect(addKey(window, "refreshAction", QKeySequence(Qt::Key_F5)), &QAction::triggered, this,
        &PageKeys::refreshCurrentPage);
    connect(addKey(window, "findAction", QKeySequence(Qt::CTRL | Qt::Key_F)), &QAction::triggered,
        this, &PageKeys::focusSearchField);
}

QKeySequence PageKeys::pageShortcut(int index)
{
    if (index < 0 || index > 9)
        return {};
    // Ctrl+0 is the tenth page: the digit row ends with 0, as in browsers' tab keys.
    return QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_0 + (index + 1) % 10));
}

void PageKeys::step(int delta)
{
    const int count = m_window->pageCount();
    if (count > 0)
        m_window->showPage((m_window->currentPage() + delta + count) % count);
}

void PageKeys::refreshCurrentPage()
{
    const int index = m_window->currentPage();
    const ConsolePage &page = consolePages().at(index);
    if (page.refresh)
        page.refresh(m_window->pageWidget(index));
}

bool PageKeys::focusSearchField()
{
    const int index = m_window->currentPage();
    const char *name = consolePages().at(index).searchField;
    QWidget *field
        = name ? m_window->pageWidget(index)->findChild<QWidget *>(QLatin1String(name)) : nullptr;
    if (!field || !field->isVisible())
        return false;
    field->setFocus(Qt::ShortcutFocusReason);
    // Typing then replaces the old filter, as in a browser's find bar.
    if (auto *edit = qobject_cast<QLineEdit *>(field))
        edit->selectAll();
    return true;
}

} // namespace Shivx::Ui

#pragma once

#include <QList>

class QWidget;

namespace Shivx {
class Engine;
}

namespace Shivx::Ui {

// One page of the console: how the shell names it, and how it makes it.
struct ConsolePage
{
    const char *id; // stable: settings, tests, the order of Ctrl+1..9 ("overview")
    const char *title; // QT_TRANSLATE_NOOP("Shivx::Ui::ConsolePages", ...): the sidebar entry
    // Makes the page for a started engine that outlives it.
    QWidget *(*create)(Engine *engine, QWidget *parent);
    // F5: reads the page's data from the engine now, instead of at its next poll or signal;
    // null when the page has nothing to read again. Called on the GUI thread.
    void (*refresh)(QWidget *page);
    // Ctrl+F: the objectName of the page's filter or search field (a descendant of the page),
    // or null when it has none. A name rather than an accessor, so that the shell needs no
    // page's internals; tst_mainwindow checks every name resolves.
    const char *searchField;
};

// The pages in sidebar order (ui/shell/consolepages.cpp): one line each.
const QList<ConsolePage> &consolePages();

} // namespace Shivx::Ui

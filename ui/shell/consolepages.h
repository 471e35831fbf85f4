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
};

// The pages in sidebar order (ui/shell/consolepages.cpp): one line each.
const QList<ConsolePage> &consolePages();

} // namespace Shivx::Ui

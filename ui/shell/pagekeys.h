#pragma once

#include <QKeySequence>
#include <QObject>

namespace Shivx::Ui {

class MainWindow;

// The console's page keys, window-wide wherever the focus is: Ctrl+1..Ctrl+9 and Ctrl+0 show
// the first ten pages in sidebar order, Ctrl+PgUp / Ctrl+PgDown the previous / next page
// (wrapping), F5 reads the current page's data again (ConsolePage::refresh) and Ctrl+F
// focuses its filter field (ConsolePage::searchField). Lives as a child of the window.
class PageKeys : public QObject
{
    Q_OBJECT
public:
    explicit PageKeys(MainWindow *window);

    // Ctrl+1 for index 0 ... Ctrl+0 for index 9; empty beyond.
    static QKeySequence pageShortcut(int index);

    // What F5 and Ctrl+F do. focusSearchField() is false when the page has no such field.
    void refreshCurrentPage();
    bool focusSearchField();

private:
    void step(int delta);

    MainWindow *m_window;
};

} // namespace Shivx::Ui

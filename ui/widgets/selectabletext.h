#pragma once

#include <QCoreApplication>
#include <Qt>

class QLabel;

namespace Shivx::Ui {

// Labels that show an error or a message the operator may need to paste elsewhere (a ticket,
// a search): the text is selectable with the mouse and the keyboard, and the context menu's
// Copy copies the selection or, with nothing selected, the whole text. QLabel's own menu was
// not enough: its Copy is disabled until something is selected.
class SelectableText
{
    Q_DECLARE_TR_FUNCTIONS(Shivx::Ui::SelectableText)
public:
    // Applies the above to `label`; call once, after creating it. `extra` keeps other
    // interaction the label needs (links in a banner).
    static void apply(QLabel *label, Qt::TextInteractionFlags extra = {});
    // What Copy puts on the clipboard for `label`.
    static QString copyText(const QLabel *label);
    static void copy(const QLabel *label);
};

} // namespace Shivx::Ui

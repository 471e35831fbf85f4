#pragma once

#include <QString>

class QWidget;

namespace Shivx::Ui {

// Asks the operator to confirm an action that cannot be taken back (cancel a run, retry or
// discard a dead letter): a question box whose default is Cancel and whose accepting button
// says what happens (`button`, e.g. "Discard"). The box is named `objectName` and its
// accepting button "confirmButton", so tests can answer it. True when confirmed.
bool confirmAction(QWidget *parent, const QString &objectName, const QString &title,
    const QString &text, const QString &button);

} // namespace Shivx::Ui

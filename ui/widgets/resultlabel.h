#pragma once

#include <QLabel>

namespace Shivx::Ui {

// The one-line answer to a page's last command under its buttons ("actionResult"): word-
// wrapped, selectable and copyable (SelectableText), in the critical colour when the command
// failed. It re-colours itself when the palette changes (light/dark theme) and clears itself
// when the language changes, since the answer was worded in the old language. GUI thread.
class ResultLabel : public QLabel
{
    Q_OBJECT
public:
    explicit ResultLabel(QWidget *parent = nullptr);

    // Shows `text` as the answer; `ok` false shows it as a failure.
    void showResult(bool ok, const QString &text);
    bool resultOk() const { return m_ok; }

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void applyColour();

    bool m_ok = true;
};

} // namespace Shivx::Ui

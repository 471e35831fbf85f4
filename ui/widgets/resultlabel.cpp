#include "widgets/resultlabel.h"

#include "widgets/selectabletext.h"
#include "widgets/statuscolors.h"

#include <QCoreApplication>
#include <QEvent>

namespace Shivx::Ui {

ResultLabel::ResultLabel(QWidget *parent)
    : QLabel(parent)
{
    setObjectName(QStringLiteral("actionResult"));
    setWordWrap(true);
    SelectableText::apply(this);
    qApp->installEventFilter(this);
}

void ResultLabel::showResult(bool ok, const QString &text)
{
    m_ok = ok;
    setText(text);
    applyColour();
}

void ResultLabel::applyColour()
{
    // A style sheet rather than the palette: the critical colour is chosen against the
    // application's palette (StatusColors), so it is read again on every palette change. A
    // style sheet changes this label's palette in turn: setting only a different one ends
    // that loop.
    const QString sheet = m_ok || text().isEmpty()
        ? QString()
        : QStringLiteral("color: %1;").arg(StatusColors::critical().name());
    if (sheet != styleSheet())
        setStyleSheet(sheet);
}

void ResultLabel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        showResult(true, QString());
    else if (event->type() == QEvent::PaletteChange)
        applyColour();
    QLabel::changeEvent(event);
}

bool ResultLabel::eventFilter(QObject *watched, QEvent *event)
{
    // Its own style sheet pins this label's palette, so a theme switch does not reach it as a
    // PaletteChange; the application's own ApplicationPaletteChange always comes.
    if (watched == qApp && event->type() == QEvent::ApplicationPaletteChange)
        applyColour();
    return QLabel::eventFilter(watched, event);
}

} // namespace Shivx::Ui

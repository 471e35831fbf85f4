#include "widgets/selectabletext.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QMenu>
#include <QTextDocumentFragment>

namespace Shivx::Ui {

void SelectableText::apply(QLabel *label, Qt::TextInteractionFlags extra)
{
    label->setTextInteractionFlags(
        Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard | extra);
    label->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(label, &QWidget::customContextMenuRequested, label, [label](QPoint pos) {
        QMenu menu(label);
        QAction *copyAction = menu.addAction(tr("Copy"), label, [label] { copy(label); });
        copyAction->setEnabled(!label->text().isEmpty());
        menu.exec(label->mapToGlobal(pos));
    });
}

QString SelectableText::copyText(const QLabel *label)
{
    if (label->hasSelectedText())
        return label->selectedText();
    // Rich text (a banner with a bold headline) copies as what it reads, without markup.
    if (label->textFormat() == Qt::RichText
        || (label->textFormat() == Qt::AutoText && Qt::mightBeRichText(label->text())))
        return QTextDocumentFragment::fromHtml(label->text()).toPlainText();
    return label->text();
}

void SelectableText::copy(const QLabel *label)
{
    const QString text = copyText(label);
    if (!text.isEmpty())
        QGuiApplication::clipboard()->setText(text);
}

} // namespace Shivx::Ui

#include "pipelines/confirmaction.h"

#include <QMessageBox>
#include <QPushButton>

namespace Shivx::Ui {

bool confirmAction(QWidget *parent, const QString &objectName, const QString &title,
    const QString &text, const QString &button)
{
    QMessageBox box(QMessageBox::Question, title, text, QMessageBox::Cancel, parent);
    box.setObjectName(objectName);
    QPushButton *yes = box.addButton(button, QMessageBox::AcceptRole);
    yes->setObjectName(QStringLiteral("confirmButton"));
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == yes;
}

} // namespace Shivx::Ui

#include "shell/configerrordialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QPushButton>
#include <QRegularExpression>
#include <QUrl>

namespace Shivx::Ui {

namespace {

// A button that does its work and leaves the dialog up: QMessageBox ends on any button's
// click, through the connection its button box makes; that one connection is cut.
QPushButton *addStayingButton(QMessageBox *box, const QString &text)
{
    QPushButton *button = box->addButton(text, QMessageBox::ActionRole);
    QObject::disconnect(button, &QAbstractButton::clicked, nullptr, nullptr);
    return button;
}

} // namespace

ConfigErrorDialog::Location ConfigErrorDialog::locate(const QString &file, const QString &message)
{
    // The file is known, so a colon inside its path cannot be mistaken for the separator.
    if (file.isEmpty() || !message.startsWith(file + QLatin1Char(':')))
        return { 0, message };
    const QString rest = message.mid(file.size() + 1);
    static const QRegularExpression lineAndWhat(
        QStringLiteral("^(\\d+): (.*)$"), QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch m = lineAndWhat.match(rest);
    if (m.hasMatch())
        return { m.captured(1).toInt(), m.captured(2) };
    return { 0, rest.trimmed() };
}

ConfigErrorDialog::ConfigErrorDialog(const QString &file, const Error &error, QWidget *parent)
    : QMessageBox(parent)
{
    setObjectName(QStringLiteral("configErrorDialog"));
    setIcon(QMessageBox::Critical);
    setWindowTitle(QApplication::applicationDisplayName());
    const Location where = locate(file, error.message);
    QStringList details;
    if (!file.isEmpty())
        details << tr("File: %1").arg(QDir::toNativeSeparators(file)).toHtmlEscaped();
    if (where.line > 0)
        details << tr("Line: %1").arg(where.line).toHtmlEscaped();
    // One label with the title: QMessageBox wraps informative text narrowly, and a path
    // reads better on one line.
    setTextFormat(Qt::RichText);
    QString html
        = QStringLiteral("<p><b>%1</b></p>").arg(tr("Configuration error").toHtmlEscaped());
    if (!details.isEmpty())
        html += QStringLiteral("<p>%1</p>").arg(details.join(QStringLiteral("<br>")));
    setText(html + QStringLiteral("<p>%1</p>").arg(where.what.toHtmlEscaped()));
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);

    setStandardButtons(QMessageBox::Ok);
    setDefaultButton(QMessageBox::Ok);
    m_copy = addStayingButton(this, tr("&Copy"));
    m_copy->setObjectName(QStringLiteral("copyButton"));
    const QString message = error.message;
    connect(m_copy, &QPushButton::clicked, this,
        [message] { QApplication::clipboard()->setText(message); });
    if (!file.isEmpty() && QFileInfo(file).isFile()) {
        m_open = addStayingButton(this, tr("Open in &editor"));
        m_open->setObjectName(QStringLiteral("openButton"));
        const QUrl url = QUrl::fromLocalFile(QFileInfo(file).absoluteFilePath());
        connect(m_open, &QPushButton::clicked, this, [url] { QDesktopServices::openUrl(url); });
    }
}

} // namespace Shivx::Ui

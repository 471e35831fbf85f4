#pragma once

#include "core/result.h"

#include <QMessageBox>

namespace Shivx::Ui {

// What shivx-console shows when its configuration does not load: the file, the line and what
// is wrong on their own lines, a Copy button (the loader's whole message, file and line
// included, for a terminal or a bug report) and, when the error names a file, an Open in
// editor button (QDesktopServices). Copy and Open keep the dialog up; OK ends it.
class ConfigErrorDialog : public QMessageBox
{
    Q_OBJECT
public:
    // `file`: the configuration file that was loaded, empty for the embedded one.
    ConfigErrorDialog(const QString &file, const Error &error, QWidget *parent = nullptr);

    // The loader's "FILE:LINE: what" split into its parts; line is 0 when the message names
    // none (the file could not be read), and `what` is the whole message when it does not
    // start with the file.
    struct Location
    {
        int line = 0;
        QString what;
    };
    static Location locate(const QString &file, const QString &message);

    QPushButton *copyButton() const { return m_copy; }
    // Null without a file.
    QPushButton *openButton() const { return m_open; }

private:
    QPushButton *m_copy = nullptr;
    QPushButton *m_open = nullptr;
};

} // namespace Shivx::Ui

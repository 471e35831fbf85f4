#pragma once

// Stands in for the desktop's opener in UI tests: while installed with
// QDesktopServices::setUrlHandler(scheme, &recorder, "open"), QDesktopServices::openUrl()
// records the URL here instead of starting an editor or a file manager.

#include <QList>
#include <QObject>
#include <QUrl>

namespace ShivxTest {

class UrlRecorder : public QObject
{
    Q_OBJECT
public:
    QList<QUrl> urls;
public Q_SLOTS:
    void open(const QUrl &url) { urls << url; }
};

} // namespace ShivxTest

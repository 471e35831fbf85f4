#include "shell/mainmenus.h"

#include "core/engine.h"
#include "widgets/enginewording.h"
#include "widgets/theme.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QMainWindow>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QUrl>

#include <openssl/crypto.h>

namespace Shivx::Ui {

namespace {

QAction *addAction(QMenu *menu, const char *name)
{
    QAction *action = menu->addAction(QString());
    action->setObjectName(QLatin1String(name));
    return action;
}

} // namespace

MainMenus::MainMenus(Engine *engine, QMainWindow *window)
    : QObject(window)
    , m_engine(engine)
    , m_window(window)
{
    m_fileMenu = window->menuBar()->addMenu(QString());
    m_fileMenu->setObjectName(QStringLiteral("fileMenu"));
    m_openConfig = addAction(m_fileMenu, "openConfigAction");
    m_reloadConfig = addAction(m_fileMenu, "reloadConfigAction");
    m_fileMenu->addSeparator();
    m_quit = addAction(m_fileMenu, "quitAction");
    // Ctrl+Q spelled out: QKeySequence::Quit is empty on platforms without a theme
    // (offscreen), and Ctrl+Q is what the desktop's other applications use.
    m_quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    m_quit->setMenuRole(QAction::QuitRole);

    m_viewMenu = window->menuBar()->addMenu(QString());
    m_viewMenu->setObjectName(QStringLiteral("viewMenu"));
    m_themeMenu = m_viewMenu->addMenu(QString());
    m_themeMenu->setObjectName(QStringLiteral("themeMenu"));
    auto *themes = new QActionGroup(this);
    themes->setExclusive(true);
    m_systemTheme = addAction(m_themeMenu, "systemThemeAction");
    m_lightTheme = addAction(m_themeMenu, "lightThemeAction");
    m_darkTheme = addAction(m_themeMenu, "darkThemeAction");
    for (QAction *action : { m_systemTheme, m_lightTheme, m_darkTheme }) {
        action->setCheckable(true);
        themes->addAction(action);
    }
    const Theme::Choice theme = Theme::current();
    m_systemTheme->setChecked(theme == Theme::Choice::System);
    m_lightTheme->setChecked(theme == Theme::Choice::Light);
    m_darkTheme->setChecked(theme == Theme::Choice::Dark);
    connect(themes, &QActionGroup::triggered, this, &MainMenus::chooseTheme);
    m_viewMenu->addSeparator();
    // The window owns the layout (LayoutMemory) and connects this action to it.
    m_resetLayout = addAction(m_viewMenu, "resetLayoutAction");

    m_helpMenu = window->menuBar()->addMenu(QString());
    m_helpMenu->setObjectName(QStringLiteral("helpMenu"));
    m_documentation = addAction(m_helpMenu, "documentationAction");
    m_documentation->setShortcut(QKeySequence(Qt::Key_F1));
    m_helpMenu->addSeparator();
    m_about = addAction(m_helpMenu, "aboutAction");
    m_about->setMenuRole(QAction::AboutRole);

    // The embedded configuration has no file to open or read again; the status tip says so
    // where a disabled entry alone would not.
    const bool embedded = runsOnEmbeddedConfiguration(engine);
    m_openConfig->setEnabled(!embedded);
    m_reloadConfig->setEnabled(!embedded);
    m_documentation->setEnabled(!documentationDir().isEmpty());

    connect(m_openConfig, &QAction::triggered, this, &MainMenus::openConfiguration);
    connect(m_reloadConfig, &QAction::triggered, this, &MainMenus::reloadConfiguration);
    connect(m_quit, &QAction::triggered, window, &QWidget::close);
    connect(m_documentation, &QAction::triggered, this, &MainMenus::openDocumentation);
    connect(m_about, &QAction::triggered, this, &MainMenus::showAbout);
    retranslateUi();
}

void MainMenus::retranslateUi()
{
    m_fileMenu->setTitle(tr("&File"));
    m_openConfig->setText(tr("&Open configuration…"));
    m_reloadConfig->setText(tr("&Reload configuration"));
    const QString notReloadable
        = EngineWording::error(Error { QStringLiteral("config.not_reloadable"), {}, {} });
    const bool embedded = runsOnEmbeddedConfiguration(m_engine);
    m_openConfig->setStatusTip(embedded
            ? notReloadable
            : tr("Opens %1 in the editor for YAML files.").arg(configurationName(m_engine)));
    m_reloadConfig->setStatusTip(embedded
            ? notReloadable
            : tr("Reads %1 again and applies it.").arg(configurationName(m_engine)));
    m_quit->setText(tr("&Quit"));
    m_viewMenu->setTitle(tr("&View"));
    m_themeMenu->setTitle(tr("&Theme"));
    m_resetLayout->setText(tr("&Reset layout"));
    m_resetLayout->setStatusTip(tr(
        "Splitters, column widths, sort orders and the window size as they were at first start."));
    m_systemTheme->setText(tr("&System"));
    m_systemTheme->setStatusTip(tr("Uses the colours of the desktop."));
    m_lightTheme->setText(tr("&Light"));
    m_lightTheme->setStatusTip(tr("Dark text on light backgrounds."));
    m_darkTheme->setText(tr("&Dark"));
    m_darkTheme->setStatusTip(tr("Light text on dark backgrounds."));
    m_helpMenu->setTitle(tr("&Help"));
    m_documentation->setText(tr("&Documentation"));
    m_documentation->setStatusTip(documentationDir().isEmpty()
            ? tr("No documentation folder was installed with this build.")
            : tr("Opens %1.").arg(QDir::toNativeSeparators(documentationDir())));
    m_about->setText(tr("&About ShivX Resilience Console"));
}

bool MainMenus::runsOnEmbeddedConfiguration(const Engine *engine)
{
    // The same test Engine::reloadConfiguration() makes: a Qt resource path, or none.
    const QString file = engine->config().sourceFile;
    return file.isEmpty() || file.startsWith(QLatin1Char(':'));
}

QString MainMenus::configurationName(const Engine *engine)
{
    if (runsOnEmbeddedConfiguration(engine))
        return tr("embedded configuration");
    return QDir::toNativeSeparators(QFileInfo(engine->config().sourceFile).absoluteFilePath());
}

QString MainMenus::documentationDir()
{
    const QString installed
        = QCoreApplication::applicationDirPath() + QStringLiteral("/../share/doc/shivx");
    if (QFileInfo::exists(installed + QStringLiteral("/configuration.md")))
        return QDir::cleanPath(installed);
    const QString source = QStringLiteral(SHIVX_SOURCE_DOCS_DIR);
    if (QFileInfo::exists(source + QStringLiteral("/configuration.md")))
        return source;
    return {};
}

QString MainMenus::aboutText(const Engine *engine)
{
    const QUrl api = engine->apiUrl();
    const auto row = [](const QString &name, const QString &value) {
        return QStringLiteral("<tr><td>%1</td><td>%2</td></tr>")
            .arg(name.toHtmlEscaped(), value.toHtmlEscaped());
    };
    return QStringLiteral("<h3>%1</h3><p>%2</p><table cellspacing=\"4\">%3</table>")
        .arg(tr("ShivX Resilience Console %1").arg(QStringLiteral(SHIVX_VERSION)).toHtmlEscaped(),
            tr("Operations console with an embedded resilience engine.").toHtmlEscaped(),
            row(tr("Qt"), QString::fromLatin1(qVersion()))
                + row(tr("OpenSSL"), QString::fromLatin1(OpenSSL_version(OPENSSL_VERSION)))
                + row(tr("Data directory"), QDir::toNativeSeparators(engine->dataDir()))
                + row(tr("Configuration"), configurationName(engine))
                + row(tr("HTTP API"),
                    api.isEmpty() ? tr("off") : api.toString(QUrl::RemoveUserInfo)));
}

void MainMenus::openConfiguration()
{
    openLocalPath(QFileInfo(m_engine->config().sourceFile).absoluteFilePath());
}

void MainMenus::openLocalPath(const QString &path)
{
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(path)))
        QMessageBox::warning(m_window, QApplication::applicationDisplayName(),
            tr("No application is set up to open %1.").arg(QDir::toNativeSeparators(path)));
}

void MainMenus::reloadConfiguration()
{
    const auto reloaded = m_engine->reloadConfiguration();
    if (!reloaded) {
        QMessageBox::critical(
            m_window, tr("Reload configuration"), EngineWording::error(reloaded.error()));
        return;
    }
    m_window->statusBar()->showMessage(
        tr("Configuration reloaded from %1.").arg(configurationName(m_engine)), 5000);
}

void MainMenus::openDocumentation()
{
    openLocalPath(documentationDir());
}

void MainMenus::chooseTheme(QAction *action)
{
    const Theme::Choice choice = action == m_darkTheme ? Theme::Choice::Dark
        : action == m_lightTheme                       ? Theme::Choice::Light
                                                       : Theme::Choice::System;
    Theme::apply(choice);
    Theme::store(choice);
}

void MainMenus::showAbout()
{
    QMessageBox box(QMessageBox::NoIcon, tr("About ShivX Resilience Console"), aboutText(m_engine),
        QMessageBox::Close, m_window);
    box.setObjectName(QStringLiteral("aboutBox"));
    box.setTextFormat(Qt::RichText);
    // Paths and the address are there to be copied into a terminal or a bug report.
    box.setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    box.exec();
}

} // namespace Shivx::Ui

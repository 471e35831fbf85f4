#pragma once

#include <QObject>
#include <QString>

class QAction;
class QMainWindow;
class QMenu;

namespace Shivx {
class Engine;
}

namespace Shivx::Ui {

// The main window's File menu (open and reload the configuration file, quit), View menu (the
// Theme submenu: System, Light, Dark; applied and stored at once, see Theme; Reset layout,
// which the window connects to its LayoutMemory) and Help menu
// (the documentation folder, About). Lives as a child of the window; the engine must
// outlive it. Actions are found by objectName: openConfigAction, reloadConfigAction,
// quitAction, systemThemeAction, lightThemeAction, darkThemeAction, resetLayoutAction,
// documentationAction, aboutAction.
class MainMenus : public QObject
{
    Q_OBJECT
public:
    MainMenus(Engine *engine, QMainWindow *window);

    // Words the menus again; the window calls it on LanguageChange.
    void retranslateUi();
    // View > Reset layout, for the window to connect to its layout.
    QAction *resetLayoutAction() const { return m_resetLayout; }

    // The configuration file the engine runs on, or "embedded configuration" (translated).
    static QString configurationName(const Engine *engine);
    // True when the engine runs on the configuration compiled into it (no file to open).
    static bool runsOnEmbeddedConfiguration(const Engine *engine);
    // The folder Help > Documentation opens: the installed docs (PREFIX/share/doc/shivx beside
    // PREFIX/bin), else the source tree's docs/ the build came from; empty when neither is
    // there.
    static QString documentationDir();
    // The About box's text (rich text): versions of ShivX, Qt and OpenSSL, the data
    // directory, the configuration file and the API address.
    static QString aboutText(const Engine *engine);

private:
    void openConfiguration();
    void reloadConfiguration();
    void openDocumentation();
    // Hands `path` to the desktop's opener; says so when none is set up.
    void openLocalPath(const QString &path);
    void showAbout();
    void chooseTheme(QAction *action);

    Engine *m_engine;
    QMainWindow *m_window;
    QMenu *m_fileMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_themeMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QAction *m_openConfig = nullptr;
    QAction *m_reloadConfig = nullptr;
    QAction *m_quit = nullptr;
    QAction *m_systemTheme = nullptr;
    QAction *m_lightTheme = nullptr;
    QAction *m_darkTheme = nullptr;
    QAction *m_resetLayout = nullptr;
    QAction *m_documentation = nullptr;
    QAction *m_about = nullptr;
};

} // namespace Shivx::Ui

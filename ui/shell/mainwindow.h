#pragma once

#include "core/engine.h"
#include "health/healthreport.h"
#include "health/hostsample.h"
#include "shell/layoutmemory.h"

#include <QList>
#include <QMainWindow>

class QLabel;
class QListWidget;
class QStackedWidget;

namespace Shivx {
class HealthService;
}

namespace Shivx::Ui {
class MainMenus;
}

namespace Shivx::Ui {

// The console's frame: a navigation list of the pages (consolePages()) on the left, the
// page on the right, and a status bar with the engine's state, API address, health,
// readiness and last sample; the File and Help menus (MainMenus) and the page keys
// (PageKeys: Ctrl+1..0, Ctrl+PgUp/PgDown, F5, Ctrl+F). The title names the configuration file
// in use. Does not own the engine; the engine must outlive the window and
// be started already (pages read its database path and services at construction).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(Engine *engine, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Pages by position in the sidebar, or by their id ("degradation"); -1 when unknown.
    void showPage(int index);
    bool showPage(const QString &id);
    int currentPage() const;
    int pageIndex(const QString &id) const;
    int pageCount() const { return int(m_pages.size()); }

    // Splitters, column widths, sort orders and the window size back as built; what was
    // saved of them is forgotten (LayoutMemory).
    void resetLayout();
    QWidget *pageWidget(int index) const { return m_pages.value(index); }

    // The page of type P (the first, if several), or null.
    template <class P> P *page() const
    {
        for (QWidget *w : m_pages)
            if (auto *p = qobject_cast<P *>(w))
                return p;
        return nullptr;
    }

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    // Sets every user-visible string; the status bar is worded again from the engine's
    // snapshots. Called on construction and on LanguageChange.
    void retranslateUi();
    // Words and colours the status bar from the engine's snapshots; again on PaletteChange,
    // since the status colours depend on the palette.
    void showEngineSnapshots();
    // The sidebar's style sheet, which takes its colours from the palette when set.
    void styleNavigation();
    void onStateChanged(EngineState state);
    void onHostSampled(const HostSample &sample);
    void onHealthChanged(const HealthReport &report);
    void onReadinessChanged(const Readiness &readiness);
    void updateApiLabel();

    Engine *m_engine = nullptr;
    HealthService *m_health = nullptr;
    QListWidget *m_navigation = nullptr;
    QStackedWidget *m_stack = nullptr;
    QList<QWidget *> m_pages; // in consolePages() order
    LayoutMemory m_layout;
    bool m_layoutNoted = false; // restore() runs once, after the first show
    MainMenus *m_menus = nullptr;
    QLabel *m_engineStateLabel = nullptr;
    QLabel *m_apiLabel = nullptr;
    QLabel *m_healthLabel = nullptr;
    QLabel *m_readinessLabel = nullptr;
    QLabel *m_sampleLabel = nullptr;
};

} // namespace Shivx::Ui

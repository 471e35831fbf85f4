#pragma once

// The console as shivx-console shows it, for the UI tests: a started engine on a fresh data
// directory and its main window, 1280x800 on the Overview page. The window is closed and the
// engine stopped on destruction, in that order, as shivx-console does.

#include "shell/mainwindow.h"
#include "testengine.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace ShivxTest {

class Console
{
public:
    Console() = default;
    Console(const Console &) = delete;
    Console &operator=(const Console &) = delete;
    ~Console()
    {
        if (m_window)
            m_window->close();
        if (m_engine)
            m_engine->stop();
    }

    // False, with the reason logged, when the engine does not start or the window not show.
    bool open(const QByteArray &yaml)
    {
        return m_dataDir.isValid() && start(engineOptions(m_dataDir.path(), yaml));
    }
    // The same with a configuration loaded by the test (from a file, or the embedded one);
    // the data directory and a free API port are set here.
    bool open(const Shivx::Config &config)
    {
        if (!m_dataDir.isValid())
            return false;
        Shivx::Engine::Options options;
        options.config = config;
        options.dataDir = m_dataDir.path();
        options.listen = QStringLiteral("127.0.0.1:0");
        return start(options);
    }
    Shivx::Ui::MainWindow &window() { return *m_window; }
    Shivx::Engine &engine() { return *m_engine; }
    QString dataDir() const { return m_dataDir.path(); }

private:
    bool start(const Shivx::Engine::Options &options)
    {
        m_engine = std::make_unique<Shivx::Engine>(options);
        const auto started = m_engine->start();
        if (!started) {
            qWarning("engine start: %s", qUtf8Printable(started.error().toString()));
            return false;
        }
        // As on a fresh install: what an earlier test saved of the layout, the page and the
        // History page's choices (QSettings, in the test location) must not change this one.
        QSettings().clear();
        m_window = std::make_unique<Shivx::Ui::MainWindow>(m_engine.get());
        m_window->resize(1280, 800);
        m_window->showPage(QStringLiteral("overview"));
        m_window->show();
        return QTest::qWaitForWindowExposed(m_window.get());
    }

    QTemporaryDir m_dataDir;
    std::unique_ptr<Shivx::Engine> m_engine;
    std::unique_ptr<Shivx::Ui::MainWindow> m_window;
};

} // namespace ShivxTest

// shivx-console: loads the configuration, starts the embedded engine and shows the console.
// Errors that stop the start (bad configuration, port in use, unwritable data directory)
// are shown in a dialog (a configuration error with its file and line, Copy and Open in
// editor) and printed to stderr, and the process exits with status 1; a data
// directory another engine serves exits with status 2, as `shivx serve` does. SIGTERM and
// SIGINT close the dialog and exit at once.

#include "alerts/alerttray.h"
#include "core/config.h"
#include "core/engine.h"
#include "core/opensslprocess.h"
#include "core/terminationsignals.h"
#include "shell/configerrordialog.h"
#include "shell/mainwindow.h"
#include "widgets/enginewording.h"
#include "widgets/theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QMessageBox>
#include <QTranslator>

#include <cstdio>

namespace {

// Shows `box` until the operator ends it, or until SIGTERM/SIGINT arrive (a service manager or
// a terminal stopping the console must not wait for a click), and returns `status`.
int showUntilTerminated(Shivx::TerminationSignals &termination, QMessageBox &box, int status)
{
    QObject::connect(&termination, &Shivx::TerminationSignals::received, &box,
        [&box] { box.done(QMessageBox::Cancel); });
    box.exec();
    return status;
}

// Prints the error and shows it (showUntilTerminated).
int fail(Shivx::TerminationSignals &termination, const QString &title, const QString &message,
    int status = 1)
{
    std::fprintf(stderr, "shivx-console: %s\n", qUtf8Printable(message));
    // Title and error in one label: QMessageBox wraps informative text narrowly, and file
    // paths with line numbers read better on one line.
    QMessageBox box(QMessageBox::Critical, QApplication::applicationDisplayName(),
        QStringLiteral("<p><b>%1</b></p><p>%2</p>")
            .arg(title.toHtmlEscaped(), message.toHtmlEscaped()),
        QMessageBox::Ok);
    box.setTextFormat(Qt::RichText);
    return showUntilTerminated(termination, box, status);
}

} // namespace

int main(int argc, char *argv[])
{
    Shivx::initOpenSslForProcess();
    Shivx::TerminationSignals::blockInAllThreads();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("ShivX"));
    QApplication::setOrganizationDomain(QStringLiteral("shivx.io"));
    QApplication::setApplicationName(QStringLiteral("shivx-console"));
    QApplication::setApplicationDisplayName(QStringLiteral("ShivX Resilience Console"));
    QApplication::setApplicationVersion(QStringLiteral(PROJECT_VERSION));
    // From here on SIGTERM/SIGINT (blocked above, so that no thread takes them) arrive through
    // the event loop: in an error dialog as well as in the running console.
    Shivx::TerminationSignals termination;

    // Qt's own strings (dialog buttons) and ours, in the system language when available.
    QTranslator qtTranslator;
    if (qtTranslator.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    QTranslator translator;
    if (translator.load(
            QLocale(), QStringLiteral("shivx"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);

    // The View > Theme choice, before the first window (error dialogs included) is shown.
    Shivx::Ui::Theme::apply(Shivx::Ui::Theme::stored());

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main",
        "Operations console with an embedded resilience "
        "engine."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption configOption(QStringLiteral("config"),
        QApplication::translate("main", "Configuration file (default: the embedded one)."),
        QStringLiteral("FILE"));
    const QCommandLineOption dataDirOption(QStringLiteral("data-dir"),
        QApplication::translate("main", "Data directory (overrides the configuration)."),
        QStringLiteral("DIR"));
    const QCommandLineOption listenOption(QStringLiteral("listen"),
        QApplication::translate("main",
            "HTTP API address, HOST:PORT; port 0 picks a free "
            "one."),
        QStringLiteral("HOST:PORT"));
    parser.addOptions({ configOption, dataDirOption, listenOption });
    if (!parser.parse(QApplication::arguments()))
        return fail(termination, QApplication::translate("main", "Invalid command line"),
            parser.errorText());
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);
    if (parser.isSet(QStringLiteral("version")))
        parser.showVersion();
    if (!parser.positionalArguments().isEmpty())
        return fail(termination, QApplication::translate("main", "Invalid command line"),
            QApplication::translate("main", "Unexpected argument: %1")
                .arg(parser.positionalArguments().constFirst()));

    const QString configFile = parser.value(configOption);
    const auto config = configFile.isEmpty() ? Shivx::ConfigLoader::loadDefault()
                                             : Shivx::ConfigLoader::loadFile(configFile);
    if (!config) {
        std::fprintf(stderr, "shivx-console: %s\n", qUtf8Printable(config.error().message));
        // File, line and message apart, with Copy and Open in editor.
        Shivx::Ui::ConfigErrorDialog box(configFile, config.error());
        return showUntilTerminated(termination, box, 1);
    }

    Shivx::Engine::Options options;
    options.config = config.value();
    options.dataDir = parser.value(dataDirOption);
    options.listen = parser.value(listenOption);
    Shivx::Engine engine(options);
    const auto started = engine.start();
    if (!started)
        return fail(termination, QApplication::translate("main", "The engine could not start"),
            Shivx::Ui::EngineWording::error(started.error()),
            started.error().code == QLatin1String("engine.data_dir_locked") ? 2 : 1);

    Shivx::Ui::MainWindow window(&engine);
    window.show();
    Shivx::Ui::AlertTray tray(&engine, &window); // the worst alert state; notifications
    // SIGTERM/SIGINT close the window like the operator would: settings are saved and the
    // engine stops cleanly instead of dying mid-write.
    QObject::connect(&termination, &Shivx::TerminationSignals::received, &window, [&window] {
        window.close();
        QApplication::quit();
    });
    const int status = QApplication::exec();
    engine.stop();
    return status;
}

// shivx-console: loads the configuration, starts the embedded engine and shows the console.
// Errors that stop the start (bad configuration, port in use, unwritable data directory)
// are shown in a dialog and printed to stderr, and the process exits with status 1.

#include "core/config.h"
#include "core/engine.h"
#include "core/opensslprocess.h"
#include "core/terminationsignals.h"
#include "shell/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QMessageBox>
#include <QTranslator>

#include <cstdio>

namespace {

int fail(const QString &title, const QString &message)
{
    std::fprintf(stderr, "shivx-console: %s\n", qUtf8Printable(message));
    // Title and error in one label: QMessageBox wraps informative text narrowly, and file
    // paths with line numbers read better on one line.
    QMessageBox box(QMessageBox::Critical, QApplication::applicationDisplayName(),
        QStringLiteral("<p><b>%1</b></p><p>%2</p>")
            .arg(title.toHtmlEscaped(), message.toHtmlEscaped()),
        QMessageBox::Ok);
    box.setTextFormat(Qt::RichText);
    box.exec();
    return 1;
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

    // Qt's own strings (dialog buttons) and ours, in the system language when available.
    QTranslator qtTranslator;
    if (qtTranslator.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    QTranslator translator;
    if (translator.load(
            QLocale(), QStringLiteral("shivx"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);

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
        return fail(QApplication::translate("main", "Invalid command line"), parser.errorText());
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);
    if (parser.isSet(QStringLiteral("version")))
        parser.showVersion();
    if (!parser.positionalArguments().isEmpty())
        return fail(QApplication::translate("main", "Invalid command line"),
            QApplication::translate("main", "Unexpected argument: %1")
                .arg(parser.positionalArguments().constFirst()));

    const auto config = parser.isSet(configOption)
        ? Shivx::ConfigLoader::loadFile(parser.value(configOption))
        : Shivx::ConfigLoader::loadDefault();
    if (!config)
        return fail(QApplication::translate("main", "Configuration error"), config.error().message);

    Shivx::Engine::Options options;
    options.config = config.value();
    options.dataDir = parser.value(dataDirOption);
    options.listen = parser.value(listenOption);
    Shivx::Engine engine(options);
    const auto started = engine.start();
    if (!started)
        return fail(
            QApplication::translate("main", "The engine could not start"), started.error().message);

    Shivx::Ui::MainWindow window(&engine);
    window.show();
    // SIGTERM/SIGINT close the window like the operator would: settings are saved and the
    // engine stops cleanly instead of dying mid-write.
    Shivx::TerminationSignals termination;
    QObject::connect(&termination, &Shivx::TerminationSignals::received, &window, [&window] {
        window.close();
        QApplication::quit();
    });
    const int status = QApplication::exec();
    engine.stop();
    return status;
}

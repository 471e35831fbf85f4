#include "servecommand.h"

#include "clicommon.h"

#include "core/config.h"
#include "core/engine.h"
#include "core/terminationsignals.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <csignal>

namespace Shivx::Cli {

int serveCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Run the ShivX engine headless until SIGINT or SIGTERM.\n"
                       "SIGHUP reloads the --config file (targets and recovery settings)."));
    p.addHelpOption();
    p.addOption({ QStringLiteral("config"),
        QStringLiteral("Configuration file (default: the embedded one)."),
        QStringLiteral("FILE") });
    p.addOption({ QStringLiteral("data-dir"),
        QStringLiteral("Data directory (default: $XDG_DATA_HOME/shivx)."), QStringLiteral("DIR") });
    p.addOption(
        { QStringLiteral("listen"), QStringLiteral("HTTP API address; port 0 picks a free one."),
            QStringLiteral("HOST:PORT") });
    if (!p.parse(QStringList { QStringLiteral("shivx serve") } + args)) {
        err() << "shivx serve: " << p.errorText() << "\n" << Qt::flush;
        return ExitUsage;
    }
    if (p.isSet(QStringLiteral("help"))) {
        out() << p.helpText() << Qt::flush;
        return ExitOk;
    }
    if (!p.positionalArguments().isEmpty()) {
        err() << "shivx serve: unexpected argument " << p.positionalArguments().constFirst() << "\n"
              << Qt::flush;
        return ExitUsage;
    }

    const auto config = p.isSet(QStringLiteral("config"))
        ? ConfigLoader::loadFile(p.value(QStringLiteral("config")))
        : ConfigLoader::loadDefault();
    if (!config) {
        err() << "shivx serve: configuration error: " << config.error().message << "\n"
              << "The engine was not started.\n"
              << Qt::flush;
        return ExitUsage;
    }

    Engine::Options options;
    options.config = *config;
    options.dataDir = p.value(QStringLiteral("data-dir"));
    options.listen = p.value(QStringLiteral("listen"));
    if (!options.listen.isEmpty() && !ConfigLoader::isValidListenAddress(options.listen)) {
        err() << "shivx serve: --listen: \"" << options.listen << "\" is not HOST:PORT\n"
              << Qt::flush;
        return ExitUsage;
    }
    Engine engine(options);
    if (const auto started = engine.start(); !started) {
        err() << "shivx serve: " << started.error().message << "\n" << Qt::flush;
        // Another engine serves the data directory: like a usage error, starting again
        // unchanged cannot help.
        return started.error().code == QLatin1String("engine.data_dir_locked") ? ExitUsage
                                                                               : ExitFailure;
    }

    TerminationSignals termination(TerminationSignals::Hangup::Deliver);
    QObject::connect(&termination, &TerminationSignals::received, qApp, &QCoreApplication::quit);
    QObject::connect(&termination, &TerminationSignals::hangupReceived, &engine, [&engine] {
        // A bad file leaves the running configuration alone: the engine keeps working as it was.
        if (const auto reloaded = engine.reloadConfiguration(); !reloaded) {
            err() << "received SIGHUP: configuration not reloaded: " << reloaded.error().message
                  << "\nThe previous configuration stays active.\n"
                  << Qt::flush;
            return;
        }
        out() << "received SIGHUP, configuration reloaded from " << engine.config().sourceFile
              << "\n"
              << Qt::flush;
    });

    out() << "data directory " << engine.dataDir() << "\n";
    if (engine.apiUrl().isValid()) {
        const QString base = engine.apiUrl().toString();
        out() << "listening on " << base << "\n"
              << "  " << base << "/api/health/live\n"
              << "  " << base << "/api/health/ready\n"
              << "  " << base << "/api/health/status\n"
              << "  " << base << "/metrics\n";
    } else {
        out() << "HTTP API disabled by configuration\n";
    }
    out() << Qt::flush;

    QCoreApplication::exec();
    const int received = termination.lastSignal();
    out() << "received "
          << (received == SIGTERM         ? "SIGTERM"
                     : received == SIGINT ? "SIGINT"
                                          : "quit")
          << ", shutting down\n"
          << Qt::flush;
    engine.stop();
    out() << "stopped cleanly\n" << Qt::flush;
    return ExitOk;
}

} // namespace Shivx::Cli

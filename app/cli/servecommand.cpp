#include "servecommand.h"

#include "commandcontext.h"
#include "ecslogformat.h"

#include "core/config.h"
#include "core/engine.h"
#include "core/terminationsignals.h"

#include <QCoreApplication>

#include <csignal>

namespace Shivx::Cli {

namespace {

const char HelpText[]
    = "Usage: shivx serve [--config FILE] [--data-dir DIR] [--listen HOST:PORT]\n"
      "                   [--log-format text|json]\n"
      "\n"
      "Runs the ShivX engine headless until SIGINT or SIGTERM.\n"
      "SIGHUP reloads the --config file (targets and recovery settings).\n"
      "\n"
      "Options:\n"
      "  --listen HOST:PORT  HTTP API address (default: engine.listen of the configuration);\n"
      "                      port 0 picks a free one\n"
      "  --log-format FORMAT text (default) or json: the log lines on stderr as JSON with\n"
      "                      Elastic Common Schema fields (@timestamp, log.level, message,\n"
      "                      log.logger, ...), for Filebeat, Logstash or Vector\n";

const char ExitText[]
    = "Exit status: 0 stopped cleanly; 1 the engine could not start (data directory, port);\n"
      "2 usage error, the configuration is invalid, or another engine serves the data\n"
      "directory (nothing was started).\n";

} // namespace

int serveCommand(const QStringList &args, QTextStream &outStream, QTextStream &errStream)
{
    CommandContext c(QStringLiteral("serve"), outStream, errStream);
    c.setHelp(HelpText, ExitText);
    c.addDataDirOptions(QStringLiteral("the engine runs on all of it; default: the embedded one"));
    c.addOption({ QStringLiteral("listen"), QString(), QStringLiteral("HOST:PORT") });
    c.addOption({ QStringLiteral("log-format"), QString(), QStringLiteral("FORMAT") });
    if (const auto done = c.parse(args))
        return *done;
    if (const auto done = c.rejectArgumentsBeyond(0))
        return *done;
    // The reload handler below writes through these too, long after this function's body.
    const auto out = [&c]() -> QTextStream & { return c.out(); };
    const auto err = [&c]() -> QTextStream & { return c.err(); };

    Engine::Options options;
    options.config = c.config();
    options.dataDir = c.dataDir();
    options.listen = c.value(QStringLiteral("listen"));
    if (!options.listen.isEmpty() && !ConfigLoader::isValidListenAddress(options.listen))
        return c.fail(
            ExitUsage, QStringLiteral("--listen: \"%1\" is not HOST:PORT").arg(options.listen));
    const QString logFormat = c.value(QStringLiteral("log-format"));
    if (!logFormat.isEmpty() && logFormat != QLatin1String("text")
        && logFormat != QLatin1String("json"))
        return c.fail(ExitUsage,
            QStringLiteral("--log-format: expected text or json (got \"%1\")").arg(logFormat));
    if (logFormat == QLatin1String("json"))
        EcsLogFormat::install(); // before the engine logs its start
    Engine engine(options);
    if (const auto started = engine.start(); !started) {
        // Another engine serves the data directory: like a usage error, starting again
        // unchanged cannot help.
        return c.fail(started.error().code == QLatin1String("engine.data_dir_locked") ? ExitUsage
                                                                                      : ExitFailure,
            started.error().message);
    }

    TerminationSignals termination(TerminationSignals::Hangup::Deliver);
    QObject::connect(&termination, &TerminationSignals::received, qApp, &QCoreApplication::quit);
    QObject::connect(
        &termination, &TerminationSignals::hangupReceived, &engine, [&engine, out, err] {
            // A bad file leaves the running configuration alone: the engine keeps working as
            // it was.
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

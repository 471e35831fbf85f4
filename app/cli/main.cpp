// shivx: the command-line front end of the ShivX engine. Every command works on the same
// engine library and data directory as the console.
#include "auditcommand.h"
#include "breakercommand.h"
#include "clicommon.h"
#include "degradecommand.h"
#include "historycommand.h"
#include "processcommand.h"
#include "servecommand.h"

#include "core/opensslprocess.h"
#include "core/terminationsignals.h"
#include "reportapplication.h"

#include <QCoreApplication>

namespace {

void usage(QTextStream &s)
{
    s << "Usage: shivx COMMAND [OPTIONS]\n\n"
         "Commands:\n"
         "  serve     run the engine headless (HTTP API, health endpoints, /metrics)\n"
         "  history   list and query the metric history (shivx history --help)\n"
         "  audit     append to, tail and export the audit chain (shivx audit --help)\n"
         "  breaker   list and force the running engine's circuit breakers (shivx breaker --help)\n"
         "  process   list, start, stop and restart supervised processes (shivx process --help)\n"
         "  degrade   show, pin or release the degradation level (shivx degrade --help)\n"
         "  version   print the version\n\n"
         "Every command takes --data-dir DIR and --help.\n";
}

} // namespace

int main(int argc, char **argv)
{
    Shivx::initOpenSslForProcess();
    // `shivx serve` reloads its configuration on SIGHUP; every other command keeps the
    // default action, so that it ends with its terminal.
    const bool serving = argc > 1 && qstrcmp(argv[1], "serve") == 0;
    Shivx::TerminationSignals::blockInAllThreads(serving
            ? Shivx::TerminationSignals::Hangup::Deliver
            : Shivx::TerminationSignals::Hangup::Default);
    // A QGuiApplication (offscreen) only when `--report FILE.pdf` needs fonts for the PDF.
    const auto app = Shivx::Reports::createApplication(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("shivx"));
    QCoreApplication::setOrganizationName(QStringLiteral("ShivX"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SHIVX_VERSION));

    const QStringList args = app->arguments();
    const QString command = args.value(1);
    const QStringList rest = args.mid(2);
    using namespace Shivx::Cli;
    if (command == QLatin1String("serve"))
        return serveCommand(rest);
    if (command == QLatin1String("history"))
        return historyCommand(rest);
    if (command == QLatin1String("audit"))
        return auditCommand(rest);
    if (command == QLatin1String("breaker"))
        return breakerCommand(rest);
    if (command == QLatin1String("process"))
        return processCommand(rest);
    if (command == QLatin1String("degrade"))
        return degradeCommand(rest);
    if (command == QLatin1String("version") || command == QLatin1String("--version")) {
        out() << "shivx " << QCoreApplication::applicationVersion() << "\n" << Qt::flush;
        return ExitOk;
    }
    if (command == QLatin1String("help") || command == QLatin1String("--help")
        || command == QLatin1String("-h")) {
        usage(out());
        out() << Qt::flush;
        return ExitOk;
    }
    if (command.isEmpty())
        err() << "shivx: missing command\n\n";
    else
        err() << "shivx: unknown command \"" << command << "\"\n\n";
    usage(err());
    err() << Qt::flush;
    return ExitUsage;
}

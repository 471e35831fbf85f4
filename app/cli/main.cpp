// shivx: the command-line front end of the ShivX engine. Every command works on the same
// engine library and data directory as the console.
#include "clicommon.h"
#include "degradecommand.h"
#include "historycommand.h"
#include "servecommand.h"

#include "core/terminationsignals.h"

#include <QCoreApplication>

namespace {

void usage(QTextStream &s)
{
    s << "Usage: shivx COMMAND [OPTIONS]\n\n"
         "Commands:\n"
         "  serve     run the engine headless (HTTP API, health endpoints, /metrics)\n"
         "  history   list and query the metric history (shivx history --help)\n"
         "  degrade   show, pin or release the degradation level (shivx degrade --help)\n"
         "  version   print the version\n\n"
         "Every command takes --data-dir DIR and --help.\n";
}

} // namespace

int main(int argc, char **argv)
{
    Shivx::TerminationSignals::blockInAllThreads();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("shivx"));
    QCoreApplication::setOrganizationName(QStringLiteral("ShivX"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SHIVX_VERSION));

    const QStringList args = app.arguments();
    const QString command = args.value(1);
    const QStringList rest = args.mid(2);
    using namespace Shivx::Cli;
    if (command == QLatin1String("serve"))
        return serveCommand(rest);
    if (command == QLatin1String("history"))
        return historyCommand(rest);
    if (command == QLatin1String("degrade"))
        return degradeCommand(rest);
    if (command == QLatin1String("version") || command == QLatin1String("--version")) {
        out() << "shivx " << QCoreApplication::applicationVersion() << "\n" << Qt::flush;
        return ExitOk;
    }
    if (command == QLatin1String("help") || command == QLatin1String("--help") || command == QLatin1String("-h")) {
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

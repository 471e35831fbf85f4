// shivx: the command-line front end of the ShivX engine. Every command works on the same
// engine library and data directory as the console; the commands are listed in commands.cpp.
#include "commandcontext.h"
#include "commands.h"

#include "core/opensslprocess.h"
#include "core/terminationsignals.h"
#include "reportapplication.h"

#include <QCoreApplication>

#include <cstdio>

namespace {

using namespace Shivx::Cli;

void usage(QTextStream &s)
{
    s << "Usage: shivx COMMAND [OPTIONS]\n\nCommands:\n";
    for (const Command &c : commands())
        s << "  " << QString::fromLatin1(c.name).leftJustified(9) << " " << c.summary << "\n";
    s << "  version   print the version\n\n"
         "shivx COMMAND --help shows a command's options. Every command takes --data-dir DIR\n"
         "and --config FILE; those that print data take --format (text, csv, json).\n"
         "Exit status: 0 ok, 1 failure, 2 usage error.\n";
}

} // namespace

int main(int argc, char **argv)
{
    Shivx::initOpenSslForProcess();
    const Command *command = argc > 1 ? findCommand(QString::fromLocal8Bit(argv[1])) : nullptr;
    // A command that handles SIGHUP gets it delivered (serve reloads its configuration); every
    // other command keeps the default action, so that it ends with its terminal.
    Shivx::TerminationSignals::blockInAllThreads(command && command->handlesHangup
            ? Shivx::TerminationSignals::Hangup::Deliver
            : Shivx::TerminationSignals::Hangup::Default);
    // A QGuiApplication (offscreen) only when `--report FILE.pdf` needs fonts for the PDF.
    const auto app = Shivx::Reports::createApplication(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("shivx"));
    QCoreApplication::setOrganizationName(QStringLiteral("ShivX"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SHIVX_VERSION));

    QTextStream out(stdout);
    QTextStream err(stderr);
    const QStringList args = app->arguments();
    if (command)
        return command->run(args.mid(2), out, err);
    const QString name = args.value(1);
    if (name == QLatin1String("version") || name == QLatin1String("--version")) {
        out << "shivx " << QCoreApplication::applicationVersion() << "\n" << Qt::flush;
        return ExitOk;
    }
    if (name == QLatin1String("help") || name == QLatin1String("--help")
        || name == QLatin1String("-h")) {
        usage(out);
        out << Qt::flush;
        return ExitOk;
    }
    if (name.isEmpty())
        err << "shivx: missing command\n\n";
    else
        err << "shivx: unknown command \"" << name << "\"\n\n";
    usage(err);
    err << Qt::flush;
    return ExitUsage;
}

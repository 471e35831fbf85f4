#pragma once

#include "engineclient.h"

#include "core/config.h"
#include "core/result.h"

#include <QCommandLineParser>
#include <QStringList>
#include <QTextStream>

#include <optional>

class QJsonObject;

namespace Shivx::Cli {

// Exit codes shared by every `shivx` command (docs: README.md, "Using it"). Commands whose
// 1 means something more precise (verify: tampered; history: nothing found) say so in --help.
enum ExitCode { ExitOk = 0, ExitFailure = 1, ExitUsage = 2 };

// One invocation of one `shivx` command: the seam every command goes through for what they
// share, so that `--data-dir`, `--config`, `--url`, `--format`, `--help`, the error lines and
// the exit codes mean the same everywhere.
//
// A command declares the shared options it takes and its own, then parse()s; after that it
// asks for the data directory, the configuration, an EngineClient and the output format,
// writes to out(), and ends every failure through fail(). Single-threaded, like the commands;
// the streams belong to the caller and outlive the context.
//
//     CommandContext c(QStringLiteral("breaker"), out, err);
//     c.setHelp(HelpText, ExitText);
//     c.setSubcommands({ QStringLiteral("list"), QStringLiteral("force") });
//     c.addEngineOptions();
//     c.addFormatOption({ Format::Text, Format::Json }, ...);
//     if (const auto done = c.parse(args))
//         return *done;
class CommandContext
{
public:
    // The spellings of --format values, for the lists commands pass.
    struct Format
    {
        static inline const QString Text = QStringLiteral("text");
        static inline const QString Csv = QStringLiteral("csv");
        static inline const QString Json = QStringLiteral("json");
    };

    // `command` is how error lines start after "shivx ": "degrade", "audit verify".
    CommandContext(const QString &command, QTextStream &out, QTextStream &err);

    // --- Declarations, before parse() ---

    // --help prints `usage` (synopsis, description and the command's own options), then the
    // shared options the command takes, then `exitStatus`.
    void setHelp(const char *usage, const char *exitStatus);
    // The first positional argument(s) name one of these; a name may have two words
    // ("checkpoint export"). Missing or unknown is a usage error; "help" prints --help.
    void setSubcommands(const QStringList &names);
    // --data-dir DIR and --config FILE. The data directory is --data-dir, else the file's
    // engine.data_dir, else the default ($XDG_DATA_HOME/shivx). `configUse` is shown in --help
    // for commands that read more of the file than engine.data_dir.
    void addDataDirOptions(const QString &configUse = QString());
    // --url URL, for commands that talk to a running engine (implies addDataDirOptions(): the
    // bearer token always comes from DATA_DIR/api-token).
    void addEngineOptions();
    // --format F over `formats` (every format any subcommand prints); `use` says in --help
    // which subcommand prints which and which is its default.
    void addFormatOption(const QStringList &formats, const QString &use);
    // --json, the spelling of --format json that degrade status and audit tail had before
    // --format; kept so that scripts keep working, documented as the old spelling.
    void addJsonAlias();
    // An option of the command's own; its description lives in the command's help text.
    void addOption(const QCommandLineOption &option);

    // Parses `args` (what follows the command name) and checks the shared options. Returns
    // the exit code when the command is already done (--help printed: 0; a usage error
    // printed: 2), or nothing when the command should go on.
    std::optional<int> parse(const QStringList &args);

    // --- After parse() ---

    QString subcommand() const { return m_subcommand; }
    // Positional arguments after the subcommand.
    QStringList arguments() const { return m_arguments; }
    // Usage error for the first positional argument beyond `allowed`, if there is one.
    std::optional<int> rejectArgumentsBeyond(int allowed);
    bool isSet(const QString &option) const { return m_parser.isSet(option); }
    QString value(const QString &option) const { return m_parser.value(option); }
    QStringList values(const QString &option) const { return m_parser.values(option); }

    // Absolute path, resolved as addDataDirOptions() says.
    QString dataDir() const { return m_dataDir; }
    // The --config file, or the embedded default configuration when none was given.
    const Config &config() const { return m_config; }
    // The --config path as given, empty when none was.
    QString configPath() const;
    // The engine at --url, or at the address recorded in DATA_DIR/api-address; its token from
    // DATA_DIR/api-token. Errors name the file or URL (no engine recorded, no token).
    Result<EngineClient> engine() const;
    // The output format for this subcommand: --format (or --json) if it is one of `formats`,
    // else the first of `formats`, the default. An error names the value and the formats.
    Result<QString> format(const QStringList &formats) const;

    QTextStream &out() { return m_out; }
    QTextStream &err() { return m_err; }
    // One JSON document, compact, on one line: how every command prints --format json.
    void printJson(const QJsonObject &document);

    // The one way a command reports failure: "shivx COMMAND[ SUBCOMMAND]: message" on the
    // error stream; returns `code` for the command to return.
    int fail(int code, const QString &message);
    // An engine's HTTP error answer: its own message; 2 for a request it calls bad (400, our
    // arguments), 1 for anything else (refused, unknown name, no token).
    int failReply(const EngineClient::Reply &reply);

    // "cli:alice": who acts, for the engine's operator audit stream.
    static QString operatorActor();

private:
    QString helpText() const;
    std::optional<int> resolveSubcommand();
    std::optional<int> checkSharedOptions();

    QString m_command;
    QTextStream &m_out;
    QTextStream &m_err;
    QCommandLineParser m_parser;
    const char *m_usage = "";
    const char *m_exitStatus = "";
    QStringList m_subcommands;
    bool m_dataDirOptions = false;
    QString m_configUse;
    bool m_engineOptions = false;
    QStringList m_formats;
    QString m_formatUse;
    bool m_jsonAlias = false;

    QString m_subcommand;
    QStringList m_arguments;
    QString m_dataDir;
    Config m_config;
};

} // namespace Shivx::Cli

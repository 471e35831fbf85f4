#include "commandcontext.h"

#include "core/datadir.h"
#include "core/operatoridentity.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace Shivx::Cli {

namespace {

const QString HelpOption = QStringLiteral("help");
const QString DataDirOption = QStringLiteral("data-dir");
const QString ConfigOption = QStringLiteral("config");
const QString UrlOption = QStringLiteral("url");
const QString FormatOption = QStringLiteral("format");
const QString JsonOption = QStringLiteral("json");

// "a", "a or b", "a, b or c"
QString alternatives(const QStringList &words)
{
    if (words.size() < 2)
        return words.value(0);
    return words.mid(0, words.size() - 1).join(QStringLiteral(", ")) + QStringLiteral(" or ")
        + words.last();
}

} // namespace

CommandContext::CommandContext(const QString &command, QTextStream &out, QTextStream &err)
    : m_command(command)
    , m_out(out)
    , m_err(err)
{
    // -n 5 and --n 5 alike; no command has short options that could be bundled.
    m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    m_parser.addOption({ { QStringLiteral("h"), HelpOption }, QString() });
}

void CommandContext::setHelp(const char *usage, const char *exitStatus)
{
    m_usage = usage;
    m_exitStatus = exitStatus;
}

void CommandContext::setSubcommands(const QStringList &names)
{
    m_subcommands = names;
}

void CommandContext::addDataDirOptions(const QString &configUse)
{
    if (m_dataDirOptions)
        return;
    m_dataDirOptions = true;
    m_configUse = configUse;
    m_parser.addOption({ DataDirOption, QString(), QStringLiteral("DIR") });
    m_parser.addOption({ ConfigOption, QString(), QStringLiteral("FILE") });
}

void CommandContext::addEngineOptions()
{
    addDataDirOptions();
    m_engineOptions = true;
    m_parser.addOption({ UrlOption, QString(), QStringLiteral("URL") });
}

void CommandContext::addFormatOption(const QStringList &formats, const QString &use)
{
    m_formats = formats;
    m_formatUse = use;
    m_parser.addOption({ FormatOption, QString(), QStringLiteral("F") });
}

void CommandContext::addJsonAlias()
{
    m_jsonAlias = true;
    m_parser.addOption({ JsonOption, QString() });
}

void CommandContext::addOption(const QCommandLineOption &option)
{
    m_parser.addOption(option);
}

std::optional<int> CommandContext::parse(const QStringList &args)
{
    if (!m_parser.parse(QStringList { QStringLiteral("shivx ") + m_command } + args))
        return fail(ExitUsage,
            QStringLiteral("%1 (see shivx %2 --help)").arg(m_parser.errorText(), m_command));
    const QStringList positional = m_parser.positionalArguments();
    if (m_parser.isSet(HelpOption)
        || (!m_subcommands.isEmpty() && positional.value(0) == QLatin1String("help"))) {
        m_out << helpText() << Qt::flush;
        return ExitOk;
    }
    if (const auto done = resolveSubcommand())
        return done;
    return checkSharedOptions();
}

std::optional<int> CommandContext::resolveSubcommand()
{
    const QStringList positional = m_parser.positionalArguments();
    if (m_subcommands.isEmpty()) {
        m_arguments = positional;
        return std::nullopt;
    }
    if (positional.isEmpty()) {
        fail(ExitUsage, QStringLiteral("missing subcommand"));
        m_err << "\n" << helpText() << Qt::flush;
        return ExitUsage;
    }
    // The longest name whose words start the arguments: "checkpoint export" over "checkpoint".
    qsizetype matched = 0;
    bool firstWordKnown = false;
    for (const QString &name : std::as_const(m_subcommands)) {
        const QStringList words = name.split(QLatin1Char(' '));
        firstWordKnown = firstWordKnown || words.constFirst() == positional.constFirst();
        if (words.size() > matched && positional.mid(0, words.size()) == words) {
            matched = words.size();
            m_subcommand = name;
        }
    }
    if (matched == 0) {
        const QString given = positional.mid(0, firstWordKnown ? 2 : 1).join(QLatin1Char(' '));
        return fail(ExitUsage,
            QStringLiteral("unknown subcommand \"%1\" (expected %2; see shivx %3 --help)")
                .arg(given, alternatives(m_subcommands), m_command));
    }
    m_arguments = positional.mid(matched);
    return std::nullopt;
}

std::optional<int> CommandContext::checkSharedOptions()
{
    if (m_dataDirOptions) {
        if (isSet(DataDirOption) && value(DataDirOption).isEmpty())
            return fail(ExitUsage, QStringLiteral("--data-dir needs a directory"));
        if (isSet(ConfigOption) && value(ConfigOption).isEmpty())
            return fail(ExitUsage, QStringLiteral("--config needs a file"));
        // The file's own errors name it and the line ("shivx.yaml:12: targets[0].timeout: ...").
        auto config = isSet(ConfigOption) ? ConfigLoader::loadFile(value(ConfigOption))
                                          : ConfigLoader::loadDefault();
        if (!config)
            return fail(
                ExitUsage, QStringLiteral("configuration error: %1").arg(config.error().message));
        m_config = std::move(*config);
        m_dataDir = DataDir::resolve(value(DataDirOption), m_config.dataDir);
    }
    if (m_engineOptions && isSet(UrlOption)) {
        if (const auto url = EngineClient::parseUrl(value(UrlOption)); !url)
            return fail(ExitUsage, url.error().message);
    }
    if (!m_formats.isEmpty() && isSet(FormatOption)) {
        if (!m_formats.contains(value(FormatOption)))
            return fail(ExitUsage,
                QStringLiteral("--format must be %1, not \"%2\"")
                    .arg(alternatives(m_formats), value(FormatOption)));
        if (m_jsonAlias && isSet(JsonOption) && value(FormatOption) != Format::Json)
            return fail(ExitUsage,
                QStringLiteral("--json means --format json, not --format %1")
                    .arg(value(FormatOption)));
    }
    return std::nullopt;
}

std::optional<int> CommandContext::rejectArgumentsBeyond(int allowed)
{
    if (m_arguments.size() <= allowed)
        return std::nullopt;
    return fail(
        ExitUsage, QStringLiteral("unexpected argument \"%1\"").arg(m_arguments.at(allowed)));
}

QString CommandContext::configPath() const
{
    return m_dataDirOptions ? value(ConfigOption) : QString();
}

Result<EngineClient> CommandContext::engine() const
{
    return EngineClient::connect(m_dataDir, value(UrlOption));
}

Result<QString> CommandContext::format(const QStringList &formats) const
{
    const QString chosen = m_jsonAlias && isSet(JsonOption) ? Format::Json
        : isSet(FormatOption)                               ? value(FormatOption)
                                                            : formats.value(0);
    if (!formats.contains(chosen))
        return makeError("cli.format",
            QStringLiteral("--format must be %1, not \"%2\"").arg(alternatives(formats), chosen));
    return chosen;
}

void CommandContext::printJson(const QJsonObject &document)
{
    m_out << QJsonDocument(document).toJson(QJsonDocument::Compact) << "\n" << Qt::flush;
}

int CommandContext::fail(int code, const QString &message)
{
    // What was printed before the failure comes first when both streams go to one terminal.
    m_out << Qt::flush;
    m_err << "shivx " << m_command
          << (m_subcommand.isEmpty() ? QString() : QLatin1Char(' ') + m_subcommand) << ": "
          << message << "\n"
          << Qt::flush;
    return code;
}

int CommandContext::failReply(const EngineClient::Reply &reply)
{
    const QString message = reply.body.value(QStringLiteral("message")).toString();
    return fail(reply.status == 400 ? ExitUsage : ExitFailure,
        QStringLiteral("engine answered HTTP %1%2")
            .arg(reply.status)
            .arg(message.isEmpty() ? QString() : QStringLiteral(": ") + message));
}

QString CommandContext::operatorActor()
{
    return OperatorIdentity::actor(QStringLiteral("cli"));
}

QString CommandContext::helpText() const
{
    QString text = QString::fromUtf8(m_usage);
    text += QStringLiteral("\nCommon options:\n");
    if (m_dataDirOptions) {
        text += QStringLiteral(
            "  --data-dir DIR      data directory (default: engine.data_dir of --config, else\n"
            "                      $XDG_DATA_HOME/shivx)\n"
            "  --config FILE       configuration file; its engine.data_dir is the data\n"
            "                      directory when --data-dir is not given\n");
        if (!m_configUse.isEmpty())
            text += QStringLiteral("                      %1\n").arg(m_configUse);
    }
    if (m_engineOptions)
        text += QStringLiteral(
            "  --url URL           the engine's API (default: the address recorded in\n"
            "                      DIR/api-address); the token always comes from DIR/api-token\n");
    if (!m_formats.isEmpty())
        text += QStringLiteral("  --format F          %1\n").arg(m_formatUse);
    if (m_jsonAlias)
        text += QStringLiteral(
            "  --json              the same as --format json (its older spelling)\n");
    text += QStringLiteral("  -h, --help          this help\n");
    if (m_exitStatus[0] != '\0')
        text += QLatin1Char('\n') + QString::fromUtf8(m_exitStatus);
    return text;
}

} // namespace Shivx::Cli

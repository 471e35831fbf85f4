#include "auditcommand.h"
#include "auditverifycommand.h"
#include "core/operatoridentity.h"

#include "audit/auditentry.h"
#include "audit/auditwriter.h"
#include "audit/canonicaljson.h"
#include "audit/segmentfiles.h"
#include "clicommon.h"
#include "core/config.h"
#include "core/datadir.h"
#include "core/timeutil.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

#include <algorithm>

namespace Shivx::Cli {

namespace {

const char HelpText[]
    = "Usage: shivx audit append --action NAME --data JSON [--stream operator] [--actor NAME]\n"
      "       shivx audit verify [--stream NAME] [--public-key FILE] [--witness FILE] [--report "
      "FILE.pdf|FILE.json]\n"
      "       shivx audit tail [--stream NAME] [-n N] [--follow] [--json]\n"
      "       shivx audit checkpoint export [--out FILE]\n"
      "       shivx audit key export [--out FILE]\n"
      "\n"
      "The tamper-evident audit chain in DIR/audit (docs/audit-format.md).\n"
      "\n"
      "  append              add one entry; --data is a JSON object with integers, strings,\n"
      "                      booleans, null, arrays and objects (decimals go in strings).\n"
      "                      Safe while the engine runs: both take DIR/audit/lock.\n"
      "  tail                the last N entries (all streams merged by time, or --stream)\n"
      "  verify              check hashes, links, segments, head and signed checkpoints\n"
      "                      (shivx audit verify --help)\n"
      "  checkpoint export   sign a fresh checkpoint of every stream and write a witness file\n"
      "                      (the checkpoints and the public key) to keep somewhere else\n"
      "  key export          the checkpoint public key (PEM) for `openssl pkeyutl -verify`\n"
      "\n"
      "Options:\n"
      "  --data-dir DIR      data directory (default: $XDG_DATA_HOME/shivx)\n"
      "  --config FILE       configuration whose audit: section applies (segment size, ...)\n"
      "  --stream NAME       append: the stream (default operator); tail: only this stream\n"
      "  --action NAME       append: a stable action code, e.g. maintenance.started\n"
      "  --data JSON         append: the entry's data object (default {})\n"
      "  --actor NAME        append: who (default cli:$USER)\n"
      "  -n N                tail: number of entries (default 20)\n"
      "  --follow            tail: keep printing new entries until interrupted\n"
      "  --json              tail: print the entries as their canonical JSON lines\n"
      "  --out FILE          export: write FILE (atomically) instead of standard output\n"
      "  -h, --help          this help\n"
      "\n"
      "Exit status: 0 ok; 1 the chain could not be written or read; 2 usage error.\n";

int fail(const QString &command, int code, const QString &message)
{
    err() << "shivx audit" << (command.isEmpty() ? QString() : QLatin1Char(' ') + command) << ": "
          << message << "\n"
          << Qt::flush;
    return code;
}

// QJsonDocument reads 1.0 and 1e3 as integral doubles; Python reads them as floats and would
// write them back differently, so any number with a fraction or exponent is refused as typed.
QString findNonIntegerNumber(const QByteArray &json)
{
    bool inString = false;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json.at(i);
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            qsizetype j = i;
            while (j < json.size() && QByteArray("+-0123456789.eE").contains(json.at(j)))
                ++j;
            const QByteArray token = json.mid(i, j - i);
            if (token.contains('.') || token.contains('e') || token.contains('E'))
                return QString::fromUtf8(token);
            i = j - 1;
        }
    }
    return {};
}

Result<Config> loadConfig(const QCommandLineParser &p)
{
    if (p.isSet(QStringLiteral("config")))
        return ConfigLoader::loadFile(p.value(QStringLiteral("config")));
    return ConfigLoader::loadDefault();
}

int writeOutput(const QString &command, const QCommandLineParser &p, const QByteArray &bytes)
{
    if (!p.isSet(QStringLiteral("out"))) {
        out() << QString::fromUtf8(bytes) << Qt::flush;
        return ExitOk;
    }
    if (auto r = AuditFiles::writeFileAtomic(p.value(QStringLiteral("out")), bytes, true); !r)
        return fail(command, ExitFailure, r.error().message);
    return ExitOk;
}

int append(const QCommandLineParser &p, const Config &config, const QString &dataDir)
{
    const QString cmd = QStringLiteral("append");
    const QString stream = p.isSet(QStringLiteral("stream")) ? p.value(QStringLiteral("stream"))
                                                             : AuditStreams::operatorActions();
    if (!AuditEntryCodec::isValidStreamName(stream))
        return fail(cmd, ExitUsage,
            QStringLiteral("--stream \"%1\" is not a stream name ([a-z0-9][a-z0-9_-]{0,31})")
                .arg(stream));
    const QString action = p.value(QStringLiteral("action"));
    if (action.isEmpty())
        return fail(cmd, ExitUsage, QStringLiteral("--action NAME is required"));
    const QByteArray dataText = p.isSet(QStringLiteral("data"))
        ? p.value(QStringLiteral("data")).toUtf8()
        : QByteArray("{}");
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(dataText, &pe);
    if (pe.error != QJsonParseError::NoError)
        return fail(cmd, ExitUsage,
            QStringLiteral("--data is not JSON: %1 at character %2")
                .arg(pe.errorString())
                .arg(pe.offset));
    if (!doc.isObject())
        return fail(cmd, ExitUsage, QStringLiteral("--data must be a JSON object ({...})"));
    if (const QString n = findNonIntegerNumber(dataText); !n.isEmpty())
        return fail(cmd, ExitUsage,
            QStringLiteral("--data: %1 is not an integer; audit data holds integers only, "
                           "put decimals in a string (\"%1\")")
                .arg(n));
    if (auto canonical = CanonicalJson::serialize(doc.object()); !canonical)
        return fail(cmd, ExitUsage, QStringLiteral("--data: %1").arg(canonical.error().message));
    QString actor = p.value(QStringLiteral("actor"));
    if (actor.isEmpty())
        actor = OperatorIdentity::actor(QStringLiteral("cli"));

    if (auto r = DataDir::ensure(dataDir); !r)
        return fail(cmd, ExitFailure, r.error().message);
    AuditWriter writer(dataDir, config.audit);
    if (auto r = writer.open(); !r)
        return fail(cmd, ExitFailure, r.error().message);
    writer.record(AuditEvent { stream, actor, action, doc.object(), 0 });
    writer.flush();
    // No checkpoint per CLI entry: the engine's checkpoint timer (or `checkpoint export`) signs it.
    const qint64 left = writer.queuedCount();
    writer.finish(false);
    if (left > 0)
        return fail(cmd, ExitFailure,
            QStringLiteral("the entry could not be written (see the messages above)"));
    return ExitOk;
}

QString formatEntry(const AuditEntry &e)
{
    return QStringLiteral("%1  %2  #%3  %4  %5  %6")
        .arg(TimeUtil::toRfc3339(e.tsMs), e.stream)
        .arg(e.seq)
        .arg(e.actor, e.action, QString::fromUtf8(CanonicalJson::serialize(e.data).value()));
}

int tail(const QCommandLineParser &p, const QString &dataDir)
{
    const QString cmd = QStringLiteral("tail");
    int count = 20;
    if (p.isSet(QStringLiteral("n"))) {
        bool ok = false;
        count = p.value(QStringLiteral("n")).toInt(&ok);
        if (!ok || count < 1)
            return fail(cmd, ExitUsage,
                QStringLiteral("-n needs a positive integer, not \"%1\"")
                    .arg(p.value(QStringLiteral("n"))));
    }
    QStringList streams = AuditFiles::listStreams(dataDir);
    if (p.isSet(QStringLiteral("stream"))) {
        const QString s = p.value(QStringLiteral("stream"));
        if (!streams.contains(s))
            return fail(cmd, ExitFailure,
                QStringLiteral("no stream \"%1\" in %2 (streams: %3)")
                    .arg(s, AuditFiles::auditDir(dataDir), streams.join(QStringLiteral(", "))));
        streams = { s };
    }
    if (streams.isEmpty())
        return fail(cmd, ExitFailure,
            QStringLiteral("no audit log in %1 (has the engine run with this --data-dir?)")
                .arg(AuditFiles::auditDir(dataDir)));
    const bool json = p.isSet(QStringLiteral("json"));
    QHash<QString, qint64> printed;
    for (bool first = true;; first = false) {
        QList<AuditEntry> batch;
        for (const QString &s : std::as_const(streams)) {
            auto entries = AuditFiles::readRecentEntries(
                AuditFiles::streamDir(dataDir, s), printed.value(s), count);
            if (!entries)
                return fail(cmd, ExitFailure, entries.error().message);
            batch += *entries;
        }
        std::stable_sort(batch.begin(), batch.end(), [](const AuditEntry &a, const AuditEntry &b) {
            return a.tsMs != b.tsMs ? a.tsMs < b.tsMs : a.stream < b.stream;
        });
        if (first && batch.size() > count)
            batch = batch.mid(batch.size() - count);
        for (const AuditEntry &e : std::as_const(batch)) {
            printed[e.stream] = qMax(printed.value(e.stream), e.seq);
            if (json) {
                AuditEntry copy = e;
                out() << QString::fromUtf8(AuditEntryCodec::seal(copy).value()) << "\n";
            } else {
                out() << formatEntry(e) << "\n";
            }
        }
        out() << Qt::flush;
        if (first)
            for (const QString &s : std::as_const(streams))
                if (!printed.contains(s))
                    if (auto last
                        = AuditFiles::readRecentEntries(AuditFiles::streamDir(dataDir, s), 0, 1);
                        last && !last->isEmpty())
                        printed[s] = last->last().seq;
        if (!p.isSet(QStringLiteral("follow")))
            return ExitOk;
        QThread::msleep(300);
    }
}

int checkpointExport(const QCommandLineParser &p, const Config &config, const QString &dataDir)
{
    const QString cmd = QStringLiteral("checkpoint export");
    if (auto r = DataDir::ensure(dataDir); !r)
        return fail(cmd, ExitFailure, r.error().message);
    AuditWriter writer(dataDir, config.audit);
    if (auto r = writer.open(); !r)
        return fail(cmd, ExitFailure, r.error().message);
    auto checkpoints = writer.checkpointAll(true);
    writer.finish(false);
    if (!checkpoints)
        return fail(cmd, ExitFailure, checkpoints.error().message);
    QJsonArray list;
    for (const Checkpoint &cp : std::as_const(*checkpoints))
        list.append(QJsonDocument::fromJson(cp.toLine()).object());
    const QJsonObject witness { { QStringLiteral("checkpoints"), list },
        { QStringLiteral("exported_at"), TimeUtil::toRfc3339(QDateTime::currentMSecsSinceEpoch()) },
        { QStringLiteral("key_fingerprint"), QString::fromLatin1(writer.key().fingerprint()) },
        { QStringLiteral("public_key_pem"), QString::fromLatin1(writer.key().publicKeyPem()) } };
    return writeOutput(cmd, p, CanonicalJson::serialize(witness).value() + '\n');
}

int keyExport(const QCommandLineParser &p, const QString &dataDir)
{
    const QString cmd = QStringLiteral("key export");
    const QString path = CheckpointKey::publicKeyPath(AuditFiles::keysDir(dataDir));
    if (!QFile::exists(path))
        return fail(cmd, ExitFailure,
            QStringLiteral("no checkpoint key at %1 (has the engine run with this --data-dir?)")
                .arg(path));
    auto key = CheckpointKey::loadPublicFile(path);
    if (!key)
        return fail(cmd, ExitFailure, key.error().message);
    return writeOutput(cmd, p, key->publicKeyPem());
}

} // namespace

int auditCommand(const QStringList &args)
{
    // verify has its own options and exit codes (0 intact, 1 tampered, 2 usage/I/O).
    if (args.value(0) == QLatin1String("verify"))
        return auditVerifyCommand(args.mid(1));
    QCommandLineParser p;
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    p.addOptions({
        { { QStringLiteral("h"), QStringLiteral("help") }, QStringLiteral("Help.") },
        { QStringLiteral("data-dir"), QStringLiteral("Data directory."), QStringLiteral("DIR") },
        { QStringLiteral("config"), QStringLiteral("Configuration."), QStringLiteral("FILE") },
        { QStringLiteral("stream"), QStringLiteral("Stream."), QStringLiteral("NAME") },
        { QStringLiteral("action"), QStringLiteral("Action."), QStringLiteral("NAME") },
        { QStringLiteral("data"), QStringLiteral("Data."), QStringLiteral("JSON") },
        { QStringLiteral("actor"), QStringLiteral("Actor."), QStringLiteral("NAME") },
        { QStringLiteral("n"), QStringLiteral("Count."), QStringLiteral("N") },
        { QStringLiteral("follow"), QStringLiteral("Follow.") },
        { QStringLiteral("json"), QStringLiteral("Raw lines.") },
        { QStringLiteral("out"), QStringLiteral("Output file."), QStringLiteral("FILE") },
    });
    if (!p.parse(QStringList { QStringLiteral("shivx audit") } + args))
        return fail(
            QString(), ExitUsage, p.errorText() + QStringLiteral(" (see shivx audit --help)"));
    const QStringList pos = p.positionalArguments();
    if (p.isSet(QStringLiteral("help")) || pos.value(0) == QLatin1String("help")) {
        out() << HelpText << Qt::flush;
        return ExitOk;
    }
    if (pos.isEmpty()) {
        err() << "shivx audit: missing subcommand\n\n" << HelpText << Qt::flush;
        return ExitUsage;
    }
    const QString sub = pos.join(QLatin1Char(' '));
    auto config = loadConfig(p);
    if (!config)
        return fail(pos.at(0), ExitUsage, config.error().message);
    const QString dataDir = DataDir::resolve(p.value(QStringLiteral("data-dir")), config->dataDir);
    if (sub == QLatin1String("append"))
        return append(p, *config, dataDir);
    if (sub == QLatin1String("tail"))
        return tail(p, dataDir);
    if (sub == QLatin1String("checkpoint export"))
        return checkpointExport(p, *config, dataDir);
    if (sub == QLatin1String("key export"))
        return keyExport(p, dataDir);
    return fail(QString(), ExitUsage,
        QStringLiteral("unknown subcommand \"%1\" (see shivx audit --help)").arg(sub));
}

} // namespace Shivx::Cli

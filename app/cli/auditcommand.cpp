#include "auditcommand.h"
#include "auditverifycommand.h"

#include "audit/auditentry.h"
#include "audit/auditwriter.h"
#include "audit/canonicaljson.h"
#include "audit/segmentfiles.h"
#include "commandcontext.h"
#include "core/config.h"
#include "core/datadir.h"
#include "core/timeutil.h"

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
      "       shivx audit verify [--stream NAME]... [--public-key FILE] [--witness FILE]\n"
      "                          [--report FILE.pdf|FILE.json] [--format text|json]\n"
      "       shivx audit tail [--stream NAME] [-n N] [--follow] [--format text|json]\n"
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
      "  --stream NAME       append: the stream (default operator); tail: only this stream\n"
      "  --action NAME       append: a stable action code, e.g. maintenance.started\n"
      "  --data JSON         append: the entry's data object (default {})\n"
      "  --actor NAME        append: who (default cli:$USER)\n"
      "  -n N                tail: number of entries (default 20)\n"
      "  --follow            tail: keep printing new entries until interrupted\n"
      "  --out FILE          export: write FILE (atomically) instead of standard output\n";

const char ExitText[]
    = "Exit status: 0 ok; 1 the chain could not be written or read; 2 usage error.\n";

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

int writeOutput(CommandContext &c, const QByteArray &bytes)
{
    if (!c.isSet(QStringLiteral("out"))) {
        c.out() << QString::fromUtf8(bytes) << Qt::flush;
        return ExitOk;
    }
    if (auto r = AuditFiles::writeFileAtomic(c.value(QStringLiteral("out")), bytes, true); !r)
        return c.fail(ExitFailure, r.error().message);
    return ExitOk;
}

int append(CommandContext &c)
{
    const QString stream = c.isSet(QStringLiteral("stream")) ? c.value(QStringLiteral("stream"))
                                                             : AuditStreams::operatorActions();
    if (!AuditEntryCodec::isValidStreamName(stream))
        return c.fail(ExitUsage,
            QStringLiteral("--stream \"%1\" is not a stream name ([a-z0-9][a-z0-9_-]{0,31})")
                .arg(stream));
    const QString action = c.value(QStringLiteral("action"));
    if (action.isEmpty())
        return c.fail(ExitUsage, QStringLiteral("--action NAME is required"));
    const QByteArray dataText = c.isSet(QStringLiteral("data"))
        ? c.value(QStringLiteral("data")).toUtf8()
        : QByteArray("{}");
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(dataText, &pe);
    if (pe.error != QJsonParseError::NoError)
        return c.fail(ExitUsage,
            QStringLiteral("--data is not JSON: %1 at character %2")
                .arg(pe.errorString())
                .arg(pe.offset));
    if (!doc.isObject())
        return c.fail(ExitUsage, QStringLiteral("--data must be a JSON object ({...})"));
    if (const QString n = findNonIntegerNumber(dataText); !n.isEmpty())
        return c.fail(ExitUsage,
            QStringLiteral("--data: %1 is not an integer; audit data holds integers only, "
                           "put decimals in a string (\"%1\")")
                .arg(n));
    if (auto canonical = CanonicalJson::serialize(doc.object()); !canonical)
        return c.fail(ExitUsage, QStringLiteral("--data: %1").arg(canonical.error().message));
    QString actor = c.value(QStringLiteral("actor"));
    if (actor.isEmpty())
        actor = CommandContext::operatorActor();

    if (auto r = DataDir::ensure(c.dataDir()); !r)
        return c.fail(ExitFailure, r.error().message);
    AuditWriter writer(c.dataDir(), c.config().audit);
    if (auto r = writer.open(); !r)
        return c.fail(ExitFailure, r.error().message);
    writer.record(AuditEvent { stream, actor, action, doc.object(), 0 });
    writer.flush();
    // No checkpoint per CLI entry: the engine's checkpoint timer (or `checkpoint export`) signs it.
    const qint64 left = writer.queuedCount();
    writer.finish(false);
    if (left > 0)
        return c.fail(
            ExitFailure, QStringLiteral("the entry could not be written (see the messages above)"));
    return ExitOk;
}

QString formatEntry(const AuditEntry &e)
{
    return QStringLiteral("%1  %2  #%3  %4  %5  %6")
        .arg(TimeUtil::toRfc3339(e.tsMs), e.stream)
        .arg(e.seq)
        .arg(e.actor, e.action, QString::fromUtf8(CanonicalJson::serialize(e.data).value()));
}

int tail(CommandContext &c)
{
    const auto format = c.format({ CommandContext::Format::Text, CommandContext::Format::Json });
    if (!format)
        return c.fail(ExitUsage, format.error().message);
    const QString dataDir = c.dataDir();
    int count = 20;
    if (c.isSet(QStringLiteral("n"))) {
        bool ok = false;
        count = c.value(QStringLiteral("n")).toInt(&ok);
        if (!ok || count < 1)
            return c.fail(ExitUsage,
                QStringLiteral("-n needs a positive integer, not \"%1\"")
                    .arg(c.value(QStringLiteral("n"))));
    }
    QStringList streams = AuditFiles::listStreams(dataDir);
    if (c.isSet(QStringLiteral("stream"))) {
        const QString s = c.value(QStringLiteral("stream"));
        if (!streams.contains(s))
            return c.fail(ExitFailure,
                QStringLiteral("no stream \"%1\" in %2 (streams: %3)")
                    .arg(s, AuditFiles::auditDir(dataDir), streams.join(QStringLiteral(", "))));
        streams = { s };
    }
    if (streams.isEmpty())
        return c.fail(ExitFailure,
            QStringLiteral("no audit log in %1 (has the engine run with this --data-dir?)")
                .arg(AuditFiles::auditDir(dataDir)));
    const bool json = *format == CommandContext::Format::Json;
    QHash<QString, qint64> printed;
    for (bool first = true;; first = false) {
        QList<AuditEntry> batch;
        for (const QString &s : std::as_const(streams)) {
            auto entries = AuditFiles::readRecentEntries(
                AuditFiles::streamDir(dataDir, s), printed.value(s), count);
            if (!entries)
                return c.fail(ExitFailure, entries.error().message);
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
                c.out() << QString::fromUtf8(AuditEntryCodec::seal(copy).value()) << "\n";
            } else {
                c.out() << formatEntry(e) << "\n";
            }
        }
        c.out() << Qt::flush;
        if (first)
            for (const QString &s : std::as_const(streams))
                if (!printed.contains(s))
                    if (auto last
                        = AuditFiles::readRecentEntries(AuditFiles::streamDir(dataDir, s), 0, 1);
                        last && !last->isEmpty())
                        printed[s] = last->last().seq;
        if (!c.isSet(QStringLiteral("follow")))
            return ExitOk;
        QThread::msleep(300);
    }
}

int checkpointExport(CommandContext &c)
{
    if (auto r = DataDir::ensure(c.dataDir()); !r)
        return c.fail(ExitFailure, r.error().message);
    AuditWriter writer(c.dataDir(), c.config().audit);
    if (auto r = writer.open(); !r)
        return c.fail(ExitFailure, r.error().message);
    auto checkpoints = writer.checkpointAll(true);
    writer.finish(false);
    if (!checkpoints)
        return c.fail(ExitFailure, checkpoints.error().message);
    QJsonArray list;
    for (const Checkpoint &cp : std::as_const(*checkpoints))
        list.append(QJsonDocument::fromJson(cp.toLine()).object());
    const QJsonObject witness { { QStringLiteral("checkpoints"), list },
        { QStringLiteral("exported_at"), TimeUtil::toRfc3339(QDateTime::currentMSecsSinceEpoch()) },
        { QStringLiteral("key_fingerprint"), QString::fromLatin1(writer.key().fingerprint()) },
        { QStringLiteral("public_key_pem"), QString::fromLatin1(writer.key().publicKeyPem()) } };
    return writeOutput(c, CanonicalJson::serialize(witness).value() + '\n');
}

int keyExport(CommandContext &c)
{
    const QString dataDir = c.dataDir();
    const QString path = CheckpointKey::publicKeyPath(AuditFiles::keysDir(dataDir));
    if (!QFile::exists(path))
        return c.fail(ExitFailure,
            QStringLiteral("no checkpoint key at %1 (has the engine run with this --data-dir?)")
                .arg(path));
    auto key = CheckpointKey::loadPublicFile(path);
    if (!key)
        return c.fail(ExitFailure, key.error().message);
    return writeOutput(c, key->publicKeyPem());
}

} // namespace

int auditCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    // verify has its own options and exit codes (0 intact, 1 tampered, 2 usage/I/O).
    if (args.value(0) == QLatin1String("verify"))
        return auditVerifyCommand(args.mid(1), out, err);
    using F = CommandContext::Format;
    CommandContext c(QStringLiteral("audit"), out, err);
    c.setHelp(HelpText, ExitText);
    c.setSubcommands({ QStringLiteral("append"), QStringLiteral("tail"), QStringLiteral("verify"),
        QStringLiteral("checkpoint export"), QStringLiteral("key export") });
    c.addDataDirOptions(QStringLiteral("its audit: section applies too: segment size, ..."));
    c.addFormatOption({ F::Text, F::Json },
        QStringLiteral("tail: text (default) or json (each entry as its canonical JSON line)"));
    c.addJsonAlias();
    for (const char *name : { "stream", "action", "data", "actor", "n", "out" })
        c.addOption({ QLatin1String(name), QString(), QStringLiteral("VALUE") });
    c.addOption({ QStringLiteral("follow"), QString() });
    if (const auto done = c.parse(args))
        return *done;
    if (const auto done = c.rejectArgumentsBeyond(0))
        return *done;
    const QString sub = c.subcommand();
    if (sub == QLatin1String("verify"))
        return c.fail(ExitUsage,
            QStringLiteral("verify comes first, its options after it (see shivx audit verify "
                           "--help)"));
    if (sub == QLatin1String("append"))
        return append(c);
    if (sub == QLatin1String("tail"))
        return tail(c);
    if (sub == QLatin1String("checkpoint export"))
        return checkpointExport(c);
    return keyExport(c);
}

} // namespace Shivx::Cli

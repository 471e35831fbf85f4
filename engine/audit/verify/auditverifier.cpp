#include "audit/verify/auditverifier.h"
#include "core/operatoridentity.h"

#include "audit/auditentry.h"
#include "audit/checkpointkey.h"
#include "audit/segmentfiles.h"
#include "audit/verify/streamverifier.h"
#include "core/timeutil.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSysInfo>
#include <QThread>
#include <QThreadPool>

#include <optional>

namespace Shivx {

namespace {

using Internal::StreamScanResult;

const QString CheckpointsFile = QStringLiteral("checkpoints.ndjson");
const QString HeadFile = QStringLiteral("head.json");

struct SignedPoint
{
    Checkpoint checkpoint;
    QString file; // checkpoints.ndjson or the witness file's name
    qint64 line = 0; // line in checkpoints.ndjson, or 1-based index in the witness
    bool fromWitness = false;
};

struct Loaded
{
    QList<SignedPoint> points;
    std::optional<VerifyFinding> finding; // a checkpoint line that does not parse
};

Loaded loadCheckpoints(const QString &streamDir, const QString &stream)
{
    Loaded out;
    QFile f(AuditFiles::checkpointsPath(streamDir));
    if (!f.exists())
        return out;
    if (!f.open(QIODevice::ReadOnly)) {
        out.finding = VerifyFinding { VerifyProblem::IoError, stream, CheckpointsFile, 0, 0,
            QStringLiteral("cannot read %1: %2").arg(f.fileName(), f.errorString()) };
        return out;
    }
    qint64 line = 0;
    while (!f.atEnd()) {
        QByteArray text = f.readLine();
        ++line;
        if (!text.endsWith('\n')) {
            // The same rule as a segment's last line: the next writer moves it to torn/.
            out.finding = VerifyFinding { VerifyProblem::BadJson, stream, CheckpointsFile, line, 0,
                QStringLiteral("the last line has no newline: a torn write (%1 bytes), which the "
                               "next writer moves to torn/ and records")
                    .arg(text.size()) };
            return out;
        }
        text.chop(1);
        auto cp = Checkpoint::parse(text);
        if (!cp) {
            out.finding = VerifyFinding { VerifyProblem::BadJson, stream, CheckpointsFile, line, 0,
                cp.error().message };
            return out;
        }
        if (cp->stream != stream) {
            out.finding = VerifyFinding { VerifyProblem::WrongStream, stream, CheckpointsFile, line,
                cp->seq, QStringLiteral("checkpoint names stream \"%1\"").arg(cp->stream) };
            return out;
        }
        out.points.append(SignedPoint { *cp, CheckpointsFile, line, false });
    }
    return out;
}

struct Witness
{
    QList<SignedPoint> points;
    QString fingerprint;
};

Result<Witness> loadWitness(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError("audit.witness",
            QStringLiteral("cannot read witness %1: %2").arg(path, f.errorString()));
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
    const QJsonObject o = doc.object();
    if (!doc.isObject() || !o.value(QStringLiteral("checkpoints")).isArray())
        return makeError("audit.witness",
            QStringLiteral("%1: not a witness file (a JSON object with \"checkpoints\"): %2")
                .arg(path, pe.errorString()));
    Witness w;
    w.fingerprint = o.value(QStringLiteral("key_fingerprint")).toString();
    const QJsonArray arr = o.value(QStringLiteral("checkpoints")).toArray();
    for (int i = 0; i < arr.size(); ++i) {
        auto cp
            = Checkpoint::parse(QJsonDocument(arr.at(i).toObject()).toJson(QJsonDocument::Compact));
        if (!cp)
            return makeError("audit.witness",
                QStringLiteral("%1: checkpoints[%2]: %3").arg(path).arg(i).arg(cp.error().message));
        w.points.append(SignedPoint { *cp, QFileInfo(path).fileName(), i + 1, true });
    }
    return w;
}

// The trusted key: --public-key, else keys/checkpoint.pub, else the public half of
// keys/checkpoint.key. Returns an empty key when none exists.
Result<CheckpointKey> loadKey(const QString &auditDir, const QString &explicitFile, QString *source)
{
    if (!explicitFile.isEmpty()) {
        *source = explicitFile;
        return CheckpointKey::loadPublicFile(explicitFile);
    }
    const QString keysDir = QDir(auditDir).filePath(QStringLiteral("keys"));
    const QString pub = CheckpointKey::publicKeyPath(keysDir);
    if (QFileInfo::exists(pub)) {
        *source = pub;
        return CheckpointKey::loadPublicFile(pub);
    }
    const QString priv = CheckpointKey::privateKeyPath(keysDir);
    QFile f(priv);
    if (f.open(QIODevice::ReadOnly)) {
        *source = priv;
        return CheckpointKey::loadPrivatePem(f.readAll(), priv);
    }
    return CheckpointKey();
}

// Signature, then presence in the chain, for each signed point in order.
std::optional<VerifyFinding> checkSignedPoints(const QList<SignedPoint> &points,
    const CheckpointKey &key, const QString &keyFingerprint, const StreamScanResult &scan,
    StreamSummary *summary)
{
    const QString &stream = scan.summary.name;
    for (const SignedPoint &p : points) {
        const Checkpoint &cp = p.checkpoint;
        const QString what
            = p.fromWitness ? QStringLiteral("witness checkpoint") : QStringLiteral("checkpoint");
        const bool valid = key.verify(cp);
        if (!p.fromWitness)
            summary->checkpoints.append(CheckpointSummary { cp.seq, cp.hash, cp.tsMs, valid });
        if (!valid) {
            const QString why = keyFingerprint.isEmpty()
                ? QStringLiteral("no public key to verify it with")
                : cp.key != keyFingerprint.toLatin1()
                ? QStringLiteral("signed by key %1, the trusted key is %2")
                      .arg(QString::fromLatin1(cp.key), keyFingerprint)
                : QStringLiteral("the Ed25519 signature does not verify");
            return VerifyFinding { VerifyProblem::BadSignature, stream, p.file, p.line, cp.seq,
                QStringLiteral("%1 for seq %2: %3").arg(what).arg(cp.seq).arg(why) };
        }
        const auto at = scan.found.constFind(cp.seq);
        // Entries retention removed are gone: only a checkpoint where a seal ends can be compared.
        if (at == scan.found.cend() && cp.seq <= scan.retiredThroughSeq)
            continue;
        if (cp.seq > scan.summary.lastSeq) {
            return VerifyFinding { VerifyProblem::MissingTail, stream, scan.lastSegment,
                scan.linesInLastSegment + 1, scan.summary.lastSeq + 1,
                QStringLiteral(
                    "the chain ends at seq %1, but %2 line %3 (signed %4) vouches for seq %5 "
                    "with hash %6: entries were removed (truncation or rollback)")
                    .arg(scan.summary.lastSeq)
                    .arg(p.file)
                    .arg(p.line)
                    .arg(TimeUtil::toRfc3339(cp.tsMs))
                    .arg(cp.seq)
                    .arg(QString::fromLatin1(cp.hash)) };
        }
        if (at == scan.found.cend() || at->hash != cp.hash)
            return VerifyFinding { VerifyProblem::CheckpointMismatch, stream,
                at == scan.found.cend() ? p.file : at->segment,
                at == scan.found.cend() ? p.line : at->line, cp.seq,
                QStringLiteral("%1 (%2 line %3) signed hash %4 for seq %5, the chain has %6")
                    .arg(what, p.file)
                    .arg(p.line)
                    .arg(QString::fromLatin1(cp.hash))
                    .arg(cp.seq)
                    .arg(at == scan.found.cend() ? QStringLiteral("no such entry")
                                                 : QString::fromLatin1(at->hash)) };
    }
    return std::nullopt;
}

std::optional<VerifyFinding> checkHead(const QString &streamDir, const StreamScanResult &scan)
{
    const QString &stream = scan.summary.name;
    QFile f(AuditFiles::headPath(streamDir));
    const auto mismatch = [&](qint64 seq, const QString &detail) {
        return VerifyFinding { VerifyProblem::HeadMismatch, stream, HeadFile, 1, seq, detail };
    };
    if (!f.exists()) {
        if (scan.summary.entries == 0)
            return std::nullopt;
        return mismatch(0,
            QStringLiteral("head.json is missing; the chain ends at seq %1")
                .arg(scan.summary.lastSeq));
    }
    if (!f.open(QIODevice::ReadOnly))
        return VerifyFinding { VerifyProblem::IoError, stream, HeadFile, 0, 0,
            QStringLiteral("cannot read %1: %2").arg(f.fileName(), f.errorString()) };
    const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
    const qint64 seq = o.value(QStringLiteral("seq")).toInteger(-1);
    const QByteArray hash = o.value(QStringLiteral("hash")).toString().toLatin1();
    const QString segment = o.value(QStringLiteral("segment")).toString();
    if (o.isEmpty() || seq < 0)
        return mismatch(0, QStringLiteral("head.json is not a head object"));
    if (o.value(QStringLiteral("stream")).toString() != stream)
        return mismatch(seq,
            QStringLiteral("head.json names stream \"%1\"")
                .arg(o.value(QStringLiteral("stream")).toString()));
    if (seq != scan.summary.lastSeq || (seq > 0 && hash != scan.summary.lastHash))
        return mismatch(seq,
            QStringLiteral("head.json records seq %1 hash %2, the chain ends at seq %3 hash %4%5")
                .arg(seq)
                .arg(QString::fromLatin1(hash))
                .arg(scan.summary.lastSeq)
                .arg(QString::fromLatin1(scan.summary.lastHash))
                .arg(seq < scan.summary.lastSeq
                        ? QStringLiteral(" (the head is behind the chain: the "
                                         "engine rebuilds it at start)")
                        : QString()));
    // The head names the segment of the last entry, or the active segment right after a rotation.
    const QString withEntry = scan.summary.segments.isEmpty() ? QString() : [&] {
        for (auto it = scan.summary.segments.crbegin(); it != scan.summary.segments.crend(); ++it)
            if (it->entries > 0)
                return it->file;
        return QString();
    }();
    const auto plain = [](QString name) {
        return name.endsWith(QLatin1String(".zst")) ? name.chopped(4) : name;
    };
    if (seq > 0 && segment != plain(withEntry) && segment != plain(scan.lastSegment))
        return mismatch(seq,
            QStringLiteral("head.json names segment %1, the last entry is in %2")
                .arg(segment, withEntry));
    return std::nullopt;
}

} // namespace

AuditVerifier::AuditVerifier(AuditVerifyOptions options)
    : m_options(std::move(options))
{
}

VerifyReport AuditVerifier::run()
{
    VerifyReport report;
    report.startedAtMs = QDateTime::currentMSecsSinceEpoch();
    report.verifiedBy
        = m_options.verifiedBy.isEmpty() ? OperatorIdentity::userAtHost() : m_options.verifiedBy;
    report.dataDir = QDir(m_options.dataDir).absolutePath();
    report.witnessFile = m_options.witnessFile;
    const auto error = [&](const QString &message) {
        report.verdict = VerifyReport::Verdict::Error;
        report.errorMessage = message;
        report.finishedAtMs = QDateTime::currentMSecsSinceEpoch();
        return report;
    };

    const QString auditDir = QDir(report.dataDir).filePath(QStringLiteral("audit"));
    if (!QFileInfo(auditDir).isDir())
        return error(QStringLiteral("no audit chain at %1").arg(auditDir));
    QStringList streams = m_options.streams;
    if (streams.isEmpty())
        streams = AuditFiles::listStreamsIn(auditDir);
    for (const QString &s : std::as_const(streams))
        if (!AuditEntryCodec::isValidStreamName(s))
            return error(
                QStringLiteral("\"%1\" is not a stream name ([a-z0-9][a-z0-9_-]{0,31})").arg(s));

    auto key = loadKey(auditDir, m_options.publicKeyFile, &report.publicKeySource);
    if (!key)
        return error(key.error().message);
    report.keyFingerprint = QString::fromLatin1(key->fingerprint());

    Witness witness;
    if (!m_options.witnessFile.isEmpty()) {
        auto w = loadWitness(m_options.witnessFile);
        if (!w)
            return error(w.error().message);
        witness = std::move(*w);
        for (const SignedPoint &p : std::as_const(witness.points))
            if (m_options.streams.isEmpty() && !streams.contains(p.checkpoint.stream))
                streams << p.checkpoint.stream; // a stream the witness knows must still exist
    }

    qint64 total = 0;
    for (const QString &s : std::as_const(streams))
        for (const auto &seg : AuditFiles::listSegments(QDir(auditDir).filePath(s)))
            total += seg.size;
    qint64 done = 0;
    const auto advance = [&](qint64 bytes) {
        done += bytes;
        if (m_progress)
            m_progress(done, total);
    };

    QThreadPool pool;
    pool.setMaxThreadCount(m_options.threads > 0 ? m_options.threads : QThread::idealThreadCount());
    for (const QString &stream : std::as_const(streams)) {
        const QString streamDir = QDir(auditDir).filePath(stream);
        if (!QFileInfo(streamDir).isDir()) {
            StreamSummary missing;
            missing.name = stream;
            missing.intact = false;
            report.streams.append(missing);
            report.findings.append(VerifyFinding { VerifyProblem::MissingTail, stream, QString(), 0,
                1, QStringLiteral("the stream directory %1 does not exist").arg(streamDir) });
            continue;
        }
        const Loaded loaded = loadCheckpoints(streamDir, stream);
        QList<SignedPoint> witnessed;
        for (const SignedPoint &p : std::as_const(witness.points))
            if (p.checkpoint.stream == stream)
                witnessed.append(p);
        QList<qint64> wanted;
        for (const QList<SignedPoint> *list :
            std::initializer_list<const QList<SignedPoint> *> { &loaded.points, &witnessed })
            for (const SignedPoint &p : *list)
                wanted.append(p.checkpoint.seq);
        std::sort(wanted.begin(), wanted.end());
        wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());

        StreamScanResult scan = Internal::verifyStreamSegments(
            streamDir, stream, m_options, &pool, wanted, advance, m_cancel);
        if (scan.cancelled) {
            report.cancelled = true;
            return error(QStringLiteral("verification cancelled"));
        }
        StreamSummary summary = scan.summary;
        std::optional<VerifyFinding> finding = scan.finding;
        if (!finding)
            finding = loaded.finding;
        if (!finding)
            finding = checkSignedPoints(loaded.points, *key, report.keyFingerprint, scan, &summary);
        if (!finding)
            finding = checkSignedPoints(witnessed, *key, report.keyFingerprint, scan, &summary);
        if (!finding)
            finding = checkHead(streamDir, scan);
        if (finding) {
            summary.intact = false;
            report.findings.append(*finding);
        }
        report.streams.append(summary);
    }
    report.bytesVerified = done;
    report.finishedAtMs = QDateTime::currentMSecsSinceEpoch();
    const bool ioError = std::any_of(report.findings.cbegin(), report.findings.cend(),
        [](const VerifyFinding &f) { return f.problem == VerifyProblem::IoError; });
    report.verdict = ioError        ? VerifyReport::Verdict::Error
        : report.findings.isEmpty() ? VerifyReport::Verdict::Intact
                                    : VerifyReport::Verdict::Tampered;
    if (ioError)
        report.errorMessage = QStringLiteral("a file of the chain could not be read");
    return report;
}

} // namespace Shivx

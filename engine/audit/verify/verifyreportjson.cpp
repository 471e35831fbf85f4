#include "audit/verify/verifyreportjson.h"

#include "core/timeutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace Shivx::VerifyReportJson {

namespace {

QString hex(const QByteArray &h)
{
    return QString::fromLatin1(h);
}

// Reads members strictly and remembers the first one that is missing or mistyped.
class Reader
{
public:
    Reader(const QJsonObject &o, QString path, QString *error)
        : m_o(o)
        , m_path(std::move(path))
        , m_error(error)
    {
    }

    QString string(const char *key)
    {
        return member(key, &QJsonValue::isString, "a string").toString();
    }
    qint64 integer(const char *key)
    {
        const QJsonValue v = member(key, &QJsonValue::isDouble, "an integer");
        if (v.isDouble() && v.toDouble() != double(v.toInteger()))
            fail(key, "an integer");
        return v.toInteger();
    }
    bool boolean(const char *key)
    {
        return member(key, &QJsonValue::isBool, "true or false").toBool();
    }
    qint64 time(const char *key)
    {
        const QString text = string(key);
        if (text.isEmpty())
            return 0;
        const auto t = TimeUtil::parseTimePoint(text, 0);
        if (!t)
            fail(key, "an RFC 3339 time");
        return t ? *t : 0;
    }
    // Calls read(Reader &) for each element of the array `key`, with the element's path
    // ("report.streams[2].segments[0]") for the error.
    template <typename Read> void forEach(const char *key, Read read)
    {
        const QJsonArray items = member(key, &QJsonValue::isArray, "an array").toArray();
        for (int i = 0; i < items.size(); ++i) {
            Reader item(items.at(i).toObject(), path(key) + QStringLiteral("[%1]").arg(i), m_error);
            read(item);
        }
    }
    QString path(const char *key) const { return m_path + QLatin1Char('.') + QLatin1String(key); }

    void fail(const char *key, const char *what)
    {
        if (m_error->isEmpty())
            *m_error = QStringLiteral("%1 must be %2").arg(path(key), QLatin1String(what));
    }

private:
    QJsonValue member(const char *key, bool (QJsonValue::*hasType)() const, const char *what)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (!(v.*hasType)())
            fail(key, what);
        return v;
    }

    QJsonObject m_o;
    QString m_path;
    QString *m_error;
};

QString time(qint64 ms)
{
    return ms ? TimeUtil::toRfc3339(ms) : QString();
}

} // namespace

QJsonObject toJson(const VerifyReport &r)
{
    QJsonArray streams;
    for (const StreamSummary &s : r.streams) {
        QJsonArray segments;
        for (const SegmentSummary &g : s.segments)
            segments.append(QJsonObject { { QStringLiteral("file"), g.file },
                { QStringLiteral("compressed"), g.compressed },
                { QStringLiteral("first_seq"), g.firstSeq },
                { QStringLiteral("last_seq"), g.lastSeq }, { QStringLiteral("entries"), g.entries },
                { QStringLiteral("bytes"), g.bytes } });
        QJsonArray checkpoints;
        for (const CheckpointSummary &c : s.checkpoints)
            checkpoints.append(QJsonObject { { QStringLiteral("seq"), c.seq },
                { QStringLiteral("hash"), hex(c.hash) }, { QStringLiteral("ts"), time(c.tsMs) },
                { QStringLiteral("signature_valid"), c.signatureValid } });
        streams.append(QJsonObject { { QStringLiteral("name"), s.name },
            { QStringLiteral("intact"), s.intact }, { QStringLiteral("entries"), s.entries },
            { QStringLiteral("first_seq"), s.firstSeq }, { QStringLiteral("last_seq"), s.lastSeq },
            { QStringLiteral("first_hash"), hex(s.firstHash) },
            { QStringLiteral("last_hash"), hex(s.lastHash) },
            { QStringLiteral("segments"), segments },
            { QStringLiteral("checkpoints"), checkpoints } });
    }
    QJsonArray findings;
    for (const VerifyFinding &f : r.findings)
        findings.append(QJsonObject { { QStringLiteral("problem"), toString(f.problem) },
            { QStringLiteral("stream"), f.stream }, { QStringLiteral("segment"), f.segment },
            { QStringLiteral("line"), f.line }, { QStringLiteral("seq"), f.seq },
            { QStringLiteral("detail"), f.detail } });
    return QJsonObject { { QStringLiteral("format"), QLatin1String(Format) },
        { QStringLiteral("verdict"), toString(r.verdict) },
        { QStringLiteral("started_at"), time(r.startedAtMs) },
        { QStringLiteral("finished_at"), time(r.finishedAtMs) },
        { QStringLiteral("verified_by"), r.verifiedBy }, { QStringLiteral("data_dir"), r.dataDir },
        { QStringLiteral("key_fingerprint"), r.keyFingerprint },
        { QStringLiteral("public_key_source"), r.publicKeySource },
        { QStringLiteral("witness_file"), r.witnessFile },
        { QStringLiteral("bytes_verified"), r.bytesVerified },
        { QStringLiteral("error"), r.errorMessage }, { QStringLiteral("cancelled"), r.cancelled },
        { QStringLiteral("streams"), streams }, { QStringLiteral("findings"), findings } };
}

Result<VerifyReport> fromJson(const QJsonObject &o)
{
    QString error;
    Reader top(o, QStringLiteral("report"), &error);
    if (top.string("format") != QLatin1String(Format) && error.isEmpty())
        return makeError("audit.report",
            QStringLiteral("not a verification report (format is not \"%1\")")
                .arg(QLatin1String(Format)));
    VerifyReport r;
    const auto verdict = verdictFromString(top.string("verdict"));
    if (!verdict)
        top.fail("verdict", "intact, tampered or error");
    r.verdict = verdict.value_or(VerifyReport::Verdict::Error);
    r.startedAtMs = top.time("started_at");
    r.finishedAtMs = top.time("finished_at");
    r.verifiedBy = top.string("verified_by");
    r.dataDir = top.string("data_dir");
    r.keyFingerprint = top.string("key_fingerprint");
    r.publicKeySource = top.string("public_key_source");
    r.witnessFile = top.string("witness_file");
    r.bytesVerified = top.integer("bytes_verified");
    r.errorMessage = top.string("error");
    r.cancelled = top.boolean("cancelled");
    top.forEach("streams", [&](Reader &s) {
        StreamSummary sum;
        sum.name = s.string("name");
        sum.intact = s.boolean("intact");
        sum.entries = s.integer("entries");
        sum.firstSeq = s.integer("first_seq");
        sum.lastSeq = s.integer("last_seq");
        sum.firstHash = s.string("first_hash").toLatin1();
        sum.lastHash = s.string("last_hash").toLatin1();
        s.forEach("segments", [&](Reader &g) {
            SegmentSummary seg;
            seg.file = g.string("file");
            seg.compressed = g.boolean("compressed");
            seg.firstSeq = g.integer("first_seq");
            seg.lastSeq = g.integer("last_seq");
            seg.entries = g.integer("entries");
            seg.bytes = g.integer("bytes");
            sum.segments.append(seg);
        });
        s.forEach("checkpoints", [&](Reader &c) {
            sum.checkpoints.append(CheckpointSummary { c.integer("seq"),
                c.string("hash").toLatin1(), c.time("ts"), c.boolean("signature_valid") });
        });
        r.streams.append(sum);
    });
    top.forEach("findings", [&](Reader &f) {
        VerifyFinding finding;
        const auto problem = verifyProblemFromString(f.string("problem"));
        if (!problem)
            f.fail("problem", "a known problem code");
        finding.problem = problem.value_or(VerifyProblem::None);
        finding.stream = f.string("stream");
        finding.segment = f.string("segment");
        finding.line = f.integer("line");
        finding.seq = f.integer("seq");
        finding.detail = f.string("detail");
        r.findings.append(finding);
    });
    if (!error.isEmpty())
        return makeError("audit.report", error);
    return r;
}

Result<void> writeFile(const VerifyReport &report, const QString &path)
{
    QSaveFile f(path);
    const QByteArray bytes = QJsonDocument(toJson(report)).toJson(QJsonDocument::Indented);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit())
        return makeError(
            "audit.report", QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    return {};
}

} // namespace Shivx::VerifyReportJson

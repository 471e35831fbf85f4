#pragma once

// Test fixture: the one writer of audit chains on disk in the format docs/audit-format.md
// specifies (segments, .seal files, zstd-compressed rotated segments, head.json, signed
// checkpoints, witness exports), so the verifier, reader and console are tested against real
// files. auditstreamfixture.h layers varied entry content on top of it.
//
// The writer (AuditWriter) is built separately; every byte of a chain goes through
// appendLine()/rotate()/writeHead()/checkpoint() here, which is where the real writer can be
// substituted. Lines are built in the canonical shape directly (a million entries through
// AuditEntryCodec::seal would take minutes in a Debug build) and the first line a builder
// makes is checked against seal(). Link OpenSSL::Crypto and PkgConfig::ZSTD when including this.

#include "audit/auditentry.h"
#include "audit/canonicaljson.h"
#include "audit/checkpointkey.h"
#include "core/timeutil.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <openssl/evp.h>
#include <zstd.h>

#include <functional>
#include <map>
#include <memory>

namespace Shivx::Test {

class ChainBuilder
{
public:
    static constexpr qint64 BaseTsMs = 1795910400000; // 2026-11-29T00:00:00.000Z

    // `dir` is a data directory (the chain goes to dir/audit) or, with AuditDir, the audit
    // directory itself. The checkpoint key is loaded from or created in AUDIT_DIR/keys.
    enum Root { DataDir, AuditDir };
    explicit ChainBuilder(const QString &dir, Root root = DataDir)
        : m_auditDir(root == DataDir ? QDir(dir).filePath(QStringLiteral("audit")) : dir)
    {
        QDir().mkpath(auditDir());
        auto key = CheckpointKey::loadOrCreate(keysDir());
        if (key)
            m_key = std::move(*key);
        else
            m_error = key.error().toString();
    }
    ~ChainBuilder() { finish(); }

    // Empty when everything worked; QVERIFY2(builder.error().isEmpty(), ...) in tests.
    QString error() const { return m_error; }
    const CheckpointKey &key() const { return m_key; }
    QString auditDir() const { return m_auditDir; }
    QString keysDir() const { return QDir(auditDir()).filePath(QStringLiteral("keys")); }
    QString streamDir(const QString &stream) const { return QDir(auditDir()).filePath(stream); }
    static QString segmentName(int n)
    {
        return QStringLiteral("seg-%1.ndjson").arg(n, 6, 10, QLatin1Char('0'));
    }
    QString segmentPath(const QString &stream, int n) const
    {
        return QDir(streamDir(stream)).filePath(segmentName(n));
    }

    // Rotation after this many entries per segment (0 = never), and whether rotated segments
    // are compressed to .zst.
    void setSegmentEntries(qint64 n) { m_segmentEntries = n; }
    void setCompressRotated(bool on) { m_compress = on; }
    // A signed checkpoint after every n entries (0 = only explicit checkpoint() calls).
    void setCheckpointEvery(qint64 n) { m_checkpointEvery = n; }
    // Entries from this seq on carry a different note: the same chain "rewritten" from there.
    void setAlteredFrom(qint64 seq) { m_alteredFrom = seq; }
    // Bytes of padding in each entry's data (the line is about 260 + padding bytes).
    void setPadding(int bytes) { m_padding = bytes; }

    // What entry `seq` says: actor and action as they go between the quotes (JSON-escaped;
    // the builder's seal() check takes them as plain strings), `data` a canonical JSON object.
    struct Content
    {
        QByteArray actor, action, data;
    };
    // Default: actor "tester", action "test.event", data {"i": seq, "note": note(seq)}.
    void setContent(std::function<Content(qint64 seq)> content) { m_content = std::move(content); }
    // Entry `seq` is timestamped firstMs + (seq - 1) * stepMs (default: all at BaseTsMs); the
    // head carries its last entry's time, a checkpoint of entry `seq` that time + seq ms.
    void setTimestamps(qint64 firstMs, qint64 stepMs)
    {
        m_firstTsMs = firstMs;
        m_stepMs = stepMs;
    }
    qint64 tsOf(qint64 seq) const { return m_firstTsMs + (seq - 1) * m_stepMs; }
    Content content(qint64 seq) const
    {
        if (m_content)
            return m_content(seq);
        return { "tester", "test.event",
            "{\"i\":" + QByteArray::number(seq) + ",\"note\":\"" + note(seq).toUtf8() + "\"}" };
    }

    struct StreamState
    {
        int segment = 0;
        qint64 segEntries = 0, segFirstSeq = 0, segBytes = 0;
        QByteArray segPrev;
        qint64 seq = 0;
        QByteArray hash = AuditEntryCodec::genesisHash();
        QString lastSegment; // segment of the last entry
        std::unique_ptr<QFile> file;
    };
    const StreamState &state(const QString &stream) { return m_streams[stream]; }

    // Appends `count` entries to the stream (rotating and checkpointing as configured), then
    // rewrites head.json.
    void append(const QString &stream, qint64 count)
    {
        for (qint64 i = 0; i < count && m_error.isEmpty(); ++i)
            appendEntry(stream);
        writeHead(stream);
    }

    // Appends one entry (rotating and checkpointing as configured) without touching head.json.
    void appendEntry(const QString &stream)
    {
        StreamState &s = open(stream);
        if (m_segmentEntries > 0 && s.segEntries == m_segmentEntries)
            rotate(stream);
        const QByteArray line = makeLine(stream, s);
        appendLine(stream, line);
        if (m_checkpointEvery > 0 && s.seq % m_checkpointEvery == 0)
            checkpoint(stream);
    }

    // Makes the next entry of the stream (seq = state.seq + 1) and updates seq/hash. The first
    // entry a builder makes is also sealed by AuditEntryCodec::seal and must come out identical.
    QByteArray makeLine(const QString &stream, StreamState &s)
    {
        const qint64 seq = s.seq + 1;
        const qint64 tsMs = tsOf(seq);
        if (tsMs != m_tsTextMs) { // most chains have one timestamp: format it once
            m_tsText = TimeUtil::toRfc3339(tsMs).toLatin1();
            m_tsTextMs = tsMs;
        }
        const Content c = content(seq);
        QByteArray hash;
        QByteArray line = canonicalLine(stream.toUtf8(), seq, m_tsText, c, s.hash, &hash);
        if (!m_fastChecked) {
            AuditEntry e;
            e.seq = seq;
            e.tsMs = tsMs;
            e.stream = stream;
            e.actor = QString::fromUtf8(c.actor);
            e.action = QString::fromUtf8(c.action);
            e.data = QJsonDocument::fromJson(c.data).object();
            e.prev = s.hash;
            auto canonical = AuditEntryCodec::seal(e);
            if (!canonical || *canonical != line)
                m_error = QStringLiteral("fast line differs from AuditEntryCodec::seal: %1 vs %2")
                              .arg(QString::fromUtf8(line),
                                  canonical ? QString::fromUtf8(*canonical)
                                            : canonical.error().message);
            m_fastChecked = true;
        }
        s.seq = seq;
        s.hash = hash;
        return line;
    }

    // The canonical line (without "\n") of entry `seq` with RFC 3339 time `ts`, built without
    // AuditEntry/QJsonObject: a million entries take about a second. Sets *hash.
    static QByteArray canonicalLine(const QByteArray &stream, qint64 seq, const QByteArray &ts,
        const Content &c, const QByteArray &prev, QByteArray *hash)
    {
        const QByteArray seqText = QByteArray::number(seq);
        QByteArray line;
        line.reserve(250 + c.actor.size() + c.action.size() + c.data.size());
        line += "{\"action\":\"";
        line += c.action;
        line += "\",\"actor\":\"";
        line += c.actor;
        line += "\",\"data\":";
        line += c.data;
        const qsizetype cut = line.size();
        line += ",\"prev\":\"";
        line += prev;
        line += "\",\"seq\":";
        line += seqText;
        line += ",\"stream\":\"";
        line += stream;
        line += "\",\"ts\":\"";
        line += ts;
        line += "\"}";
        line += prev; // hashed = the line without its hash member, then prev
        *hash = sha256Hex(line);
        line.chop(prev.size());
        return line.insert(cut, ",\"hash\":\"" + *hash + '"');
    }

    QString note(qint64 seq) const
    {
        QString n = (m_alteredFrom > 0 && seq >= m_alteredFrom) ? QStringLiteral("rewritten")
                                                                : QStringLiteral("original");
        return n + QString(m_padding, QLatin1Char('x'));
    }

    void appendLine(const QString &stream, const QByteArray &line)
    {
        StreamState &s = open(stream);
        if (s.segEntries == 0) {
            s.segFirstSeq = s.seq;
            s.segPrev = line.mid(line.indexOf("\"prev\":\"") + 8, 64);
        }
        const QByteArray withNl = line + '\n';
        if (s.file->write(withNl) != withNl.size())
            m_error = QStringLiteral("cannot write %1").arg(s.file->fileName());
        s.segEntries++;
        s.segBytes += withNl.size();
        s.lastSegment = segmentName(s.segment);
    }

    // Seals the active segment, compresses it when configured, and starts the next one.
    void rotate(const QString &stream)
    {
        StreamState &s = open(stream);
        s.file->close();
        const QString path = segmentPath(stream, s.segment);
        QFile f(path);
        f.open(QIODevice::ReadOnly);
        const QByteArray bytes = f.readAll();
        const QJsonObject seal { { QStringLiteral("bytes"), qint64(bytes.size()) },
            { QStringLiteral("entries"), s.segEntries },
            { QStringLiteral("first_seq"), s.segEntries ? s.segFirstSeq : s.seq + 1 },
            { QStringLiteral("last_hash"), QString::fromLatin1(s.hash) },
            { QStringLiteral("last_seq"), s.seq },
            { QStringLiteral("prev"), QString::fromLatin1(s.segEntries ? s.segPrev : s.hash) },
            { QStringLiteral("segment"), segmentName(s.segment) },
            { QStringLiteral("sha256"), QString::fromLatin1(sha256Hex(bytes)) } };
        writeFile(
            QDir(streamDir(stream))
                .filePath(QStringLiteral("seg-%1.seal").arg(s.segment, 6, 10, QLatin1Char('0'))),
            CanonicalJson::serialize(seal).value() + '\n');
        if (m_compress) {
            writeFile(path + QStringLiteral(".zst"), zstd(bytes));
            QFile::remove(path);
        }
        s.file.reset();
        s.segment++;
        s.segEntries = 0;
        s.segBytes = 0;
        openSegment(stream, s);
    }

    void writeHead(const QString &stream)
    {
        StreamState &s = open(stream);
        s.file->flush();
        if (s.seq == 0)
            return;
        writeHeadFile(stream, s.seq, s.hash, s.lastSegment);
    }
    void writeHeadFile(
        const QString &stream, qint64 seq, const QByteArray &hash, const QString &segment)
    {
        const QJsonObject head { { QStringLiteral("hash"), QString::fromLatin1(hash) },
            { QStringLiteral("segment"), segment }, { QStringLiteral("seq"), seq },
            { QStringLiteral("stream"), stream },
            { QStringLiteral("ts"), TimeUtil::toRfc3339(tsOf(seq)) } };
        writeFile(QDir(streamDir(stream)).filePath(QStringLiteral("head.json")),
            CanonicalJson::serialize(head).value() + '\n');
    }

    // Appends a checkpoint of the stream's current last entry, signed with `key` (default: the
    // chain's own key), and returns it.
    Checkpoint checkpoint(const QString &stream, const CheckpointKey *key = nullptr)
    {
        const Checkpoint cp = signedHead(stream, key);
        QFile f(QDir(streamDir(stream)).filePath(QStringLiteral("checkpoints.ndjson")));
        f.open(QIODevice::Append);
        f.write(cp.toLine() + '\n');
        m_checkpoints[stream] = cp;
        return cp;
    }

    // A checkpoint of the stream's last entry, signed with `key` (default: the chain's own key)
    // but not written to checkpoints.ndjson.
    Checkpoint signedHead(const QString &stream, const CheckpointKey *key = nullptr)
    {
        StreamState &s = open(stream);
        Checkpoint cp;
        cp.stream = stream;
        cp.seq = s.seq;
        cp.hash = s.hash;
        cp.tsMs = tsOf(s.seq) + s.seq;
        if (auto signedOk = (key ? key : &m_key)->sign(cp); !signedOk)
            m_error = signedOk.error().toString();
        return cp;
    }

    // A witness export (shivx audit checkpoint export) of the given checkpoints; by default the
    // last checkpoint written for each stream.
    QByteArray witness(QList<Checkpoint> checkpoints = {}) const
    {
        if (checkpoints.isEmpty())
            for (const auto &[stream, cp] : m_checkpoints)
                checkpoints.append(cp);
        QJsonArray cps;
        for (const Checkpoint &cp : checkpoints)
            cps.append(QJsonDocument::fromJson(cp.toLine()).object());
        const QJsonObject w { { QStringLiteral("checkpoints"), cps },
            { QStringLiteral("exported_at"), TimeUtil::toRfc3339(BaseTsMs) },
            { QStringLiteral("key_fingerprint"), QString::fromLatin1(m_key.fingerprint()) },
            { QStringLiteral("public_key_pem"), QString::fromLatin1(m_key.publicKeyPem()) } };
        return CanonicalJson::serialize(w).value();
    }

    void finish()
    {
        for (auto &[name, s] : m_streams)
            if (s.file)
                s.file->flush();
    }

    static QByteArray sha256Hex(const QByteArray &bytes)
    {
        unsigned char md[32];
        unsigned int len = 0;
        EVP_Digest(bytes.constData(), size_t(bytes.size()), md, &len, EVP_sha256(), nullptr);
        return QByteArray(reinterpret_cast<const char *>(md), int(len)).toHex();
    }
    static QByteArray zstd(const QByteArray &bytes)
    {
        ZSTD_CCtx *c = ZSTD_createCCtx();
        ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
        QByteArray out(int(ZSTD_compressBound(size_t(bytes.size()))), Qt::Uninitialized);
        const size_t n = ZSTD_compress2(
            c, out.data(), size_t(out.size()), bytes.constData(), size_t(bytes.size()));
        ZSTD_freeCCtx(c);
        out.resize(ZSTD_isError(n) ? 0 : int(n));
        return out;
    }
    // Replaces the file at `path` with `bytes` (atomically); false when that failed.
    static bool saveFile(const QString &path, const QByteArray &bytes)
    {
        QSaveFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size() && f.commit();
    }
    void writeFile(const QString &path, const QByteArray &bytes)
    {
        if (!saveFile(path, bytes))
            m_error = QStringLiteral("cannot write %1").arg(path);
    }

private:
    StreamState &open(const QString &stream)
    {
        StreamState &s = m_streams[stream];
        if (!s.file) {
            QDir().mkpath(streamDir(stream));
            if (s.segment == 0)
                s.segment = 1;
            openSegment(stream, s);
        }
        return s;
    }
    void openSegment(const QString &stream, StreamState &s)
    {
        s.file = std::make_unique<QFile>(segmentPath(stream, s.segment));
        if (!s.file->open(QIODevice::WriteOnly | QIODevice::Append))
            m_error = QStringLiteral("cannot open %1").arg(s.file->fileName());
    }

    QString m_auditDir;
    QString m_error;
    CheckpointKey m_key;
    std::map<QString, StreamState> m_streams;
    std::map<QString, Checkpoint> m_checkpoints;
    qint64 m_segmentEntries = 0;
    bool m_compress = false;
    qint64 m_checkpointEvery = 0;
    qint64 m_alteredFrom = 0;
    int m_padding = 0;
    std::function<Content(qint64)> m_content;
    qint64 m_firstTsMs = BaseTsMs;
    qint64 m_stepMs = 0;
    qint64 m_tsTextMs = -1;
    QByteArray m_tsText;
    bool m_fastChecked = false;
};

} // namespace Shivx::Test

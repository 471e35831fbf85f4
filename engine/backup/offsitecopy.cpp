#include "backup/offsitecopy.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

#include <csignal>
#include <unistd.h>

namespace Shivx::Backup {

namespace {

// What never leaves the machine: locks of running operations, writes that never finished.
const QStringList kLocalOnly { QStringLiteral("--exclude"), QStringLiteral("/locks/**"),
    QStringLiteral("--exclude"), QStringLiteral("*.tmp-*"), QStringLiteral("--exclude"),
    QStringLiteral("/data/tmp-*") };
const QStringList kNotSnapshots { QStringLiteral("--exclude"), QStringLiteral("/snapshots/**") };

QString sub(const QString &remote, const QString &dir)
{
    return remote.endsWith(QLatin1Char(':')) || remote.endsWith(QLatin1Char('/'))
        ? remote + dir
        : remote + QLatin1Char('/') + dir;
}

struct StepResult
{
    QJsonObject stats; // rclone's last statistics
    int matching = -1; // `check`: files found equal
    QStringList errors; // rclone's error lines, newest last
};

class Runner
{
public:
    Runner(const QString &program, const OffsiteRemote &remote, const Control &control)
        : m_program(program)
        , m_remote(remote)
        , m_control(control)
    {
        m_clock.start();
    }

    Result<StepResult> step(const char *what, const QStringList &args)
    {
        QProcess p;
        p.setProgram(m_program);
        p.setArguments(args + OffsiteCopy::commonArguments(m_remote));
        p.setProcessChannelMode(QProcess::SeparateChannels);
        p.setStandardInputFile(QProcess::nullDevice());
        p.setStandardOutputFile(QProcess::nullDevice());
        // Its own process group, so that cancel and timeout stop rclone and its helpers (ssh).
        p.setChildProcessModifier([] { ::setsid(); });
        p.start();
        if (!p.waitForStarted(10000))
            return makeError("offsite.failed",
                QStringLiteral("off-site copy to %1: cannot start %2: %3")
                    .arg(m_remote.name, m_program, p.errorString()));
        StepResult out;
        QByteArray pending;
        const auto consume = [&] {
            pending += p.readAllStandardError();
            qsizetype nl;
            while ((nl = pending.indexOf('\n')) >= 0) {
                const QByteArray line = pending.left(nl);
                pending.remove(0, nl + 1);
                parse(line, &out);
            }
        };
        const qint64 deadlineMs = qint64(m_remote.timeoutSeconds) * 1000;
        while (!p.waitForFinished(100)) {
            consume();
            const bool cancelled = m_control.cancelled();
            const bool late = m_clock.elapsed() > deadlineMs;
            if (cancelled || late) {
                ::kill(-pid_t(p.processId()), SIGKILL);
                p.waitForFinished(5000);
                if (cancelled)
                    return makeError("backup.cancelled",
                        QStringLiteral("the off-site copy to %1 was cancelled").arg(m_remote.name));
                return makeError("offsite.timeout",
                    QStringLiteral("off-site copy to %1: not done after %2 s (%3); rclone stopped")
                        .arg(m_remote.name)
                        .arg(m_remote.timeoutSeconds)
                        .arg(QLatin1String(what)));
            }
        }
        consume();
        parse(pending, &out);
        if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            const QString detail = out.errors.isEmpty()
                ? QStringLiteral("exit code %1").arg(p.exitCode())
                : out.errors.mid(std::max<qsizetype>(0, out.errors.size() - 3))
                      .join(QStringLiteral("; "));
            return makeError(
                std::strcmp(what, "verify") == 0 ? "offsite.verify_failed" : "offsite.failed",
                QStringLiteral("off-site copy to %1 (%2): %3")
                    .arg(m_remote.name, QLatin1String(what), detail));
        }
        return out;
    }

    // Progress over every step so far plus the running one.
    void parse(const QByteArray &line, StepResult *out)
    {
        if (line.trimmed().isEmpty())
            return;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.isEmpty()) {
            out->errors.append(QString::fromUtf8(line).trimmed()); // not JSON: rclone itself
            return;
        }
        const QString msg = o.value(QStringLiteral("msg")).toString().trimmed();
        const QString level = o.value(QStringLiteral("level")).toString();
        if (level == QLatin1String("error") || level == QLatin1String("critical"))
            out->errors.append(msg);
        static const QRegularExpression matching(QStringLiteral("(\\d+) matching files"));
        if (const auto m = matching.match(msg); m.hasMatch())
            out->matching = m.captured(1).toInt();
        if (o.contains(QStringLiteral("stats"))) {
            out->stats = o.value(QStringLiteral("stats")).toObject();
            if (m_control.progress) {
                Progress pr;
                pr.doneBytes = m_bytesBefore
                    + std::uint64_t(out->stats.value(QStringLiteral("bytes")).toDouble());
                pr.totalBytes = m_bytesBefore
                    + std::uint64_t(out->stats.value(QStringLiteral("totalBytes")).toDouble());
                pr.doneItems = m_filesBefore
                    + std::uint64_t(out->stats.value(QStringLiteral("transfers")).toDouble());
                pr.totalItems = m_filesBefore
                    + std::uint64_t(out->stats.value(QStringLiteral("totalTransfers")).toDouble());
                m_control.progress(pr);
            }
        }
    }

    void account(const StepResult &r, OffsiteReport *report)
    {
        const auto n = [&](const char *key) {
            return std::uint64_t(r.stats.value(QLatin1String(key)).toDouble());
        };
        report->bytesCopied += n("bytes");
        report->filesCopied += n("transfers");
        report->filesDeleted += n("deletes");
        m_bytesBefore = report->bytesCopied;
        m_filesBefore = report->filesCopied;
    }

    qint64 elapsedMs() const { return m_clock.elapsed(); }

private:
    QString m_program;
    const OffsiteRemote &m_remote;
    const Control &m_control;
    QElapsedTimer m_clock;
    std::uint64_t m_bytesBefore = 0;
    std::uint64_t m_filesBefore = 0;
};

} // namespace

QStringList OffsiteCopy::commonArguments(const OffsiteRemote &remote)
{
    QStringList args { QStringLiteral("--use-json-log"), QStringLiteral("--stats"),
        QStringLiteral("500ms"), QStringLiteral("--stats-log-level"), QStringLiteral("NOTICE"),
        QStringLiteral("--retries"), QStringLiteral("3") };
    if (!remote.rcloneConfig.isEmpty())
        args << QStringLiteral("--config") << remote.rcloneConfig;
    if (!remote.bandwidthLimit.isEmpty())
        args << QStringLiteral("--bwlimit") << remote.bandwidthLimit;
    return args;
}

Result<OffsiteReport> OffsiteCopy::run(const QString &repository, const OffsiteRemote &remote,
    const Control &control, const QString &rcloneProgram)
{
    const QString program = rcloneProgram.isEmpty()
        ? QStandardPaths::findExecutable(QStringLiteral("rclone"))
        : rcloneProgram;
    if (program.isEmpty())
        return makeError("offsite.rclone_missing",
            QStringLiteral("off-site copy to %1 needs rclone (Debian package rclone), which is "
                           "not installed")
                .arg(remote.name));
    if (!QDir(repository).exists(QStringLiteral("config")))
        return makeError("offsite.failed",
            QStringLiteral("off-site copy to %1: %2 is not a backup repository (no config file)")
                .arg(remote.name, repository));
    const QString snapshots = QDir(repository).filePath(QStringLiteral("snapshots"));
    const QString remoteSnapshots = sub(remote.remote, QStringLiteral("snapshots"));
    Runner runner(program, remote, control);
    OffsiteReport report;
    struct Step
    {
        const char *what;
        QStringList args;
    };
    // The order is the contract in the header: data before the snapshots that need it,
    // snapshots deleted before the data they needed.
    const QList<Step> steps {
        { "copy data",
            QStringList { QStringLiteral("copy"), repository, remote.remote } + kLocalOnly
                + kNotSnapshots },
        { "copy snapshots",
            QStringList { QStringLiteral("copy"), snapshots, remoteSnapshots } + kLocalOnly },
        { "delete pruned snapshots",
            QStringList { QStringLiteral("sync"), snapshots, remoteSnapshots } + kLocalOnly },
        { "delete pruned data",
            QStringList { QStringLiteral("sync"), repository, remote.remote } + kLocalOnly
                + kNotSnapshots },
    };
    for (const Step &s : steps) {
        if (!QDir(snapshots).exists() && QByteArray(s.what).contains("snapshots"))
            continue; // a repository without a backup yet
        auto r = runner.step(s.what, s.args);
        if (!r)
            return r.error();
        runner.account(*r, &report);
    }
    QStringList check { QStringLiteral("check"), repository, remote.remote,
        QStringLiteral("--one-way") };
    if (remote.verify == OffsiteRemote::Verify::Download)
        check << QStringLiteral("--download");
    else if (remote.verify == OffsiteRemote::Verify::Size)
        check << QStringLiteral("--size-only");
    auto verified = runner.step("verify", check + kLocalOnly);
    if (!verified)
        return verified.error();
    report.filesVerified = std::uint64_t(std::max(0, verified->matching));
    report.durationMs = runner.elapsedMs();
    return report;
}

} // namespace Shivx::Backup

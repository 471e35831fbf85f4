// IntegrityScanner's baseline: verifying it against the audit chain, writing it, and the
// changes made to it from the last check's differences (accept here, restore in
// integrityrestore.cpp, real-time re-checks). Kept apart from integrityscanner.cpp, which
// holds the operations' life cycle, the schedule and the checks.
#include "audit/auditsink.h"
#include "core/clock.h"
#include "integrity/baselineaudit.h"
#include "integrity/integrityscanner.h"
#include "integrity/pathwalker.h"

#include <QJsonObject>
#include <QLoggingCategory>

#include <algorithm>

Q_DECLARE_LOGGING_CATEGORY(lcIntegrity)

namespace Shivx {

namespace {

QString hex(const QByteArray &digest)
{
    return QString::fromLatin1(digest);
}

} // namespace

void IntegrityScanner::setStatus(const IntegrityBaselineStatus &status)
{
    {
        QMutexLocker lock(&m_mutex);
        m_status = status;
    }
    Q_EMIT baselineChanged(status);
}

Result<std::shared_ptr<const Baseline>> IntegrityScanner::verifiedBaseline()
{
    IntegrityBaselineStatus status;
    QByteArray trusted;
    {
        QMutexLocker lock(&m_mutex);
        trusted = m_trustedDigest;
    }
    const QString path = m_store.path();
    const auto fail = [&](Error e) -> Result<std::shared_ptr<const Baseline>> {
        status.error = e;
        setStatus(status);
        return e;
    };
    if (!m_store.exists()) {
        if (!trusted.isEmpty())
            return fail(makeError("integrity.baseline_missing",
                QStringLiteral("baseline %1 is gone, but the audit chain records one with "
                               "digest %2: it was deleted")
                    .arg(path, hex(trusted)),
                { path, hex(trusted) }));
        return fail(makeError("integrity.no_baseline",
            QStringLiteral("no baseline yet: run `shivx integrity init` first"), {}));
    }
    status.exists = true;
    const auto digest = m_store.digest();
    if (!digest)
        return fail(digest.error());
    status.digest = *digest;
    if (trusted.isEmpty())
        return fail(makeError("integrity.baseline_unverified",
            QStringLiteral("baseline %1 has no digest in the audit chain to be checked "
                           "against; run `shivx integrity init` to record a new one")
                .arg(path),
            { path }));
    if (*digest != trusted) {
        bool report = false;
        {
            QMutexLocker lock(&m_mutex);
            report = m_tamperedReported != *digest;
            m_tamperedReported = *digest;
        }
        if (report && m_audit)
            m_audit->record({ AuditStreams::security(), QStringLiteral("engine"),
                QStringLiteral("integrity.baseline_tampered"),
                { { QStringLiteral("path"), path }, { QStringLiteral("expected"), hex(trusted) },
                    { QStringLiteral("actual"), hex(*digest) } },
                0 });
        return fail(makeError("integrity.baseline_tampered",
            QStringLiteral("baseline %1 was changed outside the engine: its digest %2 is not "
                           "the %3 the audit chain recorded at its last update")
                .arg(path, hex(*digest), hex(trusted)),
            { path, hex(*digest), hex(trusted) }));
    }
    std::shared_ptr<const Baseline> loaded;
    {
        QMutexLocker lock(&m_mutex);
        if (m_baseline && m_baselineDigest == *digest)
            loaded = m_baseline;
    }
    if (!loaded) {
        auto b = m_store.load();
        if (!b)
            return fail(b.error());
        loaded = std::make_shared<const Baseline>(std::move(*b));
        QMutexLocker lock(&m_mutex);
        m_baseline = loaded;
        m_baselineDigest = *digest;
    }
    status.verified = true;
    status.files = loaded->files.size();
    status.createdMs = loaded->createdMs;
    status.updatedMs = loaded->updatedMs;
    setStatus(status);
    return loaded;
}

Result<QByteArray> IntegrityScanner::writeBaseline(const Baseline &b, const QString &operation,
    const QString &actor, const QString &reason, qint64 paths)
{
    QByteArray previous;
    {
        QMutexLocker lock(&m_mutex);
        previous = m_status.digest;
    }
    Baseline stored = b;
    if (auto p = protectSnapshots(&stored); !p)
        return p.error();
    const auto digest = m_store.write(stored);
    if (!digest)
        return digest;
    {
        QMutexLocker lock(&m_mutex);
        m_trustedDigest = *digest;
        m_tamperedReported.clear();
        m_baseline = std::make_shared<const Baseline>(std::move(stored));
        m_baselineDigest = *digest;
        ++m_counters.baselineUpdates;
    }
    if (m_audit)
        m_audit->record({ AuditStreams::security(), actor, BaselineAudit::updatedAction(),
            { { QStringLiteral("digest"), hex(*digest) },
                { QStringLiteral("previous"), hex(previous) },
                { QStringLiteral("operation"), operation }, { QStringLiteral("reason"), reason },
                { QStringLiteral("files"), qint64(b.files.size()) },
                { QStringLiteral("paths"), paths } },
            0 });
    // A restore writes the copies' ids unchanged: nothing became unused.
    if (operation != QLatin1String("restore")) {
        std::shared_ptr<const Baseline> written;
        {
            QMutexLocker lock(&m_mutex);
            written = m_baseline;
        }
        pruneSnapshots(*written);
    }
    IntegrityBaselineStatus status;
    status.exists = true;
    status.verified = true;
    status.files = b.files.size();
    status.createdMs = b.createdMs;
    status.updatedMs = b.updatedMs;
    status.digest = *digest;
    setStatus(status);
    return digest;
}

Result<IntegrityScanner::DifferenceOperation> IntegrityScanner::beginDifferenceOperation(
    const QString &operation, const QString &named, const QString &reason, const QString &actor)
{
    beginProgress(operation, IntegrityMode::Full, false);
    DifferenceOperation op;
    op.result.operation = operation;
    op.result.actor = actor;
    op.result.startedMs = m_clock->nowMs();
    if (reason.trimmed().isEmpty())
        return failOperation(op.result,
            makeError("integrity.bad_reason",
                QStringLiteral("%1 needs a reason: it goes into the audit chain").arg(named)));
    const auto last = lastCheck();
    if (!last)
        return failOperation(op.result,
            makeError("integrity.no_check",
                QStringLiteral("nothing to %1: no check has found differences since the "
                               "baseline was written")
                    .arg(operation)));
    const auto baseline = verifiedBaseline();
    if (!baseline)
        return failOperation(op.result, baseline.error());
    op.baseline = *baseline;
    for (const IntegrityDifference &d : last->differences)
        op.byPath.insert(d.path, d);
    return op;
}

Error IntegrityScanner::failOperation(IntegrityResult r, const Error &e)
{
    r.outcome = IntegrityResult::Outcome::Failed;
    r.error = e;
    finish(std::move(r));
    return e;
}

Result<IntegrityResult> IntegrityScanner::runAccept(
    const QStringList &paths, const QString &reason, const QString &actor)
{
    auto op = beginDifferenceOperation(
        QStringLiteral("accept"), QStringLiteral("an accept"), reason, actor);
    if (!op)
        return op.error();
    IntegrityResult &r = op->result;
    const QHash<QString, IntegrityDifference> &byPath = op->byPath;
    const auto refuse
        = [&](const Error &e) -> Result<IntegrityResult> { return failOperation(r, e); };
    const QStringList targets = paths.isEmpty() ? QStringList(byPath.keys()) : paths;
    if (targets.isEmpty())
        return refuse(makeError("integrity.no_difference",
            QStringLiteral("the last check found no differences to accept"), { QString() }));
    for (const QString &p : targets)
        if (!byPath.contains(p))
            return refuse(makeError("integrity.no_difference",
                QStringLiteral("%1: the last check found no difference there").arg(p), { p }));
    setPhase(QStringLiteral("writing"), 0, 0);
    Baseline b = *op->baseline;
    QSet<QString> accepted;
    for (const QString &p : targets) {
        const IntegrityDifference &d = byPath[p];
        bool follow = false;
        for (const IntegrityPathSet &s : m_config.sets)
            if (s.name == d.set)
                follow = s.followSymlinks;
        FileState now;
        if (PathWalker::statPath(p, follow, &now)) {
            now.set = d.set;
            if (now.kind != FileState::Kind::Other)
                FileHasher::hashOne(&now);
            r.bytesHashed += now.kind == FileState::Kind::Regular ? now.size : 0;
            ++r.filesHashed;
            b.files.insert(p, now);
        } else {
            b.files.remove(p);
        }
        accepted.insert(p);
        r.differences.append(d);
    }
    b.updatedMs = m_clock->nowMs();
    const auto digest
        = writeBaseline(b, QStringLiteral("accept"), actor, reason.trimmed(), accepted.size());
    if (!digest)
        return refuse(digest.error());
    r.baselineDigest = *digest;
    {
        QMutexLocker lock(&m_mutex);
        if (m_lastCheck) {
            auto next = std::make_shared<IntegrityResult>(*m_lastCheck);
            next->differences.erase(
                std::remove_if(next->differences.begin(), next->differences.end(),
                    [&](const IntegrityDifference &d) { return accepted.contains(d.path); }),
                next->differences.end());
            m_lastCheck = next;
        }
    }
    finish(r);
    Q_EMIT differencesChanged();
    return r;
}

void IntegrityScanner::mergeRealtime(
    const QStringList &checked, const QList<IntegrityDifference> &differences)
{
    QList<IntegrityDifference> fresh;
    {
        QMutexLocker lock(&m_mutex);
        m_counters.realtimeChecks += checked.size();
        auto next = m_lastCheck ? std::make_shared<IntegrityResult>(*m_lastCheck)
                                : std::make_shared<IntegrityResult>();
        if (!m_lastCheck) {
            next->operation = QStringLiteral("check");
            next->actor = QStringLiteral("engine");
            next->realtime = true;
            next->startedMs = next->finishedMs = m_clock->nowMs();
            next->baselineDigest = m_baselineDigest;
        }
        const QSet<QString> paths(checked.begin(), checked.end());
        QHash<QString, IntegrityDifference> previous;
        for (const IntegrityDifference &d : std::as_const(next->differences))
            if (paths.contains(d.path))
                previous.insert(d.path, d);
        next->differences.erase(
            std::remove_if(next->differences.begin(), next->differences.end(),
                [&](const IntegrityDifference &d) { return paths.contains(d.path); }),
            next->differences.end());
        for (const IntegrityDifference &d : differences) {
            const auto it = previous.constFind(d.path);
            if (it == previous.constEnd() || it->kind != d.kind || it->changed != d.changed
                || it->after.sha256 != d.after.sha256)
                fresh.append(d);
            next->differences.append(d);
        }
        std::sort(next->differences.begin(), next->differences.end(),
            [](const IntegrityDifference &a, const IntegrityDifference &b) {
                return a.path < b.path;
            });
        m_lastCheck = next;
    }
    for (const IntegrityDifference &d : std::as_const(fresh))
        if (m_audit)
            m_audit->record({ AuditStreams::security(), QStringLiteral("engine"),
                QStringLiteral("integrity.realtime_difference"),
                { { QStringLiteral("path"), d.path }, { QStringLiteral("set"), d.set },
                    { QStringLiteral("kind"), toString(d.kind) },
                    { QStringLiteral("attributes"),
                        attributeNames(d.changed).join(QLatin1Char(',')) } },
                0 });
    Q_EMIT differencesChanged();
}

} // namespace Shivx

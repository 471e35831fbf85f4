#include "integrity/integrityservice.h"

#include "core/callonthread.h"

#include <QMetaObject>
#include <QThread>

namespace Shivx {

namespace {

Error notRunning()
{
    return makeError("engine.not_running", QStringLiteral("the engine is not running"));
}

Error busy(const IntegrityProgress &p)
{
    return makeError("integrity.busy",
        QStringLiteral("an integrity %1 is running already; wait for it or cancel it")
            .arg(p.operation.isEmpty() ? QStringLiteral("operation") : p.operation),
        { p.operation });
}

} // namespace

IntegrityService::IntegrityService(IntegrityConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
}

bool IntegrityService::isBusy() const
{
    IntegrityScanner *s = m_scanner.load();
    return s && s->busy();
}

IntegrityBaselineStatus IntegrityService::baselineStatus() const
{
    IntegrityScanner *s = m_scanner.load();
    if (s)
        return s->baselineStatus();
    IntegrityBaselineStatus status;
    status.error = notRunning();
    return status;
}

std::shared_ptr<const IntegrityResult> IntegrityService::lastCheck() const
{
    IntegrityScanner *s = m_scanner.load();
    return s ? s->lastCheck() : nullptr;
}

std::shared_ptr<const IntegrityResult> IntegrityService::lastOperation() const
{
    IntegrityScanner *s = m_scanner.load();
    return s ? s->lastOperation() : nullptr;
}

IntegrityProgress IntegrityService::progress() const
{
    IntegrityScanner *s = m_scanner.load();
    return s ? s->progress() : IntegrityProgress();
}

IntegrityCounters IntegrityService::counters() const
{
    IntegrityScanner *s = m_scanner.load();
    return s ? s->counters() : IntegrityCounters();
}

Result<IntegrityScanner *> IntegrityService::begin()
{
    IntegrityScanner *s = m_scanner.load();
    if (!s)
        return notRunning();
    if (m_config.sets.isEmpty())
        return makeError("integrity.not_configured",
            QStringLiteral("no path sets are configured (integrity.sets in the configuration "
                           "file)"));
    if (!s->tryBegin())
        return busy(s->progress());
    return s;
}

Result<void> IntegrityService::init(const QString &actor, const QString &reason)
{
    const auto s = begin();
    if (!s)
        return s.error();
    IntegrityScanner *scanner = *s;
    QMetaObject::invokeMethod(
        scanner, [scanner, actor, reason] { scanner->runInit(actor, reason); },
        Qt::QueuedConnection);
    return {};
}

Result<void> IntegrityService::check(IntegrityMode mode, const QString &actor)
{
    const auto s = begin();
    if (!s)
        return s.error();
    IntegrityScanner *scanner = *s;
    QMetaObject::invokeMethod(
        scanner, [scanner, mode, actor] { scanner->runCheck(mode, actor, false); },
        Qt::QueuedConnection);
    return {};
}

Result<void> IntegrityService::cancel(const QString &actor)
{
    IntegrityScanner *s = m_scanner.load();
    if (!s)
        return notRunning();
    if (!s->cancel(QStringLiteral("cancelled by %1").arg(actor), actor))
        return makeError("integrity.idle", QStringLiteral("no integrity operation is running"));
    return {};
}

Result<IntegrityResult> IntegrityService::accept(
    const QStringList &paths, const QString &reason, const QString &actor)
{
    return blocking([&](IntegrityScanner *s) { return s->runAccept(paths, reason, actor); });
}

Result<IntegrityResult> IntegrityService::restore(
    const QStringList &paths, const QString &reason, const QString &actor)
{
    return blocking(
        [&](IntegrityScanner *s) { return s->runRestore(paths, reason, actor, false); });
}

Result<IntegrityResult> IntegrityService::blocking(
    const std::function<Result<IntegrityResult>(IntegrityScanner *)> &operation)
{
    const auto s = begin();
    if (!s)
        return s.error();
    IntegrityScanner *scanner = *s;
    if (scanner->thread() == QThread::currentThread())
        return operation(scanner);
    Result<IntegrityResult> result = notRunning();
    callOnThread(scanner, [&] { result = operation(scanner); });
    return result;
}

QString IntegrityService::snapshotStore() const
{
    IntegrityScanner *s = m_scanner.load();
    return s ? s->snapshotStore() : QString();
}

QStringList IntegrityService::snapshotWarnings() const
{
    IntegrityScanner *s = m_scanner.load();
    return s ? s->snapshotWarnings() : QStringList();
}

} // namespace Shivx

#pragma once

#include "core/result.h"
#include "degradation/degradationconfig.h"
#include "degradation/degradationsnapshot.h"

#include <QObject>

#include <atomic>
#include <memory>

namespace Shivx {

class DegradationController;

// The public face of graceful degradation (docs/degradation.md): the level in effect with
// its reason and feature map, and the operator's pin. Used by the API routes, the console's
// Degradation and Overview pages. Lives on the Engine's thread for the Engine's lifetime;
// every method is thread-safe and cheap (a snapshot pointer copy), so services may poll it.
class DegradationService : public QObject
{
    Q_OBJECT
public:
    explicit DegradationService(DegradationConfig config, QObject *parent = nullptr);

    // Before start and after stop: NORMAL with reason "engine not running".
    DegradationSnapshot snapshot() const;
    std::shared_ptr<const DegradationSnapshot> snapshotPtr() const;
    const DegradationConfig &config() const { return m_config; }

    // Pins `level` for `durationMs` with a reason; `actor` is audited ("console:alice").
    // Errors: engine.not_running, degradation.bad_reason, degradation.bad_duration.
    Result<DegradationSnapshot> pin(
        DegradationLevel level, const QString &reason, qint64 durationMs, const QString &actor);
    // Ends the pin. Errors: engine.not_running, degradation.not_pinned.
    Result<DegradationSnapshot> release(const QString &actor);

    // The degradation runtime's part: the controller of the running engine, or null.
    void setController(DegradationController *controller) { m_controller.store(controller); }

Q_SIGNALS:
    // The level, pin, reason or recovery in progress changed (Engine's thread).
    void changed(const Shivx::DegradationSnapshot &snapshot);

private:
    const DegradationConfig m_config;
    std::atomic<DegradationController *> m_controller { nullptr };
    std::shared_ptr<const DegradationSnapshot> m_stopped; // what snapshot() says without one
};

} // namespace Shivx

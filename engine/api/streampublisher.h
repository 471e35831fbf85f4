#pragma once

#include "telemetry/historystore.h"

#include <QJsonObject>
#include <QMutex>
#include <QString>

namespace Shivx {

class StreamHub;

// Where the engine's threads publish into the live stream (ModuleHost::stream()). The
// Engine owns it for its whole life, longer than any HttpApi and its StreamHub: the audit
// writer, for one, appends its last entries after the API's thread has ended, and would
// otherwise call into a deleted hub. Rejected alternative: disconnecting every producer before
// the API goes, which each module would have to remember.
//
// Thread-safe; publishing without an attached hub (API off or stopped) does nothing.
class StreamPublisher
{
public:
    // See StreamHub::publish and publishSamples.
    void publish(const QString &kind, const QString &name, QJsonObject message);
    void publishSamples(const QList<SamplePoint> &points);

    // Called by the hub: itself when set up, null from its destructor.
    void attach(StreamHub *hub);

private:
    QMutex m_mutex; // held while publishing, so the hub's destructor waits for a publisher
    StreamHub *m_hub = nullptr;
};

} // namespace Shivx

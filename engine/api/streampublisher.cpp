#include "api/streampublisher.h"

#include "api/streamhub.h"

namespace Shivx {

void StreamPublisher::publish(const QString &kind, const QString &name, QJsonObject message)
{
    QMutexLocker l(&m_mutex);
    if (m_hub)
        m_hub->publish(kind, name, std::move(message));
}

void StreamPublisher::publishSamples(const QList<SamplePoint> &points)
{
    QMutexLocker l(&m_mutex);
    if (m_hub)
        m_hub->publishSamples(points);
}

void StreamPublisher::attach(StreamHub *hub)
{
    QMutexLocker l(&m_mutex);
    m_hub = hub;
}

} // namespace Shivx

#pragma once

#include "api/apiroute.h"
#include "recovery/processsnapshot.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>

namespace Shivx {

class Clock;
class ProcessSupervisor;

// The supervisor's part of the HTTP API and of /metrics.
//   GET  /api/processes                      every supervised process (no token)
//   POST /api/processes/NAME/start|stop|restart   token required; 404 for unknown names
class ProcessApi
{
public:
    // Routes whose handlers call only the supervisor's thread-safe methods.
    static QList<ApiRoute> routes(ProcessSupervisor *supervisor, Clock *clock);
    static QJsonObject toJson(const ProcessSnapshot &s, qint64 nowMs);
    // shivx_supervised_process_up, _restarts_total, _start_time_seconds.
    static QByteArray metrics(const QList<ProcessSnapshot> &processes);
};

} // namespace Shivx

#include "recovery/processapi.h"

#include "core/clock.h"
#include "core/timeutil.h"
#include "recovery/processsupervisor.h"
#include "telemetry/prometheusexposition.h"

#include <QJsonArray>

namespace Shivx {

QJsonObject ProcessApi::toJson(const ProcessSnapshot &s, qint64 nowMs)
{
    const bool running = s.state == ProcessState::Running && s.startedAtMs > 0;
    QJsonObject o { { QStringLiteral("name"), s.name },
        { QStringLiteral("state"), toString(s.state) },
        { QStringLiteral("pid"), s.pid > 0 ? QJsonValue(s.pid) : QJsonValue() },
        { QStringLiteral("uptime_ms"), running ? QJsonValue(nowMs - s.startedAtMs) : QJsonValue() },
        { QStringLiteral("restarts"), s.restarts },
        { QStringLiteral("crash_loop"), s.state == ProcessState::CrashLoop },
        { QStringLiteral("restarts_in_window"), s.restartsInWindow },
        { QStringLiteral("log"), s.logPath } };
    o.insert(QStringLiteral("started_at"),
        s.startedAtMs > 0 ? QJsonValue(TimeUtil::toRfc3339(s.startedAtMs)) : QJsonValue());
    o.insert(QStringLiteral("next_start_at"),
        s.nextStartAtMs > 0 ? QJsonValue(TimeUtil::toRfc3339(s.nextStartAtMs)) : QJsonValue());
    if (s.hasExited) {
        o.insert(QStringLiteral("last_exit"),
            QJsonObject { { QStringLiteral("code"),
                              s.lastExitSignal ? QJsonValue() : QJsonValue(s.lastExitCode) },
                { QStringLiteral("signal"),
                    s.lastExitSignal ? QJsonValue(s.lastExitSignal) : QJsonValue() },
                { QStringLiteral("at"), TimeUtil::toRfc3339(s.lastExitMs) } });
    } else {
        o.insert(QStringLiteral("last_exit"), QJsonValue());
    }
    if (!s.lastError.isEmpty())
        o.insert(QStringLiteral("error"), s.lastError);
    return o;
}

QList<ApiRoute> ProcessApi::routes(ProcessSupervisor *supervisor, Clock *clock)
{
    ApiRoute list;
    list.path = QStringLiteral("/api/processes");
    list.methods = { "GET" };
    list.handler = [supervisor, clock](const ApiRequest &) {
        QJsonArray items;
        const qint64 now = clock->nowMs();
        for (const ProcessSnapshot &s : supervisor->snapshot())
            items.append(toJson(s, now));
        return ApiReply::json(200, { { QStringLiteral("processes"), items } });
    };

    ApiRoute control;
    control.path = QStringLiteral("/api/processes/");
    control.prefix = true;
    control.methods = { "POST" };
    control.requiresToken = true;
    control.maxBodyBytes = ApiRoute::jsonBodyLimit; // the action is in the path; clients send {}
    control.handler = [supervisor, clock](const ApiRequest &request) {
        const QStringList parts = request.pathTail.split(QLatin1Char('/'));
        if (parts.size() != 2 || parts.at(0).isEmpty())
            return ApiReply::error(404, QStringLiteral("not_found"),
                QStringLiteral("expected /api/processes/NAME/start|stop|restart"));
        const QString &name = parts.at(0);
        const QString &action = parts.at(1);
        bool (ProcessSupervisor::*op)(const QString &, const QString &) = nullptr;
        if (action == QLatin1String("start"))
            op = &ProcessSupervisor::startProcess;
        else if (action == QLatin1String("stop"))
            op = &ProcessSupervisor::stopProcess;
        else if (action == QLatin1String("restart"))
            op = &ProcessSupervisor::restartProcess;
        else
            return ApiReply::error(404, QStringLiteral("not_found"),
                QStringLiteral("\"%1\" is not an action (start, stop, restart)").arg(action));
        if (!(supervisor->*op)(name, QStringLiteral("api")))
            return ApiReply::error(404, QStringLiteral("unknown_process"),
                QStringLiteral("no supervised process named \"%1\"").arg(name));
        // The request is queued to the supervisor thread; the reply says it was accepted.
        return ApiReply::json(202,
            { { QStringLiteral("process"), name }, { QStringLiteral("action"), action },
                { QStringLiteral("accepted"), true },
                { QStringLiteral("at"), TimeUtil::toRfc3339(clock->nowMs()) } });
    };
    return { list, control };
}

QByteArray ProcessApi::metrics(const QList<ProcessSnapshot> &processes)
{
    if (processes.isEmpty())
        return {};
    PrometheusWriter w;
    using L = PrometheusWriter::Labels;
    const QString label = QStringLiteral("process");
    w.family("shivx_supervised_process_up", "gauge",
        "1 when the supervised process is running, else 0.");
    for (const ProcessSnapshot &s : processes)
        w.sample("shivx_supervised_process_up", L { { label, s.name } },
            s.state == ProcessState::Running ? 1 : 0);
    w.family("shivx_supervised_process_restarts_total", "counter",
        "Starts of the supervised process after its first, for any reason.");
    for (const ProcessSnapshot &s : processes)
        w.sample("shivx_supervised_process_restarts_total", L { { label, s.name } }, s.restarts);
    w.family("shivx_supervised_process_start_time_seconds", "gauge",
        "Unix time the supervised process last started (0 = never).");
    for (const ProcessSnapshot &s : processes)
        w.sample("shivx_supervised_process_start_time_seconds", L { { label, s.name } },
            double(s.startedAtMs) / 1000.0);
    return w.take();
}

} // namespace Shivx

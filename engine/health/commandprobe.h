#pragma once

#include "health/probe.h"

#include <QByteArray>

QT_BEGIN_NAMESPACE
class QProcess;
QT_END_NAMESPACE

namespace Shivx {

// Runs command with args (when args is empty, command is split like a shell line, so
// "curl -fsS http://x/health" works) and passes on exit code 0 within the timeout. The child
// runs in its own process group; on timeout or cancel the whole group gets SIGKILL, so a
// shell script's children go too, and the child is reaped before the result is reported.
// Stdout is discarded; the first line of stderr goes into the failure text.
class CommandProbe : public Probe
{
    Q_OBJECT
public:
    CommandProbe(const TargetSpec &spec, Clock *clock, QObject *parent = nullptr);
    ~CommandProbe() override;

protected:
    void begin() override;
    void onTimeout() override;
    void abortWork() override;

private:
    void onFinished(int exitCode, int exitStatus);
    void killGroup();
    void releaseProcess();
    QString firstStderrLine() const;

    QProcess *m_process = nullptr;
    QByteArray m_stderr;
    bool m_timedOut = false;
};

} // namespace Shivx

#pragma once

#include <QObject>

class QSocketNotifier;

namespace Shivx {

// Delivers SIGINT and SIGTERM to the event loop of the thread that creates this object,
// through a signalfd, so that shutdown runs as ordinary code (stop the engine, flush
// history, save settings) instead of inside an async-signal handler.
class TerminationSignals : public QObject
{
    Q_OBJECT
public:
    // Blocks SIGINT and SIGTERM in the calling thread and in every thread it starts later,
    // so that no worker thread takes them. Call first thing in main(), before any thread.
    static void blockInAllThreads();

    explicit TerminationSignals(QObject *parent = nullptr);
    ~TerminationSignals() override;

    // The last signal received (SIGINT or SIGTERM), or 0.
    int lastSignal() const { return m_last; }

Q_SIGNALS:
    void received(int signalNumber);

private:
    int m_fd = -1;
    int m_last = 0;
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace Shivx

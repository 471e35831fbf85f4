#pragma once

#include <QObject>

class QSocketNotifier;

namespace Shivx {

// Delivers SIGINT and SIGTERM to the event loop of the thread that creates this object,
// through a signalfd, so that shutdown runs as ordinary code (stop the engine, flush
// history, save settings) instead of inside an async-signal handler. With Hangup::Deliver,
// SIGHUP comes the same way as hangupReceived() (a daemon's "reload your configuration").
class TerminationSignals : public QObject
{
    Q_OBJECT
public:
    // Default: SIGHUP keeps its default action (terminate), as for any terminal program.
    enum class Hangup { Default, Deliver };

    // Blocks SIGINT and SIGTERM (and SIGHUP with Hangup::Deliver) in the calling thread and
    // in every thread it starts later, so that no worker thread takes them. Call first thing
    // in main(), before any thread, with the same Hangup as the object created later.
    static void blockInAllThreads(Hangup hangup = Hangup::Default);

    explicit TerminationSignals(QObject *parent = nullptr);
    explicit TerminationSignals(Hangup hangup, QObject *parent = nullptr);
    ~TerminationSignals() override;

    // The last signal received (SIGINT or SIGTERM), or 0.
    int lastSignal() const { return m_last; }

Q_SIGNALS:
    // SIGINT or SIGTERM arrived; emitted on the creating thread.
    void received(int signalNumber);
    // SIGHUP arrived (only with Hangup::Deliver); emitted on the creating thread.
    void hangupReceived();

private:
    int m_fd = -1;
    int m_last = 0;
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace Shivx

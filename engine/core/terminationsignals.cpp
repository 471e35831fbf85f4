#include "core/terminationsignals.h"

#include <QSocketNotifier>

#include <csignal>
#include <pthread.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace Shivx {

namespace {
sigset_t terminationSet(TerminationSignals::Hangup hangup)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    if (hangup == TerminationSignals::Hangup::Deliver)
        sigaddset(&set, SIGHUP);
    return set;
}
} // namespace

void TerminationSignals::blockInAllThreads(Hangup hangup)
{
    const sigset_t set = terminationSet(hangup);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

TerminationSignals::TerminationSignals(QObject *parent)
    : TerminationSignals(Hangup::Default, parent)
{
}

TerminationSignals::TerminationSignals(Hangup hangup, QObject *parent)
    : QObject(parent)
{
    const sigset_t set = terminationSet(hangup);
    m_fd = ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    if (m_fd < 0)
        return;
    m_notifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        signalfd_siginfo info {};
        while (::read(m_fd, &info, sizeof info) == ssize_t(sizeof info)) {
            if (int(info.ssi_signo) == SIGHUP) {
                Q_EMIT hangupReceived();
                continue;
            }
            m_last = int(info.ssi_signo);
            Q_EMIT received(m_last);
        }
    });
}

TerminationSignals::~TerminationSignals()
{
    delete m_notifier;
    if (m_fd >= 0)
        ::close(m_fd);
}

} // namespace Shivx

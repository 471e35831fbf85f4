#include "health/curlmulti.h"

#include <QPointer>
#include <QSocketNotifier>
#include <QTimer>

#include <curl/curl.h>

#include <cerrno>
#include <limits>
#include <sys/epoll.h>
#include <unistd.h>

namespace Shivx {

namespace {

// Keeps the idle pool small: beyond this many, easy handles are freed.
constexpr int MaxIdleEasies = 64;
// Sockets handled per epoll_wait; more ready ones are picked up by the next call.
constexpr int MaxEvents = 64;

// curl_global_init is thread-safe since 7.84 (Debian 12 ships 7.88); the function-local static
// makes it run once however many monitors start. Never cleaned up: the process exit does that,
// and a cleanup could race with another thread's transfer.
void initCurlOnce()
{
    static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
    Q_UNUSED(init);
}

} // namespace

CurlMulti::CurlMulti(QObject *parent)
    : QObject(parent)
{
    initCurlOnce();
    m_multi = curl_multi_init();
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (m_multi && m_epoll < 0) {
        curl_multi_cleanup(m_multi);
        m_multi = nullptr;
    }
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] { act(CURL_SOCKET_TIMEOUT, 0); });
    if (!m_multi)
        return;
    m_ready = new QSocketNotifier(qintptr(m_epoll), QSocketNotifier::Read, this);
    connect(m_ready, &QSocketNotifier::activated, this, &CurlMulti::onReady);
    curl_multi_setopt(m_multi, CURLMOPT_SOCKETFUNCTION, &CurlMulti::onSocket);
    curl_multi_setopt(m_multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(m_multi, CURLMOPT_TIMERFUNCTION, &CurlMulti::onTimer);
    curl_multi_setopt(m_multi, CURLMOPT_TIMERDATA, this);
}

CurlMulti::~CurlMulti()
{
    if (m_multi) {
        // The owners of the easy handles clean those up themselves.
        const QList<CURL *> easies = m_done.keys();
        m_done.clear();
        for (CURL *easy : easies)
            curl_multi_remove_handle(m_multi, easy);
        curl_multi_cleanup(m_multi);
    }
    for (CURL *easy : std::as_const(m_idleEasies))
        curl_easy_cleanup(easy);
    delete m_ready; // before its descriptor is closed
    m_ready = nullptr;
    if (m_epoll >= 0)
        ::close(m_epoll);
}

CURL *CurlMulti::takeEasy()
{
    if (!m_idleEasies.isEmpty())
        return m_idleEasies.takeLast();
    return curl_easy_init();
}

void CurlMulti::recycle(CURL *easy)
{
    if (!easy)
        return;
    remove(easy);
    if (m_idleEasies.size() >= MaxIdleEasies) {
        curl_easy_cleanup(easy);
        return;
    }
    // Back to default options; curl keeps only its buffers (the multi owns connections and the
    // DNS cache, and the probes turn the TLS session cache off).
    curl_easy_reset(easy);
    m_idleEasies.append(easy);
}

bool CurlMulti::add(CURL *easy, Done done)
{
    if (!m_multi || !easy)
        return false;
    m_done.insert(easy, std::move(done));
    if (curl_multi_add_handle(m_multi, easy) != CURLM_OK) {
        m_done.remove(easy);
        return false;
    }
    // Start it now instead of on the 0 ms timer curl just asked for: one event-loop turn less
    // per probe. curl re-arms (or stops) the timer through onTimer. A transfer that ends at
    // once (connection refused) is reported from the event loop, never from inside add().
    int running = 0;
    curl_multi_socket_action(m_multi, CURL_SOCKET_TIMEOUT, 0, &running);
    if (running < int(m_done.size()) && !m_drainQueued) {
        m_drainQueued = true;
        QTimer::singleShot(0, this, [this] {
            m_drainQueued = false;
            drainCompleted();
        });
    }
    return true;
}

void CurlMulti::remove(CURL *easy)
{
    if (!m_multi || !m_done.remove(easy))
        return;
    curl_multi_remove_handle(m_multi, easy);
}

int CurlMulti::onSocket(CURL *easy, int fd, int what, void *self, void *socketData)
{
    Q_UNUSED(easy);
    auto *multi = static_cast<CurlMulti *>(self);
    // socketData marks a descriptor already in the epoll set (curl_multi_assign below).
    const bool known = socketData != nullptr;
    if (what == CURL_POLL_REMOVE) {
        // curl calls this before it closes the socket; an error (already closed) is harmless.
        if (known)
            ::epoll_ctl(multi->m_epoll, EPOLL_CTL_DEL, fd, nullptr);
        curl_multi_assign(multi->m_multi, fd, nullptr);
        return 0;
    }
    epoll_event ev {};
    ev.data.fd = fd;
    ev.events = (what == CURL_POLL_IN || what == CURL_POLL_INOUT ? EPOLLIN : 0u)
        | (what == CURL_POLL_OUT || what == CURL_POLL_INOUT ? EPOLLOUT : 0u);
    if (known) {
        if (::epoll_ctl(multi->m_epoll, EPOLL_CTL_MOD, fd, &ev) == 0)
            return 0;
        // A descriptor curl closed and reopened under the same number left the set on close.
    }
    if (::epoll_ctl(multi->m_epoll, EPOLL_CTL_ADD, fd, &ev) != 0 && errno == EEXIST)
        ::epoll_ctl(multi->m_epoll, EPOLL_CTL_MOD, fd, &ev);
    // Any non-null marker will do: the value is never dereferenced.
    curl_multi_assign(multi->m_multi, fd, multi);
    return 0;
}

int CurlMulti::onTimer(CURLM *multi, long timeoutMs, void *self)
{
    Q_UNUSED(multi);
    auto *that = static_cast<CurlMulti *>(self);
    if (timeoutMs < 0) {
        that->m_timer->stop();
        return 0;
    }
    // 0 means "as soon as possible", but never from inside this callback: the event loop runs
    // it next. Coarse timing is fine: curl's deadlines here are its internal steps (happy
    // eyeballs, DNS), while the probe's own timeout is a precise timer of its own.
    that->m_timer->start(int(qMin<long>(timeoutMs, long(std::numeric_limits<int>::max()))));
    return 0;
}

void CurlMulti::onReady()
{
    if (!m_multi)
        return;
    epoll_event events[MaxEvents];
    const int n = ::epoll_wait(m_epoll, events, MaxEvents, 0);
    QPointer<CurlMulti> alive(this);
    for (int i = 0; i < n && alive; ++i) {
        int flags = 0;
        if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLRDHUP))
            flags |= CURL_CSELECT_IN;
        if (events[i].events & EPOLLOUT)
            flags |= CURL_CSELECT_OUT;
        if (events[i].events & EPOLLERR)
            flags |= CURL_CSELECT_ERR;
        act(events[i].data.fd, flags);
    }
}

void CurlMulti::act(int fd, int events)
{
    if (!m_multi)
        return;
    int running = 0;
    curl_multi_socket_action(m_multi, curl_socket_t(fd), events, &running);
    drainCompleted();
}

void CurlMulti::drainCompleted()
{
    QPointer<CurlMulti> alive(this);
    int queued = 0;
    while (alive && m_multi) {
        CURLMsg *msg = curl_multi_info_read(m_multi, &queued);
        if (!msg)
            break;
        if (msg->msg != CURLMSG_DONE)
            continue;
        CURL *easy = msg->easy_handle;
        const CURLcode code = msg->data.result;
        Done done = m_done.take(easy);
        curl_multi_remove_handle(m_multi, easy);
        // The callback may delete this object (the monitor stopping) or remove other handles,
        // whose queued messages curl then drops; `msg` is not touched after this point.
        if (done)
            done(int(code));
    }
}

} // namespace Shivx

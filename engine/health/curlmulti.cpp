#include "health/curlmulti.h"

#include <QPointer>
#include <QSocketNotifier>
#include <QTimer>

#include <curl/curl.h>

#include <limits>

namespace Shivx {

namespace {

// curl_global_init is thread-safe since 7.84 (Debian 12 ships 7.88); the function-local static
// makes it run once however many monitors start. Never cleaned up: the process exit does that,
// and a cleanup could race with another thread's transfer.
void initCurlOnce()
{
    static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
    Q_UNUSED(init);
}

} // namespace

namespace {

// Keeps the idle pools small: beyond this many, handles and notifiers are freed.
constexpr int MaxIdle = 64;

} // namespace

// The notifiers of one socket curl watches. They are disabled before they go back to the idle
// pool, so a new socket that reuses the descriptor never meets a live notifier for the old one.
struct CurlMulti::Watch
{
    QSocketNotifier *read = nullptr;
    QSocketNotifier *write = nullptr;
};

CurlMulti::CurlMulti(QObject *parent)
    : QObject(parent)
{
    initCurlOnce();
    m_multi = curl_multi_init();
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] { act(CURL_SOCKET_TIMEOUT, 0); });
    if (m_multi) {
        curl_multi_setopt(m_multi, CURLMOPT_SOCKETFUNCTION, &CurlMulti::onSocket);
        curl_multi_setopt(m_multi, CURLMOPT_SOCKETDATA, this);
        curl_multi_setopt(m_multi, CURLMOPT_TIMERFUNCTION, &CurlMulti::onTimer);
        curl_multi_setopt(m_multi, CURLMOPT_TIMERDATA, this);
    }
}

CurlMulti::~CurlMulti()
{
    if (!m_multi)
        return;
    // Removing a handle makes curl report its sockets as CURL_POLL_REMOVE, which frees the
    // watches; the owners of the easy handles clean those up themselves.
    const QList<CURL *> easies = m_done.keys();
    m_done.clear();
    for (CURL *easy : easies)
        curl_multi_remove_handle(m_multi, easy);
    curl_multi_cleanup(m_multi);
    // Sockets curl still held (none with connection reuse off) go with the notifiers, which
    // are children of this object.
    qDeleteAll(m_watches);
    for (CURL *easy : std::as_const(m_idleEasies))
        curl_easy_cleanup(easy);
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
    if (m_idleEasies.size() >= MaxIdle) {
        curl_easy_cleanup(easy);
        return;
    }
    // Back to default options; curl keeps only its buffers (the multi owns connections and the
    // DNS cache, and the probes turn the TLS session cache off).
    curl_easy_reset(easy);
    m_idleEasies.append(easy);
}

QSocketNotifier *CurlMulti::notifier(int fd, QSocketNotifier::Type type)
{
    for (qsizetype i = m_idleNotifiers.size() - 1; i >= 0; --i) {
        QSocketNotifier *n = m_idleNotifiers.at(i);
        if (n->type() == type) {
            m_idleNotifiers.removeAt(i);
            n->setSocket(qintptr(fd)); // leaves it disabled
            return n;
        }
    }
    auto *n = new QSocketNotifier(qintptr(fd), type, this);
    n->setEnabled(false);
    const int events = type == QSocketNotifier::Read ? CURL_CSELECT_IN : CURL_CSELECT_OUT;
    connect(n, &QSocketNotifier::activated, this,
        [this, events](QSocketDescriptor socket) { act(int(qintptr(socket)), events); });
    return n;
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
    auto *watch = static_cast<Watch *>(socketData);
    auto retire = [multi](QSocketNotifier *&n) {
        if (!n)
            return;
        n->setEnabled(false);
        if (multi->m_idleNotifiers.size() < MaxIdle)
            multi->m_idleNotifiers.append(n);
        else
            n->deleteLater(); // this may run inside the notifier's own activated() emission
        n = nullptr;
    };
    if (what == CURL_POLL_REMOVE) {
        if (watch) {
            retire(watch->read);
            retire(watch->write);
            multi->m_watches.remove(watch);
            delete watch;
        }
        return 0;
    }
    if (!watch) {
        watch = new Watch;
        multi->m_watches.insert(watch);
        curl_multi_assign(multi->m_multi, fd, watch);
    }
    auto want = [multi, fd](QSocketNotifier *&n, QSocketNotifier::Type type, bool on) {
        if (!on) {
            if (n)
                n->setEnabled(false);
            return;
        }
        if (!n)
            n = multi->notifier(fd, type);
        n->setEnabled(true);
    };
    want(watch->read, QSocketNotifier::Read, what == CURL_POLL_IN || what == CURL_POLL_INOUT);
    want(watch->write, QSocketNotifier::Write, what == CURL_POLL_OUT || what == CURL_POLL_INOUT);
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

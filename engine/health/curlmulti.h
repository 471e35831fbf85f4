#pragma once

#include <QHash>
#include <QList>
#include <QObject>

#include <functional>

class QSocketNotifier;
class QTimer;

// libcurl's own spelling (curl/curl.h declares the same), so this header needs no curl include.
typedef void CURL; // NOLINT(modernize-use-using)
typedef void CURLM; // NOLINT(modernize-use-using)

namespace Shivx {

// One libcurl multi handle driven by the Qt event loop of the thread it lives on. curl says
// which sockets to watch (CURLMOPT_SOCKETFUNCTION) and they go into one epoll set; a single
// QSocketNotifier watches that set, and one single-shot timer serves curl's own deadlines
// (CURLMOPT_TIMERFUNCTION). Nothing blocks and no thread is added, so many transfers in flight
// cost sockets, not threads.
//
// Why not QNetworkAccessManager: it runs HTTP on an internal thread (two thread hops per
// request) and allocates a reply, a request and socket objects per probe; with fifty targets
// at 1 s the engine spent three times Monit's CPU (bench/engine_cpu). Why one epoll set rather
// than a QSocketNotifier per socket: with Qt's GLib event dispatcher every notifier enabled or
// disabled adds or removes a poll source and wakes the loop through its eventfd, five times per
// probe; epoll_ctl on a set the loop never sees change costs a fraction of that.
//
// Not thread-safe: create, use and delete it on one thread (the probe thread). A completed
// transfer's callback runs from the event loop after curl has returned, so it may add or remove
// transfers and delete the object that owns the easy handle. Deleting the CurlMulti removes
// every transfer still in it without calling back.
class CurlMulti : public QObject
{
    Q_OBJECT
public:
    // The CURLcode of the completed transfer (CURLE_OK = 0).
    using Done = std::function<void(int curlCode)>;

    explicit CurlMulti(QObject *parent = nullptr);
    ~CurlMulti() override;

    // An easy handle with default options: a recycled one when there is one, since creating
    // and freeing a handle per probe cost more than the rest of the probe's bookkeeping.
    // Null on failure.
    CURL *takeEasy();
    // Takes `easy` back (removing it first if it is in flight) for a later takeEasy().
    void recycle(CURL *easy);

    // Starts `easy` (fully configured by the caller, who keeps ownership). `done` is called once
    // when it completes, unless remove() comes first; never from inside add(). False if curl
    // refused the handle.
    bool add(CURL *easy, Done done);
    // Stops `easy` without a callback; a no-op for a handle that is not in this multi.
    void remove(CURL *easy);
    int transfers() const { return int(m_done.size()); }

private:
    static int onSocket(CURL *easy, int fd, int what, void *self, void *socketData);
    static int onTimer(CURLM *multi, long timeoutMs, void *self);
    void onReady();
    void act(int fd, int events);
    void drainCompleted();

    CURLM *m_multi = nullptr;
    int m_epoll = -1;
    QSocketNotifier *m_ready = nullptr; // on m_epoll
    QTimer *m_timer = nullptr;
    bool m_drainQueued = false;
    QHash<CURL *, Done> m_done;
    QList<CURL *> m_idleEasies;
};

} // namespace Shivx

#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QSocketNotifier>

#include <functional>

class QTimer;

// libcurl's own spelling (curl/curl.h declares the same), so this header needs no curl include.
typedef void CURL; // NOLINT(modernize-use-using)
typedef void CURLM; // NOLINT(modernize-use-using)

namespace Shivx {

// One libcurl multi handle driven by the Qt event loop of the thread it lives on: a
// QSocketNotifier per socket curl asks to watch (CURLMOPT_SOCKETFUNCTION) and one single-shot
// timer for curl's own deadlines (CURLMOPT_TIMERFUNCTION). Nothing blocks and no thread is
// added, so many transfers in flight cost sockets, not threads.
//
// Chosen over QNetworkAccessManager for the HTTP probes because a request through the manager
// crosses threads twice (Qt runs HTTP on an internal thread) and allocates a reply, request and
// socket objects per probe; the probe thread spent ~0.28 ms of CPU per probe there, three times
// Monit's cost for the same check (bench/engine_cpu).
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
    // and freeing a handle per probe was a tenth of the probe thread's CPU. Null on failure.
    CURL *takeEasy();
    // Takes `easy` back (removing it first if it is in flight) for a later takeEasy().
    void recycle(CURL *easy);

    // Starts `easy` (fully configured by the caller, who keeps ownership). `done` is called once
    // when it completes, unless remove() comes first. False if curl refused the handle.
    bool add(CURL *easy, Done done);
    // Stops `easy` without a callback; a no-op for a handle that is not in this multi.
    void remove(CURL *easy);
    int transfers() const { return int(m_done.size()); }

private:
    struct Watch;
    static int onSocket(CURL *easy, int fd, int what, void *self, void *socketData);
    static int onTimer(CURLM *multi, long timeoutMs, void *self);
    void act(int fd, int events);
    void drainCompleted();
    QSocketNotifier *notifier(int fd, QSocketNotifier::Type type);

    CURLM *m_multi = nullptr;
    QTimer *m_timer = nullptr;
    QHash<CURL *, Done> m_done;
    QSet<Watch *> m_watches;
    // Notifiers and easy handles are reused: a probe opens one socket and each new one used to
    // cost an allocation, a connection and a deferred delete (an extra event-loop turn).
    QList<QSocketNotifier *> m_idleNotifiers;
    QList<CURL *> m_idleEasies;
};

} // namespace Shivx

#pragma once

#include "health/probe.h"

#include <QByteArray>
#include <QPointer>

QT_BEGIN_NAMESPACE
class QNetworkAccessManager;
class QNetworkReply;
QT_END_NAMESPACE

namespace Shivx {

// GET url; passes when the status equals expectStatus and, if bodyContains is set, the first
// MaxBodyBytes of the body contain it. Redirects are not followed: a 301 is reported as the
// status it is ("HTTP 301 (expected 200), redirect to ..."), because a health endpoint that
// redirects usually points at a login page, and following it would hide that. No proxy is
// used: the probe checks the service, not the path through a proxy. Each probe opens its own
// HTTP/1.1 connection. tlsVerify = false ignores certificate errors for this target only.
class HttpProbe : public Probe
{
    Q_OBJECT
public:
    static constexpr qint64 MaxBodyBytes = 1024 * 1024;

    HttpProbe(const TargetSpec &spec, Clock *clock, QNetworkAccessManager *network,
        QObject *parent = nullptr);
    ~HttpProbe() override;

protected:
    void begin() override;
    void abortWork() override;

private:
    void onReadyRead();
    void evaluate();
    void releaseReply();

    QPointer<QNetworkAccessManager> m_network;
    // Guarded: the reply is a child of the manager, which the monitor may delete first.
    QPointer<QNetworkReply> m_reply;
    QByteArray m_body;
    bool m_truncated = false;
};

} // namespace Shivx

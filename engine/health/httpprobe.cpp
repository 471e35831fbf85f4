#include "health/httpprobe.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslError>

namespace Shivx {

namespace {

// Transport failures in the words an operator uses; Qt's errorString() is the fallback
// because it names the less common cases (proxy, protocol) well enough.
QString describeNetworkError(QNetworkReply *reply)
{
    const QString host = reply->url().host();
    switch (reply->error()) {
    case QNetworkReply::ConnectionRefusedError:
        return QStringLiteral("connection refused");
    case QNetworkReply::RemoteHostClosedError:
        return QStringLiteral("connection closed by the server before a complete response");
    case QNetworkReply::HostNotFoundError:
        return QStringLiteral("host not found: %1").arg(host);
    case QNetworkReply::TimeoutError:
        return QStringLiteral("connection timed out");
    case QNetworkReply::SslHandshakeFailedError:
        return QStringLiteral("TLS handshake failed: %1").arg(reply->errorString());
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::TemporaryNetworkFailureError:
        return QStringLiteral("network unreachable: %1").arg(reply->errorString());
    default:
        return reply->errorString();
    }
}

} // namespace

HttpProbe::HttpProbe(
    const TargetSpec &spec, Clock *clock, QNetworkAccessManager *network, QObject *parent)
    : Probe(spec, clock, parent)
    , m_network(network)
{
}

HttpProbe::~HttpProbe()
{
    releaseReply();
}

void HttpProbe::begin()
{
    const QUrl &url = m_spec.url;
    if (!url.isValid()
        || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
        finishLater(QStringLiteral("not an http(s) URL: %1").arg(url.toString()));
        return;
    }
    if (!m_network) {
        finishLater(QStringLiteral("network access is not available"));
        return;
    }
    QNetworkRequest request(url);
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(
        QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("ShivX-Probe/1"));
    // A fresh connection per probe: a pooled keep-alive connection would hide an expired
    // certificate or a listener that stopped accepting, and would let a tls_verify: false
    // connection be reused by a target that verifies. HTTP/1.1 only, because "Connection"
    // is not allowed in HTTP/2.
    request.setRawHeader("Connection", "close");
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    m_reply = m_network->get(request);
    // Bounds what Qt buffers for us; onReadyRead keeps at most MaxBodyBytes.
    m_reply->setReadBufferSize(64 * 1024);
    connect(m_reply, &QIODevice::readyRead, this, &HttpProbe::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &HttpProbe::evaluate);
#if QT_CONFIG(ssl)
    if (!m_spec.tlsVerify) {
        // Per reply, so the other targets on the shared manager still verify.
        connect(m_reply, &QNetworkReply::sslErrors, m_reply,
            [reply = m_reply](const QList<QSslError> &) { reply->ignoreSslErrors(); });
    }
#endif
}

void HttpProbe::onReadyRead()
{
    if (!m_reply || isDone())
        return;
    const qint64 room = MaxBodyBytes - m_body.size();
    if (room > 0)
        m_body += m_reply->read(room);
    if (m_body.size() >= MaxBodyBytes) {
        // Enough to judge; the rest of a huge body is not worth the bandwidth.
        m_truncated = m_reply->bytesAvailable() > 0 || !m_reply->isFinished();
        evaluate();
    }
}

void HttpProbe::evaluate()
{
    if (!m_reply || isDone())
        return;
    if (m_body.size() < MaxBodyBytes)
        m_body += m_reply->read(MaxBodyBytes - m_body.size());

    const QVariant statusAttr = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!statusAttr.isValid()) {
        const QString error = m_reply->error() == QNetworkReply::NoError
            ? QStringLiteral("no HTTP response")
            : describeNetworkError(m_reply);
        finish(false, error);
        releaseReply();
        return;
    }
    const int status = statusAttr.toInt();
    if (status != m_spec.expectStatus) {
        QString error
            = QStringLiteral("HTTP %1 (expected %2)").arg(status).arg(m_spec.expectStatus);
        const QByteArray location = m_reply->rawHeader("Location");
        if (status >= 300 && status < 400 && !location.isEmpty())
            error += QStringLiteral(", redirect to %1").arg(QString::fromUtf8(location));
        finish(false, error);
        releaseReply();
        return;
    }
    // Codes below 200 are transport failures (reset mid-body, TLS); above are Qt's mapping of
    // the HTTP status, which was already judged against expectStatus.
    if (m_reply->isFinished() && m_reply->error() != QNetworkReply::NoError
        && m_reply->error() < QNetworkReply::ContentAccessDenied) {
        finish(false, describeNetworkError(m_reply));
        releaseReply();
        return;
    }
    if (!m_spec.bodyContains.isEmpty() && !m_body.contains(m_spec.bodyContains.toUtf8())) {
        QString error = QStringLiteral("body does not contain \"%1\"").arg(m_spec.bodyContains);
        if (m_truncated)
            error += QStringLiteral(" in its first MiB");
        finish(false, error);
        releaseReply();
        return;
    }
    finish(true);
    releaseReply();
}

void HttpProbe::abortWork()
{
    releaseReply();
}

void HttpProbe::releaseReply()
{
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply.data();
    m_reply.clear();
    disconnect(reply, nullptr, this, nullptr);
    if (!reply->isFinished())
        reply->abort();
    // Later: this may run inside the reply's own finished() emission.
    reply->deleteLater();
}

} // namespace Shivx

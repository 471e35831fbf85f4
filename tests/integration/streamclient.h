#pragma once

// A real QWebSocket client of /api/stream that records what it receives and how it ended.

#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QNetworkRequest>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <functional>

class StreamClient
{
public:
    StreamClient()
    {
        QObject::connect(&ws, &QWebSocket::connected, [this] {
            connected = true;
            if (!firstMessage.isEmpty())
                ws.sendTextMessage(QString::fromUtf8(firstMessage));
        });
        QObject::connect(&ws, &QWebSocket::disconnected, [this] {
            disconnected = true;
            closeCode = int(ws.closeCode());
            closeReason = ws.closeReason();
        });
        QObject::connect(&ws, &QWebSocket::textMessageReceived, [this](const QString &text) {
            messages.append(QJsonDocument::fromJson(text.toUtf8()).object());
        });
    }

    // Closed without the close handshake: Qt 6.4's QWebSocket leaks its close reason when it
    // is destroyed still connected (LeakSanitizer in the sanitizer build).
    ~StreamClient() { ws.abort(); }

    // Opens ws://... (`url` is the engine's http:// URL plus path); `first` is sent as the
    // first message once connected (e.g. the token).
    void open(QUrl url, const QByteArray &first = {}, const QByteArray &authorization = {},
        const QStringList &subprotocols = {})
    {
        url.setScheme(QStringLiteral("ws"));
        firstMessage = first;
        QNetworkRequest request(url);
        if (!authorization.isEmpty())
            request.setRawHeader("Authorization", authorization);
        QWebSocketHandshakeOptions options;
        options.setSubprotocols(subprotocols);
        ws.open(request, options);
    }

    // The first message of `type` (and matching `extra`, if given) within `timeoutMs`.
    QJsonObject waitFor(const QString &type, int timeoutMs = 15000,
        const std::function<bool(const QJsonObject &)> &extra = {})
    {
        QElapsedTimer t;
        t.start();
        qsizetype seen = 0;
        while (t.elapsed() < timeoutMs) {
            for (; seen < messages.size(); ++seen) {
                const QJsonObject &m = messages.at(seen);
                if (m.value(QStringLiteral("type")).toString() == type && (!extra || extra(m)))
                    return m;
            }
            if (disconnected)
                break;
            QTest::qWait(20);
        }
        return {};
    }

    QStringList types() const
    {
        QStringList out;
        for (const QJsonObject &m : messages)
            out.append(m.value(QStringLiteral("type")).toString());
        return out;
    }

    QWebSocket ws;
    QByteArray firstMessage;
    bool connected = false;
    bool disconnected = false;
    int closeCode = -1;
    QString closeReason;
    QList<QJsonObject> messages;
};

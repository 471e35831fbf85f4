// CanonicalJson must produce exactly the bytes of Python's
//   json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
// The expected bytes below were produced by that Python expression.
#include "audit/canonicaljson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>
#include <limits>

using namespace Shivx;

class TstCanonicalJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void serializes_data()
    {
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QByteArray>("expected");
        const auto obj = [](std::initializer_list<QPair<QString, QJsonValue>> l) {
            return QJsonValue(QJsonObject(l));
        };
        QTest::newRow("empty object") << obj({}) << QByteArray("{}");
        QTest::newRow("ascii string") << QJsonValue(QStringLiteral("abc")) << QByteArray("\"abc\"");
        QTest::newRow("quote and backslash")
            << QJsonValue(QStringLiteral("a\"b\\c")) << QByteArray("\"a\\\"b\\\\c\"");
        QTest::newRow("short escapes \\b \\f \\n \\r \\t")
            << QJsonValue(QStringLiteral("\b\f\n\r\t")) << QByteArray("\"\\b\\f\\n\\r\\t\"");
        QTest::newRow("control chars as lowercase \\u00xx incl \\u001f")
            << QJsonValue(QString(QChar(0x01)) + QChar(0x1f) + QChar(0x0b))
            << QByteArray("\"\\u0001\\u001f\\u000b\"");
        QTest::newRow("NUL") << QJsonValue(QString(QChar(0))) << QByteArray("\"\\u0000\"");
        QTest::newRow("DEL is not escaped")
            << QJsonValue(QString(QChar(0x7f))) << QByteArray("\"\x7f\"");
        QTest::newRow("slash is not escaped")
            << QJsonValue(QStringLiteral("a/b")) << QByteArray("\"a/b\"");
        QTest::newRow("unicode as UTF-8, not \\u")
            << QJsonValue(QStringLiteral("é€日本"))
            << QByteArray("\"\xc3\xa9\xe2\x82\xac\xe6\x97\xa5\xe6\x9c\xac\"");
        QTest::newRow("non-BMP as UTF-8 (4 bytes)") << QJsonValue(
            QString::fromUtf8("\xf0\x9f\x98\x80")) << QByteArray("\"\xf0\x9f\x98\x80\"");
        QTest::newRow("U+2028 line separator stays raw")
            << QJsonValue(QString(QChar(0x2028))) << QByteArray("\"\xe2\x80\xa8\"");
        QTest::newRow("integers") << QJsonValue(QJsonArray { 0, -1, 42, qint64(1) << 40 })
                                  << QByteArray("[0,-1,42,1099511627776]");
        QTest::newRow("+2^53") << QJsonValue(qint64(9007199254740992))
                               << QByteArray("9007199254740992");
        QTest::newRow("-2^53") << QJsonValue(qint64(-9007199254740992))
                               << QByteArray("-9007199254740992");
        QTest::newRow("integral double written as integer") << QJsonValue(3.0) << QByteArray("3");
        QTest::newRow("true false null") << QJsonValue(QJsonArray { true, false, QJsonValue() })
                                         << QByteArray("[true,false,null]");
        QTest::newRow("keys sorted") << obj(
            { { QStringLiteral("b"), 1 }, { QStringLiteral("a"), 2 }, { QStringLiteral("B"), 3 } })
                                     << QByteArray("{\"B\":3,\"a\":2,\"b\":1}");
        // UTF-16 order would put U+1F600 (D83D DE00) before U+FFFF; code point order (Python's)
        // after.
        QTest::newRow("key order by code point incl. non-BMP")
            << obj({ { QString::fromUtf8("\xf0\x9f\x98\x80"), 1 }, { QString(QChar(0xffff)), 2 },
                   { QString(QChar(0xe9)), 3 } })
            << QByteArray("{\"\xc3\xa9\":3,\"\xef\xbf\xbf\":2,\"\xf0\x9f\x98\x80\":1}");
        QTest::newRow("nested objects and arrays")
            << obj({ { QStringLiteral("z"),
                         QJsonObject { { QStringLiteral("y"),
                             QJsonArray { 1,
                                 QJsonObject { { QStringLiteral("b"), 2 },
                                     { QStringLiteral("a"), 1 } } } } } },
                   { QStringLiteral("a"), QJsonArray {} } })
            << QByteArray("{\"a\":[],\"z\":{\"y\":[1,{\"a\":1,\"b\":2}]}}");
        QTest::newRow("escaped key") << obj({ { QStringLiteral("k\"\n"), QStringLiteral("v") } })
                                     << QByteArray("{\"k\\\"\\n\":\"v\"}");
    }
    void serializes()
    {
        QFETCH(QJsonValue, value);
        QFETCH(QByteArray, expected);
        const auto r = CanonicalJson::serialize(value);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(*r, expected);
    }

    void rejects_data()
    {
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("decimal") << QJsonValue(QJsonObject { { QStringLiteral("cpu"), 1.5 } })
                                 << QStringLiteral("cpu: 1.5");
        QTest::newRow("decimal in array path")
            << QJsonValue(QJsonObject { { QStringLiteral("a"), QJsonArray { 1, 0.25 } } })
            << QStringLiteral("a[1]");
        QTest::newRow("beyond +2^53")
            << QJsonValue(QJsonObject { { QStringLiteral("n"), 9007199254740994.0 } })
            << QStringLiteral("not an integer within");
        QTest::newRow("beyond -2^53")
            << QJsonValue(QJsonObject { { QStringLiteral("n"), -9007199254740994.0 } })
            << QStringLiteral("not an integer within");
        QTest::newRow("infinity") << QJsonValue(
            QJsonObject { { QStringLiteral("n"), std::numeric_limits<double>::infinity() } })
                                  << QStringLiteral("n:");
        QTest::newRow("lone surrogate in value")
            << QJsonValue(QJsonObject { { QStringLiteral("s"), QString(QChar(0xd800)) } })
            << QStringLiteral("lone UTF-16 surrogate");
        QTest::newRow("lone surrogate in key")
            << QJsonValue(QJsonObject { { QString(QChar(0xdc00)), 1 } })
            << QStringLiteral("lone UTF-16 surrogate");
    }
    void rejects()
    {
        QFETCH(QJsonValue, value);
        QFETCH(QString, messagePart);
        const auto r = CanonicalJson::serialize(value);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(messagePart), qPrintable(r.error().message));
    }

    void nanIsRejectedOrNull()
    {
        // QJsonValue turns NaN into null itself (Qt 6.4); either way no "NaN" text is written.
        const auto r = CanonicalJson::serialize(QJsonValue(std::nan("")));
        QVERIFY(!r.ok() || *r == "null");
    }
};

QTEST_GUILESS_MAIN(TstCanonicalJson)
#include "tst_canonicaljson.moc"

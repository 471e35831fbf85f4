#include "api/hostcheck.h"

#include <QTest>

using namespace Shivx;

Q_DECLARE_METATYPE(HostCheck::Verdict)

class TstHostCheck : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void verdicts_data()
    {
        QTest::addColumn<QByteArray>("host");
        QTest::addColumn<HostCheck::Verdict>("verdict");
        using V = HostCheck::Verdict;
        QTest::newRow("IPv4") << QByteArray("127.0.0.1") << V::Allowed;
        QTest::newRow("IPv4:port") << QByteArray("127.0.0.1:8087") << V::Allowed;
        QTest::newRow("another IPv4 (a scrape of the LAN address)")
            << QByteArray("192.168.1.20:8087") << V::Allowed;
        QTest::newRow("[IPv6]") << QByteArray("[::1]") << V::Allowed;
        QTest::newRow("[IPv6]:port") << QByteArray("[::1]:8087") << V::Allowed;
        QTest::newRow("[IPv6 mapped IPv4]:port")
            << QByteArray("[::ffff:127.0.0.1]:1") << V::Allowed;
        QTest::newRow("localhost") << QByteArray("localhost") << V::Allowed;
        QTest::newRow("localhost:port, any case, trailing dot")
            << QByteArray("LocalHost.:8087") << V::Allowed;
        QTest::newRow("the listen host") << QByteArray("engine-7:8087") << V::Allowed;
        QTest::newRow("allow-listed") << QByteArray("Shivx.Internal") << V::Allowed;
        QTest::newRow("empty port") << QByteArray("localhost:") << V::Allowed;

        QTest::newRow("rebinding name") << QByteArray("rebind.evil.example") << V::Forbidden;
        QTest::newRow("rebinding name:port")
            << QByteArray("rebind.evil.example:8087") << V::Forbidden;
        QTest::newRow("a name under localhost")
            << QByteArray("localhost.evil.example") << V::Forbidden;
        QTest::newRow("short IPv4 form is a name") << QByteArray("127.1") << V::Forbidden;
        QTest::newRow("octet over 255 is a name") << QByteArray("1.2.3.256") << V::Forbidden;

        QTest::newRow("empty") << QByteArray("") << V::Malformed;
        QTest::newRow("IPv6 without brackets") << QByteArray("::1") << V::Malformed;
        QTest::newRow("unclosed bracket") << QByteArray("[::1") << V::Malformed;
        QTest::newRow("IPv4 in brackets") << QByteArray("[127.0.0.1]") << V::Malformed;
        QTest::newRow("junk after bracket") << QByteArray("[::1]x") << V::Malformed;
        QTest::newRow("port not a number") << QByteArray("localhost:http") << V::Malformed;
        QTest::newRow("port too large") << QByteArray("localhost:65536") << V::Malformed;
        QTest::newRow("user info") << QByteArray("user@localhost") << V::Malformed;
        QTest::newRow("empty label") << QByteArray("a..b") << V::Malformed;
        QTest::newRow("space") << QByteArray("local host") << V::Malformed;
    }
    void verdicts()
    {
        QFETCH(QByteArray, host);
        QFETCH(HostCheck::Verdict, verdict);
        const HostCheck check(QStringLiteral("engine-7"), { QStringLiteral("shivx.internal") });
        QCOMPARE(check.check(host), verdict);
    }

    void listenAddressIsNotAName()
    {
        // An IP listen host adds no name; localhost is always there.
        const HostCheck check(QStringLiteral("0.0.0.0"), {});
        QCOMPARE(check.check("localhost"), HostCheck::Verdict::Allowed);
        QCOMPARE(check.check("0.0.0.0.evil"), HostCheck::Verdict::Forbidden);
    }

    void dnsNames()
    {
        QVERIFY(HostCheck::isDnsName(u"shivx.internal"));
        QVERIFY(HostCheck::isDnsName(u"engine-7."));
        QVERIFY(HostCheck::isDnsName(u"under_score"));
        QVERIFY(!HostCheck::isDnsName(u"10.0.0.1"));
        QVERIFY(!HostCheck::isDnsName(u"host:80"));
        QVERIFY(!HostCheck::isDnsName(u"[::1]"));
        QVERIFY(!HostCheck::isDnsName(u""));
        QVERIFY(!HostCheck::isDnsName(u"http://host"));
        QVERIFY(!HostCheck::isDnsName(u"h\u00e9te"));
    }
};

QTEST_GUILESS_MAIN(TstHostCheck)
#include "tst_hostcheck.moc"

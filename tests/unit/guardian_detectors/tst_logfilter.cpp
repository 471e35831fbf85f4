// LogFilter: the built-in filters on real lines (the sshd lines come from fail2ban's test
// corpus, tests/files/logs/sshd, with the source fail2ban expects), named captures as views
// into the line, and errors for bad patterns.
#include "guardian/detectors/logfilter.h"

#include <QTest>

using namespace Shivx;

class TstLogFilter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sshd_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QByteArray>("source"); // empty: must not match
        QTest::addColumn<QByteArray>("user");
        QTest::newRow("failed password, invalid user")
            << QByteArray("Feb 25 14:34:10 belka sshd[31602]: Failed password for invalid user "
                          "ROOT from 194.117.26.69 port 50273 ssh2")
            << QByteArray("194.117.26.69") << QByteArray("ROOT");
        QTest::newRow("failed password, ipv6, no port")
            << QByteArray("Feb 25 14:34:11 belka sshd[31603]: Failed password for invalid user "
                          "ROOT from aaaa:bbbb:cccc:1234::1:1")
            << QByteArray("aaaa:bbbb:cccc:1234::1:1") << QByteArray("ROOT");
        QTest::newRow("failed password, existing user")
            << QByteArray("Sep 29 16:28:02 spaceman sshd[16699]: Failed password for dan from "
                          "127.0.0.1 port 45416 ssh1")
            << QByteArray("127.0.0.1") << QByteArray("dan");
        QTest::newRow("injection after the port")
            << QByteArray("Sep 29 17:15:02 spaceman sshd[12946]: Failed password for user from "
                          "127.0.0.1 port 20000 ssh1: ruser from 1.2.3.4")
            << QByteArray("127.0.0.1") << QByteArray("user");
        QTest::newRow("injection in the user name")
            << QByteArray("Nov 11 08:04:52 redbamboo sshd[2737]: Failed password for invalid user "
                          "test from 10.10.1.2 port 55555 ssh2 from 127.0.0.1 port 58946 ssh2")
            << QByteArray("127.0.0.1") << QByteArray("test from 10.10.1.2 port 55555 ssh2");
        QTest::newRow("keyboard-interactive")
            << QByteArray("Apr 29 20:13:08 Jamess-iMac.local sshd[63814]: Failed "
                          "keyboard-interactive for james from 205.186.180.42 port 54520 ssh2")
            << QByteArray("205.186.180.42") << QByteArray("james");
        QTest::newRow("keyboard-interactive/pam, invalid user") << QByteArray(
            "Apr 30 01:42:12 Jamess-iMac.local sshd[2554]: Failed "
            "keyboard-interactive/pam for invalid user jamedds from 205.186.180.77 "
            "port 33723 ssh2") << QByteArray("205.186.180.77") << QByteArray("jamedds");
        QTest::newRow("invalid user")
            << QByteArray("Jul 20 14:42:11 localhost sshd[22708]: Invalid user ftp from 192.0.2.1")
            << QByteArray("192.0.2.1") << QByteArray("ftp");
        QTest::newRow("invalid user with port")
            << QByteArray("Jul 20 14:42:12 localhost sshd[22708]: Invalid user ftp from 192.0.2.2 "
                          "port 37220")
            << QByteArray("192.0.2.2") << QByteArray("ftp");
        QTest::newRow("PAM authentication failure")
            << QByteArray("Apr 29 12:53:38 Jamess-iMac.local sshd[47831]: error: PAM: "
                          "authentication failure for james from 205.186.180.88 via 192.168.1.201")
            << QByteArray("205.186.180.88") << QByteArray("james");
        QTest::newRow("PAM Authentication failure, host name")
            << QByteArray("May 29 20:56:52 imago sshd[28732]: error: PAM: Authentication failure "
                          "for stefanor from example.com")
            << QByteArray("example.com") << QByteArray("stefanor");
        QTest::newRow("not in AllowUsers")
            << QByteArray("Feb 25 14:34:11 belka sshd[31607]: User root from example.com not "
                          "allowed because not listed in AllowUsers")
            << QByteArray("example.com") << QByteArray("root");
        QTest::newRow("single-digit day")
            << QByteArray("Feb 7 16:01:07 linux-m899 sshd[5106]: User root from 192.51.100.54 not "
                          "allowed because a group is listed in DenyGroups")
            << QByteArray("192.51.100.54") << QByteArray("root");
        QTest::newRow("ISO timestamp, sshd-session (OpenSSH 9.8)")
            << QByteArray("2026-12-07T08:15:02.123456+00:00 web1 sshd-session[4411]: Failed "
                          "password for invalid user admin from 203.0.113.9 port 51522 ssh2")
            << QByteArray("203.0.113.9") << QByteArray("admin");
        QTest::newRow("accepted: no match") << QByteArray(
            "Nov 28 09:16:03 srv sshd[32307]: Accepted publickey for git from "
            "192.0.2.1 port 57904 ssh2: DSA 36:48:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:"
            "xx:xx:xx") << QByteArray() << QByteArray();
        QTest::newRow("publickey of an existing user: no match")
            << QByteArray("Nov 28 09:16:03 srv sshd[32307]: Failed publickey for git from "
                          "192.0.2.1 port 57904 ssh2: RSA SHA256:abc")
            << QByteArray() << QByteArray();
        QTest::newRow("pam_unix line: counted by the Failed line instead")
            << QByteArray(
                   "Jan 10 10:00:00 host sshd[1234]: pam_unix(sshd:auth): authentication "
                   "failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.7  user=root")
            << QByteArray() << QByteArray();
        QTest::newRow("account locked: no source, no match") << QByteArray(
            "Apr 24 01:39:19 host sshd[3719]: User root not allowed because account "
            "is locked") << QByteArray() << QByteArray();
        QTest::newRow("another program: no match") << QByteArray(
            "Jan 10 10:00:00 host sudo[99]: Failed password for root from 10.0.0.1 "
            "port 22 ssh2") << QByteArray() << QByteArray();
    }

    void sshd()
    {
        QFETCH(QByteArray, line);
        QFETCH(QByteArray, source);
        QFETCH(QByteArray, user);
        const auto f = LogFilter::builtin(QStringLiteral("sshd"));
        QVERIFY2(f.ok(), f.ok() ? "" : qPrintable(f.error().message));
        LogMatch m(*f);
        QCOMPARE(f->match(line, m), !source.isEmpty());
        if (source.isEmpty())
            return;
        QCOMPARE(m.field(LogField::Source).toByteArray(), source);
        QCOMPARE(m.field(LogField::User).toByteArray(), user);
    }

    void combined_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QByteArrayList>("fields"); // source method path status bytes agent
        QTest::newRow("nginx 404 (fail2ban corpus)")
            << QStringLiteral("nginx")
            << QByteArray("12.34.56.78 - - [20/Jan/2015:19:53:28 +0100] \"GET "
                          "//pma/scripts/setup.php HTTP/1.1\" 404 47 \"-\" \"-\" \"-\"")
            << QByteArrayList { "12.34.56.78", "GET", "//pma/scripts/setup.php", "404", "47", "-" };
        QTest::newRow("nginx with user agent")
            << QStringLiteral("nginx")
            << QByteArray("203.0.113.7 - - [07/Dec/2026:08:01:02 +0000] \"POST /wp-login.php "
                          "HTTP/1.1\" 200 3941 \"https://example.org/\" \"Mozilla/5.0 (X11; Linux "
                          "x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\"")
            << QByteArrayList { "203.0.113.7", "POST", "/wp-login.php", "200", "3941",
                   "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0" };
        QTest::newRow("nginx TLS handshake on the plain port")
            << QStringLiteral("nginx")
            << QByteArray("198.51.100.23 - - [07/Dec/2026:08:01:03 +0000] "
                          "\"\\x16\\x03\\x01\\x00\\xF1\\x01\\x00\\x00\" 400 157 \"-\" \"-\"")
            << QByteArrayList { "198.51.100.23", "", "", "400", "157", "-" };
        QTest::newRow("nginx ipv6, escaped quote in the agent")
            << QStringLiteral("nginx")
            << QByteArray("2001:db8::1 - alice [07/Dec/2026:08:01:04 +0000] \"GET /a?q=\\x22x "
                          "HTTP/2.0\" 401 0 \"-\" \"curl/7.88.1 \\x22evil\\x22\"")
            << QByteArrayList { "2001:db8::1", "GET", "/a?q=\\x22x", "401", "0",
                   "curl/7.88.1 \\x22evil\\x22" };
        QTest::newRow("apache (fail2ban corpus)")
            << QStringLiteral("apache")
            << QByteArray("1.2.3.4 - - [05/Mar/2007:14:39:21 +0100] \"POST /123.html/trackback/ "
                          "HTTP/1.0\" 301 459 \"http://www.mydomain.tld/123.html/trackback\" "
                          "\"TrackBack/1.02\"")
            << QByteArrayList { "1.2.3.4", "POST", "/123.html/trackback/", "301", "459",
                   "TrackBack/1.02" };
        QTest::newRow("apache no body, escaped quote")
            << QStringLiteral("apache")
            << QByteArray("192.0.2.44 - bob [07/Dec/2026:09:00:00 +0100] \"HEAD /x HTTP/1.1\" 304 "
                          "- \"-\" \"Agent \\\"quoted\\\"\"")
            << QByteArrayList { "192.0.2.44", "HEAD", "/x", "304", "-", "Agent \\\"quoted\\\"" };
        QTest::newRow("apache common format")
            << QStringLiteral("apache")
            << QByteArray("192.0.2.45 - - [07/Dec/2026:09:00:01 +0100] \"GET / HTTP/1.1\" 200 512")
            << QByteArrayList { "192.0.2.45", "GET", "/", "200", "512", "" };
        QTest::newRow("error log: no match")
            << QStringLiteral("nginx")
            << QByteArray("2026/12/07 08:01:02 [error] 1234#1234: *5 open() \"/var/www/x\" failed "
                          "(2: No such file or directory), client: 203.0.113.7")
            << QByteArrayList {};
    }

    void combined()
    {
        QFETCH(QString, filter);
        QFETCH(QByteArray, line);
        QFETCH(QByteArrayList, fields);
        const auto f = LogFilter::builtin(filter);
        QVERIFY(f.ok());
        LogMatch m(*f);
        QCOMPARE(f->match(line, m), !fields.isEmpty());
        if (fields.isEmpty())
            return;
        const LogField order[] = { LogField::Source, LogField::Method, LogField::Path,
            LogField::Status, LogField::Bytes, LogField::Agent };
        for (int i = 0; i < 6; ++i)
            QCOMPARE(m.field(order[i]).toByteArray(), fields.at(i));
    }

    void capturesAreViewsIntoTheLine()
    {
        const auto f = LogFilter::compile(
            QStringLiteral("^(?<source>\\S+) (?<path>/\\S*) (?<extra>x)?"), QStringLiteral("t"));
        QVERIFY(f.ok());
        const QByteArray line("10.0.0.1 /index.html ");
        LogMatch m(*f);
        QVERIFY(f->match(line, m));
        const QByteArrayView src = m.field(LogField::Source);
        QCOMPARE(src.data(), line.constData()); // no copy: it points into the line
        QCOMPARE(m.named("path"), QByteArrayView("/index.html"));
        QVERIFY(m.named("extra").isNull()); // did not take part
        QVERIFY(m.named("nosuch").isNull());
        QVERIFY(m.field(LogField::User).isNull()); // the filter has no user group
        QVERIFY(f->hasField(LogField::Path));
        QVERIFY(!f->hasField(LogField::Status));
        QCOMPARE(f->groupNames(),
            (QStringList {
                QStringLiteral("source"), QStringLiteral("path"), QStringLiteral("extra") }));
        QVERIFY(!f->match("no", m));
        QVERIFY(m.field(LogField::Source).isNull()); // nothing left over from the last match
    }

    void duplicateNamesTakeTheBranchThatMatched()
    {
        const auto f = LogFilter::compile(
            QStringLiteral("^(?:a=(?<source>\\w+)|b=(?<source>\\w+))$"), QStringLiteral("dup"));
        QVERIFY(f.ok());
        LogMatch m(*f);
        QVERIFY(f->match("b=two", m));
        QCOMPARE(m.field(LogField::Source), QByteArrayView("two"));
        QVERIFY(f->match("a=one", m));
        QCOMPARE(m.field(LogField::Source), QByteArrayView("one"));
    }

    void utf8AndInvalidBytes()
    {
        const auto f = LogFilter::compile(QStringLiteral("user=(?<user>.) from (?<source>\\S+)$"));
        QVERIFY(f.ok());
        LogMatch m(*f);
        // "ü" is two bytes and one character: `.` takes it whole.
        // The captures point into the line: it must outlive them.
        const QByteArray utf8("user=\xc3\xbc from 10.0.0.1");
        QVERIFY(f->match(utf8, m));
        QCOMPARE(m.field(LogField::User).size(), 2);
        // An invalid byte is never matched by a pattern item (PCRE2_MATCH_INVALID_UTF), but it
        // is no error either: the line still matches where the pattern does not cover it.
        QVERIFY(!f->match(QByteArray("user=\xff from 10.0.0.2"), m));
        const auto tail = LogFilter::compile(QStringLiteral("from (?<source>\\S+)$"));
        LogMatch t(*tail);
        const QByteArray invalid("user=\xff\xfe from 10.0.0.2");
        QVERIFY(tail->match(invalid, t));
        QCOMPARE(t.field(LogField::Source), QByteArrayView("10.0.0.2"));
    }

    void jitIsUsed() { QVERIFY(LogFilter::builtin(QStringLiteral("nginx"))->jitCompiled()); }

    void badPatternNamesFilterAndOffset()
    {
        const auto f = LogFilter::compile(
            QStringLiteral("^(?<source>\\S+ (unclosed"), QStringLiteral("guardian.watchers[1]"));
        QVERIFY(!f.ok());
        QCOMPARE(f.error().code, QStringLiteral("guardian.filter.bad_regex"));
        const QString msg = f.error().message;
        QVERIFY2(msg.startsWith(QStringLiteral("guardian.watchers[1]: invalid regular expression "
                                               "at offset 24: missing closing parenthesis")),
            qPrintable(msg));
        QVERIFY(msg.contains(QStringLiteral("(unclosed")));
    }

    void unknownBuiltinListsTheKnownOnes()
    {
        const auto f = LogFilter::builtin(QStringLiteral("postfix"));
        QVERIFY(!f.ok());
        QCOMPARE(f.error().code, QStringLiteral("guardian.filter.unknown_builtin"));
        QVERIFY(f.error().message.contains(QStringLiteral("sshd, nginx, apache")));
    }
};

QTEST_GUILESS_MAIN(TstLogFilter)
#include "tst_logfilter.moc"

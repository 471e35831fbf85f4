// What a live-stream client's filter lets through, and how a bad filter is named.
#include "api/streamfilter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Shivx;

class TestStreamFilter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matches_data()
    {
        QTest::addColumn<QByteArray>("filter");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("wanted");
        QTest::newRow("empty filter: everything") << QByteArray("{}") << "sample"
                                                  << "host.cpu.percent" << true;
        QTest::newRow("kind not listed") << QByteArray(R"({"kinds":["audit"]})") << "sample"
                                         << "host.cpu.percent" << false;
        QTest::newRow("series glob") << QByteArray(R"({"series":["host.cpu.*"]})") << "sample"
                                     << "host.cpu.percent" << true;
        QTest::newRow("series glob, other series")
            << QByteArray(R"({"series":["host.cpu.*"]})") << "sample"
            << "host.mem.used" << false;
        QTest::newRow("'*' crosses '/' in label values")
            << QByteArray(R"({"series":["shivx_api_*"]})") << "sample"
            << "shivx_api_request_duration_seconds_count{route=\"/metrics\"}" << true;
        QTest::newRow("anchored at both ends") << QByteArray(R"({"series":["cpu"]})") << "sample"
                                               << "host.cpu.percent" << false;
        QTest::newRow("regex characters are literal")
            << QByteArray(R"({"series":["a.b"]})") << "sample"
            << "axb" << false;
        QTest::newRow("'?' one character") << QByteArray(R"({"targets":["web?"]})") << "target"
                                           << "web1" << true;
        QTest::newRow("series patterns leave targets alone")
            << QByteArray(R"({"series":["x"]})") << "target"
            << "web" << true;
        QTest::newRow("alerts pass by kind") << QByteArray(R"({"targets":["x"]})") << "alert"
                                             << "Pinned" << true;
    }
    void matches()
    {
        QFETCH(QByteArray, filter);
        QFETCH(QString, kind);
        QFETCH(QString, name);
        QFETCH(bool, wanted);
        const auto f = StreamFilter::fromJson(QJsonDocument::fromJson(filter).object());
        QVERIFY(f);
        QCOMPARE(f->wants(kind, name), wanted);
    }

    void mistakesNamed_data()
    {
        QTest::addColumn<QByteArray>("filter");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown kind")
            << QByteArray(R"({"kinds":["samples"]})") << "kinds: unknown kind \"samples\"";
        QTest::newRow("not a list")
            << QByteArray(R"({"series":"host.*"})") << "series: expected a list of strings";
        QTest::newRow("empty pattern")
            << QByteArray(R"({"targets":["a",""]})") << "targets[1]: expected a non-empty string";
        QByteArray many = R"({"series":[)";
        for (int i = 0; i < 65; ++i)
            many += (i ? "," : "") + QByteArray("\"p\"");
        QTest::newRow("too many patterns") << many + "]}"
                                           << "series: 65 entries, at most 64";
    }
    void mistakesNamed()
    {
        QFETCH(QByteArray, filter);
        QFETCH(QString, error);
        const auto f = StreamFilter::fromJson(QJsonDocument::fromJson(filter).object());
        QVERIFY(!f);
        QVERIFY2(f.error().message.startsWith(error), qPrintable(f.error().message));
    }
};

QTEST_GUILESS_MAIN(TestStreamFilter)
#include "tst_streamfilter.moc"

// CanonicalCheck must accept exactly the canonical serialisation: every object CanonicalJson
// writes, and nothing else. Besides fixed cases, a differential test mutates canonical lines at
// random and requires: accepted <=> Qt parses the bytes and CanonicalJson writes them back
// byte for byte.
#include "audit/canonicaljson.h"
#include "audit/verify/canonicalcheck.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

#include <vector>

using namespace Shivx;
namespace CC = Shivx::Internal::CanonicalCheck;

namespace {

struct Outcome
{
    bool accepted = false; // one object that ends exactly at the end of the bytes
    qint64 end = -1; // offset after the object's closing brace, -1 when refused
    qint64 failedAt = -1; // byte offset of the failure
    QString what;
    int members = 0;
    QList<QByteArray> keys; // of the stored top-level members
    QList<QByteArray> values;
};

// Runs the check on a copy followed by exactly ReadAhead bytes that would mislead a check
// reading past the end (a quote, then a closing brace): ASan flags a read beyond them.
Outcome check(const QByteArray &bytes, int maxMembers = 8)
{
    std::vector<char> buf(size_t(bytes.size()) + CC::ReadAhead, '"');
    std::copy(bytes.cbegin(), bytes.cend(), buf.begin());
    buf[size_t(bytes.size()) + 1] = '}';
    const char *b = buf.data();
    std::vector<CC::Member> members(size_t(std::max(maxMembers, 1)));
    int count = 0;
    CC::Failure failure;
    const char *end
        = CC::checkObject(b, b + bytes.size(), members.data(), maxMembers, &count, &failure);
    Outcome o;
    o.accepted = end == b + bytes.size();
    if (end) {
        o.end = end - b;
        for (int i = 0; i < std::min(count, maxMembers); ++i) {
            o.keys.append(QByteArray(members[size_t(i)].key, members[size_t(i)].keyLength));
            o.values.append(QByteArray(members[size_t(i)].value,
                int(members[size_t(i)].valueEnd - members[size_t(i)].value)));
        }
    } else {
        o.failedAt = failure.at - b;
        o.what = QString::fromLatin1(failure.what);
    }
    o.members = count;
    return o;
}

QString randomText(QRandomGenerator &rng)
{
    static const QList<QString> pieces = { QStringLiteral("a"), QStringLiteral("Z"),
        QStringLiteral("note"), QStringLiteral("\""), QStringLiteral("\\"), QStringLiteral("\n"),
        QString(QChar(0x01)), QString(QChar(0x1f)), QStringLiteral("\t"), QString(QChar(0x7f)),
        QStringLiteral("é"), QStringLiteral("€"), QString::fromUtf8("\xf0\x9f\x98\x80"),
        QStringLiteral("/"), QString(QChar(0x2028)), QStringLiteral("0123456789abcdef0123") };
    QString s;
    const int n = int(rng.bounded(6));
    for (int i = 0; i < n; ++i)
        s += pieces[int(rng.bounded(pieces.size()))];
    return s;
}

QJsonValue randomValue(QRandomGenerator &rng, int depth)
{
    switch (rng.bounded(depth > 3 ? 5 : 7)) {
    case 0:
        return QJsonValue(qint64(rng.bounded(2000)) - 1000);
    case 1:
        return QJsonValue(
            rng.bounded(2) ? qint64(9007199254740992) : -(qint64(rng.bounded(1u << 30)) << 20));
    case 2:
        return randomText(rng);
    case 3:
        return rng.bounded(2) ? QJsonValue(true) : QJsonValue(QJsonValue::Null);
    case 4:
        return QJsonValue(false);
    case 5: {
        QJsonArray a;
        for (int i = int(rng.bounded(4)); i > 0; --i)
            a.append(randomValue(rng, depth + 1));
        return a;
    }
    default: {
        QJsonObject o;
        for (int i = int(rng.bounded(5)); i > 0; --i)
            o.insert(randomText(rng), randomValue(rng, depth + 1));
        return o;
    }
    }
}

// What the check must say about any bytes.
bool isCanonicalObject(const QByteArray &bytes)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return false;
    const auto again = CanonicalJson::serialize(doc.object());
    return again && *again == bytes;
}

} // namespace

class tst_CanonicalCheck : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void acceptsCanonical_data();
    void acceptsCanonical();
    void refuses_data();
    void refuses();
    void recordsTopLevelMembers();
    void stopsAtTheEndOfTheObject();
    void agreesWithTheSerializerOnMutations();
};

void tst_CanonicalCheck::acceptsCanonical_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("empty object") << QByteArray("{}");
    QTest::newRow("entry") << QByteArray(
        "{\"action\":\"x\",\"actor\":\"cli:root\",\"data\":{},\"hash\":\"ab\",\"prev\":\"cd\","
        "\"seq\":1,\"stream\":\"operator\",\"ts\":\"2026-11-29T00:00:00.000Z\"}");
    QTest::newRow("every short escape and \\u00xx")
        << QByteArray("{\"s\":\"\\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u001f\\u000b\"}");
    QTest::newRow("UTF-8 of 2, 3 and 4 bytes, DEL, U+2028")
        << QByteArray("{\"s\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\x7f\xe2\x80\xa8\"}");
    QTest::newRow("integers incl. +-2^53")
        << QByteArray("{\"a\":[0,-1,42,9007199254740992,-9007199254740992]}");
    QTest::newRow("literals and nesting")
        << QByteArray("{\"a\":[true,false,null,[],{}],\"b\":{\"c\":{\"d\":[[1]]}}}");
    QTest::newRow("key order by code point, non-BMP last")
        << QByteArray("{\"\xc3\xa9\":3,\"\xef\xbf\xbf\":2,\"\xf0\x9f\x98\x80\":1}");
    // "\n" is U+000A, below "A" (U+0041), though its escaped bytes (5C 6E) sort after.
    QTest::newRow("escaped key sorts by the character it names")
        << QByteArray("{\"\\n\":1,\"A\":2}");
    QTest::newRow("empty key first") << QByteArray("{\"\":1,\"a\":2}");
    QTest::newRow("prefix key first") << QByteArray("{\"ab\":1,\"abc\":2}");
    QTest::newRow("long string past several 16-byte blocks")
        << QByteArray("{\"h\":\"" + QByteArray(200, 'f') + "\\\"" + QByteArray(33, 'e') + "\"}");
    for (int i = 0; i < 20; ++i) {
        QRandomGenerator rng(quint32(1000 + i));
        QJsonObject o;
        for (int n = 1 + int(rng.bounded(6)); n > 0; --n)
            o.insert(randomText(rng), randomValue(rng, 0));
        QTest::addRow("serialized random object %d", i) << CanonicalJson::serialize(o).value();
    }
}

void tst_CanonicalCheck::acceptsCanonical()
{
    QFETCH(QByteArray, bytes);
    QVERIFY(isCanonicalObject(bytes)); // the expectation itself is right
    const Outcome o = check(bytes);
    QVERIFY2(o.accepted,
        qPrintable(QStringLiteral("refused at byte %1: %2").arg(o.failedAt).arg(o.what)));
}

void tst_CanonicalCheck::refuses_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<qint64>("at");
    QTest::addColumn<QString>("what");
    const auto row = [](const char *name, const QByteArray &bytes, qint64 at, const char *what) {
        QTest::newRow(name) << bytes << at << QString::fromLatin1(what);
    };
    row("not an object", "[1]", 0, "expected '{'");
    row("space after a colon", "{\"a\": 1}", 5, "expected a value");
    row("space after a comma", "{\"a\":1, \"b\":2}", 7, "expected a member name");
    row("unsorted keys", "{\"b\":1,\"a\":2}", 7, "not sorted");
    row("duplicate key", "{\"a\":1,\"a\":2}", 7, "duplicate");
    row("escaped key out of order", "{\"A\":2,\"\\n\":1}", 7, "not sorted");
    row("fraction", "{\"a\":1.5}", 5, "fraction or exponent");
    row("integral fraction", "{\"a\":1.0}", 5, "fraction or exponent");
    row("exponent", "{\"a\":1e3}", 5, "fraction or exponent");
    row("leading zero", "{\"a\":01}", 5, "leading zero");
    row("minus zero", "{\"a\":-0}", 5, "-0");
    row("beyond 2^53", "{\"a\":9007199254740993}", 5, "2^53");
    row("17 digits", "{\"a\":10000000000000000}", 5, "2^53");
    row("bare minus", "{\"a\":-}", 5, "digit");
    row("solidus escaped", "{\"a\":\"\\/\"}", 6, "escape that canonical JSON does not use");
    row("unicode escape of a letter", "{\"a\":\"\\u0041\"}", 6, "writes as is");
    row("uppercase hex in \\u001F", "{\"a\":\"\\u001F\"}", 6, "lowercase");
    row("\\u000a instead of \\n", "{\"a\":\"\\u000a\"}", 6, "\\b, \\f, \\n, \\r or \\t");
    row("surrogate escape", "{\"a\":\"\\ud83d\\ude00\"}", 6, "writes as is");
    row("raw control character", "{\"a\":\"x\x01y\"}", 7, "control character");
    row("raw newline", "{\"a\":\"x\ny\"}", 7, "control character");
    row("lone continuation byte", "{\"a\":\"\x80\"}", 6, "invalid UTF-8");
    row("overlong 2-byte", "{\"a\":\"\xc0\xaf\"}", 6, "invalid UTF-8");
    row("overlong 3-byte", "{\"a\":\"\xe0\x80\xaf\"}", 6, "overlong");
    row("UTF-8 surrogate", "{\"a\":\"\xed\xa0\x80\"}", 6, "surrogate");
    row("beyond U+10FFFF", "{\"a\":\"\xf4\x90\x80\x80\"}", 6, "U+10FFFF");
    row("5-byte lead", "{\"a\":\"\xf8\x88\x80\x80\x80\"}", 6, "invalid UTF-8");
    row("sequence cut by the closing quote", "{\"a\":\"\xe2\x82\"}", 6, "bad continuation");
    row("string not closed", "{\"a\":\"abc", 9, "not closed");
    row("object not closed", "{\"a\":1", 6, "not closed");
    row("array not closed", "{\"a\":[1,2", 9, "not closed");
    row("trailing comma", "{\"a\":1,}", 7, "expected a member name");
    row("trailing comma in an array", "{\"a\":[1,]}", 8, "expected a value");
    row("bad literal", "{\"a\":nul}", 5, "expected a value");
    row("single quotes", "{'a':1}", 1, "expected a member name");
    row("unquoted key", "{a:1}", 1, "expected a member name");
    row("too deep", "{\"a\":" + QByteArray(70, '[') + QByteArray(70, ']') + "}",
        5 + CC::MaxDepth - 1, "too deeply");
}

void tst_CanonicalCheck::refuses()
{
    QFETCH(QByteArray, bytes);
    QFETCH(qint64, at);
    QFETCH(QString, what);
    QVERIFY(!isCanonicalObject(bytes)
        || bytes.contains("[[[[")); // deep nesting is canonical, but refused
    const Outcome o = check(bytes);
    QVERIFY(!o.accepted);
    QCOMPARE(o.failedAt, at);
    QVERIFY2(o.what.contains(what), qPrintable(o.what));
}

void tst_CanonicalCheck::recordsTopLevelMembers()
{
    const Outcome o = check("{\"a\":{\"x\":1,\"y\":2},\"b\":\"s\",\"c\":[1],\"d\":4}", 3);
    QVERIFY(o.accepted);
    QCOMPARE(o.members, 4); // all counted, the first three stored
    QCOMPARE(o.keys, (QList<QByteArray> { "a", "b", "c" }));
    QCOMPARE(o.values, (QList<QByteArray> { "{\"x\":1,\"y\":2}", "\"s\"", "[1]" }));
}

void tst_CanonicalCheck::stopsAtTheEndOfTheObject()
{
    // In a chunk the next line follows: the check returns the byte after the closing brace.
    const Outcome o = check("{\"a\":1}\n{\"b\":2}\n", 1);
    QVERIFY(!o.accepted);
    QCOMPARE(o.end, 7);
    QCOMPARE(o.keys, QList<QByteArray> { "a" });
}

void tst_CanonicalCheck::agreesWithTheSerializerOnMutations()
{
    const quint32 seed = 20261129;
    QRandomGenerator rng(seed);
    static const char interesting[]
        = "{}[]\",:\\ 0123456789.-eEtfnul\x01\x1f\x7f\x80\xbf\xc3\xe2\xed\xf0\xf4\xff/ab";
    int accepted = 0;
    int refused = 0;
    for (int round = 0; round < 20000; ++round) {
        QJsonObject o;
        for (int n = 1 + int(rng.bounded(5)); n > 0; --n)
            o.insert(randomText(rng), randomValue(rng, 0));
        QByteArray bytes = CanonicalJson::serialize(o).value();
        const int at = int(rng.bounded(bytes.size()));
        const char c = interesting[rng.bounded(int(sizeof(interesting) - 1))];
        switch (rng.bounded(3)) {
        case 0:
            bytes[at] = c;
            break;
        case 1:
            bytes.insert(at, c);
            break;
        default:
            bytes.remove(at, 1);
        }
        const bool expected = isCanonicalObject(bytes);
        const Outcome o2 = check(bytes);
        if (o2.accepted != expected)
            QFAIL(
                qPrintable(QStringLiteral("seed %1 round %2: %3 %4 (%5 at byte %6)")
                               .arg(seed)
                               .arg(round)
                               .arg(QString::fromLatin1(bytes.toPercentEncoding("{}[]\",:")))
                               .arg(expected ? QStringLiteral("is canonical but was refused")
                                             : QStringLiteral("is not canonical but was accepted"))
                               .arg(o2.what)
                               .arg(o2.failedAt)));
        ++(expected ? accepted : refused);
    }
    qInfo("%d mutated objects still canonical, %d not", accepted, refused);
    QVERIFY(accepted > 1000); // both sides of the equivalence are exercised
    QVERIFY(refused > 5000);
}

QTEST_GUILESS_MAIN(tst_CanonicalCheck)
#include "tst_canonicalcheck.moc"

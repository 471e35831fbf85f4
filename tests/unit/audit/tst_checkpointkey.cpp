#include "audit/checkpointkey.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;

class tst_CheckpointKey : public QObject
{
    Q_OBJECT

private slots:
    void signAndVerify();
    void tamperedFails_data();
    void tamperedFails();
    void loadOrCreatePermissions();
    void publicOnlyCannotSign();
};

namespace {

Checkpoint sample()
{
    Checkpoint cp;
    cp.stream = QStringLiteral("resilience");
    cp.seq = 42;
    cp.hash = QByteArray(64, 'a');
    cp.tsMs = 1795910400123;
    return cp;
}

} // namespace

void tst_CheckpointKey::signAndVerify()
{
    auto key = CheckpointKey::generate();
    QVERIFY(key);
    Checkpoint cp = sample();
    QVERIFY(key->sign(cp));
    QCOMPARE(cp.key, key->fingerprint());
    QCOMPARE(cp.signature.size(), 128);
    QVERIFY(key->verify(cp));
    // Round trip through the line format and a public-only key.
    auto parsed = Checkpoint::parse(cp.toLine());
    QVERIFY(parsed);
    auto pub = CheckpointKey::loadPublicPem(key->publicKeyPem(), QStringLiteral("test"));
    QVERIFY(pub);
    QVERIFY(pub->verify(*parsed));
    QCOMPARE(pub->fingerprint(), key->fingerprint());
}

void tst_CheckpointKey::tamperedFails_data()
{
    QTest::addColumn<QString>("what");
    QTest::newRow("seq changed") << "seq";
    QTest::newRow("hash changed") << "hash";
    QTest::newRow("stream changed") << "stream";
    QTest::newRow("time changed") << "ts";
    QTest::newRow("signature bit flipped") << "sig";
    QTest::newRow("signature truncated") << "sigshort";
    QTest::newRow("other key's fingerprint") << "key";
    QTest::newRow("verified with another key") << "otherkey";
}

void tst_CheckpointKey::tamperedFails()
{
    QFETCH(QString, what);
    auto key = CheckpointKey::generate();
    Checkpoint cp = sample();
    QVERIFY(key->sign(cp));
    const CheckpointKey *verifier = &key.value();
    auto other = CheckpointKey::generate();
    if (what == QLatin1String("seq"))
        cp.seq += 1;
    else if (what == QLatin1String("hash"))
        cp.hash[0] = 'b';
    else if (what == QLatin1String("stream"))
        cp.stream = QStringLiteral("security");
    else if (what == QLatin1String("ts"))
        cp.tsMs += 1;
    else if (what == QLatin1String("sig"))
        cp.signature[10] = cp.signature[10] == '0' ? '1' : '0';
    else if (what == QLatin1String("sigshort"))
        cp.signature.chop(2);
    else if (what == QLatin1String("key"))
        cp.key = other->fingerprint();
    else
        verifier = &other.value();
    QVERIFY(!verifier->verify(cp));
}

void tst_CheckpointKey::loadOrCreatePermissions()
{
    QTemporaryDir dir;
    const QString keys = dir.path() + QStringLiteral("/audit/keys");
    auto created = CheckpointKey::loadOrCreate(keys);
    QVERIFY(created);
    QCOMPARE(QFileInfo(CheckpointKey::privateKeyPath(keys)).permissions() & 0x7077,
        QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QCOMPARE(QFileInfo(keys).permissions() & 0x7077,
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QVERIFY(QFileInfo::exists(CheckpointKey::publicKeyPath(keys)));
    // Loading again gives the same key, not a new one.
    auto loaded = CheckpointKey::loadOrCreate(keys);
    QVERIFY(loaded);
    QCOMPARE(loaded->fingerprint(), created->fingerprint());
    auto pub = CheckpointKey::loadPublicFile(CheckpointKey::publicKeyPath(keys));
    QVERIFY(pub);
    QCOMPARE(pub->fingerprint(), created->fingerprint());
}

void tst_CheckpointKey::publicOnlyCannotSign()
{
    auto key = CheckpointKey::generate();
    auto pub = CheckpointKey::loadPublicPem(key->publicKeyPem(), QStringLiteral("test"));
    QVERIFY(!pub->hasPrivateKey());
    Checkpoint cp = sample();
    QVERIFY(!pub->sign(cp));
    QVERIFY(!CheckpointKey::loadPublicPem("not a key", QStringLiteral("x")));
}

QTEST_GUILESS_MAIN(tst_CheckpointKey)
#include "tst_checkpointkey.moc"

// Sha256Lanes against an independent SHA-256 (Qt's QCryptographicHash), on both of its paths:
// the CPU's SHA extensions (one and two messages at a time) and the OpenSSL fallback.
#include "audit/verify/sha256lanes.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QTest>

#include <vector>

namespace Lanes = Shivx::Internal::Sha256Lanes;

namespace {

QByteArray reference(const std::vector<unsigned char> &bytes, std::size_t len)
{
    return QCryptographicHash::hash(
        QByteArrayView(reinterpret_cast<const char *>(bytes.data()), qsizetype(len)),
        QCryptographicHash::Sha256);
}

// A message of `len` random bytes in a buffer of exactly len + Padding (ASan catches a write
// beyond the room the contract gives).
std::vector<unsigned char> message(QRandomGenerator &rng, std::size_t len)
{
    std::vector<unsigned char> m(len + Lanes::Padding);
    for (std::size_t i = 0; i < len; ++i)
        m[i] = static_cast<unsigned char>(rng.bounded(256));
    return m;
}

QByteArray digest(const unsigned char *d)
{
    return QByteArray(reinterpret_cast<const char *>(d), 32);
}

// Two random messages hashed together must give the reference digests.
void checkPair(QRandomGenerator &rng, std::size_t aLen, std::size_t bLen)
{
    auto a = message(rng, aLen);
    auto b = message(rng, bLen);
    const QByteArray wantA = reference(a, aLen);
    const QByteArray wantB = reference(b, bLen);
    unsigned char outA[32];
    unsigned char outB[32];
    Lanes::digest2(a.data(), aLen, b.data(), bLen, outA, outB);
    QCOMPARE(digest(outA), wantA);
    QCOMPARE(digest(outB), wantB);
}

} // namespace

class tst_Sha256Lanes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { Lanes::setAccelerated(true); }
    void matchesReference_data();
    void matchesReference();
    void knownAnswer();
};

void tst_Sha256Lanes::matchesReference_data()
{
    QTest::addColumn<bool>("accelerated");
    QTest::newRow("SHA extensions") << true;
    QTest::newRow("OpenSSL fallback") << false;
}

void tst_Sha256Lanes::matchesReference()
{
    QFETCH(bool, accelerated);
    Lanes::setAccelerated(accelerated);
    if (accelerated && !Lanes::accelerated())
        QSKIP("this CPU has no SHA extensions");
    QCOMPARE(Lanes::accelerated(), accelerated);
    QRandomGenerator rng(7);
    // Every length across the padding boundaries (55/56/63/64 bytes...), then longer ones;
    // the second lane is shorter, equal or longer, so each lane also runs on alone.
    for (std::size_t len = 0; len < 700; ++len) {
        checkPair(rng, len, (len * 37 + 11) % 900);
        if (QTest::currentTestFailed())
            return;
        auto c = message(rng, len);
        unsigned char one[32];
        const QByteArray wantC = reference(c, len);
        Lanes::digest1(c.data(), len, one);
        QCOMPARE(digest(one), wantC);
    }
    for (int i = 0; i < 50 && !QTest::currentTestFailed(); ++i) {
        const std::size_t len = 1000 + rng.bounded(20000);
        checkPair(rng, len, len); // equal lengths: both lanes to the last block
    }
}

void tst_Sha256Lanes::knownAnswer()
{
    // FIPS 180-2 test vector "abc".
    std::vector<unsigned char> m = { 'a', 'b', 'c' };
    m.resize(3 + Lanes::Padding);
    unsigned char out[32];
    Lanes::digest1(m.data(), 3, out);
    QCOMPARE(digest(out).toHex(),
        QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
}

QTEST_GUILESS_MAIN(tst_Sha256Lanes)
#include "tst_sha256lanes.moc"

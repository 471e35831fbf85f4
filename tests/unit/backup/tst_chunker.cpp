// FastCDC chunking: sizes within bounds, boundaries from content alone (an insertion near the
// start leaves later chunks as they were), different keys give different boundaries.
#include "backup/chunker.h"
#include "backupfixture.h"

#include <QTest>

#include <set>

using namespace Shivx::Backup;

namespace {

std::vector<std::size_t> cuts(const Chunker &c, const QByteArray &data)
{
    std::vector<std::size_t> out;
    const auto *p = reinterpret_cast<const std::uint8_t *>(data.constData());
    std::size_t at = 0;
    const std::size_t size = std::size_t(data.size());
    while (at < size) {
        const std::size_t n = c.cut(p + at, size - at);
        at += n;
        out.push_back(at);
    }
    return out;
}

const std::uint8_t KeyA[32] = { 1 };
const std::uint8_t KeyB[32] = { 2 };

} // namespace

class TstChunker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sizesStayWithinBounds()
    {
        const Chunker c(KeyA, Chunker::Params { 4096, 16384, 65536 });
        const QByteArray data = BackupFixture::randomBytes(4'000'000, 7);
        const auto ends = cuts(c, data);
        std::size_t prev = 0;
        for (std::size_t i = 0; i < ends.size(); ++i) {
            const std::size_t len = ends[i] - prev;
            QVERIFY2(len <= 65536, qPrintable(QString::number(len)));
            if (i + 1 < ends.size())
                QVERIFY2(len >= 4096, qPrintable(QString::number(len)));
            prev = ends[i];
        }
        // Normalized chunking keeps the mean near the average.
        const double mean = double(data.size()) / double(ends.size());
        QVERIFY2(mean > 8000 && mean < 32000, qPrintable(QString::number(mean)));
    }

    void insertionShiftsOnlyNearbyChunks()
    {
        const Chunker c(KeyA, Chunker::Params { 4096, 16384, 65536 });
        const QByteArray data = BackupFixture::randomBytes(2'000'000, 9);
        QByteArray edited = data;
        edited.insert(1000, QByteArray("inserted bytes"));
        const auto a = cuts(c, data);
        const auto b = cuts(c, edited);
        std::set<std::size_t> shifted;
        for (std::size_t e : b)
            shifted.insert(e - 14);
        int same = 0;
        for (std::size_t e : a)
            same += shifted.count(e) ? 1 : 0;
        QVERIFY2(same >= int(a.size()) - 3,
            qPrintable(QStringLiteral("%1 of %2").arg(same).arg(a.size())));
    }

    void theKeyChangesTheBoundaries()
    {
        const QByteArray data = BackupFixture::randomBytes(1'000'000, 11);
        const Chunker::Params p { 4096, 16384, 65536 };
        QVERIFY(cuts(Chunker(KeyA, p), data) != cuts(Chunker(KeyB, p), data));
        QCOMPARE(cuts(Chunker(KeyA, p), data), cuts(Chunker(KeyA, p), data));
    }

    void lowEntropyDataCutsAtMax()
    {
        const Chunker c(KeyA, Chunker::Params { 4096, 16384, 65536 });
        const QByteArray zeros(300'000, '\0');
        const auto ends = cuts(c, zeros);
        QCOMPARE(ends.front(), std::size_t(65536));
        QCOMPARE(ends.back(), std::size_t(300'000));
    }
};

QTEST_GUILESS_MAIN(TstChunker)
#include "tst_chunker.moc"

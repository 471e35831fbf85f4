#pragma once

// Files and baselines for the safe-snapshot tests (tst_safesnapshots, tst_sharedsnapshots):
// real files in a temporary tree, scanned as the integrity scanner records them.

#include "integrity/baselinestore.h"
#include "integrity/filehasher.h"
#include "integrity/integrityconfig.h"
#include "integrity/pathwalker.h"

#include <QDir>
#include <QFile>
#include <QTest>

namespace SnapshotFixture {

inline void writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    f.write(content);
}

inline QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Random bytes that do not compress: a pack then grows as fast as the file is read.
inline QByteArray noise(int size, quint32 seed)
{
    QByteArray out(size, Qt::Uninitialized);
    quint32 x = seed | 1;
    for (char &c : out) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        c = char(x);
    }
    return out;
}

// One set "etc" covering `tree`, `protect: restore`.
inline Shivx::IntegrityConfig protectedConfig(const QString &tree, int maxMiB = 64)
{
    Shivx::IntegrityConfig c;
    Shivx::IntegrityPathSet s;
    s.name = QStringLiteral("etc");
    s.paths = { tree };
    s.protectRestore = true;
    c.sets = { s };
    c.snapshotMaxMiB = maxMiB;
    return c;
}

// The baseline a scan of `tree` would record, with every file in set "etc".
inline Shivx::Baseline scan(const QString &tree)
{
    Shivx::Baseline b;
    for (const QString &name : QDir(tree).entryList(QDir::Files | QDir::Hidden)) {
        Shivx::FileState f;
        if (!Shivx::PathWalker::statPath(tree + QLatin1Char('/') + name, false, &f))
            continue;
        f.set = QStringLiteral("etc");
        Shivx::FileHasher::hashOne(&f);
        b.files.insert(f.path, f);
    }
    return b;
}

} // namespace SnapshotFixture

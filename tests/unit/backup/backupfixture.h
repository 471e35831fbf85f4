#pragma once

// What the backup tests share: a repository with a cheap scrypt, source trees of real files,
// and a byte-for-byte comparison of two trees (content, mode, mtime, symlink targets).

#include "backup/repository.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

namespace BackupFixture {

using namespace Shivx::Backup;

inline Credential passphrase(const char *text = "correct horse")
{
    return Credential { Credential::Kind::Passphrase, QByteArray(text), QStringLiteral("test") };
}

// Small chunks and a quick scrypt, so that tests exercise many chunks and packs quickly.
inline Repository::InitOptions smallOptions()
{
    Repository::InitOptions o;
    o.chunker = Chunker::Params { 4096, 16384, 65536 };
    o.scrypt.n = 1u << 10;
    return o;
}

inline std::unique_ptr<Repository> createRepo(const QString &path)
{
    auto r = Repository::init(path, passphrase(), smallOptions());
    if (!r)
        qFatal("init failed: %s", qPrintable(r.error().message));
    return std::move(*r);
}

inline QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QRandomGenerator g(seed);
    QByteArray b(size, Qt::Uninitialized);
    g.fillRange(reinterpret_cast<quint32 *>(b.data()), size / 4);
    for (qsizetype i = size / 4 * 4; i < size; ++i)
        b[i] = char(g.generate());
    return b;
}

inline void writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
        qFatal("cannot write %s", qPrintable(path));
}

// A mixed tree: random (incompressible) and text files, nested directories, an empty file,
// an empty directory, a symlink, unusual modes.
inline void makeTree(const QString &root, quint32 seed = 1)
{
    writeFile(root + "/random.bin", randomBytes(300'000, seed));
    QByteArray text;
    for (int i = 0; i < 20000; ++i)
        text += "line " + QByteArray::number(i * seed) + " of some text\n";
    writeFile(root + "/docs/text.txt", text);
    writeFile(root + "/docs/deep/er/small.txt", "small\n");
    writeFile(root + "/empty", QByteArray());
    QDir().mkpath(root + "/emptydir");
    QFile::link(QStringLiteral("docs/text.txt"), root + "/link");
    ::chmod(QFile::encodeName(root + "/docs/deep").constData(), 0750);
    ::chmod(QFile::encodeName(root + "/random.bin").constData(), 0600);
}

// Every entry of `a` is in `b` with the same bytes, mode, mtime (files) and link target.
inline bool sameTree(const QString &a, const QString &b, QString *why)
{
    QDirIterator it(a, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
        QDirIterator::Subdirectories);
    int count = 0;
    while (it.hasNext()) {
        const QString pa = it.next();
        const QString rel = QDir(a).relativeFilePath(pa);
        const QString pb = b + QLatin1Char('/') + rel;
        struct stat sa, sb;
        if (::lstat(QFile::encodeName(pa).constData(), &sa) != 0
            || ::lstat(QFile::encodeName(pb).constData(), &sb) != 0) {
            *why = rel + QStringLiteral(": missing");
            return false;
        }
        ++count;
        if ((sa.st_mode & 0170000) != (sb.st_mode & 0170000)) {
            *why = rel + QStringLiteral(": type differs");
            return false;
        }
        if (S_ISLNK(sa.st_mode)) {
            char ta[4096] = {}, tb[4096] = {};
            if (::readlink(QFile::encodeName(pa).constData(), ta, sizeof ta - 1) < 0
                || ::readlink(QFile::encodeName(pb).constData(), tb, sizeof tb - 1) < 0
                || qstrcmp(ta, tb) != 0) {
                *why = rel + QStringLiteral(": link target differs");
                return false;
            }
            continue;
        }
        if ((sa.st_mode & 07777) != (sb.st_mode & 07777)) {
            *why = rel
                + QStringLiteral(": mode %1 != %2")
                      .arg(sa.st_mode & 07777, 0, 8)
                      .arg(sb.st_mode & 07777, 0, 8);
            return false;
        }
        if (sa.st_mtim.tv_sec != sb.st_mtim.tv_sec || sa.st_mtim.tv_nsec != sb.st_mtim.tv_nsec) {
            *why = rel + QStringLiteral(": mtime differs");
            return false;
        }
        if (S_ISREG(sa.st_mode)) {
            QFile fa(pa), fb(pb);
            if (!fa.open(QIODevice::ReadOnly) || !fb.open(QIODevice::ReadOnly)
                || fa.readAll() != fb.readAll()) {
                *why = rel + QStringLiteral(": content differs");
                return false;
            }
        }
    }
    if (count == 0) {
        *why = QStringLiteral("nothing in ") + a;
        return false;
    }
    return true;
}

} // namespace BackupFixture

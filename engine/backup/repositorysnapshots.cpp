#include "backup/repository.h"

#include "backup/repofiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

#include <cstring>

namespace Shivx::Backup {

Result<SnapshotInfo> Repository::readSnapshot(const Id &id) const
{
    const QString file = m_path + QStringLiteral("/snapshots/") + QString::fromStdString(id.hex());
    const auto bytes = readWholeFile(file);
    if (!bytes)
        return bytes.error();
    const auto *p = reinterpret_cast<const std::uint8_t *>(bytes->constData());
    const std::size_t size = std::size_t(bytes->size());
    if (size < Format::MagicSize + SealOverhead
        || std::memcmp(p, Format::SnapshotMagic, Format::MagicSize) != 0)
        return makeError("backup.format",
            QStringLiteral("snapshot file %1 is not a snapshot (bad magic or too short)").arg(file),
            { file });
    Bytes plain;
    if (!Backup::open(m_key.encKey.data(), p + Format::MagicSize, size - Format::MagicSize,
            Format::SnapshotAad, &plain))
        return makeError("backup.tampered",
            QStringLiteral("snapshot %1 fails authentication: it was altered").arg(file), { file });
    const QJsonObject o = QJsonDocument::fromJson(
        QByteArray(reinterpret_cast<const char *>(plain.data()), qsizetype(plain.size())))
                              .object();
    SnapshotInfo s;
    s.id = id;
    s.json = o;
    s.time = QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
    s.host = o.value(QStringLiteral("host")).toString();
    s.set = o.value(QStringLiteral("set")).toString();
    s.type = o.value(QStringLiteral("type")).toString();
    Id::fromHex(o.value(QStringLiteral("parent")).toString().toStdString(), &s.parent);
    if (!Id::fromHex(o.value(QStringLiteral("tree")).toString().toStdString(), &s.tree))
        return makeError(
            "backup.format", QStringLiteral("snapshot %1 names no valid tree").arg(file), { file });
    for (const QJsonValue &v : o.value(QStringLiteral("paths")).toArray())
        s.paths.append(v.toString());
    s.stats = o.value(QStringLiteral("stats")).toObject();
    return s;
}

Result<QList<SnapshotInfo>> Repository::snapshots() const
{
    QList<SnapshotInfo> out;
    const QDir dir(m_path + QStringLiteral("/snapshots"));
    for (const QString &name : dir.entryList(QDir::Files, QDir::Name)) {
        Id id;
        if (!Id::fromHex(name.toStdString(), &id))
            continue; // temporary files of a write in progress
        auto s = readSnapshot(id);
        if (!s && !QFileInfo::exists(dir.filePath(name)))
            continue; // forgotten since the listing (a prune, the integrity module's roots)
        if (!s)
            return s.error();
        out.append(std::move(*s));
    }
    std::sort(out.begin(), out.end(), [](const SnapshotInfo &a, const SnapshotInfo &b) {
        return a.time != b.time ? a.time < b.time : a.id < b.id;
    });
    return out;
}

Result<Id> Repository::writeSnapshot(const QJsonObject &document)
{
    const QByteArray json = QJsonDocument(document).toJson(QJsonDocument::Compact);
    QByteArray file(
        qsizetype(Format::MagicSize + std::size_t(json.size()) + SealOverhead), Qt::Uninitialized);
    std::memcpy(file.data(), Format::SnapshotMagic, Format::MagicSize);
    seal(m_key.encKey.data(), json.constData(), std::size_t(json.size()), Format::SnapshotAad,
        reinterpret_cast<std::uint8_t *>(file.data()) + Format::MagicSize);
    const Id id = sha256(file.constData(), std::size_t(file.size()));
    if (auto w = writeFileAtomic(
            m_path + QStringLiteral("/snapshots/") + QString::fromStdString(id.hex()), file);
        !w)
        return w.error();
    return id;
}

Result<void> Repository::removeSnapshot(const Id &id)
{
    const QString file = m_path + QStringLiteral("/snapshots/") + QString::fromStdString(id.hex());
    if (!QFile::remove(file))
        return makeError("backup.io", QStringLiteral("cannot remove %1").arg(file), { file });
    syncDirectory(m_path + QStringLiteral("/snapshots"));
    return {};
}

Result<SnapshotInfo> Repository::findSnapshot(const QString &spec) const
{
    const auto all = snapshots();
    if (!all)
        return all.error();
    if (all->isEmpty())
        return makeError("backup.no_snapshot",
            QStringLiteral("the repository %1 has no snapshots yet").arg(m_path));
    if (spec == QLatin1String("latest")) {
        for (auto it = all->crbegin(); it != all->crend(); ++it)
            if (isBackup(*it))
                return *it;
        return makeError("backup.no_snapshot",
            QStringLiteral("the repository %1 has no backups yet").arg(m_path));
    }
    QList<SnapshotInfo> matches;
    for (const SnapshotInfo &s : *all) {
        if (QString::fromStdString(s.id.hex()).startsWith(spec.toLower()))
            matches.append(s);
    }
    if (spec.size() < 4 || matches.isEmpty())
        return makeError("backup.no_snapshot",
            QStringLiteral("no snapshot %1 (give `latest` or at least 4 digits of an id from "
                           "`shivx backup list`)")
                .arg(spec),
            { spec });
    if (matches.size() > 1)
        return makeError("backup.ambiguous",
            QStringLiteral("%1 names %2 snapshots; give more digits").arg(spec).arg(matches.size()),
            { spec });
    return matches.first();
}

} // namespace Shivx::Backup

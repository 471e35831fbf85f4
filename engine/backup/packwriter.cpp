#include "backup/repository.h"

#include "backup/repofiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace Shivx::Backup {

void Format::encodeEntry(const PackEntry &e, std::uint8_t *p)
{
    p[0] = std::uint8_t(e.type);
    std::memcpy(p + 1, e.id.b.data(), 32);
    putU32(p + 33, e.offset);
    putU32(p + 37, e.length);
    putU32(p + 41, e.rawLength);
}

PackEntry Format::decodeEntry(const std::uint8_t *p)
{
    PackEntry e;
    e.type = BlobType(p[0]);
    std::memcpy(e.id.b.data(), p + 1, 32);
    e.offset = getU32(p + 33);
    e.length = getU32(p + 37);
    e.rawLength = getU32(p + 41);
    return e;
}

PackWriter::PackWriter(Repository &repo)
    : m_repo(repo)
{
}

PackWriter::~PackWriter()
{
    if (m_fd >= 0) {
        ::close(m_fd);
        ::unlink(QFile::encodeName(m_tmpPath).constData());
    }
    for (int fd : m_unsynced)
        ::close(fd);
}

int PackWriter::packsWritten() const
{
    std::lock_guard lock(m_mutex);
    return int(m_done.size());
}

Result<void> PackWriter::openPack()
{
    std::uint8_t rnd[8];
    randomBytes(rnd, sizeof rnd);
    m_tmpPath = m_repo.path() + QStringLiteral("/data/tmp-")
        + QString::fromStdString(toHex(rnd, sizeof rnd));
    m_fd = ::open(
        QFile::encodeName(m_tmpPath).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (m_fd < 0)
        return ioError("create pack", m_tmpPath);
    m_hash = std::make_unique<Sha256>();
    m_entries.clear();
    m_offset = 0;
    m_hash->update(Format::PackMagic, Format::MagicSize);
    if (auto w = writeAll(m_fd, Format::PackMagic, Format::MagicSize, m_tmpPath); !w)
        return w;
    m_offset = Format::MagicSize;
    return {};
}

Result<void> PackWriter::add(
    BlobType type, const Id &id, const Bytes &sealed, std::uint32_t rawLength)
{
    std::lock_guard lock(m_mutex);
    if (m_fd < 0) {
        if (auto o = openPack(); !o)
            return o;
    }
    if (auto w = writeAll(m_fd, sealed.data(), sealed.size(), m_tmpPath); !w)
        return w;
    m_hash->update(sealed.data(), sealed.size());
    m_entries.push_back(
        PackEntry { type, id, std::uint32_t(m_offset), std::uint32_t(sealed.size()), rawLength });
    m_offset += sealed.size();
    m_written += sealed.size();
    if (m_offset >= m_repo.packTargetSize())
        return finishPack();
    return {};
}

Result<void> PackWriter::finishPack()
{
    Bytes header(4 + m_entries.size() * Format::EntrySize);
    putU32(header.data(), std::uint32_t(m_entries.size()));
    for (std::size_t i = 0; i < m_entries.size(); ++i)
        Format::encodeEntry(m_entries[i], header.data() + 4 + i * Format::EntrySize);
    const Bytes sealedHeader
        = seal(m_repo.key().encKey.data(), header.data(), header.size(), Format::PackHeaderAad);
    std::uint8_t trailer[Format::TrailerSize];
    putU32(trailer, std::uint32_t(sealedHeader.size()));
    std::memcpy(trailer + 4, Format::PackEndMagic, Format::MagicSize);
    if (auto w = writeAll(m_fd, sealedHeader.data(), sealedHeader.size(), m_tmpPath); !w)
        return w;
    if (auto w = writeAll(m_fd, trailer, sizeof trailer, m_tmpPath); !w)
        return w;
    m_hash->update(sealedHeader.data(), sealedHeader.size());
    m_hash->update(trailer, sizeof trailer);
    const Id id = m_hash->finish();
    // Start writeback now; flush() waits for it. fsync here would stall every worker on the
    // disk once per pack.
    ::sync_file_range(m_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
    const QString final = m_repo.packPath(id);
    const QString dir = QFileInfo(final).absolutePath();
    QDir().mkpath(dir);
    if (::rename(QFile::encodeName(m_tmpPath).constData(), QFile::encodeName(final).constData())
        != 0)
        return ioError("rename pack into place", final);
    if (!m_dirs.contains(dir))
        m_dirs.append(dir);
    m_unsynced.push_back(m_fd);
    m_fd = -1;
    m_done.emplace_back(id, std::move(m_entries));
    m_entries = {};
    return {};
}

Result<std::vector<std::pair<Id, std::vector<PackEntry>>>> PackWriter::flush()
{
    std::lock_guard lock(m_mutex);
    if (m_fd >= 0 && !m_entries.empty()) {
        if (auto f = finishPack(); !f)
            return f.error();
    }
    for (int fd : m_unsynced) {
        const int rc = ::fdatasync(fd);
        ::close(fd);
        if (rc != 0)
            return ioError("fsync pack in", m_repo.path());
    }
    m_unsynced.clear();
    for (const QString &d : std::as_const(m_dirs))
        syncDirectory(d);
    syncDirectory(m_repo.path() + QStringLiteral("/data"));
    for (const auto &[id, entries] : m_done)
        m_repo.addToIndex(id, entries);
    return std::exchange(m_done, {});
}

} // namespace Shivx::Backup

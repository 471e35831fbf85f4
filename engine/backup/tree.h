#pragma once

#include "backup/backupcrypto.h"
#include "core/result.h"

#include <QByteArray>

#include <string>
#include <vector>

namespace Shivx::Backup {

// One entry of a directory as a tree object records it (docs/backup-format.md, "Trees").
// Names are raw bytes (Linux file names need not be UTF-8).
struct TreeNode
{
    enum class Type { File, Dir, Symlink };
    std::string name;
    Type type = Type::File;
    std::uint32_t mode = 0; // permission bits (st_mode & 07777)
    std::uint32_t uid = 0;
    std::uint32_t gid = 0;
    std::int64_t mtimeSec = 0;
    std::int64_t mtimeNsec = 0;
    std::int64_t ctimeSec = 0; // change detection only; never restored
    std::int64_t ctimeNsec = 0;
    std::uint64_t inode = 0;
    std::uint64_t size = 0;
    Id sha256; // files: SHA-256 of the whole content
    std::vector<Id> chunks; // files: data objects in order
    Id subtree; // dirs: the tree object of the directory's entries
    std::string target; // symlinks
};

// A tree object's plaintext: compact JSON {"nodes":[...]} with nodes sorted by name, so that
// an unchanged directory encodes to the same bytes and therefore the same object id.
QByteArray encodeTree(const std::vector<TreeNode> &nodes);
Result<std::vector<TreeNode>> decodeTree(const std::uint8_t *data, std::size_t size);

} // namespace Shivx::Backup

#pragma once

#include "core/result.h"
#include "integrity/filestate.h"

namespace Shivx {

class SafeSnapshots;

namespace SafeRestore {

// Puts `record` (a verified baseline record with a snapshot) back at record.path: the
// content goes to a new temporary file in the same directory (so the rename cannot cross
// file systems), its SHA-256 is checked against the record, then mode, owner and group (when
// running as root: any other user can only own what it writes) and mtime are set, the file is
// fsynced and renamed over the path (atomic: readers see the old file or the whole restored
// one), and the directory is fsynced. On any error the temporary file is removed and the
// path is left as it was. A symlink or directory now at the path is replaced only if it is a
// symlink (a directory is refused: integrity.restore_io).
// Errors: those of SafeSnapshots::writeContent, integrity.restore_io (names the path).
Result<void> restoreFile(SafeSnapshots &snapshots, const FileState &record);

// The temporary name prefix in the target directory: ".<name>.shivx-restore-".
QString temporaryPrefix(const QString &path);

} // namespace SafeRestore

} // namespace Shivx

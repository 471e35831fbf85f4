#pragma once

#include "backup/backupconfig.h"
#include "backup/keyslots.h"

namespace Shivx::Backup {

// A passphrase from the first line of `file`, else from the environment variable `env`;
// never from a command line (other users see those in `ps`). `option` names where the file
// came from in errors ("--password-file"). Error code: backup.password.
Result<Credential> passphraseFrom(const QString &file, const char *env, const QString &option);

// The desktop keyring as a credential, when a Secret Service answers (error
// backup.keyring_unavailable naming why not). Blocks up to 10 s: worker threads only.
Result<Credential> keyringCredential();

// What the engine unlocks the repository at `repo` with: the desktop keyring with
// backup.keyring when the repository has a keyring slot and a keyring answers (else a warning
// saying so, and on to the others), then backup.key_file, else
// SHIVX_BACKUP_PASSWORD, else backup.password_file. Read at each operation, so a rotated file
// takes effect at once.
Result<Credential> configuredCredential(const BackupConfig &config, const QString &repo);

} // namespace Shivx::Backup

#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QString>

namespace Shivx::Backup {

// The desktop keyring (the freedesktop Secret Service, e.g. gnome-keyring or KeePassXC) through
// QtKeychain, as the store of keyring key slots' secrets: under service "shivx-backup", one
// entry per slot, named by the slot (docs/backup-format.md, "Key slots").
//
// Each call blocks its caller until the Secret Service answers or 10 s pass (the jobs run on a
// keyring thread of their own); call it from a worker thread, never from the console's GUI
// thread. Needs a QCoreApplication (D-Bus). No insecure
// fallback: without a Secret Service every call fails with backup.keyring_unavailable, and
// the caller uses the other slots.
namespace Keyring {

// Error codes: backup.keyring_unavailable (no Secret Service, or it is locked and the user
// refused to unlock it), backup.keyring_missing (no such entry), backup.keyring (other).
Result<QByteArray> read(const QString &account);
Result<void> write(const QString &account, const QByteArray &secret);
// Whether a Secret Service answers: asks for an entry that does not exist, which an unlocked
// keyring answers with "not found". Error backup.keyring_unavailable otherwise.
Result<void> check();
// Removing an entry that is not there succeeds.
Result<void> remove(const QString &account);

} // namespace Keyring

} // namespace Shivx::Backup

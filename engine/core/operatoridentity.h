#pragma once

#include <QString>

namespace Shivx::OperatorIdentity {

// Who runs this process, as the audit log names people: the login name from the password
// database (not $USER, which anyone can set), else "uid1000".
QString userName();
// "console:alice", "cli:alice": the actor of operator actions from a front end.
QString actor(const QString &frontEnd);
// "alice@host", for reports.
QString userAtHost();

} // namespace Shivx::OperatorIdentity

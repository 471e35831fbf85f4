#include "core/operatoridentity.h"

#include <QRegularExpression>
#include <QSysInfo>

#include <pwd.h>
#include <unistd.h>

namespace Shivx::OperatorIdentity {

QString userName()
{
    QString user;
    if (const passwd *pw = ::getpwuid(::getuid()))
        user = QString::fromLocal8Bit(pw->pw_name);
    // Names go into audit actors that the API validates; anything odd becomes the uid.
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_.@-]{1,64}$"));
    if (!safe.match(user).hasMatch())
        user = QStringLiteral("uid%1").arg(::getuid());
    return user;
}

QString actor(const QString &frontEnd)
{
    return frontEnd + QLatin1Char(':') + userName();
}

QString userAtHost()
{
    return userName() + QLatin1Char('@') + QSysInfo::machineHostName();
}

} // namespace Shivx::OperatorIdentity

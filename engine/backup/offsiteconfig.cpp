#include "backup/offsiteconfig.h"

#include "core/configreader.h"

#include <QDir>
#include <QSet>

namespace Shivx::Internal {

void readOffsite(ConfigReader &r, const YAML::Node &node, QList<Backup::OffsiteRemote> *out)
{
    if (!node.IsDefined() || node.IsNull())
        return;
    if (!node.IsSequence()) {
        r.fail(
            node, QStringLiteral("backup.offsite"), QStringLiteral("expected a list of remotes"));
        return;
    }
    QSet<QString> names;
    for (std::size_t i = 0; i < node.size() && !r.failed(); ++i) {
        const YAML::Node m = node[i];
        const QString path = QStringLiteral("backup.offsite[%1]").arg(i);
        if (!r.checkKeys(m, path,
                { QStringLiteral("name"), QStringLiteral("remote"), QStringLiteral("rclone_config"),
                    QStringLiteral("verify"), QStringLiteral("timeout"),
                    QStringLiteral("bwlimit") }))
            return;
        Backup::OffsiteRemote remote;
        r.string(m, path, "name", &remote.name);
        r.string(m, path, "remote", &remote.remote);
        r.string(m, path, "rclone_config", &remote.rcloneConfig);
        r.string(m, path, "bwlimit", &remote.bandwidthLimit);
        if (remote.name.isEmpty())
            r.fail(m, path + QStringLiteral(".name"), QStringLiteral("a remote needs a name"));
        else if (names.contains(remote.name))
            r.fail(m["name"], path + QStringLiteral(".name"),
                QStringLiteral("duplicate remote \"%1\"").arg(remote.name));
        names.insert(remote.name);
        if (!remote.remote.contains(QLatin1Char(':')))
            r.fail(m["remote"].IsDefined() ? m["remote"] : m, path + QStringLiteral(".remote"),
                QStringLiteral("expected rclone's REMOTE:PATH (a remote of rclone_config)"));
        if (!remote.rcloneConfig.isEmpty() && !QDir::isAbsolutePath(remote.rcloneConfig))
            r.fail(m["rclone_config"], path + QStringLiteral(".rclone_config"),
                QStringLiteral("%1 is not an absolute path").arg(remote.rcloneConfig));
        QString verify = QStringLiteral("checksum");
        r.string(m, path, "verify", &verify);
        if (verify == QLatin1String("checksum"))
            remote.verify = Backup::OffsiteRemote::Verify::Checksum;
        else if (verify == QLatin1String("download"))
            remote.verify = Backup::OffsiteRemote::Verify::Download;
        else if (verify == QLatin1String("size"))
            remote.verify = Backup::OffsiteRemote::Verify::Size;
        else
            r.fail(m["verify"], path + QStringLiteral(".verify"),
                QStringLiteral("%1 is not checksum, download or size").arg(verify));
        qint64 timeoutMs = qint64(remote.timeoutSeconds) * 1000;
        r.duration(m, path, "timeout", &timeoutMs, 10'000);
        remote.timeoutSeconds = int(std::min<qint64>(timeoutMs / 1000, 7 * 86400));
        out->append(remote);
    }
}

} // namespace Shivx::Internal

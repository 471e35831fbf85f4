#pragma once

#include "audit/auditconfig.h"
#include "core/result.h"
#include "health/target.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <any>
#include <map>
#include <typeindex>

namespace Shivx {

// How long each resolution of metric history is kept, in milliseconds.
struct HistoryRetention
{
    qint64 rawMs = 2LL * 86'400'000; // 1-second samples
    qint64 minuteMs = 31LL * 86'400'000; // 1-minute rollups
    qint64 hourMs = 400LL * 86'400'000; // 1-hour rollups
};

// The whole engine configuration, as loaded from YAML (or the embedded default). The core's
// own keys are fields; each capability keeps its sections in a type of its own folder
// (`degradation:` and `features:` -> DegradationConfig), read by its EngineModule and
// reached with section<T>().
struct Config
{
    QString sourceFile; // path it was loaded from, or ":/shivx/default-config.yaml"
    QByteArray sourceBytes; // exact bytes, for hashing into the audit log later

    // engine
    QString dataDir; // empty = XDG data dir (or --data-dir)
    QString listen = QStringLiteral("127.0.0.1:8087");
    bool apiEnabled = true;
    QStringList allowedHosts; // DNS names the API serves besides localhost (HostCheck)

    HistoryRetention retention;
    qint64 historyWriteMs = 5000; // history.write_interval (HistoryWriter::setWriteInterval)
    AuditConfig audit; // audit chain writer (engine/audit/auditconfig.h)
    // The monitored services, in configuration order. Each module reads its own keys of an
    // entry (EngineModule::readTarget); breakers, retries and timeouts are already applied.
    QList<TargetSpec> targets;

    // A capability's section: what its module read, or T's defaults when it read nothing.
    template <class T> const T &section() const
    {
        const auto it = m_sections.find(std::type_index(typeid(T)));
        if (it == m_sections.end()) {
            static const T defaults;
            return defaults;
        }
        return *std::any_cast<T>(&it->second);
    }
    // The section to fill in or change, created with T's defaults on first use.
    template <class T> T &editSection()
    {
        std::any &slot = m_sections[std::type_index(typeid(T))];
        if (!slot.has_value())
            slot = T();
        return *std::any_cast<T>(&slot);
    }

private:
    std::map<std::type_index, std::any> m_sections;
};

class ConfigLoader
{
public:
    // Parses and validates YAML text. `sourceName` is used in error messages
    // ("shivx.yaml:12: targets[0].timeout: ..."). Unknown keys, wrong types, bad durations
    // and bad URLs are errors: the engine refuses to start rather than guess. The core reads
    // `engine:`, `history:`, `audit:` and the entries of `targets:`; every other section, and
    // each module's keys of a target entry, are read by the modules (engineModules()).
    static Result<Config> parse(const QByteArray &yaml, const QString &sourceName);
    static Result<Config> loadFile(const QString &path);
    static Result<Config> loadDefault();
    static QString defaultResourcePath();
    // "HOST:PORT" with an IP address (IPv6 in brackets) or "localhost", port 0-65535.
    static bool isValidListenAddress(const QString &listen);
};

} // namespace Shivx

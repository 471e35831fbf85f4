#pragma once

#include "core/result.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

namespace YAML {
class Node;
}

namespace Shivx {

struct Config;
struct TargetSpec;
class ModuleHost;
class ModuleRuntime;

namespace Internal {
class ConfigReader;
struct Migration;
} // namespace Internal

// One capability of the engine (health, recovery, degradation, ...), as the core sees it:
// what it adds to the configuration file and to the database, and the runtime it gives every
// Engine. Stateless and immutable: one instance per capability, listed once in
// engine/modules.cpp, shared by every Engine, by ConfigLoader and by the database opener,
// from any thread. docs/adding-a-capability.md walks through one.
class EngineModule
{
public:
    virtual ~EngineModule() = default;

    // Lower-case and stable ("degradation"): thread names, logs, migration errors.
    virtual QString name() const = 0;

    // Top-level keys of the configuration file this module owns ("degradation", "features").
    virtual QStringList configKeys() const { return {}; }
    // Reads those sections of `root` (absent keys are undefined nodes) into
    // config.editSection<T>(). Errors go to `reader` ("file:line: key: message"); stop at
    // the first.
    virtual void readConfig(
        Internal::ConfigReader &reader, const YAML::Node &root, Config &config) const;
    // Keys of a `targets:` entry this module reads, and how. Called for every entry, module by
    // module in engineModules() order, after every module's readConfig(), so the entry's
    // defaults may come from a section (recovery's breaker defaults).
    virtual QStringList targetKeys() const { return {}; }
    virtual void readTarget(Internal::ConfigReader &reader, const YAML::Node &entry,
        const QString &path, Config &config, TargetSpec &target) const;
    // Checks that span keys (its own against the core's or another section's), after
    // everything was read.
    virtual void validate(
        Internal::ConfigReader &reader, const YAML::Node &root, const Config &config) const;

    // The module's steps of the one database schema (docs/storage.md, "Migrations"). Each
    // step's version is global: all modules' steps together number 1, 2, 3 ... without gaps.
    virtual QList<Internal::Migration> migrations() const;

    // Its part of one Engine; created with the Engine, on the Engine's thread. Of `host`, only
    // config(), dataDir(), databasePath(), clock() and status() hold yet; keep the reference
    // only if the runtime needs those later (the host outlives every runtime).
    virtual std::unique_ptr<ModuleRuntime> createRuntime(ModuleHost &host) const = 0;
};

// A module's part of one running Engine: the services it creates at start, on threads the
// core runs, and the public face (service()) that the API routes, the CLI's engine and the
// console all use. Every method is called on the Engine's thread.
class ModuleRuntime
{
public:
    virtual ~ModuleRuntime() = default;

    // The capability's facade (a QObject living on the Engine's thread, as long as the
    // Engine): thread-safe snapshot getters, Result-returning commands, signals emitted on
    // the Engine's thread. Null when the capability has none. Found with Engine::service<T>().
    virtual QObject *service() { return nullptr; }

    // Engine::start(), in engineModules() order. The audit writer, the history writer and the
    // API (bound, not yet serving) exist; earlier modules are prepared. Creates the services,
    // places them on threads (host.placeOnThread), connects them to earlier modules', and
    // contributes routes, metrics and readiness checks. Nothing runs yet: the threads start
    // after every module is prepared. A failure stops the start; stop() then cleans up.
    virtual Result<void> prepare(ModuleHost &host) = 0;
    // After every module is prepared and the threads run, in the same order: starts timers and
    // work (queued calls into its threads; blocking ones where the API must see a state at
    // once, e.g. the targets).
    virtual void start(ModuleHost &host) = 0;
    // Engine::stop() or a failed start, in reverse order, before any thread quits: stops
    // timers and cancels work with blocking calls into its threads (skip a thread that never
    // ran: host.callBlocking does). Other modules' services still exist.
    virtual void stop(ModuleHost &host) = 0;
    // After the threads quit (their workers are deleted): forget the pointers to them, so that
    // the facade answers "not running".
    virtual void stopped() = 0;
    // Engine::applyConfiguration() while running: applies what this module can change at run
    // time from `config` (validated already). Default: nothing changes until the next start.
    virtual void reload(ModuleHost &host, const Config &config);
};

// Every capability compiled into the engine, in start order (engine/modules.cpp).
const QList<const EngineModule *> &engineModules();

} // namespace Shivx

#pragma once

// The in-process engine the integration and console tests run: real threads, data directory,
// database and (unless switched off) HTTP API, configured from YAML written in the test.

#include "core/config.h"
#include "core/engine.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace ShivxTest {

enum class Api {
    FreePort, // the HTTP API on a free loopback port (127.0.0.1:0)
    Off, // no HTTP API at all
};

// Options for an engine configured by `yaml` with its data in `dataDir`. The YAML is the
// test's own, so an error in it is a bug in the test: qFatal with the message.
inline Shivx::Engine::Options engineOptions(
    const QString &dataDir, const QByteArray &yaml, Api api = Api::FreePort)
{
    const auto config = Shivx::ConfigLoader::parse(yaml, QStringLiteral("test.yaml"));
    if (!config)
        qFatal("test.yaml: %s", qPrintable(config.error().message));
    Shivx::Engine::Options options;
    options.config = config.value();
    options.dataDir = dataDir;
    if (api == Api::Off)
        options.startApi = false;
    else
        options.listen = QStringLiteral("127.0.0.1:0");
    return options;
}

// A started engine (engineOptions), or null with the reason logged when it does not start.
inline std::unique_ptr<Shivx::Engine> startEngine(
    const QString &dataDir, const QByteArray &yaml, Api api = Api::FreePort)
{
    auto engine = std::make_unique<Shivx::Engine>(engineOptions(dataDir, yaml, api));
    const auto started = engine->start();
    if (!started) {
        qWarning("engine start: %s", qUtf8Printable(started.error().toString()));
        return nullptr;
    }
    return engine;
}

} // namespace ShivxTest

#pragma once

// What the pipeline runner's tests share (tst_pipelinerunner, tst_pipelineresume): a runner on
// a real SQLite job store in the test's directory, definitions written there, and "sh -c"
// stages whose side effects land there too.
#include "executor/boundedexecutor.h"
#include "pipelines/pipelinerunner.h"
#include "procfs.h"
#include "recordingauditsink.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

// Gone or a zombie: nothing of it runs.
inline bool isAlive(qint64 pid)
{
    const QList<QByteArray> f = ShivxTest::procStatFields(pid);
    return !f.isEmpty() && f.at(0) != "Z" && f.at(0) != "X";
}

inline QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

class PipelineRunnerFixture : public QObject
{
protected:
    using PipelineRunner = Shivx::PipelineRunner;
    using RunState = Shivx::RunState;
    using StageRecord = Shivx::StageRecord;
    using RunDetail = Shivx::RunDetail;
    using BoundedExecutor = Shivx::BoundedExecutor;

    // A fresh directory, for init().
    void newDirectory()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    RecordingAuditSink m_audit;

    QString defsDir() const { return m_dir->filePath(QStringLiteral("defs")); }
    QString side(const QString &name) const { return m_dir->filePath(name); }

    void writeDef(const QString &name, const QByteArray &yaml)
    {
        QDir().mkpath(defsDir());
        QFile f(QDir(defsDir()).filePath(name + QStringLiteral(".yaml")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(yaml);
    }

    std::unique_ptr<PipelineRunner> makeRunner(
        int maxParallel = 4, BoundedExecutor *executor = nullptr)
    {
        PipelineRunner::Options o;
        o.executor = executor;
        o.config.maxParallelStages = maxParallel;
        o.config.stopTimeoutMs = 2000;
        o.pipelinesDirectory = defsDir();
        o.dataDir = m_dir->filePath(QStringLiteral("data"));
        QDir().mkpath(o.dataDir);
        o.databasePath = m_dir->filePath(QStringLiteral("data/shivx.db"));
        o.audit = &m_audit;
        o.random = [] { return 0.5; };
        auto r = std::make_unique<PipelineRunner>(o);
        const auto started = r->start();
        if (!started)
            qWarning() << started.error().message;
        return r;
    }

    static RunState stateOf(PipelineRunner &r, qint64 id)
    {
        const auto d = r.run(id);
        return d ? d->run.state : RunState::Queued;
    }

    static StageRecord stageOf(const RunDetail &d, const QString &name)
    {
        for (const StageRecord &s : d.stages)
            if (s.stage == name)
                return s;
        return {};
    }

    // "sh -c SCRIPT" as a stage; the scripts write side effects into the test's directory.
    QByteArray shStage(const QString &name, const QString &script, const QString &extra = {})
    {
        return QStringLiteral("  - name: %1\n    command: /bin/sh\n    args: ['-c', '%2']\n%3")
            .arg(name, QString(script).replace(QLatin1String("@"), m_dir->path()), extra)
            .toUtf8();
    }
};

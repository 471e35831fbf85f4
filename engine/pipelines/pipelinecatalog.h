#pragma once

#include "core/result.h"
#include "pipelines/pipelinedefinition.h"

#include <QMap>
#include <QObject>

class QFileSystemWatcher;
class QTimer;

namespace Shivx {

// The pipelines defined in one directory (`pipelines.directory`): every *.yaml / *.yml file
// in it, read again when a file is added, changed or removed (QFileSystemWatcher, settled
// for 200 ms so that an editor's save of several steps is read once). A file that fails to
// load keeps no pipeline and leaves an error naming the file and line; the others load.
// A resource directory (":/...") is read once and not watched.
//
// Lives on the pipeline runner's thread; every method must be called there.
class PipelineCatalog : public QObject
{
    Q_OBJECT
public:
    explicit PipelineCatalog(QString directory, QObject *parent = nullptr);

    QString directory() const { return m_directory; }
    // Reads the directory (again) and starts watching it; emits changed().
    void reload();

    const QMap<QString, PipelineDefinition> &pipelines() const { return m_pipelines; }
    const PipelineDefinition *find(const QString &name) const;
    // Errors of the files that did not load, in file order (code pipeline.invalid).
    const QList<Error> &errors() const { return m_errors; }

Q_SIGNALS:
    void changed();

private:
    void watch();

    QString m_directory;
    QMap<QString, PipelineDefinition> m_pipelines;
    QList<Error> m_errors;
    QFileSystemWatcher *m_watcher = nullptr;
    QTimer *m_settle = nullptr;
};

} // namespace Shivx

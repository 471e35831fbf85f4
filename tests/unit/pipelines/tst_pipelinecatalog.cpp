// The pipelines directory: files load, a bad one leaves an error and the rest load, and the
// directory is read again when a file changes, appears or goes.
#include "pipelines/pipelinecatalog.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;

class TstPipelineCatalog : public QObject
{
    Q_OBJECT

    static void write(const QString &path, const QByteArray &bytes)
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    }

private Q_SLOTS:
    void loadsAndReloads()
    {
        QTemporaryDir dir;
        write(dir.filePath(QStringLiteral("a.yaml")), "stages: [{name: s, command: 'true'}]\n");
        write(dir.filePath(QStringLiteral("bad.yml")),
            "stages: [{name: s, command: 'true', needs: [t]}]\n");
        write(dir.filePath(QStringLiteral("notes.txt")), "not a pipeline");
        PipelineCatalog catalog(dir.path());
        QSignalSpy changed(&catalog, &PipelineCatalog::changed);
        catalog.reload();
        QCOMPARE(catalog.pipelines().keys(), QStringList { QStringLiteral("a") });
        QCOMPARE(catalog.errors().size(), 1);
        QVERIFY2(catalog.errors().first().message.startsWith(
                     dir.filePath(QStringLiteral("bad.yml")) + QStringLiteral(":1: ")),
            qPrintable(catalog.errors().first().message));
        const QString version = catalog.find(QStringLiteral("a"))->version;

        // Changed, fixed and added files are read again.
        changed.clear();
        write(dir.filePath(QStringLiteral("a.yaml")), "stages: [{name: s, command: 'false'}]\n");
        write(dir.filePath(QStringLiteral("bad.yml")), "stages: [{name: s, command: 'true'}]\n");
        QTRY_VERIFY_WITH_TIMEOUT(catalog.find(QStringLiteral("bad")) != nullptr, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(catalog.find(QStringLiteral("a"))->version != version, 5000);
        QVERIFY(catalog.errors().isEmpty());

        // Removed: gone.
        QVERIFY(QFile::remove(dir.filePath(QStringLiteral("a.yaml"))));
        QTRY_VERIFY_WITH_TIMEOUT(catalog.find(QStringLiteral("a")) == nullptr, 5000);
    }

    void duplicatePipelineNameIsAnError()
    {
        QTemporaryDir dir;
        write(dir.filePath(QStringLiteral("a.yaml")),
            "name: same\nstages: [{name: s, command: 'true'}]\n");
        write(dir.filePath(QStringLiteral("b.yaml")),
            "name: same\nstages: [{name: s, command: 'true'}]\n");
        PipelineCatalog catalog(dir.path());
        catalog.reload();
        QCOMPARE(catalog.pipelines().size(), 1);
        QCOMPARE(catalog.errors().size(), 1);
        QVERIFY(catalog.errors().first().message.contains(QStringLiteral("already defined in")));
    }

    // No pipelines.directory: no pipelines. QDir("") is the working directory, so `shivx serve`
    // started next to its shivx.yaml read the configuration as a broken pipeline file.
    void noDirectoryMeansNoPipelines()
    {
        QTemporaryDir dir;
        write(dir.filePath(QStringLiteral("a.yaml")), "stages: [{name: s, command: 'true'}]\n");
        const QString before = QDir::currentPath();
        QVERIFY(QDir::setCurrent(dir.path()));
        PipelineCatalog catalog { QString() };
        catalog.reload();
        QDir::setCurrent(before);
        QVERIFY(catalog.pipelines().isEmpty());
        QVERIFY(catalog.errors().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstPipelineCatalog)
#include "tst_pipelinecatalog.moc"

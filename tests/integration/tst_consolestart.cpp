// The real `shivx-console` when it cannot start (offscreen platform): the error goes to
// stderr and into a modal dialog, SIGTERM and SIGINT close that dialog and end the process at
// once, and a data directory another engine serves ends it with status 2 naming the holder.
#include "servefixture.h"

#include <QElapsedTimer>
#include <QProcessEnvironment>
#include <QTest>

#include <csignal>

namespace {

// Starts the console and waits until it has printed its error line ("shivx-console: ...";
// Qt's own warnings may come before it), after which it shows the dialog. `error` gets that
// line.
bool startConsole(QProcess &console, const QStringList &args, QByteArray *error)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    env.remove(QStringLiteral("LANGUAGE"));
    env.remove(QStringLiteral("LC_ALL"));
    console.setProcessEnvironment(env);
    console.start(QStringLiteral(SHIVX_CONSOLE), args);
    if (!console.waitForStarted(10000))
        return false;
    QByteArray text = "\n"; // so that the first line starts after a newline like the others
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 30000 && console.state() == QProcess::Running) {
        console.waitForReadyRead(100);
        text += console.readAllStandardError();
        const qsizetype at = text.indexOf("\nshivx-console: ");
        const qsizetype end = at >= 0 ? text.indexOf('\n', at + 1) : -1;
        if (end >= 0) {
            *error = text.mid(at + 1, end - at);
            return true;
        }
    }
    *error = text;
    return false;
}

// SIGNAL to the console; its exit status once it ended, or -1 when it is still there after a
// bound generous enough for a loaded machine (then it is killed).
int signalAndWait(QProcess &console, int signal, qint64 *tookMs)
{
    QElapsedTimer t;
    t.start();
    ::kill(pid_t(console.processId()), signal);
    const bool ended = console.waitForFinished(5000 * SHIVX_TIME_SCALE);
    *tookMs = t.elapsed();
    if (!ended) {
        console.kill();
        console.waitForFinished();
        return -1;
    }
    return console.exitStatus() == QProcess::NormalExit ? console.exitCode() : -2;
}

} // namespace

class tst_ConsoleStart : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void signalClosesTheErrorDialog_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGINT") << int(SIGINT);
    }

    void signalClosesTheErrorDialog()
    {
        QFETCH(int, signal);
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("bad.yaml"));
        QFile f(config);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("sampler:\n  interval: 5x\n");
        f.close();
        QProcess console;
        QByteArray err;
        QVERIFY2(startConsole(console,
                     { QStringLiteral("--config"), config, QStringLiteral("--data-dir"),
                         dir.filePath(QStringLiteral("data")) },
                     &err),
            err.constData());
        QVERIFY2(err.contains("bad.yaml:2: sampler.interval: \"5x\" is not a duration"),
            err.constData());
        // The dialog is up and waits for a click; the signal must end it.
        QTest::qWait(300);
        QCOMPARE(console.state(), QProcess::Running);
        qint64 took = 0;
        QCOMPARE(signalAndWait(console, signal, &took), 1);
        qInfo("exited %lld ms after the signal", took);
    }

    void dataDirectoryInUseExitsTwo()
    {
        ServeProcess serve(QStringLiteral(""));
        QVERIFY2(serve.start(), serve.output().constData());
        QProcess console;
        QByteArray err;
        QVERIFY2(startConsole(console,
                     { QStringLiteral("--data-dir"), serve.dataDir(), QStringLiteral("--listen"),
                         QStringLiteral("127.0.0.1:0") },
                     &err),
            err.constData());
        const QByteArray expected = "shivx-console: The data directory " + serve.dataDir().toUtf8()
            + " is in use by the engine with process ID "
            + QByteArray::number(serve.process().processId()) + " (started ";
        QVERIFY2(err.startsWith(expected), err.constData());
        QVERIFY2(err.endsWith("). Stop it, or start with another --data-dir.\n"), err.constData());
        qint64 took = 0;
        QCOMPARE(signalAndWait(console, SIGTERM, &took), 2);
        // The engine that holds the directory never noticed.
        QCOMPARE(httpRequest(serve.url().resolved(QUrl(QStringLiteral("/api/health/live")))).status,
            200);
        QCOMPARE(serve.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_ConsoleStart)
#include "tst_consolestart.moc"

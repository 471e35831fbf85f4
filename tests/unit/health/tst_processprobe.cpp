#include "health/processprobe.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;

namespace {

// A fake /proc with just the files the probe reads.
class FakeProc
{
public:
    bool isValid() const { return m_dir.isValid(); }
    QString root() const { return m_dir.path(); }

    void add(qint64 pid, const QByteArray &comm, char state, const QList<QByteArray> &argv)
    {
        const QString dir = m_dir.filePath(QString::number(pid));
        QDir().mkpath(dir);
        write(dir + QLatin1String("/comm"), comm + '\n');
        write(dir + QLatin1String("/stat"),
            QByteArray::number(pid) + " (" + comm + ") " + state + " 1 1 1 0 -1 4194560");
        QByteArray cmdline;
        for (const QByteArray &arg : argv)
            cmdline += arg + '\0';
        write(dir + QLatin1String("/cmdline"), cmdline);
    }

    QString pidFile(const QByteArray &content)
    {
        const QString path = m_dir.filePath(QStringLiteral("service.pid"));
        write(path, content);
        return path;
    }

private:
    static void write(const QString &path, const QByteArray &data)
    {
        QFile file(path);
        if (file.open(QIODevice::WriteOnly))
            file.write(data);
    }

    QTemporaryDir m_dir;
};

} // namespace

class TestProcessProbe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void findByName_data();
    void findByName();
    void isRunning_data();
    void isRunning();
    void pidFile_data();
    void pidFile();
};

void TestProcessProbe::findByName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QList<qint64>>("pids");

    QTest::newRow("comm matches") << "nginx" << QList<qint64> { 100, 101 };
    QTest::newRow("argv[0] basename matches a long name")
        << "systemd-journald" << QList<qint64> { 200 };
    QTest::newRow("zombie with the name does not count") << "defunctd" << QList<qint64> {};
    QTest::newRow("comm with spaces and parentheses") << "odd (name)" << QList<qint64> { 400 };
    QTest::newRow("prefix of a name is not a match") << "ngin" << QList<qint64> {};
    QTest::newRow("argument other than argv[0] is not a match") << "conf" << QList<qint64> {};
    QTest::newRow("empty name matches nothing") << "" << QList<qint64> {};
}

void TestProcessProbe::findByName()
{
    QFETCH(QString, name);
    FakeProc proc;
    QVERIFY(proc.isValid());
    proc.add(100, "nginx", 'S', { "/usr/sbin/nginx", "-g", "daemon off;" });
    proc.add(101, "nginx", 'R', { "nginx: worker process" });
    // comm is cut at 15 bytes by the kernel
    proc.add(200, "systemd-journal", 'S', { "/lib/systemd/systemd-journald" });
    proc.add(300, "defunctd", 'Z', {});
    proc.add(400, "odd (name)", 'S', { "/opt/odd" });
    proc.add(500, "python3", 'S', { "/usr/bin/python3", "conf" });
    QDir().mkpath(proc.root() + QLatin1String("/self"));
    QDir().mkpath(proc.root() + QLatin1String("/sys"));

    QTEST(ProcessProbe::findByName(name, proc.root()), "pids");
}

void TestProcessProbe::isRunning_data()
{
    QTest::addColumn<char>("state");
    QTest::addColumn<bool>("running");
    QTest::newRow("sleeping") << 'S' << true;
    QTest::newRow("running") << 'R' << true;
    QTest::newRow("disk sleep") << 'D' << true;
    QTest::newRow("stopped") << 'T' << true;
    QTest::newRow("zombie") << 'Z' << false;
    QTest::newRow("dead") << 'X' << false;
}

void TestProcessProbe::isRunning()
{
    QFETCH(char, state);
    FakeProc proc;
    proc.add(42, "svc", state, { "svc" });
    QTEST(ProcessProbe::isRunning(42, proc.root()), "running");
    QVERIFY(!ProcessProbe::isRunning(43, proc.root()));
    QVERIFY(!ProcessProbe::isRunning(0, proc.root()));
}

void TestProcessProbe::pidFile_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("error"); // %1 = pid file path

    QTest::newRow("live pid") << QByteArray("42\n") << "";
    QTest::newRow("pid without newline") << QByteArray("42") << "";
    QTest::newRow("pid not in /proc") << QByteArray("77\n") << "pid 77 from %1 is not running";
    QTest::newRow("zombie pid") << QByteArray("43\n") << "pid 43 from %1 is not running";
    QTest::newRow("garbage") << QByteArray("nginx\n") << "pid file %1 does not contain a pid";
    QTest::newRow("empty file") << QByteArray() << "pid file %1 does not contain a pid";
    QTest::newRow("negative") << QByteArray("-5\n") << "pid file %1 does not contain a pid";
}

void TestProcessProbe::pidFile()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, error);
    FakeProc proc;
    proc.add(42, "svc", 'S', { "svc" });
    proc.add(43, "svc", 'Z', {});
    TargetSpec spec;
    spec.kind = TargetKind::Process;
    spec.pidFile = proc.pidFile(content);
    const QString expected = error.isEmpty() ? QString() : error.arg(spec.pidFile);
    QCOMPARE(ProcessProbe::check(spec, proc.root()).text, expected);
}

QTEST_GUILESS_MAIN(TestProcessProbe)
#include "tst_processprobe.moc"

// guardian.watchers: read through ConfigReader, with errors that name the file, line and key.
#include "core/configreader.h"
#include "guardian/detectors/logfilter.h"
#include "guardian/detectors/watcherconfig.h"

#include <QTest>

#include <yaml-cpp/yaml.h>

using namespace Shivx;

namespace {

Result<QList<WatcherConfig>> read(const char *yaml)
{
    const YAML::Node root = YAML::Load(yaml);
    Internal::ConfigReader r(QStringLiteral("shivx.yaml"));
    QList<WatcherConfig> out;
    Internal::readWatchers(
        r, root["guardian"]["watchers"], QStringLiteral("guardian.watchers"), &out);
    if (r.error)
        return *r.error;
    return out;
}

} // namespace

class TstWatcherConfig : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsBuiltinAndRegexWatchers()
    {
        // The example in docs/configuration.md, guardian.watchers.
        // A raw string here would hide this class from moc (it miscounts the quotes).
        const auto w = read("guardian:\n"
                            "  watchers:\n"
                            "    - name: sshd\n"
                            "      file: /var/log/auth.log\n"
                            "      filter: sshd\n"
                            "      window: 10m\n"
                            "      threshold: 5\n"
                            "      action: isolate\n"
                            "    - name: web-4xx\n"
                            "      file: /var/log/nginx/access.log\n"
                            "      filter: '^(?<source>\\S+) \\S+ \\S+ \\[[^\\]]*\\] \"[A-Z]+ "
                            "(?<path>\\S+) [^\"]*\" (?<status>4\\d\\d) '\n"
                            "      window: 1m\n"
                            "      threshold: 100\n");
        QVERIFY2(w.ok(), w.ok() ? "" : qPrintable(w.error().message));
        QCOMPARE(w->size(), 2);
        QCOMPARE(w->at(0).name, QStringLiteral("sshd"));
        QCOMPARE(w->at(0).windowMs, qint64(600'000));
        QCOMPARE(w->at(0).threshold, 5);
        QCOMPARE(w->at(0).action, QStringLiteral("isolate"));
        QCOMPARE(w->at(1).windowMs, qint64(60'000));
        QCOMPARE(w->at(1).threshold, 100);
        QCOMPARE(w->at(1).action, QStringLiteral("notify")); // the default
        const auto f = LogFilter::compile(w->at(1).filter);
        QVERIFY(f.ok());
        LogMatch m(*f);
        const QByteArray line("203.0.113.7 - - [07/Dec/2026:08:01:02 +0000] \"GET /.env HTTP/1.1\" "
                              "404 153 \"-\" \"curl/7.88.1\"");
        QVERIFY(f->match(line, m));
        QCOMPARE(m.field(LogField::Path), QByteArrayView("/.env"));
        QCOMPARE(m.field(LogField::Status), QByteArrayView("404"));
    }

    void absentIsEmpty()
    {
        const auto w = read("guardian: {}\n");
        QVERIFY(w.ok());
        QVERIFY(w->isEmpty());
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("entry");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown key")
            << QByteArray("{name: a, file: /x, filter: sshd, maxretry: 3}")
            << QStringLiteral("shivx.yaml:4: guardian.watchers[1].maxretry: "
                              "unknown key (known: action, file, filter, "
                              "isolate_for, name, severity, threshold, window)");
        QTest::newRow("bad regex")
            << QByteArray("{name: a, file: /x, filter: '(?<source>\\S+'}")
            << QStringLiteral("shivx.yaml:4: guardian.watchers[1].filter: regex: invalid regular "
                              "expression at offset 13: missing closing parenthesis");
        QTest::newRow("no source group")
            << QByteArray("{name: a, file: /x, filter: 'from (\\S+)'}")
            << QStringLiteral("shivx.yaml:4: guardian.watchers[1].filter: the regular expression "
                              "has no (?<source>...) group");
        QTest::newRow("relative file") << QByteArray("{name: a, file: x.log, filter: sshd}")
                                       << QStringLiteral("shivx.yaml:4: guardian.watchers[1].file: "
                                                         "\"x.log\" is not an absolute path");
        QTest::newRow("missing file") << QByteArray("{name: a, filter: sshd}")
                                      << QStringLiteral("shivx.yaml:4: guardian.watchers[1].file: "
                                                        "missing");
        QTest::newRow("duplicate name")
            << QByteArray("{name: one, file: /x, filter: sshd}")
            << QStringLiteral("shivx.yaml:4: guardian.watchers[1].name: "
                              "\"one\" is used twice");
        QTest::newRow("threshold 0")
            << QByteArray("{name: a, file: /x, filter: sshd, threshold: 0}")
            << QStringLiteral("shivx.yaml:4: guardian.watchers[1].threshold: "
                              "0 is out of range");
        QTest::newRow("window") << QByteArray("{name: a, file: /x, filter: sshd, window: soon}")
                                << QStringLiteral("shivx.yaml:4: guardian.watchers[1].window: ");
        QTest::newRow("unknown action")
            << QByteArray("{name: a, file: /x, filter: sshd, action: ban}")
            << QStringLiteral("shivx.yaml:4: guardian.watchers[1].action: "
                              "\"ban\" is not notify or isolate");
        QTest::newRow("unknown severity")
            << QByteArray("{name: a, file: /x, filter: sshd, severity: high}")
            << QStringLiteral("shivx.yaml:4: guardian.watchers[1].severity: "
                              "\"high\" is not info, warning or critical");
    }

    void errors()
    {
        QFETCH(QByteArray, entry);
        QFETCH(QString, message);
        const QByteArray yaml
            = "guardian:\n  watchers:\n    - {name: one, file: /var/log/auth.log, "
              "filter: sshd}\n    - "
            + entry + "\n";
        const auto w = read(yaml.constData());
        QVERIFY(!w.ok());
        QVERIFY2(w.error().message.startsWith(message), qPrintable(w.error().message));
    }
};

QTEST_GUILESS_MAIN(TstWatcherConfig)
#include "tst_watcherconfig.moc"

// guardian.watchers: read through ConfigReader, with errors that name the file, line and key.
#include "core/configreader.h"
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
        const auto w = read(R"(
guardian:
  watchers:
    - name: sshd
      file: /var/log/auth.log
      filter: sshd
      window: 10m
      threshold: 5
      action: isolate
    - name: web-4xx
      file: /var/log/nginx/access.log
      filter: '^(?<source>\S+) .* (?<status>4\d\d) '
)");
        QVERIFY2(w.ok(), w.ok() ? "" : qPrintable(w.error().message));
        QCOMPARE(w->size(), 2);
        QCOMPARE(w->at(0).name, QStringLiteral("sshd"));
        QCOMPARE(w->at(0).windowMs, qint64(600'000));
        QCOMPARE(w->at(0).threshold, 5);
        QCOMPARE(w->at(0).action, QStringLiteral("isolate"));
        QCOMPARE(w->at(1).filter, QStringLiteral("^(?<source>\\S+) .* (?<status>4\\d\\d) "));
        QCOMPARE(w->at(1).windowMs, qint64(600'000)); // defaults
        QCOMPARE(w->at(1).threshold, 5);
        QCOMPARE(w->at(1).action, QStringLiteral("notify"));
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
                              "name, threshold, window)");
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

// The console in German against the real engine: what the engine says (a target's last error,
// a breaker's reason, the score's and readiness' details, the degradation level's reason)
// reaches the operator in German. The engine keeps English in its API, logs and audit chain;
// none of that English may show on a page.

#include "audit/auditpage.h"
#include "core/engine.h"
#include "degradation/degradationservice.h"
#include "health/healthservice.h"
#include "recovery/recoveryservice.h"
#include "shell/mainwindow.h"
#include "testengine.h"
#include "widgets/enginewording.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QDir>
#include <QDirIterator>
#include <QGroupBox>
#include <QLabel>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

#include <memory>

using namespace Shivx;
using Shivx::Ui::EngineWording;
using Shivx::Ui::MainWindow;

namespace {

// A port nothing listens on: bound, noted, released.
quint16 closedPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost);
    return server.serverPort();
}

// Every English sentence the engine currently says, with its code, from its own snapshots.
QHash<QString, QString> englishFromEngine(Engine *engine)
{
    QHash<QString, QString> out; // text -> code
    auto add = [&out](const Message &m) {
        if (!m.code.isEmpty() && !m.text.isEmpty())
            out.insert(m.text, m.code);
        for (const QVariant &a : m.args)
            if (a.canConvert<Message>()) {
                const Message nested = a.value<Message>();
                if (!nested.code.isEmpty() && !nested.text.isEmpty())
                    out.insert(nested.text, nested.code);
            }
    };
    const auto *health = engine->service<HealthService>();
    for (const TargetStatus &t : health->targets())
        add(t.lastError);
    for (const ScoreComponent &c : health->health().components)
        add(c.detail);
    for (const ReadinessCheck &c : engine->readiness().checks)
        add(c.detail);
    for (const BreakerSnapshot &b : engine->service<RecoveryService>()->breakers())
        add(b.lastReason);
    add(engine->service<DegradationService>()->snapshot().reason);
    return out;
}

// Everything a page shows as text: labels, buttons, group titles, the status bar, and every
// cell and tooltip of every table. The Audit page is left out: it shows the audit chain as
// recorded, and the chain keeps the engine's English by design.
QStringList shownTexts(MainWindow &window)
{
    QWidget *audit = window.page<Ui::AuditPage>();
    auto outsideAudit
        = [audit](const QWidget *w) { return !audit || (w != audit && !audit->isAncestorOf(w)); };
    QStringList texts;
    for (const QLabel *l : window.findChildren<QLabel *>())
        if (outsideAudit(l))
            texts << l->text() << l->toolTip();
    for (const QAbstractButton *b : window.findChildren<QAbstractButton *>())
        if (outsideAudit(b))
            texts << b->text() << b->toolTip();
    for (const QGroupBox *g : window.findChildren<QGroupBox *>())
        if (outsideAudit(g))
            texts << g->title();
    texts << window.statusBar()->currentMessage();
    for (const QAbstractItemView *v : window.findChildren<QAbstractItemView *>()) {
        const QAbstractItemModel *m = v->model();
        if (!m || !outsideAudit(v))
            continue;
        for (int r = 0; r < m->rowCount(); ++r)
            for (int c = 0; c < m->columnCount(); ++c) {
                const QModelIndex i = m->index(r, c);
                texts << i.data(Qt::DisplayRole).toString() << i.data(Qt::ToolTipRole).toString();
            }
    }
    texts.removeAll(QString());
    return texts;
}

} // namespace

class TstGermanConsole : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void everyCodeTheEngineMakesIsWorded();
    void everyWordingHasAGermanTranslation();
    void pagesShowNoEnglishFromTheEngine();

private:
    QTranslator m_german;
};

void TstGermanConsole::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_german.load(QStringLiteral(":/i18n/shivx_de.qm")));
}

void TstGermanConsole::cleanupTestCase()
{
    QCoreApplication::removeTranslator(&m_german);
}

// A code the engine makes but the console does not know would show in English.
void TstGermanConsole::everyCodeTheEngineMakesIsWorded()
{
    const QStringList worded = EngineWording::messageCodes();
    static const QRegularExpression made(QStringLiteral(R"(makeMessage\(\s*"([a-z_.]+)\")"));
    QStringList madeCodes;
    QDirIterator it(QStringLiteral(SHIVX_SOURCE_DIR "/engine"), { QStringLiteral("*.cpp") },
        QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString source = QString::fromUtf8(f.readAll());
        for (auto m = made.globalMatch(source); m.hasNext();)
            madeCodes << m.next().captured(1);
    }
    madeCodes.removeDuplicates();
    // The engine's reasons: breakers, degradation, score, readiness, probes, targets.
    QVERIFY2(madeCodes.size() >= 50, qPrintable(madeCodes.join(QLatin1Char(' '))));
    for (const QString &code : std::as_const(madeCodes))
        QVERIFY2(worded.contains(code), qPrintable(code + QStringLiteral(" has no wording")));
}

// Worded in English and in German, each code reads differently: no tr() string of
// EngineWording is left untranslated in the catalogue.
void TstGermanConsole::everyWordingHasAGermanTranslation()
{
    const Message inner = makeMessage("probe.connection_refused", {}, QString());
    // Arguments that every wording accepts: numbers, a level, a target state, a message.
    auto sample = [&inner](const QString &code) -> QVariantList {
        if (code == QLatin1String("score.target"))
            return { QStringLiteral("db"), QStringLiteral("DOWN"), QVariant(), true };
        if (code == QLatin1String("readiness.engine_state"))
            return { QStringLiteral("running") };
        if (code == QLatin1String("readiness.target"))
            return { QStringLiteral("DOWN"), QVariant::fromValue(inner) };
        if (code == QLatin1String("readiness.degradation"))
            return { QStringLiteral("LEVEL_2"), QVariant::fromValue(inner) };
        if (code.startsWith(QLatin1String("target.")) || code.endsWith(QLatin1String("released")))
            return { QVariant::fromValue(inner), 2, 3 };
        return { 2, 3, QStringLiteral("x"), 4 };
    };
    QCoreApplication::removeTranslator(&m_german);
    QHash<QString, QString> english;
    for (const QString &code : EngineWording::messageCodes())
        english.insert(code, EngineWording::message({ code, sample(code), QString() }));
    QVERIFY(QCoreApplication::installTranslator(&m_german));
    for (const QString &code : EngineWording::messageCodes()) {
        const QString german = EngineWording::message({ code, sample(code), QString() });
        QVERIFY2(!german.isEmpty(), qPrintable(code));
        QVERIFY2(german != english.value(code),
            qPrintable(QStringLiteral("%1 reads \"%2\" in German too").arg(code, german)));
    }
}

void TstGermanConsole::pagesShowNoEnglishFromTheEngine()
{
    const quint16 refused = closedPort();
    // A target that is refused: after two failures its breaker opens, so it shows the last
    // error and "circuit open"; the score drops and the level with it.
    const QByteArray yaml = "engine: {listen: \"127.0.0.1:0\"}\n"
                            "sampler: {interval: 200ms}\n"
                            "recovery:\n"
                            "  breaker: {failure_threshold: 2, failure_rate: 0, "
                            "recovery_timeout: 10m}\n"
                            "targets:\n"
                            "  - {name: refused, type: tcp, host: 127.0.0.1, port: "
        + QByteArray::number(refused)
        + ", interval: 200ms, timeout: 150ms, critical: true, failure_threshold: 1}\n";
    QTemporaryDir dataDir;
    QVERIFY(dataDir.isValid());
    std::unique_ptr<Engine> engine = ShivxTest::startEngine(dataDir.path(), yaml);
    QVERIFY(engine);
    QVERIFY(QCoreApplication::installTranslator(&m_german));
    MainWindow window(engine.get());
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    // Wait until the engine says what this test is about.
    QHash<QString, QString> english;
    const auto says = [&](const char *code) {
        english = englishFromEngine(engine.get());
        return english.values().contains(QLatin1String(code));
    };
    QTRY_VERIFY_WITH_TIMEOUT(says("target.circuit_open") && says("breaker.consecutive_failures")
            && says("probe.connection_refused") && says("score.target"),
        15000);

    for (int page = 0; page < window.pageCount(); ++page) {
        window.showPage(page);
        QTest::qWait(300); // pages refresh what they show on their timers
        english = englishFromEngine(engine.get());
        const QStringList shown = shownTexts(window);
        for (const QString &text : shown)
            for (auto it = english.cbegin(); it != english.cend(); ++it)
                QVERIFY2(!text.contains(it.key()),
                    qPrintable(QStringLiteral("page %1 shows the engine's English \"%2\" (%3) in "
                                              "\"%4\"")
                                   .arg(page)
                                   .arg(it.key(), it.value(), text)));
    }

    // And the target's error is there, in German.
    window.showPage(QStringLiteral("overview"));
    const TargetStatus target = engine->service<HealthService>()->targets().value(0);
    const QString german = EngineWording::message(target.lastError);
    QVERIFY2(german.contains(QStringLiteral("Verbindung abgelehnt")), qPrintable(german));
    QTRY_VERIFY(shownTexts(window).contains(
        EngineWording::message(engine->service<HealthService>()->targets().value(0).lastError)));
    const QString shots = QStringLiteral(SHIVX_BINARY_DIR "/screenshots");
    QDir().mkpath(shots);
    QVERIFY(window.grab().save(shots + QStringLiteral("/overview-reasons-de.png")));
    window.showPage(QStringLiteral("recovery"));
    QTest::qWait(300);
    QVERIFY(window.grab().save(shots + QStringLiteral("/recovery-reasons-de.png")));

    QCoreApplication::removeTranslator(&m_german);
    window.close();
    engine->stop();
}

QTEST_MAIN(TstGermanConsole)
#include "tst_germanconsole.moc"

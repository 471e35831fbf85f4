// The Pipelines page against a real engine (real runner, SQLite job store, real stage
// processes) on a temporary data directory: the page lists the pipelines, Run with a
// parameter through the dialog starts a run whose stage states reach the DAG view, a clicked
// stage shows its attempts, log and artifact hashes, a failing pipeline lands in the
// dead-letter queue and Retry (from the failed stage) and Discard work after confirmation,
// a second run shows its progress with an estimate of the time left, and Cancel stops a long
// stage's process. Screenshots in English and German go to build/screenshots.
#include "core/engine.h"
#include "pipelines/dagview.h"
#include "pipelines/deadletterpanel.h"
#include "pipelines/pipelineservice.h"
#include "pipelines/pipelinesmodel.h"
#include "pipelines/pipelinespage.h"
#include "pipelines/runparamsdialog.h"
#include "pipelines/runsfilter.h"
#include "pipelines/runsmodel.h"
#include "pipelines/runspanel.h"
#include "pipelines/stagedetailspanel.h"
#include "shell/mainwindow.h"
#include "testengine.h"
#include "widgets/displayformat.h"

#include <QApplication>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTranslator>

#include <csignal>

using namespace Shivx;
using Shivx::Ui::DagNodeState;
using Shivx::Ui::MainWindow;
using Shivx::Ui::PipelinesPage;
using Shivx::Ui::RunParamsDialog;
using Shivx::Ui::RunsModel;

namespace {

void writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    f.write(content);
}

// Calls `answer` with the next modal widget named `name` once it is up (polled: a modal
// dialog's exec() runs its own event loop).
template <class Widget> void whenModal(const QString &name, std::function<void(Widget *)> answer)
{
    auto *timer = new QTimer;
    auto *waited = new int(0);
    QObject::connect(timer, &QTimer::timeout, [timer, waited, name, answer] {
        auto *w = qobject_cast<Widget *>(QApplication::activeModalWidget());
        if ((w && w->objectName() == name) || ++*waited > 200) {
            timer->stop();
            timer->deleteLater();
            delete waited;
            if (w && w->objectName() == name)
                answer(w);
        }
    });
    timer->start(25);
}

// Presses the accepting button of the next confirmation named `name`.
void confirmNext(const QString &name)
{
    whenModal<QMessageBox>(name, [](QMessageBox *box) {
        box->findChild<QPushButton *>(QStringLiteral("confirmButton"))->click();
    });
}

bool processGone(qint64 pid)
{
    if (pid <= 0)
        return false;
    if (::kill(pid_t(pid), 0) != 0)
        return true;
    // A zombie waiting for its reaper no longer runs.
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray s = stat.readAll();
    const int close = int(s.lastIndexOf(')'));
    return close > 0 && s.mid(close + 2, 1) == "Z";
}

QByteArray config(const QString &defs)
{
    return QStringLiteral("pipelines:\n"
                          "  directory: %1\n"
                          "  stop_timeout: 500ms\n")
        .arg(defs)
        .toUtf8();
}

// The pipelines of the test: greet (parameter, artifacts, a fan-out), flaky (fails until a
// file exists), steps (two timed stages, for the estimate), slow (a stage that would take a
// minute).
void writePipelines(const QString &defs, const QString &marks)
{
    QDir().mkpath(defs);
    QDir().mkpath(marks);
    writeFile(defs + QStringLiteral("/greet.yaml"),
        "description: says hello to someone\n"
        "params: {who: world}\n"
        "stages:\n"
        "  - name: hello\n"
        "    command: /bin/sh\n"
        "    args: ['-c', 'echo \"hello $SHIVX_PARAM_WHO\" > \"$SHIVX_ARTIFACTS/greeting.txt\";"
        " echo \"said hello to $SHIVX_PARAM_WHO\"']\n"
        "    artifacts: true\n"
        "  - name: shout\n"
        "    command: /bin/sh\n"
        "    args: ['-c', 'tr a-z A-Z < \"$SHIVX_INPUT_HELLO/greeting.txt\"']\n"
        "    needs: [hello]\n"
        "  - name: count\n"
        "    command: /bin/sh\n"
        "    args: ['-c', 'wc -c < \"$SHIVX_INPUT_HELLO/greeting.txt\"']\n"
        "    needs: [hello]\n");
    writeFile(defs + QStringLiteral("/flaky.yaml"),
        QStringLiteral("stages:\n"
                       "  - name: prepare\n"
                       "    command: /bin/sh\n"
                       "    args: ['-c', 'echo run >> %1/prepare.count']\n"
                       "  - name: check\n"
                       "    command: /bin/sh\n"
                       "    args: ['-c', 'test -f %1/ok || { echo \"%1/ok is missing\" >&2; "
                       "exit 3; }']\n"
                       "    needs: [prepare]\n")
            .arg(marks)
            .toUtf8());
    writeFile(defs + QStringLiteral("/steps.yaml"),
        "schedule: '0 3 1 1 *'\n"
        "stages:\n"
        "  - {name: first, command: /bin/sh, args: ['-c', 'sleep 0.3']}\n"
        "  - {name: second, command: /bin/sh, args: ['-c', 'sleep 2'], needs: [first]}\n");
    writeFile(defs + QStringLiteral("/slow.yaml"),
        QStringLiteral("stages:\n"
                       "  - name: wait\n"
                       "    command: /bin/sh\n"
                       "    args: ['-c', 'echo $$ > %1/slow.pid; exec sleep 60']\n")
            .arg(marks)
            .toUtf8());
}

// An engine on `dir`/data running the test's pipelines from `dir`/defs (marks in `dir`/marks).
std::unique_ptr<Engine> startWithPipelines(const QString &dir)
{
    const QString defs = dir + QStringLiteral("/defs");
    writePipelines(defs, dir + QStringLiteral("/marks"));
    return ShivxTest::startEngine(dir + QStringLiteral("/data"), config(defs), ShivxTest::Api::Off);
}

// The window at a screenshot's size on the Pipelines page, exposed; null if it is missing.
PipelinesPage *showPipelinesPage(MainWindow &window)
{
    window.resize(1280, 900);
    window.showPage(window.pageIndex(QStringLiteral("pipelines")));
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return nullptr;
    return window.page<PipelinesPage>();
}

// Runs `pipeline` through the page's Run button and dialog, with `params` set in it.
qint64 runFromPage(
    PipelinesPage *page, const QString &pipeline, const QMap<QString, QString> &params = {})
{
    if (!page->selectPipeline(pipeline))
        return 0;
    qint64 id = 0;
    QObject::connect(
        page, &PipelinesPage::runStarted, page, [&id](qint64 run) { id = run; },
        Qt::SingleShotConnection);
    whenModal<RunParamsDialog>(QStringLiteral("runParamsDialog"), [params](RunParamsDialog *d) {
        for (auto it = params.begin(); it != params.end(); ++it)
            d->setParam(it.key(), it.value());
        d->accept();
    });
    page->findChild<QPushButton *>(QStringLiteral("runButton"))->click();
    return id;
}

// The run's state as the engine spells it (comparable in QCOMPARE's messages).
QString stateOf(PipelineService *service, qint64 run)
{
    const auto d = service->runDetail(run);
    return d ? toString(d->run.state) : d.error().code;
}

QString state(RunState s)
{
    return toString(s);
}

// A stage's state in the page's DAG view, by name ("none" for an unknown stage).
QString node(PipelinesPage *page, const char *stage)
{
    const auto s = page->dagView()->nodeState(QLatin1String(stage));
    return s ? Ui::DagView::stateName(*s) : QStringLiteral("none");
}

QString node(DagNodeState s)
{
    return Ui::DagView::stateName(s);
}

} // namespace

class TstPipelinesPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void runsDeadLettersProgressAndCancel()
    {
        QTemporaryDir dir;
        const QString marks = dir.filePath(QStringLiteral("marks"));
        auto engine = startWithPipelines(dir.path());
        QVERIFY(engine);
        auto *service = engine->service<PipelineService>();

        MainWindow window(engine.get());
        PipelinesPage *page = showPipelinesPage(window);
        QVERIFY(page);

        // The list.
        QTRY_COMPARE_WITH_TIMEOUT(page->pipelinesModel()->rowCount(), 4, 10000);
        const int greetRow = page->pipelinesModel()->rowOf(QStringLiteral("greet"));
        QVERIFY(greetRow >= 0);
        QCOMPARE(
            page->pipelinesModel()->index(greetRow, Ui::PipelinesModel::LastRun).data().toString(),
            QStringLiteral("never"));
        // A schedule shows with its next fire time.
        const int stepsRow = page->pipelinesModel()->rowOf(QStringLiteral("steps"));
        QVERIFY(page->pipelinesModel()->pipeline(stepsRow).nextFireMs > 0);
        QCOMPARE(page->pipelinesModel()->index(stepsRow, Ui::PipelinesModel::Schedule).data(),
            QVariant(QStringLiteral("0 3 1 1 *")));
        QCOMPARE(page->pipelinesModel()->index(stepsRow, Ui::PipelinesModel::NextRun).data(),
            QVariant(Ui::DisplayFormat::dateTime(
                page->pipelinesModel()->pipeline(stepsRow).nextFireMs)));
        QVERIFY(page->selectPipeline(QStringLiteral("greet")));
        QCOMPARE(page->dagView()->nodeCount(), 3);
        QCOMPARE(node(page, "hello"), node(DagNodeState::Pending));

        // Run with a parameter: the dialog, the run, the states in the graph.
        const qint64 greet = runFromPage(
            page, QStringLiteral("greet"), { { QStringLiteral("who"), QStringLiteral("shivx") } });
        QVERIFY(greet > 0);
        QCOMPARE(page->shownRun(), greet);
        QCOMPARE(
            page->shownDetail().run.params.value(QStringLiteral("who")), QStringLiteral("shivx"));
        QVERIFY(page->actionStatus().contains(QString::number(greet)));
        for (const char *stage : { "hello", "shout", "count" })
            QTRY_COMPARE_WITH_TIMEOUT(node(page, stage), node(DagNodeState::Succeeded), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(service, greet), state(RunState::Succeeded), 10000);
        QTRY_VERIFY(
            page->pipelinesModel()->index(greetRow, Ui::PipelinesModel::State).data().toString()
            == QStringLiteral("Succeeded"));

        // A stage: its attempt, log and artifact with the hash of what it wrote.
        page->dagView()->selectNode(QStringLiteral("hello"));
        Q_EMIT page->dagView()->nodeActivated(QStringLiteral("hello"));
        auto *panel = page->stagePanel();
        QCOMPARE(panel->stage(), QStringLiteral("hello"));
        QCOMPARE(panel->attemptsTable()->rowCount(), 1);
        QCOMPARE(panel->attemptsTable()->item(0, 1)->text(), QStringLiteral("Succeeded"));
        QTRY_VERIFY(panel->logText().contains(QStringLiteral("said hello to shivx")));
        QCOMPARE(panel->artifactsTable()->rowCount(), 1);
        QCOMPARE(panel->artifactsTable()->item(0, 0)->text(), QStringLiteral("greeting.txt"));
        QCOMPARE(panel->artifactsTable()->item(0, 2)->text(),
            QString::fromLatin1(
                QCryptographicHash::hash("hello shivx\n", QCryptographicHash::Sha256).toHex()));
        Q_EMIT page->dagView()->nodeActivated(QStringLiteral("shout"));
        QTRY_VERIFY(panel->logText().contains(QStringLiteral("HELLO SHIVX")));

        // An unknown parameter is refused by the engine and worded on the page.
        QCOMPARE(runFromPage(page, QStringLiteral("greet"),
                     { { QStringLiteral("whom"), QStringLiteral("x") } }),
            qint64(0));
        QVERIFY2(page->actionStatus().contains(QStringLiteral("has no parameter whom")),
            qPrintable(page->actionStatus()));

        // A failing pipeline lands in the dead-letter queue.
        auto *dlq = page->deadLetterPanel();
        const qint64 flaky = runFromPage(page, QStringLiteral("flaky"));
        QVERIFY(flaky > 0);
        QTRY_COMPARE_WITH_TIMEOUT(dlq->count(), 1, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(node(page, "check"), node(DagNodeState::Failed), 5000);
        QCOMPARE(node(page, "prepare"), node(DagNodeState::Succeeded));
        QVERIFY(dlq->selectRun(flaky));
        QCOMPARE(page->shownRun(), flaky);
        page->dagView()->selectNode(QStringLiteral("check"));
        Q_EMIT page->dagView()->nodeActivated(QStringLiteral("check"));
        panel->findChild<QComboBox *>(QStringLiteral("logStream"))->setCurrentIndex(1);
        QTRY_VERIFY(panel->logText().contains(QStringLiteral("/ok is missing")));

        // Retry, refused at the confirmation: nothing happens.
        whenModal<QMessageBox>(QStringLiteral("deadLetterConfirm"),
            [](QMessageBox *box) { box->button(QMessageBox::Cancel)->click(); });
        dlq->findChild<QPushButton *>(QStringLiteral("retryButton"))->click();
        QCOMPARE(stateOf(service, flaky), state(RunState::DeadLetter));
        // Retry, confirmed, with the cause fixed: from the failed stage only.
        writeFile(marks + QStringLiteral("/ok"), "");
        QVERIFY(dlq->selectRun(flaky));
        confirmNext(QStringLiteral("deadLetterConfirm"));
        dlq->findChild<QPushButton *>(QStringLiteral("retryButton"))->click();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(service, flaky), state(RunState::Succeeded), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(node(page, "check"), node(DagNodeState::Succeeded), 5000);
        QTRY_COMPARE(dlq->count(), 0);
        QFile count(marks + QStringLiteral("/prepare.count"));
        QVERIFY(count.open(QIODevice::ReadOnly));
        QCOMPARE(count.readAll(), QByteArray("run\n")); // prepare was not run again

        // Discard, confirmed.
        QVERIFY(QFile::remove(marks + QStringLiteral("/ok")));
        const qint64 flaky2 = runFromPage(page, QStringLiteral("flaky"));
        QTRY_COMPARE_WITH_TIMEOUT(dlq->count(), 1, 15000);
        QVERIFY(dlq->selectRun(flaky2));
        confirmNext(QStringLiteral("deadLetterConfirm"));
        dlq->findChild<QPushButton *>(QStringLiteral("discardButton"))->click();
        QTRY_COMPARE(stateOf(service, flaky2), state(RunState::Discarded));
        QTRY_COMPARE(dlq->count(), 0);
        QVERIFY(page->actionStatus().contains(QStringLiteral("discarded")));

        // The runs table and its filters.
        auto *stateFilter = page->findChild<QComboBox *>(QStringLiteral("runStateFilter"));
        auto *pipelineFilter = page->findChild<QComboBox *>(QStringLiteral("runPipelineFilter"));
        auto *search = page->findChild<QLineEdit *>(QStringLiteral("runSearch"));
        QTRY_COMPARE(page->runsModel()->rowCount(), 3);
        pipelineFilter->setCurrentIndex(pipelineFilter->findText(QStringLiteral("flaky")));
        QCOMPARE(page->runsPanel()->filter()->rowCount(), 2);
        stateFilter->setCurrentIndex(stateFilter->findData(int(RunState::Discarded)));
        QCOMPARE(page->runsPanel()->filter()->rowCount(), 1);
        pipelineFilter->setCurrentIndex(0);
        stateFilter->setCurrentIndex(0);
        search->setText(QStringLiteral("who=shivx"));
        QCOMPARE(page->runsPanel()->filter()->rowCount(), 1);
        QCOMPARE(page->runsPanel()
                     ->filter()
                     ->index(0, RunsModel::Id)
                     .data(RunsModel::RunIdRole)
                     .toLongLong(),
            greet);
        search->clear();
        QCOMPARE(page->runsPanel()->filter()->rowCount(), 3);

        // Progress with an estimate: a second run of steps knows the first one's durations.
        const qint64 steps1 = runFromPage(page, QStringLiteral("steps"));
        QVERIFY(steps1 > 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            page->progressText().contains(QStringLiteral("no earlier run")), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(service, steps1), state(RunState::Succeeded), 15000);
        const qint64 steps2 = runFromPage(page, QStringLiteral("steps"));
        QVERIFY(steps2 > 0);
        QTRY_COMPARE_WITH_TIMEOUT(node(page, "second"), node(DagNodeState::Running), 10000);
        QTRY_VERIFY2(page->progressText().startsWith(QStringLiteral("Stages done: 1 of 2"))
                && page->progressText().contains(QStringLiteral(" left")),
            qPrintable(page->progressText()));
        auto *cancel = page->findChild<QPushButton *>(QStringLiteral("cancelButton"));
        QVERIFY(cancel->isVisible());
        // A look at a run in progress.
        QDir().mkpath(QStringLiteral(SHIVX_BINARY_DIR "/screenshots"));
        QVERIFY(window.grab().save(
            QStringLiteral(SHIVX_BINARY_DIR "/screenshots/pipelines-running-en.png")));
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(service, steps2), state(RunState::Succeeded), 15000);
        QTRY_VERIFY(!cancel->isVisible());

        // Cancel stops a long stage's process.
        const qint64 slow = runFromPage(page, QStringLiteral("slow"));
        QVERIFY(slow > 0);
        QTRY_COMPARE_WITH_TIMEOUT(node(page, "wait"), node(DagNodeState::Running), 10000);
        const auto readPid = [&marks] {
            QFile f(marks + QStringLiteral("/slow.pid"));
            return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed().toLongLong() : qint64(0);
        };
        QTRY_VERIFY(readPid() > 0);
        const qint64 pid = readPid();
        QVERIFY(!processGone(pid));
        QTRY_VERIFY(cancel->isVisible() && cancel->isEnabled());
        confirmNext(QStringLiteral("cancelConfirm"));
        cancel->click();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(service, slow), state(RunState::Cancelled), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(processGone(pid), 5000);
        QTRY_COMPARE(node(page, "wait"), node(DagNodeState::Cancelled));
        QTRY_VERIFY(!cancel->isVisible());
    }

    // The page in English and in German, saved under build/screenshots for a look; the
    // group titles and buttons are translated.
    void screenshotsInEnglishAndGerman()
    {
        QTemporaryDir dir;
        const QString marks = dir.filePath(QStringLiteral("marks"));
        auto engine = startWithPipelines(dir.path());
        QVERIFY(engine);
        auto *service = engine->service<PipelineService>();
        const auto failed
            = service->run(QStringLiteral("flaky"), {}, QStringLiteral("console:alice"));
        QVERIFY(failed);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(service, *failed), state(RunState::DeadLetter), 15000);
        const auto greet = service->run(QStringLiteral("greet"),
            { { QStringLiteral("who"), QStringLiteral("operators") } },
            QStringLiteral("console:alice"));
        QVERIFY(greet);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(service, *greet), state(RunState::Succeeded), 15000);

        MainWindow window(engine.get());
        PipelinesPage *page = showPipelinesPage(window);
        QVERIFY(page);
        QTRY_COMPARE_WITH_TIMEOUT(page->pipelinesModel()->rowCount(), 4, 10000);
        QVERIFY(page->selectPipeline(QStringLiteral("greet")));
        QTRY_COMPARE(page->shownRun(), *greet);
        page->dagView()->selectNode(QStringLiteral("hello"));
        Q_EMIT page->dagView()->nodeActivated(QStringLiteral("hello"));
        page->stagePanel()
            ->findChild<QTabWidget *>(QStringLiteral("stageTabs"))
            ->setCurrentIndex(1);
        QTest::qWait(200);
        QDir().mkpath(QStringLiteral(SHIVX_BINARY_DIR "/screenshots"));
        QVERIFY(
            window.grab().save(QStringLiteral(SHIVX_BINARY_DIR "/screenshots/pipelines-en.png")));

        QTranslator german;
        QVERIFY(german.load(QStringLiteral(":/i18n/shivx_de.qm")));
        QCoreApplication::installTranslator(&german);
        QTest::qWait(100);
        page->findChild<QTabWidget *>(QStringLiteral("runsTabs"))->setCurrentIndex(1);
        page->stagePanel()
            ->findChild<QTabWidget *>(QStringLiteral("stageTabs"))
            ->setCurrentIndex(0);
        QTest::qWait(200);
        // "Graph" and "Pipelines" read the same in German.
        QStringList english;
        for (auto *box : page->findChildren<QGroupBox *>())
            if (box->title() == QLatin1String("Stage"))
                english << box->title();
        const QStringList buttons { QStringLiteral("&Run…"), QStringLiteral("R&etry…"),
            QStringLiteral("&Discard…"), QStringLiteral("&Cancel run…") };
        for (auto *button : page->findChildren<QPushButton *>())
            if (buttons.contains(button->text()))
                english << button->text();
        QCOMPARE(page->findChild<QPushButton *>(QStringLiteral("runButton"))->text(),
            QStringLiteral("&Ausführen…"));
        QVERIFY2(english.isEmpty(), qPrintable(english.join(QLatin1String(", "))));
        QVERIFY(
            window.grab().save(QStringLiteral(SHIVX_BINARY_DIR "/screenshots/pipelines-de.png")));
        QCoreApplication::removeTranslator(&german);
    }
};

QTEST_MAIN(TstPipelinesPage)
#include "tst_pipelinespage.moc"

// The supervised-processes panel on a real engine with real child processes, offscreen:
// rows appear, the buttons start, stop and restart the selected process, the log tail
// follows its output and stays bounded.
#include "core/config.h"
#include "core/engine.h"
#include "recovery/processesmodel.h"
#include "recovery/processespanel.h"
#include "recovery/recoveryservice.h"
#include "testengine.h"
#include "widgets/statuscolors.h"

#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;
using namespace Shivx::Ui;

class tst_ProcessesPanel : public QObject
{
    Q_OBJECT
private:
    static QString cell(const QTableView *table, int row, int column)
    {
        return table->model()->index(row, column).data().toString();
    }
    static ProcessState stateOf(const QTableView *table, int row)
    {
        return ProcessState(table->model()->index(row, 0).data(ProcessesModel::StateRole).toInt());
    }

private Q_SLOTS:
    void rowsButtonsAndLogTail()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QByteArray yaml = QStringLiteral(R"(targets:
  - name: ticker
    type: command
    command: /bin/true
    interval: 1s
    timeout: 500ms
    supervise:
      command: %1
      args: [--print-every, "50", tick]
      stop_timeout: 2s
  - name: sleeper
    type: command
    command: /bin/true
    interval: 1s
    timeout: 500ms
    supervise:
      command: %1
      args: [--hang]
      stop_timeout: 2s
  - name: flood
    type: command
    command: /bin/true
    interval: 1s
    timeout: 500ms
    supervise:
      command: %1
      args: [--print, "3000", flood, --hang]
      stop_timeout: 2s
)")
                                    .arg(QStringLiteral(SHIVX_TEST_HELPER))
                                    .toUtf8();
        auto engine = ShivxTest::startEngine(dir.path(), yaml, ShivxTest::Api::Off);
        QVERIFY(engine);
        ProcessesPanel panel(engine.get());
        panel.resize(800, 600);
        panel.show();
        QTableView *table = panel.table();

        QTRY_COMPARE(table->model()->rowCount(), 3);
        QCOMPARE(cell(table, 0, ProcessesModel::NameColumn), QStringLiteral("ticker"));
        QCOMPARE(cell(table, 1, ProcessesModel::NameColumn), QStringLiteral("sleeper"));
        QTRY_VERIFY(stateOf(table, 0) == ProcessState::Running
            && stateOf(table, 1) == ProcessState::Running);
        panel.selectProcess(QStringLiteral("ticker"));
        QCOMPARE(cell(table, 0, ProcessesModel::StateColumn), QStringLiteral("Running"));
        QCOMPARE(table->model()
                     ->index(0, ProcessesModel::StateColumn)
                     .data(Qt::BackgroundRole)
                     .value<QColor>(),
            StatusColors::ok());
        QCOMPARE(cell(table, 0, ProcessesModel::PidColumn),
            QString::number(engine->service<RecoveryService>()->processes().at(0).pid));
        QCOMPARE(cell(table, 0, ProcessesModel::RestartsColumn), QStringLiteral("0"));

        // The first process is selected; its log tail fills as lines arrive.
        QCOMPARE(panel.selectedProcess(), QStringLiteral("ticker"));
        QTRY_VERIFY(panel.logView()->toPlainText().contains(QLatin1String("tick 3")));
        const int before = panel.logView()->blockCount();
        QTRY_VERIFY(panel.logView()->blockCount() > before);
        QVERIFY(!panel.startButton()->isEnabled());
        QVERIFY(panel.stopButton()->isEnabled());

        // Restart the selected process from the panel.
        const qint64 oldPid = engine->service<RecoveryService>()->processes().at(0).pid;
        QTest::mouseClick(panel.restartButton(), Qt::LeftButton);
        QTRY_VERIFY(stateOf(table, 0) == ProcessState::Running
            && cell(table, 0, ProcessesModel::PidColumn) != QString::number(oldPid));
        QCOMPARE(cell(table, 0, ProcessesModel::RestartsColumn), QStringLiteral("1"));
        QCOMPARE(cell(table, 0, ProcessesModel::LastExitColumn), QStringLiteral("signal 15"));
        // The run boundary and the new run's output both reach the tail.
        QTRY_VERIFY(panel.logView()->toPlainText().contains(
            QLatin1String("started pid ") + cell(table, 0, ProcessesModel::PidColumn)));

        // Select the other process: the tail switches to its (quiet) log.
        panel.selectProcess(QStringLiteral("sleeper"));
        QCOMPARE(panel.selectedProcess(), QStringLiteral("sleeper"));
        QTRY_VERIFY(!panel.logView()->toPlainText().contains(QLatin1String("tick")));
        QTest::mouseClick(panel.stopButton(), Qt::LeftButton);
        QTRY_VERIFY(stateOf(table, 1) == ProcessState::Stopped);
        QCOMPARE(table->model()
                     ->index(1, ProcessesModel::StateColumn)
                     .data(Qt::BackgroundRole)
                     .value<QColor>(),
            StatusColors::unknown());
        QTRY_VERIFY(panel.startButton()->isEnabled());
        QVERIFY(!panel.stopButton()->isEnabled() || stateOf(table, 1) != ProcessState::Stopped);
        QTest::mouseClick(panel.startButton(), Qt::LeftButton);
        QTRY_VERIFY(stateOf(table, 1) == ProcessState::Running);

        // The tail is bounded: selected while it writes 3000 lines, it keeps the last ones.
        panel.selectProcess(QStringLiteral("flood"));
        QTRY_VERIFY(panel.logView()->toPlainText().contains(QLatin1String("flood 3000")));
        QVERIFY(panel.logView()->blockCount() <= ProcessesPanel::MaxTailLines);
        QVERIFY(!panel.logView()->toPlainText().contains(QLatin1String("flood 1\n")));
        engine->stop();
        QVERIFY(engine->service<RecoveryService>()->processes().isEmpty());
    }
};

QTEST_MAIN(tst_ProcessesPanel)
#include "tst_processespanel.moc"

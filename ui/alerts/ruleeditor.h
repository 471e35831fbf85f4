#pragma once

#include "alerting/alertrule.h"
#include "alerting/rulebacktest.h"
#include "core/result.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QWidget>

#include <atomic>
#include <memory>

class QComboBox;
class QGroupBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace Shivx {
class Engine;
}

namespace Shivx::Ui {

class RuleForm;
class RulePreviewChart;

// The Alerts page's rule editor: a rule's fields (optionally copied from an existing rule),
// Preview, which replays it over the stored history on a worker thread (RuleBacktest; progress
// with an ETA and Cancel) and shades where it would have fired, and Save, which writes it to
// the console's rules file (ConsoleRuleFile) and reloads the configuration; when the reload
// refuses it, the file is put back and the error shown. The fields are checked by the engine's
// own rule parser, so the editor says exactly what the YAML loader would. The engine must
// outlive the editor. GUI thread only.
class RuleEditor : public QWidget
{
    Q_OBJECT
public:
    explicit RuleEditor(Engine *engine, QWidget *parent = nullptr);
    ~RuleEditor() override;

    RuleForm *form() const { return m_form; }
    void preview();
    void cancelPreview();
    void save();

    RulePreviewChart *chart() const { return m_chart; }
    QString statusText() const;

Q_SIGNALS:
    // A preview finished (its result shown, or its error or cancellation in the status line).
    void previewFinished();
    // Save wrote the rule and the engine applies it.
    void saved(const QString &ruleName);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct PreviewAnswer
    {
        quint64 generation = 0;
        AlertRule rule;
        Result<BacktestResult> result = BacktestResult {};
    };
    void retranslateUi();
    void onPreviewDone();
    void setStatus(bool ok, const QString &text);
    qint64 rangeMs() const;

    Engine *m_engine;
    QGroupBox *m_fieldsBox = nullptr;
    RuleForm *m_form = nullptr;
    QComboBox *m_range = nullptr;
    QPushButton *m_previewButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QPushButton *m_saveButton = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    bool m_statusOk = true;
    RulePreviewChart *m_chart = nullptr;

    QFutureWatcher<PreviewAnswer> m_watcher;
    quint64 m_generation = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::shared_ptr<std::atomic<int>> m_done; // series done / total, for the ETA
    std::shared_ptr<std::atomic<int>> m_total;
    QElapsedTimer m_previewClock;
};

} // namespace Shivx::Ui

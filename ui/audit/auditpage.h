#pragma once

#include "audit/auditfilterbar.h"
#include "audit/auditreader.h"
#include "audit/verifyrunner.h"
#include "core/result.h"

#include <QFutureWatcher>
#include <QWidget>

#include <memory>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableView;

namespace Shivx {
class Engine;
}

namespace Shivx::Ui {

class AuditEntriesModel;
class AuditStreamList;
class VerifyBanner;
class VerifyPanel;

// The tamper-evident audit log: the streams under DATA/audit with their entry counts and last
// signed checkpoint; the chosen stream's entries in a lazily read table with filters (action,
// actor, time range, full text) and a detail pane; and, when a verify runner is set, a Verify
// button with progress and Cancel, a result banner whose "Show" selects the first bad entry,
// and the verification report as PDF.
//
// Indexing a stream and verifying run on worker threads; answers carry a generation number
// and only the newest is used. The destructor cancels and waits for them.
class AuditPage : public QWidget
{
    Q_OBJECT
public:
    // `auditDir` is DATA/audit; it may not exist yet (the page then says so).
    explicit AuditPage(const QString &auditDir, QWidget *parent = nullptr);
    // The engine's audit directory, verified by the real verifier over the engine's data
    // directory (keys, checkpoints). The engine must outlive the page.
    AuditPage(Engine *engine, QWidget *parent);
    ~AuditPage() override;

    // Without a runner the Verify controls are hidden: there is nothing they could do.
    void setVerifyRunner(VerifyRunner runner);

    // Re-reads the stream list (head.json, checkpoints) and re-indexes the current stream.
    void reload();
    QStringList streams() const;
    // The stream whose last entry is the newest: the one the page opens on.
    QString newestStream() const;
    // Opens a stream (indexing runs on a worker; streamLoaded() follows).
    bool selectStream(const QString &name);
    QString currentStream() const;
    bool isLoading() const;

    // Fills the filter bar and applies it at once.
    void setFilter(const QString &action, const QString &actor, const QString &text,
        AuditFilterBar::TimeRange range = AuditFilterBar::TimeRange::Any);
    void setCustomTimeRange(qint64 fromMs, qint64 toMs);

    void startVerify();
    void cancelVerify();
    bool isVerifying() const;
    bool hasReport() const;
    VerifyReport lastReport() const;
    // Opens the finding's stream if needed, clears the filter and selects its row.
    void showFinding(int index);
    // Writes the last report; the format follows the suffix (.pdf).
    Result<void> exportReport(const QString &path) const;

    AuditEntriesModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    AuditStreamList *streamList() const { return m_streamList; }
    AuditFilterBar *filterBar() const { return m_filterBar; }
    VerifyBanner *banner() const { return m_banner; }
    QProgressBar *verifyProgress() const;
    QPushButton *verifyButton() const;
    QPlainTextEdit *detail() const { return m_detail; }
    QLabel *statusLabel() const { return m_status; }

Q_SIGNALS:
    // GUI thread: `stream` was indexed and is shown.
    void streamLoaded(const QString &stream);
    // GUI thread: a verification ended (also when cancelled).
    void verifyFinished();
    // GUI thread: showFinding() selected the row (or the stream, when the finding has no row).
    void findingShown(int index);

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    struct OpenAnswer
    {
        quint64 generation = 0;
        QString stream;
        Result<AuditReader> reader = AuditReader();
    };
    void retranslateUi();
    void fillStreamList();
    void openStream(const QString &name);
    void onOpened();
    void applyFilter(const AuditFilter &filter);
    void updateStatus();
    void updateDetail();
    void updateStreamInfo();
    void onVerified(bool cancelled);
    void markFindings();
    qint64 rowForFinding(const VerifyFinding &finding) const;
    void selectStreamRow(qint64 streamRow);

    QString m_auditDir;
    QList<AuditStreamStatus> m_streamStatus;
    AuditStreamList *m_streamList = nullptr;
    QLabel *m_streamInfo = nullptr;
    QLabel *m_streamsTitle = nullptr;
    QPushButton *m_reloadButton = nullptr;
    AuditFilterBar *m_filterBar = nullptr;
    QLabel *m_status = nullptr;
    QTableView *m_table = nullptr;
    QPlainTextEdit *m_detail = nullptr;
    AuditEntriesModel *m_model = nullptr;

    VerifyPanel *m_verifyPanel = nullptr;
    VerifyBanner *m_banner = nullptr;

    QString m_current;
    bool m_loading = false;
    quint64 m_openGeneration = 0;
    QFutureWatcher<OpenAnswer> m_openWatcher;
    int m_pendingFinding = -1;
    qint64 m_reselectRow = -1;
};

} // namespace Shivx::Ui

#pragma once

#include "backup/backupstate.h"

#include <QHash>
#include <QSet>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QVBoxLayout;

namespace Shivx::Ui {

// The backup runtime's queued and running operations, one line each: what it is, a progress
// bar, done/total with the ETA, and Cancel. Fed every BackupService::operationChanged (and
// the state's operation list at start); a finished operation leaves the panel. GUI thread.
class BackupOperationsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit BackupOperationsPanel(QWidget *parent = nullptr);

    // Shows `operation` (adds, updates or, once finished, removes its line for good).
    void update(const BackupOperation &operation);
    // Adds a line for `operation` unless it has one or has finished: for answers that can be
    // older than the signals already shown.
    void add(const BackupOperation &operation);
    // Adds the unfinished operations of a state's list and removes its finished ones; every
    // line goes when the engine is not `running`.
    void setOperations(const QList<BackupOperation> &operations, bool running);
    QList<qint64> shownIds() const { return m_rows.keys(); }
    // The Cancel button of operation `id`'s line, or null (for the tests).
    QPushButton *cancelButton(qint64 id) const;
    void retranslate();

Q_SIGNALS:
    void cancelRequested(qint64 id);

private:
    struct Row
    {
        QWidget *widget = nullptr;
        QLabel *title = nullptr;
        QProgressBar *bar = nullptr;
        QLabel *detail = nullptr;
        QPushButton *cancel = nullptr;
        BackupOperation operation;
    };
    void show(Row &row);
    void remove(qint64 id);

    QVBoxLayout *m_layout = nullptr;
    QLabel *m_idle = nullptr;
    QHash<qint64, Row> m_rows;
    QSet<qint64> m_finished; // this engine run's operations seen finished
};

} // namespace Shivx::Ui

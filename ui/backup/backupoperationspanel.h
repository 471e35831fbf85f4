#pragma once

#include "backup/backupstate.h"

#include <QHash>
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

    // Shows `operation` (adds, updates or, once finished, removes its line).
    void update(const BackupOperation &operation);
    // Replaces every line by the unfinished ones of `operations`.
    void setOperations(const QList<BackupOperation> &operations);
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
};

} // namespace Shivx::Ui

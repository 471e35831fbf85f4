#pragma once

#include "audit/auditreader.h"

#include <QTreeWidget>

namespace Shivx::Ui {

// The audit streams as a small table: name, entry count (from head.json) and the last signed
// checkpoint. Re-words itself on LanguageChange from the statuses it was given.
class AuditStreamList : public QTreeWidget
{
    Q_OBJECT
public:
    enum Column { NameColumn, EntriesColumn, CheckpointColumn };

    explicit AuditStreamList(QWidget *parent = nullptr);

    // Replaces the rows, keeping `current` selected, without emitting currentStreamChanged.
    void setStreams(const QList<AuditStreamStatus> &streams, const QString &current);
    // Selects `name` (emits currentStreamChanged when it changes); false when not listed.
    bool select(const QString &name);
    QString current() const;

Q_SIGNALS:
    // GUI thread: the operator (or select()) chose another stream.
    void currentStreamChanged(const QString &name);

protected:
    void changeEvent(QEvent *event) override;

private:
    void fill();

    QList<AuditStreamStatus> m_streams;
};

} // namespace Shivx::Ui

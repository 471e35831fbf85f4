#pragma once

#include "audit/auditfilter.h"

#include <QWidget>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QTimer;

namespace Shivx::Ui {

// The Audit page's filter row: action, actor, time range (relative or custom) and full-text
// search. Typing is debounced; filterChanged() carries the resulting AuditFilter, with
// relative ranges evaluated at that moment.
class AuditFilterBar : public QWidget
{
    Q_OBJECT
public:
    enum class TimeRange { Any, LastHour, Last24Hours, Last7Days, Custom };
    Q_ENUM(TimeRange)

    explicit AuditFilterBar(QWidget *parent = nullptr);

    // Sets the fields and emits filterChanged() at once.
    void set(const QString &action, const QString &actor, const QString &text,
        TimeRange range = TimeRange::Any);
    // Sets the custom range (epoch ms; shown to the minute) and emits filterChanged().
    void setCustomRange(qint64 fromMs, qint64 toMs);
    AuditFilter filter() const;

Q_SIGNALS:
    // GUI thread: the operator changed a condition (after a short pause in typing).
    void filterChanged(const Shivx::AuditFilter &filter);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void emitNow();
    TimeRange range() const;

    QLabel *m_actionLabel = nullptr;
    QLineEdit *m_actionEdit = nullptr;
    QLabel *m_actorLabel = nullptr;
    QLineEdit *m_actorEdit = nullptr;
    QComboBox *m_timeCombo = nullptr;
    QDateTimeEdit *m_fromEdit = nullptr;
    QDateTimeEdit *m_toEdit = nullptr;
    QLineEdit *m_searchEdit = nullptr;
    QPushButton *m_clearButton = nullptr;
    QTimer *m_debounce = nullptr;
};

} // namespace Shivx::Ui

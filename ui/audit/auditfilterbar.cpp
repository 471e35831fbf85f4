#include "audit/auditfilterbar.h"

#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTimer>

namespace Shivx::Ui {

namespace {
constexpr qint64 kHourMs = 3'600'000;
}

AuditFilterBar::AuditFilterBar(QWidget *parent)
    : QWidget(parent)
{
    m_actionLabel = new QLabel(this);
    m_actionEdit = new QLineEdit(this);
    m_actionEdit->setObjectName(QStringLiteral("actionFilter"));
    m_actorLabel = new QLabel(this);
    m_actorEdit = new QLineEdit(this);
    m_actorEdit->setObjectName(QStringLiteral("actorFilter"));
    for (QLineEdit *e : { m_actionEdit, m_actorEdit }) {
        e->setMaximumWidth(160);
        e->setClearButtonEnabled(true);
    }
    m_timeCombo = new QComboBox(this);
    m_timeCombo->setObjectName(QStringLiteral("timeRange"));
    for (TimeRange r : { TimeRange::Any, TimeRange::LastHour, TimeRange::Last24Hours,
             TimeRange::Last7Days, TimeRange::Custom })
        m_timeCombo->addItem(QString(), int(r));
    const QDateTime now = QDateTime::currentDateTime();
    m_fromEdit = new QDateTimeEdit(now.addDays(-1), this);
    m_toEdit = new QDateTimeEdit(now, this);
    for (QDateTimeEdit *e : { m_fromEdit, m_toEdit }) {
        e->setCalendarPopup(true);
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        e->setVisible(false);
    }
    m_searchEdit = new QLineEdit(this);
    m_searchEdit->setObjectName(QStringLiteral("searchEdit"));
    m_searchEdit->setClearButtonEnabled(true);
    m_clearButton = new QPushButton(this);
    m_clearButton->setObjectName(QStringLiteral("clearFilterButton"));

    auto *bar = new QHBoxLayout(this);
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_actionLabel);
    bar->addWidget(m_actionEdit);
    bar->addWidget(m_actorLabel);
    bar->addWidget(m_actorEdit);
    bar->addWidget(m_timeCombo);
    bar->addWidget(m_fromEdit);
    bar->addWidget(m_toEdit);
    bar->addWidget(m_searchEdit, 1);
    bar->addWidget(m_clearButton);

    // Each keystroke would restart a scan of the whole stream; a short pause is one scan.
    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);
    connect(m_debounce, &QTimer::timeout, this, &AuditFilterBar::emitNow);
    for (QLineEdit *e : { m_actionEdit, m_actorEdit, m_searchEdit })
        connect(e, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_fromEdit, &QDateTimeEdit::dateTimeChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_toEdit, &QDateTimeEdit::dateTimeChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_timeCombo, &QComboBox::currentIndexChanged, this, [this] {
        m_fromEdit->setVisible(range() == TimeRange::Custom);
        m_toEdit->setVisible(range() == TimeRange::Custom);
        emitNow();
    });
    connect(m_clearButton, &QPushButton::clicked, this, [this] { set({}, {}, {}); });
    retranslateUi();
}

void AuditFilterBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void AuditFilterBar::retranslateUi()
{
    m_actionLabel->setText(tr("Action"));
    m_actorLabel->setText(tr("Actor"));
    m_actionEdit->setPlaceholderText(tr("e.g. breaker"));
    m_actorEdit->setPlaceholderText(tr("e.g. operator"));
    m_searchEdit->setPlaceholderText(tr("Search entries: data, hashes, any text"));
    m_clearButton->setText(tr("C&lear"));
    static const std::pair<TimeRange, const char *> ranges[] = {
        { TimeRange::Any, QT_TR_NOOP("Any time") },
        { TimeRange::LastHour, QT_TR_NOOP("Last hour") },
        { TimeRange::Last24Hours, QT_TR_NOOP("Last 24 hours") },
        { TimeRange::Last7Days, QT_TR_NOOP("Last 7 days") },
        { TimeRange::Custom, QT_TR_NOOP("Custom range") },
    };
    for (const auto &[r, text] : ranges)
        m_timeCombo->setItemText(m_timeCombo->findData(int(r)), tr(text));
}

AuditFilterBar::TimeRange AuditFilterBar::range() const
{
    return TimeRange(m_timeCombo->currentData().toInt());
}

void AuditFilterBar::set(
    const QString &action, const QString &actor, const QString &text, TimeRange r)
{
    {
        const QSignalBlocker b1(m_actionEdit), b2(m_actorEdit), b3(m_searchEdit), b4(m_timeCombo);
        m_actionEdit->setText(action);
        m_actorEdit->setText(actor);
        m_searchEdit->setText(text);
        m_timeCombo->setCurrentIndex(m_timeCombo->findData(int(r)));
        m_fromEdit->setVisible(r == TimeRange::Custom);
        m_toEdit->setVisible(r == TimeRange::Custom);
    }
    emitNow();
}

void AuditFilterBar::setCustomRange(qint64 fromMs, qint64 toMs)
{
    {
        const QSignalBlocker b1(m_fromEdit), b2(m_toEdit);
        m_fromEdit->setDateTime(QDateTime::fromMSecsSinceEpoch(fromMs));
        m_toEdit->setDateTime(QDateTime::fromMSecsSinceEpoch(toMs));
    }
    emitNow();
}

AuditFilter AuditFilterBar::filter() const
{
    AuditFilter f;
    f.action = m_actionEdit->text().trimmed();
    f.actor = m_actorEdit->text().trimmed();
    f.text = m_searchEdit->text();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    switch (range()) {
    case TimeRange::Any:
        break;
    case TimeRange::LastHour:
        f.fromMs = now - kHourMs;
        break;
    case TimeRange::Last24Hours:
        f.fromMs = now - 24 * kHourMs;
        break;
    case TimeRange::Last7Days:
        f.fromMs = now - 7 * 24 * kHourMs;
        break;
    case TimeRange::Custom: {
        // Whole minutes as shown; the end minute is included.
        const auto minute
            = [](const QDateTime &dt) { return dt.toMSecsSinceEpoch() / 60'000 * 60'000; };
        f.fromMs = minute(m_fromEdit->dateTime());
        f.toMs = minute(m_toEdit->dateTime()) + 59'999;
        break;
    }
    }
    return f;
}

void AuditFilterBar::emitNow()
{
    m_debounce->stop();
    Q_EMIT filterChanged(filter());
}

} // namespace Shivx::Ui

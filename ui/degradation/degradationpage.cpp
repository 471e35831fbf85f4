#include "degradation/degradationpage.h"
#include "core/operatoridentity.h"

#include "alerting/alertingservice.h"
#include "alerts/alertspage.h"
#include "core/engine.h"
#include "degradation/degradationservice.h"
#include "degradation/featurematrixmodel.h"
#include "health/healthservice.h"
#include "widgets/displayformat.h"
#include "widgets/enginewording.h"
#include "widgets/selectabletext.h"
#include "widgets/statebanner.h"
#include "widgets/statuscolors.h"
#include "widgets/tableactions.h"
#include "widgets/tableexport.h"

#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace Shivx::Ui {

namespace {

constexpr qint64 minuteMs = 60'000;
// The timeline's time cells keep their epoch ms here, for the once-a-second rewording.
constexpr int TimestampRole = Qt::UserRole + 1;
const qint64 pinDurations[]
    = { 15 * minuteMs, 30 * minuteMs, 60 * minuteMs, 4 * 60 * minuteMs, 24 * 60 * minuteMs };

QString durationText(qint64 ms)
{
    if (ms % (60 * minuteMs) == 0)
        return DegradationPage::tr("%n hour(s)", nullptr, int(ms / (60 * minuteMs)));
    return DegradationPage::tr("%n minute(s)", nullptr, int(ms / minuteMs));
}

} // namespace

DegradationPage::DegradationPage(Engine *engine, QWidget *parent)
    : QWidget(parent)
    , m_engine(engine)
    , m_service(engine->service<DegradationService>())
{
    // Banner: the one thing the operator must see from across the room.
    m_banner = new StateBanner(this);
    m_banner->setObjectName(QStringLiteral("degradationBanner"));

    // Pin or release.
    m_controlBox = new QGroupBox(this);
    m_levelLabel = new QLabel(m_controlBox);
    m_levelCombo = new QComboBox(m_controlBox);
    m_levelCombo->setObjectName(QStringLiteral("levelCombo"));
    for (DegradationLevel level : allDegradationLevels())
        m_levelCombo->addItem(QString(), levelValue(level));
    m_reasonLabel = new QLabel(m_controlBox);
    m_reasonEdit = new QLineEdit(m_controlBox);
    m_reasonEdit->setObjectName(QStringLiteral("reasonEdit"));
    m_reasonEdit->setMaxLength(500);
    m_durationLabel = new QLabel(m_controlBox);
    m_durationCombo = new QComboBox(m_controlBox);
    m_durationCombo->setObjectName(QStringLiteral("durationCombo"));
    for (qint64 ms : pinDurations)
        if (ms <= m_service->config().maxPinMs)
            m_durationCombo->addItem(QString(), ms);
    m_durationCombo->setCurrentIndex(qMin(1, m_durationCombo->count() - 1));
    m_pinButton = new QPushButton(m_controlBox);
    m_pinButton->setObjectName(QStringLiteral("pinButton"));
    m_releaseButton = new QPushButton(m_controlBox);
    m_releaseButton->setObjectName(QStringLiteral("releaseButton"));
    m_actionStatus = new QLabel(m_controlBox);
    m_actionStatus->setObjectName(QStringLiteral("actionStatus"));
    m_actionStatus->setWordWrap(true);
    SelectableText::apply(m_actionStatus);
    auto *form = new QFormLayout;
    form->addRow(m_levelLabel, m_levelCombo);
    form->addRow(m_reasonLabel, m_reasonEdit);
    form->addRow(m_durationLabel, m_durationCombo);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_pinButton);
    buttons->addWidget(m_releaseButton);
    buttons->addStretch(1);
    auto *controlLayout = new QVBoxLayout(m_controlBox);
    controlLayout->addLayout(form);
    controlLayout->addLayout(buttons);
    controlLayout->addWidget(m_actionStatus);
    controlLayout->addStretch(1);
    connect(m_pinButton, &QPushButton::clicked, this, &DegradationPage::pin);
    connect(m_releaseButton, &QPushButton::clicked, this, &DegradationPage::release);
    connect(m_reasonEdit, &QLineEdit::returnPressed, this, &DegradationPage::pin);

    // Feature matrix.
    m_matrixBox = new QGroupBox(this);
    m_matrixModel = new FeatureMatrixModel(this);
    m_matrixModel->setFeatureMap(m_service->config().features);
    m_matrixView = new QTableView(m_matrixBox);
    m_matrixView->setObjectName(QStringLiteral("featureMatrix"));
    m_matrixView->setModel(m_matrixModel);
    TableActions::install(m_matrixView);
    m_matrixView->setSelectionMode(QAbstractItemView::NoSelection);
    m_matrixView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // Sized to the words, so the bold "(now)" header is never cut off; extra room goes to
    // the last column.
    m_matrixView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_matrixView->horizontalHeader()->setStretchLastSection(true);
    m_matrixView->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    auto *matrixLayout = new QVBoxLayout(m_matrixBox);
    matrixLayout->addWidget(m_matrixView);

    // Timeline from history.
    m_timelineBox = new QGroupBox(this);
    m_rangeCombo = new QComboBox(m_timelineBox);
    m_rangeCombo->setObjectName(QStringLiteral("timelineRange"));
    for (int i = 0; i < 3; ++i)
        m_rangeCombo->addItem(QString());
    m_rangeCombo->setCurrentIndex(int(Range::Last24Hours));
    m_timeline = new QTableWidget(0, 4, m_timelineBox);
    m_timeline->setObjectName(QStringLiteral("timelineTable"));
    TableActions::install(m_timeline);
    m_timeline->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_timeline->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_timeline->verticalHeader()->hide();
    m_timeline->horizontalHeader()->setStretchLastSection(true);
    m_timeline->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_timelineStatus = new QLabel(m_timelineBox);
    m_timelineStatus->setObjectName(QStringLiteral("timelineStatus"));
    m_timelineStatus->setWordWrap(true);
    SelectableText::apply(m_timelineStatus);
    auto *timelineLayout = new QVBoxLayout(m_timelineBox);
    timelineLayout->addWidget(m_rangeCombo, 0, Qt::AlignLeft);
    timelineLayout->addWidget(m_timeline, 1);
    timelineLayout->addWidget(m_timelineStatus);
    connect(m_rangeCombo, &QComboBox::currentIndexChanged, this, [this] { reloadTimeline(); });
    connect(&m_watcher, &QFutureWatcher<HistoryAnswer>::finished, this,
        &DegradationPage::onTimelineAnswer);
    // Change ages ("3 min ago") move on between the timeline's reloads.
    auto *ageTimer = new QTimer(this);
    connect(ageTimer, &QTimer::timeout, this, &DegradationPage::refreshTimelineAges);
    ageTimer->start(1000);
    m_refreshTimer = new QTimer(this);
    m_refreshTimer->setInterval(15'000);
    connect(m_refreshTimer, &QTimer::timeout, this, &DegradationPage::reloadTimeline);
    // A level change reaches the database with the writer's next flush (each second).
    m_reloadDebounce = new QTimer(this);
    m_reloadDebounce->setSingleShot(true);
    m_reloadDebounce->setInterval(1500);
    connect(m_reloadDebounce, &QTimer::timeout, this, &DegradationPage::reloadTimeline);

    auto *top = new QHBoxLayout;
    top->addWidget(m_controlBox, 2);
    top->addWidget(m_matrixBox, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(top, 3);
    layout->addWidget(m_timelineBox, 2);

    connect(m_service, &DegradationService::changed, this, &DegradationPage::setSnapshot);
    if (auto *alerting = engine->service<AlertingService>())
        connect(alerting, &AlertingService::changed, this, &DegradationPage::updateForecast);
    updateForecast();
    // The snapshot is published on changes of level or pin; the score moves every sample.
    connect(engine->service<HealthService>(), &HealthService::healthChanged, this,
        [this](const HealthReport &report) {
            m_snapshot.hasScore = true;
            m_snapshot.score = report.score;
            updateBanner();
        });
    m_snapshot = m_service->snapshot();
    m_matrixModel->setCurrentLevel(m_snapshot.level);
    retranslateUi();
}

DegradationPage::~DegradationPage()
{
    // A read in flight holds only copies; waiting keeps it from outliving the process.
    m_watcher.waitForFinished();
}

void DegradationPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    } else if (event->type() == QEvent::PaletteChange) {
        // The status colours depend on the palette (Theme).
        updateBanner();
        fillTimeline();
        showActionResult(m_actionOk, m_actionStatus->text());
    }
    QWidget::changeEvent(event);
}

void DegradationPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_refreshTimer->start();
    reloadTimeline();
}

void DegradationPage::hideEvent(QHideEvent *event)
{
    m_refreshTimer->stop();
    QWidget::hideEvent(event);
}

void DegradationPage::retranslateUi()
{
    m_controlBox->setTitle(tr("Pin the level"));
    m_levelLabel->setText(tr("Level:"));
    for (int i = 0; i < m_levelCombo->count(); ++i) {
        const DegradationLevel level = degradationLevelFromValue(m_levelCombo->itemData(i).toInt());
        m_levelCombo->setItemText(i,
            tr("%1 — %2").arg(
                DisplayFormat::degradationLevel(level), DisplayFormat::degradationMeaning(level)));
    }
    m_reasonLabel->setText(tr("Reason:"));
    m_reasonEdit->setPlaceholderText(tr("Why, for the audit log (required)"));
    m_durationLabel->setText(tr("Expires after:"));
    for (int i = 0; i < m_durationCombo->count(); ++i)
        m_durationCombo->setItemText(i, durationText(m_durationCombo->itemData(i).toLongLong()));
    m_pinButton->setText(tr("&Pin level"));
    m_releaseButton->setText(tr("&Release pin"));
    if (m_actionOk)
        m_actionStatus->clear();
    m_matrixBox->setTitle(tr("Features by level"));
    m_matrixModel->retranslate();
    m_timelineBox->setTitle(tr("Level changes"));
    m_rangeCombo->setItemText(int(Range::LastHour), tr("Last hour"));
    m_rangeCombo->setItemText(int(Range::Last24Hours), tr("Last 24 hours"));
    m_rangeCombo->setItemText(int(Range::Last7Days), tr("Last 7 days"));
    m_timeline->setHorizontalHeaderLabels({ tr("Time"), tr("From"), tr("To"), tr("Health score") });
    updateBanner();
    updateControls();
    fillTimeline();
}

void DegradationPage::setSnapshot(const DegradationSnapshot &snapshot)
{
    const bool levelChanged
        = snapshot.level != m_snapshot.level || snapshot.sinceMs != m_snapshot.sinceMs;
    m_snapshot = snapshot;
    m_matrixModel->setCurrentLevel(snapshot.level);
    updateBanner();
    updateControls();
    if (levelChanged && isVisible())
        m_reloadDebounce->start();
}

void DegradationPage::updateBanner()
{
    const DegradationSnapshot &s = m_snapshot;
    QStringList lines;
    // A pin's reason is on its own line below.
    lines << (s.pin.active
            ? tr("Since %1").arg(DisplayFormat::dateTime(s.sinceMs))
            : tr("Since %1 — %2")
                  .arg(DisplayFormat::dateTime(s.sinceMs), EngineWording::message(s.reason)));
    lines << (s.hasScore ? tr("Health score now %1").arg(QLocale().toString(s.score, 'f', 0))
                         : tr("No health score yet"));
    if (s.pin.active)
        lines << tr("Pinned by %1 until %2: %3")
                     .arg(s.pin.actor, DisplayFormat::dateTime(s.pin.untilMs), s.pin.reason);
    if (s.pin.active && s.automaticLevel != s.level)
        lines << tr("Without the pin the score would mean %1.")
                     .arg(DisplayFormat::degradationLevel(s.automaticLevel));
    if (s.recoverySinceMs > 0 && !s.pin.active)
        lines << tr("Recovering to %1: the score must stay good until %2.")
                     .arg(DisplayFormat::degradationLevel(s.recoveryTarget),
                         DisplayFormat::timeOfDay(s.recoverySinceMs + s.recoveryHoldMs));
    if (!m_forecast.isEmpty())
        lines << m_forecast;
    m_banner->setState(StatusColors::forDegradationLevel(s.level),
        s.pin.active ? tr("%1 (pinned)").arg(DisplayFormat::degradationLevel(s.level))
                     : DisplayFormat::degradationLevel(s.level),
        DisplayFormat::degradationMeaning(s.level), lines);
}

void DegradationPage::updateForecast()
{
    // Where the trend leads, from alerting's fit of the health score (docs/alerting.md,
    // "Predictive degradation"); hidden while no worse level is likely.
    const auto *alerting = m_engine->service<AlertingService>();
    const QString text = alerting ? AlertsPage::forecastText(alerting->forecast()) : QString();
    if (text == m_forecast)
        return;
    m_forecast = text; // a detail line of the banner
    updateBanner();
}

void DegradationPage::updateControls()
{
    const bool running = m_engine->state() == EngineState::Running;
    m_pinButton->setEnabled(running && m_durationCombo->count() > 0);
    m_releaseButton->setEnabled(running && m_snapshot.pin.active);
}

QString DegradationPage::actor() const
{
    return OperatorIdentity::actor(QStringLiteral("console"));
}

void DegradationPage::showActionResult(bool ok, const QString &text)
{
    m_actionOk = ok;
    m_actionStatus->setText(text);
    QPalette pal = m_actionStatus->palette();
    pal.setColor(QPalette::WindowText, ok ? StatusColors::ok() : StatusColors::critical());
    m_actionStatus->setPalette(pal);
}

void DegradationPage::pin()
{
    const DegradationLevel level = degradationLevelFromValue(m_levelCombo->currentData().toInt());
    const QString reason = m_reasonEdit->text().trimmed();
    if (reason.isEmpty()) {
        showActionResult(false, tr("Give a reason: it goes into the audit log."));
        m_reasonEdit->setFocus();
        return;
    }
    const qint64 durationMs = m_durationCombo->currentData().toLongLong();
    if (level == DegradationLevel::Emergency) {
        QMessageBox box(QMessageBox::Warning, tr("Pin EMERGENCY?"),
            tr("Every feature but the core switches off and the engine reports not ready, "
               "so load balancers stop sending traffic. Liveness is not affected.\n\n"
               "Pin EMERGENCY for %1?")
                .arg(durationText(durationMs)),
            QMessageBox::Yes | QMessageBox::Cancel, this);
        box.setObjectName(QStringLiteral("emergencyConfirmation"));
        box.setDefaultButton(QMessageBox::Cancel);
        if (box.exec() != QMessageBox::Yes) {
            showActionResult(true, tr("Not pinned."));
            return;
        }
    }
    const auto r = m_service->pin(level, reason, durationMs, actor());
    if (!r) {
        showActionResult(false, EngineWording::error(r.error()));
        return;
    }
    setSnapshot(*r);
    m_reasonEdit->clear();
    showActionResult(true,
        tr("Pinned %1 until %2.")
            .arg(DisplayFormat::degradationLevel(level), DisplayFormat::dateTime(r->pin.untilMs)));
}

void DegradationPage::release()
{
    const auto r = m_service->release(actor());
    if (!r) {
        showActionResult(false, EngineWording::error(r.error()));
        return;
    }
    setSnapshot(*r);
    showActionResult(true,
        tr("Released; the score decides again (%1).")
            .arg(DisplayFormat::degradationLevel(r->level)));
}

void DegradationPage::setRange(Range range)
{
    if (m_rangeCombo->currentIndex() == int(range))
        reloadTimeline();
    else
        m_rangeCombo->setCurrentIndex(int(range)); // reloads
}

void DegradationPage::reloadTimeline()
{
    ++m_generation;
    if (m_watcher.isRunning()) {
        // One read at a time; the answer in flight is dropped (old generation) and a fresh
        // read follows it.
        m_reloadPending = true;
        return;
    }
    static const qint64 spans[] = { 3'600'000, 86'400'000, 7 * 86'400'000 };
    HistoryQuery query;
    query.databasePath = m_engine->databasePath();
    query.series = { QStringLiteral("degradation.level"), QStringLiteral("health.score") };
    query.toMs = QDateTime::currentMSecsSinceEpoch();
    query.fromMs = query.toMs - spans[qBound(0, m_rangeCombo->currentIndex(), 2)];
    query.maxPoints = 5000;
    query.generation = m_generation;
    m_watcher.setFuture(QtConcurrent::run([query] { return query.run(); }));
}

void DegradationPage::onTimelineAnswer()
{
    const HistoryAnswer answer = m_watcher.result();
    if (m_reloadPending) {
        m_reloadPending = false;
        reloadTimeline();
        if (answer.generation != m_generation)
            return;
    }
    if (answer.generation != m_generation)
        return;
    m_timelineAnswered = true;
    m_timelineError.clear();
    m_changes.clear();
    m_levelRecorded = false;
    for (const SeriesInfo &s : answer.series)
        m_levelRecorded = m_levelRecorded || s.name == QLatin1String("degradation.level");
    if (answer.results.size() >= 1)
        m_changes = levelChanges(
            answer.results.at(0), answer.results.size() >= 2 ? &answer.results.at(1) : nullptr);
    // Before the first flush there is no level series yet, which the query reports as an
    // unknown series: that is not an error worth showing.
    const bool noSeriesYet = !m_levelRecorded && answer.error
        && answer.error->code == QLatin1String("history.unknown_series")
        && answer.error->args.value(0).toString() == QLatin1String("degradation.level");
    m_timelineError = !answer.error || noSeriesYet ? QString() : answer.error->message;
    fillTimeline();
    Q_EMIT timelineUpdated();
}

void DegradationPage::refreshTimelineAges()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int row = 0; row < m_timeline->rowCount(); ++row) {
        if (QTableWidgetItem *when = m_timeline->item(row, 0))
            when->setText(DisplayFormat::relativeAge(when->data(TimestampRole).toLongLong(), now));
    }
}

void DegradationPage::fillTimeline()
{
    m_timeline->setRowCount(int(m_changes.size()));
    for (int row = 0; row < m_changes.size(); ++row) {
        const LevelChange &c = m_changes.at(row);
        auto *to = new QTableWidgetItem(DisplayFormat::degradationLevel(c.to));
        to->setForeground(StatusColors::forDegradationLevel(c.to));
        auto *when = new QTableWidgetItem;
        when->setData(TimestampRole, c.tsMs);
        when->setData(TableExport::ExportRole, DisplayFormat::utcTime(c.tsMs));
        when->setToolTip(DisplayFormat::utcTime(c.tsMs));
        m_timeline->setItem(row, 0, when);
        m_timeline->setItem(row, 1, new QTableWidgetItem(DisplayFormat::degradationLevel(c.from)));
        m_timeline->setItem(row, 2, to);
        m_timeline->setItem(row, 3,
            new QTableWidgetItem(
                c.hasScore ? QLocale().toString(c.score, 'f', 1) : DisplayFormat::noValue()));
    }
    refreshTimelineAges();
    if (!m_timelineAnswered)
        m_timelineStatus->setText(tr("Reading the history…"));
    else if (!m_timelineError.isEmpty())
        m_timelineStatus->setText(tr("History could not be read: %1").arg(m_timelineError));
    else if (!m_levelRecorded)
        m_timelineStatus->setText(tr("No level recorded in the history yet."));
    else if (m_changes.isEmpty())
        m_timelineStatus->setText(tr("No level changes in this range."));
    else
        m_timelineStatus->setText(
            tr("%n change(s), newest first.", nullptr, int(m_changes.size())));
}

} // namespace Shivx::Ui

#include "overview/overviewpage.h"

#include "core/engine.h"
#include "degradation/degradationservice.h"
#include "health/healthscore.h"
#include "health/healthservice.h"
#include "recovery/recoveryservice.h"

#include "overview/hostpanel.h"
#include "overview/scorebreakdownmodel.h"
#include "overview/targetsmodel.h"
#include "widgets/displayformat.h"
#include "widgets/gaugewidget.h"
#include "widgets/statuscolors.h"
#include "widgets/tableactions.h"

#include <QEvent>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace Shivx::Ui {

namespace {

GaugeWidget *makeGauge(QWidget *parent, const char *objectName)
{
    auto *gauge = new GaugeWidget(parent);
    gauge->setObjectName(QLatin1String(objectName));
    return gauge;
}

void setUpTable(QTableView *view)
{
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 10);
}

} // namespace

OverviewPage::OverviewPage(Engine *engine, QWidget *parent)
    : QWidget(parent)
    , m_engine(engine)
{
    // Gauges. The score's bands are the engine's states; the score comes rounded to 0.1, so
    // x.95 separates the bands.
    m_scoreGauge = makeGauge(this, "scoreGauge");
    m_scoreGauge->setThresholds(HealthScore::HealthyMin - 0.05, HealthScore::DegradedMin - 0.05,
        GaugeWidget::Direction::HigherIsBetter);
    m_cpuGauge = makeGauge(this, "cpuGauge");
    m_memoryGauge = makeGauge(this, "memoryGauge");
    m_diskGauge = makeGauge(this, "diskGauge");

    auto *gauges = new QHBoxLayout;
    gauges->setSpacing(12);
    for (GaugeWidget *g : { m_scoreGauge, m_cpuGauge, m_memoryGauge, m_diskGauge })
        gauges->addWidget(g, 1);

    // Host numbers and the score's explanation side by side.
    m_hostPanel = new HostPanel(this);
    m_hostPanel->setObjectName(QStringLiteral("hostPanel"));

    auto *scoreBox = new QGroupBox(this);
    m_scoreBox = scoreBox;
    m_scoreSummary = new QLabel(scoreBox);
    m_scoreSummary->setObjectName(QStringLiteral("scoreSummary"));
    // Wrapping keeps a long sentence (or a long translation) from widening the window.
    m_scoreSummary->setWordWrap(true);
    m_scoreModel = new ScoreBreakdownModel(this);
    m_scoreView = new QTableView(scoreBox);
    m_scoreView->setObjectName(QStringLiteral("scoreView"));
    m_scoreView->setModel(m_scoreModel);
    TableActions::install(m_scoreView);
    setUpTable(m_scoreView);
    m_scoreView->setSelectionMode(QAbstractItemView::NoSelection);
    m_scoreView->horizontalHeader()->setSectionResizeMode(
        ScoreBreakdownModel::ComponentColumn, QHeaderView::ResizeToContents);
    m_scoreView->horizontalHeader()->setSectionResizeMode(
        ScoreBreakdownModel::PenaltyColumn, QHeaderView::ResizeToContents);
    auto *scoreLayout = new QVBoxLayout(scoreBox);
    scoreLayout->addWidget(m_scoreSummary);
    scoreLayout->addWidget(m_scoreView);

    // Targets.
    auto *targetsBox = new QGroupBox(this);
    m_targetsBox = targetsBox;
    m_targetsSummary = new QLabel(targetsBox);
    m_targetsSummary->setObjectName(QStringLiteral("targetsSummary"));
    m_targetsSummary->setWordWrap(true);
    m_targetsModel = new TargetsModel(this);
    m_targetsProxy = new QSortFilterProxyModel(this);
    m_targetsProxy->setSourceModel(m_targetsModel);
    m_targetsProxy->setSortRole(TargetsModel::SortRole);
    m_targetsProxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_targetsView = new QTableView(targetsBox);
    m_targetsView->setObjectName(QStringLiteral("targetsView"));
    m_targetsView->setModel(m_targetsProxy);
    TableActions::install(m_targetsView);
    setUpTable(m_targetsView);
    m_targetsView->setSortingEnabled(true);
    m_targetsView->sortByColumn(TargetsModel::NameColumn, Qt::AscendingOrder);
    QHeaderView *header = m_targetsView->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->resizeSection(TargetsModel::NameColumn, 200);
    header->resizeSection(TargetsModel::KindColumn, 80);
    header->resizeSection(TargetsModel::StateColumn, 100);
    header->resizeSection(TargetsModel::LatencyColumn, 90);
    header->resizeSection(TargetsModel::FailuresColumn, 80);
    header->resizeSection(TargetsModel::LastCheckColumn, 100);
    m_openBreakers = new QLabel(targetsBox);
    m_openBreakers->setObjectName(QStringLiteral("openBreakersLabel"));
    m_openBreakers->setWordWrap(true);
    m_openBreakers->hide();
    auto *targetsLayout = new QVBoxLayout(targetsBox);
    targetsLayout->addWidget(m_targetsSummary);
    targetsLayout->addWidget(m_openBreakers);
    targetsLayout->addWidget(m_targetsView);

    auto *middle = new QSplitter(Qt::Horizontal, this);
    middle->setChildrenCollapsible(false);
    middle->addWidget(m_hostPanel);
    middle->addWidget(scoreBox);
    middle->setStretchFactor(0, 1);
    middle->setStretchFactor(1, 1);

    auto *body = new QSplitter(Qt::Vertical, this);
    body->setChildrenCollapsible(false);
    body->addWidget(middle);
    body->addWidget(targetsBox);
    // Extra height goes to the targets, the list that grows with the installation.
    body->setStretchFactor(0, 0);
    body->setStretchFactor(1, 1);

    // The degradation level in one line; the Degradation page has the details and controls.
    m_degradationLabel = new QLabel(this);
    m_degradationLabel->setObjectName(QStringLiteral("degradationLabel"));
    m_degradationLabel->setAutoFillBackground(true);
    m_degradationLabel->setContentsMargins(10, 4, 10, 4);
    QFont levelFont = m_degradationLabel->font();
    levelFont.setBold(true);
    m_degradationLabel->setFont(levelFont);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_degradationLabel);
    layout->addLayout(gauges);
    layout->addWidget(body, 1);

    retranslateUi();

    auto *health = engine->service<HealthService>();
    setScoreThresholds(health->scoreConfig());
    connect(health, &HealthService::hostSampled, this, &OverviewPage::setHostSample);
    connect(health, &HealthService::healthChanged, this, &OverviewPage::setHealth);
    connect(health, &HealthService::targetsChanged, this, &OverviewPage::setTargets);
    // Last-check ages ("12 s ago") move on between the probes' reports.
    auto *ageTimer = new QTimer(this);
    connect(ageTimer, &QTimer::timeout, m_targetsModel, &TargetsModel::refreshAges);
    ageTimer->start(1000);
    auto *recovery = engine->service<RecoveryService>();
    connect(recovery, &RecoveryService::breakersChanged, this, &OverviewPage::setBreakers);
    auto *degradation = engine->service<DegradationService>();
    connect(degradation, &DegradationService::changed, this, &OverviewPage::setDegradation);
    // The engine may have published before the page existed: start from its snapshots.
    refresh();
}

void OverviewPage::refresh()
{
    auto *health = m_engine->service<HealthService>();
    const HostSample sample = health->lastHostSample();
    if (sample.timestampMs > 0)
        setHostSample(sample);
    const HealthReport report = health->health();
    if (report.timestampMs > 0)
        setHealth(report);
    setTargets(health->targets());
    setBreakers(m_engine->service<RecoveryService>()->breakers());
    setDegradation(m_engine->service<DegradationService>()->snapshot());
}

void OverviewPage::setScoreThresholds(const ScoreConfig &score)
{
    const auto red = [](double warn) { return warn + (100.0 - warn) * 2.0 / 3.0; };
    m_cpuGauge->setThresholds(score.cpuWarnPercent, red(score.cpuWarnPercent));
    m_memoryGauge->setThresholds(score.memoryWarnPercent, red(score.memoryWarnPercent));
    m_diskGauge->setThresholds(score.diskWarnPercent, red(score.diskWarnPercent));
}

void OverviewPage::changeEvent(QEvent *event)
{
    // The status colours depend on the palette (Theme); retranslateUi() sets them again.
    if (event->type() == QEvent::LanguageChange || event->type() == QEvent::PaletteChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void OverviewPage::retranslateUi()
{
    m_scoreGauge->setLabel(tr("Health score"));
    m_scoreGauge->setUnit(tr("of 100"));
    m_cpuGauge->setLabel(tr("CPU"));
    m_memoryGauge->setLabel(tr("Memory"));
    m_diskGauge->setLabel(tr("Disk"));
    for (GaugeWidget *g : { m_cpuGauge, m_memoryGauge, m_diskGauge })
        g->setUnit(tr("%"));
    m_scoreBox->setTitle(tr("Score breakdown"));
    m_targetsBox->setTitle(tr("Targets"));
    updateOpenBreakers();
    m_scoreModel->retranslate();
    m_targetsModel->retranslate();
    // The gauges' details and the summaries are worded from data; word them again.
    if (m_hasSample)
        setHostSample(m_sample);
    if (m_hasHealth)
        setHealth(m_health);
    else
        m_scoreSummary->setText(tr("Waiting for the first health report…"));
    updateTargetsSummary();
    setDegradation(m_degradation);
}

void OverviewPage::setDegradation(const DegradationSnapshot &snapshot)
{
    m_degradation = snapshot;
    // Hysteresis keeps a worse level for a while after the score recovered; say so, or a
    // healthy score next to LEVEL_1 looks like a contradiction.
    const QString level = snapshot.recoverySinceMs > 0 && !snapshot.pin.active
        ? tr("%1, recovering").arg(DisplayFormat::degradationLevel(snapshot.level))
        : DisplayFormat::degradationLevel(snapshot.level);
    m_degradationLabel->setText(snapshot.pin.active
            ? tr("Degradation: %1 (pinned by %2) — %3")
                  .arg(level, snapshot.pin.actor, DisplayFormat::degradationMeaning(snapshot.level))
            : tr("Degradation: %1 — %2")
                  .arg(level, DisplayFormat::degradationMeaning(snapshot.level)));
    QPalette pal = m_degradationLabel->palette();
    const QColor background = StatusColors::forDegradationLevel(snapshot.level);
    pal.setColor(QPalette::Window, background);
    pal.setColor(QPalette::WindowText, StatusColors::textOn(background));
    m_degradationLabel->setPalette(pal);
}

void OverviewPage::setHostSample(const HostSample &sample)
{
    m_sample = sample;
    m_hasSample = true;
    // CPU % is a rate; the first sample after start has none and would show a false 0.
    if (sample.hasRates)
        m_cpuGauge->setValue(sample.cpuPercent);
    else
        m_cpuGauge->clearValue();
    m_cpuGauge->setDetail(tr("load %1").arg(QLocale().toString(sample.load1, 'f', 2)));

    m_memoryGauge->setValue(sample.memUsedPercent);
    m_memoryGauge->setDetail(tr("%1 of %2")
                                 .arg(DisplayFormat::bytes(sample.memUsedBytes),
                                     DisplayFormat::bytes(sample.memTotalBytes)));

    // The fullest filesystem is the one that will stop the machine first.
    const auto fullest = std::max_element(sample.mounts.cbegin(), sample.mounts.cend(),
        [](const MountUsage &a, const MountUsage &b) { return a.usedPercent < b.usedPercent; });
    if (fullest != sample.mounts.cend()) {
        m_diskGauge->setValue(fullest->usedPercent);
        m_diskGauge->setDetail(tr("fullest: %1").arg(fullest->mountPoint));
    } else {
        m_diskGauge->clearValue();
        m_diskGauge->setDetail(QString());
    }

    m_hostPanel->setSample(sample);
}

void OverviewPage::setHealth(const HealthReport &report)
{
    m_health = report;
    m_hasHealth = true;
    m_scoreGauge->setValue(report.score);
    m_scoreGauge->setDetail(DisplayFormat::healthState(report.state));
    m_scoreModel->update(report.components);

    double off = 0;
    for (const ScoreComponent &c : report.components)
        off += c.penalty;
    const QLocale locale;
    m_scoreSummary->setText(
        tr("%1: score %2, %3 points off 100 as itemised below")
            .arg(DisplayFormat::healthState(report.state), locale.toString(report.score, 'f', 0),
                locale.toString(off, 'f', 1)));
    QPalette pal = m_scoreSummary->palette();
    pal.setColor(QPalette::WindowText, StatusColors::forHealthState(report.state));
    m_scoreSummary->setPalette(pal);
}

void OverviewPage::setBreakers(const QList<BreakerSnapshot> &breakers)
{
    QStringList open;
    for (const BreakerSnapshot &b : breakers) {
        if (b.state == BreakerState::Open)
            open << b.name;
    }
    if (open == m_openBreakerNames)
        return;
    m_openBreakerNames = open;
    m_openBreakers->setVisible(!open.isEmpty());
    updateOpenBreakers();
}

void OverviewPage::updateOpenBreakers()
{
    QPalette breakerPalette = m_openBreakers->palette();
    breakerPalette.setColor(QPalette::WindowText, StatusColors::critical());
    m_openBreakers->setPalette(breakerPalette);
    m_openBreakers->setText(m_openBreakerNames.isEmpty()
            ? QString()
            : tr(
                "Circuit open: %1. Probes are held back until a trial call succeeds; see Recovery.",
                nullptr, int(m_openBreakerNames.size()))
                  .arg(QLocale().createSeparatedList(m_openBreakerNames)));
}

void OverviewPage::setTargets(const QList<TargetStatus> &targets)
{
    m_targetsModel->update(targets);
    updateTargetsSummary();
}

void OverviewPage::updateTargetsSummary()
{
    const QList<TargetStatus> &targets = m_targetsModel->targets();
    int up = 0, degraded = 0, down = 0;
    for (const TargetStatus &t : targets) {
        up += t.state == TargetState::Up;
        degraded += t.state == TargetState::Degraded;
        down += t.state == TargetState::Down;
    }
    if (targets.isEmpty())
        m_targetsSummary->setText(
            tr("No targets configured — add one under targets: in the configuration file (see "
               "docs/configuration.md), then File > Reload configuration."));
    else
        m_targetsSummary->setText(
            tr("%n target(s): %1 up, %2 degraded, %3 down", nullptr, int(targets.size()))
                .arg(up)
                .arg(degraded)
                .arg(down));
}

} // namespace Shivx::Ui

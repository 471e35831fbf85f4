#include "guardian/guardianpage.h"

#include "core/engine.h"
#include "core/operatoridentity.h"
#include "guardian/guardianservice.h"
#include "guardian/threatsfilter.h"
#include "guardian/threatsmodel.h"
#include "widgets/displayformat.h"
#include "widgets/enginewording.h"
#include "widgets/selectabletext.h"
#include "widgets/statebanner.h"
#include "widgets/statuscolors.h"
#include "widgets/tableactions.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QtConcurrent/QtConcurrentRun>

namespace Shivx::Ui {

namespace {

constexpr qint64 HourMs = 3'600'000;
const qint64 TimeSpans[] = { 0, HourMs, 24 * HourMs, 7 * 24 * HourMs };
constexpr int IsolationSourceRole = Qt::UserRole + 1;

QColor modeColor(DefenseMode mode)
{
    switch (mode) {
    case DefenseMode::Normal:
        return StatusColors::ok();
    case DefenseMode::Elevated:
        return StatusColors::warning();
    case DefenseMode::Lockdown:
        return StatusColors::critical();
    }
    return StatusColors::unknown();
}

QString modeName(DefenseMode mode)
{
    switch (mode) {
    case DefenseMode::Normal:
        return GuardianPage::tr("NORMAL");
    case DefenseMode::Elevated:
        return GuardianPage::tr("ELEVATED");
    case DefenseMode::Lockdown:
        return GuardianPage::tr("LOCKDOWN");
    }
    return QString();
}

QString modeMeaning(DefenseMode mode)
{
    switch (mode) {
    case DefenseMode::Normal:
        return GuardianPage::tr("Watching: threats are recorded and policies apply.");
    case DefenseMode::Elevated:
        return GuardianPage::tr("Elevated: an attack may be under way; policies act.");
    case DefenseMode::Lockdown:
        return GuardianPage::tr("Lockdown: beyond loopback only liveness and readiness answer; "
                                "external targets are stopped.");
    }
    return QString();
}

QString featureName(const QString &name)
{
    if (name == QLatin1String("rate"))
        return GuardianPage::tr("Request rate");
    if (name == QLatin1String("auth_failures"))
        return GuardianPage::tr("Failed token checks");
    if (name == QLatin1String("distinct_paths"))
        return GuardianPage::tr("Distinct paths");
    if (name == QLatin1String("error_ratio"))
        return GuardianPage::tr("Error ratio");
    if (name == QLatin1String("watchers"))
        return GuardianPage::tr("Log watchers");
    return name;
}

QString sourceClassName(const QString &sourceClass)
{
    if (sourceClass == QLatin1String("loopback"))
        return GuardianPage::tr("loopback");
    if (sourceClass == QLatin1String("private"))
        return GuardianPage::tr("private network");
    if (sourceClass == QLatin1String("public"))
        return GuardianPage::tr("public address");
    if (sourceClass == QLatin1String("name"))
        return GuardianPage::tr("name");
    return sourceClass;
}

} // namespace

GuardianPage::GuardianPage(Engine *engine, QWidget *parent)
    : QWidget(parent)
    , m_engine(engine)
    , m_service(engine->service<GuardianService>())
{
    m_banner = new StateBanner(this);
    m_banner->setObjectName(QStringLiteral("guardianBanner"));

    // The mode's control sits in the banner: it is what the operator acts on first.
    m_controlBox = new QGroupBox(m_banner);
    m_modeLabel = new QLabel(m_controlBox);
    m_modeCombo = new QComboBox(m_controlBox);
    m_modeCombo->setObjectName(QStringLiteral("modeCombo"));
    for (DefenseMode m : { DefenseMode::Normal, DefenseMode::Elevated, DefenseMode::Lockdown })
        m_modeCombo->addItem(QString(), int(m));
    m_modeLabel->setBuddy(m_modeCombo);
    m_setModeButton = new QPushButton(m_controlBox);
    m_setModeButton->setObjectName(QStringLiteral("setModeButton"));
    m_actionStatus = new QLabel(m_controlBox);
    m_actionStatus->setObjectName(QStringLiteral("actionStatus"));
    m_actionStatus->setWordWrap(true);
    SelectableText::apply(m_actionStatus);
    auto *controlRow = new QHBoxLayout;
    controlRow->addWidget(m_modeLabel);
    controlRow->addWidget(m_modeCombo);
    controlRow->addWidget(m_setModeButton);
    controlRow->addStretch(1);
    auto *controlLayout = new QVBoxLayout(m_controlBox);
    controlLayout->addLayout(controlRow);
    controlLayout->addWidget(m_actionStatus);
    connect(m_setModeButton, &QPushButton::clicked, this, &GuardianPage::setMode);
    m_banner->addSide(m_controlBox, 2);

    // Threats.
    m_threatsBox = new QGroupBox(this);
    m_typeCombo = new QComboBox(m_threatsBox);
    m_typeCombo->setObjectName(QStringLiteral("threatTypeFilter"));
    m_typeCombo->addItem(QString());
    m_severityCombo = new QComboBox(m_threatsBox);
    m_severityCombo->setObjectName(QStringLiteral("threatSeverityFilter"));
    for (int i = 0; i < 3; ++i)
        m_severityCombo->addItem(QString());
    m_sourceEdit = new QLineEdit(m_threatsBox);
    m_sourceEdit->setObjectName(QStringLiteral("threatSourceFilter"));
    m_sourceEdit->setClearButtonEnabled(true);
    m_timeCombo = new QComboBox(m_threatsBox);
    m_timeCombo->setObjectName(QStringLiteral("threatTimeFilter"));
    for (int i = 0; i < int(std::size(TimeSpans)); ++i)
        m_timeCombo->addItem(QString(), TimeSpans[i]);
    m_model = new ThreatsModel(this);
    m_filter = new ThreatsFilter(this);
    m_filter->setSourceModel(m_model);
    m_threatsView = new QTableView(m_threatsBox);
    m_threatsView->setObjectName(QStringLiteral("threatsTable"));
    m_threatsView->setModel(m_filter);
    TableActions::install(m_threatsView);
    m_threatsView->setSortingEnabled(true);
    m_threatsView->sortByColumn(ThreatsModel::LastSeen, Qt::DescendingOrder);
    m_threatsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_threatsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_threatsView->verticalHeader()->hide();
    m_threatsView->setWordWrap(false);
    // Fixed row heights and no per-row size hints: a 100000-row table scrolls smoothly.
    m_threatsView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_threatsView->horizontalHeader()->setStretchLastSection(true);
    m_threatsView->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_threatsStatus = new QLabel(m_threatsBox);
    m_threatsStatus->setObjectName(QStringLiteral("threatsStatus"));
    m_groupCheck = new QCheckBox(m_threatsBox);
    m_groupCheck->setObjectName(QStringLiteral("groupBySource"));
    m_groupCheck->setChecked(true);
    m_filter->setGroupBySource(true);
    connect(m_groupCheck, &QCheckBox::toggled, m_filter, &ThreatsFilter::setGroupBySource);
    // The explanation of the selected source's score, as the health score's components.
    m_scoreBox = new QGroupBox(this);
    m_scoreTitle = new QLabel(m_scoreBox);
    m_scoreTitle->setObjectName(QStringLiteral("scoreTitle"));
    m_scoreTitle->setWordWrap(true);
    SelectableText::apply(m_scoreTitle);
    m_scoreTable = new QTableWidget(0, 3, m_scoreBox);
    m_scoreTable->setObjectName(QStringLiteral("scoreTable"));
    TableActions::install(m_scoreTable);
    m_scoreTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_scoreTable->setSelectionMode(QAbstractItemView::NoSelection);
    m_scoreTable->verticalHeader()->hide();
    m_scoreTable->setWordWrap(true);
    // A handful of rows: sizing them to their wrapped text costs nothing.
    m_scoreTable->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_scoreTable->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_scoreTable->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_scoreTable->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    auto *scoreLayout = new QVBoxLayout(m_scoreBox);
    scoreLayout->addWidget(m_scoreTitle);
    scoreLayout->addWidget(m_scoreTable, 1);
    auto *filters = new QHBoxLayout;
    filters->addWidget(m_typeCombo, 2);
    filters->addWidget(m_severityCombo, 1);
    filters->addWidget(m_sourceEdit, 2);
    filters->addWidget(m_timeCombo, 1);
    filters->addWidget(m_groupCheck);
    auto *threatsLayout = new QVBoxLayout(m_threatsBox);
    threatsLayout->addLayout(filters);
    threatsLayout->addWidget(m_threatsView, 1);
    threatsLayout->addWidget(m_threatsStatus);
    connect(m_threatsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &GuardianPage::onThreatSelected);
    connect(&m_scoreWatcher, &QFutureWatcher<Result<QList<ThreatAssessment>>>::finished, this,
        &GuardianPage::onScoreRead);
    connect(m_typeCombo, &QComboBox::currentIndexChanged, this, &GuardianPage::applyFilters);
    connect(m_severityCombo, &QComboBox::currentIndexChanged, this, &GuardianPage::applyFilters);
    connect(m_timeCombo, &QComboBox::currentIndexChanged, this, &GuardianPage::applyFilters);
    connect(m_sourceEdit, &QLineEdit::textChanged, this, &GuardianPage::applyFilters);
    connect(&m_watcher, &QFutureWatcher<Result<QList<ThreatRecord>>>::finished, this,
        &GuardianPage::onThreatsRead);

    // Isolations.
    m_isolationsBox = new QGroupBox(this);
    m_isolations = new QTableWidget(0, 4, m_isolationsBox);
    m_isolations->setObjectName(QStringLiteral("isolationsTable"));
    TableActions::install(m_isolations);
    m_isolations->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_isolations->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_isolations->setSelectionMode(QAbstractItemView::SingleSelection);
    m_isolations->verticalHeader()->hide();
    m_isolations->horizontalHeader()->setStretchLastSection(true);
    m_releaseButton = new QPushButton(m_isolationsBox);
    m_releaseButton->setObjectName(QStringLiteral("releaseButton"));
    auto *isolationsLayout = new QVBoxLayout(m_isolationsBox);
    isolationsLayout->addWidget(m_isolations, 1);
    isolationsLayout->addWidget(m_releaseButton, 0, Qt::AlignLeft);
    connect(m_releaseButton, &QPushButton::clicked, this, &GuardianPage::releaseSelected);
    connect(m_isolations, &QTableWidget::itemSelectionChanged, this,
        [this] { m_releaseButton->setEnabled(!m_isolations->selectedItems().isEmpty()); });

    // Events per second.
    m_chartBox = new QGroupBox(this);
    auto *chart = new QChart;
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 4, 4, 4));
    m_series = new QLineSeries(chart);
    chart->addSeries(m_series);
    m_xAxis = new QValueAxis(chart);
    m_xAxis->setRange(-ChartSeconds, 0);
    m_xAxis->setLabelFormat(QStringLiteral("%d"));
    m_yAxis = new QValueAxis(chart);
    m_yAxis->setRange(0, 5);
    m_yAxis->setLabelFormat(QStringLiteral("%d"));
    chart->addAxis(m_xAxis, Qt::AlignBottom);
    chart->addAxis(m_yAxis, Qt::AlignLeft);
    m_series->attachAxis(m_xAxis);
    m_series->attachAxis(m_yAxis);
    m_chartView = new QChartView(chart, m_chartBox);
    m_chartView->setObjectName(QStringLiteral("eventsChart"));
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(160);
    auto *chartLayout = new QVBoxLayout(m_chartBox);
    chartLayout->addWidget(m_chartView);
    m_rates.assign(ChartSeconds, 0);
    m_secondTimer = new QTimer(this);
    m_secondTimer->setInterval(1000);
    connect(m_secondTimer, &QTimer::timeout, this, &GuardianPage::tickChart);
    m_secondTimer->start();

    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_isolationsBox, 2);
    bottom->addWidget(m_scoreBox, 3);
    bottom->addWidget(m_chartBox, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(m_threatsBox, 3);
    layout->addLayout(bottom, 2);

    connect(m_service, &GuardianService::changed, this, &GuardianPage::setSnapshot);
    connect(m_service, &GuardianService::threatRecorded, this, &GuardianPage::onThreatRecorded);
    m_snapshot = m_service->snapshot();
    m_modeCombo->setCurrentIndex(qMax(0, m_modeCombo->findData(int(m_snapshot.mode))));
    retranslateUi();
    tickChart();
}

GuardianPage::~GuardianPage()
{
    // A read in flight holds only copies; waiting keeps it from outliving the process.
    m_watcher.waitForFinished();
    m_scoreWatcher.waitForFinished();
}

void GuardianPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    else if (event->type() == QEvent::PaletteChange)
        updateBanner();
    QWidget::changeEvent(event);
}

void GuardianPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_generation == 0)
        reloadThreats();
}

void GuardianPage::retranslateUi()
{
    m_controlBox->setTitle(tr("Defense mode"));
    m_modeLabel->setText(tr("M&ode:"));
    for (int i = 0; i < m_modeCombo->count(); ++i)
        m_modeCombo->setItemText(i, modeName(DefenseMode(m_modeCombo->itemData(i).toInt())));
    m_setModeButton->setText(tr("&Set mode…"));
    m_threatsBox->setTitle(tr("Threats"));
    m_typeCombo->setItemText(0, tr("All types"));
    m_severityCombo->setItemText(0, tr("Any severity"));
    m_severityCombo->setItemText(1, tr("Warning and critical"));
    m_severityCombo->setItemText(2, tr("Critical only"));
    m_sourceEdit->setPlaceholderText(tr("Filter by source (address, user)"));
    m_timeCombo->setItemText(0, tr("All time"));
    m_timeCombo->setItemText(1, tr("Last hour"));
    m_timeCombo->setItemText(2, tr("Last 24 hours"));
    m_timeCombo->setItemText(3, tr("Last 7 days"));
    m_model->retranslate();
    m_isolationsBox->setTitle(tr("Isolated sources"));
    m_isolations->setHorizontalHeaderLabels(
        { tr("Source"), tr("Time left"), tr("By"), tr("Reason") });
    m_releaseButton->setText(tr("&Release"));
    m_groupCheck->setText(tr("&Group by source"));
    m_scoreBox->setTitle(tr("Threat score"));
    m_scoreTable->setHorizontalHeaderLabels({ tr("Feature"), tr("Points"), tr("Why") });
    showScore();
    m_chartBox->setTitle(tr("Threat events per second"));
    m_xAxis->setTitleText(tr("seconds ago"));
    m_chartView->chart()->update();
    sizeThreatColumns();
    updateBanner();
    updateIsolations();
    applyFilters();
}

void GuardianPage::sizeThreatColumns()
{
    // Fixed widths from the font and the header words, not resizeColumnsToContents(), which
    // would measure rows (slow with 100000) and change as rows arrive.
    const QFontMetrics fm = m_threatsView->fontMetrics();
    const int pad = fm.horizontalAdvance(QLatin1Char('M')) * 2;
    auto fit = [&](int column, const QString &sample) {
        const QString header
            = m_model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
        m_threatsView->horizontalHeader()->resizeSection(
            column, qMax(fm.horizontalAdvance(sample), fm.horizontalAdvance(header) + pad) + pad);
    };
    fit(ThreatsModel::LastSeen, DisplayFormat::dateTime(QDateTime::currentMSecsSinceEpoch()));
    fit(ThreatsModel::Severity, ThreatsModel::severityText(ThreatSeverity::Critical));
    fit(ThreatsModel::Type, QStringLiteral("sshd.auth_failure.long"));
    fit(ThreatsModel::Source, QStringLiteral("2001:db8:ffff::ffff"));
    fit(ThreatsModel::Count, QStringLiteral("1000000"));
    fit(ThreatsModel::Score, QStringLiteral("100"));
}

void GuardianPage::setSnapshot(const GuardianSnapshot &snapshot)
{
    if (snapshot.mode != m_snapshot.mode)
        m_modeCombo->setCurrentIndex(qMax(0, m_modeCombo->findData(int(snapshot.mode))));
    m_snapshot = snapshot;
    updateBanner();
    updateIsolations();
}

void GuardianPage::updateBanner()
{
    const GuardianSnapshot &s = m_snapshot;
    QStringList lines;
    if (s.running) {
        lines << tr("Since %1 — %2")
                     .arg(DisplayFormat::dateTime(s.changedMs), EngineWording::message(s.reason));
        if (s.floor != DefenseMode::Normal)
            lines << tr("An operator set %1: automatic steps stay at or above it.")
                         .arg(modeName(s.floor));
        if (s.nextStepDownMs > 0)
            lines << tr("Steps down at %1 if all stays quiet.")
                         .arg(DisplayFormat::timeOfDay(s.nextStepDownMs));
    } else {
        lines << EngineWording::message(s.reason);
    }
    m_banner->setState(modeColor(s.mode), modeName(s.mode), modeMeaning(s.mode), lines);
    m_setModeButton->setEnabled(s.running);
}

void GuardianPage::updateIsolations()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QString selected
        = m_isolations->currentRow() >= 0 && m_isolations->item(m_isolations->currentRow(), 0)
        ? m_isolations->item(m_isolations->currentRow(), 0)->text()
        : QString();
    m_isolations->setRowCount(int(m_snapshot.isolations.size()));
    for (int row = 0; row < m_snapshot.isolations.size(); ++row) {
        const Isolation &i = m_snapshot.isolations.at(row);
        const QStringList cells
            = { i.source, DisplayFormat::duration(qMax<qint64>(0, i.untilMs - now) / 1000 * 1000),
                  i.actor, i.reason };
        for (int col = 0; col < cells.size(); ++col) {
            QTableWidgetItem *item = m_isolations->item(row, col);
            if (!item) {
                item = new QTableWidgetItem;
                m_isolations->setItem(row, col, item);
            }
            if (item->text() != cells.at(col))
                item->setText(cells.at(col));
            item->setData(IsolationSourceRole, i.source);
            item->setToolTip(
                col == 1 ? tr("until %1").arg(DisplayFormat::dateTime(i.untilMs)) : QString());
        }
        if (i.source == selected)
            m_isolations->selectRow(row);
    }
    m_releaseButton->setEnabled(!m_isolations->selectedItems().isEmpty());
}

void GuardianPage::updateTypeFilter()
{
    const QString current
        = m_typeCombo->currentIndex() > 0 ? m_typeCombo->currentText() : QString();
    const QStringList types = m_model->types();
    QStringList shown;
    for (int i = 1; i < m_typeCombo->count(); ++i)
        shown << m_typeCombo->itemText(i);
    if (shown == types)
        return;
    const QSignalBlocker block(m_typeCombo);
    while (m_typeCombo->count() > 1)
        m_typeCombo->removeItem(1);
    m_typeCombo->addItems(types);
    m_typeCombo->setCurrentIndex(qMax(0, m_typeCombo->findText(current)));
}

void GuardianPage::applyFilters()
{
    m_filter->setType(m_typeCombo->currentIndex() > 0 ? m_typeCombo->currentText() : QString());
    const int sev = m_severityCombo->currentIndex();
    m_filter->setMinSeverity(sev == 1 ? std::optional(ThreatSeverity::Warning)
            : sev == 2                ? std::optional(ThreatSeverity::Critical)
                                      : std::nullopt);
    m_filter->setSourceText(m_sourceEdit->text().trimmed());
    const qint64 span = m_timeCombo->currentData().toLongLong();
    m_filter->setSinceMs(span > 0 ? QDateTime::currentMSecsSinceEpoch() - span : 0);
    if (!m_readError.isEmpty())
        m_threatsStatus->setText(m_readError);
    else
        m_threatsStatus->setText(tr("%1 of %2 rows shown")
                                     .arg(QLocale().toString(m_filter->rowCount()),
                                         QLocale().toString(m_model->rowCount())));
}

void GuardianPage::reloadThreats()
{
    if (m_watcher.isRunning()) {
        m_reloadPending = true;
        return;
    }
    ++m_generation;
    GuardianService *service = m_service;
    ThreatFilter f;
    f.limit = MaxRows;
    m_watcher.setFuture(QtConcurrent::run([service, f] { return service->threats(f); }));
}

void GuardianPage::onThreatsRead()
{
    const Result<QList<ThreatRecord>> rows = m_watcher.result();
    if (rows) {
        m_readError.clear();
        m_model->setRecords(*rows);
    } else {
        m_readError = EngineWording::error(rows.error());
    }
    updateTypeFilter();
    applyFilters();
    Q_EMIT threatsLoaded();
    if (m_reloadPending) {
        m_reloadPending = false;
        reloadThreats();
    }
}

void GuardianPage::onThreatRecorded(const ThreatRecord &record)
{
    ++m_eventsThisSecond;
    m_model->enqueue(record);
    // The status line and the type list catch up once the queue is applied.
    QTimer::singleShot(0, this, [this] {
        updateTypeFilter();
        applyFilters();
    });
}

void GuardianPage::tickChart()
{
    m_rates.pop_front();
    m_rates.push_back(m_eventsThisSecond);
    m_eventsThisSecond = 0;
    QList<QPointF> points;
    points.reserve(int(m_rates.size()));
    int peak = 0;
    for (int i = 0; i < int(m_rates.size()); ++i) {
        points.append(QPointF(i - int(m_rates.size()) + 1, m_rates[size_t(i)]));
        peak = qMax(peak, m_rates[size_t(i)]);
    }
    m_series->replace(points);
    m_yAxis->setRange(0, qMax(5, int(peak * 1.2) + 1));
    updateIsolations(); // the time left moves on
    // The score changes as the source's signals age out of their windows.
    if (!m_scoreSource.isEmpty() && ++m_scoreAge >= ScoreRefreshSeconds)
        requestScore();
}

void GuardianPage::onThreatSelected()
{
    const QModelIndex current = m_threatsView->currentIndex();
    const QString source = current.isValid()
        ? m_model->record(m_filter->mapToSource(current).row()).source
        : QString();
    if (source == m_scoreSource)
        return;
    m_scoreSource = source;
    m_scoreShown = ThreatAssessment();
    m_scoreError.clear();
    ++m_scoreGeneration;
    showScore();
    if (!source.isEmpty())
        requestScore();
}

void GuardianPage::requestScore()
{
    m_scoreAge = 0;
    if (m_scoreWatcher.isRunning() || m_scoreSource.isEmpty())
        return; // the next tick asks again
    GuardianService *service = m_service;
    const QStringList sources { m_scoreSource };
    m_scoreReadGeneration = m_scoreGeneration;
    m_scoreWatcher.setFuture(
        QtConcurrent::run([service, sources] { return service->assess(sources); }));
}

void GuardianPage::onScoreRead()
{
    if (m_scoreReadGeneration != m_scoreGeneration) {
        requestScore(); // the selection moved on while this was read
        return;
    }
    const Result<QList<ThreatAssessment>> r = m_scoreWatcher.result();
    if (r && !r->isEmpty()) {
        m_scoreShown = r->first();
        m_scoreError.clear();
    } else {
        m_scoreError = r ? QString() : EngineWording::error(r.error());
    }
    showScore();
    Q_EMIT scoreLoaded();
}

void GuardianPage::showScore()
{
    const ThreatAssessment &a = m_scoreShown;
    if (m_scoreSource.isEmpty())
        m_scoreTitle->setText(tr("Select a threat to see why its source scores what it does."));
    else if (!m_scoreError.isEmpty())
        m_scoreTitle->setText(m_scoreError);
    else if (a.source != m_scoreSource)
        m_scoreTitle->setText(tr("Reading the score of %1…").arg(m_scoreSource));
    else
        m_scoreTitle->setText(tr("%1 scores %2 of 100 now (source class: %3).")
                                  .arg(a.source, QLocale().toString(qRound(a.score)),
                                      sourceClassName(a.sourceClass)));
    const bool shown = a.source == m_scoreSource && !m_scoreSource.isEmpty();
    m_scoreTable->setRowCount(shown ? int(a.features.size()) : 0);
    for (int row = 0; shown && row < a.features.size(); ++row) {
        const ThreatFeature &f = a.features.at(row);
        const QStringList cells = { featureName(f.name),
            tr("%1 of %2")
                .arg(QLocale().toString(f.points, 'f', 1), QLocale().toString(f.maxPoints, 'f', 0)),
            EngineWording::message(f.detail) };
        for (int col = 0; col < cells.size(); ++col) {
            QTableWidgetItem *item = m_scoreTable->item(row, col);
            if (!item) {
                item = new QTableWidgetItem;
                m_scoreTable->setItem(row, col, item);
            }
            item->setText(cells.at(col));
        }
    }
}

QList<int> GuardianPage::eventRates() const
{
    return QList<int>(m_rates.begin(), m_rates.end());
}

QString GuardianPage::actor() const
{
    return OperatorIdentity::actor(QStringLiteral("console"));
}

void GuardianPage::showActionResult(bool ok, const QString &text)
{
    m_actionOk = ok;
    m_actionStatus->setText(text);
}

void GuardianPage::setMode()
{
    const DefenseMode mode = DefenseMode(m_modeCombo->currentData().toInt());
    QInputDialog dialog(this);
    dialog.setObjectName(QStringLiteral("modeReasonDialog"));
    dialog.setWindowTitle(tr("Set the defense mode"));
    dialog.setLabelText(tr("Why set %1? The reason goes into the audit log.").arg(modeName(mode)));
    dialog.setTextEchoMode(QLineEdit::Normal);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const auto r = m_service->setMode(mode, dialog.textValue(), actor());
    if (!r) {
        showActionResult(false, EngineWording::error(r.error()));
        return;
    }
    setSnapshot(*r);
    showActionResult(true, tr("Mode set to %1.").arg(modeName(r->mode)));
}

void GuardianPage::releaseSelected()
{
    const int row = m_isolations->currentRow();
    if (row < 0 || !m_isolations->item(row, 0))
        return;
    const QString source = m_isolations->item(row, 0)->data(IsolationSourceRole).toString();
    const auto r = m_service->release(source, actor());
    if (!r) {
        showActionResult(false, EngineWording::error(r.error()));
        return;
    }
    setSnapshot(*r);
    showActionResult(true, tr("%1 released.").arg(source));
}

} // namespace Shivx::Ui

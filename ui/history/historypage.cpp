#include "history/historypage.h"

#include "core/engine.h"

#include "core/timeutil.h"
#include "history/dashboards.h"
#include "history/dashboardview.h"
#include "history/historyaxes.h"
#include "history/historychartview.h"
#include "history/historyranges.h"
#include "history/seriespicker.h"
#include "widgets/displayformat.h"
#include "widgets/selectabletext.h"
#include "widgets/statuscolors.h"
#include "widgets/tableactions.h"
#include "widgets/tableexport.h"

#include <QChart>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QDateTimeEdit>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSet>
#include <QSettings>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace Shivx::Ui {

namespace {

constexpr int kRefreshIntervalMs = 5000;
const QString kRangeKey = QStringLiteral("history/range");
const QString kSeriesKey = QStringLiteral("history/series");

QString resolutionText(Resolution r)
{
    switch (r) {
    case Resolution::Raw:
        return HistoryPage::tr("raw samples");
    case Resolution::Minute:
        return HistoryPage::tr("1-minute averages");
    case Resolution::Hour:
        return HistoryPage::tr("1-hour averages");
    case Resolution::Auto:
        break;
    }
    return {};
}

QString csvNumber(double v)
{
    // Shortest text that reads back as the same double, independent of the UI locale.
    return QString::number(v, 'g', QLocale::FloatingPointShortest);
}

} // namespace

HistoryPage::HistoryPage(const QString &databasePath, QWidget *parent)
    : QWidget(parent)
    , m_databasePath(databasePath)
{
    m_seriesPicker = new SeriesPicker(this);
    m_seriesPicker->setFixedWidth(290);

    // Range and actions.
    m_rangeCombo = new QComboBox(this);
    m_rangeCombo->setObjectName(QStringLiteral("rangeCombo"));
    // Worded in retranslateUi().
    for (Range r : { Range::Last15Minutes, Range::LastHour, Range::Last24Hours, Range::Last7Days,
             Range::Last30Days, Range::Custom })
        m_rangeCombo->addItem(QString(), int(r));
    m_rangeCombo->setCurrentIndex(1);
    // The operator's last choice of range and series (presets only: a custom range is a
    // one-off look). The series are ticked once the first answer lists them.
    QSettings settings;
    const int saved = m_rangeCombo->findData(settings.value(kRangeKey, -1).toInt());
    if (saved >= 0)
        m_rangeCombo->setCurrentIndex(saved);
    m_savedSeries = settings.value(kSeriesKey).toStringList();

    const QDateTime now = QDateTime::currentDateTime();
    m_fromLabel = new QLabel(this);
    m_fromEdit = new QDateTimeEdit(now.addSecs(-3600), this);
    m_toLabel = new QLabel(this);
    m_toEdit = new QDateTimeEdit(now, this);
    for (QDateTimeEdit *edit : { m_fromEdit, m_toEdit }) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    }
    m_fromEdit->setObjectName(QStringLiteral("fromEdit"));
    m_toEdit->setObjectName(QStringLiteral("toEdit"));

    m_resetZoomButton = new QPushButton(this);
    m_resetZoomButton->setObjectName(QStringLiteral("resetZoomButton"));
    m_resetZoomButton->setEnabled(false);
    m_exportButton = new QPushButton(this);
    m_exportButton->setObjectName(QStringLiteral("exportButton"));
    m_exportButton->setEnabled(false);

    auto *toolbar = new QHBoxLayout;
    m_rangeLabel = new QLabel(this);
    toolbar->addWidget(m_rangeLabel);
    toolbar->addWidget(m_rangeCombo);
    toolbar->addSpacing(8);
    toolbar->addWidget(m_fromLabel);
    toolbar->addWidget(m_fromEdit);
    toolbar->addWidget(m_toLabel);
    toolbar->addWidget(m_toEdit);
    toolbar->addStretch(1);
    toolbar->addWidget(m_resetZoomButton);
    toolbar->addWidget(m_exportButton);

    // Chart.
    m_chart = new QChart;
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_timeAxis = new QDateTimeAxis(m_chart);
    m_timeAxis->setTickCount(7);
    m_valueAxis = new QValueAxis(m_chart);
    m_valueAxis->setLabelFormat(QStringLiteral("%.4g"));
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_valueAxis, Qt::AlignLeft);
    m_chartView = new HistoryChartView(m_chart, this);
    m_chartView->setObjectName(QStringLiteral("historyChart"));
    m_chartView->setMinimumSize(400, 250);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("historyStatus"));
    SelectableText::apply(m_status);
    m_hintLabel = new QLabel(this);
    m_hintLabel->setForegroundRole(QPalette::PlaceholderText);
    // Wrapped rather than widening the window: the German hint alone is wider than the
    // status line beside it leaves at 1400 pixels.
    m_hintLabel->setWordWrap(true);
    m_hintLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_nearestButton = new QPushButton(this);
    m_nearestButton->setObjectName(QStringLiteral("nearestRangeButton"));
    m_nearestButton->hide();
    auto *footer = new QHBoxLayout;
    footer->addWidget(m_status);
    footer->addWidget(m_nearestButton);
    footer->addWidget(m_hintLabel, 1);

    m_addToDashboardButton = new QPushButton(this);
    m_addToDashboardButton->setObjectName(QStringLiteral("addToDashboardButton"));
    m_addToDashboardButton->setEnabled(false);
    toolbar->addWidget(m_addToDashboardButton);

    auto *right = new QVBoxLayout;
    right->addWidget(m_chartView, 1);
    right->addLayout(footer);
    auto *explore = new QWidget(this);
    auto *exploreLayout = new QHBoxLayout(explore);
    exploreLayout->setContentsMargins(0, 0, 0, 0);
    exploreLayout->addWidget(m_seriesPicker);
    exploreLayout->addLayout(right, 1);

    // Explore first, then one tab per saved dashboard.
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("historyTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(explore, QString());

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(toolbar);
    layout->addWidget(m_tabs, 1);

    m_refreshTimer = new QTimer(this);
    m_refreshTimer->setInterval(kRefreshIntervalMs);
    m_reloadDebounce = new QTimer(this);
    m_reloadDebounce->setSingleShot(true);
    m_reloadDebounce->setInterval(150);

    connect(m_rangeCombo, &QComboBox::currentIndexChanged, this, &HistoryPage::onRangeChanged);
    connect(m_rangeCombo, &QComboBox::currentIndexChanged, this, [this] {
        if (range() != Range::Custom)
            QSettings().setValue(kRangeKey, int(range()));
    });
    connect(m_seriesPicker, &SeriesPicker::checkedSeriesChanged, this, [this] {
        if (m_seriesRestored)
            QSettings().setValue(kSeriesKey, m_seriesPicker->checkedSeries());
    });
    connect(m_fromEdit, &QDateTimeEdit::dateTimeChanged, this, &HistoryPage::scheduleReload);
    connect(m_toEdit, &QDateTimeEdit::dateTimeChanged, this, &HistoryPage::scheduleReload);
    connect(
        m_seriesPicker, &SeriesPicker::checkedSeriesChanged, this, &HistoryPage::scheduleReload);
    connect(m_resetZoomButton, &QPushButton::clicked, this, &HistoryPage::resetZoom);
    connect(m_exportButton, &QPushButton::clicked, this, &HistoryPage::exportCsvInteractive);
    connect(m_nearestButton, &QPushButton::clicked, this, &HistoryPage::showNearestRange);
    connect(m_chartView, &HistoryChartView::userNavigated, this, [this] {
        m_zoomed = true;
        m_resetZoomButton->setEnabled(true);
    });
    connect(m_refreshTimer, &QTimer::timeout, this, [this] {
        // Only relative ranges move; a hidden page need not read the database.
        if (range() != Range::Custom && isVisible())
            reload();
    });
    connect(m_reloadDebounce, &QTimer::timeout, this, &HistoryPage::reload);
    // Labels follow what is visible, so zooming into a day ends up showing seconds.
    HistoryAxes::followSpan(m_timeAxis);
    connect(&m_watcher, &QFutureWatcher<HistoryAnswer>::finished, this, &HistoryPage::onAnswer);
    connect(m_addToDashboardButton, &QPushButton::clicked, this,
        &HistoryPage::addToDashboardInteractive);
    connect(
        m_seriesPicker, &SeriesPicker::checkedSeriesChanged, this, &HistoryPage::updateTabActions);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        updateTabActions();
        reload();
    });

    rebuildDashboardTabs();
    retranslateUi();
    onRangeChanged();
    m_refreshTimer->start();
}

void HistoryPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    } else if (event->type() == QEvent::PaletteChange && m_statusError) {
        // The error colour depends on the palette (Theme).
        QPalette pal = m_status->palette();
        pal.setColor(QPalette::WindowText, StatusColors::critical());
        m_status->setPalette(pal);
    }
    QWidget::changeEvent(event);
}

void HistoryPage::retranslateUi()
{
    static const std::pair<Range, const char *> ranges[] = {
        { Range::Last15Minutes, QT_TR_NOOP("Last 15 minutes") },
        { Range::LastHour, QT_TR_NOOP("Last hour") },
        { Range::Last24Hours, QT_TR_NOOP("Last 24 hours") },
        { Range::Last7Days, QT_TR_NOOP("Last 7 days") },
        { Range::Last30Days, QT_TR_NOOP("Last 30 days") },
        { Range::Custom, QT_TR_NOOP("Custom range") },
    };
    for (const auto &[r, text] : ranges) {
        const int index = m_rangeCombo->findData(int(r));
        if (index >= 0)
            m_rangeCombo->setItemText(index, tr(text));
    }
    m_rangeLabel->setText(tr("Range"));
    m_fromLabel->setText(tr("From"));
    m_toLabel->setText(tr("To"));
    m_resetZoomButton->setText(tr("&Reset zoom"));
    m_exportButton->setText(tr("&Export CSV…"));
    m_addToDashboardButton->setText(tr("&Add to dashboard…"));
    m_tabs->setTabText(0, tr("Explore"));
    m_hintLabel->setText(
        tr("Drag to zoom in · wheel to zoom time · right-drag or arrow keys to pan"));
    // An error or "Exported to" line stays until the next answer replaces it.
    if (m_answered)
        updateStatus();
}

HistoryPage::HistoryPage(Engine *engine, QWidget *parent)
    : HistoryPage(engine->databasePath(), parent)
{
}

HistoryPage::~HistoryPage()
{
    // The running query holds no pointer into this page; its answer is simply not delivered.
    m_watcher.disconnect(this);
}

void HistoryPage::setRange(Range r)
{
    const int index = m_rangeCombo->findData(int(r));
    if (index >= 0)
        m_rangeCombo->setCurrentIndex(index);
}

HistoryPage::Range HistoryPage::range() const
{
    return Range(m_rangeCombo->currentData().toInt());
}

void HistoryPage::setCustomRange(qint64 fromMs, qint64 toMs)
{
    m_fromEdit->setDateTime(QDateTime::fromMSecsSinceEpoch(fromMs));
    m_toEdit->setDateTime(QDateTime::fromMSecsSinceEpoch(toMs));
}

bool HistoryPage::setSeriesChecked(const QString &series, bool checked)
{
    return m_seriesPicker->setSeriesChecked(series, checked);
}

QStringList HistoryPage::checkedSeries() const
{
    return m_seriesPicker->checkedSeries();
}

QStringList HistoryPage::availableSeries() const
{
    return m_seriesPicker->availableSeries();
}

void HistoryPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    reload();
}

void HistoryPage::onRangeChanged()
{
    const bool custom = range() == Range::Custom;
    for (QWidget *w : { static_cast<QWidget *>(m_fromLabel), static_cast<QWidget *>(m_fromEdit),
             static_cast<QWidget *>(m_toLabel), static_cast<QWidget *>(m_toEdit) })
        w->setVisible(custom);
    if (custom && m_shownToMs > m_shownFromMs) {
        // Start the custom range from what is on screen, the natural thing to refine.
        const QSignalBlocker fromBlocker(m_fromEdit);
        const QSignalBlocker toBlocker(m_toEdit);
        m_fromEdit->setDateTime(QDateTime::fromMSecsSinceEpoch(m_shownFromMs));
        m_toEdit->setDateTime(QDateTime::fromMSecsSinceEpoch(m_shownToMs));
    }
    m_zoomed = false;
    m_resetZoomButton->setEnabled(false);
    reload();
}

void HistoryPage::scheduleReload()
{
    // Ticking several series or typing a date fires many signals; one load answers them all.
    m_reloadDebounce->start();
}

std::pair<qint64, qint64> HistoryPage::currentRange() const
{
    const Range r = range();
    if (r == Range::Custom)
        return { m_fromEdit->dateTime().toMSecsSinceEpoch(),
            m_toEdit->dateTime().toMSecsSinceEpoch() };
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    return { now - HistoryRanges::spanOf(r), now };
}

void HistoryPage::reload()
{
    m_reloadDebounce->stop();
    if (auto *dashboard = currentDashboard()) {
        // The Explore tab is not on screen: only the dashboard needs the database.
        const auto [from, to] = currentRange();
        if (from < to)
            dashboard->load(from, to);
        return;
    }
    ++m_generation;
    if (m_watcher.isRunning()) {
        // One query at a time: the answer in flight will be dropped (its generation is old)
        // and this load starts as soon as it is back.
        m_reloadPending = true;
        return;
    }
    m_reloadPending = false;

    const auto [from, to] = currentRange();
    if (from >= to) {
        m_status->setText(tr("The range must start before it ends."));
        return;
    }
    HistoryQuery query;
    query.databasePath = m_databasePath;
    query.series = m_seriesPicker->checkedSeries();
    query.fromMs = from;
    query.toMs = to;
    // About one point per pixel: more cannot be seen, fewer would look coarse.
    query.maxPoints = std::clamp(int(m_chart->plotArea().width()), 200, 4000);
    query.generation = m_generation;
    m_watcher.setFuture(QtConcurrent::run([query] { return query.run(); }));
}

void HistoryPage::onAnswer()
{
    const HistoryAnswer answer = m_watcher.result();
    if (m_reloadPending) {
        reload();
        return;
    }
    if (answer.generation != m_generation)
        return;

    if (answer.error) {
        m_status->setText(tr("Cannot read history: %1").arg(answer.error->message));
        QPalette pal = m_status->palette();
        pal.setColor(QPalette::WindowText, StatusColors::critical());
        m_status->setPalette(pal);
        m_statusError = true;
        return;
    }
    m_status->setPalette(QPalette());
    m_statusError = false;

    m_seriesPicker->updateSeries(answer.series);
    m_seriesInfo = answer.series;
    if (!m_seriesRestored) {
        m_seriesRestored = true;
        const QStringList available = m_seriesPicker->availableSeries();
        for (const QString &s : std::as_const(m_savedSeries))
            if (available.contains(s))
                m_seriesPicker->setSeriesChecked(s, true);
        if (!m_seriesPicker->checkedSeries().isEmpty()) {
            scheduleReload();
            return;
        }
    }
    m_shownFromMs = answer.fromMs;
    m_shownToMs = answer.toMs;
    applyResults(answer.results);
}

void HistoryPage::applyResults(const QList<HistoryQueryResult> &results)
{
    const QStringList checked = m_seriesPicker->checkedSeries();
    QSet<QString> shown;
    int points = 0;
    QList<Resolution> resolutions;
    for (const HistoryQueryResult &r : results) {
        if (!checked.contains(r.series))
            continue; // unticked while the query ran
        shown.insert(r.series);
        QList<QPointF> linePoints;
        linePoints.reserve(r.points.size());
        for (const HistoryPoint &p : r.points)
            linePoints.append(QPointF(double(p.tsMs), p.avg));
        m_chartView->setSeriesPoints(r.series, linePoints, HistoryAxes::stepMs(r.resolution));
        points += int(linePoints.size());
        if (!resolutions.contains(r.resolution))
            resolutions.append(r.resolution);
    }
    for (const QString &name : m_chartView->seriesNames()) {
        if (!shown.contains(name))
            m_chartView->removeSeries(name);
    }
    m_shown.clear();
    for (const HistoryQueryResult &r : results) {
        if (shown.contains(r.series))
            m_shown.append(r);
    }

    m_exportButton->setEnabled(points > 0);
    applyAxes();

    m_shownPoints = points;
    m_shownResolutions = resolutions;
    m_answeredAtMs = QDateTime::currentMSecsSinceEpoch();
    m_answered = true;
    updateStatus();
}

void HistoryPage::updateStatus()
{
    m_nearestButton->hide();
    if (m_seriesPicker->checkedSeries().isEmpty()) {
        m_chart->setTitle(tr("Tick one or more series on the left"));
        m_status->setText(tr("%n series available", nullptr, m_seriesPicker->seriesCount()));
        return;
    }
    m_chart->setTitle(QString());
    if (m_shownPoints == 0) {
        // On the chart too: the empty plot is where the operator looks.
        m_chart->setTitle(tr("No data in this range"));
        m_status->setText(tr("No data in this range"));
        offerNearestRange();
        return;
    }
    QStringList resolutionNames;
    for (Resolution r : { Resolution::Raw, Resolution::Minute, Resolution::Hour }) {
        if (m_shownResolutions.contains(r))
            resolutionNames << resolutionText(r);
    }
    m_status->setText(
        tr("%n series, %1 points (%2), updated %3", nullptr, int(m_shown.size()))
            .arg(QLocale().toString(m_shownPoints), resolutionNames.join(QStringLiteral(", ")),
                DisplayFormat::timeOfDay(m_answeredAtMs)));
}

void HistoryPage::offerNearestRange()
{
    const auto nearest = HistoryRanges::nearestWithData(m_seriesInfo,
        m_seriesPicker->checkedSeries(), range(), QDateTime::currentMSecsSinceEpoch());
    if (!nearest)
        return; // the ticked series have no data anywhere
    m_nearestRange = nearest->range;
    m_nearestCustom = { nearest->fromMs, nearest->toMs };
    m_nearestButton->setText(m_nearestRange == Range::Custom
            ? tr("&Show %1 – %2")
                  .arg(DisplayFormat::dateTime(nearest->fromMs),
                      DisplayFormat::dateTime(nearest->toMs))
            : tr("&Show %1")
                  .arg(m_rangeCombo->itemText(m_rangeCombo->findData(int(m_nearestRange)))));
    m_nearestButton->show();
}

void HistoryPage::showNearestRange()
{
    setRange(m_nearestRange);
    if (m_nearestRange == Range::Custom)
        setCustomRange(m_nearestCustom.first, m_nearestCustom.second);
}

QLineSeries *HistoryPage::lineSeries(const QString &series) const
{
    return m_chartView->segments(series).value(0);
}

void HistoryPage::applyAxes()
{
    // After a zoom or pan the operator's view wins over the refresh.
    if (m_zoomed)
        return;
    m_timeAxis->setRange(
        QDateTime::fromMSecsSinceEpoch(m_shownFromMs), QDateTime::fromMSecsSinceEpoch(m_shownToMs));
    HistoryAxes::fitValues(m_valueAxis, m_shown);
}

void HistoryPage::resetZoom()
{
    m_zoomed = false;
    m_resetZoomButton->setEnabled(false);
    applyAxes();
}

bool HistoryPage::exportCsv(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    QByteArray out = "ts,series,min,max,avg,count\n";
    for (const HistoryQueryResult &r : m_shown) {
        const QString series = TableExport::csvField(r.series);
        for (const HistoryPoint &p : r.points) {
            out += QStringList { TimeUtil::toRfc3339(p.tsMs), series, csvNumber(p.min),
                csvNumber(p.max), csvNumber(p.avg), QString::number(p.count) }
                       .join(QLatin1Char(','))
                       .toUtf8();
            out += '\n';
        }
    }
    if (file.write(out) != out.size() || !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

void HistoryPage::exportCsvInteractive()
{
    const QString path = TableActions::askCsvPath(this, QStringLiteral("history"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportCsv(path, &error))
        TableActions::warnNotWritten(this, path, error);
    else
        m_status->setText(tr("Exported to %1").arg(QDir::toNativeSeparators(path)));
}

DashboardView *HistoryPage::currentDashboard() const
{
    return qobject_cast<DashboardView *>(m_tabs->currentWidget());
}

DashboardView *HistoryPage::dashboardView(const QString &name) const
{
    for (int i = 1; i < m_tabs->count(); ++i) {
        auto *view = qobject_cast<DashboardView *>(m_tabs->widget(i));
        if (view && view->name() == name)
            return view;
    }
    return nullptr;
}

void HistoryPage::showDashboard(const QString &name)
{
    if (DashboardView *view = dashboardView(name))
        m_tabs->setCurrentWidget(view);
}

void HistoryPage::showExplore()
{
    m_tabs->setCurrentIndex(0);
}

bool HistoryPage::addToDashboard(const QString &dashboard, const QString &title)
{
    const QStringList series = m_seriesPicker->checkedSeries();
    const QString chartTitle
        = title.trimmed().isEmpty() ? series.join(QStringLiteral(", ")) : title.trimmed();
    if (!Dashboards::addChart(dashboard, DashboardChart { chartTitle, series }))
        return false;
    rebuildDashboardTabs();
    return true;
}

void HistoryPage::addToDashboardInteractive()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Add to dashboard"));
    auto *name = new QComboBox(&dialog);
    name->setObjectName(QStringLiteral("dashboardNameCombo"));
    name->setEditable(true);
    for (const Dashboard &d : Dashboards::load())
        name->addItem(d.name);
    if (name->count() == 0)
        name->setEditText(tr("Overview"));
    auto *title = new QLineEdit(&dialog);
    title->setObjectName(QStringLiteral("chartTitleEdit"));
    title->setPlaceholderText(m_seriesPicker->checkedSeries().join(QStringLiteral(", ")));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    auto *form = new QFormLayout(&dialog);
    form->addRow(tr("Dashboard"), name);
    form->addRow(tr("Chart title"), title);
    form->addRow(new QLabel(tr("The chart shows the %n ticked series over the page's range.",
                                nullptr, int(m_seriesPicker->checkedSeries().size())),
        &dialog));
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString dashboard = name->currentText().trimmed();
    if (!addToDashboard(dashboard, title->text())) {
        QMessageBox::warning(this, tr("Add to dashboard"),
            tr("A dashboard needs a name, and the chart at least one ticked series."));
        return;
    }
    showDashboard(dashboard);
}

void HistoryPage::rebuildDashboardTabs()
{
    const QString current = currentDashboard() ? currentDashboard()->name() : QString();
    while (m_tabs->count() > 1) {
        QWidget *w = m_tabs->widget(1);
        m_tabs->removeTab(1);
        w->deleteLater(); // it may be the sender of the signal that brought us here
    }
    for (const Dashboard &d : Dashboards::load()) {
        auto *view = new DashboardView(m_databasePath, d, m_tabs);
        view->setObjectName(QStringLiteral("dashboard:") + d.name);
        m_tabs->addTab(view, d.name);
        connect(view, &DashboardView::exploreRequested, this, [this](const QStringList &series) {
            // Ticked once Explore's answer lists them (they may not be listed yet), the way
            // the last session's series are.
            m_seriesRestored = false;
            m_savedSeries = series;
            for (const QString &s : m_seriesPicker->checkedSeries())
                m_seriesPicker->setSeriesChecked(s, false);
            showExplore();
        });
        connect(view, &DashboardView::dashboardsChanged, this, &HistoryPage::rebuildDashboardTabs,
            Qt::QueuedConnection);
    }
    if (!current.isEmpty())
        showDashboard(current);
    updateTabActions();
}

void HistoryPage::updateTabActions()
{
    const bool explore = m_tabs->currentIndex() == 0;
    m_resetZoomButton->setVisible(explore);
    m_exportButton->setVisible(explore);
    m_addToDashboardButton->setVisible(explore);
    m_addToDashboardButton->setEnabled(!m_seriesPicker->checkedSeries().isEmpty());
}

} // namespace Shivx::Ui

#include "history/dashboardview.h"

#include "history/historyaxes.h"
#include "history/historychartview.h"
#include "widgets/displayformat.h"

#include <QChart>
#include <QDateTimeAxis>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSet>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QtConcurrent/QtConcurrentRun>

namespace Shivx::Ui {

namespace {

HistoryChartView *makeChart(QWidget *parent)
{
    auto *chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(2, 2, 2, 2));
    auto *time = new QDateTimeAxis(chart);
    time->setTickCount(5);
    HistoryAxes::followSpan(time);
    auto *values = new QValueAxis(chart);
    values->setLabelFormat(QStringLiteral("%.4g"));
    chart->addAxis(time, Qt::AlignBottom);
    chart->addAxis(values, Qt::AlignLeft);
    auto *view = new HistoryChartView(chart, parent);
    view->setMinimumSize(320, 220);
    return view;
}

} // namespace

DashboardView::DashboardView(
    const QString &databasePath, const Dashboard &dashboard, QWidget *parent)
    : QWidget(parent)
    , m_databasePath(databasePath)
    , m_dashboard(dashboard)
{
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("dashboardStatus"));
    m_deleteButton = new QPushButton(this);
    m_deleteButton->setObjectName(QStringLiteral("deleteDashboardButton"));
    auto *header = new QHBoxLayout;
    header->addWidget(m_status, 1);
    header->addWidget(m_deleteButton);

    auto *grid = new QGridLayout;
    auto *gridHost = new QWidget(this);
    gridHost->setLayout(grid);
    for (int i = 0; i < m_dashboard.charts.size(); ++i) {
        const DashboardChart &c = m_dashboard.charts.at(i);
        auto *title = new QLabel(c.title, gridHost);
        QFont bold = title->font();
        bold.setBold(true);
        title->setFont(bold);
        auto *explore = new QPushButton(gridHost);
        auto *remove = new QPushButton(gridHost);
        explore->setObjectName(QStringLiteral("exploreChartButton%1").arg(i));
        remove->setObjectName(QStringLiteral("removeChartButton%1").arg(i));
        auto *row = new QHBoxLayout;
        row->addWidget(title, 1);
        row->addWidget(explore);
        row->addWidget(remove);
        HistoryChartView *view = makeChart(gridHost);
        view->setObjectName(QStringLiteral("dashboardChart%1").arg(i));
        auto *cell = new QVBoxLayout;
        cell->addLayout(row);
        cell->addWidget(view, 1);
        grid->addLayout(cell, i / 2, i % 2);
        m_views.append(view);
        m_exploreButtons.append(explore);
        m_removeButtons.append(remove);
        connect(explore, &QPushButton::clicked, this,
            [this, series = c.series] { Q_EMIT exploreRequested(series); });
        connect(remove, &QPushButton::clicked, this, [this, i] {
            Dashboards::removeChart(m_dashboard.name, i);
            Q_EMIT dashboardsChanged();
        });
    }
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(gridHost);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(scroll, 1);

    connect(m_deleteButton, &QPushButton::clicked, this, &DashboardView::deleteDashboard);
    connect(&m_watcher, &QFutureWatcher<HistoryAnswer>::finished, this, &DashboardView::onAnswer);
    retranslateUi();
}

DashboardView::~DashboardView()
{
    // The running query holds no pointer into this view; its answer is simply not delivered.
    m_watcher.disconnect(this);
}

void DashboardView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void DashboardView::retranslateUi()
{
    m_deleteButton->setText(tr("&Delete dashboard…"));
    for (QPushButton *b : std::as_const(m_exploreButtons))
        b->setText(tr("Explore"));
    for (QPushButton *b : std::as_const(m_removeButtons))
        b->setText(tr("Remove"));
    if (!m_answered)
        m_status->setText(
            m_dashboard.charts.isEmpty() ? tr("This dashboard has no charts.") : tr("Loading…"));
}

void DashboardView::load(qint64 fromMs, qint64 toMs)
{
    ++m_generation;
    if (m_watcher.isRunning()) {
        m_pending = { fromMs, toMs };
        return;
    }
    m_pending = { 0, 0 };
    HistoryQuery query;
    query.databasePath = m_databasePath;
    for (const DashboardChart &c : std::as_const(m_dashboard.charts))
        for (const QString &s : c.series)
            if (!query.series.contains(s))
                query.series.append(s);
    query.fromMs = fromMs;
    query.toMs = toMs;
    query.maxPoints = 600; // a grid cell is a few hundred pixels wide
    query.generation = m_generation;
    m_watcher.setFuture(QtConcurrent::run([query] { return query.run(); }));
}

void DashboardView::onAnswer()
{
    const HistoryAnswer answer = m_watcher.result();
    if (m_pending.second > m_pending.first) {
        load(m_pending.first, m_pending.second);
        return;
    }
    if (answer.generation != m_generation)
        return;
    m_answered = true;
    if (answer.error) {
        m_status->setText(tr("Cannot read history: %1").arg(answer.error->message));
        return;
    }
    m_shownPoints = 0;
    int missing = 0;
    for (int i = 0; i < m_views.size(); ++i) {
        const DashboardChart &c = m_dashboard.charts.at(i);
        HistoryChartView *view = m_views.at(i);
        QList<HistoryQueryResult> shown;
        for (const HistoryQueryResult &r : answer.results) {
            if (!c.series.contains(r.series))
                continue;
            QList<QPointF> line;
            line.reserve(r.points.size());
            for (const HistoryPoint &p : r.points)
                line.append(QPointF(double(p.tsMs), p.avg));
            view->setSeriesPoints(r.series, line, HistoryAxes::stepMs(r.resolution));
            m_shownPoints += int(line.size());
            shown.append(r);
        }
        QSet<QString> present;
        for (const SeriesInfo &s : answer.series)
            present.insert(s.name);
        for (const QString &s : c.series)
            missing += present.contains(s) ? 0 : 1;
        const auto axes = view->chart()->axes();
        for (QAbstractAxis *axis : axes) {
            if (auto *time = qobject_cast<QDateTimeAxis *>(axis))
                time->setRange(QDateTime::fromMSecsSinceEpoch(answer.fromMs),
                    QDateTime::fromMSecsSinceEpoch(answer.toMs));
            else if (auto *values = qobject_cast<QValueAxis *>(axis))
                HistoryAxes::fitValues(values, shown);
        }
    }
    QString text = tr("%n chart(s), %1 points, updated %2", nullptr, int(m_views.size()))
                       .arg(QLocale().toString(m_shownPoints),
                           DisplayFormat::timeOfDay(QDateTime::currentMSecsSinceEpoch()));
    if (missing > 0)
        text += QStringLiteral(" · ")
            + tr("%n series not in this engine's history", nullptr, missing);
    m_status->setText(text);
}

void DashboardView::deleteDashboard()
{
    const auto answer = QMessageBox::question(this, tr("Delete dashboard"),
        tr("Delete the dashboard \"%1\" and its %n chart(s)? The history itself is kept.", nullptr,
            int(m_dashboard.charts.size()))
            .arg(m_dashboard.name));
    if (answer != QMessageBox::Yes)
        return;
    Dashboards::remove(m_dashboard.name);
    Q_EMIT dashboardsChanged();
}

} // namespace Shivx::Ui

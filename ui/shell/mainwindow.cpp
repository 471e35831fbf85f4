#include "shell/mainwindow.h"

#include "health/healthservice.h"
#include "shell/consolepages.h"
#include "shell/mainmenus.h"
#include "shell/pagekeys.h"
#include "widgets/displayformat.h"
#include "widgets/enginewording.h"
#include "widgets/statuscolors.h"

#include <QAbstractItemView>
#include <QAction>
#include <QCloseEvent>
#include <QDir>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>

namespace Shivx::Ui {

namespace {

QLabel *makeStatusLabel(QWidget *parent, const char *objectName)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QLatin1String(objectName));
    label->setContentsMargins(8, 0, 8, 0);
    return label;
}

void setLabelColor(QLabel *label, const QColor &color)
{
    QPalette pal = label->palette();
    pal.setColor(QPalette::WindowText, color);
    label->setPalette(pal);
}

} // namespace

MainWindow::MainWindow(Engine *engine, QWidget *parent)
    : QMainWindow(parent)
    , m_engine(engine)
{
    m_health = engine->service<HealthService>();
    for (const ConsolePage &p : consolePages()) {
        QWidget *page = p.create(engine, this);
        page->setObjectName(QLatin1String(p.id) + QStringLiteral("Page"));
        // Tab moves between a page's controls and the arrow keys within a table. Qt's default
        // (Tab from cell to cell) holds the keyboard in a page's first table; the console's
        // tables are read-only, so no cell editor needs Tab.
        for (QAbstractItemView *view : page->findChildren<QAbstractItemView *>())
            view->setTabKeyNavigation(false);
        m_pages.append(page);
    }

    m_navigation = new QListWidget(this);
    m_navigation->setObjectName(QStringLiteral("navigation"));
    // One item per page, worded in retranslateUi().
    for (int i = 0; i < m_pages.size(); ++i)
        m_navigation->addItem(QString());
    m_navigation->setFixedWidth(170);
    m_navigation->setFrameShape(QFrame::NoFrame);
    m_navigation->setSpacing(2);
    QFont navFont = m_navigation->font();
    navFont.setPointSizeF(navFont.pointSizeF() * 1.15);
    m_navigation->setFont(navFont);
    styleNavigation();

    m_stack = new QStackedWidget(this);
    for (QWidget *page : std::as_const(m_pages))
        m_stack->addWidget(page);

    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_navigation);
    layout->addWidget(m_stack, 1);
    setCentralWidget(central);

    connect(
        m_navigation, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);

    m_engineStateLabel = makeStatusLabel(this, "engineStateLabel");
    m_apiLabel = makeStatusLabel(this, "apiLabel");
    m_apiLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_healthLabel = makeStatusLabel(this, "healthLabel");
    m_readinessLabel = makeStatusLabel(this, "readinessLabel");
    m_sampleLabel = makeStatusLabel(this, "sampleLabel");
    statusBar()->addWidget(m_engineStateLabel);
    statusBar()->addWidget(m_apiLabel);
    statusBar()->addPermanentWidget(m_healthLabel);
    statusBar()->addPermanentWidget(m_readinessLabel);
    statusBar()->addPermanentWidget(m_sampleLabel);

    m_menus = new MainMenus(engine, this);
    connect(m_menus->resetLayoutAction(), &QAction::triggered, this, &MainWindow::resetLayout);
    new PageKeys(this);

    connect(engine, &Engine::stateChanged, this, &MainWindow::onStateChanged);
    connect(engine, &Engine::readinessChanged, this, &MainWindow::onReadinessChanged);
    connect(m_health, &HealthService::hostSampled, this, &MainWindow::onHostSampled);
    connect(m_health, &HealthService::healthChanged, this, &MainWindow::onHealthChanged);

    // The engine may have published before the window existed; retranslateUi() words the
    // status bar from its snapshots.
    retranslateUi();

    resize(1280, 800);
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray());
    // The last page by id, so that a page added in between does not shift it.
    if (!showPage(settings.value(QStringLiteral("mainWindow/page")).toString()))
        showPage(0);
}

MainWindow::~MainWindow() = default;

void MainWindow::showPage(int index)
{
    m_navigation->setCurrentRow(index);
}

bool MainWindow::showPage(const QString &id)
{
    const int index = pageIndex(id);
    if (index >= 0)
        showPage(index);
    return index >= 0;
}

int MainWindow::pageIndex(const QString &id) const
{
    const QList<ConsolePage> &pages = consolePages();
    for (int i = 0; i < pages.size(); ++i)
        if (id == QLatin1String(pages.at(i).id))
            return i;
    return -1;
}

int MainWindow::currentPage() const
{
    return m_stack->currentIndex();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(
        QStringLiteral("mainWindow/page"), QLatin1String(consolePages().value(currentPage()).id));
    m_layout.save();
    QMainWindow::closeEvent(event);
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (m_layoutNoted)
        return;
    m_layoutNoted = true;
    // After the first layout pass, so that the defaults LayoutMemory notes (for Reset layout)
    // are the sizes the pages really get, not the unsized ones of construction.
    QTimer::singleShot(0, this, [this] {
        QList<QPair<QString, QWidget *>> pages;
        for (int i = 0; i < m_pages.size(); ++i)
            pages.append({ QLatin1String(consolePages().at(i).id), m_pages.at(i) });
        m_layout.restore(pages);
    });
}

void MainWindow::resetLayout()
{
    m_layout.reset();
    QSettings().remove(QStringLiteral("mainWindow/geometry"));
    if (!isMaximized() && !isFullScreen())
        resize(1280, 800);
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    else if (event->type() == QEvent::PaletteChange) {
        showEngineSnapshots();
        styleNavigation();
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::styleNavigation()
{
    // A sidebar, not a list of data: the window colour and roomy rows make that readable.
    // Style sheets read palette() when they are set, so a theme change sets it again (first
    // empty: the same text again would be taken for no change).
    m_navigation->setStyleSheet(QString());
    m_navigation->setStyleSheet(QStringLiteral(
        "QListWidget { background: palette(window); border-right: 1px solid palette(mid); }"
        "QListWidget::item { padding: 10px 14px; }"));
}

void MainWindow::retranslateUi()
{
    setWindowTitle(tr("ShivX Resilience Console — %1").arg(MainMenus::configurationName(m_engine)));
    m_menus->retranslateUi();
    for (int i = 0; i < m_pages.size(); ++i) {
        QListWidgetItem *item = m_navigation->item(i);
        item->setText(
            QCoreApplication::translate("Shivx::Ui::ConsolePages", consolePages().at(i).title));
        // The sidebar is where the page keys can be learnt.
        const QKeySequence keys = PageKeys::pageShortcut(i);
        item->setToolTip(keys.isEmpty() ? QString() : keys.toString(QKeySequence::NativeText));
    }

    // The status bar is worded from data; the snapshots give the same data again (the
    // pages word their own part on their LanguageChange).
    showEngineSnapshots();
}

void MainWindow::showEngineSnapshots()
{
    onStateChanged(m_engine->state());
    const HostSample sample = m_health->lastHostSample();
    if (sample.timestampMs > 0)
        onHostSampled(sample);
    else
        m_sampleLabel->setText(tr("Waiting for the first sample"));
    const HealthReport report = m_health->health();
    if (report.timestampMs > 0)
        onHealthChanged(report);
    else
        m_healthLabel->setText(tr("Health: %1").arg(DisplayFormat::noValue()));
    onReadinessChanged(m_engine->readiness());
}

void MainWindow::onStateChanged(EngineState state)
{
    m_engineStateLabel->setText(tr("Engine: %1").arg(DisplayFormat::engineState(state)));
    setLabelColor(m_engineStateLabel, StatusColors::forEngineState(state));
    updateApiLabel();
}

void MainWindow::updateApiLabel()
{
    const QUrl url = m_engine->apiUrl();
    m_apiLabel->setText(
        url.isEmpty() ? tr("API off") : tr("API %1").arg(url.toString(QUrl::RemoveUserInfo)));
    m_apiLabel->setToolTip(tr("Data directory: %1").arg(m_engine->dataDir()));
}

void MainWindow::onHostSampled(const HostSample &sample)
{
    m_sampleLabel->setText(tr("Last sample %1").arg(DisplayFormat::timeOfDay(sample.timestampMs)));
}

void MainWindow::onHealthChanged(const HealthReport &report)
{
    m_healthLabel->setText(tr("Health: %1 (%2)")
                               .arg(DisplayFormat::healthState(report.state),
                                   QLocale().toString(report.score, 'f', 0)));
    setLabelColor(m_healthLabel, StatusColors::forHealthState(report.state));
}

void MainWindow::onReadinessChanged(const Readiness &readiness)
{
    m_readinessLabel->setText(readiness.ready ? tr("Ready") : tr("Not ready"));
    setLabelColor(m_readinessLabel, readiness.ready ? StatusColors::ok() : StatusColors::warning());
    QStringList lines;
    for (const ReadinessCheck &check : readiness.checks) {
        lines << tr("%1: %2%3")
                     .arg(check.name, check.ok ? tr("ok") : tr("failing"),
                         check.detail.isEmpty()
                             ? QString()
                             : QStringLiteral(" — ") + EngineWording::message(check.detail));
    }
    m_readinessLabel->setToolTip(lines.join(QLatin1Char('\n')));
}

} // namespace Shivx::Ui

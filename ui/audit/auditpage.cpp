#include "audit/auditpage.h"
#include "audit/verify/auditverifier.h"
#include "core/engine.h"

#include "audit/auditentriesmodel.h"
#include "audit/auditstreamlist.h"
#include "audit/verifybanner.h"
#include "audit/verifypanel.h"
#include "core/timeutil.h"
#include "widgets/displayformat.h"
#include "widgets/selectabletext.h"
#include "widgets/statuscolors.h"
#include "widgets/tableactions.h"

#include <QDateTime>
#include <QDir>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace Shivx::Ui {

namespace {

} // namespace

AuditPage::AuditPage(const QString &auditDir, QWidget *parent)
    : QWidget(parent)
    , m_auditDir(auditDir)
{
    // Left: streams and verification.
    m_streamsTitle = new QLabel(this);
    QFont titleFont = m_streamsTitle->font();
    titleFont.setBold(true);
    m_streamsTitle->setFont(titleFont);
    m_reloadButton = new QPushButton(this);
    m_reloadButton->setObjectName(QStringLiteral("reloadButton"));
    m_streamList = new AuditStreamList(this);
    m_streamList->setObjectName(QStringLiteral("streamList"));

    m_streamInfo = new QLabel(this);
    m_streamInfo->setObjectName(QStringLiteral("streamInfo"));
    m_streamInfo->setWordWrap(true);
    SelectableText::apply(m_streamInfo);
    m_streamInfo->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_verifyPanel = new VerifyPanel(this);

    auto *streamsHeader = new QHBoxLayout;
    streamsHeader->addWidget(m_streamsTitle, 1);
    streamsHeader->addWidget(m_reloadButton);
    auto *left = new QVBoxLayout;
    left->addLayout(streamsHeader);
    left->addWidget(m_streamList, 1);
    left->addWidget(m_streamInfo);
    left->addWidget(m_verifyPanel);
    auto *leftPanel = new QWidget(this);
    leftPanel->setLayout(left);
    leftPanel->setFixedWidth(330);
    left->setContentsMargins(0, 0, 0, 0);

    // Right: filter bar, entries, detail.
    m_filterBar = new AuditFilterBar(this);
    m_filterBar->setObjectName(QStringLiteral("auditFilterBar"));

    m_model = new AuditEntriesModel(this);
    // Entry ages ("3 min ago") move on while the page shows them; only visible cells repaint.
    auto *ageTimer = new QTimer(this);
    connect(ageTimer, &QTimer::timeout, m_model, &AuditEntriesModel::refreshAges);
    ageTimer->start(1000);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("auditEntries"));
    m_table->setModel(m_model);
    TableActions::install(m_table);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    // A million rows scroll smoothly only if the view never measures them: fixed heights,
    // fixed column widths, no row header.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    const int digit = m_table->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    m_table->setColumnWidth(AuditEntriesModel::SeqColumn, digit * 10);
    // An age ("11 min ago") or, beyond a day, "yyyy-MM-dd HH:mm".
    m_table->setColumnWidth(AuditEntriesModel::TimeColumn, digit * 18);
    m_table->setColumnWidth(AuditEntriesModel::ActorColumn, digit * 16);
    m_table->setColumnWidth(AuditEntriesModel::ActionColumn, digit * 26);

    m_detail = new QPlainTextEdit(this);
    m_detail->setObjectName(QStringLiteral("entryDetail"));
    m_detail->setReadOnly(true);
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("auditStatus"));
    SelectableText::apply(m_status);

    auto *right = new QVBoxLayout;
    right->addWidget(m_filterBar);
    right->addWidget(splitter, 1);
    right->addWidget(m_status);

    m_banner = new VerifyBanner(this);
    auto *columns = new QHBoxLayout;
    columns->addWidget(leftPanel);
    columns->addLayout(right, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(columns, 1);

    connect(m_filterBar, &AuditFilterBar::filterChanged, this, &AuditPage::applyFilter);
    connect(m_reloadButton, &QPushButton::clicked, this, &AuditPage::reload);
    connect(
        m_streamList, &AuditStreamList::currentStreamChanged, this, [this](const QString &name) {
            if (name != m_current)
                openStream(name);
        });
    connect(m_model, &AuditEntriesModel::searchProgressed, this, &AuditPage::updateStatus);
    connect(m_model, &AuditEntriesModel::searchFinished, this, &AuditPage::updateStatus);
    connect(m_model, &QAbstractItemModel::modelReset, this, &AuditPage::updateStatus);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &AuditPage::updateDetail);
    connect(&m_openWatcher, &QFutureWatcher<OpenAnswer>::finished, this, &AuditPage::onOpened);
    connect(m_verifyPanel, &VerifyPanel::finished, this, &AuditPage::onVerified);
    connect(m_banner, &VerifyBanner::showFindingRequested, this, &AuditPage::showFinding);

    retranslateUi();
    reload();
}

AuditPage::AuditPage(Engine *engine, QWidget *parent)
    : AuditPage(QDir(engine->dataDir()).filePath(QStringLiteral("audit")), parent)
{
    const QString dataDir = engine->dataDir();
    setVerifyRunner([dataDir](VerifyProgress progress, std::atomic_bool *cancel) {
        AuditVerifyOptions options;
        options.dataDir = dataDir;
        AuditVerifier verifier(options);
        verifier.setProgressCallback(std::move(progress));
        verifier.setCancelFlag(cancel);
        return verifier.run();
    });
}

AuditPage::~AuditPage()
{
    // The indexing worker only holds copies; waiting just keeps it from outliving the page
    // that asked for it (its answer would be dropped anyway).
    m_openWatcher.disconnect(this);
    m_openWatcher.waitForFinished();
}

void AuditPage::setVerifyRunner(VerifyRunner runner)
{
    m_verifyPanel->setRunner(std::move(runner));
}

void AuditPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void AuditPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // Entry counts and checkpoints move while the engine runs; the list is cheap to read.
    fillStreamList();
}

void AuditPage::retranslateUi()
{
    m_streamsTitle->setText(tr("Audit streams"));
    m_reloadButton->setText(tr("&Reload"));
    m_reloadButton->setToolTip(tr("Read the streams again, including entries appended since"));
    Q_EMIT m_model->headerDataChanged(Qt::Horizontal, 0, AuditEntriesModel::ColumnCount - 1);
    fillStreamList();
    updateStatus();
    updateDetail();
    updateStreamInfo();
}

void AuditPage::reload()
{
    fillStreamList();
    if (!m_current.isEmpty() && streams().contains(m_current))
        openStream(m_current);
    else if (!m_streamStatus.isEmpty())
        selectStream(newestStream());
}

QString AuditPage::newestStream() const
{
    // What happened last is what an operator opening the page looks for first; a stream
    // without a readable head counts as oldest.
    const AuditStreamStatus *newest = &m_streamStatus.constFirst();
    for (const AuditStreamStatus &s : m_streamStatus)
        if (s.headTsMs > newest->headTsMs)
            newest = &s;
    return newest->name;
}

QStringList AuditPage::streams() const
{
    QStringList names;
    for (const AuditStreamStatus &s : m_streamStatus)
        names << s.name;
    return names;
}

void AuditPage::fillStreamList()
{
    m_streamStatus = AuditReader::listStreams(m_auditDir);
    m_streamList->setStreams(m_streamStatus, m_current);
    if (m_streamStatus.isEmpty())
        m_status->setText(
            tr("No audit streams in %1 yet.").arg(QDir::toNativeSeparators(m_auditDir)));
}

bool AuditPage::selectStream(const QString &name)
{
    if (!m_streamList->select(name))
        return false;
    if (m_current != name) // already selected in the list, but another stream is shown
        openStream(name);
    return true;
}

QString AuditPage::currentStream() const
{
    return m_current;
}

bool AuditPage::isLoading() const
{
    return m_loading;
}

void AuditPage::openStream(const QString &name)
{
    // Reloading the stream on screen keeps the operator's place.
    m_reselectRow = name == m_current ? m_model->streamRow(m_table->currentIndex().row()) : -1;
    m_current = name;
    m_loading = true;
    const quint64 generation = ++m_openGeneration;
    const QString dir = QDir(m_auditDir).filePath(name);
    m_status->setText(tr("Reading %1…").arg(name));
    // A stream chosen while another is still being indexed replaces it: the watcher follows
    // the newest future, and onOpened() checks the generation in any case.
    m_openWatcher.setFuture(QtConcurrent::run([generation, name, dir] {
        return OpenAnswer { generation, name, AuditReader::open(dir) };
    }));
}

void AuditPage::onOpened()
{
    const OpenAnswer answer = m_openWatcher.result();
    if (answer.generation != m_openGeneration)
        return;
    m_loading = false;
    if (!answer.reader) {
        m_pendingFinding = -1;
        m_model->setReader(AuditReader());
        m_status->setText(
            tr("Cannot read %1: %2").arg(answer.stream, answer.reader.error().message));
        return;
    }
    m_model->setReader(answer.reader.value());
    if (m_reselectRow >= 0)
        selectStreamRow(m_reselectRow);
    markFindings();
    updateStatus();
    updateStreamInfo();
    Q_EMIT streamLoaded(answer.stream);
    if (m_pendingFinding >= 0) {
        const int index = m_pendingFinding;
        m_pendingFinding = -1;
        showFinding(index);
    }
}

void AuditPage::updateStreamInfo()
{
    const auto it = std::find_if(m_streamStatus.cbegin(), m_streamStatus.cend(),
        [this](const AuditStreamStatus &s) { return s.name == m_current; });
    if (it == m_streamStatus.cend() || m_loading) {
        m_streamInfo->clear();
        return;
    }
    const QList<AuditSegmentInfo> segments = m_model->reader().segments();
    const auto compressed = std::count_if(
        segments.cbegin(), segments.cend(), [](const AuditSegmentInfo &s) { return s.compressed; });
    QStringList lines;
    lines << tr("Folder: %1").arg(QDir::toNativeSeparators(it->directory));
    lines << tr("Segments: %1 (%2 compressed)").arg(segments.size()).arg(compressed);
    if (it->hasHead) {
        lines
            << tr("Head: seq %1 at %2").arg(it->headSeq).arg(DisplayFormat::dateTime(it->headTsMs));
        lines << tr("Head hash: %1…").arg(QString::fromLatin1(it->headHash.left(24)));
    } else {
        lines << tr("Head: %1").arg(it->headError.isEmpty() ? tr("none") : it->headError);
    }
    lines << (it->lastCheckpoint ? tr("Checkpoints: %1 signed, the last at seq %2")
                                       .arg(it->checkpointCount)
                                       .arg(it->lastCheckpoint->seq)
                                 : tr("Checkpoints: none yet"));
    m_streamInfo->setText(lines.join(QLatin1Char('\n')));
}

void AuditPage::setFilter(const QString &action, const QString &actor, const QString &text,
    AuditFilterBar::TimeRange range)
{
    m_filterBar->set(action, actor, text, range);
}

void AuditPage::setCustomTimeRange(qint64 fromMs, qint64 toMs)
{
    m_filterBar->setCustomRange(fromMs, toMs);
}

void AuditPage::applyFilter(const AuditFilter &filter)
{
    const qint64 selected = m_model->streamRow(m_table->currentIndex().row());
    m_model->setFilter(filter);
    // Back to all entries: stay on the entry the operator was looking at.
    if (selected >= 0 && !m_model->isFiltered())
        selectStreamRow(selected);
    updateStatus();
}

void AuditPage::updateStatus()
{
    if (m_loading || m_current.isEmpty())
        return;
    const QLocale locale;
    const qint64 total = m_model->reader().rowCount();
    QString text;
    if (!m_model->isFiltered()) {
        text = tr("%1: %2 entries").arg(m_current, locale.toString(total));
    } else if (m_model->isSearching()) {
        const int percent = total > 0 ? int(m_model->searchScanned() * 100 / total) : 100;
        text = tr("Searching %1… %2 matches so far (%3% read)")
                   .arg(m_current, locale.toString(m_model->rowCount()))
                   .arg(percent);
    } else {
        text = tr("%1: %2 of %3 entries match")
                   .arg(m_current, locale.toString(m_model->rowCount()), locale.toString(total));
    }
    QStringList unreadable;
    for (const AuditSegmentInfo &seg : m_model->reader().segments()) {
        if (!seg.error.isEmpty())
            unreadable << seg.error;
    }
    if (!unreadable.isEmpty())
        text += QStringLiteral(" — ")
            + tr("unreadable: %1").arg(unreadable.join(QStringLiteral("; ")));
    m_status->setText(text);
}

void AuditPage::updateDetail()
{
    const int row = m_table->currentIndex().row();
    if (row < 0) {
        m_detail->setPlainText(
            m_model->rowCount() > 0 ? tr("Select an entry to see all of it.") : QString());
        return;
    }
    const AuditRecord r = m_model->record(row);
    QString text
        = tr("%1 · %2 line %3 · row %4").arg(m_current, r.segment).arg(r.line).arg(r.row + 1)
        + QLatin1Char('\n');
    if (r.valid) {
        text += tr("Time: %1 UTC").arg(TimeUtil::toRfc3339(r.entry.tsMs)) + QLatin1Char('\n');
        text += QString::fromUtf8(QJsonDocument::fromJson(r.raw).toJson(QJsonDocument::Indented));
    } else {
        text += tr("Unreadable line: %1").arg(r.error) + QStringLiteral("\n\n");
        text += QString::fromUtf8(r.raw.left(4096));
    }
    m_detail->setPlainText(text);
}

void AuditPage::selectStreamRow(qint64 streamRow)
{
    const int row = m_model->modelRow(streamRow);
    if (row < 0)
        return;
    const QModelIndex index = m_model->index(row, 0);
    m_table->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index, QAbstractItemView::PositionAtCenter);
}

// --- Verification ---

void AuditPage::startVerify()
{
    m_verifyPanel->start();
}

void AuditPage::cancelVerify()
{
    m_verifyPanel->cancel();
}

bool AuditPage::isVerifying() const
{
    return m_verifyPanel->isRunning();
}

bool AuditPage::hasReport() const
{
    return m_verifyPanel->hasReport();
}

VerifyReport AuditPage::lastReport() const
{
    return m_verifyPanel->report();
}

QPushButton *AuditPage::verifyButton() const
{
    return m_verifyPanel->verifyButton();
}

QProgressBar *AuditPage::verifyProgress() const
{
    return m_verifyPanel->progressBar();
}

Result<void> AuditPage::exportReport(const QString &path) const
{
    return m_verifyPanel->exportReport(path);
}

void AuditPage::onVerified(bool cancelled)
{
    if (cancelled) {
        m_banner->setCancelled();
    } else {
        m_banner->setReport(m_verifyPanel->report());
        markFindings();
    }
    Q_EMIT verifyFinished();
}

qint64 AuditPage::rowForFinding(const VerifyFinding &f) const
{
    const AuditReader &reader = m_model->reader();
    qint64 row = -1;
    if (!f.segment.isEmpty() && f.line > 0)
        row = reader.rowOf(f.segment, f.line);
    if (row < 0 && f.seq > 0)
        row = reader.rowOfSeq(f.seq);
    // A truncated chain has no bad row: its last entry is where the missing part begins.
    if (row < 0 && f.problem == VerifyProblem::MissingTail && reader.rowCount() > 0)
        row = reader.rowCount() - 1;
    return row;
}

void AuditPage::markFindings()
{
    QList<qint64> rows;
    if (hasReport()) {
        const VerifyReport report = lastReport();
        for (const VerifyFinding &f : report.findings) {
            if (f.stream != m_current || f.problem == VerifyProblem::MissingTail)
                continue;
            const qint64 row = rowForFinding(f);
            if (row >= 0)
                rows << row;
        }
    }
    m_model->setMarkedRows(rows);
}

void AuditPage::showFinding(int index)
{
    const VerifyReport report = lastReport();
    if (!hasReport() || index < 0 || index >= report.findings.size())
        return;
    const VerifyFinding &f = report.findings.at(index);
    if (f.stream != m_current || m_loading) {
        m_pendingFinding = index; // continued in onOpened()
        if (!selectStream(f.stream))
            m_pendingFinding = -1;
        return;
    }
    if (m_model->isFiltered())
        setFilter({}, {}, {});
    selectStreamRow(rowForFinding(f));
    m_table->setFocus();
    Q_EMIT findingShown(index);
}

} // namespace Shivx::Ui

#include "backup/restorewizard.h"

#include "backup/backupcall.h"
#include "backup/backupwording.h"
#include "core/operatoridentity.h"
#include "widgets/displayformat.h"
#include "widgets/enginewording.h"
#include "widgets/statuscolors.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>

namespace Shivx::Ui {

// A wizard page whose Next/Finish follows a predicate of the wizard's.
class RestoreWizardPage : public QWizardPage
{
public:
    std::function<bool()> complete;
    bool isComplete() const override { return complete && complete(); }
    void changed() { Q_EMIT completeChanged(); }
};

RestoreWizard::RestoreWizard(
    BackupService *service, QThreadPool *pool, const QString &set, QWidget *parent)
    : QWizard(parent)
    , m_service(service)
    , m_pool(pool)
{
    setObjectName(QStringLiteral("restoreWizard"));
    setWindowTitle(tr("Restore"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setButtonText(QWizard::FinishButton, tr("&Restore"));
    buildSourcePage();
    buildScopePage();
    buildDryRunPage();
    setPage(SourcePage, m_source);
    setPage(ScopePage, m_scope);
    setPage(DryRunPage, m_dry);
    const int at = m_set->findData(set);
    if (at >= 0)
        m_set->setCurrentIndex(at);
    connect(m_service, &BackupService::operationChanged, this, &RestoreWizard::onOperation);
    loadSnapshots();
    resize(760, 520);
}

void RestoreWizard::buildSourcePage()
{
    m_source = new RestoreWizardPage;
    m_source->setTitle(tr("Which backup"));
    m_source->setSubTitle(tr("Choose the set and the point in time to restore."));
    m_set = new QComboBox(m_source);
    m_set->setObjectName(QStringLiteral("restoreSet"));
    for (const BackupSetSpec &s : m_service->config().sets)
        m_set->addItem(s.name, s.name);
    m_atRadio = new QRadioButton(tr("The newest snapshot taken no later than:"), m_source);
    m_atRadio->setObjectName(QStringLiteral("pointInTimeRadio"));
    m_atRadio->setChecked(true);
    m_at = new QDateTimeEdit(QDateTime::currentDateTime(), m_source);
    m_at->setObjectName(QStringLiteral("pointInTime"));
    m_at->setCalendarPopup(true);
    m_at->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    m_snapshotRadio = new QRadioButton(tr("This snapshot:"), m_source);
    m_snapshotRadio->setObjectName(QStringLiteral("snapshotRadio"));
    m_snapshots = new QTableWidget(0, 5, m_source);
    m_snapshots->setObjectName(QStringLiteral("snapshotList"));
    m_snapshots->setHorizontalHeaderLabels(
        { tr("Taken"), tr("Type"), tr("Files"), tr("Size"), tr("Snapshot") });
    m_snapshots->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_snapshots->setSelectionMode(QAbstractItemView::SingleSelection);
    m_snapshots->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_snapshots->verticalHeader()->hide();
    m_snapshots->horizontalHeader()->setStretchLastSection(true);
    m_snapshotsNote = new QLabel(m_source);
    m_snapshotsNote->setObjectName(QStringLiteral("snapshotsNote"));
    auto *form = new QFormLayout;
    form->addRow(tr("Set:"), m_set);
    auto *layout = new QVBoxLayout(m_source);
    layout->addLayout(form);
    layout->addWidget(m_atRadio);
    layout->addWidget(m_at);
    layout->addWidget(m_snapshotRadio);
    layout->addWidget(m_snapshots, 1);
    layout->addWidget(m_snapshotsNote);
    m_source->complete = [this] {
        return m_set->count() > 0
            && (m_atRadio->isChecked() || !m_snapshots->selectedItems().isEmpty());
    };
    connect(m_set, &QComboBox::currentIndexChanged, this, &RestoreWizard::loadSnapshots);
    connect(m_atRadio, &QRadioButton::toggled, m_source, &RestoreWizardPage::changed);
    connect(m_snapshots, &QTableWidget::itemSelectionChanged, this, [this] {
        if (!m_snapshots->selectedItems().isEmpty())
            m_snapshotRadio->setChecked(true);
        m_source->changed();
    });
}

void RestoreWizard::buildScopePage()
{
    m_scope = new RestoreWizardPage;
    m_scope->setTitle(tr("What and where"));
    m_scope->setSubTitle(tr("Restore everything or a part, to where it was or elsewhere."));
    auto *whole = new QRadioButton(tr("Everything in the snapshot"), m_scope);
    whole->setObjectName(QStringLiteral("wholeRadio"));
    whole->setChecked(true);
    auto *subtree = new QRadioButton(tr("One directory with everything below it"), m_scope);
    subtree->setObjectName(QStringLiteral("subtreeRadio"));
    auto *file = new QRadioButton(tr("One file"), m_scope);
    file->setObjectName(QStringLiteral("fileRadio"));
    m_what = new QButtonGroup(m_scope);
    m_what->addButton(whole, 0);
    m_what->addButton(subtree, 1);
    m_what->addButton(file, 2);
    m_path = new QLineEdit(m_scope);
    m_path->setObjectName(QStringLiteral("restorePath"));
    m_path->setPlaceholderText(tr("absolute path as it was backed up, e.g. /etc/app"));
    m_originalRadio
        = new QRadioButton(tr("To the original place (overwrites what is there)"), m_scope);
    m_originalRadio->setObjectName(QStringLiteral("originalRadio"));
    m_otherRadio = new QRadioButton(tr("Into this directory:"), m_scope);
    m_otherRadio->setObjectName(QStringLiteral("otherTargetRadio"));
    m_otherRadio->setChecked(true);
    m_target = new QLineEdit(m_scope);
    m_target->setObjectName(QStringLiteral("restoreTarget"));
    m_browse = new QPushButton(tr("&Browse…"), m_scope);
    m_scopeProblem = new QLabel(m_scope);
    m_scopeProblem->setObjectName(QStringLiteral("scopeProblem"));
    m_scopeProblem->setWordWrap(true);
    m_scopeProblem->setStyleSheet(
        QStringLiteral("color: %1;").arg(StatusColors::critical().name()));
    auto *targetRow = new QHBoxLayout;
    targetRow->addWidget(m_target, 1);
    targetRow->addWidget(m_browse);
    auto *layout = new QVBoxLayout(m_scope);
    layout->addWidget(whole);
    layout->addWidget(subtree);
    layout->addWidget(file);
    layout->addWidget(m_path);
    layout->addSpacing(12);
    layout->addWidget(m_originalRadio);
    layout->addWidget(m_otherRadio);
    layout->addLayout(targetRow);
    layout->addWidget(m_scopeProblem);
    layout->addStretch(1);
    m_scope->complete = [this] { return scopeProblem().isEmpty(); };
    const auto changed = [this] {
        m_path->setEnabled(m_what->checkedId() != 0);
        m_target->setEnabled(m_otherRadio->isChecked());
        m_browse->setEnabled(m_otherRadio->isChecked());
        m_scopeProblem->setText(scopeProblem());
        m_scope->changed();
    };
    connect(m_what, &QButtonGroup::idToggled, this, changed);
    connect(m_otherRadio, &QRadioButton::toggled, this, changed);
    connect(m_path, &QLineEdit::textChanged, this, changed);
    connect(m_target, &QLineEdit::textChanged, this, changed);
    connect(m_browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Restore into"));
        if (!dir.isEmpty())
            m_target->setText(dir);
    });
    changed();
}

void RestoreWizard::buildDryRunPage()
{
    m_dry = new RestoreWizardPage;
    m_dry->setTitle(tr("Dry run"));
    m_dry->setSubTitle(tr("What the restore would change; nothing has been written yet."));
    m_dryStatus = new QLabel(m_dry);
    m_dryStatus->setObjectName(QStringLiteral("dryRunStatus"));
    m_dryStatus->setWordWrap(true);
    m_changes = new QTreeWidget(m_dry);
    m_changes->setObjectName(QStringLiteral("dryRunChanges"));
    m_changes->setRootIsDecorated(false);
    m_changes->setHeaderLabels({ tr("Change"), tr("Type"), tr("Path") });
    auto *layout = new QVBoxLayout(m_dry);
    layout->addWidget(m_dryStatus);
    layout->addWidget(m_changes, 1);
    m_dry->complete = [this] {
        return m_dryRunResult.id != 0 && m_dryRunResult.state == QLatin1String("succeeded");
    };
}

QString RestoreWizard::scopeProblem() const
{
    const QString path = m_path->text().trimmed();
    if (m_what->checkedId() != 0 && !QDir::isAbsolutePath(path))
        return tr("Give the absolute path of the directory or file as it was backed up.");
    const QString target = m_target->text().trimmed();
    if (m_otherRadio->isChecked() && !QDir::isAbsolutePath(target))
        return tr("Give an absolute directory to restore into.");
    return {};
}

BackupRestoreRequest RestoreWizard::request() const
{
    BackupRestoreRequest r;
    r.set = m_set->currentData().toString();
    if (m_snapshotRadio->isChecked() && !m_snapshots->selectedItems().isEmpty())
        r.snapshot = m_snapshots->item(m_snapshots->currentRow(), 4)->data(Qt::UserRole).toString();
    else
        r.atMs = m_at->dateTime().toMSecsSinceEpoch();
    if (m_what->checkedId() != 0)
        r.path = QDir::cleanPath(m_path->text().trimmed());
    r.target = m_originalRadio->isChecked() ? QStringLiteral("/")
                                            : QDir::cleanPath(m_target->text().trimmed());
    return r;
}

void RestoreWizard::loadSnapshots()
{
    m_snapshots->setRowCount(0);
    m_snapshotsNote->setText(tr("Reading the set's snapshots…"));
    BackupService *service = m_service;
    const QString set = m_set->currentData().toString();
    backupCall(
        m_pool, this, [service, set] { return service->snapshots(set); },
        [this, set](const Result<QList<CatalogueSnapshot>> &r) {
            if (set != m_set->currentData().toString())
                return; // the operator picked another set meanwhile
            if (!r) {
                m_snapshotsNote->setText(EngineWording::error(r.error()));
                return;
            }
            QList<CatalogueSnapshot> list = *r;
            std::sort(list.begin(), list.end(),
                [](const auto &a, const auto &b) { return a.timeMs > b.timeMs; });
            m_snapshots->setRowCount(int(list.size()));
            for (int i = 0; i < list.size(); ++i) {
                const CatalogueSnapshot &s = list.at(i);
                const QStringList cells { DisplayFormat::dateTime(s.timeMs),
                    BackupWording::type(s.type), QString::number(s.files),
                    DisplayFormat::bytes(quint64(s.bytes)), s.id.left(12) };
                for (int c = 0; c < cells.size(); ++c)
                    m_snapshots->setItem(i, c, new QTableWidgetItem(cells.at(c)));
                m_snapshots->item(i, 4)->setData(Qt::UserRole, s.id);
            }
            m_snapshotsNote->setText(list.isEmpty()
                    ? tr("This set has no snapshot yet: back it up first.")
                    : tr("%n snapshot(s).", nullptr, int(list.size())));
            m_source->changed();
            Q_EMIT snapshotsLoaded(int(list.size()));
        });
}

void RestoreWizard::initializePage(int id)
{
    if (id == DryRunPage)
        startDryRun();
    QWizard::initializePage(id);
}

void RestoreWizard::startDryRun()
{
    m_dryRunId = 0;
    m_dryRunResult = {};
    m_finishedEarly.clear();
    m_changes->clear();
    m_dry->changed();
    m_dryStatus->setText(tr("Running the dry run…"));
    BackupRestoreRequest r = request();
    r.dryRun = true;
    BackupService *service = m_service;
    const QString actor = OperatorIdentity::actor(QStringLiteral("console"));
    backupCall(
        m_pool, this, [service, r, actor] { return service->restore(r, actor); },
        [this](const Result<BackupOperation> &op) {
            if (!op) {
                m_dryStatus->setText(EngineWording::error(op.error()));
                return;
            }
            m_dryRunId = op->id;
            if (m_finishedEarly.contains(op->id))
                showDryRun(m_finishedEarly.value(op->id));
            else if (op->finished())
                showDryRun(*op);
        });
}

void RestoreWizard::onOperation(const BackupOperation &op)
{
    if (!op.finished() || op.kind != QLatin1String("restore"))
        return;
    if (m_dryRunId == 0)
        m_finishedEarly.insert(op.id, op);
    else if (op.id == m_dryRunId && m_dryRunResult.id == 0)
        showDryRun(op);
}

void RestoreWizard::showDryRun(const BackupOperation &op)
{
    m_dryRunResult = op;
    m_finishedEarly.clear();
    if (op.state != QLatin1String("succeeded")) {
        m_dryStatus->setText(BackupWording::outcome(op));
    } else {
        const QJsonObject &res = op.result;
        const QJsonArray changes = res.value(QStringLiteral("changes")).toArray();
        const int changed = int(res.value(QStringLiteral("changed")).toInteger());
        QString text = tr("From snapshot %1 (%2): %n file(s) or directories would be created or "
                          "overwritten in %3.",
            nullptr, changed)
                           .arg(res.value(QStringLiteral("snapshot")).toString().left(12),
                               res.value(QStringLiteral("snapshot_time")).toString(),
                               res.value(QStringLiteral("target")).toString());
        if (changed > changes.size())
            text += QLatin1Char(' ') + tr("The first %n are listed.", nullptr, int(changes.size()));
        if (changed == 0)
            text += QLatin1Char(' ') + tr("Everything is in place already.");
        m_dryStatus->setText(text);
        for (const QJsonValue &v : changes) {
            const QJsonObject c = v.toObject();
            const bool create
                = c.value(QStringLiteral("change")).toString() == QLatin1String("create");
            m_changes->addTopLevelItem(new QTreeWidgetItem(QStringList {
                create ? tr("create") : tr("overwrite"), c.value(QStringLiteral("type")).toString(),
                c.value(QStringLiteral("path")).toString() }));
        }
        m_changes->resizeColumnToContents(0);
    }
    m_dry->changed();
    Q_EMIT dryRunFinished(op);
}

} // namespace Shivx::Ui

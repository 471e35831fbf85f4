#include "alerts/silencedialog.h"

#include "widgets/displayformat.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace Shivx::Ui {

namespace {
constexpr qint64 UnitMs[] = { 60'000, 3'600'000, 86'400'000 };
constexpr int UnitMax[] = { 30 * 24 * 60, 30 * 24, 30 };
} // namespace

SilenceDialog::SilenceDialog(const QMap<QString, QString> &labels, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("silenceDialog"));
    setWindowTitle(tr("Silence alert"));
    auto *matchBox = new QGroupBox(tr("Silence alerts whose labels are all"), this);
    auto *matchLayout = new QVBoxLayout(matchBox);
    for (auto it = labels.cbegin(); it != labels.cend(); ++it) {
        auto *box = new QCheckBox(it.key() + QStringLiteral(" = ") + it.value(), matchBox);
        box->setObjectName(QStringLiteral("match_") + it.key());
        // The severity would widen nothing and narrow little: left out by default.
        box->setChecked(it.key() != QLatin1String("severity"));
        connect(box, &QCheckBox::toggled, this, &SilenceDialog::updateOk);
        matchLayout->addWidget(box);
        m_labels.append({ box, { it.key(), it.value() } });
    }
    m_amount = new QSpinBox(this);
    m_amount->setObjectName(QStringLiteral("silenceAmount"));
    m_unit = new QComboBox(this);
    m_unit->setObjectName(QStringLiteral("silenceUnit"));
    m_unit->addItems({ tr("minutes"), tr("hours"), tr("days") });
    auto *durationRow = new QHBoxLayout;
    durationRow->addWidget(m_amount);
    durationRow->addWidget(m_unit, 1);
    m_until = new QLabel(this);
    m_until->setObjectName(QStringLiteral("silenceUntil"));
    m_comment = new QLineEdit(this);
    m_comment->setObjectName(QStringLiteral("silenceComment"));
    m_comment->setPlaceholderText(tr("Why (goes into the audit log)"));
    auto *form = new QFormLayout;
    form->addRow(tr("&For:"), durationRow);
    form->addRow(QString(), m_until);
    form->addRow(tr("&Comment:"), m_comment);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("&Silence"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(matchBox);
    layout->addLayout(form);
    layout->addWidget(buttons);
    connect(m_unit, &QComboBox::currentIndexChanged, this, [this](int unit) {
        m_amount->setRange(1, UnitMax[qBound(0, unit, 2)]);
        updateOk();
    });
    connect(m_amount, &QSpinBox::valueChanged, this, &SilenceDialog::updateOk);
    setDuration(2, 1);
}

void SilenceDialog::setDuration(int amount, int unitIndex)
{
    m_unit->setCurrentIndex(qBound(0, unitIndex, 2));
    m_amount->setRange(1, UnitMax[m_unit->currentIndex()]);
    m_amount->setValue(amount);
    updateOk();
}

QMap<QString, QString> SilenceDialog::matchers() const
{
    QMap<QString, QString> out;
    for (const auto &[box, label] : m_labels)
        if (box->isChecked())
            out.insert(label.first, label.second);
    return out;
}

qint64 SilenceDialog::durationMs() const
{
    return m_amount->value() * UnitMs[qBound(0, m_unit->currentIndex(), 2)];
}

QString SilenceDialog::comment() const
{
    return m_comment->text().trimmed();
}

void SilenceDialog::updateOk()
{
    m_until->setText(
        tr("until %1")
            .arg(DisplayFormat::dateTime(QDateTime::currentMSecsSinceEpoch() + durationMs())));
    m_ok->setEnabled(!matchers().isEmpty());
}

} // namespace Shivx::Ui

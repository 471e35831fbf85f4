#include "overview/hostpanel.h"

#include "widgets/displayformat.h"

#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>

namespace Shivx::Ui {

HostPanel::HostPanel(QWidget *parent)
    : QGroupBox(parent)
{
    auto *left = new QFormLayout;
    auto *right = new QFormLayout;
    for (QFormLayout *form : { left, right }) {
        form->setLabelAlignment(Qt::AlignLeft);
        form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
        form->setHorizontalSpacing(16);
    }

    m_load = addRow(left, "loadValue");
    m_cores = addRow(left, "coresValue");
    m_memory = addRow(left, "memoryValue");
    m_swap = addRow(left, "swapValue");
    m_filesystems = addRow(left, "filesystemsValue");
    m_diskIo = addRow(right, "diskIoValue");
    m_network = addRow(right, "networkValue");
    m_engineRss = addRow(right, "engineRssValue");
    m_engineCpu = addRow(right, "engineCpuValue");
    m_engineThreads = addRow(right, "engineThreadsValue");
    m_engineFds = addRow(right, "engineFdsValue");
    m_filesystems->setWordWrap(true);

    auto *layout = new QHBoxLayout(this);
    layout->addLayout(left, 1);
    layout->addSpacing(24);
    layout->addLayout(right, 1);

    retranslateUi();
}

void HostPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QGroupBox::changeEvent(event);
}

void HostPanel::retranslateUi()
{
    setTitle(tr("Host"));
    setRowLabel(m_load, tr("Load (1/5/15 min)"));
    setRowLabel(m_cores, tr("CPU cores"));
    setRowLabel(m_memory, tr("Memory used"));
    setRowLabel(m_swap, tr("Swap used"));
    setRowLabel(m_filesystems, tr("Filesystems"));
    setRowLabel(m_diskIo, tr("Disk read / write"));
    setRowLabel(m_network, tr("Network in / out"));
    setRowLabel(m_engineRss, tr("Engine memory"));
    setRowLabel(m_engineCpu, tr("Engine CPU"));
    setRowLabel(m_engineThreads, tr("Engine threads"));
    setRowLabel(m_engineFds, tr("Engine open files"));
    if (m_hasSample)
        setSample(m_sample);
}

void HostPanel::setRowLabel(QLabel *value, const QString &label)
{
    if (QLabel *rowLabel = m_rowLabels.value(value))
        rowLabel->setText(label);
}

QLabel *HostPanel::addRow(QFormLayout *form, const char *objectName)
{
    auto *value = new QLabel(DisplayFormat::noValue(), this);
    value->setObjectName(QLatin1String(objectName));
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // The label's text comes from retranslateUi().
    auto *label = new QLabel(this);
    m_rowLabels.insert(value, label);
    form->addRow(label, value);
    return value;
}

void HostPanel::setSample(const HostSample &s)
{
    m_sample = s;
    m_hasSample = true;
    const QLocale locale;
    m_load->setText(tr("%1 / %2 / %3")
                        .arg(locale.toString(s.load1, 'f', 2), locale.toString(s.load5, 'f', 2),
                            locale.toString(s.load15, 'f', 2)));
    m_cores->setText(locale.toString(s.cpuPerCore.size()));
    m_memory->setText(
        tr("%1 of %2 (%3)")
            .arg(DisplayFormat::bytes(s.memUsedBytes), DisplayFormat::bytes(s.memTotalBytes),
                DisplayFormat::percent(s.memUsedPercent)));
    m_swap->setText(s.swapTotalBytes == 0 ? tr("no swap")
                                          : tr("%1 of %2")
                                                .arg(DisplayFormat::bytes(s.swapUsedBytes),
                                                    DisplayFormat::bytes(s.swapTotalBytes)));

    QStringList mounts;
    QStringList mountDetails;
    for (const MountUsage &m : s.mounts) {
        mounts << tr("%1 %2").arg(m.mountPoint, DisplayFormat::percent(m.usedPercent, 0));
        mountDetails << tr("%1 (%2): %3 free of %4")
                            .arg(m.mountPoint, m.device, DisplayFormat::bytes(m.freeBytes),
                                DisplayFormat::bytes(m.totalBytes));
    }
    m_filesystems->setText(
        mounts.isEmpty() ? DisplayFormat::noValue() : mounts.join(QStringLiteral(", ")));
    m_filesystems->setToolTip(mountDetails.join(QLatin1Char('\n')));

    // Rates need two samples; until then they would read a misleading "0 B/s".
    if (s.hasRates) {
        m_diskIo->setText(tr("%1 / %2").arg(DisplayFormat::bytesPerSecond(s.diskReadBytesPerSec),
            DisplayFormat::bytesPerSecond(s.diskWriteBytesPerSec)));
        m_network->setText(tr("%1 / %2").arg(DisplayFormat::bytesPerSecond(s.netRxBytesPerSec),
            DisplayFormat::bytesPerSecond(s.netTxBytesPerSec)));
        m_engineCpu->setText(DisplayFormat::percent(s.processCpuPercent));
    } else {
        m_diskIo->setText(DisplayFormat::noValue());
        m_network->setText(DisplayFormat::noValue());
        m_engineCpu->setText(DisplayFormat::noValue());
    }
    m_engineRss->setText(DisplayFormat::bytes(s.processRssBytes));
    m_engineThreads->setText(locale.toString(s.processThreads));
    m_engineFds->setText(locale.toString(s.processOpenFds));
}

} // namespace Shivx::Ui

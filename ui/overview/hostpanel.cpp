#include "overview/hostpanel.h"

#include "widgets/displayformat.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>

namespace Shivx::Ui {

HostPanel::HostPanel(QWidget *parent)
    : QGroupBox(tr("Host"), parent)
{
    auto *left = new QFormLayout;
    auto *right = new QFormLayout;
    for (QFormLayout *form : { left, right }) {
        form->setLabelAlignment(Qt::AlignLeft);
        form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
        form->setHorizontalSpacing(16);
    }

    m_load = addRow(left, tr("Load (1/5/15 min)"), "loadValue");
    m_cores = addRow(left, tr("CPU cores"), "coresValue");
    m_memory = addRow(left, tr("Memory used"), "memoryValue");
    m_swap = addRow(left, tr("Swap used"), "swapValue");
    m_filesystems = addRow(left, tr("Filesystems"), "filesystemsValue");
    m_diskIo = addRow(right, tr("Disk read / write"), "diskIoValue");
    m_network = addRow(right, tr("Network in / out"), "networkValue");
    m_engineRss = addRow(right, tr("Engine memory"), "engineRssValue");
    m_engineCpu = addRow(right, tr("Engine CPU"), "engineCpuValue");
    m_engineThreads = addRow(right, tr("Engine threads"), "engineThreadsValue");
    m_engineFds = addRow(right, tr("Engine open files"), "engineFdsValue");
    m_filesystems->setWordWrap(true);

    auto *layout = new QHBoxLayout(this);
    layout->addLayout(left, 1);
    layout->addSpacing(24);
    layout->addLayout(right, 1);
}

QLabel *HostPanel::addRow(QFormLayout *form, const QString &label, const char *objectName)
{
    auto *value = new QLabel(DisplayFormat::noValue(), this);
    value->setObjectName(QLatin1String(objectName));
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(label, value);
    return value;
}

void HostPanel::setSample(const HostSample &s)
{
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

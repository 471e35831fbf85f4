#pragma once

#include "health/hostsample.h"

#include <QGroupBox>
#include <QHash>

class QFormLayout;
class QLabel;

namespace Shivx::Ui {

// The numbers behind the gauges: load, swap, I/O rates and the engine's own footprint,
// as label pairs. Updated from each HostSample; does nothing but set label text.
class HostPanel : public QGroupBox
{
    Q_OBJECT
public:
    explicit HostPanel(QWidget *parent = nullptr);

    void setSample(const HostSample &sample);

protected:
    void changeEvent(QEvent *event) override;

private:
    // Sets every user-visible string; called on construction and on LanguageChange.
    void retranslateUi();
    QLabel *addRow(QFormLayout *form, const char *objectName);
    void setRowLabel(QLabel *value, const QString &label);

    QLabel *m_load = nullptr;
    QLabel *m_cores = nullptr;
    QLabel *m_memory = nullptr;
    QLabel *m_swap = nullptr;
    QLabel *m_diskIo = nullptr;
    QLabel *m_network = nullptr;
    QLabel *m_engineRss = nullptr;
    QLabel *m_engineCpu = nullptr;
    QLabel *m_engineThreads = nullptr;
    QLabel *m_engineFds = nullptr;
    QLabel *m_filesystems = nullptr;
    QHash<QLabel *, QLabel *> m_rowLabels; // value -> its row's label
    // The last sample shown, to rebuild its wording in a new language.
    HostSample m_sample;
    bool m_hasSample = false;
};

} // namespace Shivx::Ui

#pragma once

#include "audit/verify/verifyreport.h"

#include <QFrame>

class QLabel;
class QPushButton;

namespace Shivx::Ui {

// The result of the last verification across the top of the Audit page: a coloured band with
// the verdict and summary, every finding's location as a "Show" link, and a Show button for
// the first one. Hidden until there is something to say. Re-words itself on LanguageChange.
class VerifyBanner : public QFrame
{
    Q_OBJECT
public:
    explicit VerifyBanner(QWidget *parent = nullptr);

    void setReport(const VerifyReport &report);
    // A neutral one-line message (e.g. cancelled) instead of a report.
    void setCancelled();
    void clear();

    QString text() const;
    QPushButton *showButton() const { return m_showButton; }

Q_SIGNALS:
    // GUI thread: the operator asked to see finding `index` of the report.
    void showFindingRequested(int index);

protected:
    void changeEvent(QEvent *event) override;

private:
    enum class Mode { Empty, Report, Cancelled };
    void render();
    void setColour(const QColor &background);

    Mode m_mode = Mode::Empty;
    VerifyReport m_report;
    QLabel *m_title = nullptr;
    QLabel *m_body = nullptr;
    QPushButton *m_showButton = nullptr;
};

} // namespace Shivx::Ui

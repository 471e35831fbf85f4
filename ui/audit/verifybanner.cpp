#include "audit/verifybanner.h"

#include "core/timeutil.h"
#include "verifywording.h"
#include "widgets/displayformat.h"
#include "widgets/selectabletext.h"
#include "widgets/statuscolors.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace Shivx::Ui {

using Reports::VerifyWording;

VerifyBanner::VerifyBanner(QWidget *parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("verifyBanner"));
    setAutoFillBackground(true);
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("verifyBannerTitle"));
    QFont f = m_title->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.2);
    m_title->setFont(f);
    m_body = new QLabel(this);
    m_body->setObjectName(QStringLiteral("verifyBannerBody"));
    m_body->setWordWrap(true);
    m_body->setTextFormat(Qt::RichText);
    SelectableText::apply(m_title);
    SelectableText::apply(m_body, Qt::TextBrowserInteraction);
    m_showButton = new QPushButton(this);
    m_showButton->setObjectName(QStringLiteral("showFindingButton"));

    auto *text = new QVBoxLayout;
    text->setSpacing(2);
    text->addWidget(m_title);
    text->addWidget(m_body);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 8);
    layout->addLayout(text, 1);
    layout->addWidget(m_showButton, 0, Qt::AlignVCenter);

    connect(m_showButton, &QPushButton::clicked, this, [this] { Q_EMIT showFindingRequested(0); });
    connect(m_body, &QLabel::linkActivated, this, [this](const QString &link) {
        if (link.startsWith(QLatin1String("finding:")))
            Q_EMIT showFindingRequested(link.mid(8).toInt());
    });
    clear();
}

void VerifyBanner::setReport(const VerifyReport &report)
{
    m_mode = Mode::Report;
    m_report = report;
    render();
}

void VerifyBanner::setCancelled()
{
    m_mode = Mode::Cancelled;
    m_report = {};
    render();
}

void VerifyBanner::clear()
{
    m_mode = Mode::Empty;
    m_report = {};
    render();
}

QString VerifyBanner::text() const
{
    return m_title->text() + QLatin1Char('\n') + m_body->text();
}

void VerifyBanner::changeEvent(QEvent *event)
{
    // The status colours depend on the palette (Theme). setColour() sends PaletteChange once
    // more; the second render() sets the same palette, which sends none.
    if (event->type() == QEvent::LanguageChange || event->type() == QEvent::PaletteChange)
        render();
    QFrame::changeEvent(event);
}

void VerifyBanner::setColour(const QColor &background)
{
    QPalette pal = palette();
    pal.setColor(QPalette::Window, background);
    const QColor fg = StatusColors::textOn(background);
    pal.setColor(QPalette::WindowText, fg);
    pal.setColor(QPalette::Link, fg);
    pal.setColor(QPalette::LinkVisited, fg);
    setPalette(pal);
}

void VerifyBanner::render()
{
    m_showButton->setText(tr("&Show"));
    switch (m_mode) {
    case Mode::Empty:
        setVisible(false);
        return;
    case Mode::Cancelled:
        setColour(StatusColors::unknown());
        m_title->setText(tr("Verification cancelled"));
        m_body->setText(tr("Nothing was concluded. Verify again to check the chain."));
        m_showButton->setVisible(false);
        setVisible(true);
        return;
    case Mode::Report:
        break;
    }
    const VerifyReport &r = m_report;
    switch (r.verdict) {
    case VerifyReport::Verdict::Intact:
        setColour(StatusColors::ok());
        m_title->setText(tr("Audit chain intact"));
        break;
    case VerifyReport::Verdict::Tampered:
        setColour(StatusColors::critical());
        m_title->setText(tr("Tampering detected"));
        break;
    case VerifyReport::Verdict::Error:
        setColour(StatusColors::warning());
        m_title->setText(tr("Verification failed"));
        break;
    }
    QString body = VerifyWording::summary(r).toHtmlEscaped();
    if (r.findings.size() > 1) {
        body += QStringLiteral("<br/>");
        QStringList items;
        for (int i = 0; i < r.findings.size(); ++i) {
            const VerifyFinding &f = r.findings[i];
            items << tr("%1 at %2")
                         .arg(VerifyWording::problem(f.problem), VerifyWording::location(f))
                         .toHtmlEscaped()
                    + QStringLiteral(" — <a href=\"finding:%1\">%2</a>")
                          .arg(i)
                          .arg(tr("show").toHtmlEscaped());
        }
        body += items.join(QStringLiteral("<br/>"));
    }
    body += QStringLiteral("<br/><small>%1</small>")
                .arg(tr("Verified %1 by %2")
                         .arg(DisplayFormat::dateTime(r.finishedAtMs),
                             r.verifiedBy.isEmpty() ? DisplayFormat::noValue() : r.verifiedBy)
                         .toHtmlEscaped());
    m_body->setText(body);
    m_showButton->setVisible(!r.findings.isEmpty());
    setVisible(true);
}

} // namespace Shivx::Ui

#include "widgets/statebanner.h"

#include "widgets/selectabletext.h"
#include "widgets/statuscolors.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace Shivx::Ui {

StateBanner::StateBanner(QWidget *parent)
    : QFrame(parent)
{
    setAutoFillBackground(true);
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("bannerTitle"));
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 2.0);
    big.setBold(true);
    m_title->setFont(big);
    m_meaning = new QLabel(this);
    m_meaning->setObjectName(QStringLiteral("bannerMeaning"));
    QFont medium = m_meaning->font();
    medium.setPointSizeF(medium.pointSizeF() * 1.2);
    m_meaning->setFont(medium);
    m_meaning->setWordWrap(true);
    m_detail = new QLabel(this);
    m_detail->setObjectName(QStringLiteral("bannerDetail"));
    m_detail->setWordWrap(true);
    SelectableText::apply(m_detail);
    auto *texts = new QVBoxLayout;
    texts->addWidget(m_title);
    texts->addWidget(m_meaning);
    texts->addWidget(m_detail);
    m_layout = new QHBoxLayout(this);
    m_layout->setContentsMargins(16, 12, 16, 12);
    m_layout->addLayout(texts, 3);
}

void StateBanner::setState(const QColor &background, const QString &title, const QString &meaning,
    const QStringList &detail)
{
    QPalette pal = palette();
    pal.setColor(QPalette::Window, background);
    pal.setColor(QPalette::WindowText, StatusColors::textOn(background));
    setPalette(pal);
    for (QLabel *l : { m_title, m_meaning, m_detail })
        l->setPalette(pal);
    m_title->setText(title);
    m_meaning->setText(meaning);
    m_detail->setText(detail.join(QLatin1Char('\n')));
}

void StateBanner::addSide(QWidget *widget, int stretch)
{
    widget->setParent(this);
    m_layout->addWidget(widget, stretch);
}

QString StateBanner::title() const
{
    return m_title->text();
}

} // namespace Shivx::Ui

#include "widgets/theme.h"

#include <QApplication>
#include <QProxyStyle>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>
#include <QStyleOption>

namespace Shivx::Ui::Theme {

namespace {

const QString kSettingsKey = QStringLiteral("appearance/theme");

Choice g_current = Choice::System;
// The style the platform gave the application, captured before the first apply() changes it.
QString g_platformStyle;

struct Colours
{
    QColor window, windowText, base, alternateBase, text, button, light, midlight, mid, dark,
        shadow, highlight, highlightedText, link, linkVisited, toolTipBase, placeholder, disabled;
};

QPalette makePalette(const Colours &c)
{
    QPalette p;
    p.setColor(QPalette::Window, c.window);
    p.setColor(QPalette::WindowText, c.windowText);
    p.setColor(QPalette::Base, c.base);
    p.setColor(QPalette::AlternateBase, c.alternateBase);
    p.setColor(QPalette::Text, c.text);
    p.setColor(QPalette::Button, c.button);
    p.setColor(QPalette::ButtonText, c.windowText);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Light, c.light);
    p.setColor(QPalette::Midlight, c.midlight);
    p.setColor(QPalette::Mid, c.mid);
    p.setColor(QPalette::Dark, c.dark);
    p.setColor(QPalette::Shadow, c.shadow);
    p.setColor(QPalette::Highlight, c.highlight);
    p.setColor(QPalette::HighlightedText, c.highlightedText);
    p.setColor(QPalette::Link, c.link);
    p.setColor(QPalette::LinkVisited, c.linkVisited);
    p.setColor(QPalette::ToolTipBase, c.toolTipBase);
    p.setColor(QPalette::ToolTipText, c.text);
    p.setColor(QPalette::PlaceholderText, c.placeholder);
    for (const auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, c.disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, c.mid);
    return p;
}

// Fusion outlines check boxes and radio buttons in Window.darker(140); on a dark Window that
// is nearly the Base they sit on, so an unticked box in a list (History's series) vanishes.
// Drawing those indicators as if Window were a mid grey gives them a visible edge.
class DarkFusionStyle : public QProxyStyle
{
public:
    DarkFusionStyle()
        : QProxyStyle(QStyleFactory::create(QStringLiteral("Fusion")))
    {
    }

    void drawPrimitive(PrimitiveElement element, const QStyleOption *option, QPainter *painter,
        const QWidget *widget) const override
    {
        // Fusion draws a list's check (PE_IndicatorItemViewItemCheck) through this proxy's
        // PE_IndicatorCheckBox with a QStyleOptionButton, as it draws check boxes and radio
        // buttons; it draws nothing for another option type.
        const auto *button = qstyleoption_cast<const QStyleOptionButton *>(option);
        if (button && (element == PE_IndicatorCheckBox || element == PE_IndicatorRadioButton)) {
            QStyleOptionButton lifted(*button);
            lifted.palette.setColor(QPalette::Window, QColor(0x80, 0x80, 0x80));
            QProxyStyle::drawPrimitive(element, &lifted, painter, widget);
            return;
        }
        QProxyStyle::drawPrimitive(element, option, painter, widget);
    }
};

} // namespace

QPalette lightPalette()
{
    // Qt's own light defaults (what Fusion shows without a platform theme), spelled out so
    // that the contrast test checks the colours the operator sees; the highlight and the
    // placeholder grey are darker than Qt's, which miss 4.5:1 (3.7:1 for white on #308cc6).
    return makePalette({ QColor(0xef, 0xef, 0xef), Qt::black, Qt::white, QColor(0xf7, 0xf7, 0xf7),
        Qt::black, QColor(0xef, 0xef, 0xef), Qt::white, QColor(0xca, 0xca, 0xca),
        QColor(0xb8, 0xb8, 0xb8), QColor(0x9f, 0x9f, 0x9f), QColor(0x76, 0x76, 0x76),
        QColor(0x2a, 0x6f, 0xb0), Qt::white, QColor(0x00, 0x55, 0xaa), QColor(0x6a, 0x1b, 0x9a),
        QColor(0xff, 0xff, 0xdc), QColor(0x69, 0x69, 0x69), QColor(0x8a, 0x8a, 0x8a) });
}

QPalette darkPalette()
{
    // Greys rather than black: the tables' Base stays a step darker than Window, as in the
    // light palette, and bright status colours do not glare. The placeholder grey keeps 5:1
    // on Window; links are a light blue for the same reason.
    return makePalette({ QColor(0x2b, 0x2b, 0x2b), QColor(0xe6, 0xe6, 0xe6),
        QColor(0x1e, 0x1e, 0x1e), QColor(0x26, 0x26, 0x26), QColor(0xe6, 0xe6, 0xe6),
        QColor(0x35, 0x35, 0x35), QColor(0x4a, 0x4a, 0x4a), QColor(0x3e, 0x3e, 0x3e),
        QColor(0x5a, 0x5a, 0x5a), QColor(0x1a, 0x1a, 0x1a), QColor(0x0c, 0x0c, 0x0c),
        QColor(0x2f, 0x6f, 0xb8), Qt::white, QColor(0x7a, 0xb8, 0xff), QColor(0xc3, 0x9b, 0xf5),
        QColor(0x3a, 0x3a, 0x3a), QColor(0x9a, 0x9a, 0x9a), QColor(0x7a, 0x7a, 0x7a) });
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Active, QPalette::Window).lightness() < 128;
}

bool isDark()
{
    return isDark(QGuiApplication::palette());
}

void apply(Choice choice)
{
    const bool first = g_platformStyle.isEmpty();
    if (first)
        g_platformStyle = QApplication::style()->name();
    g_current = choice;
    // At start the application already has the platform's style and palette.
    if (first && choice == Choice::System)
        return;
    switch (choice) {
    case Choice::System: {
        QApplication::setStyle(QStyleFactory::create(g_platformStyle));
        // A palette with no roles set resolves against the platform theme's palette (KDE's on
        // Plasma, else the style's). QPalette() would share the application palette's data,
        // which setPalette() takes for "unchanged".
        QPalette platform = QApplication::style()->standardPalette();
        platform.setResolveMask(0);
        QApplication::setPalette(platform);
        break;
    }
    case Choice::Light:
    case Choice::Dark:
        // Fusion draws with the palette; platform styles (Breeze) would mix in their own.
        if (choice == Choice::Dark)
            QApplication::setStyle(new DarkFusionStyle);
        else
            QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(choice == Choice::Dark ? darkPalette() : lightPalette());
        break;
    }
}

Choice current()
{
    return g_current;
}

QString key(Choice choice)
{
    switch (choice) {
    case Choice::Light:
        return QStringLiteral("light");
    case Choice::Dark:
        return QStringLiteral("dark");
    case Choice::System:
        break;
    }
    return QStringLiteral("system");
}

Choice fromKey(const QString &key)
{
    if (key == QLatin1String("light"))
        return Choice::Light;
    if (key == QLatin1String("dark"))
        return Choice::Dark;
    return Choice::System;
}

Choice stored()
{
    return fromKey(QSettings().value(kSettingsKey).toString());
}

void store(Choice choice)
{
    QSettings().setValue(kSettingsKey, key(choice));
}

} // namespace Shivx::Ui::Theme

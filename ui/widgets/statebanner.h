#pragma once

#include <QColor>
#include <QFrame>

class QHBoxLayout;
class QLabel;

namespace Shivx::Ui {

// The banner a page shows its state in, big enough to read from across the room: a title
// (the level or mode), one line of what it means, and detail lines (since when, why, what
// comes next), on a background in the state's colour with text that stays readable on it
// (StatusColors::textOn). The Degradation page's level and the Guardian page's mode use it;
// a page may put its control to the right (addSide()).
// Child object names, for tests and styles: bannerTitle, bannerMeaning, bannerDetail.
class StateBanner : public QFrame
{
    Q_OBJECT
public:
    explicit StateBanner(QWidget *parent = nullptr);

    // Sets the background (and the text colour that goes with it) and the three texts;
    // `detail` lines are joined with newlines. Call again on a palette change.
    void setState(const QColor &background, const QString &title, const QString &meaning,
        const QStringList &detail);
    // A widget beside the texts (the page's control for the state), owned by the banner.
    void addSide(QWidget *widget, int stretch);

    QString title() const;

private:
    QLabel *m_title = nullptr;
    QLabel *m_meaning = nullptr;
    QLabel *m_detail = nullptr;
    QHBoxLayout *m_layout = nullptr;
};

} // namespace Shivx::Ui

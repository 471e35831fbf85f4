#pragma once

#include <QPalette>
#include <QString>

namespace Shivx::Ui {

// The console's colour theme: the platform's palette and style (System; KDE's on Plasma), or
// an explicit light or dark palette on the Fusion style. The choice is kept in QSettings under
// "appearance/theme" ("system", "light", "dark"). GUI thread only.
namespace Theme {

enum class Choice { System, Light, Dark };

// The palettes of the explicit themes. Status colours (StatusColors) keep WCAG AA contrast
// on their Window, Base and AlternateBase; tests/ui/tst_theme.cpp checks that.
QPalette lightPalette();
QPalette darkPalette();

// Qt 6.4 has no colour-scheme API: a palette is dark when its Window colour is darker than
// mid-grey (HSL lightness below 128).
bool isDark(const QPalette &palette);
// Whether the application palette in use is dark; StatusColors picks its variants by it.
bool isDark();

// Sets the application's style and palette for `choice`. The first call remembers the
// platform's style, which System returns to. Widgets receive ApplicationPaletteChange and
// PaletteChange; widgets with colours of their own set them again on PaletteChange.
void apply(Choice choice);
// The choice apply() was last called with (System before the first call).
Choice current();

// The stored choice (System when none or unknown), and storing one.
Choice stored();
void store(Choice choice);

// "system", "light", "dark" (the settings value), and back (anything else -> System).
QString key(Choice choice);
Choice fromKey(const QString &key);

} // namespace Theme
} // namespace Shivx::Ui

#pragma once

#include <QString>

// Light or dark. By default the workbench follows the desktop (Qt takes the palette from the
// platform theme); a user whose desktop does not tell Qt, or who wants the other look, can force
// one. Forced looks use the Fusion style, which honours every palette role.
namespace Appearance {

enum class Mode { System, Light, Dark };

Mode stored();                 // from the settings; System when unset
void store(Mode mode);
void apply(Mode mode);         // call after QApplication exists; safe to call repeatedly
QString name(Mode mode);       // "system", "light", "dark"
bool fromName(const QString &name, Mode *mode);

} // namespace Appearance

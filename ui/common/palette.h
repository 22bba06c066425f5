#pragma once
// The window's colours, one copy each: the categorical palette that gives a curve its colour, the
// fixed colour of each init scheme, the verdict colours of success and failure, and the red of an
// error on a status line, chosen for the palette it is read on.

#include "initlab/initscheme.h"

#include <QColor>
#include <QIcon>
#include <QPalette>
#include <QString>

namespace initlab::ui {

// Tableau 10: distinct on white and for the common kinds of colour blindness. Index wraps around.
QColor categoricalColor(int index);
inline constexpr int kCategoricalColors = 10;
// The scheme's colour: fixed by its place in allInitSchemes(), so a scheme keeps its colour
// whichever schemes a run has, on every chart, canvas and table.
QColor schemeColor(InitScheme scheme);

// Verdicts (a seed that learned the rings, a test image classified right): mid tones that read on
// the light and the dark palette's base alike (contrast >= 3.7 on both).
QColor successColor();
QColor failureColor();

// The red of error text: darker on a light window, lighter on a dark one, so that it is read.
QColor errorTextColor(const QPalette& palette);
// A style sheet for a label that shows an error ("color: …; font-weight: bold;").
QString errorStyleSheet(const QPalette& palette);
// The same as an inline style for rich text ("color:#b00020").
QString errorSpanStyle(const QPalette& palette);

// A small square of colour for a check box, combo entry or table row.
QIcon swatchIcon(const QColor& color);

} // namespace initlab::ui

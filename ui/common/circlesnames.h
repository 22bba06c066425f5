#pragma once
// How the circles lab names and colours its settings for people: normalization titles with their
// factor, one fixed colour per init scheme (the same on every chart, canvas and table of the tab),
// and percentages.

#include "initlab/circles.h"
#include "initlab/initscheme.h"

#include <QColor>
#include <QString>

namespace initlab::ui {

// "Raw", "Standardized", "Standardized × 0.01".
QString normalizationTitle(Normalization normalization, double scaledFactor);
// The scheme's colour: fixed by its place in allInitSchemes(), so a scheme keeps its colour
// whichever schemes a run has.
QColor schemeColor(InitScheme scheme);
// "99.4 %"
QString percent(double fraction, int decimals = 1);

} // namespace initlab::ui

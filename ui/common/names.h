#pragma once
// How the UI names init schemes, activations and their combinations for people.

#include "initlab/deeppropagation.h"
#include "initlab/initscheme.h"

#include <QString>

#include <string_view>

namespace initlab::ui {

QString toQString(std::string_view text);

// "Xavier uniform"; the normal scheme carries its sigma ("Normal (σ = 0.1)").
QString schemeTitle(InitScheme scheme, double normalStd);
QString activationTitle(Activation activation);
// "Xavier uniform + tanh"
QString combinationTitle(const Combination& combination, double normalStd);

// Compact number for a table cell or a note: "0.81", "12", "3.2e-08", "0", "NaN".
QString compactNumber(double value);

} // namespace initlab::ui

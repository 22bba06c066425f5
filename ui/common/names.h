#pragma once
// How the window names init schemes, activations, their combinations and normalizations for people.

#include "initlab/circles.h"
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

// "Raw", "Standardized", "Standardized × 0.01".
QString normalizationTitle(Normalization normalization, double scaledFactor);

} // namespace initlab::ui

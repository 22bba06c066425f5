#include "names.h"

namespace initlab::ui {

QString toQString(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

QString schemeTitle(InitScheme scheme, double normalStd)
{
    if (scheme == InitScheme::Normal)
        return QStringLiteral("Normal (σ = %1)").arg(normalStd, 0, 'g', 4);
    return toQString(displayName(scheme));
}

QString activationTitle(Activation activation)
{
    return toQString(displayName(activation));
}

QString combinationTitle(const Combination& combination, double normalStd)
{
    return schemeTitle(combination.init, normalStd) + QStringLiteral(" + ") + activationTitle(combination.activation);
}

QString normalizationTitle(Normalization normalization, double scaledFactor)
{
    switch (normalization) {
    case Normalization::Raw:
        return QStringLiteral("Raw");
    case Normalization::Standard:
        return QStringLiteral("Standardized");
    case Normalization::Scaled:
        return QStringLiteral("Standardized × %1").arg(scaledFactor, 0, 'g', 4);
    }
    return toQString(displayName(normalization));
}

} // namespace initlab::ui

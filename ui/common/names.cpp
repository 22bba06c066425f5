#include "names.h"

#include <cmath>

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

QString compactNumber(double value)
{
    if (std::isnan(value))
        return QStringLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    if (value == 0.0)
        return QStringLiteral("0");
    const double magnitude = std::abs(value);
    if (magnitude >= 99.5 && magnitude < 999.5)
        return QString::number(value, 'f', 0);
    if (magnitude >= 1e-2 && magnitude < 99.5)
        return QString::number(value, 'g', 2);
    // "3.2e-8" rather than "3.2e-08": table cells are narrow.
    QString text = QString::number(value, 'e', 1);
    text.replace(QStringLiteral("e+0"), QStringLiteral("e"));
    text.replace(QStringLiteral("e+"), QStringLiteral("e"));
    text.replace(QStringLiteral("e-0"), QStringLiteral("e-"));
    return text;
}

} // namespace initlab::ui

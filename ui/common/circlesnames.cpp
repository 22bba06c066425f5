#include "circlesnames.h"

#include "names.h"

#include <algorithm>
#include <array>

namespace initlab::ui {
namespace {

// Tableau 10, as the Deep tab: distinct on white and for the common kinds of colour blindness.
constexpr std::array<QRgb, 10> kPalette{0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                        0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};

} // namespace

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

QColor schemeColor(InitScheme scheme)
{
    const auto& all = allInitSchemes();
    const auto index = std::size_t(std::find(all.begin(), all.end(), scheme) - all.begin());
    return QColor(kPalette[index % kPalette.size()]);
}

QString percent(double fraction, int decimals)
{
    return QStringLiteral("%1 %").arg(fraction * 100.0, 0, 'f', decimals);
}

} // namespace initlab::ui

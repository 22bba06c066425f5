#include "initlab/circles.h"

// The names of the circles lab's input normalizations, apart from circles.cpp and its torch so
// that whatever reads them (the experiment-file reader, its fuzzer) needs no torch.

#include <algorithm>
#include <array>

namespace initlab {
namespace {

struct NormalizationInfo {
    Normalization mode;
    std::string_view name;
    std::string_view display;
    std::string_view description;
};

constexpr std::array kNormalizations{
    NormalizationInfo{Normalization::Raw, "raw", "Raw",
                      "the points as generated, centred at (10, 10): large inputs far from the origin"},
    NormalizationInfo{Normalization::Standard, "standard", "Standardized",
                      "minus the training mean, divided by the training std, per coordinate (applied to every split)"},
    NormalizationInfo{Normalization::Scaled, "scaled", "Standardized x factor",
                      "standardized, then multiplied by a small factor (default 0.01): tiny inputs"},
};

const NormalizationInfo& info(Normalization mode)
{
    return *std::find_if(kNormalizations.begin(), kNormalizations.end(),
                         [&](const auto& i) { return i.mode == mode; });
}

} // namespace

const std::vector<Normalization>& allNormalizations()
{
    static const std::vector<Normalization> all{Normalization::Raw, Normalization::Standard, Normalization::Scaled};
    return all;
}

std::string_view name(Normalization normalization) { return info(normalization).name; }
std::string_view displayName(Normalization normalization) { return info(normalization).display; }
std::string_view description(Normalization normalization) { return info(normalization).description; }

std::optional<Normalization> parseNormalization(std::string_view text)
{
    for (const auto& i : kNormalizations)
        if (i.name == text)
            return i.mode;
    return std::nullopt;
}

} // namespace initlab

#pragma once
// How far a deep run in bfloat16 lands from the same run in float32: for every statistic of
// deep.csv, the largest difference over every combination and layer, and where it is.

#include "initlab/deeppropagation.h"

#include <string>
#include <vector>

namespace initlab {

struct StatisticDifference {
    enum class Scale {
        Relative,     // |other - reference| / |reference| (the standard deviations)
        OfStd,        // |other - reference| / the layer's reference std (the means, which sit near 0)
        Absolute,     // |other - reference| (the fractions)
    };
    std::string column; // the deep.csv column: "act_std", "saturated_frac", ...
    Scale scale = Scale::Relative;
    double largest = 0.0; // infinite where the reference is 0 and the other is not; NaN where either is NaN
    int combination = -1; // where the largest difference is (index into the results), -1 when none
    int layer = 0;
};

// The differences of act_mean, act_std, grad_mean, grad_std, pre_grad_std, saturated_frac and
// zero_frac between two runs of the same combinations and depth (in that order). Empty when the two
// did not run the same combinations or depths.
std::vector<StatisticDifference> largestDifferences(const DeepResult& reference, const DeepResult& other);

} // namespace initlab

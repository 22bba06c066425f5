#include "initlab/deepprecision.h"

#include <cmath>
#include <limits>

namespace initlab {
namespace {

using Scale = StatisticDifference::Scale;

struct Column {
    const char* name;
    Scale scale;
    double LayerStats::*value;
    double LayerStats::*std; // the std a mean's difference is measured in
};

double difference(const Column& column, const LayerStats& reference, const LayerStats& other)
{
    const double r = reference.*column.value;
    const double o = other.*column.value;
    if (std::isnan(r) || std::isnan(o))
        return std::numeric_limits<double>::quiet_NaN();
    if (r == o)
        return 0.0; // also equal infinities
    const double d = std::fabs(o - r);
    switch (column.scale) {
    case Scale::Relative:
        return r != 0.0 ? d / std::fabs(r) : std::numeric_limits<double>::infinity();
    case Scale::OfStd: {
        const double s = reference.*column.std;
        return s != 0.0 ? d / std::fabs(s) : std::numeric_limits<double>::infinity();
    }
    case Scale::Absolute:
        return d;
    }
    return d;
}

// Whether a is a larger difference than b: NaN above everything, then infinity, then the numbers.
bool larger(double a, double b)
{
    if (std::isnan(b))
        return false;
    return std::isnan(a) || a > b;
}

} // namespace

std::vector<StatisticDifference> largestDifferences(const DeepResult& reference, const DeepResult& other)
{
    if (reference.combinations.size() != other.combinations.size())
        return {};
    for (std::size_t c = 0; c < reference.combinations.size(); ++c) {
        const CombinationResult& r = reference.combinations[c];
        const CombinationResult& o = other.combinations[c];
        if (!(r.combination == o.combination) || r.layers.size() != o.layers.size())
            return {};
    }
    const Column columns[] = {
        {"act_mean", Scale::OfStd, &LayerStats::actMean, &LayerStats::actStd},
        {"act_std", Scale::Relative, &LayerStats::actStd, nullptr},
        {"grad_mean", Scale::OfStd, &LayerStats::gradMean, &LayerStats::gradStd},
        {"grad_std", Scale::Relative, &LayerStats::gradStd, nullptr},
        {"pre_grad_std", Scale::Relative, &LayerStats::preGradStd, nullptr},
        {"saturated_frac", Scale::Absolute, &LayerStats::saturatedFrac, nullptr},
        {"zero_frac", Scale::Absolute, &LayerStats::zeroFrac, nullptr},
    };
    std::vector<StatisticDifference> out;
    for (const Column& column : columns) {
        StatisticDifference d;
        d.column = column.name;
        d.scale = column.scale;
        for (std::size_t c = 0; c < reference.combinations.size(); ++c) {
            const std::vector<LayerStats>& r = reference.combinations[c].layers;
            const std::vector<LayerStats>& o = other.combinations[c].layers;
            for (std::size_t l = 0; l < r.size(); ++l) {
                const double value = difference(column, r[l], o[l]);
                if (d.combination < 0 || larger(value, d.largest)) {
                    d.largest = value;
                    d.combination = static_cast<int>(c);
                    d.layer = r[l].layer;
                }
            }
        }
        out.push_back(d);
    }
    return out;
}

} // namespace initlab

#pragma once
// Draws a whole deep result on figures that take a live run's stream (beginRun, combinationStarted,
// forwardLayer, backwardLayer, refresh) through that same stream, as the run would have drawn it:
// DeepFigures and DeepDistributionFigures both show recorded runs this way.

#include "initlab/deeppropagation.h"

namespace initlab::ui {

template <typename Figures>
void replayDeepResult(Figures& figures, const DeepConfig& config, const DeepResult& result)
{
    DeepConfig shown = config;
    shown.combinations.clear();
    for (const CombinationResult& combination : result.combinations)
        shown.combinations.push_back(combination.combination);
    figures.beginRun(shown);
    for (std::size_t c = 0; c < result.combinations.size(); ++c) {
        const int index = int(c);
        figures.combinationStarted(index);
        for (const LayerStats& layer : result.combinations[c].layers) {
            figures.forwardLayer(forwardStats(index, layer));
            figures.backwardLayer(backwardStats(index, layer));
        }
    }
    figures.refresh();
}

} // namespace initlab::ui

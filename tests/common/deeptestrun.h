#pragma once
// Small deep-propagation runs for the core tests: a config of given sizes on two threads, and a run
// of it to the end.

#include "initlab/deeppropagation.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace initlab::test {

inline DeepConfig smallDeepConfig(std::vector<Combination> combinations, int depth, int width, int batch,
                                  std::uint64_t seed)
{
    DeepConfig c;
    c.combinations = std::move(combinations);
    c.depth = depth;
    c.width = width;
    c.batch = batch;
    c.seed = seed;
    c.threads = 2;
    return c;
}

inline DeepResult runToTheEnd(const DeepConfig& c, DeepSink* sink = nullptr)
{
    CancelFlag cancel{false};
    return runDeepPropagation(c, sink, cancel);
}

} // namespace initlab::test

#pragma once
// Seeds for the independent random streams of a run (data, weights, order, masks), derived from
// the user's one seed with splitmix64 so the streams are well spread and never coincide. Private to
// core.

#include <cstdint>

namespace initlab {

inline std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t stream)
{
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (stream + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

} // namespace initlab

#pragma once
// Inverted dropout on raw arrays: each element is zeroed with probability p, else multiplied by
// 1 / (1 - p). The random bits come from a counter-based hash of (seed, stream, element index), so
// the result does not depend on how many threads share the work, and no mask needs to be stored:
// an element survived exactly when its output is non-zero or its input was zero. p is resolved to
// multiples of 1/65536. Kept torch-free and compiled for several instruction sets.

#include <cstdint>

namespace initlab {

// dst may equal src. Elements [begin, end) of an array whose element 0 has counter 0.
void dropoutApply(const float* src, float* dst, std::int64_t begin, std::int64_t end, double p, std::uint64_t seed,
                  std::uint64_t stream);
// The same on bfloat16 values stored as their 16 raw bits.
void dropoutApplyBf16(const std::uint16_t* src, std::uint16_t* dst, std::int64_t begin, std::int64_t end, double p,
                      std::uint64_t seed, std::uint64_t stream);

} // namespace initlab

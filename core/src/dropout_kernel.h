#pragma once
// Inverted dropout on raw arrays: each element is zeroed with probability p, else multiplied by
// 1 / (1 - p). The random bits come from a counter-based hash of (seed, stream, element index), so
// the result does not depend on how many threads share the work, and no mask needs to be stored:
// an element survived exactly when its output is non-zero or its input was zero. p is resolved to
// multiples of 1/65536. Each 64-bit hash gives the uniforms of four consecutive elements (element i
// takes bits 16 (i % 4) .. 16 (i % 4) + 15 of the hash of i / 4), so every path below draws the
// same masks. Kept torch-free; the vector paths are compiled for their instruction sets and chosen
// at run time.

#include <cstdint>

namespace initlab {

// The instructions the kernels run on: Best is the widest this CPU has; the others name one path
// (tests compare each with Plain). A path the CPU lacks falls back to the next narrower one.
enum class DropoutPath { Best, Plain, Avx2, Avx512 };
bool dropoutPathSupported(DropoutPath path);

// dst may equal src. Elements [begin, end) of an array whose element 0 has counter 0.
void dropoutApply(const float* src, float* dst, std::int64_t begin, std::int64_t end, double p, std::uint64_t seed,
                  std::uint64_t stream, DropoutPath path = DropoutPath::Best);
// The same on bfloat16 values stored as their 16 raw bits.
void dropoutApplyBf16(const std::uint16_t* src, std::uint16_t* dst, std::int64_t begin, std::int64_t end, double p,
                      std::uint64_t seed, std::uint64_t stream, DropoutPath path = DropoutPath::Best);

// ReLU, then dropout, in one pass: dst = dropout(x < 0 ? 0 : x) with the masks of dropoutApply, the
// same bits as ATen's relu_ followed by dropoutApply (a NaN stays a NaN). dst may equal src.
void reluDropoutApply(const float* src, float* dst, std::int64_t begin, std::int64_t end, double p,
                      std::uint64_t seed, std::uint64_t stream, DropoutPath path = DropoutPath::Best);
void reluDropoutApplyBf16(const std::uint16_t* src, std::uint16_t* dst, std::int64_t begin, std::int64_t end,
                          double p, std::uint64_t seed, std::uint64_t stream, DropoutPath path = DropoutPath::Best);

} // namespace initlab

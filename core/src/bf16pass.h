#pragma once
// The element-wise work of a bf16 deep run, each in one pass over values that stay in cache: the
// activation applied to a layer's bfloat16 products together with the scan of its moments and
// counts, and the activation's derivative applied to a bfloat16 gradient together with the scan of
// dL/dh. Private to core.
//
// The functions are computed in float and rounded to bfloat16 (to nearest even, NaN kept), so a
// value is within one bfloat16 rounding of the exact function: tanh, the logistic sigmoid and SELU
// use an exponential accurate to about 1e-7 and, near 0, their Taylor series, far finer than the
// 2^-9 of a bfloat16 rounding. The moments and counts are those of the rounded values, exactly
// what scanValues would find in them. Where the CPU has AVX2 eight values go at a time; the plain
// loop (portable) does the same float operations in the same order and gives the same bits.

#include "initlab/initscheme.h"
#include "layervalues.h"

#include <cstdint>

namespace initlab {

// h holds n bfloat16 pre-activations; on return a = phi(h). Adds the outputs to `moments`.
ChunkCounts activateAndScanBf16(std::uint16_t* h, std::int64_t n, Activation activation,
                                const SaturationTest& saturation, Moments& moments, bool portable = false);

// grad holds dL/da on entry and dL/dh = dL/da * phi'(h) on return, the derivative written in terms
// of the layer's output a (n bfloat16 values). Adds dL/dh to `moments`.
ChunkCounts backwardAndScanBf16(std::uint16_t* grad, const std::uint16_t* output, std::int64_t n,
                                Activation activation, Moments& moments, bool portable = false);

// One value through the plain path (for tests): phi(x) and dL/da * phi'(a), before rounding.
float activationValue(float x, Activation activation);
float derivativeValue(float grad, float output, Activation activation);

} // namespace initlab

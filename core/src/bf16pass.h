#pragma once
// The element-wise work of a bf16 deep run, each in one pass over values that stay in cache: the
// activation applied to a layer's bfloat16 products together with the scan of its moments and
// counts, and the activation's derivative applied to a bfloat16 gradient together with the scan of
// dL/dh. Private to core.
//
// The functions are computed in float and rounded to bfloat16 (to nearest even, NaN kept), so a
// value is within one bfloat16 rounding of the exact function: tanh, the logistic sigmoid and SELU
// use an exponential accurate to about 1e-7 and, near 0, their Taylor series, far finer than the
// 2^-9 of a bfloat16 rounding. The moments and counts are those of the rounded values (the counts
// exactly what scanValues finds in them, the sums to rounding: they are added block by block). Where
// the CPU has AVX-512 sixteen values go at a time, with AVX2 eight; the plain loop does the same float
// operations in the same order and gives the same bits.

#include "initlab/initscheme.h"
#include "layervalues.h"

#include <cstdint>

namespace initlab {

// Which loop does the work: the widest the CPU has (AVX-512, else AVX2, else plain), AVX2 (where the
// CPU has it), or the plain loop. All give the same bits; tests compare them.
enum class Bf16Path { Best, Avx2, Plain };

// h holds n bfloat16 pre-activations; on return a = phi(h). Adds the outputs to `moments`.
ChunkCounts activateAndScanBf16(std::uint16_t* h, std::int64_t n, Activation activation,
                                const SaturationTest& saturation, Moments& moments, Bf16Path path = Bf16Path::Best);

// grad holds dL/da on entry and dL/dh = dL/da * phi'(h) on return, the derivative written in terms
// of the layer's output a (n bfloat16 values). Adds dL/dh to `moments`.
ChunkCounts backwardAndScanBf16(std::uint16_t* grad, const std::uint16_t* output, std::int64_t n,
                                Activation activation, Moments& moments, Bf16Path path = Bf16Path::Best);

// One value through the plain path (for tests): phi(x) and dL/da * phi'(a), before rounding.
float activationValue(float x, Activation activation);
float derivativeValue(float grad, float output, Activation activation);

} // namespace initlab

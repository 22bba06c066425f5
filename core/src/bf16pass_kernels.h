#pragma once
// The element-wise functions of bf16pass.cpp written once over a set of operations: Ops is
// ScalarOps (one float) or, in bf16pass_avx2.cpp and bf16pass_avx512.cpp, eight floats on AVX2 or
// sixteen on AVX-512. All do the same IEEE float operations in the same order (no fused multiply-add),
// so all give the same bits. Included by those files and bf16pass.cpp only.

#include "initlab/initscheme.h"

#include <cstdint>
#include <cstring>

namespace initlab::bf16pass {

inline constexpr std::int64_t kBlock = 4096; // values per block: 8 KB of bfloat16, within L1

inline float widen(std::uint16_t bits)
{
    const std::uint32_t wide = std::uint32_t(bits) << 16;
    float x;
    std::memcpy(&x, &wide, sizeof x);
    return x;
}

// Round to nearest even; NaN becomes the quiet NaN 0x7FC0, as c10::BFloat16 does.
inline std::uint16_t narrow(float x)
{
    if (x != x)
        return 0x7FC0;
    std::uint32_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    return static_cast<std::uint16_t>((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
}

struct ScalarOps {
    using V = float;
    using M = bool;
    static constexpr int kWidth = 1;

    static V load(const std::uint16_t* p) { return widen(*p); }
    static void store(std::uint16_t* p, V v) { *p = narrow(v); }
    static V set(float c) { return c; }
    static V add(V a, V b) { return a + b; }
    static V sub(V a, V b) { return a - b; }
    static V mul(V a, V b) { return a * b; }
    static V div(V a, V b) { return a / b; }
    static M gt(V a, V b) { return a > b; }
    static M lt(V a, V b) { return a < b; }
    static M le(V a, V b) { return a <= b; }
    static M isNan(V a) { return a != a; }
    static V select(M m, V a, V b) { return m ? a : b; }
    static V abs(V a)
    {
        std::uint32_t bits;
        std::memcpy(&bits, &a, sizeof bits);
        bits &= 0x7FFFFFFFu;
        std::memcpy(&a, &bits, sizeof a);
        return a;
    }
    // The magnitude of m with the sign of s.
    static V copySign(V m, V s)
    {
        std::uint32_t mb, sb;
        std::memcpy(&mb, &m, sizeof mb);
        std::memcpy(&sb, &s, sizeof sb);
        mb = (mb & 0x7FFFFFFFu) | (sb & 0x80000000u);
        std::memcpy(&m, &mb, sizeof m);
        return m;
    }
    // Round to the nearest integer, ties to even, for |x| < 2^22 (no libm: the build targets plain x86-64).
    static V roundInt(V x)
    {
        const float m = 12582912.0f; // 1.5 * 2^23 (IEEE arithmetic: (x + m) - m is not folded to x)
        return (x + m) - m;
    }
    // 2^n for a whole number n in [-126, 127].
    static V pow2(V n)
    {
        const std::uint32_t bits = std::uint32_t(static_cast<std::int32_t>(n) + 127) << 23;
        float x;
        std::memcpy(&x, &bits, sizeof x);
        return x;
    }
};

// e^x to about 1e-7 relative (Cephes' expf polynomial); x is clamped to [-87, 88].
template <class O>
inline typename O::V expApprox(typename O::V x)
{
    x = O::select(O::gt(x, O::set(88.0f)), O::set(88.0f), x);
    x = O::select(O::lt(x, O::set(-87.0f)), O::set(-87.0f), x);
    const auto n = O::roundInt(O::mul(x, O::set(1.44269504088896341f)));
    const auto r = O::sub(O::sub(x, O::mul(n, O::set(0.693359375f))), O::mul(n, O::set(-2.12194440e-4f)));
    auto y = O::set(1.9875691500e-4f);
    y = O::add(O::mul(y, r), O::set(1.3981999507e-3f));
    y = O::add(O::mul(y, r), O::set(8.3334519073e-3f));
    y = O::add(O::mul(y, r), O::set(4.1665795894e-2f));
    y = O::add(O::mul(y, r), O::set(1.6666665459e-1f));
    y = O::add(O::mul(y, r), O::set(5.0000001201e-1f));
    y = O::add(O::add(O::mul(O::mul(y, r), r), r), O::set(1.0f));
    return O::mul(y, O::pow2(n));
}

inline constexpr float kSeluScale = 1.0507009873554804934193349852946f;
inline constexpr float kSeluScaleAlpha = 1.0507009873554804934193349852946f * 1.6732632423543772848170429916717f;
inline constexpr float kSmall = 0.0625f; // below this |x|, the Taylor series (no cancellation)

template <class O>
inline typename O::V activate(typename O::V x, Activation activation)
{
    using V = typename O::V;
    V r = x;
    switch (activation) {
    case Activation::Tanh: {
        // x - x^3/3 + 2x^5/15 - 17x^7/315 near 0; else (1 - e^-2|x|) / (1 + e^-2|x|) with x's sign.
        const V x2 = O::mul(x, x);
        V series = O::add(O::mul(O::set(-17.0f / 315.0f), x2), O::set(2.0f / 15.0f));
        series = O::add(O::mul(series, x2), O::set(-1.0f / 3.0f));
        series = O::add(O::mul(O::mul(series, x2), x), x);
        const V ax = O::abs(x);
        const V t = expApprox<O>(O::mul(ax, O::set(-2.0f)));
        const V far = O::copySign(O::div(O::sub(O::set(1.0f), t), O::add(O::set(1.0f), t)), x);
        r = O::select(O::lt(ax, O::set(kSmall)), series, far);
        break;
    }
    case Activation::Sigmoid:
        r = O::div(O::set(1.0f), O::add(O::set(1.0f), expApprox<O>(O::sub(O::set(0.0f), x))));
        break;
    case Activation::Relu:
        r = O::select(O::gt(x, O::set(0.0f)), x, O::set(0.0f));
        break;
    case Activation::LeakyRelu:
        r = O::select(O::gt(x, O::set(0.0f)), x, O::mul(x, O::set(float(kLeakyReluSlope))));
        break;
    case Activation::Linear:
        return x;
    case Activation::Selu: {
        // e^x - 1 as its series x + x^2/2 + x^3/6 + x^4/24 + x^5/120 near 0.
        V series = O::add(O::mul(O::set(1.0f / 120.0f), x), O::set(1.0f / 24.0f));
        series = O::add(O::mul(series, x), O::set(1.0f / 6.0f));
        series = O::add(O::mul(series, x), O::set(0.5f));
        series = O::add(O::mul(O::mul(series, x), x), x);
        const V far = O::sub(expApprox<O>(x), O::set(1.0f));
        const V expm1 = O::select(O::gt(x, O::set(-kSmall)), series, far);
        r = O::select(O::gt(x, O::set(0.0f)), O::mul(x, O::set(kSeluScale)), O::mul(expm1, O::set(kSeluScaleAlpha)));
        break;
    }
    }
    return O::select(O::isNan(x), x, r); // NaN stays NaN
}

template <class O>
inline typename O::V derivative(typename O::V g, typename O::V a, Activation activation)
{
    switch (activation) {
    case Activation::Tanh:
        return O::mul(g, O::sub(O::set(1.0f), O::mul(a, a)));
    case Activation::Sigmoid:
        return O::mul(O::mul(g, O::sub(O::set(1.0f), a)), a);
    case Activation::Relu:
        return O::select(O::le(a, O::set(0.0f)), O::set(0.0f), g);
    case Activation::LeakyRelu:
        return O::select(O::gt(a, O::set(0.0f)), g, O::mul(g, O::set(float(kLeakyReluSlope))));
    case Activation::Linear:
        return g;
    case Activation::Selu:
        return O::select(O::gt(a, O::set(0.0f)), O::mul(g, O::set(kSeluScale)),
                         O::mul(g, O::add(a, O::set(kSeluScaleAlpha))));
    }
    return g;
}

// The activation over h[begin, end), Ops::kWidth at a time, the rest one at a time; one loop per
// activation, so the choice is made once, outside it.
template <class O, Activation A>
inline void activateLoop(std::uint16_t* h, std::int64_t begin, std::int64_t end)
{
    std::int64_t i = begin;
    for (; i + O::kWidth <= end; i += O::kWidth)
        O::store(h + i, activate<O>(O::load(h + i), A));
    for (; i < end; ++i)
        ScalarOps::store(h + i, activate<ScalarOps>(ScalarOps::load(h + i), A));
}

template <class O, Activation A>
inline void backwardLoop(std::uint16_t* grad, const std::uint16_t* output, std::int64_t begin, std::int64_t end)
{
    std::int64_t i = begin;
    for (; i + O::kWidth <= end; i += O::kWidth)
        O::store(grad + i, derivative<O>(O::load(grad + i), O::load(output + i), A));
    for (; i < end; ++i)
        ScalarOps::store(grad + i, derivative<ScalarOps>(ScalarOps::load(grad + i), ScalarOps::load(output + i), A));
}

template <class O>
inline void activateRange(std::uint16_t* h, std::int64_t begin, std::int64_t end, Activation activation)
{
    switch (activation) {
    case Activation::Tanh:
        return activateLoop<O, Activation::Tanh>(h, begin, end);
    case Activation::Relu:
        return activateLoop<O, Activation::Relu>(h, begin, end);
    case Activation::Sigmoid:
        return activateLoop<O, Activation::Sigmoid>(h, begin, end);
    case Activation::Linear:
        return activateLoop<O, Activation::Linear>(h, begin, end);
    case Activation::LeakyRelu:
        return activateLoop<O, Activation::LeakyRelu>(h, begin, end);
    case Activation::Selu:
        return activateLoop<O, Activation::Selu>(h, begin, end);
    }
}

template <class O>
inline void backwardRange(std::uint16_t* grad, const std::uint16_t* output, std::int64_t begin, std::int64_t end,
                          Activation activation)
{
    switch (activation) {
    case Activation::Tanh:
        return backwardLoop<O, Activation::Tanh>(grad, output, begin, end);
    case Activation::Relu:
        return backwardLoop<O, Activation::Relu>(grad, output, begin, end);
    case Activation::Sigmoid:
        return backwardLoop<O, Activation::Sigmoid>(grad, output, begin, end);
    case Activation::Linear:
        return backwardLoop<O, Activation::Linear>(grad, output, begin, end);
    case Activation::LeakyRelu:
        return backwardLoop<O, Activation::LeakyRelu>(grad, output, begin, end);
    case Activation::Selu:
        return backwardLoop<O, Activation::Selu>(grad, output, begin, end);
    }
}

// Defined in bf16pass_avx2.cpp and bf16pass_avx512.cpp (each compiled for its instruction set);
// call only where the CPU has it.
void activateRangeAvx2(std::uint16_t* h, std::int64_t begin, std::int64_t end, Activation activation);
void backwardRangeAvx2(std::uint16_t* grad, const std::uint16_t* output, std::int64_t begin, std::int64_t end,
                       Activation activation);
void activateRangeAvx512(std::uint16_t* h, std::int64_t begin, std::int64_t end, Activation activation);
void backwardRangeAvx512(std::uint16_t* grad, const std::uint16_t* output, std::int64_t begin, std::int64_t end,
                         Activation activation);

} // namespace initlab::bf16pass

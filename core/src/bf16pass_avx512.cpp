// The AVX-512 instantiation of bf16pass_kernels.h: sixteen values at a time. This file alone is
// compiled with -mavx512f (without FMA, so every multiply and add rounds as in the plain loop);
// bf16pass.cpp calls it only where the CPU has AVX-512F.

#include "bf16pass_kernels.h"

// GCC 12's AVX-512 intrinsics warn falsely that their own pass-through operand may be uninitialized
// (GCC bug 105593).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

namespace initlab::bf16pass {
namespace {

struct Avx512Ops {
    using V = __m512;
    using M = __mmask16;
    static constexpr int kWidth = 16;

    static V load(const std::uint16_t* p)
    {
        const __m512i bits = _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
        return _mm512_castsi512_ps(_mm512_slli_epi32(bits, 16));
    }
    static void store(std::uint16_t* p, V v)
    {
        const __m512i bits = _mm512_castps_si512(v);
        const __m512i lsb = _mm512_and_si512(_mm512_srli_epi32(bits, 16), _mm512_set1_epi32(1));
        __m512i rounded = _mm512_srli_epi32(_mm512_add_epi32(_mm512_add_epi32(bits, _mm512_set1_epi32(0x7FFF)), lsb), 16);
        rounded = _mm512_mask_blend_epi32(_mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q), rounded, _mm512_set1_epi32(0x7FC0));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), _mm512_cvtepi32_epi16(rounded)); // values fit: truncation
    }
    static V set(float c) { return _mm512_set1_ps(c); }
    static V add(V a, V b) { return _mm512_add_ps(a, b); }
    static V sub(V a, V b) { return _mm512_sub_ps(a, b); }
    static V mul(V a, V b) { return _mm512_mul_ps(a, b); }
    static V div(V a, V b) { return _mm512_div_ps(a, b); }
    static M gt(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
    static M lt(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
    static M le(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_LE_OQ); }
    static M isNan(V a) { return _mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q); }
    static V select(M m, V a, V b) { return _mm512_mask_blend_ps(m, b, a); }
    static V abs(V a)
    {
        return _mm512_castsi512_ps(_mm512_and_si512(_mm512_castps_si512(a), _mm512_set1_epi32(0x7FFFFFFF)));
    }
    static V copySign(V m, V s)
    {
        const __m512i magnitude = _mm512_and_si512(_mm512_castps_si512(m), _mm512_set1_epi32(0x7FFFFFFF));
        const __m512i sign = _mm512_and_si512(_mm512_castps_si512(s), _mm512_set1_epi32(int(0x80000000u)));
        return _mm512_castsi512_ps(_mm512_or_si512(magnitude, sign));
    }
    static V roundInt(V x)
    {
        const __m512 m = _mm512_set1_ps(12582912.0f);
        return _mm512_sub_ps(_mm512_add_ps(x, m), m);
    }
    static V pow2(V n)
    {
        const __m512i e = _mm512_add_epi32(_mm512_cvttps_epi32(n), _mm512_set1_epi32(127));
        return _mm512_castsi512_ps(_mm512_slli_epi32(e, 23));
    }
};

} // namespace

void activateRangeAvx512(std::uint16_t* h, std::int64_t begin, std::int64_t end, Activation activation)
{
    activateRange<Avx512Ops>(h, begin, end, activation);
}

void backwardRangeAvx512(std::uint16_t* grad, const std::uint16_t* output, std::int64_t begin, std::int64_t end,
                         Activation activation)
{
    backwardRange<Avx512Ops>(grad, output, begin, end, activation);
}

} // namespace initlab::bf16pass

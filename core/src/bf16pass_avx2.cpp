// The AVX2 instantiation of bf16pass_kernels.h. This file alone is compiled with -mavx2 (and
// without FMA, so every multiply and add rounds as in the plain loop); bf16pass.cpp calls it only
// where the CPU has AVX2.

#include "bf16pass_kernels.h"

#include <immintrin.h>

namespace initlab::bf16pass {
namespace {

struct Avx2Ops {
    using V = __m256;
    using M = __m256;
    static constexpr int kWidth = 8;

    static V load(const std::uint16_t* p)
    {
        const __m256i bits = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
        return _mm256_castsi256_ps(_mm256_slli_epi32(bits, 16));
    }
    static void store(std::uint16_t* p, V v)
    {
        const __m256i bits = _mm256_castps_si256(v);
        const __m256i lsb = _mm256_and_si256(_mm256_srli_epi32(bits, 16), _mm256_set1_epi32(1));
        __m256i rounded = _mm256_srli_epi32(_mm256_add_epi32(_mm256_add_epi32(bits, _mm256_set1_epi32(0x7FFF)), lsb), 16);
        const __m256i nan = _mm256_castps_si256(_mm256_cmp_ps(v, v, _CMP_UNORD_Q));
        rounded = _mm256_blendv_epi8(rounded, _mm256_set1_epi32(0x7FC0), nan);
        // Pack the eight 32-bit lanes into eight 16-bit values: packus works within each 128-bit half,
        // then the two halves' first quadwords are brought together.
        const __m256i packed = _mm256_permute4x64_epi64(_mm256_packus_epi32(rounded, rounded), 0x08);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(p), _mm256_castsi256_si128(packed));
    }
    static V set(float c) { return _mm256_set1_ps(c); }
    static V add(V a, V b) { return _mm256_add_ps(a, b); }
    static V sub(V a, V b) { return _mm256_sub_ps(a, b); }
    static V mul(V a, V b) { return _mm256_mul_ps(a, b); }
    static V div(V a, V b) { return _mm256_div_ps(a, b); }
    static M gt(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
    static M lt(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
    static M le(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_LE_OQ); }
    static M isNan(V a) { return _mm256_cmp_ps(a, a, _CMP_UNORD_Q); }
    static V select(M m, V a, V b) { return _mm256_blendv_ps(b, a, m); }
    static V abs(V a) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a); }
    static V copySign(V m, V s)
    {
        const __m256 sign = _mm256_set1_ps(-0.0f);
        return _mm256_or_ps(_mm256_andnot_ps(sign, m), _mm256_and_ps(sign, s));
    }
    static V roundInt(V x)
    {
        const __m256 m = _mm256_set1_ps(12582912.0f);
        return _mm256_sub_ps(_mm256_add_ps(x, m), m);
    }
    static V pow2(V n)
    {
        const __m256i e = _mm256_add_epi32(_mm256_cvttps_epi32(n), _mm256_set1_epi32(127));
        return _mm256_castsi256_ps(_mm256_slli_epi32(e, 23));
    }
};

} // namespace

void activateRangeAvx2(std::uint16_t* h, std::int64_t begin, std::int64_t end, Activation activation)
{
    activateRange<Avx2Ops>(h, begin, end, activation);
}

void backwardRangeAvx2(std::uint16_t* grad, const std::uint16_t* output, std::int64_t begin, std::int64_t end,
                       Activation activation)
{
    backwardRange<Avx2Ops>(grad, output, begin, end, activation);
}

} // namespace initlab::bf16pass

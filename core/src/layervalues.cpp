#include "layervalues.h"

#include <ATen/Parallel.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>

namespace initlab {

void Moments::merge(double partCount, double partMean, double partM2)
{
    if (partCount <= 0.0)
        return;
    const double total = count + partCount;
    const double delta = partMean - mean;
    mean += delta * partCount / total;
    m2 += partM2 + delta * delta * count * partCount / total;
    count = total;
}

double Moments::std() const
{
    return count > 1 ? std::sqrt(m2 / (count - 1)) : 0.0;
}

double Moments::rms() const
{
    return count > 0 ? std::sqrt(m2 / count + mean * mean) : 0.0;
}

SaturationTest SaturationTest::forActivation(Activation activation)
{
    // The derivative written in terms of the output a, below kSaturationShare of its maximum.
    switch (activation) {
    case Activation::Tanh: // 1 - a^2 < 0.05  <=>  a^2 > 0.95
        return {Kind::AbsAbove, static_cast<float>(1.0 - kSaturationShare)};
    case Activation::Sigmoid: // a (1 - a) < 0.05 * 1/4
        return {Kind::LogisticBelow, static_cast<float>(kSaturationShare * 0.25)};
    case Activation::Relu: // derivative 0 where a == 0 (h <= 0), else 1
        return {Kind::BelowOrEqual, 0.0f};
    case Activation::LeakyRelu: // 0.01 < 0.05 where h < 0, i.e. a < 0
        return {Kind::Below, 0.0f};
    case Activation::Selu: {
        // For h < 0 the derivative is scale*alpha*e^h = a + scale*alpha, and scale*alpha (at h -> 0-)
        // is its largest value: saturated where a + scale*alpha < 0.05 * scale*alpha.
        constexpr double scaleAlpha = 1.0507009873554804934193349852946 * 1.6732632423543772848170429916717;
        return {Kind::Below, static_cast<float>((kSaturationShare - 1.0) * scaleAlpha)};
    }
    case Activation::Linear:
        break;
    }
    return {Kind::Never, 0.0f};
}

namespace {

// A value as float: floats as they are, bfloat16 (its 16 raw bits) widened exactly.
inline float toFloat(float x)
{
    return x;
}

inline float toFloat(std::uint16_t bits)
{
    const std::uint32_t wide = std::uint32_t(bits) << 16;
    float x;
    std::memcpy(&x, &wide, sizeof x);
    return x;
}

#if defined(__x86_64__)
// Four and eight values as floats, on SSE and AVX2 registers.
__attribute__((target("avx2"))) inline __m128 load4(const float* p)
{
    return _mm_loadu_ps(p);
}

__attribute__((target("avx2"))) inline __m128 load4(const std::uint16_t* p)
{
    const __m128i bits = _mm_cvtepu16_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)));
    return _mm_castsi128_ps(_mm_slli_epi32(bits, 16));
}

__attribute__((target("avx2"))) inline __m256 load8(const float* p)
{
    return _mm256_loadu_ps(p);
}

__attribute__((target("avx2"))) inline __m256 load8(const std::uint16_t* p)
{
    const __m256i bits = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    return _mm256_castsi256_ps(_mm256_slli_epi32(bits, 16));
}
#endif

template <SaturationTest::Kind kind>
inline bool isSaturated(float x, float threshold)
{
    using Kind = SaturationTest::Kind;
    if constexpr (kind == Kind::AbsAbove)
        return x * x > threshold;
    else if constexpr (kind == Kind::Below)
        return x < threshold;
    else if constexpr (kind == Kind::BelowOrEqual)
        return x <= threshold;
    else if constexpr (kind == Kind::LogisticBelow)
        return x * (1.0f - x) < threshold;
    else
        return false;
}

// Sums around a shift (the chunk's first value) in double, so a large mean does not cancel a small
// spread; four independent lanes of every sum and count keep the adds from waiting on each other
// and let the compiler put the lanes side by side in one vector register (AVX2: four doubles).
template <SaturationTest::Kind kind, typename Value>
inline ScanSums scanRange(const Value* data, std::int64_t begin, std::int64_t end, double shift, float threshold)
{
    double a1[4] = {0, 0, 0, 0};
    double a2[4] = {0, 0, 0, 0};
    std::int64_t nans[4] = {0, 0, 0, 0};
    std::int64_t zeros[4] = {0, 0, 0, 0};
    std::int64_t saturated[4] = {0, 0, 0, 0};
    float maxAbs[4] = {0, 0, 0, 0};
    const auto one = [&](float x, int k) {
        nans[k] += x != x;
        const double d = double(x) - shift;
        a1[k] += d;
        a2[k] += d * d;
        zeros[k] += x == 0.0f;
        saturated[k] += isSaturated<kind>(x, threshold);
        const float ax = std::fabs(x);
        maxAbs[k] = ax <= FLT_MAX && ax > maxAbs[k] ? ax : maxAbs[k]; // NaN and inf compare false
    };
    std::int64_t i = begin;
    for (; i + 4 <= end; i += 4)
        for (int k = 0; k < 4; ++k)
            one(toFloat(data[i + k]), k);
    for (; i < end; ++i)
        one(toFloat(data[i]), 0);
    return {(a1[0] + a1[1]) + (a1[2] + a1[3]),
            (a2[0] + a2[1]) + (a2[2] + a2[3]),
            (nans[0] + nans[1]) + (nans[2] + nans[3]),
            (zeros[0] + zeros[1]) + (zeros[2] + zeros[3]),
            (saturated[0] + saturated[1]) + (saturated[2] + saturated[3]),
            std::max(std::max(maxAbs[0], maxAbs[1]), std::max(maxAbs[2], maxAbs[3]))};
}

#if defined(__x86_64__)
// The same sums on AVX2: four floats at a time widened to four doubles, lane k taking the values at
// i = k (mod 4) in order, with a separate multiply and add as the plain loop does, so the sums are
// bit for bit those of scanRange. The counts are 32-bit lanes (a task covers far fewer than 2^31
// values per lane).
template <SaturationTest::Kind kind, typename Value>
__attribute__((target("avx2"))) ScanSums scanRangeAvx2(const Value* data, std::int64_t begin, std::int64_t end,
                                                           double shift, float threshold)
{
    using Kind = SaturationTest::Kind;
    __m256d a1 = _mm256_setzero_pd();
    __m256d a2 = _mm256_setzero_pd();
    __m128i nans = _mm_setzero_si128();
    __m128i zeros = _mm_setzero_si128();
    __m128i saturated = _mm_setzero_si128();
    __m128 maxAbs = _mm_setzero_ps();
    const __m256d shiftV = _mm256_set1_pd(shift);
    const __m128 t = _mm_set1_ps(threshold);
    const __m128 zero = _mm_setzero_ps();
    const __m128 one = _mm_set1_ps(1.0f);
    const __m128 largest = _mm_set1_ps(FLT_MAX);
    const __m128 signBit = _mm_set1_ps(-0.0f);
    std::int64_t i = begin;
    for (; i + 4 <= end; i += 4) {
        const __m128 x = load4(data + i);
        const __m256d d = _mm256_sub_pd(_mm256_cvtps_pd(x), shiftV);
        a1 = _mm256_add_pd(a1, d);
        a2 = _mm256_add_pd(a2, _mm256_mul_pd(d, d));
        // A true comparison is all ones, -1 as an integer: subtracting it counts.
        nans = _mm_sub_epi32(nans, _mm_castps_si128(_mm_cmp_ps(x, x, _CMP_UNORD_Q)));
        zeros = _mm_sub_epi32(zeros, _mm_castps_si128(_mm_cmp_ps(x, zero, _CMP_EQ_OQ)));
        __m128 sat = zero;
        if constexpr (kind == Kind::AbsAbove)
            sat = _mm_cmp_ps(_mm_mul_ps(x, x), t, _CMP_GT_OQ);
        else if constexpr (kind == Kind::Below)
            sat = _mm_cmp_ps(x, t, _CMP_LT_OQ);
        else if constexpr (kind == Kind::BelowOrEqual)
            sat = _mm_cmp_ps(x, t, _CMP_LE_OQ);
        else if constexpr (kind == Kind::LogisticBelow)
            sat = _mm_cmp_ps(_mm_mul_ps(x, _mm_sub_ps(one, x)), t, _CMP_LT_OQ);
        saturated = _mm_sub_epi32(saturated, _mm_castps_si128(sat));
        const __m128 ax = _mm_andnot_ps(signBit, x);
        const __m128 take = _mm_and_ps(_mm_cmp_ps(ax, largest, _CMP_LE_OQ), _mm_cmp_ps(ax, maxAbs, _CMP_GT_OQ));
        maxAbs = _mm_blendv_ps(maxAbs, ax, take);
    }
    alignas(32) double s1[4], s2[4];
    alignas(16) std::int32_t n[4], z[4], sa[4];
    alignas(16) float m[4];
    _mm256_store_pd(s1, a1);
    _mm256_store_pd(s2, a2);
    _mm_store_si128(reinterpret_cast<__m128i*>(n), nans);
    _mm_store_si128(reinterpret_cast<__m128i*>(z), zeros);
    _mm_store_si128(reinterpret_cast<__m128i*>(sa), saturated);
    _mm_store_ps(m, maxAbs);
    // The tail goes to lane 0 one value at a time, as in the plain loop.
    for (; i < end; ++i) {
        const float x = toFloat(data[i]);
        const double d = double(x) - shift;
        s1[0] += d;
        s2[0] += d * d;
        n[0] += x != x;
        z[0] += x == 0.0f;
        sa[0] += isSaturated<kind>(x, threshold);
        const float ax = std::fabs(x);
        m[0] = ax <= FLT_MAX && ax > m[0] ? ax : m[0];
    }
    return {(s1[0] + s1[1]) + (s1[2] + s1[3]),
            (s2[0] + s2[1]) + (s2[2] + s2[3]),
            std::int64_t(n[0]) + n[1] + n[2] + n[3],
            std::int64_t(z[0]) + z[1] + z[2] + z[3],
            std::int64_t(sa[0]) + sa[1] + sa[2] + sa[3],
            std::max(std::max(m[0], m[1]), std::max(m[2], m[3]))};
}
#endif

template <SaturationTest::Kind kind, typename Value>
ScanSums scanKind(const Value* data, std::int64_t begin, std::int64_t end, double shift, float threshold,
                     bool portable)
{
#if defined(__x86_64__)
    static const bool avx2 = __builtin_cpu_supports("avx2");
    if (avx2 && !portable)
        return scanRangeAvx2<kind, Value>(data, begin, end, shift, threshold);
#endif
    return scanRange<kind, Value>(data, begin, end, shift, threshold);
}

template <SaturationTest::Kind kind, typename Value>
ScanSums scanAll(const Value* data, std::int64_t n, double shift, float threshold, bool portable)
{
    return at::parallel_reduce(
        std::int64_t(0), n, std::int64_t(1) << 16, ScanSums{},
        [&](std::int64_t begin, std::int64_t end, ScanSums partial) {
            partial.add(scanKind<kind, Value>(data, begin, end, shift, threshold, portable));
            return partial;
        },
        [](ScanSums x, const ScanSums& y) {
            x.add(y);
            return x;
        });
}

} // namespace

namespace {

template <typename Value>
ChunkCounts scanValuesOf(const Value* data, std::int64_t n, const SaturationTest& saturation, Moments& moments,
                         bool portable)
{
    if (n <= 0)
        return {};
    using Kind = SaturationTest::Kind;
    const double shift = std::isfinite(toFloat(data[0])) ? toFloat(data[0]) : 0.0;
    const float t = saturation.threshold;
    ScanSums sums;
    switch (saturation.kind) {
    case Kind::Never:
        sums = scanAll<Kind::Never, Value>(data, n, shift, t, portable);
        break;
    case Kind::AbsAbove:
        sums = scanAll<Kind::AbsAbove, Value>(data, n, shift, t, portable);
        break;
    case Kind::Below:
        sums = scanAll<Kind::Below, Value>(data, n, shift, t, portable);
        break;
    case Kind::BelowOrEqual:
        sums = scanAll<Kind::BelowOrEqual, Value>(data, n, shift, t, portable);
        break;
    case Kind::LogisticBelow:
        sums = scanAll<Kind::LogisticBelow, Value>(data, n, shift, t, portable);
        break;
    }
    return finishScan(sums, n, shift, moments);
}

// Eight lanes instead of four, for the bf16 passes' blocks: lane k takes the values at
// i = k (mod 8) in order. The AVX-512 loop below does the same adds on eight doubles at a time and
// gives the same bits.
template <SaturationTest::Kind kind>
ScanSums scanWide(const std::uint16_t* data, std::int64_t begin, std::int64_t end, double shift, float threshold)
{
    double a1[8] = {};
    double a2[8] = {};
    std::int64_t nans = 0, zeros = 0, saturated = 0;
    float maxAbs = 0.0f;
    const auto one = [&](float x, int k) {
        nans += x != x;
        const double d = double(x) - shift;
        a1[k] += d;
        a2[k] += d * d;
        zeros += x == 0.0f;
        saturated += isSaturated<kind>(x, threshold);
        const float ax = std::fabs(x);
        maxAbs = ax <= FLT_MAX && ax > maxAbs ? ax : maxAbs;
    };
    std::int64_t i = begin;
    for (; i + 8 <= end; i += 8)
        for (int k = 0; k < 8; ++k)
            one(toFloat(data[i + k]), k);
    for (; i < end; ++i)
        one(toFloat(data[i]), 0);
    return {((a1[0] + a1[1]) + (a1[2] + a1[3])) + ((a1[4] + a1[5]) + (a1[6] + a1[7])),
            ((a2[0] + a2[1]) + (a2[2] + a2[3])) + ((a2[4] + a2[5]) + (a2[6] + a2[7])),
            nans, zeros, saturated, maxAbs};
}

#if defined(__x86_64__)
// GCC 12's AVX-512 intrinsics warn falsely about their own pass-through operand (GCC bug 105593).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
template <SaturationTest::Kind kind>
__attribute__((target("avx512f,avx2"))) ScanSums scanWideAvx512(const std::uint16_t* data, std::int64_t begin,
                                                                 std::int64_t end, double shift, float threshold)
{
    using Kind = SaturationTest::Kind;
    __m512d a1 = _mm512_setzero_pd();
    __m512d a2 = _mm512_setzero_pd();
    __m256i nans = _mm256_setzero_si256();
    __m256i zeros = _mm256_setzero_si256();
    __m256i saturated = _mm256_setzero_si256();
    __m256 maxAbs = _mm256_setzero_ps();
    const __m512d shiftV = _mm512_set1_pd(shift);
    const __m256 t = _mm256_set1_ps(threshold);
    const __m256 zero = _mm256_setzero_ps();
    const __m256 one = _mm256_set1_ps(1.0f);
    const __m256 largest = _mm256_set1_ps(FLT_MAX);
    const __m256 signBit = _mm256_set1_ps(-0.0f);
    std::int64_t i = begin;
    for (; i + 8 <= end; i += 8) {
        const __m256 x = load8(data + i);
        const __m512d d = _mm512_sub_pd(_mm512_cvtps_pd(x), shiftV);
        a1 = _mm512_add_pd(a1, d);
        a2 = _mm512_add_pd(a2, _mm512_mul_pd(d, d));
        nans = _mm256_sub_epi32(nans, _mm256_castps_si256(_mm256_cmp_ps(x, x, _CMP_UNORD_Q)));
        zeros = _mm256_sub_epi32(zeros, _mm256_castps_si256(_mm256_cmp_ps(x, zero, _CMP_EQ_OQ)));
        __m256 sat = zero;
        if constexpr (kind == Kind::AbsAbove)
            sat = _mm256_cmp_ps(_mm256_mul_ps(x, x), t, _CMP_GT_OQ);
        else if constexpr (kind == Kind::Below)
            sat = _mm256_cmp_ps(x, t, _CMP_LT_OQ);
        else if constexpr (kind == Kind::BelowOrEqual)
            sat = _mm256_cmp_ps(x, t, _CMP_LE_OQ);
        else if constexpr (kind == Kind::LogisticBelow)
            sat = _mm256_cmp_ps(_mm256_mul_ps(x, _mm256_sub_ps(one, x)), t, _CMP_LT_OQ);
        saturated = _mm256_sub_epi32(saturated, _mm256_castps_si256(sat));
        const __m256 ax = _mm256_andnot_ps(signBit, x);
        const __m256 take = _mm256_and_ps(_mm256_cmp_ps(ax, largest, _CMP_LE_OQ), _mm256_cmp_ps(ax, maxAbs, _CMP_GT_OQ));
        maxAbs = _mm256_blendv_ps(maxAbs, ax, take);
    }
    alignas(64) double s1[8], s2[8];
    alignas(32) std::int32_t n[8], z[8], sa[8];
    alignas(32) float m[8];
    _mm512_store_pd(s1, a1);
    _mm512_store_pd(s2, a2);
    _mm256_store_si256(reinterpret_cast<__m256i*>(n), nans);
    _mm256_store_si256(reinterpret_cast<__m256i*>(z), zeros);
    _mm256_store_si256(reinterpret_cast<__m256i*>(sa), saturated);
    _mm256_store_ps(m, maxAbs);
    ScanSums out;
    float mx = 0.0f;
    for (int k = 0; k < 8; ++k) {
        out.nans += n[k];
        out.zeros += z[k];
        out.saturated += sa[k];
        mx = std::max(mx, m[k]);
    }
    for (; i < end; ++i) { // the tail into lane 0, as in the plain loop
        const float x = toFloat(data[i]);
        const double d = double(x) - shift;
        s1[0] += d;
        s2[0] += d * d;
        out.nans += x != x;
        out.zeros += x == 0.0f;
        out.saturated += isSaturated<kind>(x, threshold);
        const float ax = std::fabs(x);
        mx = ax <= FLT_MAX && ax > mx ? ax : mx;
    }
    out.s1 = ((s1[0] + s1[1]) + (s1[2] + s1[3])) + ((s1[4] + s1[5]) + (s1[6] + s1[7]));
    out.s2 = ((s2[0] + s2[1]) + (s2[2] + s2[3])) + ((s2[4] + s2[5]) + (s2[6] + s2[7]));
    out.maxAbs = mx;
    return out;
}
#pragma GCC diagnostic pop
#endif

template <SaturationTest::Kind kind>
ScanSums scanWideKind(const std::uint16_t* data, std::int64_t begin, std::int64_t end, double shift, float threshold,
                      bool portable)
{
#if defined(__x86_64__)
    static const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx2");
    if (avx512 && !portable)
        return scanWideAvx512<kind>(data, begin, end, shift, threshold);
#endif
    return scanWide<kind>(data, begin, end, shift, threshold);
}

} // namespace

void ScanSums::add(const ScanSums& other)
{
    s1 += other.s1;
    s2 += other.s2;
    nans += other.nans;
    zeros += other.zeros;
    saturated += other.saturated;
    maxAbs = std::max(maxAbs, other.maxAbs);
}

ScanSums scanBlock(const std::uint16_t* bf16, std::int64_t begin, std::int64_t end, double shift,
                   const SaturationTest& saturation, bool portable)
{
    using Kind = SaturationTest::Kind;
    const float t = saturation.threshold;
    switch (saturation.kind) {
    case Kind::Never:
        return scanWideKind<Kind::Never>(bf16, begin, end, shift, t, portable);
    case Kind::AbsAbove:
        return scanWideKind<Kind::AbsAbove>(bf16, begin, end, shift, t, portable);
    case Kind::Below:
        return scanWideKind<Kind::Below>(bf16, begin, end, shift, t, portable);
    case Kind::BelowOrEqual:
        return scanWideKind<Kind::BelowOrEqual>(bf16, begin, end, shift, t, portable);
    case Kind::LogisticBelow:
        return scanWideKind<Kind::LogisticBelow>(bf16, begin, end, shift, t, portable);
    }
    return {};
}

ChunkCounts finishScan(const ScanSums& sums, std::int64_t n, double shift, Moments& moments)
{
    if (n <= 0)
        return {};
    const double count = static_cast<double>(n);
    const double shiftedMean = sums.s1 / count;
    moments.merge(count, shift + shiftedMean, std::max(0.0, sums.s2 - sums.s1 * shiftedMean));
    return {sums.nans, sums.zeros, sums.saturated, sums.maxAbs};
}

ChunkCounts scanValues(const float* data, std::int64_t n, const SaturationTest& saturation, Moments& moments,
                       bool portable)
{
    return scanValuesOf(data, n, saturation, moments, portable);
}

ChunkCounts scanValues(const std::uint16_t* bf16, std::int64_t n, const SaturationTest& saturation, Moments& moments,
                       bool portable)
{
    return scanValuesOf(bf16, n, saturation, moments, portable);
}

HistogramAccumulator HistogramAccumulator::forActivation(Activation activation)
{
    HistogramAccumulator h;
    if (activation == Activation::Tanh || activation == Activation::Sigmoid) {
        h.m_fixed = true;
        h.m_low = activation == Activation::Tanh ? -1.0 : 0.0;
        h.m_high = 1.0;
        h.m_bins.assign(kHistogramBins, 0);
        return h;
    }
    return adaptive();
}

HistogramAccumulator HistogramAccumulator::adaptive()
{
    HistogramAccumulator h;
    h.m_bins.assign(kFineBins, 0);
    return h;
}

void HistogramAccumulator::growTo(int exponent)
{
    // Doubling R merges bins 2j and 2j+1 of the old grid into bin kFineBins/4 + j of the new one.
    while (m_exponent < exponent) {
        std::vector<std::int64_t> merged(kFineBins, 0);
        for (int i = 0; i < kFineBins; ++i)
            merged[kFineBins / 4 + i / 2] += m_bins[i];
        m_bins.swap(merged);
        ++m_exponent;
    }
}

namespace {

constexpr int kSmallestExponent = -100;

// Bins n floats in parallel into a table of binCount bins with a guard bin at each end: table[0]
// takes what lies below (and NaN), table[binCount + 1] what lies above. Value x falls in bin
// floor(x * scale) + offset (counting from 0); scale is a power of two, so x * scale is exact and the
// integer offset, added after the floor, cannot round either: the bin is exact. The floor is taken
// without libm (the build targets plain x86-64, where floorf and fmaxf are calls): truncate, then
// step down where that rounded up; the comparisons send NaN to the lower guard. Each thread counts
// into four interleaved tables of its own, so that runs of equal values (a ReLU layer's zeros) do
// not wait on one counter; the tables are added up into `table` at the end.
// The bin of one value, as described above.
struct BinIndex {
    float scale;
    float lowest;
    float highest;
    int offset;

    int operator()(float x) const
    {
        float t = x * scale;
        t = t > lowest ? t : lowest; // also NaN
        t = t < highest ? t : highest;
        int i = static_cast<int>(t); // truncation: the floor for t >= 0, one too high below
        i -= static_cast<float>(i) > t;
        return i + offset + 1;
    }
};

constexpr int kBinWays = 4;

// Counts data[begin, end) into bins (kBinWays interleaved tables of `size`).
template <typename Value>
void countRange(const Value* data, std::int64_t begin, std::int64_t end, const BinIndex& index, int size,
                std::uint32_t* bins)
{
    std::int64_t i = begin;
    for (; i + kBinWays <= end; i += kBinWays)
        for (int k = 0; k < kBinWays; ++k)
            ++bins[k * size + index(toFloat(data[i + k]))];
    for (; i < end; ++i)
        ++bins[index(toFloat(data[i]))];
}

#if defined(__x86_64__)
// The same with the bins of eight values computed side by side: the same float operations (max and
// min with the bound second, as the comparisons above choose it for NaN), so the same bins.
template <typename Value>
__attribute__((target("avx2"))) void countRangeAvx2(const Value* data, std::int64_t begin, std::int64_t end,
                                                    const BinIndex& index, int size, std::uint32_t* bins)
{
    const __m256 scale = _mm256_set1_ps(index.scale);
    const __m256 lowest = _mm256_set1_ps(index.lowest);
    const __m256 highest = _mm256_set1_ps(index.highest);
    const __m256i shift = _mm256_set1_epi32(index.offset + 1);
    alignas(32) std::int32_t bin[8];
    std::int64_t i = begin;
    for (; i + 8 <= end; i += 8) {
        __m256 t = _mm256_mul_ps(load8(data + i), scale);
        t = _mm256_max_ps(t, lowest); // NaN in t gives the second operand
        t = _mm256_min_ps(t, highest);
        __m256i truncated = _mm256_cvttps_epi32(t);
        const __m256 roundedUp = _mm256_cmp_ps(_mm256_cvtepi32_ps(truncated), t, _CMP_GT_OQ);
        truncated = _mm256_add_epi32(truncated, _mm256_castps_si256(roundedUp)); // -1 where it rounded up
        _mm256_store_si256(reinterpret_cast<__m256i*>(bin), _mm256_add_epi32(truncated, shift));
        for (int k = 0; k < 8; ++k)
            ++bins[(k % kBinWays) * size + bin[k]];
    }
    countRange(data, i, end, index, size, bins);
}
#endif

template <typename Value>
void binValues(const Value* data, std::int64_t n, int binCount, float scale, int offset, std::vector<std::int64_t>& table)
{
    const int size = binCount + 2;
    const BinIndex index{scale, float(-offset - 1), float(binCount - offset), offset};
    const int threads = std::max(1, at::get_num_threads());
    std::vector<std::vector<std::uint32_t>> partial(static_cast<std::size_t>(threads));
#if defined(__x86_64__)
    static const bool avx2 = __builtin_cpu_supports("avx2");
#endif
    // The 32-bit counters hold any chunk (a chunk has fewer than 2^32 values).
    at::parallel_for(std::int64_t(0), n, std::int64_t(1) << 16, [&](std::int64_t begin, std::int64_t end) {
        std::vector<std::uint32_t>& mine =
            partial[static_cast<std::size_t>(std::min(at::get_thread_num(), threads - 1))];
        if (mine.empty())
            mine.assign(static_cast<std::size_t>(size * kBinWays), 0);
#if defined(__x86_64__)
        if (avx2) {
            countRangeAvx2(data, begin, end, index, size, mine.data());
            return;
        }
#endif
        countRange(data, begin, end, index, size, mine.data());
    });
    for (const std::vector<std::uint32_t>& p : partial)
        for (std::size_t k = 0; k < p.size(); ++k)
            table[k % std::size_t(size)] += p[k];
}

} // namespace

void HistogramAccumulator::add(const float* data, std::int64_t n, const ChunkCounts& counts)
{
    addValues(data, n, counts);
}

void HistogramAccumulator::add(const std::uint16_t* bf16, std::int64_t n, const ChunkCounts& counts)
{
    addValues(bf16, n, counts);
}

template <typename Value>
void HistogramAccumulator::addValues(const Value* data, std::int64_t n, const ChunkCounts& counts)
{
    if (n <= 0)
        return;
    if (!m_fixed) {
        // Every finite value below R = 2^exponent: frexp gives maxAbs = m 2^e with m in [0.5, 1).
        // (At least 2^-100, so the grid's scale 2^(11 - exponent) stays a finite float.)
        int exponent = kSmallestExponent;
        if (counts.maxAbs > 0.0f)
            std::frexp(counts.maxAbs, &exponent);
        exponent = std::max(exponent, kSmallestExponent);
        if (!m_hasRange) {
            m_exponent = exponent;
            m_hasRange = true;
        }
        growTo(exponent);
    }
    const int binCount = int(m_bins.size());
    std::vector<std::int64_t> table(static_cast<std::size_t>(binCount + 2), 0);
    if (m_fixed) {
        // tanh and sigmoid outputs lie in [low, high] (bins of 1/32 and 1/64: powers of two); only
        // high itself (a saturated unit) reaches the upper guard bin, and it belongs to the last bin.
        const double scale = kHistogramBins / (m_high - m_low);
        binValues(data, n, binCount, float(scale), int(std::lround(-m_low * scale)), table);
        table[std::size_t(binCount)] += table[std::size_t(binCount + 1)];
        table[std::size_t(binCount + 1)] = 0;
    } else {
        // Fine bin i covers [-R + i w, -R + (i + 1) w) with w = 2R / kFineBins, so x goes to bin
        // floor(x kFineBins / 2R) + kFineBins / 2; every finite value lies within the grid, infinities
        // land in the guard bins.
        constexpr int half = kFineBins / 2;
        const float scale = std::ldexp(1.0f, std::ilogb(float(half)) - m_exponent);
        binValues(data, n, binCount, scale, half, table);
    }
    for (int b = 0; b < binCount; ++b)
        m_bins[static_cast<std::size_t>(b)] += table[static_cast<std::size_t>(b + 1)];
    m_below += table[0] - counts.nans; // NaN went to the lower guard bin
    m_above += table[static_cast<std::size_t>(binCount + 1)];
    m_nan += counts.nans;
}

Histogram HistogramAccumulator::finish(double rms) const
{
    Histogram h;
    h.below = m_below;
    h.above = m_above;
    h.nan = m_nan;
    if (m_fixed) {
        h.low = m_low;
        h.high = m_high;
        h.counts = m_bins;
        return h;
    }
    // The range: 32 bins of m fine bins on each side of 0, so +-m R / 64; the smallest m reaching
    // 4 rms, at most the whole grid (m = 64). With no finite spread (all zero, or infinite rms), the narrowest or the whole grid.
    constexpr int half = kFineBins / 2;
    constexpr int groups = kHistogramBins / 2;
    const double R = std::ldexp(1.0, m_exponent);
    int m = half / groups; // the whole grid
    if (std::isfinite(rms) && m_hasRange)
        m = static_cast<int>(std::clamp(std::ceil(4.0 * rms * half / (groups * R)), 1.0, double(half / groups)));
    const int first = half - groups * m;
    const int last = half + groups * m; // exclusive
    h.low = -R * (groups * m) / half;
    h.high = -h.low;
    h.counts.assign(kHistogramBins, 0);
    for (int i = 0; i < kFineBins; ++i) {
        const std::int64_t c = m_bins[static_cast<std::size_t>(i)];
        if (i < first)
            h.below += c;
        else if (i >= last)
            h.above += c;
        else
            h.counts[static_cast<std::size_t>((i - first) / m)] += c;
    }
    return h;
}

} // namespace initlab

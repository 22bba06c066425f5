#include "dropout_kernel.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace initlab {
namespace {

constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;
constexpr std::uint64_t kMix1 = 0xBF58476D1CE4E5B9ULL;
constexpr std::uint64_t kMix2 = 0x94D049BB133111EBULL;

inline std::uint64_t hash64(std::uint64_t z)
{
    z = (z ^ (z >> 30)) * kMix1;
    z = (z ^ (z >> 27)) * kMix2;
    return z ^ (z >> 31);
}

// What one call draws with: the stream's key, the threshold below which a uniform drops its
// element, and the survivors' scale.
struct Mask {
    std::uint64_t key = 0;
    std::uint32_t threshold = 0;
    float scale = 1.0f;
};

Mask maskOf(double p, std::uint64_t seed, std::uint64_t stream)
{
    Mask m;
    m.threshold = static_cast<std::uint32_t>(std::lround(p * 65536.0));
    m.scale = m.threshold >= 65536 ? 0.0f : static_cast<float>(65536.0 / (65536.0 - m.threshold));
    m.key = hash64(seed * kGolden + stream);
    return m;
}

// The counter of block b, whose hash holds the uniforms of elements 4b .. 4b + 3.
inline std::uint64_t blockCounter(const Mask& m, std::int64_t block)
{
    return m.key + kGolden * std::uint64_t(block);
}

template <bool Relu>
inline float kept(float x, float scale)
{
    if constexpr (Relu)
        x = x < 0.0f ? 0.0f : x; // ATen's relu_: -0 and NaN pass unchanged
    return x * scale;
}

// bfloat16 -> float, (ReLU,) scale, round to nearest even back to bfloat16; infinities and NaNs keep
// their bits.
template <bool Relu>
inline std::uint16_t keptBf16(std::uint16_t raw, float scale)
{
    std::uint32_t bits = std::uint32_t(raw) << 16;
    float value;
    std::memcpy(&value, &bits, sizeof value);
    value = kept<Relu>(value, scale);
    std::memcpy(&bits, &value, sizeof bits);
    const std::uint32_t rounded = (bits & 0x7F800000u) != 0x7F800000u ? bits + 0x7FFFu + ((bits >> 16) & 1u) : bits;
    return static_cast<std::uint16_t>(rounded >> 16);
}

// All ones when uniform u keeps its element, else zero: the plain loops select with it rather than
// branch, which at p = 0.5 would mispredict every other element.
inline std::uint32_t keepMask(std::uint32_t u, const Mask& m)
{
    return 0u - std::uint32_t(u >= m.threshold);
}

// The reference every vector path reproduces: one hash per block of four elements.
template <bool Relu>
void plainFloat(const float* src, float* dst, std::int64_t begin, std::int64_t end, const Mask& m)
{
    for (std::int64_t i = begin; i < end;) {
        const std::uint64_t bits = hash64(blockCounter(m, i >> 2));
        for (const std::int64_t stop = std::min(end, (i | 3) + 1); i < stop; ++i) {
            const std::uint32_t u = std::uint32_t(bits >> (16 * (i & 3))) & 0xFFFFu;
            const float value = kept<Relu>(src[i], m.scale);
            std::uint32_t out;
            std::memcpy(&out, &value, sizeof out);
            out &= keepMask(u, m);
            std::memcpy(dst + i, &out, sizeof out);
        }
    }
}

template <bool Relu>
void plainBf16(const std::uint16_t* src, std::uint16_t* dst, std::int64_t begin, std::int64_t end, const Mask& m)
{
    for (std::int64_t i = begin; i < end;) {
        const std::uint64_t bits = hash64(blockCounter(m, i >> 2));
        for (const std::int64_t stop = std::min(end, (i | 3) + 1); i < stop; ++i) {
            const std::uint32_t u = std::uint32_t(bits >> (16 * (i & 3))) & 0xFFFFu;
            dst[i] = static_cast<std::uint16_t>(keptBf16<Relu>(src[i], m.scale) & keepMask(u, m));
        }
    }
}

// The first element at or after begin that starts a block (but not past end).
inline std::int64_t blockStart(std::int64_t begin, std::int64_t end)
{
    return std::min(end, (begin + 3) & ~std::int64_t(3));
}

#if defined(__x86_64__)
// AVX-512: eight hashes at a time, whose 16-bit quarters, in memory order, are the uniforms of 32
// consecutive elements. The 64-bit multiply needs AVX512DQ.
#define INITLAB_AVX512 __attribute__((target("avx512f,avx512dq")))
// GCC 12's AVX-512 intrinsics start from a deliberately undefined vector, which -Wall reports as
// maybe uninitialized once inlined (GCC bug 105593).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

INITLAB_AVX512 inline __m512i hash8(__m512i z)
{
    z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 30)), _mm512_set1_epi64((long long)kMix1));
    z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 27)), _mm512_set1_epi64((long long)kMix2));
    return _mm512_xor_si512(z, _mm512_srli_epi64(z, 31));
}

INITLAB_AVX512 inline __m512i counters8(const Mask& m, std::int64_t firstBlock)
{
    alignas(64) std::uint64_t c[8];
    for (int j = 0; j < 8; ++j)
        c[j] = blockCounter(m, firstBlock + j);
    return _mm512_load_si512(c);
}

// Uniforms of elements 16 h .. 16 h + 15 of the 32 that the hashes cover, as 32-bit lanes.
template <int h>
INITLAB_AVX512 inline __m512i uniforms16(__m512i bits)
{
    return _mm512_cvtepu16_epi32(h == 0 ? _mm512_castsi512_si256(bits) : _mm512_extracti64x4_epi64(bits, 1));
}

template <bool Relu>
INITLAB_AVX512 inline __m512 keptFloat16(__m512 x, __m512 scale)
{
    if constexpr (Relu)
        x = _mm512_max_ps(_mm512_setzero_ps(), x); // 0 > x ? 0 : x, as the plain path
    return _mm512_mul_ps(x, scale);
}

template <bool Relu>
INITLAB_AVX512 void avx512Float(const float* src, float* dst, std::int64_t begin, std::int64_t end, const Mask& m)
{
    std::int64_t i = blockStart(begin, end);
    plainFloat<Relu>(src, dst, begin, i, m);
    __m512i counter = counters8(m, i >> 2);
    const __m512i step = _mm512_set1_epi64((long long)(kGolden * 8));
    const __m512i threshold = _mm512_set1_epi32(int(m.threshold));
    const __m512 scale = _mm512_set1_ps(m.scale);
    for (; i + 32 <= end; i += 32) {
        const __m512i bits = hash8(counter);
        counter = _mm512_add_epi64(counter, step);
        const __mmask16 keep0 = _mm512_cmpge_epu32_mask(uniforms16<0>(bits), threshold);
        const __mmask16 keep1 = _mm512_cmpge_epu32_mask(uniforms16<1>(bits), threshold);
        const __m512 x0 = keptFloat16<Relu>(_mm512_loadu_ps(src + i), scale);
        const __m512 x1 = keptFloat16<Relu>(_mm512_loadu_ps(src + i + 16), scale);
        _mm512_storeu_ps(dst + i, _mm512_maskz_mov_ps(keep0, x0));
        _mm512_storeu_ps(dst + i + 16, _mm512_maskz_mov_ps(keep1, x1));
    }
    plainFloat<Relu>(src, dst, i, end, m);
}

template <bool Relu>
INITLAB_AVX512 inline __m256i keptBf16x16(const std::uint16_t* src, __mmask16 keep, __m512 scale)
{
    const __m256i raw = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src));
    const __m512 x = keptFloat16<Relu>(_mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(raw), 16)), scale);
    const __m512i bits = _mm512_castps_si512(x);
    const __m512i exponent = _mm512_set1_epi32(0x7F800000);
    const __mmask16 special = _mm512_cmpeq_epi32_mask(_mm512_and_si512(bits, exponent), exponent);
    const __m512i lsb = _mm512_and_si512(_mm512_srli_epi32(bits, 16), _mm512_set1_epi32(1));
    __m512i rounded = _mm512_add_epi32(bits, _mm512_add_epi32(_mm512_set1_epi32(0x7FFF), lsb));
    rounded = _mm512_mask_mov_epi32(rounded, special, bits);
    return _mm512_cvtepi32_epi16(_mm512_maskz_srli_epi32(keep, rounded, 16));
}

template <bool Relu>
INITLAB_AVX512 void avx512Bf16(const std::uint16_t* src, std::uint16_t* dst, std::int64_t begin, std::int64_t end,
                               const Mask& m)
{
    std::int64_t i = blockStart(begin, end);
    plainBf16<Relu>(src, dst, begin, i, m);
    __m512i counter = counters8(m, i >> 2);
    const __m512i step = _mm512_set1_epi64((long long)(kGolden * 8));
    const __m512i threshold = _mm512_set1_epi32(int(m.threshold));
    const __m512 scale = _mm512_set1_ps(m.scale);
    for (; i + 32 <= end; i += 32) {
        const __m512i bits = hash8(counter);
        counter = _mm512_add_epi64(counter, step);
        const __mmask16 keep0 = _mm512_cmpge_epu32_mask(uniforms16<0>(bits), threshold);
        const __mmask16 keep1 = _mm512_cmpge_epu32_mask(uniforms16<1>(bits), threshold);
        const __m256i y0 = keptBf16x16<Relu>(src + i, keep0, scale);
        const __m256i y1 = keptBf16x16<Relu>(src + i + 16, keep1, scale);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + i), y0);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + i + 16), y1);
    }
    plainBf16<Relu>(src, dst, i, end, m);
}
#pragma GCC diagnostic pop

// AVX2: four hashes, 16 elements, at a time; the 64-bit multiply from three 32-bit ones.
#define INITLAB_AVX2 __attribute__((target("avx2")))

INITLAB_AVX2 inline __m256i mul64(__m256i a, std::uint64_t c)
{
    const __m256i lo = _mm256_set1_epi64x((long long)(c & 0xFFFFFFFFu));
    const __m256i hi = _mm256_set1_epi64x((long long)(c >> 32));
    const __m256i cross = _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(a, 32), lo), _mm256_mul_epu32(a, hi));
    return _mm256_add_epi64(_mm256_mul_epu32(a, lo), _mm256_slli_epi64(cross, 32));
}

INITLAB_AVX2 inline __m256i hash4(__m256i z)
{
    z = mul64(_mm256_xor_si256(z, _mm256_srli_epi64(z, 30)), kMix1);
    z = mul64(_mm256_xor_si256(z, _mm256_srli_epi64(z, 27)), kMix2);
    return _mm256_xor_si256(z, _mm256_srli_epi64(z, 31));
}

INITLAB_AVX2 inline __m256i counters4(const Mask& m, std::int64_t firstBlock)
{
    return _mm256_set_epi64x((long long)blockCounter(m, firstBlock + 3), (long long)blockCounter(m, firstBlock + 2),
                             (long long)blockCounter(m, firstBlock + 1), (long long)blockCounter(m, firstBlock));
}

// All ones in the 32-bit lanes of elements 8 h .. 8 h + 7 (of the 16 the hashes cover) that drop.
template <int h>
INITLAB_AVX2 inline __m256i dropped8(__m256i bits, __m256i threshold)
{
    const __m128i u = h == 0 ? _mm256_castsi256_si128(bits) : _mm256_extracti128_si256(bits, 1);
    return _mm256_cmpgt_epi32(threshold, _mm256_cvtepu16_epi32(u)); // both below 2^31
}

template <bool Relu>
INITLAB_AVX2 inline __m256 keptFloat8(__m256 x, __m256 scale)
{
    if constexpr (Relu)
        x = _mm256_max_ps(_mm256_setzero_ps(), x); // 0 > x ? 0 : x, as the plain path
    return _mm256_mul_ps(x, scale);
}

template <bool Relu>
INITLAB_AVX2 void avx2Float(const float* src, float* dst, std::int64_t begin, std::int64_t end, const Mask& m)
{
    std::int64_t i = blockStart(begin, end);
    plainFloat<Relu>(src, dst, begin, i, m);
    __m256i counter = counters4(m, i >> 2);
    const __m256i step = _mm256_set1_epi64x((long long)(kGolden * 4));
    const __m256i threshold = _mm256_set1_epi32(int(m.threshold));
    const __m256 scale = _mm256_set1_ps(m.scale);
    for (; i + 16 <= end; i += 16) {
        const __m256i bits = hash4(counter);
        counter = _mm256_add_epi64(counter, step);
        const __m256 drop0 = _mm256_castsi256_ps(dropped8<0>(bits, threshold));
        const __m256 drop1 = _mm256_castsi256_ps(dropped8<1>(bits, threshold));
        const __m256 x0 = keptFloat8<Relu>(_mm256_loadu_ps(src + i), scale);
        const __m256 x1 = keptFloat8<Relu>(_mm256_loadu_ps(src + i + 8), scale);
        _mm256_storeu_ps(dst + i, _mm256_andnot_ps(drop0, x0));
        _mm256_storeu_ps(dst + i + 8, _mm256_andnot_ps(drop1, x1));
    }
    plainFloat<Relu>(src, dst, i, end, m);
}

template <bool Relu>
INITLAB_AVX2 inline __m128i keptBf16x8(const std::uint16_t* src, __m256i dropped, __m256 scale)
{
    const __m128i raw = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src));
    const __m256 x = keptFloat8<Relu>(_mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(raw), 16)), scale);
    const __m256i bits = _mm256_castps_si256(x);
    const __m256i exponent = _mm256_set1_epi32(0x7F800000);
    const __m256i special = _mm256_cmpeq_epi32(_mm256_and_si256(bits, exponent), exponent);
    const __m256i lsb = _mm256_and_si256(_mm256_srli_epi32(bits, 16), _mm256_set1_epi32(1));
    __m256i rounded = _mm256_add_epi32(bits, _mm256_add_epi32(_mm256_set1_epi32(0x7FFF), lsb));
    rounded = _mm256_blendv_epi8(rounded, bits, special);
    rounded = _mm256_andnot_si256(dropped, _mm256_srli_epi32(rounded, 16));
    return _mm_packus_epi32(_mm256_castsi256_si128(rounded), _mm256_extracti128_si256(rounded, 1));
}

template <bool Relu>
INITLAB_AVX2 void avx2Bf16(const std::uint16_t* src, std::uint16_t* dst, std::int64_t begin, std::int64_t end,
                           const Mask& m)
{
    std::int64_t i = blockStart(begin, end);
    plainBf16<Relu>(src, dst, begin, i, m);
    __m256i counter = counters4(m, i >> 2);
    const __m256i step = _mm256_set1_epi64x((long long)(kGolden * 4));
    const __m256i threshold = _mm256_set1_epi32(int(m.threshold));
    const __m256 scale = _mm256_set1_ps(m.scale);
    for (; i + 16 <= end; i += 16) {
        const __m256i bits = hash4(counter);
        counter = _mm256_add_epi64(counter, step);
        const __m128i y0 = keptBf16x8<Relu>(src + i, dropped8<0>(bits, threshold), scale);
        const __m128i y1 = keptBf16x8<Relu>(src + i + 8, dropped8<1>(bits, threshold), scale);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i), y0);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i + 8), y1);
    }
    plainBf16<Relu>(src, dst, i, end, m);
}
#endif

enum class Isa { Plain, Avx2, Avx512 };

Isa widest()
{
#if defined(__x86_64__)
    static const Isa isa = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") ? Isa::Avx512
                           : __builtin_cpu_supports("avx2")                                         ? Isa::Avx2
                                                                                                    : Isa::Plain;
    return isa;
#else
    return Isa::Plain;
#endif
}

Isa resolve(DropoutPath path)
{
    const Isa best = widest();
    switch (path) {
    case DropoutPath::Plain:
        return Isa::Plain;
    case DropoutPath::Avx2:
        return best == Isa::Plain ? Isa::Plain : Isa::Avx2;
    case DropoutPath::Avx512:
    case DropoutPath::Best:
        break;
    }
    return best;
}

template <bool Relu>
void applyFloat(const float* src, float* dst, std::int64_t begin, std::int64_t end, double p, std::uint64_t seed,
                std::uint64_t stream, DropoutPath path)
{
    const Mask m = maskOf(p, seed, stream);
    switch (resolve(path)) {
#if defined(__x86_64__)
    case Isa::Avx512:
        return avx512Float<Relu>(src, dst, begin, end, m);
    case Isa::Avx2:
        return avx2Float<Relu>(src, dst, begin, end, m);
#endif
    default:
        return plainFloat<Relu>(src, dst, begin, end, m);
    }
}

template <bool Relu>
void applyBf16(const std::uint16_t* src, std::uint16_t* dst, std::int64_t begin, std::int64_t end, double p,
               std::uint64_t seed, std::uint64_t stream, DropoutPath path)
{
    const Mask m = maskOf(p, seed, stream);
    switch (resolve(path)) {
#if defined(__x86_64__)
    case Isa::Avx512:
        return avx512Bf16<Relu>(src, dst, begin, end, m);
    case Isa::Avx2:
        return avx2Bf16<Relu>(src, dst, begin, end, m);
#endif
    default:
        return plainBf16<Relu>(src, dst, begin, end, m);
    }
}

} // namespace

bool dropoutPathSupported(DropoutPath path)
{
    switch (path) {
    case DropoutPath::Avx2:
        return widest() != Isa::Plain;
    case DropoutPath::Avx512:
        return widest() == Isa::Avx512;
    default:
        return true;
    }
}

void dropoutApply(const float* src, float* dst, std::int64_t begin, std::int64_t end, double p, std::uint64_t seed,
                  std::uint64_t stream, DropoutPath path)
{
    applyFloat<false>(src, dst, begin, end, p, seed, stream, path);
}

void dropoutApplyBf16(const std::uint16_t* src, std::uint16_t* dst, std::int64_t begin, std::int64_t end, double p,
                      std::uint64_t seed, std::uint64_t stream, DropoutPath path)
{
    applyBf16<false>(src, dst, begin, end, p, seed, stream, path);
}

void reluDropoutApply(const float* src, float* dst, std::int64_t begin, std::int64_t end, double p,
                      std::uint64_t seed, std::uint64_t stream, DropoutPath path)
{
    applyFloat<true>(src, dst, begin, end, p, seed, stream, path);
}

void reluDropoutApplyBf16(const std::uint16_t* src, std::uint16_t* dst, std::int64_t begin, std::int64_t end,
                          double p, std::uint64_t seed, std::uint64_t stream, DropoutPath path)
{
    applyBf16<true>(src, dst, begin, end, p, seed, stream, path);
}

} // namespace initlab

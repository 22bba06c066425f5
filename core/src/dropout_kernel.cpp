#include "dropout_kernel.h"

#include <cmath>
#include <cstring>

namespace initlab {
namespace {

inline std::uint64_t hash64(std::uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

inline std::uint32_t threshold(double p)
{
    return static_cast<std::uint32_t>(std::lround(p * 65536.0));
}

inline std::uint64_t key(std::uint64_t seed, std::uint64_t stream)
{
    return hash64(seed * 0x9E3779B97F4A7C15ULL + stream);
}

// Four 16-bit uniforms per hash: element i uses bits (i % 4) of block i / 4.
inline std::uint32_t uniform16(std::uint64_t k, std::int64_t i)
{
    const std::uint64_t bits = hash64(k + 0x9E3779B97F4A7C15ULL * std::uint64_t(i >> 2));
    return static_cast<std::uint32_t>((bits >> (16 * (i & 3))) & 0xFFFF);
}

} // namespace

__attribute__((target_clones("avx512f", "avx2", "default"))) void
dropoutApply(const float* src, float* dst, std::int64_t begin, std::int64_t end, double p, std::uint64_t seed,
             std::uint64_t stream)
{
    const std::uint32_t t = threshold(p);
    const float scale = t >= 65536 ? 0.0f : static_cast<float>(65536.0 / (65536.0 - t));
    const std::uint64_t k = key(seed, stream);
    for (std::int64_t i = begin; i < end; ++i)
        dst[i] = uniform16(k, i) < t ? 0.0f : src[i] * scale;
}

__attribute__((target_clones("avx512f", "avx2", "default"))) void
dropoutApplyBf16(const std::uint16_t* src, std::uint16_t* dst, std::int64_t begin, std::int64_t end, double p,
                 std::uint64_t seed, std::uint64_t stream)
{
    const std::uint32_t t = threshold(p);
    const float scale = t >= 65536 ? 0.0f : static_cast<float>(65536.0 / (65536.0 - t));
    const std::uint64_t k = key(seed, stream);
    for (std::int64_t i = begin; i < end; ++i) {
        // bfloat16 -> float, scale, round to nearest even back to bfloat16; a select rather than a
        // branch per element, so the loop vectorizes like the float one.
        std::uint32_t bits = std::uint32_t(src[i]) << 16;
        float value;
        std::memcpy(&value, &bits, sizeof value);
        value *= scale;
        std::memcpy(&bits, &value, sizeof bits);
        const std::uint32_t rounded = (bits & 0x7F800000u) != 0x7F800000u ? bits + 0x7FFFu + ((bits >> 16) & 1u) : bits;
        dst[i] = uniform16(k, i) < t ? std::uint16_t(0) : static_cast<std::uint16_t>(rounded >> 16);
    }
}

} // namespace initlab

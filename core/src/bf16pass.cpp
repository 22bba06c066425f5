#include "bf16pass.h"

#include "bf16pass_kernels.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>

namespace initlab {
namespace {

using bf16pass::kBlock;

enum class Loop { Avx512, Avx2, Plain };

Loop loopFor(Bf16Path path)
{
#if defined(__x86_64__)
    static const bool avx2 = __builtin_cpu_supports("avx2");
    static const bool avx512 = __builtin_cpu_supports("avx512f");
    if (path == Bf16Path::Best && avx512)
        return Loop::Avx512;
    if (path != Bf16Path::Plain && avx2)
        return Loop::Avx2;
#else
    (void)path;
#endif
    return Loop::Plain;
}

// Runs `apply` on blocks of every task's range and scans each block right after, while it is in
// cache. shift: the first output value (the scan's shift), computed before the pass.
template <class Apply>
ChunkCounts applyAndScan(std::uint16_t* out, std::int64_t n, double shift, const SaturationTest& saturation,
                         Moments& moments, bool portable, const Apply& apply)
{
    const ScanSums sums = at::parallel_reduce(
        std::int64_t(0), n, std::int64_t(1) << 16, ScanSums{},
        [&](std::int64_t begin, std::int64_t end, ScanSums partial) {
            for (std::int64_t start = begin; start < end; start += kBlock) {
                const std::int64_t stop = std::min(end, start + kBlock);
                apply(start, stop);
                partial.add(scanBlock(out, start, stop, shift, saturation, portable));
            }
            return partial;
        },
        [](ScanSums x, const ScanSums& y) {
            x.add(y);
            return x;
        });
    return finishScan(sums, n, shift, moments);
}

double shiftOf(float first)
{
    const float rounded = bf16pass::widen(bf16pass::narrow(first));
    return std::isfinite(rounded) ? rounded : 0.0;
}

} // namespace

float activationValue(float x, Activation activation)
{
    return bf16pass::activate<bf16pass::ScalarOps>(x, activation);
}

float derivativeValue(float grad, float output, Activation activation)
{
    return bf16pass::derivative<bf16pass::ScalarOps>(grad, output, activation);
}

ChunkCounts activateAndScanBf16(std::uint16_t* h, std::int64_t n, Activation activation,
                                const SaturationTest& saturation, Moments& moments, Bf16Path path)
{
    if (n <= 0)
        return {};
    const double shift = shiftOf(activationValue(bf16pass::widen(h[0]), activation));
    const Loop loop = loopFor(path);
    const bool portable = path == Bf16Path::Plain;
    return applyAndScan(h, n, shift, saturation, moments, portable, [&](std::int64_t begin, std::int64_t end) {
        if (loop == Loop::Avx512)
            bf16pass::activateRangeAvx512(h, begin, end, activation);
        else if (loop == Loop::Avx2)
            bf16pass::activateRangeAvx2(h, begin, end, activation);
        else
            bf16pass::activateRange<bf16pass::ScalarOps>(h, begin, end, activation);
    });
}

ChunkCounts backwardAndScanBf16(std::uint16_t* grad, const std::uint16_t* output, std::int64_t n,
                                Activation activation, Moments& moments, Bf16Path path)
{
    if (n <= 0)
        return {};
    const double shift =
        shiftOf(derivativeValue(bf16pass::widen(grad[0]), bf16pass::widen(output[0]), activation));
    const Loop loop = loopFor(path);
    const bool portable = path == Bf16Path::Plain;
    return applyAndScan(grad, n, shift, SaturationTest{}, moments, portable, [&](std::int64_t begin, std::int64_t end) {
        if (loop == Loop::Avx512)
            bf16pass::backwardRangeAvx512(grad, output, begin, end, activation);
        else if (loop == Loop::Avx2)
            bf16pass::backwardRangeAvx2(grad, output, begin, end, activation);
        else
            bf16pass::backwardRange<bf16pass::ScalarOps>(grad, output, begin, end, activation);
    });
}

} // namespace initlab

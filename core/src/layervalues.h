#pragma once
// What the deep run measures of one layer's values, accumulated over the chunks of the batch so a
// chunked run gives exactly the numbers of a whole-batch run. Private to core.
//
// - Moments: count, mean and sum of squared deviations (Chan et al.'s pairwise update).
// - ValueScan: one pass over a chunk that feeds the moments and also counts zeros, saturated units
//   and the largest finite magnitude (which the histogram's range needs).
// - HistogramAccumulator: the layer's histogram. Bounded activations are binned straight into
//   kHistogramBins bins over their range. Unbounded values go to a fine grid of 4096 bins over
//   [-R, R), R a power of two above every finite value seen; when a chunk needs a larger R, pairs
//   of bins merge (the grids nest, so this is exact). At the end, the kHistogramBins bins are cut
//   from the fine grid symmetric about 0 at the smallest whole number of fine bins reaching four
//   times the values' root mean square, so the result does not depend on how the batch was chunked.

#include "initlab/deeppropagation.h"

#include <cstdint>
#include <vector>

namespace initlab {

struct Moments {
    double count = 0.0;
    double mean = 0.0;
    double m2 = 0.0; // sum of squared deviations from the mean

    // Adds a part of `partCount` numbers with mean `partMean` and squared deviations `partM2`.
    void merge(double partCount, double partMean, double partM2);
    double std() const;  // sample standard deviation (n - 1)
    double rms() const;  // root mean square, sqrt(E[x^2])
};

// Which activation outputs count as saturated: derivative below kSaturationShare of its largest
// value, written in terms of the output a.
struct SaturationTest {
    enum class Kind { Never, AbsAbove, Below, BelowOrEqual, LogisticBelow } kind = Kind::Never;
    float threshold = 0.0f;

    static SaturationTest forActivation(Activation activation);
};

struct ChunkCounts {
    std::int64_t nans = 0;
    std::int64_t zeros = 0;
    std::int64_t saturated = 0;
    float maxAbs = 0.0f; // largest finite |value|; 0 when none
};

// The sums of a scan around a shift, before they become moments: parts add up.
struct ScanSums {
    double s1 = 0.0; // sum of (x - shift)
    double s2 = 0.0; // sum of (x - shift)^2
    std::int64_t nans = 0;
    std::int64_t zeros = 0;
    std::int64_t saturated = 0;
    float maxAbs = 0.0f;

    void add(const ScanSums& other);
};

// The sums of bfloat16 values [begin, end) on the calling thread (for passes that scan what they
// have just written, while it is in cache), and the moments and counts of n values so summed. Eight
// lanes (AVX-512 where the CPU has it; the plain loop, portable, gives the same bits).
ScanSums scanBlock(const std::uint16_t* bf16, std::int64_t begin, std::int64_t end, double shift,
                   const SaturationTest& saturation, bool portable = false);
ChunkCounts finishScan(const ScanSums& sums, std::int64_t n, double shift, Moments& moments);

// One pass over n contiguous floats: adds them to `moments` and returns the chunk's counts. It runs
// with AVX2 where the CPU has it; `portable` forces the plain loop, which gives the same bits (for
// the tests that check so).
ChunkCounts scanValues(const float* data, std::int64_t n, const SaturationTest& saturation, Moments& moments,
                       bool portable = false);
// The same over bfloat16 values (their 16 raw bits), each widened exactly to float first: the sums,
// counts and bins are those of the widened floats.
ChunkCounts scanValues(const std::uint16_t* bf16, std::int64_t n, const SaturationTest& saturation, Moments& moments,
                       bool portable = false);

class HistogramAccumulator {
public:
    // Bins of the activation's output range (tanh, sigmoid), or none: the adaptive fine grid.
    static HistogramAccumulator forActivation(Activation activation);
    static HistogramAccumulator adaptive();

    // Bins n contiguous floats; counts is what scanValues found in the same values (their largest
    // finite magnitude sets the grid, their NaN count is taken from it).
    void add(const float* data, std::int64_t n, const ChunkCounts& counts);
    void add(const std::uint16_t* bf16, std::int64_t n, const ChunkCounts& counts); // bfloat16 bits
    // The histogram; rms is the root mean square of every value added (sets an adaptive range).
    Histogram finish(double rms) const;

    static constexpr int kFineBins = 4096;

private:
    bool m_fixed = false;
    double m_low = 0.0;  // fixed range
    double m_high = 0.0;
    bool m_hasRange = false;
    int m_exponent = 0; // adaptive: R = 2^m_exponent
    std::vector<std::int64_t> m_bins;
    std::int64_t m_below = 0;
    std::int64_t m_above = 0;
    std::int64_t m_nan = 0;

    void growTo(int exponent);
    template <typename Value>
    void addValues(const Value* data, std::int64_t n, const ChunkCounts& counts);
};

} // namespace initlab

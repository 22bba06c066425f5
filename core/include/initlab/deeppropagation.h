#pragma once
// Experiment 1: deep signal propagation. A deep fully connected net (no biases, activation after
// every layer) receives a batch of N(0, I) vectors; per layer the runner measures the activations
// (forward) and the gradients (backward of cross-entropy against random targets), and sends each
// layer's numbers to a sink as soon as they exist.

#include "initlab/cancellation.h"
#include "initlab/initscheme.h"

#include <cstdint>
#include <string>
#include <vector>

namespace initlab {

struct Combination {
    InitScheme init = InitScheme::Heuristic;
    Activation activation = Activation::Tanh;
    bool operator==(const Combination&) const = default;
};

// The report's seven combinations: tanh x {heuristic, Xavier uniform, Xavier normal} and
// ReLU x {Xavier uniform, Xavier normal, Kaiming uniform, Kaiming normal}.
std::vector<Combination> reportCombinations();
std::string label(const Combination& combination); // "xavier_uniform + tanh"

struct DeepConfig {
    std::vector<Combination> combinations;
    int depth = 50;
    int width = 512;
    int batch = 10000;
    std::uint64_t seed = 0;
    int threads = 0;        // LibTorch intra-op threads; 0 = all cores
    int chunkSize = 0;      // samples per chunk; 0 = whole batch if it fits kMemoryBudgetBytes
    double normalStd = 0.1; // sigma of InitScheme::Normal
    // Also measure every layer's histogram of activations and of pre-activation gradients (an
    // extra pass over each layer's values; the saturation and zero fractions are always measured).
    bool histograms = false;
    // Matrix products in bfloat16 (oneDNN; fast where the CPU has AVX-512-BF16 or AMX), and every
    // layer's activations and gradients kept in bfloat16 between them. The weights are rounded to
    // bfloat16 once; the statistics are still summed in double, of the bfloat16 values.
    bool bf16 = false;
    static constexpr double kMemoryBudgetBytes = 1.5e9;
};

// Bins of every per-layer histogram.
inline constexpr int kHistogramBins = 64;
// A unit counts as saturated when its activation derivative is below this share of the
// derivative's largest value (tanh: |a| > sqrt(0.95); sigmoid: a(1-a) < 0.0125; ReLU: a == 0).
inline constexpr double kSaturationShare = 0.05;

// A histogram of one layer's values over the whole batch: kHistogramBins equal bins over
// [low, high) (the last bin also holds high itself). Values outside the range are counted apart, so
// counts + below + above + nan is every value of the layer. The range: [-1, 1] for tanh
// activations, [0, 1] for sigmoid ones, otherwise symmetric about 0 at about four times the
// values' root mean square (see deepHistogramRange in the README).
struct Histogram {
    double low = 0.0;
    double high = 0.0;
    std::vector<std::int64_t> counts; // empty when the run measured no histograms
    std::int64_t below = 0;           // values < low (-inf included)
    std::int64_t above = 0;           // values > high (+inf included)
    std::int64_t nan = 0;

    bool empty() const { return counts.empty(); }
    std::int64_t total() const;
    double binLow(int bin) const { return low + (high - low) * bin / double(counts.size()); }
    double binHigh(int bin) const { return low + (high - low) * (bin + 1) / double(counts.size()); }
};

// A click on a matrix cell first runs a preview: the same net (same seed, same weights) on a batch of
// kPreviewBatch vectors, with histograms, so complete curves appear within a second; the full batch
// then replaces them. Its statistics agree with the full run's within sampling noise.
inline constexpr int kPreviewBatch = 500;
DeepConfig previewConfig(const DeepConfig& config);

// Empty when the config is valid, otherwise a sentence naming the bad field.
std::string validate(const DeepConfig& config);
// The chunk size a run of this config uses (resolves chunkSize == 0).
int effectiveChunkSize(const DeepConfig& config);

// Forward statistics of one layer (layer counts from 1): the activations after the nonlinearity.
struct ForwardLayerStats {
    int combination = 0; // index into DeepConfig::combinations
    int layer = 0;
    double actMean = 0.0;
    double actStd = 0.0;
    double theoryStd = 0.0; // mean-field prediction of act_std
    double saturatedFrac = 0.0; // share of activations whose derivative is < kSaturationShare of its max
    double zeroFrac = 0.0;      // share of activations exactly 0
    Histogram actHistogram;     // empty unless DeepConfig::histograms
};

// Backward statistics of one layer: weight gradient dL/dW and pre-activation gradient dL/dh.
struct BackwardLayerStats {
    int combination = 0;
    int layer = 0;
    double gradMean = 0.0;
    double gradStd = 0.0;
    double preGradStd = 0.0;
    Histogram preGradHistogram; // dL/dh; empty unless DeepConfig::histograms
};

struct LayerStats {
    int layer = 0;
    double actMean = 0.0;
    double actStd = 0.0;
    double gradMean = 0.0;
    double gradStd = 0.0;
    double preGradStd = 0.0;
    double theoryStd = 0.0;
    double saturatedFrac = 0.0;
    double zeroFrac = 0.0;
    Histogram actHistogram;
    Histogram preGradHistogram;
};

// The per-layer statistics of a finished layer as the sink's callbacks carry them.
ForwardLayerStats forwardStats(int combination, const LayerStats& layer);
BackwardLayerStats backwardStats(int combination, const LayerStats& layer);

struct CombinationResult {
    Combination combination;
    std::vector<LayerStats> layers; // depth entries, complete only when the combination finished
    double seconds = 0.0;
    double gemmFlops = 0.0; // forward + backward GEMM floating-point operations performed
    double histogramSeconds = 0.0; // of seconds, the time spent binning histograms
    // Where the seconds went (the rest - setting up the net, the loss, waiting - is the remainder).
    double productSeconds = 0.0;     // the GEMMs: forward, weight gradient, input gradient
    double activationSeconds = 0.0;  // the nonlinearity, forward
    double statisticsSeconds = 0.0;  // moments, zero and saturation counts of activations and gradients
    double derivativeSeconds = 0.0;  // the activation's derivative, backward
};

struct DeepResult {
    std::vector<CombinationResult> combinations; // the finished ones, in config order
    bool cancelled = false;
    std::string error; // non-empty when the run failed (bad config, out of memory)
};

// Receives results while a run goes on, on the runner's thread. Every callback is optional.
class DeepSink {
public:
    virtual ~DeepSink() = default;
    virtual void onCombinationStarted(int combination) {}
    virtual void onForwardLayer(const ForwardLayerStats& stats) {}
    virtual void onBackwardLayer(const BackwardLayerStats& stats) {}
    virtual void onCombinationFinished(int combination, const CombinationResult& result) {}
    // Fraction of the whole run done, in [0, 1].
    virtual void onProgress(double fraction) {}
};

// Runs every combination of the config in order. Statistics are exact over the whole batch even
// when it is processed in chunks. The same config gives the same numbers. Cancelling stops within
// one layer; the result then holds the combinations finished before.
DeepResult runDeepPropagation(const DeepConfig& config, DeepSink* sink, const CancelFlag& cancel);

// FLOPs of one combination's forward and backward GEMMs (2*m*n*k each; the first layer's input
// gradient is not computed).
double deepGemmFlops(int depth, int width, int batch);

} // namespace initlab

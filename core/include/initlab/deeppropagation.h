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
    static constexpr double kMemoryBudgetBytes = 1.5e9;
};

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
};

// Backward statistics of one layer: weight gradient dL/dW and pre-activation gradient dL/dh.
struct BackwardLayerStats {
    int combination = 0;
    int layer = 0;
    double gradMean = 0.0;
    double gradStd = 0.0;
    double preGradStd = 0.0;
};

struct LayerStats {
    int layer = 0;
    double actMean = 0.0;
    double actStd = 0.0;
    double gradMean = 0.0;
    double gradStd = 0.0;
    double preGradStd = 0.0;
    double theoryStd = 0.0;
};

struct CombinationResult {
    Combination combination;
    std::vector<LayerStats> layers; // depth entries, complete only when the combination finished
    double seconds = 0.0;
    double gemmFlops = 0.0; // forward + backward GEMM floating-point operations performed
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

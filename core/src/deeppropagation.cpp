#include "initlab/deeppropagation.h"

#include "initlab/blas.h"
#include "initlab/meanfield.h"
#include "bf16pass.h"
#include "layervalues.h"
#include "torch_activation.h"
#include "seeding.h"
#include "torch_init.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/InferenceMode.h>

#include <array>
#include <chrono>
#include <cmath>
#include <new>

namespace initlab {
namespace {

// Moments of every value of a tensor (the weight gradients, whole at the last chunk).
Moments momentsOf(const at::Tensor& values)
{
    const at::Tensor contiguous = values.contiguous();
    Moments moments;
    scanValues(contiguous.data_ptr<float>(), contiguous.numel(), SaturationTest{}, moments);
    return moments;
}

double weightStd(const InitSpec& spec, int width)
{
    return weightDistribution(spec, width, width).std;
}

} // namespace

std::int64_t Histogram::total() const
{
    std::int64_t sum = below + above + nan;
    for (const std::int64_t c : counts)
        sum += c;
    return sum;
}

ForwardLayerStats forwardStats(int combination, const LayerStats& layer)
{
    return {combination,         layer.layer,    layer.actMean, layer.actStd, layer.theoryStd,
            layer.saturatedFrac, layer.zeroFrac, layer.actHistogram};
}

BackwardLayerStats backwardStats(int combination, const LayerStats& layer)
{
    return {combination, layer.layer, layer.gradMean, layer.gradStd, layer.preGradStd, layer.preGradHistogram};
}

std::vector<Combination> reportCombinations()
{
    return {
        {InitScheme::Heuristic, Activation::Tanh},      {InitScheme::XavierUniform, Activation::Tanh},
        {InitScheme::XavierNormal, Activation::Tanh},   {InitScheme::XavierUniform, Activation::Relu},
        {InitScheme::XavierNormal, Activation::Relu},   {InitScheme::KaimingUniform, Activation::Relu},
        {InitScheme::KaimingNormal, Activation::Relu},
    };
}

std::string label(const Combination& combination)
{
    return std::string(name(combination.init)) + " + " + std::string(name(combination.activation));
}

std::string validate(const DeepConfig& config)
{
    if (config.combinations.empty())
        return "no init x activation combination to run";
    if (config.depth < 1 || config.depth > 10000)
        return "depth must be between 1 and 10000 (got " + std::to_string(config.depth) + ")";
    if (config.width < 1 || config.width > 16384)
        return "width must be between 1 and 16384 (got " + std::to_string(config.width) + ")";
    if (config.batch < 1 || config.batch > 10'000'000)
        return "batch must be between 1 and 10000000 (got " + std::to_string(config.batch) + ")";
    if (config.threads < 0 || config.threads > 1024)
        return "threads must be between 0 (all cores) and 1024 (got " + std::to_string(config.threads) + ")";
    if (config.chunkSize < 0)
        return "chunk size must be 0 (automatic) or positive (got " + std::to_string(config.chunkSize) + ")";
    if (!std::isfinite(config.normalStd) || config.normalStd < 0.0)
        return "sigma of the normal scheme must be a finite number >= 0";
    const double weightBytes = 2.0 * config.depth * double(config.width) * config.width * sizeof(float);
    if (weightBytes > 8e9)
        return "the net is too large: its weights and their gradients need "
            + std::to_string(static_cast<long long>(weightBytes / 1e9)) + " GB (limit 8 GB)";
    return {};
}

DeepConfig previewConfig(const DeepConfig& config)
{
    DeepConfig preview = config;
    preview.batch = std::min(config.batch, kPreviewBatch);
    preview.chunkSize = 0;
    preview.histograms = true;
    return preview;
}

int effectiveChunkSize(const DeepConfig& config)
{
    // Kept per chunk: the activations of every layer for the backward pass, plus a few temporaries.
    const double bytesPerSample = (config.depth + 4.0) * config.width * sizeof(float);
    if (config.chunkSize > 0)
        return std::min(config.chunkSize, config.batch);
    const double fit = DeepConfig::kMemoryBudgetBytes / bytesPerSample;
    return static_cast<int>(std::clamp<double>(std::floor(fit), 1.0, config.batch));
}

double deepGemmFlops(int depth, int width, int batch)
{
    const double perGemm = 2.0 * batch * double(width) * width;
    return perGemm * (3.0 * depth - 1.0);
}

namespace {

// Progress and cancellation over the whole run: a step is one layer of one pass over one chunk.
class StepCounter {
public:
    StepCounter(DeepSink& out, const CancelFlag& cancel, double totalSteps)
        : m_out(out), m_cancel(cancel), m_total(totalSteps)
    {
    }

    // Counts a finished step; true when the run is to stop.
    bool step()
    {
        m_done += 1.0;
        m_out.onProgress(m_done / m_total);
        return m_cancel.load(std::memory_order_relaxed);
    }

private:
    DeepSink& m_out;
    const CancelFlag& m_cancel;
    double m_total = 0.0;
    double m_done = 0.0;
};

// One combination's net and what its chunks add up: the statistics accumulate over the chunks and
// are final at the last one.
struct CombinationRun {
    int index = 0;
    Combination combination;
    bool bf16 = false;
    std::vector<at::Tensor> weights; // in the products' type
    // W^T kept contiguous as well: the forward product a W^T then runs as a plain (NN) GEMM,
    // which OpenBLAS does about 15 % faster here than the transposed-operand form of linear().
    std::vector<at::Tensor> transposedWeights;
    std::vector<double> theory; // the mean-field prediction of each layer's activation std
    std::vector<Moments> activationMoments;
    std::vector<Moments> preGradMoments;
    SaturationTest saturation;
    std::vector<std::int64_t> zeros;     // per layer, over the chunks so far
    std::vector<std::int64_t> saturated;
    bool histograms = false;
    std::vector<HistogramAccumulator> actHistograms; // per layer when histograms
    std::vector<HistogramAccumulator> preGradHistograms;
    double histogramSeconds = 0.0;
    double productSeconds = 0.0;
    double activationSeconds = 0.0;
    double statisticsSeconds = 0.0;
    double derivativeSeconds = 0.0;
    CombinationResult finished;
};

CombinationRun startCombination(const DeepConfig& config, int index)
{
    const int depth = config.depth;
    const int width = config.width;
    CombinationRun run;
    run.index = index;
    run.combination = config.combinations[static_cast<std::size_t>(index)];
    const InitSpec spec{run.combination.init, run.combination.activation, config.normalStd};
    // Weights from a generator of their own, seeded the same for every combination, so a
    // combination's numbers do not depend on what ran before it.
    at::Generator weightGenerator = at::make_generator<at::CPUGeneratorImpl>(mixSeed(config.seed, 1));
    run.bf16 = config.bf16;
    const at::ScalarType type = config.bf16 ? at::kBFloat16 : at::kFloat;
    run.weights.resize(depth);
    run.transposedWeights.resize(depth);
    for (int l = 0; l < depth; ++l) {
        // Drawn in float32 in both precisions, so a bf16 run's net is the float32 net rounded.
        at::Tensor weight = at::empty({width, width}, at::kFloat);
        initializeWeight(weight, spec, weightGenerator);
        run.weights[l] = weight.to(type);
        run.transposedWeights[l] = run.weights[l].t().contiguous();
    }
    run.theory = meanFieldActivationStd(run.combination.activation, weightStd(spec, width), width, depth);
    run.activationMoments.resize(depth);
    run.preGradMoments.resize(depth);
    run.saturation = SaturationTest::forActivation(run.combination.activation);
    run.zeros.assign(depth, 0);
    run.saturated.assign(depth, 0);
    run.histograms = config.histograms;
    if (run.histograms) {
        run.actHistograms.assign(depth, HistogramAccumulator::forActivation(run.combination.activation));
        run.preGradHistograms.assign(depth, HistogramAccumulator::adaptive());
    }
    run.finished.combination = run.combination;
    run.finished.layers.resize(depth);
    return run;
}

// Time since the last lap, for the run's breakdown.
class Lap {
public:
    double operator()()
    {
        const auto now = std::chrono::steady_clock::now();
        const double seconds = std::chrono::duration<double>(now - m_last).count();
        m_last = now;
        return seconds;
    }

private:
    std::chrono::steady_clock::time_point m_last = std::chrono::steady_clock::now();
};

// Bins a layer's values of this chunk into its histogram, timing it.
void binHistogram(CombinationRun& run, HistogramAccumulator& histogram, const at::Tensor& values,
                  const ChunkCounts& counts)
{
    const auto started = std::chrono::steady_clock::now();
    if (values.scalar_type() == at::kBFloat16)
        histogram.add(reinterpret_cast<const std::uint16_t*>(values.data_ptr<at::BFloat16>()), values.numel(), counts);
    else
        histogram.add(values.data_ptr<float>(), values.numel(), counts);
    run.histogramSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

std::uint16_t* bf16Data(const at::Tensor& values)
{
    return reinterpret_cast<std::uint16_t*>(values.data_ptr<at::BFloat16>());
}

// One pass over a float32 layer's values (contiguous) into its moments and counts; a bf16 run scans
// inside its fused passes instead.
ChunkCounts scanTensor(const at::Tensor& values, const SaturationTest& saturation, Moments& moments)
{
    return scanValues(values.data_ptr<float>(), values.numel(), saturation, moments);
}

// Buffers a run reuses for every chunk and every combination. A product written into memory that is
// already mapped spares the page faults of a fresh 20 MB tensor per product, which took about a third
// of a combination's time at the report's size.
// In a bf16 run the activations and gradients are bfloat16; the weight gradients are summed over
// the chunks in float32 all the same (each chunk's product is rounded once, then added).
struct Workspace {
    std::vector<at::Tensor> activations; // [l] for layers 1..depth: chunk x width ([0]: a bf16 run's input)
    std::array<at::Tensor, 2> grads;     // dL/da and, in place, dL/dh; the next layer's in the other
    std::vector<at::Tensor> weightGrads; // dL/dW per layer, summed over the chunks (float32)
    at::Tensor chunkWeightGrad;          // a bf16 run's product of one chunk, before it is added
    at::Tensor lastLayer;                // a bf16 run's last activations in float32, for the loss,
    at::Tensor lossGrad;                 // and the loss's gradient in float32

    Workspace(int depth, int chunk, int width, bool bf16)
        : activations(std::size_t(depth) + 1), weightGrads(std::size_t(depth))
    {
        const at::ScalarType type = bf16 ? at::kBFloat16 : at::kFloat;
        for (int l = bf16 ? 0 : 1; l <= depth; ++l)
            activations[std::size_t(l)] = at::empty({chunk, width}, type);
        for (at::Tensor& g : grads)
            g = at::empty({chunk, width}, type);
        for (at::Tensor& w : weightGrads)
            w = at::empty({width, width}, at::kFloat);
        if (bf16) {
            chunkWeightGrad = at::empty({width, width}, type);
            lastLayer = at::empty({chunk, width}, at::kFloat);
            lossGrad = at::empty({chunk, width}, at::kFloat);
        }
    }
};

// Forward through every layer, keeping each layer's activations in the workspace for the backward
// pass (the first `length` rows of each buffer). False when cancelled.
bool forwardChunk(CombinationRun& run, Workspace& ws, const at::Tensor& input, bool lastChunk, DeepSink& out,
                  StepCounter& steps)
{
    const int depth = static_cast<int>(run.weights.size());
    const std::int64_t length = input.size(0);
    const at::Tensor first = run.bf16 ? ws.activations[0].narrow(0, 0, length).copy_(input) : input;
    for (int l = 1; l <= depth; ++l) {
        const at::Tensor previous = l == 1 ? first : ws.activations[std::size_t(l - 1)].narrow(0, 0, length);
        at::Tensor h = ws.activations[std::size_t(l)].narrow(0, 0, length);
        Lap lap;
        at::mm_out(h, previous, run.transposedWeights[l - 1]);
        run.productSeconds += lap();
        const Moments& moments = run.activationMoments[l - 1];
        ChunkCounts counts;
        if (run.bf16) {
            // One pass: the activation and the scan of what it wrote, while it is in cache.
            counts = activateAndScanBf16(bf16Data(h), h.numel(), run.combination.activation, run.saturation,
                                         run.activationMoments[l - 1]);
            run.activationSeconds += lap();
        } else {
            activateInPlace(h, run.combination.activation);
            run.activationSeconds += lap();
            counts = scanTensor(h, run.saturation, run.activationMoments[l - 1]);
            run.statisticsSeconds += lap();
        }
        run.zeros[l - 1] += counts.zeros;
        run.saturated[l - 1] += counts.saturated;
        if (run.histograms)
            binHistogram(run, run.actHistograms[l - 1], h, counts);
        if (lastChunk) {
            LayerStats& s = run.finished.layers[l - 1];
            s.layer = l;
            s.actMean = moments.mean;
            s.actStd = moments.std();
            s.theoryStd = run.theory[l - 1];
            s.zeroFrac = moments.count > 0 ? double(run.zeros[l - 1]) / moments.count : 0.0;
            s.saturatedFrac = moments.count > 0 ? double(run.saturated[l - 1]) / moments.count : 0.0;
            if (run.histograms)
                s.actHistogram = run.actHistograms[l - 1].finish(moments.rms());
            out.onForwardLayer(forwardStats(run.index, s));
        }
        if (steps.step())
            return false;
    }
    return true;
}

// Backward of the mean cross-entropy over the whole batch (not the chunk), so the chunks' weight
// gradients add up to the full-batch gradient. targets: the chunk's. False when cancelled.
bool backwardChunk(CombinationRun& run, Workspace& ws, const at::Tensor& input, const at::Tensor& targets, int batch,
                   bool firstChunk, bool lastChunk, DeepSink& out, StepCounter& steps)
{
    const int depth = static_cast<int>(run.weights.size());
    const std::int64_t length = targets.size(0);
    const auto activation = [&](int l) {
        return l == 0 && !run.bf16 ? input : ws.activations[std::size_t(l)].narrow(0, 0, length);
    };
    int current = 0;
    at::Tensor grad = ws.grads[0].narrow(0, 0, length);
    // The loss's gradient in float32 (a bf16 run rounds it once, into its gradient buffer).
    at::Tensor lossGrad = run.bf16 ? ws.lossGrad.narrow(0, 0, length) : grad;
    at::_softmax_out(lossGrad, run.bf16 ? ws.lastLayer.narrow(0, 0, length).copy_(activation(depth)) : activation(depth),
                     1, false);
    const at::Tensor rows = at::arange(length, at::kLong);
    lossGrad.index_put_({rows, targets}, at::full({length}, -1.0f), true);
    lossGrad.div_(static_cast<double>(batch));
    if (run.bf16)
        grad.copy_(lossGrad);
    for (int l = depth; l >= 1; --l) {
        Lap lap;
        ChunkCounts counts;
        if (run.bf16) {
            // One pass: the derivative and the scan of dL/dh, while it is in cache.
            counts = backwardAndScanBf16(bf16Data(grad), bf16Data(activation(l)), grad.numel(),
                                         run.combination.activation, run.preGradMoments[l - 1]);
        } else {
            activationBackwardInPlace(grad, activation(l), run.combination.activation);
        }
        run.derivativeSeconds += lap();
        const at::Tensor& preGrad = grad; // dL/dh now
        at::Tensor& weightGrad = ws.weightGrads[std::size_t(l - 1)];
        if (run.bf16) {
            at::mm_out(ws.chunkWeightGrad, preGrad.t(), activation(l - 1));
            if (firstChunk)
                weightGrad.copy_(ws.chunkWeightGrad);
            else
                weightGrad.add_(ws.chunkWeightGrad);
        } else if (firstChunk) {
            at::mm_out(weightGrad, preGrad.t(), activation(l - 1));
        } else {
            weightGrad.addmm_(preGrad.t(), activation(l - 1));
        }
        run.productSeconds += lap();
        if (!run.bf16) {
            counts = scanTensor(preGrad, SaturationTest{}, run.preGradMoments[l - 1]);
            run.statisticsSeconds += lap();
        }
        if (run.histograms)
            binHistogram(run, run.preGradHistograms[l - 1], preGrad, counts);
        if (lastChunk) {
            Lap statistics;
            const Moments weightGradMoments = momentsOf(weightGrad);
            run.statisticsSeconds += statistics();
            LayerStats& s = run.finished.layers[l - 1];
            s.gradMean = weightGradMoments.mean;
            s.gradStd = weightGradMoments.std();
            s.preGradStd = run.preGradMoments[l - 1].std();
            if (run.histograms)
                s.preGradHistogram = run.preGradHistograms[l - 1].finish(run.preGradMoments[l - 1].rms());
            out.onBackwardLayer(backwardStats(run.index, s));
        }
        if (l > 1) {
            current = 1 - current;
            at::Tensor next = ws.grads[std::size_t(current)].narrow(0, 0, length);
            Lap product;
            at::mm_out(next, preGrad, run.weights[l - 1]);
            run.productSeconds += product();
            grad = next;
        }
        if (steps.step())
            return false;
    }
    return true;
}

// One combination over every chunk of the batch; false when cancelled.
bool runCombination(const DeepConfig& config, int index, const at::Tensor& inputs, const at::Tensor& targets,
                    Workspace& ws, DeepSink& out, StepCounter& steps, CombinationResult& finished)
{
    const int chunk = effectiveChunkSize(config);
    const int chunks = (config.batch + chunk - 1) / chunk;
    out.onCombinationStarted(index);
    const auto started = std::chrono::steady_clock::now();
    CombinationRun run = startCombination(config, index);
    for (int c = 0; c < chunks; ++c) {
        const bool lastChunk = c == chunks - 1;
        const int start = c * chunk;
        const int length = std::min(chunk, config.batch - start);
        const at::Tensor input = inputs.narrow(0, start, length);
        if (!forwardChunk(run, ws, input, lastChunk, out, steps) ||
            !backwardChunk(run, ws, input, targets.narrow(0, start, length), config.batch, c == 0, lastChunk, out,
                           steps))
            return false;
    }
    finished = std::move(run.finished);
    finished.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    finished.gemmFlops = deepGemmFlops(config.depth, config.width, config.batch);
    finished.histogramSeconds = run.histogramSeconds;
    finished.productSeconds = run.productSeconds;
    finished.activationSeconds = run.activationSeconds;
    finished.statisticsSeconds = run.statisticsSeconds;
    finished.derivativeSeconds = run.derivativeSeconds;
    return true;
}

} // namespace

DeepResult runDeepPropagation(const DeepConfig& config, DeepSink* sink, const CancelFlag& cancel)
{
    DeepResult result;
    if (std::string problem = validate(config); !problem.empty()) {
        result.error = problem;
        return result;
    }
    DeepSink noSink;
    DeepSink& out = sink ? *sink : noSink;

    try {
        setTorchThreads(config.threads);
        c10::InferenceMode inference; // no autograd: the backward pass is written out by hand

        // The same inputs and targets for every combination, so they are compared on equal terms.
        at::Generator dataGenerator = at::make_generator<at::CPUGeneratorImpl>(mixSeed(config.seed, 0));
        const at::Tensor inputs = at::empty({config.batch, config.width}, at::kFloat).normal_(0.0, 1.0, dataGenerator);
        const at::Tensor targets = at::randint(config.width, {config.batch}, dataGenerator, at::kLong);

        const int chunk = effectiveChunkSize(config);
        const int chunks = (config.batch + chunk - 1) / chunk;
        StepCounter steps(out, cancel, double(config.combinations.size()) * chunks * 2.0 * config.depth);
        Workspace ws(config.depth, chunk, config.width, config.bf16);
        for (std::size_t ci = 0; ci < config.combinations.size(); ++ci) {
            CombinationResult finished;
            if (!runCombination(config, static_cast<int>(ci), inputs, targets, ws, out, steps, finished)) {
                result.cancelled = true;
                return result;
            }
            result.combinations.push_back(finished);
            out.onCombinationFinished(static_cast<int>(ci), finished);
        }
    } catch (const std::bad_alloc&) {
        result.error = "out of memory: try a smaller batch, width or depth, or a chunk size";
    } catch (const std::exception& e) {
        result.error = std::string("the run failed: ") + e.what();
    }
    return result;
}

} // namespace initlab

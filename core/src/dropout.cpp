#include "initlab/dropout.h"

#include "initlab/blas.h"
#include "dropout_kernel.h"
#include "ensemble_throttle.h"
#include "torch_adamw.h"
#include "seeding.h"
#include "torch_init.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

namespace initlab {
namespace {

using Clock = std::chrono::steady_clock;

// The net's parameters in one flat buffer (what the optimizer and the checkpoints see), with a
// weight [out, in] and bias [out] view per layer.
struct Net {
    std::vector<int> sizes;
    at::Tensor flat;
    std::vector<at::Tensor> weight;
    std::vector<at::Tensor> bias;

    std::size_t layers() const { return weight.size(); }
};

Net viewsInto(const at::Tensor& flat, const std::vector<int>& sizes)
{
    Net net;
    net.sizes = sizes;
    net.flat = flat;
    std::int64_t offset = 0;
    for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
        const std::int64_t in = sizes[l], out = sizes[l + 1];
        net.weight.push_back(flat.narrow(0, offset, out * in).view({out, in}));
        offset += out * in;
        net.bias.push_back(flat.narrow(0, offset, out));
        offset += out;
    }
    return net;
}

at::Tensor imagesAsFloat(const ImageSet& set, int begin, int end)
{
    const int n = end - begin;
    const int pixels = set.pixelsPerImage();
    at::Tensor bytes = at::from_blob(const_cast<std::uint8_t*>(set.pixels.data()) + std::size_t(begin) * pixels,
                                     {n, pixels}, at::kByte);
    return bytes.to(at::kFloat).div_(255.0);
}

at::Tensor labelsAsLong(const ImageSet& set, int begin, int end)
{
    at::Tensor bytes = at::from_blob(const_cast<std::uint8_t*>(set.labels.data()) + begin, {end - begin}, at::kByte);
    return bytes.to(at::kLong);
}

// Preallocated buffers of one training step, so a step allocates as little as ATen lets it.
struct StepBuffers {
    at::Tensor x, labels, oneHot;
    std::vector<at::Tensor> input;  // per layer input after dropout
    std::vector<at::Tensor> output; // per layer output (ReLU applied on hidden layers)
    std::vector<at::Tensor> gradIn; // dL/d(layer input after dropout)
    std::vector<at::Tensor> gradOut;
};

StepBuffers makeBuffers(const std::vector<int>& sizes, int batch)
{
    StepBuffers b;
    b.x = at::empty({batch, sizes.front()}, at::kFloat);
    b.labels = at::empty({batch}, at::kLong);
    b.oneHot = at::empty({batch, sizes.back()}, at::kFloat);
    for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
        b.input.push_back(at::empty({batch, sizes[l]}, at::kFloat));
        b.output.push_back(at::empty({batch, sizes[l + 1]}, at::kFloat));
        b.gradIn.push_back(at::empty({batch, sizes[l]}, at::kFloat));
        b.gradOut.push_back(at::empty({batch, sizes[l + 1]}, at::kFloat));
    }
    return b;
}

// dst = dropout(src), both contiguous and of one shape (float or bfloat16), split over threads.
void applyDropout(const at::Tensor& src, at::Tensor& dst, double p, std::uint64_t seed, std::uint64_t stream)
{
    const std::int64_t n = src.numel();
    if (src.scalar_type() == at::kBFloat16) {
        const auto* in = reinterpret_cast<const std::uint16_t*>(src.data_ptr<at::BFloat16>());
        auto* out = reinterpret_cast<std::uint16_t*>(dst.data_ptr<at::BFloat16>());
        at::parallel_for(0, n, 1 << 14, [&](std::int64_t b, std::int64_t e) {
            dropoutApplyBf16(in, out, b, e, p, seed, stream);
        });
        return;
    }
    const float* in = src.data_ptr<float>();
    float* out = dst.data_ptr<float>();
    at::parallel_for(0, n, 1 << 14, [&](std::int64_t b, std::int64_t e) { dropoutApply(in, out, b, e, p, seed, stream); });
}

// a = dropout(relu(a)) in place, one pass over a hidden layer's output: the next layer's input with
// the masks applyDropout draws, bit for bit what relu_ followed by applyDropout gives.
void reluDropout(at::Tensor& a, double p, std::uint64_t seed, std::uint64_t stream)
{
    const std::int64_t n = a.numel();
    if (a.scalar_type() == at::kBFloat16) {
        auto* data = reinterpret_cast<std::uint16_t*>(a.data_ptr<at::BFloat16>());
        at::parallel_for(0, n, 1 << 14, [&](std::int64_t b, std::int64_t e) {
            reluDropoutApplyBf16(data, data, b, e, p, seed, stream);
        });
        return;
    }
    float* data = a.data_ptr<float>();
    at::parallel_for(0, n, 1 << 14,
                     [&](std::int64_t b, std::int64_t e) { reluDropoutApply(data, data, b, e, p, seed, stream); });
}

at::Tensor rows(const at::Tensor& t, std::int64_t n)
{
    return t.size(0) == n ? t : t.narrow(0, 0, n);
}

// Forward in evaluation mode (dropout off: inverted dropout needs no rescaling) in chunks; returns
// logits [n, classes].
at::Tensor evaluateLogits(const Net& net, const at::Tensor& x)
{
    at::Tensor a = x;
    for (std::size_t l = 0; l < net.layers(); ++l) {
        a = at::addmm(net.bias[l], a, net.weight[l].t());
        if (l + 1 < net.layers())
            a.relu_();
    }
    return a;
}

struct Evaluation {
    double loss = 0.0;
    double accuracy = 0.0;
};

Evaluation evaluate(const Net& net, const at::Tensor& x, const at::Tensor& labels)
{
    const std::int64_t n = x.size(0);
    double lossSum = 0.0;
    std::int64_t correct = 0;
    for (std::int64_t start = 0; start < n; start += 2000) {
        const std::int64_t len = std::min<std::int64_t>(2000, n - start);
        const at::Tensor logits = evaluateLogits(net, x.narrow(0, start, len));
        const at::Tensor y = labels.narrow(0, start, len);
        lossSum += at::nll_loss(at::log_softmax(logits, 1), y, {}, at::Reduction::Sum).item<double>();
        correct += logits.argmax(1).eq(y).sum().item<std::int64_t>();
    }
    return {lossSum / double(n), double(correct) / double(n)};
}

// One sweep of MC-dropout passes with running averages. Everything the runner and
// evaluateEnsemble report comes from here, so the T = 5 ensemble is the first 5 passes of the
// T = 1000 one.
struct SweepOutput {
    double singlePassAcc = 0.0;
    std::vector<double> ensembleAcc;
    std::vector<ConfusionMatrix> confusion;
    at::Tensor meanDistribution; // [n, classes], of all passes
    at::Tensor singlePrediction;
    double seconds = 0.0;
    double flops = 0.0;
    bool cancelled = false;
};

ConfusionMatrix confusionOf(const at::Tensor& labels, const at::Tensor& predicted, std::int64_t classes, int passes)
{
    ConfusionMatrix m;
    m.passes = passes;
    const at::Tensor counts = at::bincount(labels * classes + predicted, {}, classes * classes);
    m.counts.assign(counts.data_ptr<std::int64_t>(), counts.data_ptr<std::int64_t>() + classes * classes);
    return m;
}

// The weights of a net in the type the MC passes run in.
struct PassWeights {
    std::vector<at::Tensor> weight, bias;
};

PassWeights passWeights(const Net& net, at::ScalarType type)
{
    PassWeights w;
    for (std::size_t l = 0; l < net.layers(); ++l) {
        w.weight.push_back(net.weight[l].to(type));
        w.bias.push_back(net.bias[l].to(type));
    }
    return w;
}

// Where the passes of a sweep write: layer 0's masked input (with dropout on) and every layer's
// output, allocated once per sweep rather than once per pass.
struct PassBuffers {
    at::Tensor input;
    std::vector<at::Tensor> output;
};

PassBuffers passBuffers(const PassWeights& w, const at::Tensor& input, double p)
{
    PassBuffers b;
    if (p > 0)
        b.input = at::empty_like(input);
    for (const at::Tensor& weight : w.weight)
        b.output.push_back(at::empty({input.size(0), weight.size(0)}, input.options()));
    return b;
}

// The logits of MC pass number t: dropout on before every layer, its masks drawn from the pass's
// own hash stream, t * 16 + layer. The same streams in fp32 and bf16 runs: the two see the same
// masks. A hidden layer's ReLU and the next layer's dropout are one pass over its output. The
// logits may be a view of the buffers, valid until the next pass.
at::Tensor dropoutPass(const PassWeights& w, const at::Tensor& input, double p, std::uint64_t maskSeed, int t,
                       PassBuffers& buffers)
{
    const auto stream = [t](std::size_t l) { return std::uint64_t(t) * 16 + l; };
    at::Tensor a = input;
    if (p > 0) {
        applyDropout(input, buffers.input, p, maskSeed, stream(0));
        a = buffers.input;
    }
    const std::size_t layers = w.weight.size();
    for (std::size_t l = 0; l < layers; ++l) {
        at::addmm_out(buffers.output[l], w.bias[l], a, w.weight[l].t());
        a = buffers.output[l];
        if (l + 1 == layers)
            break;
        if (p > 0)
            reluDropout(a, p, maskSeed, stream(l + 1));
        else
            a.relu_();
    }
    return a.to(at::kFloat);
}

SweepOutput sweep(const Net& net, double p, const at::Tensor& x, const at::Tensor& labels, int passes,
                  const std::vector<int>& confusionAt, bool averageProbabilities, bool bf16, std::uint64_t seed,
                  const CancelFlag* cancel, const std::function<void(int, double)>& onPass)
{
    SweepOutput out;
    const std::int64_t n = x.size(0);
    const std::int64_t classes = net.sizes.back();

    const at::Tensor single = evaluateLogits(net, x).argmax(1);
    out.singlePrediction = single;
    out.singlePassAcc = single.eq(labels).sum().item<double>() / double(n);
    out.confusion.push_back(confusionOf(labels, single, classes, 0));

    const at::ScalarType type = bf16 ? at::kBFloat16 : at::kFloat;
    const PassWeights weights = passWeights(net, type);
    const at::Tensor input = x.to(type);
    const std::uint64_t maskSeed = mixSeed(seed, 7);
    PassBuffers buffers = passBuffers(weights, input, p);
    at::Tensor sum = at::zeros({n, classes}, at::kFloat);
    out.ensembleAcc.reserve(passes);
    const auto started = Clock::now();
    for (int t = 1; t <= passes; ++t) {
        const at::Tensor logits = dropoutPass(weights, input, p, maskSeed, t, buffers);
        if (averageProbabilities)
            sum.add_(at::softmax(logits, 1));
        else
            sum.add_(logits);
        const at::Tensor predicted = sum.argmax(1);
        const double accuracy = predicted.eq(labels).sum().item<double>() / double(n);
        out.ensembleAcc.push_back(accuracy);
        if (std::find(confusionAt.begin(), confusionAt.end(), t) != confusionAt.end())
            out.confusion.push_back(confusionOf(labels, predicted, classes, t));
        if (onPass)
            onPass(t, accuracy);
        if (cancel && cancel->load(std::memory_order_relaxed)) {
            out.cancelled = true;
            break;
        }
    }
    out.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    out.flops = forwardFlops(net.sizes, static_cast<int>(n)) * double(out.ensembleAcc.size());
    const double done = std::max<std::size_t>(1, out.ensembleAcc.size());
    out.meanDistribution = averageProbabilities ? sum / done : at::softmax(sum / done, 1);
    return out;
}

std::vector<UncertainImage> gallery(const SweepOutput& s, const ImageSet& test, int count)
{
    std::vector<UncertainImage> images;
    if (!s.meanDistribution.defined() || count <= 0)
        return images;
    const at::Tensor probability = s.meanDistribution;
    const at::Tensor entropy = (probability * probability.clamp_min(1e-12).log()).sum(1).neg();
    const std::int64_t k = std::min<std::int64_t>(count, entropy.size(0));
    const auto [values, indices] = at::topk(entropy, k);
    const at::Tensor predicted = probability.argmax(1);
    const int pixels = test.pixelsPerImage();
    for (std::int64_t i = 0; i < k; ++i) {
        UncertainImage image;
        image.testIndex = static_cast<int>(indices[i].item<std::int64_t>());
        image.entropy = values[i].item<double>();
        image.label = test.labels[image.testIndex];
        image.predicted = static_cast<int>(predicted[image.testIndex].item<std::int64_t>());
        const at::Tensor row = probability[image.testIndex].contiguous();
        image.meanProbability.assign(row.data_ptr<float>(), row.data_ptr<float>() + row.numel());
        image.pixels.assign(test.pixels.begin() + std::size_t(image.testIndex) * pixels,
                            test.pixels.begin() + std::size_t(image.testIndex + 1) * pixels);
        images.push_back(std::move(image));
    }
    return images;
}

std::string pName(double p)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", p);
    return buffer;
}

} // namespace

double forwardFlops(const std::vector<int>& sizes, int n)
{
    double flops = 0.0;
    for (std::size_t l = 0; l + 1 < sizes.size(); ++l)
        flops += 2.0 * n * double(sizes[l]) * sizes[l + 1];
    return flops;
}

std::int64_t parameterCount(const std::vector<int>& sizes)
{
    std::int64_t n = 0;
    for (std::size_t l = 0; l + 1 < sizes.size(); ++l)
        n += std::int64_t(sizes[l]) * sizes[l + 1] + sizes[l + 1];
    return n;
}

std::string validate(const DropoutConfig& c, const MnistDataset& data)
{
    if (c.ps.empty())
        return "choose at least one dropout probability p";
    for (double p : c.ps)
        if (!std::isfinite(p) || p < 0.0 || p >= 1.0)
            return "dropout probabilities must be in [0, 1) (got " + pName(p) + ")";
    if (c.hidden.empty())
        return "the net needs at least one hidden layer";
    for (int h : c.hidden)
        if (h < 1 || h > 16384)
            return "hidden layer sizes must be between 1 and 16384 (got " + std::to_string(h) + ")";
    if (!std::isfinite(c.learningRate) || c.learningRate <= 0)
        return "the learning rate must be a positive number";
    if (!std::isfinite(c.weightDecay) || c.weightDecay < 0)
        return "the weight decay must be a number >= 0";
    if (!std::isfinite(c.normalStd) || c.normalStd < 0)
        return "sigma of the normal scheme must be a number >= 0";
    if (c.batch < 1 || c.batch > 65536)
        return "the batch size must be between 1 and 65536 (got " + std::to_string(c.batch) + ")";
    if (c.epochs < 1 || c.epochs > 100000)
        return "epochs must be between 1 and 100000 (got " + std::to_string(c.epochs) + ")";
    const int trainCount = data.train.count;
    // A reversed range is empty whatever the data, and says so, as initlab-cli's --train and --val do.
    if (c.trainEnd <= c.trainBegin)
        return "the training range " + std::to_string(c.trainBegin) + "-" + std::to_string(c.trainEnd)
            + " is empty (its end must be greater than its start)";
    if (c.trainBegin < 0 || c.trainEnd > trainCount)
        return "the training range " + std::to_string(c.trainBegin) + "-" + std::to_string(c.trainEnd)
            + " must lie within the " + std::to_string(trainCount) + " images of the training file";
    if (c.validationEnd <= c.validationBegin)
        return "the validation range " + std::to_string(c.validationBegin) + "-" + std::to_string(c.validationEnd)
            + " is empty (its end must be greater than its start)";
    if (c.validationBegin < 0 || c.validationEnd > trainCount)
        return "the validation range " + std::to_string(c.validationBegin) + "-" + std::to_string(c.validationEnd)
            + " must lie within the " + std::to_string(trainCount) + " images of the training file";
    if (c.trainBegin < c.validationEnd && c.validationBegin < c.trainEnd)
        return "the training and validation ranges overlap";
    if (c.testLimit < 0)
        return "the test limit must be 0 (all) or positive";
    if (data.test.count < 1)
        return "the test file holds no images";
    for (int t : c.ensembleSizes)
        if (t < 1 || t > 100000)
            return "ensemble sizes must be between 1 and 100000 (got " + std::to_string(t) + ")";
    if (c.galleryCount < 0 || c.galleryCount > 1000)
        return "the gallery size must be between 0 and 1000";
    if (c.threads < 0 || c.threads > 1024)
        return "threads must be between 0 (all cores) and 1024";
    return {};
}

namespace {

// What every p of a run shares: the settings, the data as tensors, the net's layer sizes, and the
// progress, counted in FLOPs so that an ensemble pass weighs what it costs against a training step.
struct RunContext {
    RunContext(const DropoutConfig& config, const MnistDataset& data, DropoutSink& out, const CancelFlag& cancel)
        : config(config)
        , data(data)
        , out(out)
        , cancel(cancel)
    {
        sizes = {data.train.pixelsPerImage()};
        sizes.insert(sizes.end(), config.hidden.begin(), config.hidden.end());
        sizes.push_back(kMnistClasses);
        trainX = imagesAsFloat(data.train, config.trainBegin, config.trainEnd);
        trainY = labelsAsLong(data.train, config.trainBegin, config.trainEnd);
        valX = imagesAsFloat(data.train, config.validationBegin, config.validationEnd);
        valY = labelsAsLong(data.train, config.validationBegin, config.validationEnd);
        const int testCount = config.testLimit > 0 ? std::min(config.testLimit, data.test.count) : data.test.count;
        testX = imagesAsFloat(data.test, 0, testCount);
        testY = labelsAsLong(data.test, 0, testCount);

        trainN = trainX.size(0);
        stepsPerEpoch = static_cast<int>((trainN + config.batch - 1) / config.batch);
        tMax = config.ensembleSizes.empty()
            ? 0
            : *std::max_element(config.ensembleSizes.begin(), config.ensembleSizes.end());
        stepFlops = 3.0 * forwardFlops(sizes, config.batch);
        passFlops = forwardFlops(sizes, testCount);
        const double runFlops = stepFlops * stepsPerEpoch * config.epochs + passFlops * tMax;
        totalFlops = runFlops * config.ps.size();
    }

    // Reports the share done, at most every 50 ms unless forced.
    void progress(bool force)
    {
        const auto now = Clock::now();
        if (force || now - lastProgress > std::chrono::milliseconds(50)) {
            lastProgress = now;
            out.onProgress(std::min(1.0, doneFlops / totalFlops));
        }
    }

    const DropoutConfig& config;
    const MnistDataset& data;
    DropoutSink& out;
    const CancelFlag& cancel;
    std::vector<int> sizes;
    at::Tensor trainX, trainY, valX, valY, testX, testY;
    std::int64_t trainN = 0;
    int stepsPerEpoch = 0;
    int tMax = 0;
    double stepFlops = 0.0;
    double passFlops = 0.0;
    double totalFlops = 0.0;
    double doneFlops = 0.0;
    Clock::time_point lastProgress = Clock::now();
};

// The initial weights of every p: the same for all of them, so the comparison is of dropout only.
Net initialNet(const at::Tensor& parameters, const RunContext& run)
{
    Net net = viewsInto(parameters, run.sizes);
    at::Generator initGenerator = at::make_generator<at::CPUGeneratorImpl>(mixSeed(run.config.seed, 1));
    const InitSpec spec{run.config.init, Activation::Relu, run.config.normalStd};
    for (at::Tensor& w : net.weight)
        initializeWeight(w, spec, initGenerator);
    return net;
}

// One p's net in training: its weights and their gradient, the best epoch's copy, the optimizer,
// the data order (the same for every p) and the dropout masks, and the buffers of a step.
struct Trainee {
    Trainee(const RunContext& run, double p)
        : p(p)
        , parameters(at::zeros({parameterCount(run.sizes)}, at::kFloat))
        , net(initialNet(parameters, run))
        , gradient(at::zeros_like(parameters))
        , grad(viewsInto(gradient, run.sizes))
        , best(parameters.clone())
        , optimizer(parameters, run.config.learningRate, run.config.weightDecay)
        , orderGenerator(at::make_generator<at::CPUGeneratorImpl>(mixSeed(run.config.seed, 2)))
        , maskSeed(mixSeed(run.config.seed, 3))
        , buffers(makeBuffers(run.sizes, run.config.batch))
        , layerInput(net.layers())
        , keepScale(p > 0 ? static_cast<float>(1.0 / (1.0 - p)) : 1.0f)
    {
    }

    double p;
    at::Tensor parameters;
    Net net;
    at::Tensor gradient;
    Net grad;
    at::Tensor best;
    FlatAdamW optimizer;
    at::Generator orderGenerator;
    std::uint64_t maskSeed;
    StepBuffers buffers;
    std::vector<at::Tensor> layerInput; // per layer, what its weight gradient multiplies
    float keepScale;
    int stepsDone = 0;
    double trainSeconds = 0.0;
};

// The logits of a batch of b images in x, with dropout before every layer.
at::Tensor forwardWithDropout(Trainee& t, const at::Tensor& x, std::int64_t b)
{
    at::Tensor a = x;
    const std::size_t layers = t.net.layers();
    for (std::size_t l = 0; l < layers; ++l) {
        at::Tensor in = a;
        if (t.p > 0) {
            in = rows(t.buffers.input[l], b);
            applyDropout(a, in, t.p, t.maskSeed, std::uint64_t(t.stepsDone) * 16 + l);
        }
        t.layerInput[l] = in;
        at::Tensor o = rows(t.buffers.output[l], b);
        at::addmm_out(o, t.net.bias[l], in, t.net.weight[l].t());
        if (l + 1 < layers)
            o.relu_();
        a = o;
    }
    return a;
}

// The gradient of the batch's mean cross-entropy, from g = dL/dlogits down, into t.gradient.
void backward(Trainee& t, at::Tensor g, std::int64_t b)
{
    for (std::size_t l = t.net.layers(); l-- > 0;) {
        at::mm_out(t.grad.weight[l], g.t(), t.layerInput[l]);
        at::sum_out(t.grad.bias[l], g, {0});
        if (l == 0)
            break;
        at::Tensor gIn = rows(t.buffers.gradIn[l], b);
        at::mm_out(gIn, g, t.net.weight[l]);
        // Through dropout and the previous layer's ReLU at once: the dropped input is positive
        // exactly where the ReLU was active and the unit was kept.
        at::Tensor gOut = rows(t.buffers.gradOut[l - 1], b);
        if (t.p > 0)
            at::threshold_backward_out(gOut, gIn.mul_(t.keepScale), t.layerInput[l], 0);
        else
            at::threshold_backward_out(gOut, gIn, rows(t.buffers.output[l - 1], b), 0);
        g = gOut;
    }
}

// What an epoch's steps add up: the summed cross-entropy and the right answers, with dropout on.
struct EpochSums {
    at::Tensor loss = at::zeros({}, at::kDouble);
    at::Tensor correct = at::zeros({}, at::kLong);
};

// One AdamW step on the batch of the epoch's order that begins at `start`.
void trainStep(const RunContext& run, Trainee& t, const at::Tensor& order, std::int64_t start, EpochSums& sums)
{
    const std::int64_t b = std::min<std::int64_t>(run.config.batch, run.trainN - start);
    const at::Tensor index = order.narrow(0, start, b);
    at::Tensor x = rows(t.buffers.x, b);
    at::Tensor y = rows(t.buffers.labels, b);
    at::index_select_out(x, run.trainX, 0, index);
    at::index_select_out(y, run.trainY, 0, index);

    const at::Tensor logits = forwardWithDropout(t, x, b);
    const at::Tensor logProbabilities = at::log_softmax(logits, 1);
    at::Tensor oneHot = rows(t.buffers.oneHot, b);
    oneHot.zero_().scatter_(1, y.unsqueeze(1), 1.0f);
    sums.loss.sub_((logProbabilities * oneHot).sum());
    sums.correct.add_(logits.argmax(1).eq(y).sum());

    backward(t, logProbabilities.exp().sub_(oneHot).div_(double(b)), b);
    t.optimizer.step(t.gradient);
    ++t.stepsDone;
}

// Trains one epoch, in the order drawn for it. False when a cancel stopped it.
bool trainEpoch(RunContext& run, Trainee& t, EpochSums& sums)
{
    const at::Tensor order = at::randperm(run.trainN, t.orderGenerator, at::kLong);
    for (int step = 0; step < run.stepsPerEpoch; ++step) {
        trainStep(run, t, order, std::int64_t(step) * run.config.batch, sums);
        run.doneFlops += run.stepFlops;
        run.progress(false);
        if (run.cancel.load(std::memory_order_relaxed))
            return false;
    }
    return true;
}

// The epoch's record: its training sums and the validation with dropout off.
DropoutEpoch validateEpoch(const RunContext& run, const Trainee& t, const EpochSums& sums, int runIndex, int epoch,
                           Clock::time_point started)
{
    DropoutEpoch e;
    e.run = runIndex;
    e.epoch = epoch;
    e.trainLoss = sums.loss.item<double>() / double(run.trainN);
    e.trainAcc = double(sums.correct.item<std::int64_t>()) / double(run.trainN);
    const Evaluation validation = evaluate(t.net, run.valX, run.valY);
    e.valLoss = validation.loss;
    e.valAcc = validation.accuracy;
    e.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    return e;
}

// The epoch's weights become the best ones, written to the run folder when there is one. Returns
// the problem when they cannot be written (a full disk, a file-size limit): the file is what a run
// keeps, so the run fails then rather than going on to report weights nobody can evaluate again.
std::string keepCheckpoint(const RunContext& run, Trainee& t, DropoutRunResult& r, const DropoutEpoch& e)
{
    r.bestValAcc = e.valAcc;
    r.bestEpoch = e.epoch;
    t.best.copy_(t.parameters);
    if (run.config.runFolder.empty())
        return {};
    DropoutCheckpoint checkpoint;
    checkpoint.p = t.p;
    checkpoint.epoch = e.epoch;
    checkpoint.sizes = run.sizes;
    checkpoint.parameters.assign(t.best.data_ptr<float>(), t.best.data_ptr<float>() + t.best.numel());
    r.checkpointPath = (std::filesystem::path(run.config.runFolder) / ("best-p" + pName(t.p) + ".ckpt")).string();
    std::string problem = writeCheckpoint(r.checkpointPath, checkpoint);
    if (!problem.empty())
        r.checkpointPath.clear();
    return problem;
}

// How the training or the sweep of one p ended.
enum class Ending { Finished, Cancelled, Failed };

// Trains one p for the config's epochs, keeping the best validation epoch, until it diverges.
// Cancelled when a cancel stopped it; Failed, with failure set, when its best weights could not be
// written.
Ending train(RunContext& run, Trainee& t, int runIndex, DropoutRunResult& r, std::string& failure)
{
    for (int epoch = 1; epoch <= run.config.epochs; ++epoch) {
        // At small batches every GEMM is a few microseconds of work: a second thread only adds a
        // synchronisation per op (and spins when the machine is busy).
        setTorchThreads(run.config.batch <= 64 ? 1 : run.config.threads);
        const auto started = Clock::now();
        EpochSums sums;
        if (!trainEpoch(run, t, sums))
            return Ending::Cancelled;
        t.trainSeconds += std::chrono::duration<double>(Clock::now() - started).count();
        setTorchThreads(run.config.threads);

        const DropoutEpoch e = validateEpoch(run, t, sums, runIndex, epoch, started);
        if (!std::isfinite(e.trainLoss) || !std::isfinite(e.valLoss)) {
            r.divergedEpoch = epoch;
            r.message = "p = " + pName(t.p) + ": training diverged (the loss became NaN or infinite) in epoch "
                + std::to_string(epoch)
                + (epoch > 1 ? "; its curves up to epoch " + std::to_string(epoch - 1) + " are kept"
                             : "; there is no epoch before it to keep");
            run.out.onMessage(r.message);
            return Ending::Finished;
        }
        r.history.push_back(e);
        run.out.onEpoch(e);
        if (e.valAcc > r.bestValAcc || r.bestEpoch == 0) {
            if (std::string problem = keepCheckpoint(run, t, r, e); !problem.empty()) {
                r.message = "p = " + pName(t.p) + ": stopped in epoch " + std::to_string(epoch)
                    + ": its best weights could not be written";
                failure = "p = " + pName(t.p) + ", epoch " + std::to_string(epoch) + ": " + problem;
                return Ending::Failed;
            }
        }
    }
    return Ending::Finished;
}

// One sweep of MC-dropout passes over the test images with the best weights. False when a cancel
// stopped it.
bool sweepBest(RunContext& run, const Trainee& t, int runIndex, DropoutRunResult& r)
{
    const Net bestNet = viewsInto(t.best, run.sizes);
    EnsembleThrottle throttle(run.config.ensembleSizes, run.tMax);
    const SweepOutput s = sweep(bestNet, t.p, run.testX, run.testY, run.tMax, run.config.ensembleSizes,
                                run.config.averageProbabilities, run.config.bf16Inference, run.config.seed,
                                &run.cancel, [&](int passes, double accuracy) {
                                    run.doneFlops += run.passFlops;
                                    if (throttle.due(passes))
                                        run.out.onEnsemble(runIndex, passes, accuracy);
                                    run.progress(false);
                                });
    r.singlePassAcc = s.singlePassAcc;
    r.ensembleAcc = s.ensembleAcc;
    r.confusion = s.confusion;
    r.ensembleSeconds = s.seconds;
    r.ensembleFlops = s.flops;
    r.gallery = gallery(s, run.data.test, run.config.galleryCount);
    return !s.cancelled;
}

// Trains p number runIndex and scores its best checkpoint; ending says whether a cancel stopped it
// or it failed, and failure why.
DropoutRunResult trainAndScore(RunContext& run, int runIndex, Ending& ending, std::string& failure)
{
    const double p = run.config.ps[std::size_t(runIndex)];
    DropoutRunResult r;
    r.p = p;
    Trainee t(run, p);
    ending = train(run, t, runIndex, r, failure);
    r.stepsPerSecond = t.trainSeconds > 0 ? t.stepsDone / t.trainSeconds : 0.0;
    if (ending == Ending::Cancelled)
        r.message = "p = " + pName(p) + ": cancelled during training; no ensembles were evaluated";
    if (ending != Ending::Finished)
        return r;
    setTorchThreads(run.config.threads);
    if (r.bestEpoch > 0 && run.tMax > 0)
        ending = sweepBest(run, t, runIndex, r) ? Ending::Finished : Ending::Cancelled;
    else
        run.doneFlops += run.passFlops * run.tMax;
    return r;
}

} // namespace

DropoutResult runDropout(const DropoutConfig& config, const MnistDataset& data, DropoutSink* sink,
                         const CancelFlag& cancel)
{
    DropoutResult result;
    result.kind = data.kind;
    result.classNames = data.classNames;
    result.rows = data.train.rows;
    result.cols = data.train.cols;
    result.averageProbabilities = config.averageProbabilities;
    if (std::string problem = validate(config, data); !problem.empty()) {
        result.error = problem;
        return result;
    }
    DropoutSink noSink;
    DropoutSink& out = sink ? *sink : noSink;

    try {
        setTorchThreads(config.threads);
        c10::InferenceMode inference; // the backward pass is written out by hand
        RunContext run(config, data, out, cancel);
        if (!config.runFolder.empty()) {
            std::error_code ec;
            std::filesystem::create_directories(config.runFolder, ec);
            if (ec) {
                result.error = "cannot create the run folder " + config.runFolder + ": " + ec.message();
                return result;
            }
        }
        for (std::size_t index = 0; index < config.ps.size(); ++index) {
            Ending ending = Ending::Finished;
            std::string failure;
            DropoutRunResult r = trainAndScore(run, static_cast<int>(index), ending, failure);
            out.onRunFinished(static_cast<int>(index), r);
            result.runs.push_back(std::move(r));
            if (ending == Ending::Failed) {
                result.error = failure;
                break;
            }
            if (ending == Ending::Cancelled) {
                result.cancelled = true;
                break;
            }
            run.progress(true);
        }
        const bool stopped = result.cancelled || !result.error.empty();
        out.onProgress(stopped ? run.doneFlops / run.totalFlops : 1.0);
    } catch (const std::bad_alloc&) {
        result.error = "out of memory: try a smaller net, batch or test set";
    } catch (const std::exception& e) {
        result.error = std::string("the run failed: ") + e.what();
    }
    return result;
}

EnsembleEvaluation evaluateEnsemble(const DropoutCheckpoint& checkpoint, const ImageSet& test, int passes,
                                    bool averageProbabilities, std::uint64_t seed, bool bf16, const CancelFlag* cancel,
                                    const std::function<void(int, double)>& onPass)
{
    c10::InferenceMode inference;
    const at::Tensor flat = at::from_blob(const_cast<float*>(checkpoint.parameters.data()),
                                          {std::int64_t(checkpoint.parameters.size())}, at::kFloat)
                                .clone();
    const Net net = viewsInto(flat, checkpoint.sizes);
    const SweepOutput s = sweep(net, checkpoint.p, imagesAsFloat(test, 0, test.count), labelsAsLong(test, 0, test.count),
                                passes, {}, averageProbabilities, bf16, seed, cancel, onPass);
    return {s.singlePassAcc, s.ensembleAcc};
}

} // namespace initlab

#include "initlab/circles.h"

#include "initlab/blas.h"
#include "torch_activation.h"
#include "torch_adamw.h"
#include "seeding.h"
#include "torch_init.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>

namespace initlab {
namespace {

PointSet generateSplit(const CirclesDataConfig& c, int size, std::uint64_t seed)
{
    std::mt19937_64 random(seed);
    std::uniform_real_distribution<double> angle(0.0, 2.0 * M_PI);
    std::uniform_real_distribution<double> jitter(-c.noise, c.noise);
    PointSet points;
    points.x.reserve(size);
    points.y.reserve(size);
    points.label.reserve(size);
    for (int i = 0; i < size; ++i) {
        const int label = (i % 2 == 0) ? 1 : 0; // alternate, so any prefix is balanced too
        const double radius = (label == 1 ? c.outerRadius : c.innerRadius) + (c.noise > 0 ? jitter(random) : 0.0);
        const double theta = angle(random);
        points.x.push_back(static_cast<float>(c.centerX + radius * std::cos(theta)));
        points.y.push_back(static_cast<float>(c.centerY + radius * std::sin(theta)));
        points.label.push_back(label);
    }
    return points;
}

struct NormalizationInfo {
    Normalization mode;
    std::string_view name;
    std::string_view display;
    std::string_view description;
};

constexpr std::array kNormalizations{
    NormalizationInfo{Normalization::Raw, "raw", "Raw",
                      "the points as generated, centred at (10, 10): large inputs far from the origin"},
    NormalizationInfo{Normalization::Standard, "standard", "Standardized",
                      "minus the training mean, divided by the training std, per coordinate (applied to every split)"},
    NormalizationInfo{Normalization::Scaled, "scaled", "Standardized x factor",
                      "standardized, then multiplied by a small factor (default 0.01): tiny inputs"},
};

const NormalizationInfo& info(Normalization mode)
{
    return *std::find_if(kNormalizations.begin(), kNormalizations.end(),
                         [&](const auto& i) { return i.mode == mode; });
}

// Layer l of every model: weights [models, out, in] and biases [models, out], views into one flat
// buffer so the optimizer and the snapshots work on all parameters at once.
struct StackedLayer {
    at::Tensor weight;
    at::Tensor bias;
};

struct StackedNet {
    at::Tensor flat;
    std::vector<StackedLayer> layers;
};

StackedNet viewsInto(const at::Tensor& flat, const std::vector<int>& sizes, std::int64_t models)
{
    StackedNet net;
    net.flat = flat;
    std::int64_t offset = 0;
    for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
        const std::int64_t in = sizes[l], out = sizes[l + 1];
        StackedLayer layer;
        layer.weight = flat.narrow(0, offset, models * out * in).view({models, out, in});
        offset += models * out * in;
        layer.bias = flat.narrow(0, offset, models * out).view({models, out});
        offset += models * out;
        net.layers.push_back(layer);
    }
    return net;
}

std::int64_t parameterCount(const std::vector<int>& sizes, std::int64_t models)
{
    std::int64_t total = 0;
    for (std::size_t l = 0; l + 1 < sizes.size(); ++l)
        total += models * (std::int64_t(sizes[l]) * sizes[l + 1] + sizes[l + 1]);
    return total;
}

// Tensors are laid out [models, features, points]: the points, the longest dimension, innermost.
// The layers are a few units wide, where one broadcast multiply-add per input feature beats a
// batched GEMM (which pays a BLAS call per model); wide layers go to bmm.
constexpr std::int64_t kNarrow = 16;

// h = W a + b for every model: W [models, out, in], b [models, out], a [models, in, points].
at::Tensor affine(const StackedLayer& layer, const at::Tensor& a)
{
    const std::int64_t in = layer.weight.size(2);
    if (in > kNarrow)
        return at::baddbmm(layer.bias.unsqueeze(2), layer.weight, a);
    at::Tensor h = layer.bias.unsqueeze(2).expand({a.size(0), layer.weight.size(1), a.size(2)}).clone();
    for (std::int64_t k = 0; k < in; ++k)
        h.addcmul_(layer.weight.select(2, k).unsqueeze(2), a.select(1, k).unsqueeze(1));
    return h;
}

// dL/da = W^T g for every model: g [models, out, points] -> [models, in, points].
at::Tensor affineInputGradient(const StackedLayer& layer, const at::Tensor& g)
{
    const std::int64_t out = layer.weight.size(1);
    if (out > kNarrow)
        return at::bmm(layer.weight.transpose(1, 2), g);
    at::Tensor da = layer.weight.select(1, 0).unsqueeze(2) * g.select(1, 0).unsqueeze(1);
    for (std::int64_t o = 1; o < out; ++o)
        da.addcmul_(layer.weight.select(1, o).unsqueeze(2), g.select(1, o).unsqueeze(1));
    return da;
}

// dL/dW = g a^T into `weightGradient` [models, out, in].
void affineWeightGradient(at::Tensor& weightGradient, const at::Tensor& g, const at::Tensor& a)
{
    if (g.size(1) * a.size(1) > kNarrow * kNarrow)
        at::bmm_out(weightGradient, g, a.transpose(1, 2));
    else
        at::sum_out(weightGradient, g.unsqueeze(2) * a.unsqueeze(1), {3});
}

// Logits [models, 2, points] of inputs [models, 2, points]; the hidden activations are kept in
// `hidden` when given (for the backward pass and the dead-unit count).
at::Tensor forward(const StackedNet& net, const at::Tensor& inputs, Activation activation,
                   std::vector<at::Tensor>* hidden)
{
    at::Tensor a = inputs;
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        at::Tensor h = affine(net.layers[l], a);
        if (l + 1 < net.layers.size()) {
            activateInPlace(h, activation);
            if (hidden)
                hidden->push_back(h);
        }
        a = h;
    }
    return a;
}

// With two classes, softmax cross-entropy is a function of the logit difference d = z1 - z0:
// loss = softplus(-s d) with s = +1 for class 1 and -1 for class 0, P(class 1) = sigmoid(d). This
// is exactly log_softmax + NLL, without ATen's softmax, which is slow on a dimension of size 2.
at::Tensor logitDifference(const at::Tensor& logits)
{
    return logits.select(1, 1) - logits.select(1, 0);
}

// Per-model mean cross-entropy [models] and accuracy [models]; sign is 2 * label - 1.
std::pair<at::Tensor, at::Tensor> lossAndAccuracy(const at::Tensor& difference, const at::Tensor& labels,
                                                  const at::Tensor& sign)
{
    const at::Tensor loss = at::softplus(difference * sign.neg()).mean(1);
    // argmax picks class 0 on a tie, so class 1 is predicted only when d > 0.
    const at::Tensor accuracy = difference.gt(0).to(at::kFloat).eq(labels).to(at::kFloat).mean(1);
    return {loss, accuracy};
}

struct SplitTensors {
    at::Tensor inputs; // [models, 2, points]
    at::Tensor labels; // [models, points], 0 or 1 as floats
    at::Tensor sign;   // [models, points], 2 * label - 1
};

SplitTensors stackSplit(const std::vector<PointSet>& perModel)
{
    const std::int64_t models = static_cast<std::int64_t>(perModel.size());
    const std::int64_t points = perModel.front().size();
    SplitTensors split;
    split.inputs = at::empty({models, 2, points}, at::kFloat);
    split.labels = at::empty({models, points}, at::kFloat);
    auto in = split.inputs.accessor<float, 3>();
    auto lab = split.labels.accessor<float, 2>();
    for (std::int64_t m = 0; m < models; ++m)
        for (std::int64_t i = 0; i < points; ++i) {
            in[m][0][i] = perModel[m].x[i];
            in[m][1][i] = perModel[m].y[i];
            lab[m][i] = static_cast<float>(perModel[m].label[i]);
        }
    split.sign = split.labels * 2.0 - 1.0;
    return split;
}

// P(class 1) over the grid for the given models (indices into the stack).
std::vector<BoundaryImage> boundaryImages(const StackedNet& net, const std::vector<int>& models,
                                          const std::vector<NormalizationMap>& maps, Activation activation,
                                          const BoundaryBounds& bounds, int resolution, int epoch)
{
    std::vector<BoundaryImage> images;
    if (models.empty())
        return images;
    const std::int64_t count = static_cast<std::int64_t>(models.size());
    const at::Tensor index = at::tensor(std::vector<std::int64_t>(models.begin(), models.end()), at::kLong);
    StackedNet subset;
    for (const StackedLayer& layer : net.layers)
        subset.layers.push_back({layer.weight.index_select(0, index), layer.bias.index_select(0, index)});

    const std::int64_t cells = std::int64_t(resolution) * resolution;
    at::Tensor grid = at::empty({count, 2, cells}, at::kFloat);
    auto g = grid.accessor<float, 3>();
    for (std::int64_t k = 0; k < count; ++k) {
        const NormalizationMap& map = maps[models[k]];
        for (int row = 0; row < resolution; ++row) {
            const double y = bounds.yMin + (bounds.yMax - bounds.yMin) * (row + 0.5) / resolution;
            for (int col = 0; col < resolution; ++col) {
                const double x = bounds.xMin + (bounds.xMax - bounds.xMin) * (col + 0.5) / resolution;
                g[k][0][row * resolution + col] = static_cast<float>(map.mapX(x));
                g[k][1][row * resolution + col] = static_cast<float>(map.mapY(y));
            }
        }
    }
    const at::Tensor probability = at::sigmoid(logitDifference(forward(subset, grid, activation, nullptr))).contiguous();
    const float* p = probability.data_ptr<float>();
    for (std::int64_t k = 0; k < count; ++k) {
        BoundaryImage image;
        image.model = models[k];
        image.epoch = epoch;
        image.resolution = resolution;
        image.xMin = bounds.xMin;
        image.xMax = bounds.xMax;
        image.yMin = bounds.yMin;
        image.yMax = bounds.yMax;
        image.probability.assign(p + k * cells, p + (k + 1) * cells);
        images.push_back(std::move(image));
    }
    return images;
}

std::vector<float> toVector(const at::Tensor& t)
{
    const at::Tensor c = t.to(at::kFloat).contiguous();
    return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

} // namespace

// ---- data ----------------------------------------------------------------------------------

BoundaryBounds boundaryBounds(const CirclesDataConfig& c)
{
    const double reach = c.outerRadius + std::abs(c.noise) + 1.0;
    return {c.centerX - reach, c.centerX + reach, c.centerY - reach, c.centerY + reach};
}

std::string validate(const CirclesDataConfig& c)
{
    const auto finite = [](double v) { return std::isfinite(v); };
    if (!finite(c.centerX) || !finite(c.centerY))
        return "the centre must be finite numbers";
    if (!finite(c.innerRadius) || !finite(c.outerRadius) || c.innerRadius < 0 || c.outerRadius < 0)
        return "the radii must be finite numbers >= 0";
    if (!finite(c.noise) || c.noise < 0)
        return "the radial noise must be a finite number >= 0";
    if (c.trainSize < 2 || c.trainSize > 1'000'000)
        return "the training set needs between 2 and 1000000 points (got " + std::to_string(c.trainSize) + ")";
    if (c.validationSize < 1 || c.validationSize > 1'000'000)
        return "the validation set needs between 1 and 1000000 points (got " + std::to_string(c.validationSize) + ")";
    if (c.testSize < 1 || c.testSize > 1'000'000)
        return "the test set needs between 1 and 1000000 points (got " + std::to_string(c.testSize) + ")";
    return {};
}

CirclesData generateCircles(const CirclesDataConfig& config, std::uint64_t seed)
{
    CirclesData data;
    data.train = generateSplit(config, config.trainSize, mixSeed(seed, 10));
    data.validation = generateSplit(config, config.validationSize, mixSeed(seed, 11));
    data.test = generateSplit(config, config.testSize, mixSeed(seed, 12));
    return data;
}

// ---- normalization -------------------------------------------------------------------------

const std::vector<Normalization>& allNormalizations()
{
    static const std::vector<Normalization> all{Normalization::Raw, Normalization::Standard, Normalization::Scaled};
    return all;
}

std::string_view name(Normalization normalization) { return info(normalization).name; }
std::string_view displayName(Normalization normalization) { return info(normalization).display; }
std::string_view description(Normalization normalization) { return info(normalization).description; }

std::optional<Normalization> parseNormalization(std::string_view text)
{
    for (const auto& i : kNormalizations)
        if (i.name == text)
            return i.mode;
    return std::nullopt;
}

NormalizationMap fitNormalization(const PointSet& train, Normalization mode, double scaledFactor)
{
    NormalizationMap map;
    map.mode = mode;
    if (mode == Normalization::Raw || train.size() == 0)
        return map;
    const auto meanAndStd = [](const std::vector<float>& v) {
        const double mean = std::accumulate(v.begin(), v.end(), 0.0) / v.size();
        double m2 = 0.0;
        for (float x : v)
            m2 += (x - mean) * (x - mean);
        const double sd = v.size() > 1 ? std::sqrt(m2 / (v.size() - 1)) : 0.0;
        return std::pair{mean, sd > 0 ? sd : 1.0};
    };
    std::tie(map.meanX, map.stdX) = meanAndStd(train.x);
    std::tie(map.meanY, map.stdY) = meanAndStd(train.y);
    map.factor = mode == Normalization::Scaled ? scaledFactor : 1.0;
    return map;
}

PointSet applyNormalization(const PointSet& points, const NormalizationMap& map)
{
    PointSet out = points;
    for (std::size_t i = 0; i < out.x.size(); ++i) {
        out.x[i] = static_cast<float>(map.mapX(points.x[i]));
        out.y[i] = static_cast<float>(map.mapY(points.y[i]));
    }
    return out;
}

// ---- training ------------------------------------------------------------------------------

std::string validate(const CirclesConfig& config)
{
    if (std::string problem = validate(config.data); !problem.empty())
        return problem;
    if (config.inits.empty())
        return "choose at least one init scheme";
    if (config.normalizations.empty())
        return "choose at least one normalization";
    if (config.seeds < 1 || config.seeds > 1000)
        return "seeds must be between 1 and 1000 (got " + std::to_string(config.seeds) + ")";
    if (config.epochs < 1 || config.epochs > 10'000'000)
        return "epochs must be between 1 and 10000000 (got " + std::to_string(config.epochs) + ")";
    if (config.hidden.empty())
        return "the net needs at least one hidden layer";
    for (int h : config.hidden)
        if (h < 1 || h > 4096)
            return "hidden layer sizes must be between 1 and 4096 (got " + std::to_string(h) + ")";
    if (!std::isfinite(config.learningRate) || config.learningRate <= 0)
        return "the learning rate must be a positive number";
    if (!std::isfinite(config.weightDecay) || config.weightDecay < 0)
        return "the weight decay must be a number >= 0";
    if (!std::isfinite(config.scaledFactor) || config.scaledFactor <= 0)
        return "the scale factor must be a positive number";
    if (!std::isfinite(config.normalStd) || config.normalStd < 0)
        return "sigma of the normal scheme must be a number >= 0";
    if (config.boundaryResolution < 2 || config.boundaryResolution > 1024)
        return "the boundary resolution must be between 2 and 1024";
    if (config.threads < 0 || config.threads > 1024)
        return "threads must be between 0 (all cores) and 1024";
    const std::size_t models = config.inits.size() * config.normalizations.size() * config.seeds;
    if (models > 100000)
        return "too many models (" + std::to_string(models) + "): at most 100000";
    for (int m : config.liveBoundaryModels)
        if (m < 0 || std::size_t(m) >= models)
            return "a live boundary model index is out of range";
    return {};
}

std::vector<ModelKey> modelKeys(const CirclesConfig& config)
{
    std::vector<ModelKey> keys;
    for (Normalization n : config.normalizations)
        for (InitScheme init : config.inits)
            for (int s = 0; s < config.seeds; ++s)
                keys.push_back({n, init, config.firstSeed + std::uint64_t(s)});
    return keys;
}

CirclesResult runCircles(const CirclesConfig& config, CirclesSink* sink, const CancelFlag& cancel)
{
    CirclesResult result;
    if (std::string problem = validate(config); !problem.empty()) {
        result.error = problem;
        return result;
    }
    CirclesSink noSink;
    CirclesSink& out = sink ? *sink : noSink;

    try {
        setTorchThreads(config.threads);
        c10::InferenceMode inference; // the backward pass is written out by hand

        const std::vector<ModelKey> keys = modelKeys(config);
        const std::int64_t models = static_cast<std::int64_t>(keys.size());
        std::vector<int> sizes{2};
        sizes.insert(sizes.end(), config.hidden.begin(), config.hidden.end());
        sizes.push_back(2);

        // Data per seed, normalized per model with its own training statistics.
        for (int s = 0; s < config.seeds; ++s)
            result.datasets.push_back(generateCircles(config.data, config.firstSeed + std::uint64_t(s)));
        std::vector<NormalizationMap> maps;
        std::vector<PointSet> train, validation, test;
        for (const ModelKey& key : keys) {
            const CirclesData& data = result.datasets[key.seed - config.firstSeed];
            const NormalizationMap map = fitNormalization(data.train, key.normalization, config.scaledFactor);
            maps.push_back(map);
            train.push_back(applyNormalization(data.train, map));
            validation.push_back(applyNormalization(data.validation, map));
            test.push_back(applyNormalization(data.test, map));
        }
        const SplitTensors trainSplit = stackSplit(train);
        const SplitTensors validationSplit = stackSplit(validation);
        const SplitTensors testSplit = stackSplit(test);
        const double trainPoints = static_cast<double>(config.data.trainSize);

        // Parameters: each model's weights come from a generator seeded by its own seed only, so a
        // model starts the same whether it trains alone or in a stack. Biases are zero.
        const std::int64_t count = parameterCount(sizes, models);
        const at::Tensor parameters = at::zeros({count}, at::kFloat);
        StackedNet net = viewsInto(parameters, sizes, models);
        for (std::int64_t m = 0; m < models; ++m) {
            at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(mixSeed(keys[m].seed, 1));
            const InitSpec spec{keys[m].init, config.activation, config.normalStd};
            for (StackedLayer& layer : net.layers) {
                at::Tensor w = layer.weight.select(0, m);
                initializeWeight(w, spec, generator);
            }
        }
        const at::Tensor gradient = at::zeros({count}, at::kFloat);
        StackedNet grad = viewsInto(gradient, sizes, models);
        const at::Tensor best = parameters.clone();
        // Which model each flat parameter belongs to, to snapshot models one by one.
        at::Tensor modelOfParameter = at::empty({count}, at::kLong);
        {
            std::int64_t offset = 0;
            for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
                const std::int64_t perModelW = std::int64_t(sizes[l]) * sizes[l + 1];
                modelOfParameter.narrow(0, offset, models * perModelW)
                    .copy_(at::arange(models, at::kLong).repeat_interleave(perModelW));
                offset += models * perModelW;
                modelOfParameter.narrow(0, offset, models * sizes[l + 1])
                    .copy_(at::arange(models, at::kLong).repeat_interleave(sizes[l + 1]));
                offset += models * sizes[l + 1];
            }
        }
        FlatAdamW optimizer(parameters, config.learningRate, config.weightDecay);

        result.models.resize(models);
        for (std::int64_t m = 0; m < models; ++m) {
            result.models[m].key = keys[m];
            result.models[m].normalization = maps[m];
        }
        std::vector<double> bestValAcc(models, -1.0);
        std::vector<int> bestEpoch(models, 0);
        std::vector<int> divergedEpoch(models, 0);
        const BoundaryBounds bounds = boundaryBounds(config.data);

        HistoryBlock pending;
        pending.models = static_cast<int>(models);
        const auto flush = [&](int epoch, bool final) {
            if (pending.count > 0)
                out.onHistory(pending);
            pending = HistoryBlock{};
            pending.firstEpoch = epoch + 1;
            pending.models = static_cast<int>(models);
            if (!final)
                for (BoundaryImage& image : boundaryImages(net, config.liveBoundaryModels, maps, config.activation,
                                                           bounds, config.boundaryResolution, epoch))
                    out.onBoundary(image);
            out.onProgress(double(epoch) / config.epochs);
        };
        using Clock = std::chrono::steady_clock;
        auto lastReport = Clock::now();

        std::vector<at::Tensor> hidden;
        int epoch = 0;
        for (epoch = 1; epoch <= config.epochs; ++epoch) {
            // Forward and loss on the full training batch.
            hidden.clear();
            const at::Tensor difference = logitDifference(forward(net, trainSplit.inputs, config.activation, &hidden));
            const auto [trainLoss, trainAcc] = lossAndAccuracy(difference, trainSplit.labels, trainSplit.sign);

            // Backward of the sum of the models' mean losses: each model gets its own gradient.
            // dL/dz1 = (P(class 1) - label) / points = -dL/dz0.
            const at::Tensor e = at::sigmoid(difference).sub_(trainSplit.labels).div_(trainPoints);
            at::Tensor g = at::stack({e.neg(), e}, 1);
            for (std::size_t l = net.layers.size(); l-- > 0;) {
                const at::Tensor& input = l == 0 ? trainSplit.inputs : hidden[l - 1];
                affineWeightGradient(grad.layers[l].weight, g, input);
                at::sum_out(grad.layers[l].bias, g, {2});
                if (l > 0)
                    g = activationBackward(affineInputGradient(net.layers[l], g), hidden[l - 1], config.activation);
            }
            optimizer.step(gradient);

            // Validation with the updated weights, as a training loop evaluates after its step.
            const auto [valLoss, valAcc]
                = lossAndAccuracy(logitDifference(forward(net, validationSplit.inputs, config.activation, nullptr)),
                                  validationSplit.labels, validationSplit.sign);

            std::vector<float> tl = toVector(trainLoss), ta = toVector(trainAcc), vl = toVector(valLoss),
                               va = toVector(valAcc);
            std::vector<std::int64_t> improved;
            for (std::int64_t m = 0; m < models; ++m) {
                if (divergedEpoch[m] == 0 && (!std::isfinite(tl[m]) || !std::isfinite(vl[m]))) {
                    divergedEpoch[m] = epoch;
                    out.onDiverged(static_cast<int>(m), epoch);
                }
                if (divergedEpoch[m] != 0) {
                    tl[m] = ta[m] = vl[m] = va[m] = std::numeric_limits<float>::quiet_NaN();
                    continue;
                }
                ModelResult& r = result.models[m];
                r.trainLoss.push_back(tl[m]);
                r.trainAcc.push_back(ta[m]);
                r.valLoss.push_back(vl[m]);
                r.valAcc.push_back(va[m]);
                if (va[m] > bestValAcc[m]) {
                    bestValAcc[m] = va[m];
                    bestEpoch[m] = epoch;
                    improved.push_back(m);
                }
            }
            if (!improved.empty()) {
                at::Tensor mask = at::zeros({models}, at::kBool);
                mask.index_fill_(0, at::tensor(improved, at::kLong), true);
                const at::Tensor perParameter = mask.index_select(0, modelOfParameter);
                best.copy_(at::where(perParameter, parameters, best));
            }
            for (auto [vector, values] : {std::pair{&pending.trainLoss, &tl}, std::pair{&pending.trainAcc, &ta},
                                          std::pair{&pending.valLoss, &vl}, std::pair{&pending.valAcc, &va}})
                vector->insert(vector->end(), values->begin(), values->end());
            ++pending.count;

            if (config.reportIntervalMs > 0
                && Clock::now() - lastReport >= std::chrono::milliseconds(config.reportIntervalMs)) {
                flush(epoch, false);
                lastReport = Clock::now();
            }
            if (cancel.load(std::memory_order_relaxed)) {
                result.cancelled = true;
                break;
            }
        }
        result.epochsRun = std::min(epoch, config.epochs);
        flush(result.epochsRun, true);

        // Dead units with the final weights: hidden units whose output is zero on every training point.
        hidden.clear();
        forward(net, trainSplit.inputs, config.activation, &hidden);
        at::Tensor dead = at::zeros({models}, at::kLong);
        for (const at::Tensor& h : hidden)
            dead += h.ne(0).any(2).logical_not().sum(1);

        // Test accuracy and boundary of each model's best-validation weights.
        StackedNet bestNet = viewsInto(best, sizes, models);
        const auto [testLoss, testAcc]
            = lossAndAccuracy(logitDifference(forward(bestNet, testSplit.inputs, config.activation, nullptr)),
                              testSplit.labels, testSplit.sign);
        (void)testLoss;
        const std::vector<float> testAccuracy = toVector(testAcc);
        std::vector<int> all(models);
        std::iota(all.begin(), all.end(), 0);
        std::vector<BoundaryImage> images
            = boundaryImages(bestNet, all, maps, config.activation, bounds, config.boundaryResolution, 0);
        for (std::int64_t m = 0; m < models; ++m) {
            ModelResult& r = result.models[m];
            r.bestEpoch = bestEpoch[m];
            r.bestValAcc = std::max(0.0, bestValAcc[m]);
            r.testAcc = bestEpoch[m] > 0 ? testAccuracy[m] : 0.0;
            r.deadUnits = static_cast<int>(dead[m].item<std::int64_t>());
            r.divergedEpoch = divergedEpoch[m];
            images[m].epoch = bestEpoch[m];
            r.boundary = std::move(images[m]);
        }
    } catch (const std::bad_alloc&) {
        result.error = "out of memory: try fewer models, seeds or points";
    } catch (const std::exception& e) {
        result.error = std::string("the run failed: ") + e.what();
    }
    return result;
}

// ---- summary -------------------------------------------------------------------------------

std::vector<CirclesSummaryRow> summarize(const CirclesResult& result, double successThreshold)
{
    std::vector<CirclesSummaryRow> rows;
    for (std::size_t m = 0; m < result.models.size(); ++m) {
        const ModelResult& model = result.models[m];
        auto row = std::find_if(rows.begin(), rows.end(), [&](const CirclesSummaryRow& r) {
            return r.normalization == model.key.normalization && r.init == model.key.init;
        });
        if (row == rows.end()) {
            rows.push_back({model.key.normalization, model.key.init});
            row = rows.end() - 1;
            row->bestModel = static_cast<int>(m);
            row->bestSeed = model.key.seed;
        }
        ++row->seeds;
        row->meanTestAcc += model.testAcc; // sums for now
        row->sdTestAcc += model.testAcc * model.testAcc;
        row->successRate += model.testAcc >= successThreshold ? 1.0 : 0.0;
        row->meanDeadUnits += model.deadUnits;
        row->diverged += model.divergedEpoch > 0 ? 1 : 0;
        if (model.testAcc > result.models[row->bestModel].testAcc) {
            row->bestModel = static_cast<int>(m);
            row->bestSeed = model.key.seed;
        }
    }
    for (CirclesSummaryRow& row : rows) {
        const double n = row.seeds;
        const double sum = row.meanTestAcc, sumSquares = row.sdTestAcc;
        row.meanTestAcc = sum / n;
        row.sdTestAcc = n > 1 ? std::sqrt(std::max(0.0, (sumSquares - sum * sum / n) / (n - 1))) : 0.0;
        row.successRate /= n;
        row.meanDeadUnits /= n;
    }
    return rows;
}

} // namespace initlab

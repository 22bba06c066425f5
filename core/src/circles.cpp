#include "initlab/circles.h"

#include "circlesnet.h"
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

using namespace circlesnet;

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

namespace {

// The layer sizes of every model: 2 inputs, the hidden layers, 2 logits.
std::vector<int> layerSizes(const CirclesConfig& config)
{
    std::vector<int> sizes{2};
    sizes.insert(sizes.end(), config.hidden.begin(), config.hidden.end());
    sizes.push_back(2);
    return sizes;
}

// The stack's three splits, each model's normalized with its own training statistics.
struct StackSplits {
    std::vector<NormalizationMap> maps; // per model
    SplitTensors train;
    SplitTensors validation;
    SplitTensors test;
};

StackSplits stackSplits(const CirclesConfig& config, const std::vector<ModelKey>& keys,
                        const std::vector<CirclesData>& datasets)
{
    StackSplits splits;
    std::vector<PointSet> train, validation, test;
    for (const ModelKey& key : keys) {
        const CirclesData& data = datasets[key.seed - config.firstSeed];
        const NormalizationMap map = fitNormalization(data.train, key.normalization, config.scaledFactor);
        splits.maps.push_back(map);
        train.push_back(applyNormalization(data.train, map));
        validation.push_back(applyNormalization(data.validation, map));
        test.push_back(applyNormalization(data.test, map));
    }
    splits.train = stackSplit(train);
    splits.validation = stackSplit(validation);
    splits.test = stackSplit(test);
    return splits;
}

// Every model's parameters in one flat buffer, the gradient in another of the same layout, and a
// snapshot of each model's best-validation weights.
struct StackParameters {
    at::Tensor values;
    StackedNet net; // views into values
    at::Tensor gradient;
    StackedNet grad; // views into gradient
    at::Tensor best;
    at::Tensor modelOfParameter; // which model each flat parameter belongs to
};

at::Tensor parameterOwners(const std::vector<int>& sizes, std::int64_t models, std::int64_t count)
{
    at::Tensor owners = at::empty({count}, at::kLong);
    std::int64_t offset = 0;
    for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
        const std::int64_t perModelW = std::int64_t(sizes[l]) * sizes[l + 1];
        owners.narrow(0, offset, models * perModelW).copy_(at::arange(models, at::kLong).repeat_interleave(perModelW));
        offset += models * perModelW;
        owners.narrow(0, offset, models * sizes[l + 1])
            .copy_(at::arange(models, at::kLong).repeat_interleave(sizes[l + 1]));
        offset += models * sizes[l + 1];
    }
    return owners;
}

// Each model's weights come from a generator seeded by its own seed only, so a model starts the
// same whether it trains alone or in a stack. Biases are zero.
StackParameters initialParameters(const CirclesConfig& config, const std::vector<ModelKey>& keys,
                                  const std::vector<int>& sizes)
{
    const std::int64_t models = static_cast<std::int64_t>(keys.size());
    const std::int64_t count = parameterCount(sizes, models);
    StackParameters p;
    p.values = at::zeros({count}, at::kFloat);
    p.net = viewsInto(p.values, sizes, models);
    for (std::int64_t m = 0; m < models; ++m) {
        at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(mixSeed(keys[m].seed, 1));
        const InitSpec spec{keys[m].init, config.activation, config.normalStd};
        for (StackedLayer& layer : p.net.layers) {
            at::Tensor w = layer.weight.select(0, m);
            initializeWeight(w, spec, generator);
        }
    }
    p.gradient = at::zeros({count}, at::kFloat);
    p.grad = viewsInto(p.gradient, sizes, models);
    p.best = p.values.clone();
    p.modelOfParameter = parameterOwners(sizes, models, count);
    return p;
}

// Where each model stands in the training.
struct ModelStanding {
    explicit ModelStanding(std::size_t models) : bestValAcc(models, -1.0), bestEpoch(models, 0), divergedEpoch(models, 0)
    {
    }
    std::vector<double> bestValAcc;
    std::vector<int> bestEpoch;     // 0: no finite epoch yet
    std::vector<int> divergedEpoch; // 0: not diverged
};

// One epoch's numbers, one per model.
struct EpochNumbers {
    std::vector<float> trainLoss, trainAcc, valLoss, valAcc;
};

// One full-batch step of every model: forward and loss, the backward pass of the sum of the
// models' mean losses (so each model gets its own gradient), the optimizer's step. Returns the
// training loss and accuracy of the weights before the step.
std::pair<at::Tensor, at::Tensor> trainingStep(StackParameters& p, const SplitTensors& train, Activation activation,
                                               double trainPoints, FlatAdamW& optimizer)
{
    std::vector<at::Tensor> hidden;
    const at::Tensor difference = logitDifference(forward(p.net, train.inputs, activation, &hidden));
    std::pair<at::Tensor, at::Tensor> lossAndAcc = lossAndAccuracy(difference, train.labels, train.sign);

    // dL/dz1 = (P(class 1) - label) / points = -dL/dz0.
    const at::Tensor e = at::sigmoid(difference).sub_(train.labels).div_(trainPoints);
    at::Tensor g = at::stack({e.neg(), e}, 1);
    for (std::size_t l = p.net.layers.size(); l-- > 0;) {
        const at::Tensor& input = l == 0 ? train.inputs : hidden[l - 1];
        affineWeightGradient(p.grad.layers[l].weight, g, input);
        at::sum_out(p.grad.layers[l].bias, g, {2});
        if (l > 0)
            g = activationBackward(affineInputGradient(p.net.layers[l], g), hidden[l - 1], activation);
    }
    optimizer.step(p.gradient);
    return lossAndAcc;
}

// Adds one epoch's numbers to each model's history and returns the models that improved on their
// best validation accuracy. A model whose loss is not finite has diverged: from then on its numbers
// are NaN in `numbers` (what the sink gets) and stay out of its history.
std::vector<std::int64_t> recordEpoch(int epoch, EpochNumbers& numbers, ModelStanding& standing,
                                      std::vector<ModelResult>& results, CirclesSink& out)
{
    std::vector<float>& tl = numbers.trainLoss;
    std::vector<float>& ta = numbers.trainAcc;
    std::vector<float>& vl = numbers.valLoss;
    std::vector<float>& va = numbers.valAcc;
    std::vector<std::int64_t> improved;
    for (std::size_t m = 0; m < results.size(); ++m) {
        if (standing.divergedEpoch[m] == 0 && (!std::isfinite(tl[m]) || !std::isfinite(vl[m]))) {
            standing.divergedEpoch[m] = epoch;
            out.onDiverged(static_cast<int>(m), epoch);
        }
        if (standing.divergedEpoch[m] != 0) {
            tl[m] = ta[m] = vl[m] = va[m] = std::numeric_limits<float>::quiet_NaN();
            continue;
        }
        ModelResult& r = results[m];
        r.trainLoss.push_back(tl[m]);
        r.trainAcc.push_back(ta[m]);
        r.valLoss.push_back(vl[m]);
        r.valAcc.push_back(va[m]);
        if (va[m] > standing.bestValAcc[m]) {
            standing.bestValAcc[m] = va[m];
            standing.bestEpoch[m] = epoch;
            improved.push_back(std::int64_t(m));
        }
    }
    return improved;
}

// Copies the weights of the models that improved into the best-weights snapshot.
void snapshotImproved(StackParameters& p, const std::vector<std::int64_t>& improved, std::int64_t models)
{
    if (improved.empty())
        return;
    at::Tensor mask = at::zeros({models}, at::kBool);
    mask.index_fill_(0, at::tensor(improved, at::kLong), true);
    const at::Tensor perParameter = mask.index_select(0, p.modelOfParameter);
    p.best.copy_(at::where(perParameter, p.values, p.best));
}

// The parameters of every model at every stride-th epoch (and the first and last), for drawing any
// of those epochs again after the run. Copying the flat stack costs far less than a training step.
class SnapshotRecorder {
public:
    SnapshotRecorder(const CirclesConfig& config, const std::vector<int>& sizes, std::int64_t models)
    {
        m_all.models = static_cast<int>(models);
        m_all.layerSizes = sizes;
        m_all.stride = snapshotStride(m_all.perEpoch(), config.epochs, config.snapshotBudgetBytes);
        if (m_all.stride > 0) {
            // Reserved at once: growing would hold two copies for a moment.
            const std::size_t count = 2 + std::size_t(config.epochs / m_all.stride);
            m_all.epochs.reserve(count);
            m_all.values.reserve(count * std::size_t(m_all.perEpoch()));
        }
    }

    void record(int epoch, const at::Tensor& values)
    {
        if (m_all.stride == 0 || (!m_all.epochs.empty() && m_all.epochs.back() == epoch))
            return;
        m_all.epochs.push_back(epoch);
        const float* first = values.data_ptr<float>();
        m_all.values.insert(m_all.values.end(), first, first + values.numel());
    }
    void recordIfDue(int epoch, const at::Tensor& values)
    {
        if (m_all.stride > 0 && epoch % m_all.stride == 0)
            record(epoch, values);
    }
    // The snapshots recorded since the last call.
    CirclesSnapshots takeNew()
    {
        CirclesSnapshots block;
        block.stride = m_all.stride;
        block.models = m_all.models;
        block.layerSizes = m_all.layerSizes;
        block.epochs.assign(m_all.epochs.begin() + std::ptrdiff_t(m_sent), m_all.epochs.end());
        block.values.assign(m_all.values.begin() + std::ptrdiff_t(m_sent * std::size_t(m_all.perEpoch())),
                            m_all.values.end());
        m_sent = m_all.epochs.size();
        return block;
    }
    CirclesSnapshots& all() { return m_all; }

private:
    CirclesSnapshots m_all;
    std::size_t m_sent = 0;
};

// Hands the epochs' numbers to the sink in blocks, every reportIntervalMs, with the snapshots
// recorded meanwhile, the live boundaries of the watched models and the progress.
class HistoryReporter {
public:
    using Clock = std::chrono::steady_clock;

    HistoryReporter(const CirclesConfig& config, const std::vector<NormalizationMap>& maps, SnapshotRecorder& snapshots,
                    CirclesSink& out)
        : m_config(config), m_maps(maps), m_snapshots(snapshots), m_out(out), m_models(static_cast<int>(maps.size())),
          m_bounds(boundaryBounds(config.data))
    {
        m_pending.models = m_models;
    }

    void add(const EpochNumbers& numbers)
    {
        for (auto [vector, values] :
             {std::pair{&m_pending.trainLoss, &numbers.trainLoss}, std::pair{&m_pending.trainAcc, &numbers.trainAcc},
              std::pair{&m_pending.valLoss, &numbers.valLoss}, std::pair{&m_pending.valAcc, &numbers.valAcc}})
            vector->insert(vector->end(), values->begin(), values->end());
        ++m_pending.count;
    }

    void reportIfDue(const StackedNet& net, int epoch)
    {
        if (m_config.reportIntervalMs > 0
            && Clock::now() - m_lastReport >= std::chrono::milliseconds(m_config.reportIntervalMs)) {
            flush(net, epoch, false);
            m_lastReport = Clock::now();
        }
    }

    // final: the run is over, so no live boundaries.
    void flush(const StackedNet& net, int epoch, bool final)
    {
        m_pending.snapshots = m_snapshots.takeNew();
        if (m_pending.count > 0 || !m_pending.snapshots.epochs.empty())
            m_out.onHistory(m_pending);
        m_pending = HistoryBlock{};
        m_pending.firstEpoch = epoch + 1;
        m_pending.models = m_models;
        if (!final)
            for (BoundaryImage& image : boundaryImages(net, m_config.liveBoundaryModels, m_maps, m_config.activation,
                                                       m_bounds, m_config.boundaryResolution, epoch))
                m_out.onBoundary(image);
        m_out.onProgress(double(epoch) / m_config.epochs);
    }

private:
    const CirclesConfig& m_config;
    const std::vector<NormalizationMap>& m_maps;
    SnapshotRecorder& m_snapshots;
    CirclesSink& m_out;
    int m_models = 0;
    BoundaryBounds m_bounds;
    HistoryBlock m_pending;
    Clock::time_point m_lastReport = Clock::now();
};

// Trains the stack for config.epochs epochs or until cancelled (then result.cancelled is set).
// Returns the number of epochs run.
int trainStack(const CirclesConfig& config, const StackSplits& splits, StackParameters& p, ModelStanding& standing,
               CirclesResult& result, CirclesSink& out, const CancelFlag& cancel)
{
    const std::int64_t models = static_cast<std::int64_t>(result.models.size());
    const double trainPoints = static_cast<double>(config.data.trainSize);
    FlatAdamW optimizer(p.values, config.learningRate, config.weightDecay);
    SnapshotRecorder snapshots(config, layerSizes(config), models);
    snapshots.record(0, p.values);
    HistoryReporter history(config, splits.maps, snapshots, out);
    int epoch = 0;
    for (epoch = 1; epoch <= config.epochs; ++epoch) {
        const auto [trainLoss, trainAcc] = trainingStep(p, splits.train, config.activation, trainPoints, optimizer);
        // Validation with the updated weights, as a training loop evaluates after its step.
        const auto [valLoss, valAcc]
            = lossAndAccuracy(logitDifference(forward(p.net, splits.validation.inputs, config.activation, nullptr)),
                              splits.validation.labels, splits.validation.sign);
        EpochNumbers numbers{toVector(trainLoss), toVector(trainAcc), toVector(valLoss), toVector(valAcc)};
        snapshotImproved(p, recordEpoch(epoch, numbers, standing, result.models, out), models);
        snapshots.recordIfDue(epoch, p.values);
        history.add(numbers);
        history.reportIfDue(p.net, epoch);
        if (cancel.load(std::memory_order_relaxed)) {
            result.cancelled = true;
            break;
        }
    }
    const int epochsRun = std::min(epoch, config.epochs);
    snapshots.record(epochsRun, p.values);
    history.flush(p.net, epochsRun, true);
    result.snapshots = std::move(snapshots.all());
    return epochsRun;
}

// Hidden units whose output is zero on every training point, per model.
at::Tensor deadUnits(const StackedNet& net, const SplitTensors& train, Activation activation, std::int64_t models)
{
    std::vector<at::Tensor> hidden;
    forward(net, train.inputs, activation, &hidden);
    at::Tensor dead = at::zeros({models}, at::kLong);
    for (const at::Tensor& h : hidden)
        dead += h.ne(0).any(2).logical_not().sum(1);
    return dead;
}

// What each model ends with: its dead units with the final weights, and the test accuracy and the
// decision boundary of its best-validation weights.
void finishModels(const CirclesConfig& config, const std::vector<int>& sizes, const StackParameters& p,
                  const StackSplits& splits, const ModelStanding& standing, std::vector<ModelResult>& results)
{
    const std::int64_t models = static_cast<std::int64_t>(results.size());
    const at::Tensor dead = deadUnits(p.net, splits.train, config.activation, models);
    StackedNet bestNet = viewsInto(p.best, sizes, models);
    const auto [testLoss, testAcc]
        = lossAndAccuracy(logitDifference(forward(bestNet, splits.test.inputs, config.activation, nullptr)),
                          splits.test.labels, splits.test.sign);
    (void)testLoss;
    const std::vector<float> testAccuracy = toVector(testAcc);
    std::vector<int> all(models);
    std::iota(all.begin(), all.end(), 0);
    std::vector<BoundaryImage> images = boundaryImages(bestNet, all, splits.maps, config.activation,
                                                       boundaryBounds(config.data), config.boundaryResolution, 0);
    for (std::int64_t m = 0; m < models; ++m) {
        ModelResult& r = results[m];
        r.bestEpoch = standing.bestEpoch[m];
        r.bestValAcc = std::max(0.0, standing.bestValAcc[m]);
        r.testAcc = standing.bestEpoch[m] > 0 ? testAccuracy[m] : 0.0;
        r.deadUnits = static_cast<int>(dead[m].item<std::int64_t>());
        r.divergedEpoch = standing.divergedEpoch[m];
        images[m].epoch = standing.bestEpoch[m];
        r.boundary = std::move(images[m]);
    }
}

} // namespace

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
        const std::vector<int> sizes = layerSizes(config);
        for (int s = 0; s < config.seeds; ++s)
            result.datasets.push_back(generateCircles(config.data, config.firstSeed + std::uint64_t(s)));
        const StackSplits splits = stackSplits(config, keys, result.datasets);
        StackParameters parameters = initialParameters(config, keys, sizes);

        result.models.resize(keys.size());
        for (std::size_t m = 0; m < keys.size(); ++m) {
            result.models[m].key = keys[m];
            result.models[m].normalization = splits.maps[m];
        }
        ModelStanding standing(keys.size());
        result.epochsRun = trainStack(config, splits, parameters, standing, result, out, cancel);
        finishModels(config, sizes, parameters, splits, standing, result.models);
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

#include "initlab/circlessnapshots.h"

#include "circlesnet.h"

#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <stdexcept>

namespace initlab {

using namespace circlesnet;

std::int64_t CirclesSnapshots::perEpoch() const
{
    return layerSizes.size() < 2 ? 0 : parameterCount(layerSizes, models);
}

std::int64_t CirclesSnapshots::perModel() const
{
    return layerSizes.size() < 2 ? 0 : parameterCount(layerSizes, 1);
}

int CirclesSnapshots::indexAtOrBefore(int epoch) const
{
    if (epochs.empty())
        return -1;
    const auto after = std::upper_bound(epochs.begin(), epochs.end(), epoch);
    return after == epochs.begin() ? 0 : int(after - epochs.begin()) - 1;
}

int snapshotStride(std::int64_t perEpoch, int epochs, std::size_t budgetBytes)
{
    if (perEpoch <= 0 || epochs < 1 || budgetBytes == 0)
        return 0;
    const std::size_t fit = budgetBytes / (std::size_t(perEpoch) * sizeof(float));
    if (fit < 2)
        return 0; // not even the initial weights and the last epoch's
    // With stride s there are 1 + ceil(epochs / s) snapshots: epoch 0, s, 2 s, ... and the last.
    const std::size_t stride = (std::size_t(epochs) + (fit - 1) - 1) / (fit - 1);
    return int(std::clamp<std::size_t>(stride, 1, std::size_t(epochs)));
}

namespace {

void checkIndex(const CirclesSnapshots& snapshots, int index)
{
    if (index < 0 || std::size_t(index) >= snapshots.epochs.size())
        throw std::out_of_range("snapshot " + std::to_string(index) + " of " + std::to_string(snapshots.epochs.size()));
    if (snapshots.values.size() != snapshots.epochs.size() * std::size_t(snapshots.perEpoch()))
        throw std::invalid_argument("the snapshots' values do not match their epochs and layer sizes");
}

// Every model's parameters at one snapshot, as the stack the run trained (no copy).
StackedNet netAt(const CirclesSnapshots& snapshots, int index)
{
    checkIndex(snapshots, index);
    const std::int64_t count = snapshots.perEpoch();
    // Read only: the values are const, the tensor is never written.
    float* first = const_cast<float*>(snapshots.values.data()) + std::size_t(index) * std::size_t(count);
    return viewsInto(at::from_blob(first, {count}, at::kFloat), snapshots.layerSizes, snapshots.models);
}

// One model's parameters at every snapshot, as a stack whose "models" are the epochs.
StackedNet modelAcrossEpochs(const CirclesSnapshots& snapshots, int model)
{
    const std::int64_t epochs = std::int64_t(snapshots.epochs.size());
    std::vector<StackedLayer> layers;
    for (int index = 0; index < epochs; ++index) {
        const StackedNet net = netAt(snapshots, index);
        for (std::size_t l = 0; l < net.layers.size(); ++l) {
            if (layers.size() <= l)
                layers.push_back({at::empty({epochs, net.layers[l].weight.size(1), net.layers[l].weight.size(2)}),
                                  at::empty({epochs, net.layers[l].bias.size(1)})});
            layers[l].weight.select(0, index).copy_(net.layers[l].weight.select(0, model));
            layers[l].bias.select(0, index).copy_(net.layers[l].bias.select(0, model));
        }
    }
    StackedNet stack;
    stack.layers = std::move(layers);
    return stack;
}

// Per stacked model and hidden unit (layer by layer): zero on every training point.
std::vector<std::vector<bool>> deadUnitsOf(const StackedNet& net, const at::Tensor& inputs, Activation activation)
{
    std::vector<at::Tensor> hidden;
    forward(net, inputs, activation, &hidden);
    const std::int64_t stacked = inputs.size(0);
    std::vector<std::vector<bool>> dead(static_cast<std::size_t>(stacked));
    for (const at::Tensor& h : hidden) {
        const at::Tensor unitDead = h.ne(0).any(2).logical_not().contiguous(); // [stacked, units]
        const bool* d = unitDead.data_ptr<bool>();
        for (std::int64_t s = 0; s < stacked; ++s)
            for (std::int64_t u = 0; u < unitDead.size(1); ++u)
                dead[std::size_t(s)].push_back(d[s * unitDead.size(1) + u]);
    }
    return dead;
}

at::Tensor trainingInputs(const PointSet& train, const NormalizationMap& map, std::int64_t copies)
{
    const at::Tensor one = stackSplit({applyNormalization(train, map)}).inputs; // [1, 2, points]
    return one.expand({copies, 2, one.size(2)}).contiguous();
}

} // namespace

std::vector<BoundaryImage> snapshotBoundaries(const CirclesConfig& config, const CirclesSnapshots& snapshots, int index,
                                              const std::vector<NormalizationMap>& maps,
                                              const std::vector<int>& models)
{
    c10::InferenceMode inference;
    const StackedNet net = netAt(snapshots, index);
    for (int m : models)
        if (m < 0 || m >= snapshots.models || std::size_t(m) >= maps.size())
            throw std::out_of_range("model " + std::to_string(m) + " is not in the run");
    return boundaryImages(net, models, maps, config.activation, boundaryBounds(config.data), config.boundaryResolution,
                          snapshots.epochs[std::size_t(index)]);
}

UnitMaps snapshotUnits(const CirclesConfig& config, const CirclesSnapshots& snapshots, int index,
                       const std::vector<NormalizationMap>& maps, int model, const PointSet& train)
{
    c10::InferenceMode inference;
    if (model < 0 || model >= snapshots.models || std::size_t(model) >= maps.size())
        throw std::out_of_range("model " + std::to_string(model) + " is not in the run");
    const StackedNet single = subsetOf(netAt(snapshots, index), {model});
    const BoundaryBounds bounds = boundaryBounds(config.data);
    const int resolution = config.boundaryResolution;

    UnitMaps maps1;
    maps1.model = model;
    maps1.epoch = snapshots.epochs[std::size_t(index)];
    maps1.resolution = resolution;
    maps1.xMin = bounds.xMin;
    maps1.xMax = bounds.xMax;
    maps1.yMin = bounds.yMin;
    maps1.yMax = bounds.yMax;
    std::vector<at::Tensor> hidden;
    const at::Tensor logits = forward(single, boundaryGrid({model}, maps, bounds, resolution), config.activation, &hidden);
    maps1.probability = toVector(at::sigmoid(logitDifference(logits)).contiguous().view({-1}));
    for (std::size_t l = 0; l < hidden.size(); ++l) {
        const at::Tensor h = hidden[l].select(0, 0).contiguous(); // [units, cells]
        maps1.hidden.push_back(int(h.size(0)));
        const at::Tensor weight = single.layers[l].weight.select(0, 0).contiguous(); // [units, in]
        const at::Tensor bias = single.layers[l].bias.select(0, 0).contiguous();
        for (std::int64_t u = 0; u < h.size(0); ++u) {
            maps1.units.push_back(toVector(h.select(0, u)));
            std::vector<float> incoming = toVector(weight.select(0, u));
            incoming.push_back(bias[u].item<float>());
            maps1.incoming.push_back(std::move(incoming));
        }
    }
    maps1.dead = deadUnitsOf(single, trainingInputs(train, maps[std::size_t(model)], 1), config.activation).front();
    return maps1;
}

std::vector<std::vector<bool>> unitDeadAcrossEpochs(const CirclesConfig& config, const CirclesSnapshots& snapshots,
                                                    const std::vector<NormalizationMap>& maps, int model,
                                                    const PointSet& train)
{
    c10::InferenceMode inference;
    if (snapshots.empty())
        return {};
    if (model < 0 || model >= snapshots.models || std::size_t(model) >= maps.size())
        throw std::out_of_range("model " + std::to_string(model) + " is not in the run");
    const StackedNet stack = modelAcrossEpochs(snapshots, model);
    const std::int64_t epochs = std::int64_t(snapshots.epochs.size());
    return deadUnitsOf(stack, trainingInputs(train, maps[std::size_t(model)], epochs), config.activation);
}

std::vector<int> unitDeathEpochsAt(const std::vector<std::vector<bool>>& dead, const std::vector<int>& epochs, int index)
{
    if (dead.empty() || index < 0 || std::size_t(index) >= dead.size() || dead.size() > epochs.size())
        return {};
    const std::size_t units = dead.front().size();
    std::vector<int> died(units, -1);
    for (std::size_t u = 0; u < units; ++u) {
        if (!dead[std::size_t(index)][u])
            continue;
        std::size_t first = std::size_t(index); // the first snapshot of the dead stretch reaching index
        while (first > 0 && dead[first - 1][u])
            --first;
        died[u] = epochs[first];
    }
    return died;
}

std::vector<int> unitDeathEpochs(const CirclesConfig& config, const CirclesSnapshots& snapshots,
                                 const std::vector<NormalizationMap>& maps, int model, const PointSet& train)
{
    const std::vector<std::vector<bool>> dead = unitDeadAcrossEpochs(config, snapshots, maps, model, train);
    if (dead.empty())
        return {};
    return unitDeathEpochsAt(dead, snapshots.epochs, int(dead.size()) - 1);
}

} // namespace initlab

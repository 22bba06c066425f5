#include "circlesnet.h"

#include "torch_activation.h"

namespace initlab::circlesnet {
namespace {

// Tensors are laid out [models, features, points]: the points, the longest dimension, innermost.
// The layers are a few units wide, where one broadcast multiply-add per input feature beats a
// batched GEMM (which pays a BLAS call per model); wide layers go to bmm.
constexpr std::int64_t kNarrow = 16;

} // namespace

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

StackedNet subsetOf(const StackedNet& net, const std::vector<int>& models)
{
    const at::Tensor index = at::tensor(std::vector<std::int64_t>(models.begin(), models.end()), at::kLong);
    StackedNet subset;
    for (const StackedLayer& layer : net.layers)
        subset.layers.push_back({layer.weight.index_select(0, index), layer.bias.index_select(0, index)});
    return subset;
}

at::Tensor boundaryGrid(const std::vector<int>& models, const std::vector<NormalizationMap>& maps,
                        const BoundaryBounds& bounds, int resolution)
{
    const std::int64_t count = static_cast<std::int64_t>(models.size());
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
    return grid;
}

std::vector<BoundaryImage> boundaryImages(const StackedNet& net, const std::vector<int>& models,
                                          const std::vector<NormalizationMap>& maps, Activation activation,
                                          const BoundaryBounds& bounds, int resolution, int epoch)
{
    std::vector<BoundaryImage> images;
    if (models.empty())
        return images;
    const std::int64_t count = static_cast<std::int64_t>(models.size());
    const std::int64_t cells = std::int64_t(resolution) * resolution;
    const at::Tensor grid = boundaryGrid(models, maps, bounds, resolution);
    const at::Tensor probability
        = at::sigmoid(logitDifference(forward(subsetOf(net, models), grid, activation, nullptr))).contiguous();
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

} // namespace initlab::circlesnet

#pragma once
// The arithmetic of the circles lab's stacked nets, shared by the training (circles.cpp) and the
// snapshots it records (circlessnapshots.cpp): a boundary drawn from a snapshot goes through the
// same operations as the one drawn live, so the two are equal to the last bit.

#include "initlab/circles.h"

#include <ATen/ATen.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace initlab::circlesnet {

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

// The views of a flat buffer laid out layer by layer: weights [models, out, in], then biases.
StackedNet viewsInto(const at::Tensor& flat, const std::vector<int>& sizes, std::int64_t models);
std::int64_t parameterCount(const std::vector<int>& sizes, std::int64_t models);

// h = W a + b for every model: W [models, out, in], b [models, out], a [models, in, points].
at::Tensor affine(const StackedLayer& layer, const at::Tensor& a);
// dL/da = W^T g for every model: g [models, out, points] -> [models, in, points].
at::Tensor affineInputGradient(const StackedLayer& layer, const at::Tensor& g);
// dL/dW = g a^T into `weightGradient` [models, out, in].
void affineWeightGradient(at::Tensor& weightGradient, const at::Tensor& g, const at::Tensor& a);
// Logits [models, 2, points] of inputs [models, 2, points]; the hidden activations are kept in
// `hidden` when given (for the backward pass and the dead-unit count).
at::Tensor forward(const StackedNet& net, const at::Tensor& inputs, Activation activation,
                   std::vector<at::Tensor>* hidden);
// z1 - z0 of logits [models, 2, points].
at::Tensor logitDifference(const at::Tensor& logits);
// Per-model mean cross-entropy [models] and accuracy [models]; sign is 2 * label - 1.
std::pair<at::Tensor, at::Tensor> lossAndAccuracy(const at::Tensor& difference, const at::Tensor& labels,
                                                  const at::Tensor& sign);

struct SplitTensors {
    at::Tensor inputs; // [models, 2, points]
    at::Tensor labels; // [models, points], 0 or 1 as floats
    at::Tensor sign;   // [models, points], 2 * label - 1
};
SplitTensors stackSplit(const std::vector<PointSet>& perModel);

// The grid of a boundary image, per model in its own normalized coordinates: [models.size(), 2, cells].
at::Tensor boundaryGrid(const std::vector<int>& models, const std::vector<NormalizationMap>& maps,
                        const BoundaryBounds& bounds, int resolution);
// P(class 1) over the grid for the given models (indices into the stack).
std::vector<BoundaryImage> boundaryImages(const StackedNet& net, const std::vector<int>& models,
                                          const std::vector<NormalizationMap>& maps, Activation activation,
                                          const BoundaryBounds& bounds, int resolution, int epoch);
// The models' parameters (indices into the stack), as a stack of their own.
StackedNet subsetOf(const StackedNet& net, const std::vector<int>& models);

std::vector<float> toVector(const at::Tensor& t);

} // namespace initlab::circlesnet

#pragma once
// Experiment 2: the circles lab. Two concentric rings, a small ReLU net, and the question whether
// input normalization and initialization let it learn them. Many small models (init schemes x
// normalizations x seeds) train at once: their weights are stacked into batched tensors and trained
// with batched matrix products and one AdamW, which gives each model the arithmetic it would get
// alone.

#include "initlab/cancellation.h"
#include "initlab/initscheme.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace initlab {

// ---- data ----------------------------------------------------------------------------------

struct CirclesDataConfig {
    double centerX = 10.0;
    double centerY = 10.0;
    double innerRadius = 1.0; // class 0
    double outerRadius = 4.0; // class 1
    double noise = 1.0;       // each point's radius is perturbed by U(-noise, noise)
    int trainSize = 80;
    int validationSize = 20;
    int testSize = 1000;
};

// Points of one split: x, y and the class (0 inner, 1 outer), half of each class (the odd one out
// of an odd count goes to class 1).
struct PointSet {
    std::vector<float> x;
    std::vector<float> y;
    std::vector<int> label;
    int size() const { return static_cast<int>(label.size()); }
};

struct CirclesData {
    PointSet train;
    PointSet validation;
    PointSet test;
};

// Empty when valid, else a sentence naming the bad field.
std::string validate(const CirclesDataConfig& config);
CirclesData generateCircles(const CirclesDataConfig& config, std::uint64_t seed);

// ---- normalization -------------------------------------------------------------------------

enum class Normalization { Raw, Standard, Scaled };
const std::vector<Normalization>& allNormalizations();
std::string_view name(Normalization normalization);        // "raw", "standard", "scaled"
std::string_view displayName(Normalization normalization); // "Raw", "Standardized", "Standardized x factor"
std::string_view description(Normalization normalization); // what it does to the data, for tooltips
std::optional<Normalization> parseNormalization(std::string_view text);

// An affine map per coordinate, x' = (x - mean) / std * factor, fitted on the training split only
// and applied to every split (raw: mean 0, std 1, factor 1).
struct NormalizationMap {
    Normalization mode = Normalization::Raw;
    double meanX = 0.0, meanY = 0.0;
    double stdX = 1.0, stdY = 1.0;
    double factor = 1.0;
    double mapX(double x) const { return (x - meanX) / stdX * factor; }
    double mapY(double y) const { return (y - meanY) / stdY * factor; }
};
NormalizationMap fitNormalization(const PointSet& train, Normalization mode, double scaledFactor = 0.01);
PointSet applyNormalization(const PointSet& points, const NormalizationMap& map);

// ---- training ------------------------------------------------------------------------------

struct CirclesConfig {
    CirclesDataConfig data;
    std::vector<InitScheme> inits{InitScheme::Heuristic, InitScheme::XavierUniform, InitScheme::XavierNormal,
                                  InitScheme::KaimingUniform, InitScheme::KaimingNormal};
    std::vector<Normalization> normalizations{Normalization::Raw, Normalization::Standard, Normalization::Scaled};
    double scaledFactor = 0.01;
    int seeds = 1;               // models per (normalization, init)
    std::uint64_t firstSeed = 0; // seeds firstSeed, firstSeed + 1, ...
    std::vector<int> hidden{6, 3};
    Activation activation = Activation::Relu;
    double normalStd = 0.1; // sigma of InitScheme::Normal
    double learningRate = 3e-4;
    double weightDecay = 0.01; // AdamW's decoupled weight decay (PyTorch's default)
    int epochs = 5000;
    int threads = 1;              // small tensors: one thread avoids parallel overhead
    int boundaryResolution = 64;  // grid cells per side of the decision-boundary images
    int reportIntervalMs = 100;   // how often metrics and boundary images go to the sink; 0 = only at the end
    std::vector<int> liveBoundaryModels; // models whose boundary is sent while training (empty = none)
    // Memory for the parameter snapshots of the run (every epoch where it fits, else every stride-th:
    // see snapshotStride); 0 records none.
    std::size_t snapshotBudgetBytes = std::size_t(100) << 20;
};

std::string validate(const CirclesConfig& config);

// Which normalization, init and seed one model of a run has. Models are ordered normalization-major,
// then init, then seed: model = (n * inits + i) * seeds + s.
struct ModelKey {
    Normalization normalization = Normalization::Raw;
    InitScheme init = InitScheme::Heuristic;
    std::uint64_t seed = 0;
};
std::vector<ModelKey> modelKeys(const CirclesConfig& config);

// The square of input space the boundary images cover: the rings' reach plus a margin of 1.
struct BoundaryBounds {
    double xMin = 0.0, xMax = 0.0, yMin = 0.0, yMax = 0.0;
};
BoundaryBounds boundaryBounds(const CirclesDataConfig& data);

// P(class 1) on a resolution x resolution grid over [xMin, xMax] x [yMin, yMax] in input (raw)
// coordinates, row-major with row 0 at yMin. The normalized view is the same image on axes mapped
// by the model's NormalizationMap.
struct BoundaryImage {
    int model = 0;
    int epoch = 0;
    int resolution = 0;
    double xMin = 0.0, xMax = 0.0, yMin = 0.0, yMax = 0.0;
    std::vector<float> probability;
};

// Every model's parameters at regular epochs of a run, from which the boundary and the hidden units
// of any recorded epoch can be drawn again (circlessnapshots.h). One epoch's parameters are the
// run's flat stack: layer by layer, the weights of every model [models, out, in], then the biases
// [models, out].
struct CirclesSnapshots {
    int stride = 0;              // epochs between snapshots; 0 when none are recorded
    int models = 0;
    std::vector<int> layerSizes; // 2, the hidden layers, 2
    std::vector<int> epochs;     // ascending: 0 (the initial weights), stride, 2 stride, ..., the last epoch run
    std::vector<float> values;   // epochs.size() * perEpoch()

    std::int64_t perEpoch() const;      // parameters of one epoch, all models
    std::int64_t perModel() const;      // parameters of one model
    std::size_t bytes() const { return values.size() * sizeof(float); }
    bool empty() const { return epochs.empty(); }
    // The recorded epoch at or before epoch (the first one when there is none); -1 when empty.
    int indexAtOrBefore(int epoch) const;
};

// The stride that keeps the snapshots of a run of `epochs` epochs within budgetBytes (1 when every
// epoch fits); 0 when not even the first and the last fit.
int snapshotStride(std::int64_t perEpoch, int epochs, std::size_t budgetBytes);

// Metrics of every model for the epochs [firstEpoch, firstEpoch + count), epoch counting from 1;
// each vector holds count * models values, epoch-major. NaN after a model diverged.
struct HistoryBlock {
    int firstEpoch = 1;
    int count = 0;
    int models = 0;
    std::vector<float> trainLoss, trainAcc, valLoss, valAcc;
    // The snapshots recorded since the previous block (stride, models and layer sizes always set).
    CirclesSnapshots snapshots;
};

struct ModelResult {
    ModelKey key;
    NormalizationMap normalization;
    std::vector<float> trainLoss, trainAcc, valLoss, valAcc; // per epoch, up to divergence
    int bestEpoch = 0;        // epoch of the best validation accuracy (first of ties); 0 = none
    double bestValAcc = 0.0;
    double testAcc = 0.0;     // of the weights at bestEpoch
    int deadUnits = 0;        // hidden units whose output is zero on every training point, at the end
    int divergedEpoch = 0;    // first epoch with a NaN/Inf loss; 0 = never
    BoundaryImage boundary;   // of the weights at bestEpoch
};

struct CirclesResult {
    std::vector<ModelResult> models;
    std::vector<CirclesData> datasets; // raw data per seed index (seed firstSeed + i)
    CirclesSnapshots snapshots;
    int epochsRun = 0;
    bool cancelled = false;
    std::string error;
};

class CirclesSink {
public:
    virtual ~CirclesSink() = default;
    virtual void onHistory(const HistoryBlock& block) {}
    virtual void onBoundary(const BoundaryImage& image) {}
    virtual void onDiverged(int model, int epoch) {}
    virtual void onProgress(double fraction) {}
};

// Trains every model of the config at once. Cancelling stops within one epoch; the result then
// holds every model's best snapshot so far.
CirclesResult runCircles(const CirclesConfig& config, CirclesSink* sink, const CancelFlag& cancel);

// ---- summary -------------------------------------------------------------------------------

// One row per (normalization, init) over its seeds.
struct CirclesSummaryRow {
    Normalization normalization = Normalization::Raw;
    InitScheme init = InitScheme::Heuristic;
    int seeds = 0;
    double meanTestAcc = 0.0;
    double sdTestAcc = 0.0;   // sample standard deviation over seeds (0 for one seed)
    double successRate = 0.0; // fraction of seeds with test accuracy >= threshold
    int bestModel = 0;        // index into CirclesResult::models of the seed with the best test accuracy
    std::uint64_t bestSeed = 0;
    double meanDeadUnits = 0.0;
    int diverged = 0;         // seeds that diverged
};
std::vector<CirclesSummaryRow> summarize(const CirclesResult& result, double successThreshold = 0.95);

} // namespace initlab

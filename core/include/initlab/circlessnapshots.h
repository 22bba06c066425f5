#pragma once
// What can be drawn again from a circles run's parameter snapshots (CirclesSnapshots, recorded while
// the run trains): the decision boundary of any model at any recorded epoch, exactly as the run drew
// it live, and what each hidden unit computes there. LibTorch does the arithmetic, so these run on
// a worker's thread, never on the window's.

#include "initlab/circles.h"

#include <string>
#include <string_view>
#include <vector>

namespace initlab {

// The boundary images of models (indices into the run) at snapshot `index` (into snapshots.epochs),
// over boundaryBounds(config.data) at config.boundaryResolution. maps: every model's normalization.
std::vector<BoundaryImage> snapshotBoundaries(const CirclesConfig& config, const CirclesSnapshots& snapshots, int index,
                                              const std::vector<NormalizationMap>& maps,
                                              const std::vector<int>& models);

// What one model's hidden units compute at a snapshot, over the square of its boundary image.
struct UnitMaps {
    int model = 0;
    int epoch = 0;
    int resolution = 0;
    double xMin = 0.0, xMax = 0.0, yMin = 0.0, yMax = 0.0;
    std::vector<int> hidden;              // units per hidden layer
    std::vector<std::vector<float>> units; // per hidden unit, layer by layer: its output per cell (row 0 at yMin)
    std::vector<float> probability;        // the output layer's P(class 1), the boundary image's values
    std::vector<std::vector<float>> incoming; // per hidden unit: its incoming weights, then its bias
    std::vector<bool> dead;                // per hidden unit: zero on every training point at this epoch
};

// train: the model's training points in input coordinates (its seed's data), for the dead units.
UnitMaps snapshotUnits(const CirclesConfig& config, const CirclesSnapshots& snapshots, int index,
                       const std::vector<NormalizationMap>& maps, int model, const PointSet& train);

// Per hidden unit of model: the first recorded epoch from which the unit is dead at every later
// recorded epoch (0: dead from the start), or -1 when it is alive at the last one.
std::vector<int> unitDeathEpochs(const CirclesConfig& config, const CirclesSnapshots& snapshots,
                                 const std::vector<NormalizationMap>& maps, int model, const PointSet& train);

// Per recorded epoch of model, per hidden unit: zero on every training point then.
std::vector<std::vector<bool>> unitDeadAcrossEpochs(const CirclesConfig& config, const CirclesSnapshots& snapshots,
                                                    const std::vector<NormalizationMap>& maps, int model,
                                                    const PointSet& train);
// From those flags, per hidden unit at snapshot index: the first recorded epoch of the dead stretch
// that reaches index, or -1 when the unit is alive there. Empty for an index out of range.
std::vector<int> unitDeathEpochsAt(const std::vector<std::vector<bool>>& dead, const std::vector<int>& epochs, int index);

// The snapshot file of a run record (circles_snapshots.bin): versioned, with a checksum; see
// circlessnapshotfile.cpp for the layout.
std::string snapshotsFileBytes(const CirclesSnapshots& snapshots);
// Empty on success (out holds the snapshots), else one line naming the problem; out is untouched then.
std::string parseSnapshotsBytes(std::string_view bytes, CirclesSnapshots& out);
// The same from a file; the problem names the file.
std::string readSnapshotsFile(const std::string& path, CirclesSnapshots& out);

} // namespace initlab

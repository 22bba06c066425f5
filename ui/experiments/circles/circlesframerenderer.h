#pragma once
// CirclesFrameRenderer draws the circles lab's playback frames from a run's parameter snapshots on a
// thread of its own: the decision boundaries of the grid's and the big canvas's models at one
// recorded epoch, and what each hidden unit of the viewed model computes there. A thread of its
// own, not the training worker's, because playback goes on while the run trains: the training
// worker's thread is busy until the run ends.
//
// It keeps its own copy of the snapshots: while a run trains, the panel hands it each block of
// snapshots as the block arrives (appendSnapshots), in order, so a frame asked for after its block
// is always there; once the run ends, the result's snapshots replace them. Every source has a
// generation number, which each frame carries back, so a frame of an earlier run is never shown.

#include "experiments/experimentworker.h"

#include "initlab/circles.h"
#include "initlab/circlessnapshots.h"

#include <QMetaType>
#include <QString>

#include <memory>
#include <vector>

namespace initlab::ui {

// One drawn frame: the boundaries asked for and, when asked for, one model's hidden units.
struct CirclesFrame {
    int generation = 0;
    int index = -1; // into the snapshots' epochs
    int epoch = -1;
    std::vector<BoundaryImage> boundaries;
    bool hasUnits = false;
    UnitMaps units;
    std::vector<int> unitsDiedAt; // per hidden unit, at this epoch: since when it is dead, -1 alive
    QString problem;              // set when the frame could not be drawn
};

class CirclesFrameRenderer : public ExperimentWorker
{
    Q_OBJECT

public:
    explicit CirclesFrameRenderer(QObject* parent = nullptr);

    // From the GUI thread; each queues the work on the renderer's thread.
    // A run of config begins: no snapshots yet. Its data and normalizations are computed there.
    void beginRun(int generation, const CirclesConfig& config);
    // The next block of the running config's snapshots.
    void appendSnapshots(int generation, const CirclesSnapshots& block);
    // A finished (or recorded) run: its snapshots, normalizations and data.
    void useResult(int generation, const CirclesConfig& config, std::shared_ptr<const CirclesResult> result);
    // Draws the boundaries of models at snapshot index and, for unitModel >= 0, its hidden units;
    // frameRendered() follows.
    void render(int generation, int index, const std::vector<int>& models, int unitModel);

Q_SIGNALS:
    void frameRendered(std::shared_ptr<const initlab::ui::CirclesFrame> frame);

private:
    const CirclesSnapshots& snapshots() const;
    const PointSet& trainOf(int model) const;
    // The dead flags of model for every snapshot so far, extended by the snapshots added since the
    // last call.
    const std::vector<std::vector<bool>>& deadFlags(int model);

    // Touched on the renderer's thread only.
    int m_generation = -1;
    CirclesConfig m_config;
    std::vector<NormalizationMap> m_maps;  // per model
    std::vector<CirclesData> m_datasets;   // per seed index
    CirclesSnapshots m_growing;            // while a run trains
    std::shared_ptr<const CirclesResult> m_result; // once it has ended
    int m_deadModel = -1;
    std::vector<std::vector<bool>> m_dead; // per snapshot of m_deadModel, per hidden unit
};

} // namespace initlab::ui

Q_DECLARE_METATYPE(std::shared_ptr<const initlab::ui::CirclesFrame>)

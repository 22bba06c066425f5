#pragma once
// CirclesWorker runs the circles lab (core's runCircles) on its thread and forwards the runner's
// callbacks as queued signals carrying value types: blocks of per-epoch history, live boundary
// images, divergences, and the whole result.

#include "experiments/experimentworker.h"
#include "experiments/metatypes.h"

#include "initlab/circles.h"

namespace initlab::ui {

class CirclesWorker : public ExperimentWorker
{
    Q_OBJECT

public:
    explicit CirclesWorker(QObject* parent = nullptr);

    // Called from the controlling (GUI) thread: queues run() on the worker's thread.
    void start(const initlab::CirclesConfig& config);
    // Also from the GUI thread: queues drawing a recorded run's boundaries, each model's at its best
    // epoch, from the record's snapshot file; recordCompleted() follows.
    void completeRecord(std::shared_ptr<const initlab::CirclesResult> recorded, const initlab::CirclesConfig& config,
                        const QString& snapshotsPath);

public Q_SLOTS:
    // Trains every model of the config; always ends with finished(), also on errors.
    void run(const initlab::CirclesConfig& config);

Q_SIGNALS:
    void historyReady(const initlab::HistoryBlock& block);
    void boundaryReady(const initlab::BoundaryImage& image);
    void diverged(int model, int epoch);
    // Shared, not copied: the history of a run is megabytes, and the window's thread keeps it.
    void finished(std::shared_ptr<const initlab::CirclesResult> result);
    // recorded with the boundaries and the snapshots added, or null with the problem (one line).
    void recordCompleted(std::shared_ptr<const initlab::CirclesResult> recorded,
                         std::shared_ptr<const initlab::CirclesResult> completed, const QString& problem);
};

} // namespace initlab::ui

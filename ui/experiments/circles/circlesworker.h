#pragma once
// CirclesWorker runs the circles lab (core's runCircles) on a thread of its own: it is moved to a
// QThread that the main window owns, and it turns the runner's sink callbacks into queued signals
// carrying value types (history blocks, boundary images), so the GUI thread never touches torch.
// Cancellation goes through an atomic flag, because a running loop blocks its thread's event queue.

#include "experiments/metatypes.h"

#include "initlab/cancellation.h"
#include "initlab/circles.h"

#include <QObject>

namespace initlab::ui {

class CirclesWorker : public QObject {
    Q_OBJECT

public:
    explicit CirclesWorker(QObject* parent = nullptr);

    // Safe from any thread: the training loop polls the flag and stops within one epoch.
    void requestCancel();
    bool isCancelRequested() const;

    // Called from the controlling (GUI) thread: forgets a cancel request left from an earlier run,
    // then queues run() on the worker's thread. Clearing here rather than in run() keeps a cancel
    // that arrives before the queued run starts.
    void start(const initlab::CirclesConfig& config);

public Q_SLOTS:
    // Trains every model of the config; always ends with finished(), also on errors.
    void run(const initlab::CirclesConfig& config);

Q_SIGNALS:
    void historyReady(const initlab::HistoryBlock& block);
    void boundaryReady(const initlab::BoundaryImage& image);
    void diverged(int model, int epoch);
    void progress(double fraction);
    void finished(const initlab::CirclesResult& result);

private:
    initlab::CancelFlag m_cancel{false};
};

} // namespace initlab::ui

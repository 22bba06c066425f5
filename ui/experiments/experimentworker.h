#pragma once
// ExperimentWorker is what the tabs' workers share. A worker is a QObject moved to a thread of its
// own (see WorkerThread); it runs one of core's experiments there and turns the runner's sink
// callbacks into queued signals that carry value types only, so the GUI thread never touches torch.
// This base holds the cancel flag (an atomic: a running experiment blocks its thread's event queue,
// so a queued "cancel" would arrive too late) and the progress throttle (only changes a progress bar
// can show are sent, to keep the GUI's event queue short).

#include "initlab/cancellation.h"

#include <QObject>

#include <functional>

namespace initlab::ui {

class ExperimentWorker : public QObject
{
    Q_OBJECT

public:
    explicit ExperimentWorker(QObject* parent = nullptr);

    // Safe from any thread: the running loop polls the flag and stops at its next check.
    void requestCancel();
    bool isCancelRequested() const;

    // On the worker's thread (a runner's sink calls it): sends fraction when it moved far enough
    // since the last one sent.
    void reportProgress(double fraction);

Q_SIGNALS:
    // The running job's progress in [0, 1], throttled to steps of 0.001 (and 1 itself).
    void progress(double fraction);

protected:
    // Called from the controlling (GUI) thread: forgets any cancel request left from an earlier job,
    // then queues job on the worker's thread. Clearing here rather than when the job starts keeps a
    // cancel that arrives before the queued job begins.
    void queue(std::function<void()> job);
    const CancelFlag& cancelFlag() const;

private:
    CancelFlag m_cancel{false};
    double m_lastProgress = -1.0; // touched on the worker's thread only
};

} // namespace initlab::ui

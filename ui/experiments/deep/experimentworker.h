#pragma once
// ExperimentWorker runs core's experiments on a thread of its own (it is moved to a QThread that
// someone else owns) and turns the runner's sink callbacks into queued signals that carry value
// types only, so the GUI thread never touches torch. Cancellation goes through an atomic flag,
// because a running experiment blocks its thread's event queue.

#include "experiments/metatypes.h"

#include "initlab/blas.h"
#include "initlab/cancellation.h"
#include "initlab/deeppropagation.h"

#include <QObject>

namespace initlab::ui {

class ExperimentWorker : public QObject
{
    Q_OBJECT

public:
    explicit ExperimentWorker(QObject* parent = nullptr);

    // Safe from any thread: the running loop polls the flag and stops within one layer.
    void requestCancel();
    bool isCancelRequested() const;

    // Called from the controlling (GUI) thread: forgets any cancel request left from an earlier
    // run, then queues runDeep on the worker's thread. Clearing here rather than in runDeep keeps a
    // cancel that arrives before the queued run starts.
    void startDeep(const initlab::DeepConfig& config);
    // Queues collectDiagnostics on the worker's thread.
    void startDiagnostics(bool measureGemm);

public Q_SLOTS:
    void runDeep(const initlab::DeepConfig& config);
    // Emits blasInfoReady, then (when measureGemm) gemmMeasured for a 10000x512 by 512x512 GEMM,
    // the size of one layer of the report's deep net.
    void collectDiagnostics(bool measureGemm);

Q_SIGNALS:
    void combinationStarted(int combination);
    void forwardLayer(const initlab::ForwardLayerStats& stats);
    void backwardLayer(const initlab::BackwardLayerStats& stats);
    void combinationFinished(int combination, const initlab::CombinationResult& result);
    void progress(double fraction);
    void finished(const initlab::DeepResult& result);

    void blasInfoReady(const initlab::BlasInfo& info);
    void gemmMeasured(double gflops);

private:
    initlab::CancelFlag m_cancel{false};
};

} // namespace initlab::ui

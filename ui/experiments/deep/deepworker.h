#pragma once
// DeepWorker runs the deep signal-propagation experiment (core's runDeepPropagation) on its thread
// and forwards the runner's callbacks as queued signals: a combination started, a layer's forward
// or backward statistics, a combination finished, and the whole result. It also answers the
// About/Diagnostics dialog (BLAS facts and a measured GEMM rate), which shares its thread so that a
// measurement never runs beside a deep run.

#include "experiments/experimentworker.h"
#include "experiments/metatypes.h"

#include "initlab/blas.h"
#include "initlab/deeppropagation.h"

namespace initlab::ui {

class DeepWorker : public ExperimentWorker
{
    Q_OBJECT

public:
    explicit DeepWorker(QObject* parent = nullptr);

    // Called from the controlling (GUI) thread: queues runDeep (or collectDiagnostics) on the
    // worker's thread.
    // With preview, the run first goes through previewConfig(config) (kPreviewBatch vectors), then
    // the full batch: the same signals for both, each phase announced by phaseStarted. Without
    // preview (or when the batch is not larger than the preview's) only the config runs.
    void startDeep(const initlab::DeepConfig& config, bool preview = false);
    void startDiagnostics(bool measureGemm);

public Q_SLOTS:
    // Runs every combination of the config; always ends with finished(), also on errors.
    void runDeep(const initlab::DeepConfig& config, bool preview = false);
    // Emits blasInfoReady, then (when measureGemm) gemmMeasured for a 10000x512 by 512x512 GEMM,
    // the size of one layer of the report's deep net.
    void collectDiagnostics(bool measureGemm);

Q_SIGNALS:
    // A phase of the run begins: the preview on kPreviewBatch vectors (preview true), or the run of
    // the whole config. Sent before the phase's first combinationStarted.
    void phaseStarted(bool preview);
    // The preview phase ended with this result (its statistics); the full run follows unless it was
    // cancelled or failed, in which case finished() carries its end.
    void previewFinished(const initlab::DeepResult& result);
    void combinationStarted(int combination);
    void forwardLayer(const initlab::ForwardLayerStats& stats);
    void backwardLayer(const initlab::BackwardLayerStats& stats);
    void combinationFinished(int combination, const initlab::CombinationResult& result);
    void finished(const initlab::DeepResult& result);

    void blasInfoReady(const initlab::BlasInfo& info);
    void gemmMeasured(double gflops);
};

} // namespace initlab::ui

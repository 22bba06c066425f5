#include "deepworker.h"

#include <cmath>
#include <exception>
#include <string>

namespace initlab::ui {
namespace {

// Forwards the runner's callbacks as the worker's signals.
class DeepSignalSink final : public DeepSink
{
public:
    explicit DeepSignalSink(DeepWorker& worker)
        : m_worker(worker)
    {
    }

    void onCombinationStarted(int combination) override { Q_EMIT m_worker.combinationStarted(combination); }
    void onForwardLayer(const ForwardLayerStats& stats) override { Q_EMIT m_worker.forwardLayer(stats); }
    void onBackwardLayer(const BackwardLayerStats& stats) override { Q_EMIT m_worker.backwardLayer(stats); }
    void onCombinationFinished(int combination, const CombinationResult& result) override
    {
        Q_EMIT m_worker.combinationFinished(combination, result);
    }
    void onProgress(double fraction) override { m_worker.reportProgress(fraction); }

private:
    DeepWorker& m_worker;
};

} // namespace

DeepWorker::DeepWorker(QObject* parent)
    : ExperimentWorker(parent)
{
}

void DeepWorker::startDeep(const DeepConfig& config)
{
    queue([this, config] { runDeep(config); });
}

void DeepWorker::startDiagnostics(bool measureGemm)
{
    // Not a job to cancel: a cancel request for a run queued before it must stay.
    QMetaObject::invokeMethod(this, [this, measureGemm] { collectDiagnostics(measureGemm); }, Qt::QueuedConnection);
}

void DeepWorker::runDeep(const DeepConfig& config)
{
    // The GUI waits for finished() to leave its running state, so it is sent whatever happens.
    DeepResult result;
    try {
        DeepSignalSink sink(*this);
        result = runDeepPropagation(config, &sink, cancelFlag());
    } catch (const std::exception& e) {
        result.error = std::string("the run failed: ") + e.what();
    } catch (...) {
        result.error = "the run failed with an unknown error";
    }
    Q_EMIT finished(result);
}

void DeepWorker::collectDiagnostics(bool measureGemm)
{
    Q_EMIT blasInfoReady(blasInfo());
    if (!measureGemm)
        return;
    double gflops = std::nan("");
    try {
        gflops = measureGemmGflops(10000, 512, 512);
    } catch (const std::exception&) {
        // Reported as NaN: the dialog says the measurement failed.
    }
    Q_EMIT gemmMeasured(gflops);
}

} // namespace initlab::ui

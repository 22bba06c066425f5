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
    // Progress of this phase is mapped onto [progressFrom, progressTo] of the whole run.
    DeepSignalSink(DeepWorker& worker, double progressFrom = 0.0, double progressTo = 1.0)
        : m_worker(worker), m_from(progressFrom), m_to(progressTo)
    {
    }

    void onCombinationStarted(int combination) override { Q_EMIT m_worker.combinationStarted(combination); }
    void onForwardLayer(const ForwardLayerStats& stats) override { Q_EMIT m_worker.forwardLayer(stats); }
    void onBackwardLayer(const BackwardLayerStats& stats) override { Q_EMIT m_worker.backwardLayer(stats); }
    void onCombinationFinished(int combination, const CombinationResult& result) override
    {
        Q_EMIT m_worker.combinationFinished(combination, result);
    }
    void onProgress(double fraction) override { m_worker.reportProgress(m_from + (m_to - m_from) * fraction); }

private:
    DeepWorker& m_worker;
    double m_from = 0.0;
    double m_to = 1.0;
};

} // namespace

DeepWorker::DeepWorker(QObject* parent)
    : ExperimentWorker(parent)
{
}

void DeepWorker::startDeep(const DeepConfig& config, bool preview)
{
    queue([this, config, preview] { runDeep(config, preview); });
}

void DeepWorker::startDiagnostics(bool measureGemm)
{
    // Not a job to cancel: a cancel request for a run queued before it must stay.
    QMetaObject::invokeMethod(this, [this, measureGemm] { collectDiagnostics(measureGemm); }, Qt::QueuedConnection);
}

void DeepWorker::runDeep(const DeepConfig& config, bool preview)
{
    // The GUI waits for finished() to leave its running state, so it is sent whatever happens.
    DeepResult result;
    try {
        double fullFrom = 0.0;
        if (preview && config.batch > kPreviewBatch) {
            // The preview's share of the progress bar: its share of the vectors.
            const DeepConfig small = previewConfig(config);
            fullFrom = double(small.batch) / double(small.batch + config.batch);
            Q_EMIT phaseStarted(true);
            DeepSignalSink previewSink(*this, 0.0, fullFrom);
            DeepResult previewResult = runDeepPropagation(small, &previewSink, cancelFlag());
            Q_EMIT previewFinished(previewResult);
            if (previewResult.cancelled || !previewResult.error.empty()) {
                previewResult.combinations.clear(); // none of the full run's combinations finished
                Q_EMIT finished(previewResult);
                return;
            }
        }
        Q_EMIT phaseStarted(false);
        DeepSignalSink sink(*this, fullFrom, 1.0);
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

#include "experimentworker.h"

#include <cmath>
#include <exception>
#include <string>

namespace initlab::ui {
namespace {

// Forwards the runner's callbacks as the worker's signals. The runner reports progress after every
// layer of every chunk; only changes the progress bar can show are sent, to keep the GUI's event
// queue short.
class SignalSink final : public DeepSink
{
public:
    explicit SignalSink(ExperimentWorker& worker)
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
    void onProgress(double fraction) override
    {
        if (fraction >= 1.0 || fraction - m_lastSent >= 0.001) {
            m_lastSent = fraction;
            Q_EMIT m_worker.progress(fraction);
        }
    }

private:
    ExperimentWorker& m_worker;
    double m_lastSent = -1.0;
};

} // namespace

ExperimentWorker::ExperimentWorker(QObject* parent)
    : QObject(parent)
{
    registerMetaTypes();
}

void ExperimentWorker::requestCancel()
{
    m_cancel.store(true);
}

bool ExperimentWorker::isCancelRequested() const
{
    return m_cancel.load();
}

void ExperimentWorker::startDeep(const DeepConfig& config)
{
    m_cancel.store(false);
    QMetaObject::invokeMethod(this, [this, config] { runDeep(config); }, Qt::QueuedConnection);
}

void ExperimentWorker::startDiagnostics(bool measureGemm)
{
    QMetaObject::invokeMethod(this, [this, measureGemm] { collectDiagnostics(measureGemm); }, Qt::QueuedConnection);
}

void ExperimentWorker::runDeep(const DeepConfig& config)
{
    // The GUI waits for finished() to leave its running state, so it is sent whatever happens.
    DeepResult result;
    try {
        SignalSink sink(*this);
        result = runDeepPropagation(config, &sink, m_cancel);
    } catch (const std::exception& e) {
        result.error = std::string("the run failed: ") + e.what();
    } catch (...) {
        result.error = "the run failed with an unknown error";
    }
    Q_EMIT finished(result);
}

void ExperimentWorker::collectDiagnostics(bool measureGemm)
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

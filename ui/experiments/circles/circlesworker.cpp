#include "circlesworker.h"

#include <exception>
#include <string>

namespace initlab::ui {
namespace {

// Forwards the runner's callbacks as the worker's signals.
class CirclesSignalSink final : public CirclesSink
{
public:
    explicit CirclesSignalSink(CirclesWorker& worker)
        : m_worker(worker)
    {
    }

    void onHistory(const HistoryBlock& block) override { Q_EMIT m_worker.historyReady(block); }
    void onBoundary(const BoundaryImage& image) override { Q_EMIT m_worker.boundaryReady(image); }
    void onDiverged(int model, int epoch) override { Q_EMIT m_worker.diverged(model, epoch); }
    void onProgress(double fraction) override { m_worker.reportProgress(fraction); }

private:
    CirclesWorker& m_worker;
};

} // namespace

CirclesWorker::CirclesWorker(QObject* parent)
    : ExperimentWorker(parent)
{
}

void CirclesWorker::start(const CirclesConfig& config)
{
    queue([this, config] { run(config); });
}

void CirclesWorker::run(const CirclesConfig& config)
{
    // The GUI waits for finished() to leave its running state, so it is sent whatever happens.
    CirclesResult result;
    try {
        CirclesSignalSink sink(*this);
        result = initlab::runCircles(config, &sink, cancelFlag());
    } catch (const std::exception& e) {
        result.error = std::string("the run failed: ") + e.what();
    } catch (...) {
        result.error = "the run failed with an unknown error";
    }
    Q_EMIT finished(std::make_shared<const CirclesResult>(std::move(result)));
}

} // namespace initlab::ui

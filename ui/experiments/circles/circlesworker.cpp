#include "circlesworker.h"

#include <exception>
#include <string>

namespace initlab::ui {
namespace {

// Forwards the runner's callbacks as the worker's signals. Progress is sent only when the bar can
// show the change, to keep the GUI's event queue short.
class CirclesSignalSink final : public CirclesSink {
public:
    explicit CirclesSignalSink(CirclesWorker& worker)
        : m_worker(worker)
    {
    }

    void onHistory(const HistoryBlock& block) override { Q_EMIT m_worker.historyReady(block); }
    void onBoundary(const BoundaryImage& image) override { Q_EMIT m_worker.boundaryReady(image); }
    void onDiverged(int model, int epoch) override { Q_EMIT m_worker.diverged(model, epoch); }
    void onProgress(double fraction) override
    {
        if (fraction >= 1.0 || fraction - m_lastSent >= 0.001) {
            m_lastSent = fraction;
            Q_EMIT m_worker.progress(fraction);
        }
    }

private:
    CirclesWorker& m_worker;
    double m_lastSent = -1.0;
};

} // namespace

CirclesWorker::CirclesWorker(QObject* parent)
    : QObject(parent)
{
    registerMetaTypes();
}

void CirclesWorker::requestCancel()
{
    m_cancel.store(true);
}

bool CirclesWorker::isCancelRequested() const
{
    return m_cancel.load();
}

void CirclesWorker::start(const CirclesConfig& config)
{
    m_cancel.store(false);
    QMetaObject::invokeMethod(
        this, [this, config] { run(config); }, Qt::QueuedConnection);
}

void CirclesWorker::run(const CirclesConfig& config)
{
    // The GUI waits for finished() to leave its running state, so it is sent whatever happens.
    CirclesResult result;
    try {
        CirclesSignalSink sink(*this);
        result = initlab::runCircles(config, &sink, m_cancel);
    } catch (const std::exception& e) {
        result.error = std::string("the run failed: ") + e.what();
    } catch (...) {
        result.error = "the run failed with an unknown error";
    }
    Q_EMIT finished(result);
}

} // namespace initlab::ui

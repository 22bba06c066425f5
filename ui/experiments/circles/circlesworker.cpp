#include "circlesworker.h"

#include "initlab/circlessnapshots.h"

#include <map>

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

namespace {

// recorded with each model's boundary at its best epoch (the recorded epoch at or before it) and the
// snapshots; the problem when the file cannot give them.
std::shared_ptr<const CirclesResult> withBoundaries(const CirclesResult& recorded, const CirclesConfig& config,
                                                    const std::string& path, std::string& problem)
{
    CirclesSnapshots snapshots;
    if (problem = readSnapshotsFile(path, snapshots); !problem.empty())
        return nullptr;
    std::vector<int> sizes{2};
    sizes.insert(sizes.end(), config.hidden.begin(), config.hidden.end());
    sizes.push_back(2);
    if (snapshots.models != int(recorded.models.size()) || snapshots.layerSizes != sizes) {
        problem = path + ": the snapshots are of another net or run (" + std::to_string(snapshots.models) + " models)";
        return nullptr;
    }
    auto completed = std::make_shared<CirclesResult>(recorded);
    std::vector<NormalizationMap> maps;
    for (const ModelResult& model : completed->models)
        maps.push_back(model.normalization);
    std::map<int, std::vector<int>> modelsAt; // snapshot index -> the models whose best epoch it holds
    for (int m = 0; m < int(completed->models.size()); ++m)
        if (completed->models[std::size_t(m)].bestEpoch > 0)
            modelsAt[snapshots.indexAtOrBefore(completed->models[std::size_t(m)].bestEpoch)].push_back(m);
    for (const auto& [index, models] : modelsAt)
        for (BoundaryImage& image : snapshotBoundaries(config, snapshots, index, maps, models))
            completed->models[std::size_t(image.model)].boundary = std::move(image);
    completed->snapshots = std::move(snapshots);
    return completed;
}

} // namespace

void CirclesWorker::completeRecord(std::shared_ptr<const CirclesResult> recorded, const CirclesConfig& config,
                                   const QString& snapshotsPath)
{
    queue([this, recorded, config, path = snapshotsPath.toStdString()] {
        std::string problem;
        std::shared_ptr<const CirclesResult> completed;
        try {
            completed = withBoundaries(*recorded, config, path, problem);
        } catch (const std::exception& e) {
            problem = path + ": " + e.what();
        }
        Q_EMIT recordCompleted(recorded, completed, QString::fromStdString(problem));
    });
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

#include "circlesframerenderer.h"

#include <exception>
#include <utility>

namespace initlab::ui {

CirclesFrameRenderer::CirclesFrameRenderer(QObject* parent)
    : ExperimentWorker(parent)
{
    qRegisterMetaType<std::shared_ptr<const CirclesFrame>>();
}

void CirclesFrameRenderer::beginRun(int generation, const CirclesConfig& config)
{
    queue([this, generation, config] {
        m_generation = generation;
        m_config = config;
        m_result.reset();
        m_growing = CirclesSnapshots();
        m_deadModel = -1;
        m_dead.clear();
        m_datasets.clear();
        m_maps.clear();
        for (int s = 0; s < config.seeds; ++s)
            m_datasets.push_back(generateCircles(config.data, config.firstSeed + std::uint64_t(s)));
        // Normalization-major, seeds innermost, as the runner orders its models.
        for (const ModelKey& key : modelKeys(config))
            m_maps.push_back(fitNormalization(m_datasets[std::size_t(key.seed - config.firstSeed)].train,
                                              key.normalization, config.scaledFactor));
    });
}

void CirclesFrameRenderer::appendSnapshots(int generation, const CirclesSnapshots& block)
{
    queue([this, generation, block] {
        if (generation != m_generation || m_result)
            return;
        m_growing.stride = block.stride;
        m_growing.models = block.models;
        m_growing.layerSizes = block.layerSizes;
        m_growing.epochs.insert(m_growing.epochs.end(), block.epochs.begin(), block.epochs.end());
        m_growing.values.insert(m_growing.values.end(), block.values.begin(), block.values.end());
    });
}

void CirclesFrameRenderer::useResult(int generation, const CirclesConfig& config,
                                     std::shared_ptr<const CirclesResult> result)
{
    queue([this, generation, config, result = std::move(result)] {
        if (generation != m_generation) {
            m_deadModel = -1;
            m_dead.clear();
        }
        m_generation = generation;
        m_config = config;
        m_result = result;
        m_growing = CirclesSnapshots();
        m_datasets = result->datasets;
        m_maps.clear();
        for (const ModelResult& model : result->models)
            m_maps.push_back(model.normalization);
        // The same snapshots as the blocks gave, unless the run stopped between two of them.
        if (m_dead.size() > m_result->snapshots.epochs.size()) {
            m_deadModel = -1;
            m_dead.clear();
        }
    });
}

const CirclesSnapshots& CirclesFrameRenderer::snapshots() const
{
    return m_result ? m_result->snapshots : m_growing;
}

const PointSet& CirclesFrameRenderer::trainOf(int model) const
{
    return m_datasets.at(std::size_t(model % std::max(1, m_config.seeds))).train;
}

const std::vector<std::vector<bool>>& CirclesFrameRenderer::deadFlags(int model)
{
    if (model != m_deadModel) {
        m_deadModel = model;
        m_dead.clear();
    }
    const CirclesSnapshots& all = snapshots();
    const std::size_t from = m_dead.size();
    if (from < all.epochs.size()) {
        // Only the snapshots added since the last call: the flags of the earlier ones are kept.
        CirclesSnapshots tail;
        tail.stride = all.stride;
        tail.models = all.models;
        tail.layerSizes = all.layerSizes;
        tail.epochs.assign(all.epochs.begin() + std::ptrdiff_t(from), all.epochs.end());
        tail.values.assign(all.values.begin() + std::ptrdiff_t(from * std::size_t(all.perEpoch())), all.values.end());
        std::vector<std::vector<bool>> more = unitDeadAcrossEpochs(m_config, tail, m_maps, model, trainOf(model));
        m_dead.insert(m_dead.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
    }
    return m_dead;
}

void CirclesFrameRenderer::render(int generation, int index, const std::vector<int>& models, int unitModel)
{
    queue([this, generation, index, models, unitModel] {
        auto frame = std::make_shared<CirclesFrame>();
        frame->generation = generation;
        frame->index = index;
        try {
            const CirclesSnapshots& all = snapshots();
            if (generation != m_generation)
                throw std::runtime_error("the run has changed");
            if (index < 0 || std::size_t(index) >= all.epochs.size())
                throw std::out_of_range("epoch " + std::to_string(index) + " is not recorded yet");
            frame->epoch = all.epochs[std::size_t(index)];
            if (!models.empty())
                frame->boundaries = snapshotBoundaries(m_config, all, index, m_maps, models);
            if (unitModel >= 0) {
                frame->units = snapshotUnits(m_config, all, index, m_maps, unitModel, trainOf(unitModel));
                frame->unitsDiedAt = unitDeathEpochsAt(deadFlags(unitModel), all.epochs, index);
                frame->hasUnits = true;
            }
        } catch (const std::exception& e) {
            frame->problem = QString::fromStdString(e.what());
        }
        Q_EMIT frameRendered(frame);
    });
}

} // namespace initlab::ui

#include "circlesviews.h"

#include "circlessettingsform.h"
#include "circlesplayback.h"
#include "circlessummarytable.h"

#include "common/curvelegend.h"
#include "common/formatting.h"
#include "common/formfields.h"
#include "common/names.h"
#include "common/palette.h"
#include "figures/boundarycanvas.h"
#include "figures/circlescomparisongrid.h"
#include "figures/circlesfigures.h"
#include "figures/unitmapsfigure.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QElapsedTimer>
#include <QLabel>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace initlab::ui {
namespace {

template <class T>
bool contains(const std::vector<T>& values, T value)
{
    return std::find(values.begin(), values.end(), value) != values.end();
}

} // namespace

CirclesViews::CirclesViews(const CirclesSettingsForm& form, QWidget* exportButton, QWidget* parent)
    : QWidget(parent)
    , m_form(form)
{
    QLayout* viewRow = buildViewRow(exportButton);
    QGroupBox* gridBox = buildGridBox();
    QGroupBox* canvasBox = buildCanvasBox();
    QGroupBox* summaryBox = buildSummaryBox();
    QGroupBox* unitsBox = buildUnitsBox();

    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addLayout(viewRow, 0, 0, 1, 3);
    grid->addWidget(m_figures, 1, 0, 3, 1);
    grid->addWidget(gridBox, 1, 1);
    grid->addWidget(canvasBox, 1, 2);
    grid->addWidget(unitsBox, 2, 1, 1, 2);
    grid->addWidget(summaryBox, 3, 1, 1, 2);
    grid->setColumnStretch(0, 3);
    grid->setColumnStretch(1, 3);
    grid->setColumnStretch(2, 4);
    grid->setRowStretch(1, 3);
    grid->setRowStretch(3, 2);

    for (Normalization n : allNormalizations())
        m_view->addItem(normalizationTitle(n, m_form.scaledFactor()), int(n));
    m_view->setCurrentIndex(m_view->findData(int(m_figures->viewedNormalization())));
    m_figures->setEpochsBeforeRun(m_form.epochs());
    connectViews();
}

// Which normalization the curves are about, the legend, and Export all. Above all the views, not
// only the charts: the legend's colours are those of the grid's and the table's rows too, and the
// chart column keeps no more than a chart's width.
QLayout* CirclesViews::buildViewRow(QWidget* exportButton)
{
    m_view = new QComboBox;
    m_view->setObjectName(QStringLiteral("viewCombo"));
    m_view->setToolTip(tr("The normalization whose curves the charts show (one line per init scheme). Clicking a "
                          "cell of the comparison or a row of the table picks it too."));
    m_view->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_figures = new CirclesFigures;
    auto* viewRow = new QHBoxLayout;
    viewRow->addWidget(new QLabel(tr("Curves for")));
    viewRow->addWidget(m_view);
    viewRow->addSpacing(8);
    viewRow->addWidget(m_figures->legend(), 1);
    viewRow->addWidget(exportButton);
    return viewRow;
}

QGroupBox* CirclesViews::buildGridBox()
{
    m_grid = new CirclesComparisonGrid;
    auto* gridBox = new QGroupBox(tr("Comparison: init × normalization"));
    gridBox->setToolTip(tr("One decision boundary per setting, all on the same axes (input space): the report's "
                           "figures 8-11 side by side. Live: the first seed; afterwards: the best seed."));
    auto* gridLayout = new QVBoxLayout(gridBox);
    gridLayout->setContentsMargins(4, 4, 4, 4);
    gridLayout->addWidget(m_grid);
    return gridBox;
}

QGroupBox* CirclesViews::buildCanvasBox()
{
    m_canvas = new BoundaryCanvas(false);
    m_canvas->setObjectName(QStringLiteral("boundaryCanvas"));
    m_canvas->setShowValidation(false);
    m_canvas->setShowTest(false);
    m_canvas->setToolTip(tr("P(class 1) of the model being looked at, with its 0.5 contour (the decision boundary) "
                            "and the training points. While training it is redrawn about 12 times a second."));
    m_canvasSpace = new QComboBox;
    m_canvasSpace->setObjectName(QStringLiteral("canvasSpaceCombo"));
    m_canvasSpace->addItems({tr("input space"), tr("normalized space")});
    m_canvasSpace->setToolTip(tr("Axes in input coordinates, or in the coordinates the net sees after its "
                                 "normalization (the same picture, other numbers: that is the point of "
                                 "normalizing)."));
    m_testPoints = new QCheckBox(tr("Test points"));
    m_testPoints->setObjectName(QStringLiteral("testPointsToggle"));
    m_testPoints->setToolTip(tr("Also draw the test points (hollow) on which the test accuracy is measured."));
    auto* canvasBar = new QHBoxLayout;
    canvasBar->addWidget(new QLabel(tr("Axes in")));
    canvasBar->addWidget(m_canvasSpace);
    canvasBar->addStretch(1);
    canvasBar->addWidget(m_testPoints);
    auto* canvasBox = new QGroupBox(tr("Decision boundary"));
    auto* canvasLayout = new QVBoxLayout(canvasBox);
    canvasLayout->setContentsMargins(4, 4, 4, 4);
    canvasLayout->addLayout(canvasBar);
    canvasLayout->addWidget(m_canvas, 1);
    m_playback = new CirclesPlayback;
    canvasLayout->addWidget(m_playback);
    return canvasBox;
}

QGroupBox* CirclesViews::buildSummaryBox()
{
    m_threshold = makeDoubleSpin(0.0, 1.0, 0.95, 3, 0.01, QStringLiteral("thresholdSpin"),
                                 tr("A seed succeeds when its test accuracy is at least this. Changing it recomputes "
                                    "the table."));
    m_table = new CirclesSummaryTable;
    m_summaryNote = new QLabel(tr("Filled when a run ends: one row per normalization and init scheme. Click a row to "
                                  "see its best seed's boundary."));
    m_summaryNote->setWordWrap(true);
    m_summaryNote->setObjectName(QStringLiteral("summaryNote"));
    auto* thresholdRow = new QHBoxLayout;
    thresholdRow->addWidget(m_summaryNote, 1);
    thresholdRow->addWidget(new QLabel(tr("Success: test accuracy ≥")));
    thresholdRow->addWidget(m_threshold);
    auto* summaryBox = new QGroupBox(tr("Summary over seeds"));
    auto* summaryLayout = new QVBoxLayout(summaryBox);
    summaryLayout->setContentsMargins(4, 4, 4, 4);
    summaryLayout->addLayout(thresholdRow);
    summaryLayout->addWidget(m_table, 1);
    return summaryBox;
}

// Under the grid and the big canvas, a strip: what each hidden unit of the model on the canvas
// computes, at the epoch the canvas shows.
QGroupBox* CirclesViews::buildUnitsBox()
{
    m_units = new UnitMapsFigure;
    m_units->setObjectName(QStringLiteral("unitMaps"));
    m_units->setMinimumSize(300, 120);
    m_units->setMaximumHeight(140);
    m_units->setToolTip(tr("Each hidden unit's output over the canvas's square of input space, on one colour scale "
                           "(white at zero), and last the net's P(class 1). A unit that is zero on every training "
                           "point is dead: greyed, with the epoch it died. Hover a map for its incoming weights."));
    auto* box = new QGroupBox(tr("Inside the net"));
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_units, 1);
    clearUnits(tr("after the first recorded epoch"));
    return box;
}

void CirclesViews::clearUnits(const QString& why)
{
    UnitMapsData data;
    data.title = tr("Hidden units");
    data.subtitle = why;
    m_units->setData(data);
}

void CirclesViews::showUnits(const UnitMaps& maps, const std::vector<int>& diedAt)
{
    if (maps.model != modelToShow())
        return;
    UnitMapsData data;
    data.maps = maps;
    data.diedAt = diedAt;
    const int seeds = std::max(1, m_runConfig.seeds);
    data.title = tr("Hidden units · seed %1").arg(m_runConfig.firstSeed + std::uint64_t(maps.model % seeds));
    const int dead = int(std::count(maps.dead.begin(), maps.dead.end(), true));
    data.subtitle = tr("epoch %1 · %2 dead").arg(maps.epoch).arg(dead);
    m_units->setData(data);
}

UnitMapsFigure* CirclesViews::unitMaps() const
{
    return m_units;
}

// Picking a setting in the combo, the grid or the table looks at it; the threshold recomputes the
// table; the canvas bar sets the big canvas's axes and points.
void CirclesViews::connectViews()
{
    connect(m_view, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0)
            lookAt(Normalization(m_view->itemData(index).toInt()), m_viewInit);
    });
    connect(m_grid, &CirclesComparisonGrid::cellClicked, this,
            [this](int row, int column) { lookAt(m_grid->normalizationOfColumn(column), m_grid->initOfRow(row)); });
    connect(m_table, &CirclesSummaryTable::groupActivated, this, &CirclesViews::lookAt);
    // The dead-unit count links to the units: the best seed at the last epoch, where the count is taken.
    connect(m_table, &CirclesSummaryTable::deadUnitsActivated, this, [this] {
        if (m_playback->hasSnapshots())
            m_playback->showIndex(m_playback->snapshotCount() - 1);
    });
    connect(m_threshold, &QDoubleSpinBox::valueChanged, this, &CirclesViews::updateSummary);
    connect(m_canvasSpace, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_canvas->setSpace(index == 1 ? BoundaryCanvas::Space::Normalized : BoundaryCanvas::Space::Input);
    });
    connect(m_testPoints, &QCheckBox::toggled, m_canvas, &BoundaryCanvas::setShowTest);
    connect(m_canvas, &BoundaryCanvas::imageShown, this, &CirclesViews::canvasUpdated);
}

// ---- a run -------------------------------------------------------------------------------------

void CirclesViews::previewNextRun(const CirclesData& firstSeed)
{
    if (m_hasRun)
        return;
    const CirclesConfig next = m_form.previewConfig();
    resetGrid(next, firstSeed);
    m_runConfig.data = next.data;
    m_runConfig.scaledFactor = next.scaledFactor;
    m_firstSeedData = firstSeed;
    m_canvas->setBounds(BoundaryCanvas::boundaryBounds(next.data));
    m_canvas->setPoints(firstSeed.train, {}, firstSeed.test);
    {
        const QSignalBlocker blocker(m_view);
        for (int i = 0; i < m_view->count(); ++i)
            m_view->setItemText(i, normalizationTitle(Normalization(m_view->itemData(i).toInt()), next.scaledFactor));
    }
    showOnCanvas();
}

void CirclesViews::beginRun(const CirclesConfig& config)
{
    const auto [normalization, init] = settingToView(config);
    startShowing(config);
    m_figures->beginRun(config);
    lookAt(normalization, init);
}

void CirclesViews::startShowing(const CirclesConfig& config)
{
    m_runConfig = config;
    m_hasRun = true;
    m_result.reset();
    m_summary.clear();
    m_table->clearSummary();
    m_summaryNote->setText(tr("Training … the table fills when the run ends."));
    m_firstSeedData = generateCircles(config.data, config.firstSeed);
    m_divergedEpoch.assign(config.normalizations.size() * config.inits.size() * std::size_t(config.seeds), 0);
    m_pendingBoundaries.clear();
    m_playback->setSnapshots(nullptr);
    m_figures->setCursorEpoch(0);
    clearUnits(tr("after the first recorded epoch"));
    fillViewCombo(config.normalizations, config.scaledFactor);
    resetGrid(config, m_firstSeedData);
    m_canvas->clearImage();
    m_canvas->setBounds(BoundaryCanvas::boundaryBounds(config.data));
    m_canvasModel = -1;
    m_canvasFinal = false;
}

// Keep looking at the same setting when the run has it; else at the nearest one it has.
std::pair<Normalization, InitScheme> CirclesViews::settingToView(const CirclesConfig& config) const
{
    Normalization normalization = m_figures->viewedNormalization();
    if (!contains(config.normalizations, normalization) && !config.normalizations.empty())
        normalization = contains(config.normalizations, Normalization::Standard) ? Normalization::Standard
                                                                                 : config.normalizations.front();
    InitScheme init = m_viewInit;
    if (!contains(config.inits, init) && !config.inits.empty())
        init = config.inits.front();
    return {normalization, init};
}

void CirclesViews::fillViewCombo(const std::vector<Normalization>& normalizations, double scaledFactor)
{
    const QSignalBlocker blocker(m_view);
    m_view->clear();
    for (Normalization n : normalizations)
        m_view->addItem(normalizationTitle(n, scaledFactor), int(n));
}

// A cell per setting of config, showing the first seed's training points.
void CirclesViews::resetGrid(const CirclesConfig& config, const CirclesData& firstSeed)
{
    m_grid->setSettings(config.inits, config.normalizations, config.scaledFactor, config.normalStd);
    const QRectF bounds = BoundaryCanvas::boundaryBounds(config.data);
    for (int r = 0; r < m_grid->rowCount(); ++r)
        for (int c = 0; c < m_grid->columnCount(); ++c) {
            BoundaryCanvas* cell = m_grid->cell(r, c);
            cell->setPoints(firstSeed.train);
            cell->setBounds(bounds);
        }
}

void CirclesViews::appendHistory(const HistoryBlock& block)
{
    m_figures->appendHistory(block);
}

void CirclesViews::refresh(int budgetMs)
{
    QElapsedTimer clock;
    clock.start();
    m_figures->refresh();
    // Playback behind the run shows recorded frames, not what the run sends now.
    if (m_playback->index() >= 0)
        m_pendingBoundaries.clear();
    while (!m_pendingBoundaries.empty() && (budgetMs < 0 || clock.elapsed() < budgetMs)) {
        const auto first = m_pendingBoundaries.begin();
        const BoundaryImage image = std::move(first->second);
        m_pendingBoundaries.erase(first);
        drawLiveBoundary(image);
    }
}

bool CirclesViews::showLiveBoundary(const BoundaryImage& image)
{
    if (image.model < 0 || image.model >= int(m_divergedEpoch.size()))
        return false;
    m_pendingBoundaries[image.model] = image;
    return true;
}

void CirclesViews::drawLiveBoundary(const BoundaryImage& image)
{
    const int seeds = m_runConfig.seeds;
    if (image.model % seeds == 0)
        if (BoundaryCanvas* cell = cellOfGroup(image.model / seeds))
            cell->setImage(image);
    if (image.model == m_canvasModel && !m_canvasFinal) {
        m_canvas->setImage(image);
        if (m_divergedEpoch[std::size_t(image.model)] == 0)
            m_canvas->setCaption(tr("seed %1 · live: epoch %2 of %3")
                                     .arg(m_runConfig.firstSeed)
                                     .arg(image.epoch)
                                     .arg(m_runConfig.epochs));
    }
}

bool CirclesViews::modelDiverged(int model, int epoch)
{
    if (model < 0 || model >= int(m_divergedEpoch.size()))
        return false;
    m_divergedEpoch[std::size_t(model)] = epoch;
    const int seeds = m_runConfig.seeds;
    if (model % seeds == 0)
        updateCellCaption(model / seeds);
    if (model == m_canvasModel)
        m_canvas->setCaption(
            tr("seed %1 · diverged at epoch %2").arg(m_runConfig.firstSeed + std::uint64_t(model % seeds)).arg(epoch),
            failureColor());
    return true;
}

void CirclesViews::showResult(std::shared_ptr<const CirclesResult> shared)
{
    m_pendingBoundaries.clear(); // the final boundaries replace the live ones
    m_result = std::move(shared);
    m_playback->setSnapshots(std::shared_ptr<const CirclesSnapshots>(m_result, &m_result->snapshots));
    const CirclesResult& result = *m_result;
    for (std::size_t m = 0; m < result.models.size() && m < m_divergedEpoch.size(); ++m)
        if (result.models[m].divergedEpoch > 0)
            m_divergedEpoch[m] = result.models[m].divergedEpoch;
    updateSummary();
    showFinalBoundaries();
    // A playback going on (or paused) when the run ended keeps its epoch.
    if (m_playback->index() >= 0)
        m_playback->redraw();
}

void CirclesViews::showFailure()
{
    refresh(); // the last live boundaries are what there is
    m_summaryNote->setText(tr("The run failed; nothing to summarize."));
}

void CirclesViews::showRecordedResult(const CirclesConfig& config, const CirclesResult& result)
{
    beginRun(config);
    m_figures->showResult(config, result);
    for (std::size_t m = 0; m < result.models.size() && m < m_divergedEpoch.size(); ++m)
        m_divergedEpoch[m] = result.models[m].divergedEpoch;
    m_result = std::make_shared<const CirclesResult>(result);
    updateSummary();
    showFinalBoundaries();
    m_canvas->setCaption(tr("boundary not recorded · re-run to see it"));
}

void CirclesViews::showRecordedBoundaries(std::shared_ptr<const CirclesResult> completed)
{
    m_result = std::move(completed);
    showFinalBoundaries();
    m_playback->setSnapshots(std::shared_ptr<const CirclesSnapshots>(m_result, &m_result->snapshots));
}

std::vector<int> CirclesViews::frameModels() const
{
    std::vector<int> models;
    if (m_result) {
        for (const CirclesSummaryRow& row : m_summary)
            models.push_back(row.bestModel);
    } else {
        for (int g = 0; g < groupCount(); ++g)
            models.push_back(modelOf(g, 0)); // while training, the cells show the first seeds
    }
    const int canvasModel = modelToShow();
    if (canvasModel >= 0 && std::find(models.begin(), models.end(), canvasModel) == models.end())
        models.push_back(canvasModel);
    return models;
}

BoundaryCanvas* CirclesViews::cellShowing(int model) const
{
    if (m_result) {
        for (const CirclesSummaryRow& row : m_summary)
            if (row.bestModel == model)
                return m_grid->cellFor(row.normalization, row.init);
        return nullptr;
    }
    return model % std::max(1, m_runConfig.seeds) == 0 ? cellOfGroup(model / std::max(1, m_runConfig.seeds)) : nullptr;
}

void CirclesViews::showFrame(const std::vector<BoundaryImage>& images)
{
    if (!m_hasRun)
        return;
    const int canvasModel = modelToShow();
    const int epochs = m_result ? m_result->epochsRun : m_runConfig.epochs;
    for (const BoundaryImage& image : images) {
        if (image.model < 0 || image.model >= int(m_divergedEpoch.size()))
            continue;
        if (BoundaryCanvas* cell = cellShowing(image.model)) {
            cell->setImage(image);
            cell->setCaption(tr("ep. %1").arg(image.epoch)); // "epoch 300" does not fit the narrowest cells
        }
        if (image.model == canvasModel) {
            m_canvas->setImage(image);
            const std::uint64_t seed = m_runConfig.firstSeed + std::uint64_t(image.model % m_runConfig.seeds);
            QString caption = tr("seed %1 · epoch %2 of %3").arg(seed).arg(image.epoch).arg(epochs);
            if (m_result) {
                const ModelResult& model = m_result->models[std::size_t(image.model)];
                if (image.epoch >= 1 && std::size_t(image.epoch) <= model.valAcc.size())
                    caption += tr(" · validation %1").arg(percentText(model.valAcc[std::size_t(image.epoch - 1)]));
            }
            m_canvas->setCaption(caption);
            m_canvasModel = -1; // the best epoch's or the live drawing is redrawn when asked for again
        }
    }
    if (!images.empty())
        m_figures->setCursorEpoch(images.front().epoch);
}

void CirclesViews::showBest()
{
    m_figures->setCursorEpoch(0);
    if (m_result) {
        showFinalBoundaries();
        return;
    }
    // While training: back to what the run sends, which the next live images draw.
    for (int g = 0; g < groupCount(); ++g)
        updateCellCaption(g);
    m_canvasModel = -1;
    showOnCanvas();
}

// ---- looking at a setting ----------------------------------------------------------------------

void CirclesViews::lookAt(Normalization normalization, InitScheme init)
{
    if (normalization != m_figures->viewedNormalization()) {
        m_figures->setEpochsBeforeRun(m_form.epochs());
        m_figures->setViewedNormalization(normalization);
    }
    m_viewInit = init;
    {
        const QSignalBlocker blocker(m_view);
        m_view->setCurrentIndex(m_view->findData(int(normalization)));
    }
    const int group = groupIndex(normalization, init);
    const int inits = int(m_runConfig.inits.size());
    if (group >= 0)
        m_grid->setSelected(group % inits, group / inits);
    else
        m_grid->setSelected(-1, -1);
    m_table->selectGroup(normalization, init);
    showOnCanvas();
    Q_EMIT viewedModelChanged();
}

Normalization CirclesViews::viewedNormalization() const
{
    return m_figures->viewedNormalization();
}

InitScheme CirclesViews::viewedInit() const
{
    return m_viewInit;
}

int CirclesViews::shownModel() const
{
    // Not m_canvasModel: that only says what is drawn already, and is -1 while a playback frame of
    // the same model is on its way from the renderer.
    return modelToShow();
}

int CirclesViews::groupIndex(Normalization normalization, InitScheme init) const
{
    if (!m_hasRun)
        return -1;
    const auto& normalizations = m_runConfig.normalizations;
    const auto& inits = m_runConfig.inits;
    const auto n = std::find(normalizations.begin(), normalizations.end(), normalization);
    const auto i = std::find(inits.begin(), inits.end(), init);
    if (n == normalizations.end() || i == inits.end())
        return -1;
    return int(n - normalizations.begin()) * int(inits.size()) + int(i - inits.begin());
}

int CirclesViews::groupCount() const
{
    return m_hasRun ? int(m_runConfig.normalizations.size() * m_runConfig.inits.size()) : 0;
}

int CirclesViews::modelOf(int group, int seedIndex) const
{
    return group * m_runConfig.seeds + seedIndex;
}

BoundaryCanvas* CirclesViews::cellOfGroup(int group) const
{
    const int inits = int(m_runConfig.inits.size());
    return inits > 0 ? m_grid->cell(group % inits, group / inits) : nullptr;
}

int CirclesViews::modelToShow() const
{
    const Normalization normalization = m_figures->viewedNormalization();
    const int group = groupIndex(normalization, m_viewInit);
    if (group < 0)
        return -1;
    if (m_result) {
        for (const CirclesSummaryRow& row : m_summary)
            if (row.normalization == normalization && row.init == m_viewInit)
                return row.bestModel;
    }
    return modelOf(group, 0);
}

void CirclesViews::showOnCanvas()
{
    const int model = modelToShow();
    const bool final = model >= 0 && m_result != nullptr;
    if (model >= 0 && model == m_canvasModel && final == m_canvasFinal)
        return; // already shown: a row clicked twice does not redraw
    m_canvasModel = model;
    m_canvasFinal = final;
    if (model < 0)
        showNothingOnCanvas();
    else if (final)
        showFinalOnCanvas(model);
    else
        showLiveOnCanvas(model);
}

// Nothing trained for this setting (yet): the first seed's data stands in.
void CirclesViews::showNothingOnCanvas()
{
    const Normalization normalization = m_figures->viewedNormalization();
    m_canvas->clearImage();
    m_canvas->setNormalization(liveMap(normalization));
    m_canvas->setTitle(boundaryTitle(normalization, m_viewInit, m_form.scaledFactor(), m_form.normalStd()));
    m_canvas->setCaption(m_hasRun ? tr("not in this run") : tr("press Train all"));
}

// The best-validation weights of a model of the ended run.
void CirclesViews::showFinalOnCanvas(int model)
{
    const std::uint64_t seed = m_runConfig.firstSeed + std::uint64_t(model % m_runConfig.seeds);
    showModelBoundary(*m_canvas, m_runConfig, *m_result, model, true);
    const ModelResult& result = m_result->models[std::size_t(model)];
    QString caption = result.bestEpoch > 0
        ? tr("best validation at epoch %1 · test %2").arg(result.bestEpoch).arg(percentText(result.testAcc))
        : tr("no epoch finished");
    QColor color;
    if (result.divergedEpoch > 0) {
        caption = tr("diverged at epoch %1 · ").arg(result.divergedEpoch) + caption;
        color = failureColor();
    }
    if (result.bestEpoch > 0 && !result.boundary.probability.empty() && result.boundary.epoch != result.bestEpoch)
        caption += tr(" · boundary of epoch %1 (the recorded one before)").arg(result.boundary.epoch);
    m_canvas->setCaption(tr("seed %1 · ").arg(seed) + caption, color);
}

// Live: the first seed, whose data the views generated when the run started.
void CirclesViews::showLiveOnCanvas(int model)
{
    const Normalization normalization = m_figures->viewedNormalization();
    const std::uint64_t seed = m_runConfig.firstSeed + std::uint64_t(model % m_runConfig.seeds);
    m_canvas->setTitle(boundaryTitle(normalization, m_viewInit, m_runConfig.scaledFactor, m_runConfig.normalStd));
    const QString seedText = tr("seed %1 · ").arg(seed);
    m_canvas->setBounds(BoundaryCanvas::boundaryBounds(m_runConfig.data));
    m_canvas->setNormalization(liveMap(normalization));
    m_canvas->setPoints(m_firstSeedData.train, {}, m_firstSeedData.test);
    const BoundaryCanvas* cell = m_grid->cellFor(normalization, m_viewInit);
    if (cell && cell->hasImage()) // the latest live image, until the next one comes
        m_canvas->setImage(cell->image());
    else
        m_canvas->clearImage();
    if (m_divergedEpoch[std::size_t(model)] > 0)
        m_canvas->setCaption(seedText + tr("diverged at epoch %1").arg(m_divergedEpoch[std::size_t(model)]),
                             failureColor());
    else if (m_canvas->hasImage())
        m_canvas->setCaption(seedText
                             + tr("live: epoch %1 of %2").arg(m_canvas->image().epoch).arg(m_runConfig.epochs));
    else
        m_canvas->setCaption(seedText + tr("waiting for the first image …"));
}

void CirclesViews::showFinalBoundaries()
{
    if (!m_result)
        return;
    for (const CirclesSummaryRow& row : m_summary) {
        BoundaryCanvas* cell = m_grid->cellFor(row.normalization, row.init);
        if (!cell || row.bestModel < 0 || std::size_t(row.bestModel) >= m_result->models.size())
            continue;
        const ModelResult& model = m_result->models[std::size_t(row.bestModel)];
        const std::size_t seedIndex = std::size_t(row.bestModel % m_runConfig.seeds);
        if (seedIndex < m_result->datasets.size())
            cell->setPoints(m_result->datasets[seedIndex].train);
        if (!model.boundary.probability.empty())
            cell->setImage(model.boundary);
    }
    for (int g = 0; g < groupCount(); ++g)
        updateCellCaption(g);
    m_canvasModel = -1; // forces the redraw with the final weights
    showOnCanvas();
}

void CirclesViews::updateCellCaption(int group)
{
    BoundaryCanvas* cell = cellOfGroup(group);
    if (!cell)
        return;
    if (m_result) {
        const int inits = int(m_runConfig.inits.size());
        const Normalization normalization = m_runConfig.normalizations[std::size_t(group / inits)];
        const InitScheme init = m_runConfig.inits[std::size_t(group % inits)];
        for (const CirclesSummaryRow& row : m_summary)
            if (row.normalization == normalization && row.init == init) {
                showCellVerdict(group, row);
                return;
            }
        return;
    }
    // Live, all models are at the same epoch (the status line has it); a cell only speaks up when
    // its model diverged.
    const int first = modelOf(group, 0);
    if (m_divergedEpoch[std::size_t(first)] > 0)
        cell->setCaption(tr("diverged at epoch %1").arg(m_divergedEpoch[std::size_t(first)]), failureColor());
    else
        cell->setCaption(QString());
}

// Cells are small: the caption is the verdict, the tooltip has the numbers.
void CirclesViews::showCellVerdict(int group, const CirclesSummaryRow& row)
{
    BoundaryCanvas* cell = cellOfGroup(group);
    const ModelResult& best = m_result->models[std::size_t(row.bestModel)];
    const bool success = row.successRate > 0.0;
    const int successes = int(std::lround(row.successRate * row.seeds));
    QString text = m_runConfig.seeds > 1 ? tr("%1/%2").arg(successes).arg(row.seeds) : percentText(best.testAcc);
    if (best.divergedEpoch > 0)
        text = tr("diverged at epoch %1").arg(best.divergedEpoch);
    cell->setCaption(text, success && best.divergedEpoch == 0 ? successColor() : failureColor());
    QString tip = tr("%1\nTest accuracy %2 over %3; %4 of them at least %5.\nShown: seed %6, test accuracy %7 "
                     "(best validation at epoch %8).")
                      .arg(settingTitle(group),
                           row.seeds > 1 ? tr("%1 ± %2 %")
                                               .arg(row.meanTestAcc * 100.0, 0, 'f', 1)
                                               .arg(row.sdTestAcc * 100.0, 0, 'f', 1)
                                         : percentText(row.meanTestAcc),
                           countText(row.seeds, tr("seed"), tr("seeds")))
                      .arg(successes)
                      .arg(m_threshold->value(), 0, 'g', 4)
                      .arg(row.bestSeed)
                      .arg(percentText(best.testAcc))
                      .arg(best.bestEpoch);
    if (best.deadUnits > 0)
        tip += tr("\n%1 of its hidden units are dead (never active on the training set).").arg(best.deadUnits);
    cell->setToolTip(tip + tr("\nClick to show it on the big canvas."));
}

void CirclesViews::updateSummary()
{
    if (!m_result)
        return;
    m_summary = summarize(*m_result, m_threshold->value());
    int hiddenUnits = 0;
    for (int h : m_runConfig.hidden)
        hiddenUnits += h;
    m_table->setSummary(m_summary, *m_result, m_threshold->value(), m_runConfig.scaledFactor, m_runConfig.normalStd,
                        hiddenUnits);
    m_table->selectGroup(m_figures->viewedNormalization(), m_viewInit);
    m_summaryNote->setText(m_result->cancelled
                               ? tr("Cancelled at epoch %1: best snapshots so far. Click a row to see its best seed.")
                                     .arg(m_result->epochsRun)
                               : tr("%1 per setting. Click a row to see its best seed's boundary.")
                                     .arg(countText(m_runConfig.seeds, tr("seed"), tr("seeds"))));
    for (int g = 0; g < groupCount(); ++g)
        updateCellCaption(g);
}

NormalizationMap CirclesViews::liveMap(Normalization normalization) const
{
    return fitNormalization(m_firstSeedData.train, normalization, m_runConfig.scaledFactor);
}

// ---- what the tab reads ------------------------------------------------------------------------

const CirclesConfig& CirclesViews::runConfig() const
{
    return m_runConfig;
}

const CirclesResult* CirclesViews::result() const
{
    return m_result.get();
}

const std::vector<CirclesSummaryRow>& CirclesViews::summary() const
{
    return m_summary;
}

int CirclesViews::divergedCount() const
{
    return int(std::count_if(m_divergedEpoch.begin(), m_divergedEpoch.end(), [](int e) { return e > 0; }));
}

QString CirclesViews::settingTitle(int group) const
{
    const int inits = int(m_runConfig.inits.size());
    if (group < 0 || inits == 0 || group >= inits * int(m_runConfig.normalizations.size()))
        return {};
    return tr("%1 + %2").arg(normalizationTitle(m_runConfig.normalizations[std::size_t(group / inits)],
                                                m_runConfig.scaledFactor),
                             schemeTitle(m_runConfig.inits[std::size_t(group % inits)], m_runConfig.normalStd));
}

double CirclesViews::successThreshold() const
{
    return m_threshold->value();
}

void CirclesViews::setSuccessThreshold(double threshold)
{
    m_threshold->setValue(threshold);
}

CirclesFigures* CirclesViews::figures() const
{
    return m_figures;
}

QList<NamedFigure> CirclesViews::exportFigures() const
{
    // The charts and the big canvas show the setting looked at; its names go into the file names.
    QList<NamedFigure> figures = m_figures->exportFigures();
    figures << NamedFigure{QStringLiteral("circles_view_%1_%2")
                               .arg(toQString(initlab::name(m_figures->viewedNormalization())),
                                    toQString(initlab::name(m_viewInit))),
                           m_canvas}
            << NamedFigure{QStringLiteral("circles_data"), m_form.dataView()};
    if (!m_units->data().maps.hidden.empty())
        figures << NamedFigure{QStringLiteral("circles_units_%1_%2")
                                   .arg(toQString(initlab::name(m_figures->viewedNormalization())),
                                        toQString(initlab::name(m_viewInit))),
                               m_units};
    for (int row = 0; row < m_grid->rowCount(); ++row)
        for (int column = 0; column < m_grid->columnCount(); ++column) {
            BoundaryCanvas* cell = m_grid->cell(row, column);
            figures.append({chartexport::exportName(cell, cell->figureTitle()), cell});
        }
    for (const NamedFigure& figure : figures)
        if (auto* widget = dynamic_cast<QWidget*>(figure.figure))
            chartexport::setExportName(widget, figure.baseName);
    return figures;
}

} // namespace initlab::ui

#include "circlespanel.h"

#include "circlesframesdialog.h"
#include "circlesframesexport.h"
#include "circlessettingsform.h"
#include "circlesplayback.h"
#include "circlesviews.h"
#include "circlesworker.h"

#include "common/formatting.h"
#include "common/names.h"
#include "experiments/experimentfileio.h"
#include "figures/circlesfigures.h"

#include <QDir>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QResizeEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QVBoxLayout>

#include <algorithm>

namespace initlab::ui {
namespace {

// A recorded result as a run of config would have left it, or nullopt when its models are not
// config's. The data and normalizations are recomputed from the seeds (cheap, and exact); the
// boundary images are not recorded.
std::optional<CirclesResult> completedRecord(const CirclesConfig& config, const CirclesResult& recorded)
{
    const std::vector<ModelKey> keys = modelKeys(config);
    bool fits = keys.size() == recorded.models.size();
    for (std::size_t m = 0; fits && m < keys.size(); ++m)
        fits = keys[m].normalization == recorded.models[m].key.normalization
            && keys[m].init == recorded.models[m].key.init && keys[m].seed == recorded.models[m].key.seed;
    if (!fits)
        return std::nullopt;
    CirclesResult result = recorded;
    result.datasets.clear();
    for (int s = 0; s < config.seeds; ++s)
        result.datasets.push_back(generateCircles(config.data, config.firstSeed + std::uint64_t(s)));
    for (std::size_t m = 0; m < result.models.size(); ++m)
        result.models[m].normalization = fitNormalization(result.datasets[m % std::size_t(config.seeds)].train,
                                                          result.models[m].key.normalization, config.scaledFactor);
    return result;
}

} // namespace

CirclesPanel::CirclesPanel(CirclesWorker* worker, QWidget* parent)
    : ExperimentPanel(ExperimentKind::Circles, worker, parent)
{
    registerMetaTypes();
    auto* column = new QVBoxLayout;
    column->addWidget(buildSettings(), 1);
    column->addWidget(buildRunBox());
    auto* layout = new QHBoxLayout(this);
    layout->addLayout(column);
    layout->addWidget(buildViews(), 1);
    connectParts();
    m_form->updateDataView();
    updateControls();
}

// The settings form in a column that scrolls up and down, never sideways.
QWidget* CirclesPanel::buildSettings()
{
    m_form = new CirclesSettingsForm;
    m_controlsScroll = new QScrollArea;
    m_controlsScroll->setObjectName(QStringLiteral("circlesControlsScroll"));
    m_controlsScroll->setWidget(m_form);
    m_controlsScroll->setWidgetResizable(true);
    m_controlsScroll->setFrameShape(QFrame::NoFrame);
    m_controlsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // As narrow as the controls allow: the charts, canvases and table need the width more. The
    // narrow arrangement's width is the column's minimum, so that the window's minimum width never
    // depends on the arrangement it happens to have. Polished first: the style sets the sizes.
    m_form->ensurePolished();
    arrangeSettings(true);
    m_controlsScroll->setMinimumWidth(m_controlsScroll->maximumWidth());
    arrangeSettings(false);
    m_wideControlsWidth = m_controlsScroll->maximumWidth();
    return m_controlsScroll;
}

// Below the scrolled settings, so that Train all is always in sight.
QWidget* CirclesPanel::buildRunBox()
{
    m_trainAll = new QPushButton(tr("Train all"));
    m_trainAll->setObjectName(QStringLiteral("trainAllButton"));
    m_trainAll->setDefault(true);
    m_trainAll->setToolTip(tr("Trains every selected init scheme × normalization × seed at once (their weights are "
                              "stacked and trained together) and fills the curves, the canvases and the table."));
    QFont bold = m_trainAll->font();
    bold.setBold(true);
    m_trainAll->setFont(bold);
    cancelButton()->setToolTip(tr("Stops training within one epoch; every model keeps its best snapshot so far and the "
                                  "table shows them."));
    statusLabel()->setText(tr("Ready. Press Train all."));

    auto* runBox = new QGroupBox(tr("Run"));
    runBox->setObjectName(QStringLiteral("circlesRunBox"));
    auto* runGrid = new QGridLayout(runBox);
    runGrid->addWidget(m_trainAll, 0, 0);
    runGrid->addWidget(progressBar(), 0, 1);
    runGrid->addWidget(cancelButton(), 0, 2);
    runGrid->addWidget(statusLabel(), 1, 0, 1, 3);
    runGrid->setColumnStretch(1, 1);
    return runBox;
}

// The views fit beside the narrow column on a 1280-pixel screen; a window shorter than they need
// scrolls them up and down, never sideways.
QWidget* CirclesPanel::buildViews()
{
    exportAllButton()->setToolTip(tr("Writes the curves, the big canvas, every cell of the comparison and the data "
                                     "view as PNG, SVG and PDF, and their data as CSV, into a folder. Right-click a "
                                     "chart or canvas to export only that one."));
    m_views = new CirclesViews(*m_form, exportAllButton());
    m_viewsScroll = new QScrollArea;
    m_viewsScroll->setObjectName(QStringLiteral("circlesViewsScroll"));
    m_viewsScroll->setWidget(m_views);
    m_viewsScroll->setWidgetResizable(true);
    m_viewsScroll->setFrameShape(QFrame::NoFrame);
    return m_viewsScroll;
}

// What the form, the views and the worker's signals do.
void CirclesPanel::connectParts()
{
    connect(m_form, &CirclesSettingsForm::dataPreviewed, m_views, &CirclesViews::previewNextRun);
    connect(m_form, &CirclesSettingsForm::submitted, this, &CirclesPanel::trainAll);
    connect(m_trainAll, &QPushButton::clicked, this, &CirclesPanel::trainAll);
    connect(m_views, &CirclesViews::canvasUpdated, this, &CirclesPanel::canvasUpdated);

    auto* circlesWorker = static_cast<CirclesWorker*>(worker());
    connect(circlesWorker, &CirclesWorker::historyReady, this, &CirclesPanel::onHistory);
    connect(circlesWorker, &CirclesWorker::boundaryReady, this, &CirclesPanel::onBoundary);
    connect(circlesWorker, &CirclesWorker::diverged, this, &CirclesPanel::onDiverged);
    connect(circlesWorker, &CirclesWorker::finished, this, &CirclesPanel::onFinished);
    connect(circlesWorker, &CirclesWorker::recordCompleted, this, &CirclesPanel::onRecordCompleted);
    connect(m_renderer.worker(), &CirclesFrameRenderer::frameRendered, this, &CirclesPanel::onFrameRendered);
    connect(m_views->playback(), &CirclesPlayback::frameRequested, this, &CirclesPanel::requestView);
    connect(m_views->playback(), &CirclesPlayback::bestRequested, this, [this] {
        m_views->showBest();
        requestView();
    });
    connect(m_views, &CirclesViews::viewedModelChanged, this, &CirclesPanel::requestView);
    connect(m_views->playback(), &CirclesPlayback::exportFramesRequested, this, &CirclesPanel::openExportFramesDialog);
}

void CirclesPanel::arrangeSettings(bool narrow)
{
    m_form->arrange(narrow);
    // The column is as wide as this arrangement needs, and may shrink to the narrow one's width
    // before the next resize event re-arranges it.
    m_controlsScroll->setMaximumWidth(m_form->minimumSizeHint().width()
                                      + m_controlsScroll->verticalScrollBar()->sizeHint().width());
}

void CirclesPanel::resizeEvent(QResizeEvent* event)
{
    // Two settings a row when the views keep their minimum width beside the wide column.
    const QMargins margins = layout()->contentsMargins();
    const int chrome = margins.left() + margins.right() + layout()->spacing()
                       + m_viewsScroll->verticalScrollBar()->sizeHint().width();
    const bool narrow = event->size().width()
                        < m_wideControlsWidth + m_viewsScroll->widget()->minimumSizeHint().width() + chrome;
    if (narrow != m_form->isNarrow())
        arrangeSettings(narrow);
    QWidget::resizeEvent(event);
}

// ---- runs ------------------------------------------------------------------------------------

std::optional<CirclesConfig> CirclesPanel::configFromControls(QString* error) const
{
    return m_form->config(error);
}

bool CirclesPanel::start()
{
    return trainAll();
}

bool CirclesPanel::trainAll()
{
    if (isRunning()) {
        setStatus(tr("A run is going on: wait for it or cancel it first."));
        return false;
    }
    QString error;
    const std::optional<CirclesConfig> config = configFromControls(&error);
    if (!config) {
        setStatus(tr("Cannot train: %1.").arg(error), true);
        return false;
    }
    return runConfig(*config);
}

bool CirclesPanel::runConfig(const CirclesConfig& requested)
{
    if (isRunning() || !worker())
        return false;
    if (const std::string problem = validate(requested); !problem.empty()) {
        setStatus(tr("Cannot train: %1.").arg(QString::fromStdString(problem)), true);
        return false;
    }
    CirclesConfig config = requested;
    if (config.reportIntervalMs <= 0)
        config.reportIntervalMs = CirclesSettingsForm::kReportIntervalMs;
    const int inits = int(config.inits.size());
    const int groups = int(config.normalizations.size()) * inits;
    // Live boundaries for the first seed of every setting: the grid shows them, and the big
    // canvas shows one of them.
    config.liveBoundaryModels.clear();
    for (int g = 0; g < groups; ++g)
        config.liveBoundaryModels.push_back(g * config.seeds);

    m_views->beginRun(config);
    m_views->playback()->beginRun();
    m_renderer.worker()->beginRun(++m_generation, config);
    const int models = groups * config.seeds;
    beginRun(tr("Training %1 (inits × normalizations × seeds = %2 × %3 × %4) for %5 epochs …")
                 .arg(countText(models, tr("model"), tr("models")))
                 .arg(inits)
                 .arg(config.normalizations.size())
                 .arg(config.seeds)
                 .arg(config.epochs));
    static_cast<CirclesWorker*>(worker())->start(config);
    return true;
}

CirclesExtras CirclesPanel::extras() const
{
    CirclesExtras extras;
    extras.successThreshold = m_views->successThreshold();
    return extras;
}

void CirclesPanel::setConfig(const CirclesConfig& config, const CirclesExtras& extras)
{
    m_form->setConfig(config);
    m_views->setSuccessThreshold(extras.successThreshold);
}

const CirclesConfig& CirclesPanel::runConfig() const
{
    return m_views->runConfig();
}

void CirclesPanel::setSeeds(int seeds)
{
    m_form->setSeeds(seeds);
}

std::string CirclesPanel::experimentJson() const
{
    // A spin box holding what cannot be used gives its last good value; settings the controls
    // cannot give at all (a bad hidden-size text) are saved as the last run's.
    CirclesConfig config = m_form->config(nullptr, true).value_or(runConfig());
    config.liveBoundaryModels.clear();
    return experimentFileJson(config, extras());
}

void CirclesPanel::applyExperiment(const ExperimentFile& file)
{
    if (file.kind == ExperimentKind::Circles)
        setConfig(file.circles, file.circlesExtras);
}

bool CirclesPanel::showRecord(const RunRecord& record, QString* error)
{
    const auto fail = [error](const QString& why) {
        if (error)
            *error = why;
        return false;
    };
    if (isRunning())
        return fail(tr("a circles run is going on"));
    CirclesResult result;
    QString problem;
    if (!readCirclesRecord(record, result, problem))
        return fail(problem);
    applyExperiment(record.experiment);
    if (!showRecordedResult(record.experiment.circles, result))
        return fail(tr("the recorded results do not match its settings"));
    // The boundaries come from the record's parameter snapshots, drawn on the worker's thread.
    const QString snapshots = QDir(QString::fromStdString(record.folder)).filePath(QStringLiteral("circles_snapshots.bin"));
    auto* circlesWorker = qobject_cast<CirclesWorker*>(worker());
    if (circlesWorker && QFileInfo(snapshots).isFile()) {
        CirclesConfig config = record.experiment.circles;
        config.liveBoundaryModels.clear();
        circlesWorker->completeRecord(m_views->sharedResult(), config, snapshots);
        setStatus(recordedText(*m_views->result()) + tr(" Drawing its decision boundaries from its snapshots …"));
    }
    return true;
}

void CirclesPanel::renderFrom(std::shared_ptr<const CirclesResult> result)
{
    CirclesConfig config = runConfig();
    config.liveBoundaryModels.clear();
    m_renderer.worker()->useResult(m_generation, config, std::move(result));
    requestView();
}

void CirclesPanel::requestView()
{
    if (m_rendering) {
        m_wantAgain = true;
        return;
    }
    m_wantAgain = false;
    const CirclesPlayback* playback = m_views->playback();
    const int unitModel = m_views->modelToShow();
    if (!playback->hasSnapshots() || unitModel < 0)
        return;
    int index = playback->index();
    std::vector<int> models;
    if (index >= 0) {
        models = m_views->frameModels();
    } else if (const CirclesResult* result = m_views->result(); result && !playback->isTraining()) {
        // Best: the model's weights at its best epoch, which the canvas shows.
        const ModelResult& model = result->models.at(std::size_t(unitModel));
        index = std::max(0, result->snapshots.indexAtOrBefore(model.bestEpoch));
    } else {
        index = playback->snapshotCount() - 1; // live: the newest recorded epoch
    }
    m_rendering = true;
    m_renderer.worker()->render(m_generation, index, models, unitModel);
}

void CirclesPanel::onFrameRendered(std::shared_ptr<const CirclesFrame> frame)
{
    m_rendering = false;
    if (frame->generation == m_generation) {
        if (!frame->problem.isEmpty()) {
            setStatus(tr("Cannot draw epoch %1: %2").arg(frame->epoch).arg(frame->problem), true);
        } else {
            if (!frame->boundaries.empty() && m_views->playback()->index() == frame->index) {
                m_views->showFrame(frame->boundaries);
                Q_EMIT frameShown(frame->epoch);
            }
            if (frame->hasUnits && frame->units.model == m_views->modelToShow()) {
                m_views->showUnits(frame->units, frame->unitsDiedAt);
                Q_EMIT unitsShown(frame->units.model, frame->units.epoch);
            }
        }
    }
    if (m_wantAgain)
        requestView();
}

QString CirclesPanel::recordedText(const CirclesResult& result) const
{
    return tr("Showing a recorded run (%1, %2 epochs).")
        .arg(countText(int(result.models.size()), tr("model"), tr("models")))
        .arg(result.epochsRun);
}

void CirclesPanel::onRecordCompleted(std::shared_ptr<const CirclesResult> recorded,
                                     std::shared_ptr<const CirclesResult> completed, const QString& problem)
{
    // A run or another record may have taken the views meanwhile.
    if (isRunning() || !recorded || m_views->sharedResult() != recorded)
        return;
    if (!completed) {
        setStatus(recordedText(*recorded) + tr(" Its decision boundaries are not shown: %1").arg(problem), true);
        return;
    }
    m_views->showRecordedBoundaries(completed);
    renderFrom(completed);
    setStatus(recordedText(*completed)
              + tr(" Curves and table from its CSV files; each model's decision boundary at its best epoch from "
                   "its parameter snapshots."));
    Q_EMIT recordBoundariesShown();
}

bool CirclesPanel::rerun(const RunRecord& record)
{
    applyExperiment(record.experiment);
    return runConfig(record.experiment.circles);
}

bool CirclesPanel::showRecordedResult(const CirclesConfig& requested, const CirclesResult& recorded)
{
    if (isRunning()) {
        setStatus(tr("A run is going on: wait for it or cancel it first."));
        return false;
    }
    CirclesConfig config = requested;
    config.liveBoundaryModels.clear();
    const std::optional<CirclesResult> result = completedRecord(config, recorded);
    if (!result) {
        setStatus(tr("The recorded results do not match the recorded settings; re-run it instead."), true);
        return false;
    }
    ++m_generation; // the renderer's snapshots are an earlier run's
    m_views->showRecordedResult(config, *result);
    setProgress(1.0);
    setStatus(tr("Showing a recorded run (%1, %2 epochs, read from its CSV files). The decision boundaries "
                 "are not recorded: re-run it to see them.")
                  .arg(countText(int(result->models.size()), tr("model"), tr("models")))
                  .arg(result->epochsRun));
    updateControls();
    return true;
}

void CirclesPanel::onHistory(const HistoryBlock& block)
{
    if (!isRunning())
        return;
    m_views->appendHistory(block);
    if (!block.snapshots.empty()) {
        m_renderer.worker()->appendSnapshots(m_generation, block.snapshots);
        m_views->playback()->appendSnapshots(block.snapshots);
        if (m_views->playback()->index() < 0)
            requestView(); // live: the hidden units follow the newest epoch
    }
    if (isCancelRequested())
        return;
    QString text = tr("Epoch %1 of %2 · %3 s")
                       .arg(m_views->figures()->epochsDone())
                       .arg(runConfig().epochs)
                       .arg(elapsedMs() / 1000.0, 0, 'f', 1);
    if (const int diverged = m_views->divergedCount(); diverged > 0)
        text += tr(" · %1 diverged").arg(countText(diverged, tr("model"), tr("models")));
    setStatusQuietly(text);
}

void CirclesPanel::onBoundary(const BoundaryImage& image)
{
    if (isRunning())
        m_views->showLiveBoundary(image);
}

void CirclesPanel::onDiverged(int model, int epoch)
{
    if (!isRunning() || !m_views->modelDiverged(model, epoch))
        return;
    const int seeds = runConfig().seeds;
    Q_EMIT statusMessage(tr("%1, seed %2: diverged at epoch %3.")
                             .arg(m_views->settingTitle(model / seeds))
                             .arg(runConfig().firstSeed + std::uint64_t(model % seeds))
                             .arg(epoch));
}

void CirclesPanel::onFinished(std::shared_ptr<const CirclesResult> shared)
{
    if (!isRunning() || !shared)
        return;
    const CirclesResult& result = *shared;
    endRun();
    const double seconds = elapsedMs() / 1000.0;
    if (!result.error.empty()) {
        setStatus(tr("Error: %1.").arg(QString::fromStdString(result.error)), true);
        m_views->showFailure();
    } else {
        m_views->showResult(shared);
        renderFrom(shared);
        setStatus(finishedText(result, seconds));
        if (!result.cancelled)
            setProgress(1.0);
    }
    Q_EMIT runEnded(circlesOutcome(runConfig(), extras(), shared));
    Q_EMIT runFinished(result);
}

// The status line when a run has ended: how long, the best setting, the divergences.
QString CirclesPanel::finishedText(const CirclesResult& result, double seconds) const
{
    const CirclesConfig& config = runConfig();
    if (result.cancelled)
        return tr("Cancelled at epoch %1 of %2 after %3 s. The table and canvases show each model's best "
                  "snapshot so far.")
            .arg(result.epochsRun)
            .arg(config.epochs)
            .arg(seconds, 0, 'f', 1);
    QString text = tr("Trained %1 × %2 epochs in %3 s.")
                       .arg(countText(int(result.models.size()), tr("model"), tr("models")))
                       .arg(config.epochs)
                       .arg(seconds, 0, 'f', 1);
    const std::vector<CirclesSummaryRow>& summary = m_views->summary();
    const auto best = std::max_element(
        summary.begin(), summary.end(),
        [](const CirclesSummaryRow& a, const CirclesSummaryRow& b) { return a.meanTestAcc < b.meanTestAcc; });
    if (best != summary.end())
        text += tr(" Best: %1 + %2, test accuracy %3%4.")
                    .arg(normalizationTitle(best->normalization, config.scaledFactor),
                         schemeTitle(best->init, config.normalStd), percentText(best->meanTestAcc),
                         config.seeds > 1 ? tr(" (mean)") : QString());
    const int diverged = int(std::count_if(result.models.begin(), result.models.end(),
                                           [](const ModelResult& m) { return m.divergedEpoch > 0; }));
    if (diverged > 0)
        text += tr(" %1 diverged.").arg(countText(diverged, tr("model"), tr("models")));
    // What playback has to work with.
    const CirclesSnapshots& snapshots = result.snapshots;
    if (snapshots.empty())
        text += tr(" Too many models to record for playback.");
    else
        text += tr(" Recorded for playback: every %1 (%2 MB).")
                    .arg(snapshots.stride == 1 ? tr("epoch") : tr("%1 epochs").arg(snapshots.stride))
                    .arg(double(snapshots.bytes()) / (1 << 20), 0, 'f', 1);
    return text;
}

void CirclesPanel::updateControls()
{
    m_trainAll->setEnabled(!isRunning());
}

void CirclesPanel::refreshViews()
{
    // While the run goes on, a refresh draws the live boundaries that fit into a share of the
    // window's time; the rest wait for the next one.
    constexpr int kLiveBoundaryBudgetMs = 15;
    m_views->refresh(isRunning() ? kLiveBoundaryBudgetMs : -1);
}

// ---- looking at a setting ----------------------------------------------------------------------

Normalization CirclesPanel::viewedNormalization() const
{
    return m_views->viewedNormalization();
}

InitScheme CirclesPanel::viewedInit() const
{
    return m_views->viewedInit();
}

void CirclesPanel::lookAt(Normalization normalization, InitScheme init)
{
    m_views->lookAt(normalization, init);
}

int CirclesPanel::shownModel() const
{
    return m_views->shownModel();
}

CirclesPlayback* CirclesPanel::playback() const
{
    return m_views->playback();
}

const CirclesResult* CirclesPanel::lastResult() const
{
    return m_views->result();
}

CirclesFigures* CirclesPanel::figures() const
{
    return m_views->figures();
}

QList<NamedFigure> CirclesPanel::exportFigures() const
{
    return m_views->exportFigures();
}

// ---- export frames -----------------------------------------------------------------------------

QString CirclesPanel::modelTitle(int model) const
{
    const int seeds = std::max(1, runConfig().seeds);
    return tr("%1, seed %2")
        .arg(m_views->settingTitle(model / seeds))
        .arg(runConfig().firstSeed + std::uint64_t(model % seeds));
}

void CirclesPanel::openExportFramesDialog()
{
    playback()->pause();
    const std::shared_ptr<const CirclesResult> result = m_views->sharedResult();
    const int model = shownModel();
    // Nothing to ask about: exportFrames() says why on the status line, before asking rather than after.
    if (isRunning() || !result || result->snapshots.empty() || model < 0) {
        exportFrames(QString(), 0);
        return;
    }
    auto* dialog = new CirclesFramesDialog(result, model, modelTitle(model), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        chartexport::setLastExportFolder(dialog->folder());
        exportFrames(dialog->folder(), dialog->every());
    });
    dialog->open();
}

bool CirclesPanel::exportFrames(const QString& folder, int every, QString* error)
{
    const auto refuse = [this, error](const QString& why) {
        setStatus(why);
        if (error)
            *error = why;
        return false;
    };
    if (isRunning())
        return refuse(tr("Export frames waits until the run or export going on has ended."));
    const std::shared_ptr<const CirclesResult> result = m_views->sharedResult();
    const int model = shownModel();
    if (!result || result->snapshots.empty() || model < 0 || std::size_t(model) >= result->models.size())
        return refuse(tr("Export frames draws a finished run from its snapshots: train first, or show a recorded "
                         "run that kept them."));
    if (folder.trimmed().isEmpty())
        return refuse(tr("Choose a folder for the frames first."));
    CirclesConfig config = runConfig();
    config.liveBoundaryModels.clear();
    auto* job = new CirclesFramesExport(result, config, model, every, folder.trimmed(), this);
    const int frames = job->frameCount();
    if (frames == 0) {
        delete job;
        return refuse(tr("No frame to export: one every %1 epochs gives none within the model's %2 epochs.")
                          .arg(every)
                          .arg(CirclesFramesExport::lastEpoch(result->models[std::size_t(model)])));
    }
    const QString where = QDir::toNativeSeparators(job->framesFolder());
    if (!beginFileJob(tr("Exporting %1 of %2 into %3 …")
                          .arg(countText(frames, tr("frame"), tr("frames")), modelTitle(model), where),
                      [job] { job->cancel(); })) {
        delete job;
        return refuse(tr("Export frames needs the tab's worker, which has stopped."));
    }
    connect(job, &CirclesFramesExport::progress, this,
            [this](int done, int count) { setProgress(count > 0 ? double(done) / count : 1.0); });
    connect(job, &CirclesFramesExport::finished, this,
            [this, job, frames, where](bool ok, const QStringList& written, const QString& error) {
                job->deleteLater();
                endFileJob(ok, written, error, QDir::toNativeSeparators(job->folder()),
                           tr("Exported %1 and frames.csv into %2.")
                               .arg(countText(frames, tr("frame"), tr("frames")), where));
            });
    job->start();
    return true;
}

} // namespace initlab::ui

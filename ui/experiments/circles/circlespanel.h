#pragma once
// CirclesPanel is the "Circles lab" tab (experiment 2): two concentric rings, a small net, and the
// question whether input normalization and weight initialization let it learn them. One "Train
// all" click trains every selected init scheme × normalization × seed on the CirclesWorker's thread
// and shows, live: training loss and training/validation accuracy per scheme (for the
// normalization being looked at), a big decision-boundary canvas, and a grid of small canvases,
// one per (init, normalization). When the run ends a summary table gives mean ± sd test accuracy,
// success rate, best seed, dead units and divergences per setting.
//
// The panel runs; its settings are a CirclesSettingsForm, and what it shows of a run is
// CirclesViews (with CirclesFigures' curves), which also keeps which setting is looked at.

#include "experiments/experimentpanel.h"
#include "experiments/metatypes.h"
#include "experiments/workerthread.h"

#include "circlesframerenderer.h"

#include "initlab/circles.h"
#include "initlab/experimentfile.h"

#include <optional>

QT_BEGIN_NAMESPACE
class QPushButton;
class QScrollArea;
QT_END_NAMESPACE

namespace initlab::ui {

class CirclesPlayback;
class CirclesFigures;
class CirclesSettingsForm;
class CirclesViews;
class CirclesWorker;

class CirclesPanel : public ExperimentPanel {
    Q_OBJECT

public:
    // The worker lives on another thread and outlives the panel's runs; the panel does not own it.
    explicit CirclesPanel(CirclesWorker* worker, QWidget* parent = nullptr);

    // ExperimentPanel: Train all.
    bool start() override;
    QList<NamedFigure> exportFigures() const override;
    std::string experimentJson() const override;
    void applyExperiment(const ExperimentFile& file) override;
    bool showRecord(const RunRecord& record, QString* error = nullptr) override;
    bool rerun(const RunRecord& record) override;

    // Trains every selected init × normalization × seed with the settings in the controls. False
    // (with the reason in the status line) when a run is going on or the settings are invalid.
    bool trainAll();
    // Runs exactly this config. The panel shows live boundaries of the first seed of every setting.
    bool runConfig(const CirclesConfig& config);

    // The config the controls describe, or nullopt with the reason in *error.
    std::optional<CirclesConfig> configFromControls(QString* error = nullptr) const;
    // Settings of the tab that are not the runner's (the success threshold).
    CirclesExtras extras() const;
    // Sets every setting control from a config (as read from an experiment file).
    void setConfig(const CirclesConfig& config, const CirclesExtras& extras = {});
    // The config of the running or last run.
    const CirclesConfig& runConfig() const;
    // Runs per setting of the next run.
    void setSeeds(int seeds);
    // Draws a recorded run's curves and summary table as a run of this config would, without
    // running; the boundaries are not recorded and need a re-run. False (with the reason on the
    // status line) while a run goes on or when the result does not fit the config.
    bool showRecordedResult(const CirclesConfig& config, const CirclesResult& result);
    // The setting the charts and the big canvas are about.
    Normalization viewedNormalization() const;
    InitScheme viewedInit() const;
    void lookAt(Normalization normalization, InitScheme init);
    // The model of the last or current run the big canvas shows, -1 for none.
    int shownModel() const;
    // The bar that plays a run back, while it trains and afterwards.
    CirclesPlayback* playback() const;
    // The last run's or shown record's result; null when there is none.
    const CirclesResult* lastResult() const;
    // The training curves.
    CirclesFigures* figures() const;
    // Writes the model the big canvas shows, drawn every `every` epochs from the run's snapshots, as
    // numbered PNG files with frames.csv into folder/frames/<normalization>-<init>-seed<S>/, as a job
    // of the tab (see CirclesFramesExport): the progress bar follows it, Cancel stops it, and
    // exportFinished() follows. False with the reason (also on the status line) when nothing was
    // started: a run or export going on, no snapshots, no frame within the model's epochs.
    bool exportFrames(const QString& folder, int every, QString* error = nullptr);

public Q_SLOTS:
    // Frames…: asks which epochs and where (CirclesFramesDialog), then exportFrames().
    void openExportFramesDialog();

Q_SIGNALS:
    void runFinished(const initlab::CirclesResult& result);
    // A shown record's boundaries were drawn from its snapshots.
    void recordBoundariesShown();
    // A playback frame (the boundaries at one recorded epoch) was drawn.
    void frameShown(int epoch);
    // The hidden-unit maps were drawn, of the model at the epoch.
    void unitsShown(int model, int epoch);
    // The big canvas drew a new boundary image.
    void canvasUpdated();

protected:
    void resizeEvent(QResizeEvent* event) override;
    void refreshViews() override;
    void updateControls() override;

private:
    QWidget* buildSettings();
    QWidget* buildRunBox();
    QWidget* buildViews();
    void connectParts();
    void arrangeSettings(bool narrow);

    void onHistory(const HistoryBlock& block);
    void onBoundary(const BoundaryImage& image);
    void onDiverged(int model, int epoch);
    void onFinished(std::shared_ptr<const CirclesResult> result);
    void onRecordCompleted(std::shared_ptr<const CirclesResult> recorded, std::shared_ptr<const CirclesResult> completed,
                           const QString& problem);
    QString recordedText(const CirclesResult& result) const;
    // Asks the renderer for what the views should show now: the playback's frame, or (at Best or
    // Live) the hidden units of the big canvas's model. At most one request is in flight; asking
    // meanwhile asks again, for whatever is wanted then, when it comes back.
    void requestView();
    void onFrameRendered(std::shared_ptr<const CirclesFrame> frame);
    void renderFrom(std::shared_ptr<const CirclesResult> result);
    WorkerThread<CirclesFrameRenderer> m_renderer{QStringLiteral("InitLab circles frames")};
    int m_generation = 0;   // of the snapshots the renderer has: a new run or record
    bool m_rendering = false;
    bool m_wantAgain = false;
    QString finishedText(const CirclesResult& result, double seconds) const;
    // "Standardized + Xavier uniform, seed 3"
    QString modelTitle(int model) const;

    CirclesSettingsForm* m_form = nullptr;
    CirclesViews* m_views = nullptr;
    QPushButton* m_trainAll = nullptr;
    QScrollArea* m_controlsScroll = nullptr;
    QScrollArea* m_viewsScroll = nullptr;
    int m_wideControlsWidth = 0;
};

} // namespace initlab::ui

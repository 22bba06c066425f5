#pragma once
// DeepPanel is the "Deep signal propagation" tab: pick init × activation combinations in a matrix,
// run them on the DeepWorker's thread, and watch DeepFigures' four log-scale charts fill in layer by
// layer. Matrix cells are coloured by how much of the signal reached the last layer.

#include "experiments/experimentpanel.h"
#include "experiments/metatypes.h"

#include "initlab/deeppropagation.h"

#include <QElapsedTimer>

#include <optional>
#include <vector>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QDoubleSpinBox;
class QGroupBox;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QWidget;
QT_END_NAMESPACE

namespace initlab::ui {

class DeepDistributionFigures;
class DeepFigures;
class DeepWorker;
class InitMatrix;
class SigmaSlider;

class DeepPanel : public ExperimentPanel
{
    Q_OBJECT

public:
    // The worker lives on another thread and outlives the panel's runs; the panel does not own it.
    explicit DeepPanel(DeepWorker* worker, QWidget* parent = nullptr);

    // ExperimentPanel: the selected cells, or the report's seven when none is selected.
    bool start() override;
    // The report's seven combinations, selected in the matrix and run.
    bool startReportDefault() override;
    QList<NamedFigure> exportFigures() const override;
    std::string experimentJson() const override;
    void applyExperiment(const ExperimentFile& file) override;
    bool showRecord(const RunRecord& record, QString* error = nullptr) override;
    bool rerun(const RunRecord& record) override;

    // Runs the combinations with the settings in the controls. False when a run is going on or
    // there is nothing to run.
    bool run(const std::vector<Combination>& combinations);
    // Runs exactly this config (its combinations, depth, width, ...). With previews on (the
    // default), a batch larger than kPreviewBatch first runs as a preview on kPreviewBatch vectors,
    // whose complete curves the full batch's layers then replace.
    bool runConfig(const DeepConfig& config);
    void setPreviewFirst(bool on);
    // Milliseconds from the start of the last run to its preview's complete curves; -1 when it had
    // no preview.
    qint64 previewMs() const;
    // True while the running phase is the preview.
    bool isPreviewing() const;
    // Selects the report's seven combinations in the matrix and runs them.
    bool runReportCombinations();
    // What a click on the combination's matrix cell does: the σ slider takes its activation, and it
    // runs (a preview first, then the full batch). False when a run is going on.
    bool clickCombination(const Combination& combination);

    DeepConfig configFor(const std::vector<Combination>& combinations) const;
    // Every setting of the tab: the combinations selected in the matrix and the net's fields.
    DeepConfig config() const;
    void setConfig(const DeepConfig& config);
    // The config of the running or last run.
    const DeepConfig& runConfig() const;
    // Draws a recorded run's results (the four charts and the matrix colours) without running. False
    // while a run is going on.
    bool showRecordedResult(const DeepConfig& config, const DeepResult& result);
    void setDepth(int depth);
    void setWidth(int width);
    void setBatch(int batch);

    DeepFigures* figures() const;
    DeepDistributionFigures* distributions() const;
    // The views' pages: the four per-layer charts, or the per-layer distributions.
    enum class View { Statistics, Distributions };
    void showView(View view);
    View view() const;
    SigmaSlider* sigmaSlider() const;

Q_SIGNALS:
    void runFinished(const initlab::DeepResult& result);
    // The preview's curves are complete, ms after the run started (the click).
    void previewShown(qint64 ms);

protected:
    void refreshViews() override;
    void updateControls() override;

private:
    QWidget* buildSettings();
    QGroupBox* buildMatrixBox();
    QGroupBox* buildNetBox();
    QGroupBox* buildRunBox();
    QGroupBox* buildGuideBox();
    QWidget* buildViews();
    void connectParts();

    // What a run is: the full config (after a preview or not), or the preview alone (the σ slider).
    enum class RunKind { Full, PreviewThenFull, PreviewOnly };
    bool startRun(const DeepConfig& config, RunKind kind);
    void onPhaseStarted(bool preview);
    void onPreviewFinished(const DeepResult& result);
    void onSigmaDragged(double sigma);
    void startSliderPreview(double sigma);
    void onCombinationStarted(int combination);
    void onCombinationFinished(int combination, const CombinationResult& result);
    void onFinished(const DeepResult& result);
    void clearResults();
    bool runClicked(const std::vector<Combination>& combinations);
    QString settingsText(const DeepConfig& config, const Combination& combination) const;
    QString finishedText(const DeepResult& result) const;
    DeepWorker* deepWorker() const;

    InitMatrix* m_matrix = nullptr;
    QPushButton* m_runSelected = nullptr;
    QPushButton* m_report = nullptr;
    QPushButton* m_clear = nullptr;
    QSpinBox* m_depth = nullptr;
    QSpinBox* m_width = nullptr;
    QSpinBox* m_batch = nullptr;
    QSpinBox* m_seed = nullptr;
    QSpinBox* m_threads = nullptr;
    QDoubleSpinBox* m_sigma = nullptr;
    QCheckBox* m_bf16 = nullptr;
    QCheckBox* m_theory = nullptr;
    QCheckBox* m_preGrad = nullptr;
    DeepFigures* m_figures = nullptr;
    DeepDistributionFigures* m_distributions = nullptr;
    QTabWidget* m_viewTabs = nullptr;
    SigmaSlider* m_sigmaSlider = nullptr;

    DeepConfig m_runConfig;
    bool m_previewFirst = true;
    RunKind m_runKind = RunKind::Full;
    bool m_inPreview = false;
    QElapsedTimer m_runClock;  // from the start of a run, for the preview's time
    qint64 m_previewMs = -1;
    std::optional<double> m_pendingSigma; // the newest σ dragged to while a slider preview runs
};

} // namespace initlab::ui

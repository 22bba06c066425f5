#pragma once
// DeepPanel is the "Deep signal propagation" tab: pick init x activation combinations in a matrix,
// run them on the ExperimentWorker's thread, and watch four log-scale charts (activation |mean| and
// std, weight-gradient |mean| and std per layer) fill in layer by layer. Matrix cells are coloured
// by how much of the signal reached the last layer.

#include "figures/chartexport.h"
#include "experiments/metatypes.h"

#include "initlab/deeppropagation.h"

#include <QColor>
#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <array>
#include <optional>
#include <vector>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
QT_END_NAMESPACE

namespace initlab::ui {

class CurveLegend;
class ExperimentWorker;
class InitMatrix;
class LayerChart;

class DeepPanel : public QWidget
{
    Q_OBJECT

public:
    enum class Chart { ActivationMean, ActivationStd, GradientMean, GradientStd };

    // The worker lives on another thread and outlives the panel's runs; the panel does not own it.
    explicit DeepPanel(ExperimentWorker* worker, QWidget* parent = nullptr);

    // Runs the combinations with the settings in the controls. False when a run is going on or
    // there is nothing to run.
    bool run(const std::vector<Combination>& combinations);
    // Runs exactly this config (its combinations, depth, width, ...).
    bool runConfig(const DeepConfig& config);
    // Selects the report's seven combinations in the matrix and runs them.
    bool runReportCombinations();
    void cancel();
    bool isRunning() const;

    DeepConfig configFor(const std::vector<Combination>& combinations) const;
    // Every setting of the tab: the combinations selected in the matrix and the net's fields.
    DeepConfig config() const;
    void setConfig(const DeepConfig& config);
    // The config of the running or last run.
    const DeepConfig& runConfig() const;
    // Draws a recorded run's results (the four charts and the matrix colours) as a run of this
    // config would, without running. False while a run is going on.
    bool showRecordedResult(const DeepConfig& config, const DeepResult& result);
    void setDepth(int depth);
    void setWidth(int width);
    void setBatch(int batch);

    InitMatrix* matrix() const;
    LayerChart* chart(Chart which) const;
    // The four charts with their export file names ("deep_activation_std"), for Export all.
    QList<NamedFigure> exportFigures() const;
    CurveLegend* legend() const;
    QProgressBar* progressBar() const;
    QPushButton* runSelectedButton() const;
    QPushButton* reportButton() const;
    QPushButton* cancelButton() const;
    QPushButton* clearButton() const;
    QCheckBox* theoryToggle() const;
    QCheckBox* preGradToggle() const;
    QLabel* statusLabel() const;
    // Each chart's curve of this combination, -1 when it is not on the charts.
    int curveOf(const Combination& combination, Chart which) const;

Q_SIGNALS:
    void runStarted();
    void runFinished(const initlab::DeepResult& result);
    void statusMessage(const QString& message);

private:
    // The curves one combination has on the four charts, all in the same colour.
    struct ShownCombination {
        Combination combination;
        QString name;
        QColor color;
        int actMean = -1;
        int actStd = -1;
        int theoryStd = -1; // on the activation-std chart, dashed
        int gradMean = -1;
        int gradStd = -1;
        int preGradStd = -1; // on the weight-gradient-std chart, dotted
    };
    // What makes curves comparable; curves of other settings are cleared when a run starts.
    struct RunSettings {
        int depth = 0;
        int width = 0;
        int batch = 0;
        std::uint64_t seed = 0;
        double normalStd = 0.0;
        bool operator==(const RunSettings&) const = default;
    };

    void onCombinationStarted(int combination);
    void onForwardLayer(const ForwardLayerStats& stats);
    void onBackwardLayer(const BackwardLayerStats& stats);
    void onCombinationFinished(int combination, const CombinationResult& result);
    void onProgress(double fraction);
    void onFinished(const DeepResult& result);

    int showCombination(const Combination& combination); // index into m_shown
    QColor nextColor() const;
    void clearCharts();
    void clearResults();
    void refreshCharts();
    void updateLegend();
    void updateControls();
    void setStatus(const QString& text, bool isError = false);
    void applyTheoryToggle();
    void applyPreGradToggle();
    QString settingsText(const DeepConfig& config, const Combination& combination) const;

    QPointer<ExperimentWorker> m_worker; // null once the window has stopped the worker
    InitMatrix* m_matrix = nullptr;
    QPushButton* m_runSelected = nullptr;
    QPushButton* m_report = nullptr;
    QPushButton* m_clear = nullptr;
    QPushButton* m_cancel = nullptr;
    QSpinBox* m_depth = nullptr;
    QSpinBox* m_width = nullptr;
    QSpinBox* m_batch = nullptr;
    QSpinBox* m_seed = nullptr;
    QSpinBox* m_threads = nullptr;
    QDoubleSpinBox* m_sigma = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QCheckBox* m_theory = nullptr;
    QCheckBox* m_preGrad = nullptr;
    std::array<LayerChart*, 4> m_charts{};
    CurveLegend* m_legend = nullptr;

    QTimer m_refreshTimer;
    QElapsedTimer m_clock;
    bool m_running = false;
    bool m_cancelRequested = false;
    DeepConfig m_runConfig;
    std::vector<int> m_runToShown; // per combination of the running config, its index in m_shown
    std::vector<ShownCombination> m_shown;
    std::optional<RunSettings> m_shownSettings;
};

} // namespace initlab::ui

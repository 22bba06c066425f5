#pragma once
// DeepFigures draws the deep signal-propagation experiment: four log-scale charts per layer
// (activation |mean| and std, weight-gradient |mean| and std) under one legend, a curve per
// combination in one colour on all four, with the mean-field prediction (dashed) and the std of the
// pre-activation gradient (dotted) as companions that can be shown or hidden. It is fed either a
// stream of a live run's events (beginRun, combinationStarted, forwardLayer, backwardLayer) or a
// whole result (showResult), through the same code; the tab shows it, and the report exports its
// charts without any tab.
//
// Curves of runs with the same net and data settings are kept side by side for comparison; a run
// with other settings starts fresh charts.

#include "chartexport.h"

#include "initlab/deeppropagation.h"

#include <QColor>
#include <QWidget>

#include <array>
#include <optional>
#include <vector>

namespace initlab::ui {

class CurveLegend;
class LayerChart;

class DeepFigures : public QWidget
{
    Q_OBJECT

public:
    enum class Chart { ActivationMean, ActivationStd, GradientMean, GradientStd };

    explicit DeepFigures(QWidget* parent = nullptr);

    // A run of config begins. Nothing is cleared until its first combination starts, so a run that
    // fails before leaves the earlier curves in place.
    void beginRun(const DeepConfig& config);
    // Combination `index` of the running config starts: its curves are added (or emptied when the
    // charts already show it). keepValues: the curves keep what they show (a preview's values) and
    // the run's layers replace them one by one.
    void combinationStarted(int index, bool keepValues = false);
    // Marks the curves as a preview on `batch` vectors (in the legend), or unmarks them.
    void setPreview(bool preview, int batch = 0);
    bool isPreview() const;
    // Replaces the mean-field curve of this combination (when shown) by these per-layer values, so
    // it follows a σ being dragged before any run has measured it.
    void setTheoryValues(const Combination& combination, const std::vector<double>& theoryStd);
    void forwardLayer(const ForwardLayerStats& stats);
    void backwardLayer(const BackwardLayerStats& stats);
    // Pushes what changed to the charts (a run calls it on a ~30 Hz timer).
    void refresh();

    // Draws a whole result as a run of config with its combinations would have, all at once.
    void showResult(const DeepConfig& config, const DeepResult& result);
    // Removes every curve.
    void clear();

    void setTheoryVisible(bool visible);
    void setPreGradVisible(bool visible);
    // The layer axes' extent before any run (the tab's depth).
    void setLayerCount(int layers);

    LayerChart* chart(Chart which) const;
    CurveLegend* legend() const;
    // Each chart's curve of this combination, -1 when it is not on the charts.
    int curveOf(const Combination& combination, Chart which) const;
    // The colour of this combination's curves; nullopt when it is not on the charts.
    std::optional<QColor> colorOf(const Combination& combination) const;
    // The four charts with their export file names ("deep_activation_std").
    QList<NamedFigure> exportFigures() const;

private:
    // The curves one combination has on the four charts, all in the same colour.
    struct ShownCombination {
        Combination combination;
        QString name;
        QColor color;
        bool bf16 = false; // its last run's products were bfloat16 (the legend says so)
        int actMean = -1;
        int actStd = -1;
        int theoryStd = -1; // on the activation-std chart, dashed
        int gradMean = -1;
        int gradStd = -1;
        int preGradStd = -1; // on the weight-gradient-std chart, dotted
    };
    // What makes curves comparable.
    struct RunSettings {
        int depth = 0;
        int width = 0;
        int batch = 0;
        std::uint64_t seed = 0;
        double normalStd = 0.0;
        bool operator==(const RunSettings&) const = default;
    };

    const ShownCombination* shownFor(int runIndex) const;
    int showCombination(const Combination& combination, bool keepValues = false); // index into m_shown
    QColor nextColor() const;
    void updateLegend();

    std::array<LayerChart*, 4> m_charts{};
    CurveLegend* m_legend = nullptr;
    bool m_theoryVisible = false;
    bool m_preGradVisible = false;
    int m_previewBatch = 0; // > 0 while the curves show a preview
    DeepConfig m_runConfig;
    std::vector<int> m_runToShown; // per combination of the running config, its index in m_shown
    std::vector<ShownCombination> m_shown;
    std::optional<RunSettings> m_shownSettings;
};

} // namespace initlab::ui

#pragma once
// DeepDistributionFigures is the deep tab's Distributions page: what a layer's mean and std hide.
// For the combination being looked at (the most recently started one unless the user picks another
// in its combo box) it draws a layer × value density map and the histograms of a few chosen layers
// over each other (Glorot & Bengio 2010, Fig. 6 and 7), for the activations or for the gradient
// with respect to the pre-activations (dL/dh); and for every combination on the charts, the
// fraction of saturated units and the fraction of units exactly zero per layer, in the colours the
// Statistics page gives them. It is fed like DeepFigures: a live run's events or a whole result.
//
// Bins come from the run (64 per layer, see initlab::Histogram): tanh's range [-1, 1], sigmoid's
// [0, 1], otherwise symmetric at about 4·RMS of the layer. The activation map puts every layer on
// the widest layer's range, re-binning each layer's bins by overlap; the gradient map puts each
// layer in units of its own std, since a common scale would show nothing but the largest layers
// when the gradient vanishes or explodes.

#include "chartexport.h"
#include "distributionplot.h"

#include "initlab/deeppropagation.h"

#include <QColor>
#include <QList>
#include <QWidget>

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QLineEdit;
class QStackedWidget;
QT_END_NAMESPACE

namespace initlab::ui {

class DeepDistributionFigures : public QWidget
{
    Q_OBJECT

public:
    enum class Chart { ActivationMap, ActivationHistograms, GradientMap, GradientHistograms, Saturated, Zero };
    enum class Quantity { Activation, PreGradient };

    explicit DeepDistributionFigures(QWidget* parent = nullptr);

    // The same stream as DeepFigures.
    void beginRun(const DeepConfig& config);
    // keepValues: what the charts show (a preview's layers) stays until the run's layers replace it.
    void combinationStarted(int index, bool keepValues = false);
    void forwardLayer(const ForwardLayerStats& stats);
    void backwardLayer(const BackwardLayerStats& stats);
    void refresh();
    void showResult(const DeepConfig& config, const DeepResult& result);
    void clear();
    void setLayerCount(int layers);

    // The combinations on the charts, in the order they came.
    std::vector<Combination> combinations() const;
    // Which combination the maps and histograms show; false when it is not on the charts.
    bool viewCombination(const Combination& combination);
    std::optional<Combination> viewedCombination() const;
    // Activations or dL/dh in the map and histogram charts.
    void setQuantity(Quantity quantity);
    Quantity quantity() const { return m_quantity; }
    // The layers whose histograms are drawn over each other (1, 10, 25, 50 by default); those
    // beyond the depth are replaced by the last layer.
    void setHistogramLayers(const QList<int>& layers);
    // The dL/dh histograms in units of each layer's own std (their shapes side by side, a vanished
    // layer left out), or in raw values (the default: their sizes).
    void setGradientInLayerStd(bool on);
    bool gradientInLayerStd() const { return m_gradientInLayerStd; }
    QList<int> shownHistogramLayers() const;
    static QList<int> clippedLayers(const QList<int>& layers, int depth);
    // Where a combination's colour comes from (the Statistics page's, so both pages agree); without
    // one, the figures pick colours as DeepFigures does.
    void setColorSource(std::function<std::optional<QColor>(const Combination&)> source);

    DistributionPlot* chart(Chart which) const;
    // The six charts with their export file names ("deep_activation_density").
    QList<NamedFigure> exportFigures() const;
    // Activation histograms of two combinations side by side, as one figure (the report's).
    std::unique_ptr<ExportableFigure> comparisonFigure(const Combination& left, const Combination& right) const;

    // A combination's measured layers: per layer its statistics and whether the forward and the
    // backward part have arrived.
    struct Shown {
        Combination combination;
        QString name;
        QColor color;
        std::vector<LayerStats> layers;
        std::vector<char> forwardKnown;
        std::vector<char> backwardKnown;
    };
    // The density maps of one combination (see the header comment for the ranges).
    static DistributionPlot::Map activationMap(const Shown& shown);
    static DistributionPlot::Map gradientMap(const Shown& shown);

private:
    struct RunSettings {
        int depth = 0;
        int width = 0;
        int batch = 0;
        std::uint64_t seed = 0;
        double normalStd = 0.0;
        bool operator==(const RunSettings&) const = default;
    };

    QWidget* buildControls();
    void buildCharts();
    Shown* shownFor(int runIndex);
    int addCombination(const Combination& combination, bool keepValues);
    QColor colorOf(const Shown& shown) const;
    QColor nextColor() const;
    void setViewed(int shownIndex);
    void updateCombinationBox();
    void updateViewedCharts();
    void updateCurveCharts();

    std::array<DistributionPlot*, 6> m_charts{};
    QComboBox* m_combinationBox = nullptr;
    QComboBox* m_quantityBox = nullptr;
    QLineEdit* m_layersEdit = nullptr;
    QCheckBox* m_gradientScaled = nullptr;
    QStackedWidget* m_mapStack = nullptr;
    QStackedWidget* m_histogramStack = nullptr;
    std::function<std::optional<QColor>(const Combination&)> m_colorSource;

    DeepConfig m_runConfig;
    std::vector<int> m_runToShown;
    std::vector<Shown> m_shown;
    std::optional<RunSettings> m_shownSettings;
    int m_layers = 1;
    int m_viewed = -1;     // index into m_shown
    bool m_pinned = false; // the user picked the viewed combination: new ones do not take over
    Quantity m_quantity = Quantity::Activation;
    bool m_gradientInLayerStd = false;
    QList<int> m_histogramLayers{1, 10, 25, 50};
    bool m_viewedDirty = true;
    bool m_curvesDirty = true;
};

} // namespace initlab::ui

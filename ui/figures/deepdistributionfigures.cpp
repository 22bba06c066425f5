#include "deepdistributionfigures.h"

#include "deepreplay.h"

#include "common/names.h"
#include "common/palette.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace initlab::ui {
namespace {

// The gradient map's axis reaches at most this many stds either side: beyond, the tails of a few
// layers would squeeze every other layer into a few rows.
constexpr double kGradientStds = 8.0;

QString number(double value)
{
    return QString::number(value, 'g', 9);
}

double nan()
{
    return std::numeric_limits<double>::quiet_NaN();
}

// Adds a histogram's counts, divided by its total, into the rows of column over [low, high): a bin
// goes to the rows it overlaps in proportion (the values taken as spread evenly over the bin), each
// bin's values are first divided by scale, and what lies outside [low, high) goes to the end rows.
// The column then sums to 1 but for the NaN values.
void addToColumn(const Histogram& h, double scale, double low, double high, double* column, int rows)
{
    const double total = double(h.total());
    if (total <= 0.0 || !(scale > 0.0) || !std::isfinite(scale))
        return;
    std::fill(column, column + rows, 0.0);
    const double rowHeight = (high - low) / rows;
    const auto rowOf = [&](double value) { return std::clamp(int(std::floor((value - low) / rowHeight)), 0, rows - 1); };
    for (int b = 0; b < int(h.counts.size()); ++b) {
        const double count = double(h.counts[std::size_t(b)]);
        if (count == 0.0)
            continue;
        const double binLow = h.binLow(b) / scale;
        const double binHigh = h.binHigh(b) / scale;
        if (binHigh <= low || binLow >= high) {
            column[binHigh <= low ? 0 : rows - 1] += count / total;
            continue;
        }
        const double width = binHigh - binLow;
        // The parts of the bin beyond the map's range go to its end rows.
        if (binLow < low)
            column[0] += count * (low - binLow) / width / total;
        if (binHigh > high)
            column[rows - 1] += count * (binHigh - high) / width / total;
        for (int r = rowOf(std::max(binLow, low)); r <= rowOf(std::min(binHigh, high) - 1e-12 * rowHeight); ++r) {
            const double overlap = std::min(binHigh, low + (r + 1) * rowHeight) - std::max(binLow, low + r * rowHeight);
            if (overlap > 0.0)
                column[r] += count * overlap / width / total;
        }
    }
    // Values beyond the layer's own range go to the rows at its ends: they are known to lie beyond
    // them, not how far (the end rows of the map would put a layer's tails at the widest one's).
    column[rowOf(h.low / scale)] += double(h.below) / total;
    column[rowOf(h.high / scale - 1e-9 * rowHeight)] += double(h.above) / total;
}

// One curve per chosen layer: the fraction of its units in each of its own bins, at the bins'
// centres.
// scaled: dL/dh divided by its layer's std (a layer with no finite, positive std is left out).
QList<DistributionPlot::Curve> histogramCurves(const DeepDistributionFigures::Shown& shown, bool gradient,
                                               const QList<int>& layers, bool scaled = false)
{
    QList<DistributionPlot::Curve> curves;
    for (qsizetype i = 0; i < layers.size(); ++i) {
        const int layer = layers[i];
        const std::size_t l = std::size_t(layer - 1);
        if (l >= shown.layers.size() || !(gradient ? shown.backwardKnown[l] : shown.forwardKnown[l]))
            continue;
        const Histogram& h = gradient ? shown.layers[l].preGradHistogram : shown.layers[l].actHistogram;
        const double total = double(h.total());
        if (h.empty() || total <= 0.0)
            continue;
        const double std = shown.layers[l].preGradStd;
        if (scaled && !(std > 0.0 && std::isfinite(std)))
            continue;
        const double unit = scaled ? std : 1.0;
        DistributionPlot::Curve curve;
        curve.name = DeepDistributionFigures::tr("layer %1").arg(layer);
        curve.color = categoricalColor(int(i));
        for (int b = 0; b < int(h.counts.size()); ++b) {
            curve.x << (h.binLow(b) + h.binHigh(b)) / 2 / unit;
            curve.y << double(h.counts[std::size_t(b)]) / total;
        }
        curves << curve;
    }
    return curves;
}

CsvTable histogramTable(const DeepDistributionFigures::Shown& shown, bool gradient, const QList<int>& layers,
                        bool scaled = false)
{
    CsvTable table;
    // In units of the layer's std, the bins' edges say so in their names.
    table.header = {QStringLiteral("layer"), scaled ? QStringLiteral("bin_low_in_std") : QStringLiteral("bin_low"),
                    scaled ? QStringLiteral("bin_high_in_std") : QStringLiteral("bin_high"), QStringLiteral("fraction")};
    for (int layer : layers) {
        const std::size_t l = std::size_t(layer - 1);
        if (l >= shown.layers.size() || !(gradient ? shown.backwardKnown[l] : shown.forwardKnown[l]))
            continue;
        const Histogram& h = gradient ? shown.layers[l].preGradHistogram : shown.layers[l].actHistogram;
        const double total = double(h.total());
        const double std = shown.layers[l].preGradStd;
        if (total <= 0.0 || (scaled && !(std > 0.0 && std::isfinite(std))))
            continue;
        const double unit = scaled ? std : 1.0;
        for (int b = 0; b < int(h.counts.size()); ++b)
            table.rows.append({QString::number(layer), number(h.binLow(b) / unit), number(h.binHigh(b) / unit),
                               number(double(h.counts[std::size_t(b)]) / total)});
    }
    return table;
}

CsvTable mapTable(const DistributionPlot::Map& map)
{
    CsvTable table;
    table.header = {QStringLiteral("layer"), QStringLiteral("bin_low"), QStringLiteral("bin_high"),
                    QStringLiteral("fraction")};
    for (int c = 0; c < map.columns; ++c) {
        if (std::isnan(map.cell(c, 0)))
            continue;
        for (int r = 0; r < map.rows; ++r)
            table.rows.append({QString::number(int(map.firstKey) + c), number(map.binLow(r)), number(map.binHigh(r)),
                               number(map.cell(c, r))});
    }
    return table;
}

QString activationRangeText(Activation activation)
{
    switch (activation) {
    case Activation::Tanh:
        return DeepDistributionFigures::tr("64 bins over tanh's range [-1, 1]");
    case Activation::Sigmoid:
        return DeepDistributionFigures::tr("64 bins over sigmoid's range [0, 1]");
    default:
        return DeepDistributionFigures::tr("on the widest layer's range (± about 4·RMS),\neach layer's 64 bins "
                                           "split over the rows they overlap");
    }
}

// A whole figure that owns the two plots it shows side by side.
struct OwnedPlots {
    std::unique_ptr<DistributionPlot> left;
    std::unique_ptr<DistributionPlot> right;
};

class ComparisonFigure : private OwnedPlots, public SideBySideFigure
{
public:
    ComparisonFigure(const QString& title, QString leftName, std::unique_ptr<DistributionPlot> leftPlot,
                     QString rightName, std::unique_ptr<DistributionPlot> rightPlot)
        : OwnedPlots{std::move(leftPlot), std::move(rightPlot)}
        , SideBySideFigure(title, QStringLiteral("init"), std::move(leftName), OwnedPlots::left.get(),
                           std::move(rightName), OwnedPlots::right.get())
    {
    }
};

} // namespace

DeepDistributionFigures::DeepDistributionFigures(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("deepDistributions"));
    buildCharts();
    auto* grid = new QGridLayout;
    grid->setSpacing(6);
    grid->addWidget(m_mapStack, 0, 0);
    grid->addWidget(m_histogramStack, 0, 1);
    grid->addWidget(m_charts[int(Chart::Saturated)], 1, 0);
    grid->addWidget(m_charts[int(Chart::Zero)], 1, 1);
    grid->setRowStretch(0, 3);
    grid->setRowStretch(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildControls());
    layout->addLayout(grid, 1);
    for (const NamedFigure& figure : exportFigures())
        chartexport::setExportName(static_cast<DistributionPlot*>(figure.figure), figure.baseName);
    setLayerCount(1);
    refresh();
}

// The combination to look at, activations or gradient, and the layers of the histograms.
QWidget* DeepDistributionFigures::buildControls()
{
    m_combinationBox = new QComboBox;
    m_combinationBox->setObjectName(QStringLiteral("distributionCombinationBox"));
    m_combinationBox->setToolTip(tr("The combination the density map and the histograms show. A new run shows its "
                                    "newest combination until you pick one here."));
    m_combinationBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_quantityBox = new QComboBox;
    m_quantityBox->setObjectName(QStringLiteral("distributionQuantityBox"));
    m_quantityBox->addItem(tr("Activations"));
    m_quantityBox->addItem(tr("Gradient dL/dh"));
    m_quantityBox->setToolTip(tr("<p><b>Activations</b>: the values after the nonlinearity.</p><p><b>Gradient "
                                 "dL/dh</b>: the loss's gradient with respect to each layer's pre-activations "
                                 "h = W x, what vanishes or explodes on its way back.</p>"));
    m_layersEdit = new QLineEdit(QStringLiteral("1, 10, 25, 50"));
    m_layersEdit->setObjectName(QStringLiteral("distributionLayersEdit"));
    m_layersEdit->setToolTip(tr("The layers whose histograms are drawn over each other, separated by commas. "
                                "Layers beyond the depth are replaced by the last one."));
    m_layersEdit->setMaximumWidth(140);
    m_gradientScaled = new QCheckBox(tr("dL/dh in each layer's std"));
    m_gradientScaled->setObjectName(QStringLiteral("distributionGradientScaledToggle"));
    m_gradientScaled->setToolTip(tr("<p>Draws each layer's dL/dh histogram in units of that layer's own std, so "
                                    "their shapes lie side by side even where the gradient's size differs by orders "
                                    "of magnitude (the Statistics page shows the size). A layer whose gradient "
                                    "vanished (std 0) is left out. Off: the raw values, where a narrow layer is a "
                                    "spike at 0.</p>"));
    m_gradientScaled->setEnabled(false); // for the gradient only
    connect(m_gradientScaled, &QCheckBox::toggled, this, &DeepDistributionFigures::setGradientInLayerStd);

    connect(m_combinationBox, &QComboBox::activated, this, [this](int index) {
        m_pinned = true;
        setViewed(index);
        refresh();
    });
    connect(m_quantityBox, &QComboBox::currentIndexChanged, this,
            [this](int index) { setQuantity(index == 0 ? Quantity::Activation : Quantity::PreGradient); });
    connect(m_layersEdit, &QLineEdit::editingFinished, this, [this] {
        QList<int> layers;
        for (const QString& part : m_layersEdit->text().split(QRegularExpression(QStringLiteral("[,;\\s]+")),
                                                              Qt::SkipEmptyParts)) {
            bool ok = false;
            const int layer = part.toInt(&ok);
            if (ok && layer >= 1)
                layers << layer;
        }
        if (!layers.isEmpty())
            setHistogramLayers(layers);
    });

    auto* controls = new QWidget;
    auto* row = new QHBoxLayout(controls);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(new QLabel(tr("Combination:")));
    row->addWidget(m_combinationBox);
    row->addSpacing(12);
    row->addWidget(new QLabel(tr("Show:")));
    row->addWidget(m_quantityBox);
    row->addSpacing(12);
    row->addWidget(new QLabel(tr("Histogram layers:")));
    row->addWidget(m_layersEdit);
    row->addSpacing(12);
    row->addWidget(m_gradientScaled);
    row->addStretch(1);
    return controls;
}

void DeepDistributionFigures::buildCharts()
{
    const QString fraction = tr("fraction of units");
    m_charts[int(Chart::ActivationMap)] = new DistributionPlot(tr("Activations per layer"), tr("layer"), tr("activation value"));
    m_charts[int(Chart::ActivationHistograms)]
        = new DistributionPlot(tr("Activation histograms"), tr("activation value"), tr("fraction of units per bin"));
    m_charts[int(Chart::GradientMap)]
        = new DistributionPlot(tr("dL/dh per layer"), tr("layer"), tr("dL/dh ÷ the layer's std"));
    m_charts[int(Chart::GradientHistograms)]
        = new DistributionPlot(tr("dL/dh histograms"), tr("dL/dh"), tr("fraction of units per bin"));
    m_charts[int(Chart::Saturated)] = new DistributionPlot(tr("Saturated units per layer"), tr("layer"),
                                                           tr("fraction saturated"));
    m_charts[int(Chart::Zero)] = new DistributionPlot(tr("Units exactly zero per layer"), tr("layer"),
                                                      tr("fraction exactly 0"));
    const char* names[] = {"activationMapChart", "activationHistogramChart", "gradientMapChart",
                           "gradientHistogramChart", "saturatedChart", "zeroChart"};
    for (int i = 0; i < 6; ++i)
        m_charts[std::size_t(i)]->setObjectName(QLatin1String(names[i]));
    m_charts[int(Chart::ActivationMap)]->setToolTip(
        tr("<p>Each column is a layer; its colour shows which fraction of the layer's units (over the whole batch) "
           "has an activation in each value bin, on a log scale. Blank: no unit there.</p><p>Bins: tanh [-1, 1], "
           "sigmoid [0, 1]; other activations symmetric at about 4·RMS of each layer, put on the widest layer's "
           "range by splitting every bin over the rows it overlaps.</p>"));
    m_charts[int(Chart::GradientMap)]->setToolTip(
        tr("<p>Each column is a layer's dL/dh (the gradient with respect to its pre-activations) divided by that "
           "layer's own std, so the shape of every layer shows even when the gradient's size changes by orders of "
           "magnitude across layers (the Statistics page shows the size). A blank column: the gradient vanished "
           "(std 0).</p>"));
    m_charts[int(Chart::ActivationHistograms)]->setToolTip(
        tr("The histograms of the chosen layers drawn over each other, as in Glorot &amp; Bengio (2010): tanh units "
           "pinned at ±1 are saturated, a spike at 0 is a signal that vanished."));
    m_charts[int(Chart::GradientHistograms)]->setToolTip(
        tr("The histograms of dL/dh of the chosen layers in their own units: a narrowing from the last layer to the "
           "first is a vanishing gradient, a widening an exploding one."));
    m_charts[int(Chart::Saturated)]->setToolTip(
        tr("Share of each layer's units whose activation derivative is below %1 % of its largest value: tanh "
           "|a| > 0.97, sigmoid near 0 or 1, ReLU exactly 0. One curve per combination on the charts.")
            .arg(kSaturationShare * 100.0));
    m_charts[int(Chart::Zero)]->setToolTip(
        tr("Share of each layer's activations exactly 0: dead ReLU units, or a signal that vanished altogether."));
    m_charts[int(Chart::ActivationMap)]->setMap({}, fraction);
    m_charts[int(Chart::GradientMap)]->setMap({}, fraction);
    for (Chart chart : {Chart::Saturated, Chart::Zero}) {
        m_charts[int(chart)]->setValueRange(0.0, 1.0);
        m_charts[int(chart)]->setLegendColumns(2);
    }
    m_charts[int(Chart::ActivationHistograms)]->setLegendColumns(4);
    m_charts[int(Chart::GradientHistograms)]->setLegendColumns(4);

    const auto mapSource = [this](Chart chart) {
        return [this, chart] { return QList<CsvTable>{mapTable(m_charts[int(chart)]->map())}; };
    };
    m_charts[int(Chart::ActivationMap)]->setTableSource(mapSource(Chart::ActivationMap));
    m_charts[int(Chart::GradientMap)]->setTableSource(mapSource(Chart::GradientMap));
    const auto histogramSource = [this](bool gradient) {
        return [this, gradient] {
            if (m_viewed < 0)
                return QList<CsvTable>{};
            return QList<CsvTable>{histogramTable(m_shown[std::size_t(m_viewed)], gradient, shownHistogramLayers(),
                                                  gradient && m_gradientInLayerStd)};
        };
    };
    m_charts[int(Chart::ActivationHistograms)]->setTableSource(histogramSource(false));
    m_charts[int(Chart::GradientHistograms)]->setTableSource(histogramSource(true));
    const auto fractionSource = [this](bool saturated) {
        return [this, saturated] {
            CsvTable table;
            table.header = {QStringLiteral("init"), QStringLiteral("activation"), QStringLiteral("layer"),
                            saturated ? QStringLiteral("saturated_frac") : QStringLiteral("zero_frac")};
            for (const Shown& shown : m_shown)
                for (std::size_t l = 0; l < shown.layers.size(); ++l)
                    if (shown.forwardKnown[l])
                        table.rows.append({toQString(name(shown.combination.init)),
                                           toQString(name(shown.combination.activation)), QString::number(l + 1),
                                           number(saturated ? shown.layers[l].saturatedFrac : shown.layers[l].zeroFrac)});
            return QList<CsvTable>{table};
        };
    };
    m_charts[int(Chart::Saturated)]->setTableSource(fractionSource(true));
    m_charts[int(Chart::Zero)]->setTableSource(fractionSource(false));

    m_mapStack = new QStackedWidget;
    m_mapStack->addWidget(m_charts[int(Chart::ActivationMap)]);
    m_mapStack->addWidget(m_charts[int(Chart::GradientMap)]);
    m_histogramStack = new QStackedWidget;
    m_histogramStack->addWidget(m_charts[int(Chart::ActivationHistograms)]);
    m_histogramStack->addWidget(m_charts[int(Chart::GradientHistograms)]);
}

void DeepDistributionFigures::beginRun(const DeepConfig& config)
{
    m_runConfig = config;
    m_runToShown.assign(config.combinations.size(), -1);
    m_pinned = false; // a new run is what the user wants to see
}

void DeepDistributionFigures::combinationStarted(int index, bool keepValues)
{
    if (index < 0 || index >= int(m_runToShown.size()))
        return;
    const RunSettings settings{m_runConfig.depth, m_runConfig.width, m_runConfig.batch, m_runConfig.seed,
                               m_runConfig.normalStd};
    if (!m_shownSettings || *m_shownSettings != settings) {
        clear();
        m_shownSettings = settings;
        setLayerCount(settings.depth);
    }
    const int shown = addCombination(m_runConfig.combinations[std::size_t(index)], keepValues);
    m_runToShown[std::size_t(index)] = shown;
    if (!m_pinned || m_viewed < 0)
        setViewed(shown);
    updateCombinationBox();
    m_curvesDirty = true;
}

DeepDistributionFigures::Shown* DeepDistributionFigures::shownFor(int runIndex)
{
    if (runIndex < 0 || runIndex >= int(m_runToShown.size()) || m_runToShown[std::size_t(runIndex)] < 0)
        return nullptr;
    return &m_shown[std::size_t(m_runToShown[std::size_t(runIndex)])];
}

void DeepDistributionFigures::forwardLayer(const ForwardLayerStats& stats)
{
    Shown* shown = shownFor(stats.combination);
    if (!shown || stats.layer < 1 || stats.layer > int(shown->layers.size()))
        return;
    LayerStats& layer = shown->layers[std::size_t(stats.layer - 1)];
    layer.layer = stats.layer;
    layer.actMean = stats.actMean;
    layer.actStd = stats.actStd;
    layer.saturatedFrac = stats.saturatedFrac;
    layer.zeroFrac = stats.zeroFrac;
    layer.actHistogram = stats.actHistogram;
    shown->forwardKnown[std::size_t(stats.layer - 1)] = 1;
    m_curvesDirty = true;
    m_viewedDirty = m_viewedDirty || shown == &m_shown[std::size_t(std::max(m_viewed, 0))];
}

void DeepDistributionFigures::backwardLayer(const BackwardLayerStats& stats)
{
    Shown* shown = shownFor(stats.combination);
    if (!shown || stats.layer < 1 || stats.layer > int(shown->layers.size()))
        return;
    LayerStats& layer = shown->layers[std::size_t(stats.layer - 1)];
    layer.preGradStd = stats.preGradStd;
    layer.preGradHistogram = stats.preGradHistogram;
    shown->backwardKnown[std::size_t(stats.layer - 1)] = 1;
    m_viewedDirty = m_viewedDirty || shown == &m_shown[std::size_t(std::max(m_viewed, 0))];
}

void DeepDistributionFigures::refresh()
{
    if (m_viewedDirty)
        updateViewedCharts();
    if (m_curvesDirty)
        updateCurveCharts();
    m_viewedDirty = false;
    m_curvesDirty = false;
}

void DeepDistributionFigures::showResult(const DeepConfig& config, const DeepResult& result)
{
    replayDeepResult(*this, config, result);
}

void DeepDistributionFigures::clear()
{
    m_shown.clear();
    m_shownSettings.reset();
    std::fill(m_runToShown.begin(), m_runToShown.end(), -1);
    m_viewed = -1;
    m_pinned = false;
    updateCombinationBox();
    m_viewedDirty = true;
    m_curvesDirty = true;
    refresh();
}

void DeepDistributionFigures::setLayerCount(int layers)
{
    m_layers = std::max(1, layers);
    for (Chart chart : {Chart::Saturated, Chart::Zero})
        m_charts[int(chart)]->setKeyRange(0.5, m_layers + 0.5);
    m_viewedDirty = true;
}

std::vector<Combination> DeepDistributionFigures::combinations() const
{
    std::vector<Combination> out;
    for (const Shown& shown : m_shown)
        out.push_back(shown.combination);
    return out;
}

bool DeepDistributionFigures::viewCombination(const Combination& combination)
{
    for (std::size_t i = 0; i < m_shown.size(); ++i)
        if (m_shown[i].combination == combination) {
            m_pinned = true;
            setViewed(int(i));
            refresh();
            return true;
        }
    return false;
}

std::optional<Combination> DeepDistributionFigures::viewedCombination() const
{
    if (m_viewed < 0)
        return std::nullopt;
    return m_shown[std::size_t(m_viewed)].combination;
}

void DeepDistributionFigures::setQuantity(Quantity quantity)
{
    m_quantity = quantity;
    const int page = quantity == Quantity::Activation ? 0 : 1;
    m_mapStack->setCurrentIndex(page);
    m_histogramStack->setCurrentIndex(page);
    if (m_quantityBox->currentIndex() != page)
        m_quantityBox->setCurrentIndex(page);
    m_gradientScaled->setEnabled(quantity == Quantity::PreGradient);
}

void DeepDistributionFigures::setGradientInLayerStd(bool on)
{
    if (m_gradientScaled->isChecked() != on)
        m_gradientScaled->setChecked(on); // comes back here through toggled
    if (m_gradientInLayerStd == on)
        return;
    m_gradientInLayerStd = on;
    m_charts[int(Chart::GradientHistograms)]->setAxisLabels(on ? tr("dL/dh ÷ the layer's std") : tr("dL/dh"),
                                                            tr("fraction of units per bin"));
    updateViewedCharts();
}

void DeepDistributionFigures::setHistogramLayers(const QList<int>& layers)
{
    m_histogramLayers = layers;
    QStringList texts;
    for (int layer : layers)
        texts << QString::number(layer);
    m_layersEdit->setText(texts.join(QStringLiteral(", ")));
    m_viewedDirty = true;
    refresh();
}

QList<int> DeepDistributionFigures::shownHistogramLayers() const
{
    return clippedLayers(m_histogramLayers, m_layers);
}

QList<int> DeepDistributionFigures::clippedLayers(const QList<int>& layers, int depth)
{
    QList<int> out;
    for (int layer : layers) {
        const int clipped = std::clamp(layer, 1, std::max(depth, 1));
        if (!out.contains(clipped))
            out << clipped;
    }
    return out;
}

void DeepDistributionFigures::setColorSource(std::function<std::optional<QColor>(const Combination&)> source)
{
    m_colorSource = std::move(source);
    m_curvesDirty = true;
}

DistributionPlot* DeepDistributionFigures::chart(Chart which) const
{
    return m_charts[int(which)];
}

QList<NamedFigure> DeepDistributionFigures::exportFigures() const
{
    return {{QStringLiteral("deep_activation_density"), m_charts[int(Chart::ActivationMap)]},
            {QStringLiteral("deep_activation_histograms"), m_charts[int(Chart::ActivationHistograms)]},
            {QStringLiteral("deep_pre_grad_density"), m_charts[int(Chart::GradientMap)]},
            {QStringLiteral("deep_pre_grad_histograms"), m_charts[int(Chart::GradientHistograms)]},
            {QStringLiteral("deep_saturated_fraction"), m_charts[int(Chart::Saturated)]},
            {QStringLiteral("deep_zero_fraction"), m_charts[int(Chart::Zero)]}};
}

std::unique_ptr<ExportableFigure> DeepDistributionFigures::comparisonFigure(const Combination& left,
                                                                            const Combination& right) const
{
    const auto plotOf = [this](const Combination& combination) {
        auto plot = std::make_unique<DistributionPlot>(combinationTitle(combination, m_runConfig.normalStd),
                                                       tr("activation value"), tr("fraction of units per bin"));
        plot->setLegendColumns(2); // half a page wide: four entries in a row would be cut
        const auto found = std::find_if(m_shown.begin(), m_shown.end(),
                                        [&](const Shown& s) { return s.combination == combination; });
        if (found != m_shown.end()) {
            const QList<int> layers = shownHistogramLayers();
            plot->setCurves(histogramCurves(*found, false, layers));
            const CsvTable table = histogramTable(*found, false, layers);
            plot->setTableSource([table] { return QList<CsvTable>{table}; });
        }
        return plot;
    };
    // The panels' titles name the two combinations; the figure's names the layers.
    QStringList layers;
    for (int layer : shownHistogramLayers())
        layers << QString::number(layer);
    const QString title = tr("Activation histograms of layers %1").arg(layers.join(QStringLiteral(", ")));
    return std::make_unique<ComparisonFigure>(title, toQString(name(left.init)), plotOf(left),
                                              toQString(name(right.init)), plotOf(right));
}

int DeepDistributionFigures::addCombination(const Combination& combination, bool keepValues)
{
    for (std::size_t i = 0; i < m_shown.size(); ++i) {
        Shown& shown = m_shown[i];
        if (shown.combination == combination && keepValues)
            return int(i);
        if (shown.combination == combination) {
            // Run again: its layers come anew.
            std::fill(shown.forwardKnown.begin(), shown.forwardKnown.end(), 0);
            std::fill(shown.backwardKnown.begin(), shown.backwardKnown.end(), 0);
            m_viewedDirty = true;
            return int(i);
        }
    }
    Shown shown;
    shown.combination = combination;
    shown.name = combinationTitle(combination, m_runConfig.normalStd);
    shown.color = nextColor();
    shown.layers.assign(std::size_t(m_layers), LayerStats{});
    shown.forwardKnown.assign(std::size_t(m_layers), 0);
    shown.backwardKnown.assign(std::size_t(m_layers), 0);
    m_shown.push_back(std::move(shown));
    return int(m_shown.size()) - 1;
}

QColor DeepDistributionFigures::colorOf(const Shown& shown) const
{
    if (m_colorSource)
        if (const std::optional<QColor> color = m_colorSource(shown.combination))
            return *color;
    return shown.color;
}

QColor DeepDistributionFigures::nextColor() const
{
    for (int i = 0; i < kCategoricalColors; ++i) {
        const QColor color = categoricalColor(i);
        if (std::none_of(m_shown.begin(), m_shown.end(), [&](const Shown& s) { return s.color == color; }))
            return color;
    }
    return categoricalColor(int(m_shown.size()));
}

void DeepDistributionFigures::setViewed(int shownIndex)
{
    m_viewed = shownIndex;
    if (m_combinationBox->currentIndex() != shownIndex)
        m_combinationBox->setCurrentIndex(shownIndex);
    m_viewedDirty = true;
}

void DeepDistributionFigures::updateCombinationBox()
{
    const QSignalBlocker blocker(m_combinationBox);
    m_combinationBox->clear();
    for (const Shown& shown : m_shown)
        m_combinationBox->addItem(swatchIcon(colorOf(shown)), shown.name);
    m_combinationBox->setCurrentIndex(m_viewed);
    m_combinationBox->setEnabled(!m_shown.empty());
}

DistributionPlot::Map DeepDistributionFigures::activationMap(const Shown& shown)
{
    DistributionPlot::Map map;
    double low = 0.0, high = 0.0;
    bool any = false;
    for (std::size_t l = 0; l < shown.layers.size(); ++l) {
        const Histogram& h = shown.layers[l].actHistogram;
        if (!shown.forwardKnown[l] || h.empty())
            continue;
        low = any ? std::min(low, h.low) : h.low;
        high = any ? std::max(high, h.high) : h.high;
        any = true;
    }
    if (!any || !(high > low))
        return map;
    map.columns = int(shown.layers.size());
    map.rows = kHistogramBins;
    map.low = low;
    map.high = high;
    map.cells.assign(std::size_t(map.columns) * map.rows, nan());
    for (std::size_t l = 0; l < shown.layers.size(); ++l)
        if (shown.forwardKnown[l] && !shown.layers[l].actHistogram.empty())
            addToColumn(shown.layers[l].actHistogram, 1.0, low, high, &map.cells[l * std::size_t(map.rows)], map.rows);
    return map;
}

DistributionPlot::Map DeepDistributionFigures::gradientMap(const Shown& shown)
{
    DistributionPlot::Map map;
    double reach = 0.0;
    for (std::size_t l = 0; l < shown.layers.size(); ++l) {
        const LayerStats& s = shown.layers[l];
        if (shown.backwardKnown[l] && !s.preGradHistogram.empty() && s.preGradStd > 0.0 && std::isfinite(s.preGradStd))
            reach = std::max({reach, std::abs(s.preGradHistogram.low) / s.preGradStd,
                              std::abs(s.preGradHistogram.high) / s.preGradStd});
    }
    if (!(reach > 0.0))
        return map;
    reach = std::min(reach, kGradientStds);
    map.columns = int(shown.layers.size());
    map.rows = kHistogramBins;
    map.low = -reach;
    map.high = reach;
    map.cells.assign(std::size_t(map.columns) * map.rows, nan());
    for (std::size_t l = 0; l < shown.layers.size(); ++l) {
        const LayerStats& s = shown.layers[l];
        if (shown.backwardKnown[l] && !s.preGradHistogram.empty())
            addToColumn(s.preGradHistogram, s.preGradStd, -reach, reach, &map.cells[l * std::size_t(map.rows)], map.rows);
    }
    return map;
}

void DeepDistributionFigures::updateViewedCharts()
{
    const QString fraction = tr("fraction of units");
    DistributionPlot* actMap = m_charts[int(Chart::ActivationMap)];
    DistributionPlot* gradMap = m_charts[int(Chart::GradientMap)];
    DistributionPlot* actHist = m_charts[int(Chart::ActivationHistograms)];
    DistributionPlot* gradHist = m_charts[int(Chart::GradientHistograms)];
    if (m_viewed < 0) {
        actMap->setTitle(tr("Activations per layer"));
        gradMap->setTitle(tr("dL/dh per layer"));
        actHist->setTitle(tr("Activation histograms"));
        gradHist->setTitle(tr("dL/dh histograms"));
        actMap->setSubtitle(QString());
        gradMap->setSubtitle(QString());
        for (DistributionPlot* plot : {actMap, gradMap}) {
            DistributionPlot::Map empty;
            plot->setMap(empty, fraction);
            plot->setKeyRange(0.5, m_layers + 0.5);
        }
        actHist->setCurves({});
        gradHist->setCurves({});
        return;
    }
    const Shown& shown = m_shown[std::size_t(m_viewed)];
    actMap->setTitle(tr("Activations per layer: %1").arg(shown.name));
    actMap->setSubtitle(activationRangeText(shown.combination.activation));
    actMap->setMap(activationMap(shown), fraction);
    gradMap->setTitle(tr("dL/dh per layer: %1").arg(shown.name));
    gradMap->setSubtitle(tr("each layer in units of its own std\n(a blank column: the gradient vanished)"));
    gradMap->setMap(gradientMap(shown), fraction);
    for (DistributionPlot* plot : {actMap, gradMap})
        plot->setKeyRange(0.5, m_layers + 0.5);
    const QList<int> layers = shownHistogramLayers();
    actHist->setTitle(tr("Activation histograms: %1").arg(shown.name));
    actHist->setCurves(histogramCurves(shown, false, layers));
    gradHist->setTitle(tr("dL/dh histograms: %1").arg(shown.name));
    gradHist->setSubtitle(m_gradientInLayerStd
                              ? tr("each layer in units of its own std (a layer whose gradient vanished is left out)")
                              : tr("raw values: a layer whose gradient vanished is a spike at 0"));
    gradHist->setCurves(histogramCurves(shown, true, layers, m_gradientInLayerStd));
}

void DeepDistributionFigures::updateCurveCharts()
{
    QList<DistributionPlot::Curve> saturated, zero;
    for (const Shown& shown : m_shown) {
        DistributionPlot::Curve s{shown.name, colorOf(shown), {}, {}, Qt::SolidLine};
        DistributionPlot::Curve z = s;
        for (std::size_t l = 0; l < shown.layers.size(); ++l) {
            const bool known = shown.forwardKnown[l] != 0;
            s.x << double(l + 1);
            z.x << double(l + 1);
            s.y << (known ? shown.layers[l].saturatedFrac : nan());
            z.y << (known ? shown.layers[l].zeroFrac : nan());
        }
        saturated << s;
        zero << z;
    }
    m_charts[int(Chart::Saturated)]->setCurves(saturated);
    m_charts[int(Chart::Zero)]->setCurves(zero);
    updateCombinationBox(); // the swatches follow the colours
}

} // namespace initlab::ui

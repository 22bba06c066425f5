#include "deepfigures.h"

#include "deepreplay.h"

#include "layerchart.h"

#include "common/curvelegend.h"
#include "common/names.h"
#include "common/palette.h"

#include <QGridLayout>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace initlab::ui {

DeepFigures::DeepFigures(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("deepFigures"));
    m_charts[int(Chart::ActivationMean)] = new LayerChart(tr("Activation |mean| per layer"), tr("|mean| of activations"));
    m_charts[int(Chart::ActivationStd)] = new LayerChart(tr("Activation std per layer"), tr("std of activations"));
    m_charts[int(Chart::GradientMean)] = new LayerChart(tr("Weight-gradient |mean| per layer"), tr("|mean| of dL/dW"));
    m_charts[int(Chart::GradientStd)] = new LayerChart(tr("Weight-gradient std per layer"), tr("std of dL/dW"));
    m_charts[int(Chart::ActivationMean)]->setObjectName(QStringLiteral("activationMeanChart"));
    m_charts[int(Chart::ActivationStd)]->setObjectName(QStringLiteral("activationStdChart"));
    m_charts[int(Chart::GradientMean)]->setObjectName(QStringLiteral("gradientMeanChart"));
    m_charts[int(Chart::GradientStd)]->setObjectName(QStringLiteral("gradientStdChart"));
    for (const NamedFigure& figure : exportFigures())
        chartexport::setExportName(static_cast<LayerChart*>(figure.figure), figure.baseName);
    for (LayerChart* chart : m_charts)
        chart->setKeyColumns({QStringLiteral("init"), QStringLiteral("activation")}, {QStringLiteral("series")});
    m_charts[int(Chart::ActivationMean)]->setToolTip(
        tr("Magnitude of the mean of each layer's activations (after the nonlinearity) over the batch and the "
           "units. Log scale, so |mean|."));
    m_charts[int(Chart::ActivationStd)]->setToolTip(
        tr("Standard deviation of each layer's activations: how much signal is left at that depth."));
    m_charts[int(Chart::GradientMean)]->setToolTip(
        tr("Magnitude of the mean of the cross-entropy loss's gradient with respect to each layer's weights."));
    m_charts[int(Chart::GradientStd)]->setToolTip(
        tr("Standard deviation of the gradient with respect to each layer's weights: how big the learning "
           "signal of that layer is."));

    m_legend = new CurveLegend;
    auto* chartGrid = new QGridLayout;
    chartGrid->setSpacing(6);
    chartGrid->addWidget(m_charts[int(Chart::ActivationMean)], 0, 0);
    chartGrid->addWidget(m_charts[int(Chart::ActivationStd)], 0, 1);
    chartGrid->addWidget(m_charts[int(Chart::GradientMean)], 1, 0);
    chartGrid->addWidget(m_charts[int(Chart::GradientStd)], 1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_legend);
    layout->addLayout(chartGrid, 1);
    refresh();
}

void DeepFigures::beginRun(const DeepConfig& config)
{
    m_runConfig = config;
    m_runToShown.assign(config.combinations.size(), -1);
}

void DeepFigures::combinationStarted(int index, bool keepValues)
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
    const int shown = showCombination(m_runConfig.combinations[std::size_t(index)], keepValues);
    m_runToShown[std::size_t(index)] = shown;
    if (m_shown[std::size_t(shown)].bf16 != m_runConfig.bf16) {
        m_shown[std::size_t(shown)].bf16 = m_runConfig.bf16;
        updateLegend();
    }
}

void DeepFigures::setPreview(bool preview, int batch)
{
    const int previewBatch = preview ? std::max(1, batch) : 0;
    if (previewBatch == m_previewBatch)
        return;
    m_previewBatch = previewBatch;
    updateLegend();
}

bool DeepFigures::isPreview() const
{
    return m_previewBatch > 0;
}

void DeepFigures::setTheoryValues(const Combination& combination, const std::vector<double>& theoryStd)
{
    const auto shown = std::find_if(m_shown.begin(), m_shown.end(),
                                    [&](const ShownCombination& s) { return s.combination == combination; });
    if (shown == m_shown.end())
        return;
    LayerChart* chart = m_charts[int(Chart::ActivationStd)];
    for (std::size_t l = 0; l < theoryStd.size(); ++l)
        chart->setValue(shown->theoryStd, int(l) + 1, theoryStd[l]);
    chart->refresh();
}

const DeepFigures::ShownCombination* DeepFigures::shownFor(int runIndex) const
{
    if (runIndex < 0 || runIndex >= int(m_runToShown.size()) || m_runToShown[std::size_t(runIndex)] < 0)
        return nullptr;
    return &m_shown[std::size_t(m_runToShown[std::size_t(runIndex)])];
}

void DeepFigures::forwardLayer(const ForwardLayerStats& stats)
{
    const ShownCombination* shown = shownFor(stats.combination);
    if (!shown)
        return;
    m_charts[int(Chart::ActivationMean)]->setValue(shown->actMean, stats.layer, std::abs(stats.actMean));
    m_charts[int(Chart::ActivationStd)]->setValue(shown->actStd, stats.layer, stats.actStd);
    m_charts[int(Chart::ActivationStd)]->setValue(shown->theoryStd, stats.layer, stats.theoryStd);
}

void DeepFigures::backwardLayer(const BackwardLayerStats& stats)
{
    const ShownCombination* shown = shownFor(stats.combination);
    if (!shown)
        return;
    m_charts[int(Chart::GradientMean)]->setValue(shown->gradMean, stats.layer, std::abs(stats.gradMean));
    m_charts[int(Chart::GradientStd)]->setValue(shown->gradStd, stats.layer, stats.gradStd);
    m_charts[int(Chart::GradientStd)]->setValue(shown->preGradStd, stats.layer, stats.preGradStd);
}

void DeepFigures::refresh()
{
    for (LayerChart* chart : m_charts)
        chart->refresh();
}

void DeepFigures::showResult(const DeepConfig& config, const DeepResult& result)
{
    replayDeepResult(*this, config, result);
}

void DeepFigures::clear()
{
    for (LayerChart* chart : m_charts) {
        chart->clearCurves();
        chart->refresh();
    }
    m_shown.clear();
    m_shownSettings.reset();
    std::fill(m_runToShown.begin(), m_runToShown.end(), -1);
    updateLegend();
}

void DeepFigures::setTheoryVisible(bool visible)
{
    m_theoryVisible = visible;
    LayerChart* chart = m_charts[int(Chart::ActivationStd)];
    for (const ShownCombination& shown : m_shown)
        chart->setCurveVisible(shown.theoryStd, visible);
    chart->refresh();
    updateLegend();
}

void DeepFigures::setPreGradVisible(bool visible)
{
    m_preGradVisible = visible;
    LayerChart* chart = m_charts[int(Chart::GradientStd)];
    for (const ShownCombination& shown : m_shown)
        chart->setCurveVisible(shown.preGradStd, visible);
    chart->refresh();
    updateLegend();
}

void DeepFigures::setLayerCount(int layers)
{
    for (LayerChart* chart : m_charts)
        chart->setLayerCount(layers);
}

LayerChart* DeepFigures::chart(Chart which) const
{
    return m_charts[int(which)];
}

CurveLegend* DeepFigures::legend() const
{
    return m_legend;
}

int DeepFigures::curveOf(const Combination& combination, Chart which) const
{
    const auto shown = std::find_if(m_shown.begin(), m_shown.end(),
                                    [&](const ShownCombination& s) { return s.combination == combination; });
    if (shown == m_shown.end())
        return -1;
    switch (which) {
    case Chart::ActivationMean:
        return shown->actMean;
    case Chart::ActivationStd:
        return shown->actStd;
    case Chart::GradientMean:
        return shown->gradMean;
    case Chart::GradientStd:
        return shown->gradStd;
    }
    return -1;
}

std::optional<QColor> DeepFigures::colorOf(const Combination& combination) const
{
    const auto shown = std::find_if(m_shown.begin(), m_shown.end(),
                                    [&](const ShownCombination& s) { return s.combination == combination; });
    if (shown == m_shown.end())
        return std::nullopt;
    return shown->color;
}

QList<NamedFigure> DeepFigures::exportFigures() const
{
    return {{QStringLiteral("deep_activation_mean"), m_charts[int(Chart::ActivationMean)]},
            {QStringLiteral("deep_activation_std"), m_charts[int(Chart::ActivationStd)]},
            {QStringLiteral("deep_gradient_mean"), m_charts[int(Chart::GradientMean)]},
            {QStringLiteral("deep_gradient_std"), m_charts[int(Chart::GradientStd)]}};
}

int DeepFigures::showCombination(const Combination& combination, bool keepValues)
{
    for (std::size_t i = 0; i < m_shown.size(); ++i) {
        ShownCombination& shown = m_shown[i];
        if (shown.combination == combination && keepValues)
            return int(i);
        if (shown.combination == combination) {
            m_charts[int(Chart::ActivationMean)]->resetValues(shown.actMean);
            m_charts[int(Chart::ActivationStd)]->resetValues(shown.actStd);
            m_charts[int(Chart::ActivationStd)]->resetValues(shown.theoryStd);
            m_charts[int(Chart::GradientMean)]->resetValues(shown.gradMean);
            m_charts[int(Chart::GradientStd)]->resetValues(shown.gradStd);
            m_charts[int(Chart::GradientStd)]->resetValues(shown.preGradStd);
            return int(i);
        }
    }
    using Style = LayerChart::LineStyle;
    ShownCombination shown;
    shown.combination = combination;
    shown.color = nextColor();
    const QString name = combinationTitle(combination, m_runConfig.normalStd);
    shown.name = name;
    shown.actMean = m_charts[int(Chart::ActivationMean)]->addCurve(name, shown.color);
    shown.actStd = m_charts[int(Chart::ActivationStd)]->addCurve(name, shown.color);
    shown.theoryStd = m_charts[int(Chart::ActivationStd)]->addCurve(name + tr(" (theory)"), shown.color, Style::Dashed);
    shown.gradMean = m_charts[int(Chart::GradientMean)]->addCurve(name, shown.color);
    shown.gradStd = m_charts[int(Chart::GradientStd)]->addCurve(name, shown.color);
    shown.preGradStd = m_charts[int(Chart::GradientStd)]->addCurve(name + tr(" (dL/dh)"), shown.color, Style::Dotted);
    m_charts[int(Chart::ActivationStd)]->setCurveVisible(shown.theoryStd, m_theoryVisible);
    m_charts[int(Chart::GradientStd)]->setCurveVisible(shown.preGradStd, m_preGradVisible);
    const QString init = toQString(initlab::name(combination.init));
    const QString activation = toQString(initlab::name(combination.activation));
    const auto keys = [&](const char* series) { return QStringList{init, activation, QLatin1String(series)}; };
    m_charts[int(Chart::ActivationMean)]->setCurveKeys(shown.actMean, keys("measured"));
    m_charts[int(Chart::ActivationStd)]->setCurveKeys(shown.actStd, keys("measured"));
    m_charts[int(Chart::ActivationStd)]->setCurveKeys(shown.theoryStd, keys("theory"));
    m_charts[int(Chart::GradientMean)]->setCurveKeys(shown.gradMean, keys("measured"));
    m_charts[int(Chart::GradientStd)]->setCurveKeys(shown.gradStd, keys("measured"));
    m_charts[int(Chart::GradientStd)]->setCurveKeys(shown.preGradStd, keys("pre_activation_grad"));
    m_shown.push_back(shown);
    updateLegend();
    return int(m_shown.size()) - 1;
}

QColor DeepFigures::nextColor() const
{
    for (int i = 0; i < kCategoricalColors; ++i) {
        const QColor color = categoricalColor(i);
        if (std::none_of(m_shown.begin(), m_shown.end(), [&](const ShownCombination& s) { return s.color == color; }))
            return color;
    }
    return categoricalColor(int(m_shown.size()));
}

void DeepFigures::updateLegend()
{
    QList<CurveLegend::Entry> entries;
    const QString previewMark = m_previewBatch > 0 ? tr(" (preview, %1 vectors)").arg(m_previewBatch) : QString();
    for (const ShownCombination& shown : m_shown)
        entries.append({shown.name + (shown.bf16 ? tr(" (bf16)") : QString()) + previewMark, shown.color, Qt::SolidLine});
    const QColor explanation(128, 128, 128); // a mid grey reads on light and dark palettes
    if (!m_shown.empty() && m_theoryVisible)
        entries.append({tr("mean-field theory (activation std)"), explanation, Qt::DashLine});
    if (!m_shown.empty() && m_preGradVisible)
        entries.append({tr("std of dL/dh (weight-gradient std)"), explanation, Qt::DotLine});
    m_legend->setEntries(entries);
}

} // namespace initlab::ui

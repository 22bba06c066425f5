#include "circlesfigures.h"

#include "boundarycanvas.h"
#include "circlescurvechart.h"

#include "common/curvelegend.h"
#include "common/formatting.h"
#include "common/names.h"
#include "common/palette.h"

#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace initlab::ui {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// The mean over the seeds of one setting at one epoch of a block; seeds whose value is not finite
// (diverged) are left out, and a setting without any finite value gives NaN, which ends its line.
float meanOverSeeds(const std::vector<float>& values, std::size_t epochOffset, int group, int seeds)
{
    double sum = 0.0;
    int count = 0;
    for (int s = 0; s < seeds; ++s) {
        const float v = values[epochOffset + std::size_t(group) * seeds + std::size_t(s)];
        if (std::isfinite(v)) {
            sum += v;
            ++count;
        }
    }
    return count > 0 ? float(sum / count) : kNaN;
}

CirclesCurveChart* makeChart(const QString& title, const QString& valueTitle, CirclesCurveChart::Kind kind,
                             const char* objectName, const QString& tip)
{
    auto* chart = new CirclesCurveChart(title, valueTitle, kind);
    chart->setObjectName(QLatin1String(objectName));
    chart->setKeyColumns({QStringLiteral("normalization"), QStringLiteral("init")});
    chart->setToolTip(tip);
    return chart;
}

} // namespace

CirclesFigures::CirclesFigures(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("circlesFigures"));
    m_charts[int(Chart::TrainLoss)] = makeChart(
        tr("Training loss"), tr("cross-entropy"), CirclesCurveChart::Kind::Loss, "trainLossChart",
        tr("Mean cross-entropy on the training set after each epoch. An untrained net guessing evenly has "
           "ln 2 ≈ 0.69 (the report's Fig. 5)."));
    m_charts[int(Chart::TrainAccuracy)]
        = makeChart(tr("Training accuracy"), tr("accuracy"), CirclesCurveChart::Kind::Accuracy, "trainAccuracyChart",
                    tr("Fraction of training points classified right (Fig. 6)."));
    m_charts[int(Chart::ValidationAccuracy)] = makeChart(
        tr("Validation accuracy"), tr("accuracy"), CirclesCurveChart::Kind::Accuracy, "validationAccuracyChart",
        tr("Fraction of validation points classified right after each epoch (Fig. 7). Each model keeps the "
           "weights of its best epoch here."));

    m_legend = new CurveLegend;
    m_legend->setToolTip(tr("Each init scheme has the same colour on every chart, in the comparison and in the "
                            "table."));
    // On a line of its own, so that it does not widen the column when it appears.
    m_curveNote = new QLabel;
    m_curveNote->setWordWrap(true);
    m_curveNote->setToolTip(tr("Each line is the mean over the seeds of the setting; a seed that diverged drops "
                               "out of the mean from its divergence on."));
    m_curveNote->hide();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_legend);
    layout->addWidget(m_curveNote);
    for (CirclesCurveChart* chart : m_charts)
        layout->addWidget(chart, 1);
    rebuildCharts();
}

void CirclesFigures::beginRun(const CirclesConfig& config)
{
    m_config = config;
    m_groups.clear();
    for (Normalization n : config.normalizations)
        for (InitScheme i : config.inits)
            m_groups.push_back({n, i, {}, true});
    m_epochsDone = 0;
    rebuildCharts();
}

void CirclesFigures::appendHistory(const HistoryBlock& block)
{
    const int seeds = m_config.seeds;
    if (block.models != int(m_groups.size()) * seeds || block.count <= 0)
        return;
    const std::size_t models = std::size_t(block.models);
    for (int e = 0; e < block.count; ++e) {
        const std::size_t offset = std::size_t(e) * models;
        for (int g = 0; g < int(m_groups.size()); ++g) {
            Group& group = m_groups[std::size_t(g)];
            group.curves[int(Chart::TrainLoss)].append(meanOverSeeds(block.trainLoss, offset, g, seeds));
            group.curves[int(Chart::TrainAccuracy)].append(meanOverSeeds(block.trainAcc, offset, g, seeds));
            group.curves[int(Chart::ValidationAccuracy)].append(meanOverSeeds(block.valAcc, offset, g, seeds));
            group.changed = true;
        }
    }
    m_epochsDone = block.firstEpoch + block.count - 1;
}

void CirclesFigures::refresh()
{
    for (std::size_t g = 0; g < m_groups.size(); ++g) {
        Group& group = m_groups[g];
        if (!group.changed || m_chartCurves[g] < 0)
            continue;
        group.changed = false;
        for (int which = 0; which < 3; ++which)
            m_charts[std::size_t(which)]->setCurveValues(m_chartCurves[g], group.curves[std::size_t(which)]);
    }
    for (CirclesCurveChart* chart : m_charts)
        chart->refresh();
}

void CirclesFigures::showResult(const CirclesConfig& config, const CirclesResult& result)
{
    beginRun(config);
    appendHistory(wholeHistory(result));
    refresh();
}

void CirclesFigures::setViewedNormalization(Normalization normalization)
{
    if (normalization == m_viewNormalization)
        return;
    m_viewNormalization = normalization;
    rebuildCharts();
}

Normalization CirclesFigures::viewedNormalization() const
{
    return m_viewNormalization;
}

void CirclesFigures::setCursorEpoch(int epoch)
{
    for (CirclesCurveChart* chart : m_charts)
        chart->setCursorEpoch(epoch);
}

void CirclesFigures::setEpochsBeforeRun(int epochs)
{
    if (epochs == m_epochsBeforeRun)
        return;
    m_epochsBeforeRun = epochs;
    if (!hasRun())
        rebuildCharts();
}

bool CirclesFigures::hasRun() const
{
    return !m_groups.empty();
}

int CirclesFigures::epochsDone() const
{
    return m_epochsDone;
}

QVector<float> CirclesFigures::meanCurve(Normalization normalization, InitScheme init, Chart which) const
{
    const int group = groupIndex(normalization, init);
    return group < 0 ? QVector<float>() : m_groups[std::size_t(group)].curves[std::size_t(which)];
}

CirclesCurveChart* CirclesFigures::chart(Chart which) const
{
    return m_charts[std::size_t(which)];
}

CurveLegend* CirclesFigures::legend() const
{
    return m_legend;
}

QList<NamedFigure> CirclesFigures::exportFigures() const
{
    const QString normalization = toQString(initlab::name(m_viewNormalization));
    return {
        {QStringLiteral("circles_train_loss_%1").arg(normalization), m_charts[int(Chart::TrainLoss)]},
        {QStringLiteral("circles_train_accuracy_%1").arg(normalization), m_charts[int(Chart::TrainAccuracy)]},
        {QStringLiteral("circles_validation_accuracy_%1").arg(normalization), m_charts[int(Chart::ValidationAccuracy)]},
    };
}

// One curve per init scheme of the viewed normalization, and the legend to match.
void CirclesFigures::rebuildCharts()
{
    for (CirclesCurveChart* chart : m_charts) {
        chart->clearCurves();
        chart->setEpochs(m_groups.empty() ? m_epochsBeforeRun : m_config.epochs);
    }
    m_chartCurves.assign(m_groups.size(), -1);
    QList<CurveLegend::Entry> entries;
    for (std::size_t g = 0; g < m_groups.size(); ++g) {
        Group& group = m_groups[g];
        if (group.normalization != m_viewNormalization)
            continue;
        const QString title = schemeTitle(group.init, m_config.normalStd);
        const QColor color = schemeColor(group.init);
        for (CirclesCurveChart* chart : m_charts) {
            m_chartCurves[g] = chart->addCurve(title, color);
            chart->setCurveKeys(m_chartCurves[g], {toQString(initlab::name(group.normalization)),
                                                   toQString(initlab::name(group.init))});
        }
        entries.append({title, color, Qt::SolidLine});
        group.changed = true;
    }
    m_legend->setEntries(entries);
    m_curveNote->setText(tr("Each line: the mean over %1 seeds.").arg(m_config.seeds));
    m_curveNote->setVisible(!m_groups.empty() && m_config.seeds > 1);
    if (entries.isEmpty())
        m_legend->setText(tr("<i>Press Train all to see one curve per init scheme.</i>"));
    refresh();
}

int CirclesFigures::groupIndex(Normalization normalization, InitScheme init) const
{
    for (std::size_t g = 0; g < m_groups.size(); ++g)
        if (m_groups[g].normalization == normalization && m_groups[g].init == init)
            return int(g);
    return -1;
}

HistoryBlock wholeHistory(const CirclesResult& result)
{
    HistoryBlock block;
    block.firstEpoch = 1;
    block.count = result.epochsRun;
    block.models = int(result.models.size());
    const std::size_t size = std::size_t(std::max(block.count, 0)) * std::size_t(block.models);
    block.trainLoss.assign(size, kNaN);
    block.trainAcc.assign(size, kNaN);
    block.valLoss.assign(size, kNaN);
    block.valAcc.assign(size, kNaN);
    for (std::size_t m = 0; m < result.models.size(); ++m) {
        const ModelResult& model = result.models[m];
        for (std::size_t e = 0; e < model.trainLoss.size() && e < std::size_t(std::max(block.count, 0)); ++e) {
            const std::size_t at = e * std::size_t(block.models) + m;
            block.trainLoss[at] = model.trainLoss[e];
            block.trainAcc[at] = model.trainAcc[e];
            block.valLoss[at] = model.valLoss[e];
            block.valAcc[at] = model.valAcc[e];
        }
    }
    return block;
}

QString boundaryTitle(Normalization normalization, InitScheme init, double scaledFactor, double normalStd)
{
    return QStringLiteral("%1 · %2").arg(normalizationTitle(normalization, scaledFactor), schemeTitle(init, normalStd));
}

void showModelBoundary(BoundaryCanvas& canvas, const CirclesConfig& config, const CirclesResult& result, int model,
                       bool withTest)
{
    const ModelResult& shown = result.models.at(std::size_t(model));
    const std::size_t seedIndex = std::size_t(model % config.seeds);
    canvas.setTitle(boundaryTitle(shown.key.normalization, shown.key.init, config.scaledFactor, config.normalStd));
    canvas.setBounds(BoundaryCanvas::boundaryBounds(config.data));
    canvas.setNormalization(shown.normalization);
    if (seedIndex < result.datasets.size()) {
        const CirclesData& data = result.datasets[seedIndex];
        canvas.setPoints(data.train, {}, withTest ? data.test : PointSet());
    }
    canvas.setImage(shown.boundary);
}

std::unique_ptr<BoundaryCanvas> boundaryFigure(const CirclesConfig& config, const CirclesResult& result, int model)
{
    auto canvas = std::make_unique<BoundaryCanvas>(false);
    showModelBoundary(*canvas, config, result, model);
    const ModelResult& shown = result.models.at(std::size_t(model));
    canvas->setCaption(QStringLiteral("seed %1 · best validation at epoch %2 · test %3")
                           .arg(config.firstSeed + std::uint64_t(model % config.seeds))
                           .arg(shown.bestEpoch)
                           .arg(percentText(shown.testAcc)));
    canvas->resize(640, 640);
    return canvas;
}

} // namespace initlab::ui

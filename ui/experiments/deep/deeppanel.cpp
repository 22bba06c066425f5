#include "deeppanel.h"

#include "figures/chartexport.h"
#include "common/colorbar.h"
#include "common/controlcolumn.h"
#include "common/curvelegend.h"
#include "experimentworker.h"
#include "initmatrix.h"
#include "figures/layerchart.h"
#include "common/names.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace initlab::ui {
namespace {

// Tableau 10: distinct on white and for the common kinds of colour blindness.
constexpr std::array<QRgb, 10> kPalette{0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                        0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};

constexpr int kProgressSteps = 1000;
constexpr int kRefreshIntervalMs = 33; // ~30 Hz

QSpinBox* makeSpin(int minimum, int maximum, int value, int step, const QString& objectName, const QString& tip)
{
    auto* spin = new QSpinBox;
    spin->setRange(minimum, maximum);
    spin->setValue(value);
    spin->setSingleStep(step);
    spin->setGroupSeparatorShown(true);
    spin->setObjectName(objectName);
    spin->setToolTip(tip);
    return spin;
}

} // namespace

DeepPanel::DeepPanel(ExperimentWorker* worker, QWidget* parent)
    : QWidget(parent)
    , m_worker(worker)
{
    registerMetaTypes();
    setObjectName(QStringLiteral("deepPanel"));

    // --- the matrix and its buttons
    m_matrix = new InitMatrix;
    auto* colorBar = new SignalColorBar;
    m_runSelected = new QPushButton(tr("Run selected"));
    m_runSelected->setObjectName(QStringLiteral("runSelectedButton"));
    m_runSelected->setToolTip(tr("Runs every selected cell, one after the other, column by column."));
    m_report = new QPushButton(tr("Report's seven"));
    m_report->setObjectName(QStringLiteral("reportButton"));
    m_report->setToolTip(tr("Selects the seven combinations of the homework report: tanh with the original "
                            "heuristic, Xavier uniform and Xavier normal; ReLU with Xavier uniform, Xavier normal, "
                            "Kaiming uniform and Kaiming normal. Then press Run selected."));
    m_clear = new QPushButton(tr("Clear"));
    m_clear->setObjectName(QStringLiteral("clearButton"));
    m_clear->setToolTip(tr("Removes the curves from the charts and the results from the matrix."));

    auto* matrixButtons = new QHBoxLayout;
    matrixButtons->addWidget(m_runSelected);
    matrixButtons->addWidget(m_report);
    matrixButtons->addStretch(1);
    matrixButtons->addWidget(m_clear);

    auto* hint = new QLabel(tr("Click a cell to run that combination. Ctrl/Shift-click or drag to select several, "
                               "or click a header to select a row or column, then <b>Run selected</b>."));
    hint->setWordWrap(true);
    hint->setTextFormat(Qt::RichText);

    auto* matrixBox = new QGroupBox(tr("Initialization × activation"));
    auto* matrixLayout = new QVBoxLayout(matrixBox);
    matrixLayout->addWidget(m_matrix);
    matrixLayout->addWidget(colorBar);
    matrixLayout->addWidget(hint);
    matrixLayout->addLayout(matrixButtons);

    // --- the net and the data
    m_depth = makeSpin(1, 1000, 50, 1, QStringLiteral("depthSpin"), tr("Number of fully connected layers."));
    m_width = makeSpin(1, 4096, 512, 32, QStringLiteral("widthSpin"), tr("Units per layer (fan_in = fan_out)."));
    m_batch = makeSpin(1, 1'000'000, 10000, 1000, QStringLiteral("batchSpin"),
                       tr("Input vectors drawn from N(0, I). The statistics are over the whole batch."));
    m_seed = makeSpin(0, std::numeric_limits<int>::max(), 0, 1, QStringLiteral("seedSpin"),
                      tr("Seeds the inputs, the targets and the weights: the same seed gives the same numbers."));
    m_threads = makeSpin(0, 256, 0, 1, QStringLiteral("threadsSpin"),
                         tr("LibTorch threads for the run. \"all\" uses every core (%1 here). The numbers do "
                            "not depend on it.")
                             .arg(QThread::idealThreadCount()));
    m_threads->setSpecialValueText(tr("all"));
    m_sigma = new QDoubleSpinBox;
    m_sigma->setObjectName(QStringLiteral("sigmaSpin"));
    m_sigma->setDecimals(4);
    m_sigma->setRange(0.0, 10.0);
    m_sigma->setSingleStep(0.01);
    m_sigma->setValue(0.1);
    m_sigma->setToolTip(tr("Standard deviation σ of the Normal(σ) scheme's weights, N(0, σ²). Only that row "
                           "uses it."));

    auto* netBox = new QGroupBox(tr("Net and data"));
    auto* netLayout = new QGridLayout(netBox);
    const auto addField = [netLayout](int row, int column, const QString& text, QWidget* field) {
        auto* label = new QLabel(text);
        label->setBuddy(field);
        label->setToolTip(field->toolTip());
        netLayout->addWidget(label, row, 2 * column);
        netLayout->addWidget(field, row, 2 * column + 1);
    };
    addField(0, 0, tr("&Depth"), m_depth);
    addField(0, 1, tr("&Width"), m_width);
    addField(1, 0, tr("&Batch"), m_batch);
    addField(1, 1, tr("S&eed"), m_seed);
    addField(2, 0, tr("&Threads"), m_threads);
    addField(2, 1, tr("Normal &σ"), m_sigma);
    netLayout->setColumnStretch(1, 1);
    netLayout->setColumnStretch(3, 1);

    // --- the run
    m_progress = new QProgressBar;
    m_progress->setObjectName(QStringLiteral("deepProgress"));
    m_progress->setRange(0, kProgressSteps);
    m_progress->setValue(0);
    m_progress->setFormat(QStringLiteral("%p%"));
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setToolTip(tr("Stops the run within one layer; the combinations already finished are kept."));
    m_status = new QLabel(tr("Ready."));
    m_status->setObjectName(QStringLiteral("deepStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* runBox = new QGroupBox(tr("Run"));
    auto* runLayout = new QGridLayout(runBox);
    runLayout->addWidget(m_progress, 0, 0);
    runLayout->addWidget(m_cancel, 0, 1);
    runLayout->addWidget(m_status, 1, 0, 1, 2);

    auto* guide = new QLabel(
        tr("<ul style=\"margin-left:-20px\">"
           "<li><b>tanh</b>: the original heuristic has n·Var(w) = 1/3, so the signal shrinks about √3-fold per "
           "layer; Xavier keeps n·Var(w) = 1 and the signal fades only slowly, through tanh's saturation.</li>"
           "<li><b>ReLU</b> zeroes half the signal: with Xavier it shrinks √2-fold per layer; Kaiming's gain √2 "
           "makes up for it.</li>"
           "<li><b>Zeros</b>: every unit computes the same thing and the signal is gone from the first "
           "layer.</li>"
           "<li>Switch on <b>Mean-field theory</b> to compare with the infinitely wide net.</li></ul>"));
    guide->setObjectName(QStringLiteral("deepGuide"));
    guide->setWordWrap(true);
    guide->setTextFormat(Qt::RichText);
    auto* guideBox = new QGroupBox(tr("What to look for"));
    auto* guideLayout = new QVBoxLayout(guideBox);
    guideLayout->addWidget(guide);

    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(matrixBox);
    leftLayout->addWidget(netBox);
    leftLayout->addWidget(runBox);
    leftLayout->addWidget(guideBox);
    leftLayout->addStretch(1);
    left->setMaximumWidth(580);

    // --- the charts
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

    m_theory = new QCheckBox(tr("Mean-field theory"));
    m_theory->setObjectName(QStringLiteral("theoryToggle"));
    m_theory->setToolTip(
        tr("<p>Adds, dashed in each curve's colour, the activation std that mean-field theory predicts for an "
           "infinitely wide net with the same weight variance σ<sub>w</sub>²: q<sub>1</sub> = σ<sub>w</sub>² n, "
           "q<sub>l+1</sub> = σ<sub>w</sub>² n E[φ(h)²] with h ~ N(0, q<sub>l</sub>), predicted std = "
           "√Var[φ(h)].</p><p>Where a measured curve follows its dashed line, the width is large enough for "
           "the theory; where it leaves it, finite width or the symmetry of the init (zeros) decides.</p>"));
    m_preGrad = new QCheckBox(tr("Pre-activation gradient"));
    m_preGrad->setObjectName(QStringLiteral("preGradToggle"));
    m_preGrad->setToolTip(
        tr("<p>Adds, dotted in each curve's colour, the std of dL/dh, the gradient with respect to each "
           "layer's pre-activations h = W x, on the weight-gradient std chart.</p><p>This is the quantity of "
           "Glorot &amp; Bengio's analysis: on its way back it is multiplied at every layer by Wᵀ and φ'(h), so "
           "it is what vanishes or explodes. The weight gradient dL/dW = dL/dh · xᵀ also carries the size of "
           "the layer's input x, which is why the two curves can differ.</p>"));

    auto* toggles = new QHBoxLayout;
    toggles->addWidget(new QLabel(tr("Also draw:")));
    toggles->addWidget(m_theory);
    toggles->addWidget(m_preGrad);
    toggles->addStretch(1);
    auto* exportAllButton = new QPushButton(tr("Export all…"));
    exportAllButton->setObjectName(QStringLiteral("exportAllButton"));
    exportAllButton->setToolTip(tr("Writes the four charts as PNG, SVG and PDF and their data as CSV into a folder. "
                                   "Right-click a chart to export only that one."));
    connect(exportAllButton, &QPushButton::clicked, this, [this] { chartexport::exportAllInteractive(this, exportFigures()); });
    toggles->addWidget(exportAllButton);

    m_legend = new CurveLegend;

    auto* chartGrid = new QGridLayout;
    chartGrid->setSpacing(6);
    chartGrid->addWidget(m_charts[int(Chart::ActivationMean)], 0, 0);
    chartGrid->addWidget(m_charts[int(Chart::ActivationStd)], 0, 1);
    chartGrid->addWidget(m_charts[int(Chart::GradientMean)], 1, 0);
    chartGrid->addWidget(m_charts[int(Chart::GradientStd)], 1, 1);

    auto* right = new QVBoxLayout;
    right->addLayout(toggles);
    right->addWidget(m_legend);
    right->addLayout(chartGrid, 1);

    auto* layout = new QHBoxLayout(this);
    layout->addWidget(scrollableColumn(left, QStringLiteral("deepControlsScroll")));
    layout->addLayout(right, 1);

    // --- behaviour
    m_refreshTimer.setInterval(kRefreshIntervalMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &DeepPanel::refreshCharts);

    connect(m_matrix, &InitMatrix::combinationClicked, this, [this](const Combination& combination) {
        if (m_running)
            Q_EMIT statusMessage(tr("A run is going on: wait for it or cancel it first."));
        else
            run({combination});
    });
    connect(m_matrix, &InitMatrix::runSelectionRequested, this, [this] {
        if (m_running)
            Q_EMIT statusMessage(tr("A run is going on: wait for it or cancel it first."));
        else
            run(m_matrix->selectedCombinations());
    });
    connect(m_matrix, &QTableWidget::itemSelectionChanged, this, &DeepPanel::updateControls);
    connect(m_runSelected, &QPushButton::clicked, this, [this] { run(m_matrix->selectedCombinations()); });
    connect(m_report, &QPushButton::clicked, this, [this] {
        m_matrix->selectCombinations(reportCombinations());
        m_matrix->setFocus();
    });
    connect(m_clear, &QPushButton::clicked, this, &DeepPanel::clearResults);
    connect(m_cancel, &QPushButton::clicked, this, &DeepPanel::cancel);
    connect(m_sigma, &QDoubleSpinBox::valueChanged, m_matrix, &InitMatrix::setNormalStd);
    connect(m_theory, &QCheckBox::toggled, this, &DeepPanel::applyTheoryToggle);
    connect(m_preGrad, &QCheckBox::toggled, this, &DeepPanel::applyPreGradToggle);

    connect(m_worker, &ExperimentWorker::combinationStarted, this, &DeepPanel::onCombinationStarted);
    connect(m_worker, &ExperimentWorker::forwardLayer, this, &DeepPanel::onForwardLayer);
    connect(m_worker, &ExperimentWorker::backwardLayer, this, &DeepPanel::onBackwardLayer);
    connect(m_worker, &ExperimentWorker::combinationFinished, this, &DeepPanel::onCombinationFinished);
    connect(m_worker, &ExperimentWorker::progress, this, &DeepPanel::onProgress);
    connect(m_worker, &ExperimentWorker::finished, this, &DeepPanel::onFinished);

    for (LayerChart* chart : m_charts)
        chart->setLayerCount(m_depth->value());
    refreshCharts();
    updateControls();
}

bool DeepPanel::run(const std::vector<Combination>& combinations)
{
    return runConfig(configFor(combinations));
}

bool DeepPanel::runConfig(const DeepConfig& config)
{
    if (m_running || config.combinations.empty() || !m_worker)
        return false;
    m_running = true;
    m_cancelRequested = false;
    m_runConfig = config;
    m_runToShown.assign(config.combinations.size(), -1);
    m_progress->setValue(0);
    setStatus(config.combinations.size() == 1 ? tr("Starting …")
                                              : tr("Starting %1 combinations …").arg(config.combinations.size()));
    updateControls();
    m_clock.start();
    m_refreshTimer.start();
    m_worker->startDeep(config);
    Q_EMIT runStarted();
    return true;
}

bool DeepPanel::runReportCombinations()
{
    m_matrix->selectCombinations(reportCombinations());
    return run(reportCombinations());
}

void DeepPanel::cancel()
{
    if (!m_running || m_cancelRequested)
        return;
    m_cancelRequested = true;
    if (m_worker)
        m_worker->requestCancel();
    setStatus(tr("Cancelling …"));
    updateControls();
}

bool DeepPanel::isRunning() const
{
    return m_running;
}

DeepConfig DeepPanel::configFor(const std::vector<Combination>& combinations) const
{
    DeepConfig config;
    config.combinations = combinations;
    config.depth = m_depth->value();
    config.width = m_width->value();
    config.batch = m_batch->value();
    config.seed = std::uint64_t(m_seed->value());
    config.threads = m_threads->value();
    config.normalStd = m_sigma->value();
    return config;
}

DeepConfig DeepPanel::config() const
{
    return configFor(m_matrix->selectedCombinations());
}

void DeepPanel::setConfig(const DeepConfig& config)
{
    m_depth->setValue(config.depth);
    m_width->setValue(config.width);
    m_batch->setValue(config.batch);
    m_seed->setValue(int(std::min<std::uint64_t>(config.seed, std::uint64_t(m_seed->maximum()))));
    m_threads->setValue(config.threads);
    m_sigma->setValue(config.normalStd);
    m_matrix->selectCombinations(config.combinations);
    updateControls();
}

const DeepConfig& DeepPanel::runConfig() const
{
    return m_runConfig;
}

bool DeepPanel::showRecordedResult(const DeepConfig& config, const DeepResult& result)
{
    if (m_running)
        return false;
    // Replays the results through the handlers a live run uses, so the charts, legend and matrix
    // look exactly as they did when the run ended.
    DeepConfig shown = config;
    shown.combinations.clear();
    for (const CombinationResult& combination : result.combinations)
        shown.combinations.push_back(combination.combination);
    m_runConfig = shown;
    m_runToShown.assign(shown.combinations.size(), -1);
    m_running = true;
    for (std::size_t c = 0; c < result.combinations.size(); ++c) {
        const int index = int(c);
        onCombinationStarted(index);
        for (const LayerStats& layer : result.combinations[c].layers) {
            onForwardLayer({index, layer.layer, layer.actMean, layer.actStd, layer.theoryStd});
            onBackwardLayer({index, layer.layer, layer.gradMean, layer.gradStd, layer.preGradStd});
        }
        onCombinationFinished(index, result.combinations[c]);
    }
    m_running = false;
    m_matrix->setRunningCombination(std::nullopt);
    refreshCharts();
    m_progress->setValue(result.cancelled ? 0 : kProgressSteps);
    setStatus(tr("Showing a recorded run (%1 combinations, read from its CSV, not re-run).")
                  .arg(result.combinations.size()));
    updateControls();
    return true;
}

void DeepPanel::setDepth(int depth)
{
    m_depth->setValue(depth);
}

void DeepPanel::setWidth(int width)
{
    m_width->setValue(width);
}

void DeepPanel::setBatch(int batch)
{
    m_batch->setValue(batch);
}

InitMatrix* DeepPanel::matrix() const
{
    return m_matrix;
}

LayerChart* DeepPanel::chart(Chart which) const
{
    return m_charts[int(which)];
}

QList<NamedFigure> DeepPanel::exportFigures() const
{
    return {{QStringLiteral("deep_activation_mean"), m_charts[int(Chart::ActivationMean)]},
            {QStringLiteral("deep_activation_std"), m_charts[int(Chart::ActivationStd)]},
            {QStringLiteral("deep_gradient_mean"), m_charts[int(Chart::GradientMean)]},
            {QStringLiteral("deep_gradient_std"), m_charts[int(Chart::GradientStd)]}};
}

CurveLegend* DeepPanel::legend() const
{
    return m_legend;
}

QProgressBar* DeepPanel::progressBar() const
{
    return m_progress;
}

QPushButton* DeepPanel::runSelectedButton() const
{
    return m_runSelected;
}

QPushButton* DeepPanel::reportButton() const
{
    return m_report;
}

QPushButton* DeepPanel::cancelButton() const
{
    return m_cancel;
}

QPushButton* DeepPanel::clearButton() const
{
    return m_clear;
}

QCheckBox* DeepPanel::theoryToggle() const
{
    return m_theory;
}

QCheckBox* DeepPanel::preGradToggle() const
{
    return m_preGrad;
}

QLabel* DeepPanel::statusLabel() const
{
    return m_status;
}

int DeepPanel::curveOf(const Combination& combination, Chart which) const
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

void DeepPanel::onCombinationStarted(int combination)
{
    if (!m_running || combination < 0 || combination >= int(m_runToShown.size()))
        return;
    // Charts are cleared only once the run has really begun, so a run that fails validation leaves
    // the previous curves in place.
    const RunSettings settings{m_runConfig.depth, m_runConfig.width, m_runConfig.batch, m_runConfig.seed,
                               m_runConfig.normalStd};
    if (!m_shownSettings || *m_shownSettings != settings) {
        clearCharts();
        m_shownSettings = settings;
        for (LayerChart* chart : m_charts)
            chart->setLayerCount(settings.depth);
    }
    const Combination& current = m_runConfig.combinations[combination];
    m_runToShown[combination] = showCombination(current);
    m_matrix->setRunningCombination(current);
    setStatus(tr("Running %1 (%2/%3) …")
                  .arg(combinationTitle(current, m_runConfig.normalStd))
                  .arg(combination + 1)
                  .arg(m_runConfig.combinations.size()));
}

void DeepPanel::onForwardLayer(const ForwardLayerStats& stats)
{
    if (!m_running || stats.combination < 0 || stats.combination >= int(m_runToShown.size())
        || m_runToShown[stats.combination] < 0)
        return;
    const ShownCombination& shown = m_shown[m_runToShown[stats.combination]];
    m_charts[int(Chart::ActivationMean)]->setValue(shown.actMean, stats.layer, std::abs(stats.actMean));
    m_charts[int(Chart::ActivationStd)]->setValue(shown.actStd, stats.layer, stats.actStd);
    m_charts[int(Chart::ActivationStd)]->setValue(shown.theoryStd, stats.layer, stats.theoryStd);
}

void DeepPanel::onBackwardLayer(const BackwardLayerStats& stats)
{
    if (!m_running || stats.combination < 0 || stats.combination >= int(m_runToShown.size())
        || m_runToShown[stats.combination] < 0)
        return;
    const ShownCombination& shown = m_shown[m_runToShown[stats.combination]];
    m_charts[int(Chart::GradientMean)]->setValue(shown.gradMean, stats.layer, std::abs(stats.gradMean));
    m_charts[int(Chart::GradientStd)]->setValue(shown.gradStd, stats.layer, stats.gradStd);
    m_charts[int(Chart::GradientStd)]->setValue(shown.preGradStd, stats.layer, stats.preGradStd);
}

void DeepPanel::onCombinationFinished(int combination, const CombinationResult& result)
{
    if (!m_running || result.layers.empty())
        return;
    Q_UNUSED(combination);
    m_matrix->setResult(result.combination, result.layers.back().actStd, settingsText(m_runConfig, result.combination));
}

void DeepPanel::onProgress(double fraction)
{
    if (m_running)
        m_progress->setValue(int(std::lround(std::clamp(fraction, 0.0, 1.0) * kProgressSteps)));
}

void DeepPanel::onFinished(const DeepResult& result)
{
    if (!m_running)
        return;
    m_running = false;
    m_refreshTimer.stop();
    refreshCharts();
    m_matrix->setRunningCombination(std::nullopt);

    const double seconds = m_clock.elapsed() / 1000.0;
    const int total = int(m_runConfig.combinations.size());
    const int done = int(result.combinations.size());
    if (!result.error.empty()) {
        setStatus(tr("Error: %1.").arg(QString::fromStdString(result.error)), true);
    } else if (result.cancelled) {
        setStatus(tr("Cancelled after %1 s (%2 of %3 combinations finished).").arg(seconds, 0, 'f', 1).arg(done).arg(total));
    } else {
        double flops = 0.0;
        double busySeconds = 0.0;
        for (const CombinationResult& combination : result.combinations) {
            flops += combination.gemmFlops;
            busySeconds += combination.seconds;
        }
        QString text = tr("Finished in %1 s").arg(seconds, 0, 'f', 1);
        if (busySeconds > 0.0) {
            const QString gflops = QString::number(flops / busySeconds / 1e9, 'f', 1);
            text += done == 1 ? tr(" (matrix products at %1 GFLOP/s).").arg(gflops)
                              : tr(" (%1 combinations, matrix products at %2 GFLOP/s).").arg(done).arg(gflops);
        } else {
            text += QLatin1Char('.');
        }
        setStatus(text);
        m_progress->setValue(kProgressSteps);
    }
    updateControls();
    Q_EMIT runFinished(result);
}

int DeepPanel::showCombination(const Combination& combination)
{
    for (std::size_t i = 0; i < m_shown.size(); ++i) {
        ShownCombination& shown = m_shown[i];
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
    m_charts[int(Chart::ActivationStd)]->setCurveVisible(shown.theoryStd, m_theory->isChecked());
    m_charts[int(Chart::GradientStd)]->setCurveVisible(shown.preGradStd, m_preGrad->isChecked());
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

QColor DeepPanel::nextColor() const
{
    for (const QRgb rgb : kPalette) {
        const QColor color(rgb);
        if (std::none_of(m_shown.begin(), m_shown.end(), [&](const ShownCombination& s) { return s.color == color; }))
            return color;
    }
    return QColor(kPalette[m_shown.size() % kPalette.size()]);
}

void DeepPanel::clearCharts()
{
    for (LayerChart* chart : m_charts) {
        chart->clearCurves();
        chart->refresh();
    }
    m_shown.clear();
    m_shownSettings.reset();
    updateLegend();
}

void DeepPanel::clearResults()
{
    if (m_running)
        return;
    clearCharts();
    m_matrix->clearResults();
    m_progress->setValue(0);
    setStatus(tr("Ready."));
}

void DeepPanel::refreshCharts()
{
    for (LayerChart* chart : m_charts)
        chart->refresh();
}

void DeepPanel::updateLegend()
{
    QList<CurveLegend::Entry> entries;
    for (const ShownCombination& shown : m_shown)
        entries.append({shown.name, shown.color, Qt::SolidLine});
    const QColor explanation(128, 128, 128); // a mid grey reads on light and dark palettes
    if (!m_shown.empty() && m_theory->isChecked())
        entries.append({tr("mean-field theory (activation std)"), explanation, Qt::DashLine});
    if (!m_shown.empty() && m_preGrad->isChecked())
        entries.append({tr("std of dL/dh (weight-gradient std)"), explanation, Qt::DotLine});
    m_legend->setEntries(entries);
}

void DeepPanel::updateControls()
{
    m_runSelected->setEnabled(!m_running && !m_matrix->selectedCombinations().empty());
    m_report->setEnabled(!m_running);
    m_clear->setEnabled(!m_running);
    m_cancel->setEnabled(m_running && !m_cancelRequested);
}

void DeepPanel::setStatus(const QString& text, bool isError)
{
    m_status->setText(text);
    // Errors in red so they are not mistaken for a finished run.
    // A mid-tone red that reads on light and dark palettes.
    m_status->setStyleSheet(isError ? QStringLiteral("color: #d93a4a; font-weight: bold;") : QString());
    Q_EMIT statusMessage(text);
}

void DeepPanel::applyTheoryToggle()
{
    LayerChart* chart = m_charts[int(Chart::ActivationStd)];
    for (const ShownCombination& shown : m_shown)
        chart->setCurveVisible(shown.theoryStd, m_theory->isChecked());
    chart->refresh();
    updateLegend();
}

void DeepPanel::applyPreGradToggle()
{
    LayerChart* chart = m_charts[int(Chart::GradientStd)];
    for (const ShownCombination& shown : m_shown)
        chart->setCurveVisible(shown.preGradStd, m_preGrad->isChecked());
    chart->refresh();
    updateLegend();
}

QString DeepPanel::settingsText(const DeepConfig& config, const Combination& combination) const
{
    QString text = tr("Run with depth %1, width %2, batch %3, seed %4")
                       .arg(config.depth)
                       .arg(config.width)
                       .arg(config.batch)
                       .arg(config.seed);
    if (combination.init == InitScheme::Normal)
        text += tr(", σ = %1").arg(config.normalStd, 0, 'g', 4);
    return text + QLatin1Char('.');
}

} // namespace initlab::ui

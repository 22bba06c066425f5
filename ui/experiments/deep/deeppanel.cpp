#include "deeppanel.h"

#include "deepworker.h"
#include "initmatrix.h"
#include "sigmaslider.h"

#include "common/colorbar.h"
#include "common/formatting.h"
#include "common/formfields.h"
#include "common/names.h"
#include "experiments/experimentfileio.h"
#include "figures/deepdistributionfigures.h"
#include "figures/deepfigures.h"

#include "initlab/blas.h"
#include "initlab/meanfield.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTabWidget>
#include <QThread>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace initlab::ui {

DeepPanel::DeepPanel(DeepWorker* worker, QWidget* parent)
    : ExperimentPanel(ExperimentKind::Deep, worker, parent)
{
    registerMetaTypes();
    auto* layout = new QHBoxLayout(this);
    layout->addWidget(scrollableColumn(buildSettings(), QStringLiteral("deepControlsScroll")));
    layout->addWidget(buildViews(), 1);
    connectParts();
    m_figures->setLayerCount(m_depth->value());
    m_distributions->setLayerCount(m_depth->value());
    m_sigmaSlider->setWidth(m_width->value());
    m_sigmaSlider->setSigma(m_sigma->value());
    updateControls();
}

// The matrix with its buttons, the net and data fields, the run and a short guide, in one column.
QWidget* DeepPanel::buildSettings()
{
    auto* column = new QWidget;
    auto* layout = new QVBoxLayout(column);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildMatrixBox());
    layout->addWidget(buildNetBox());
    layout->addWidget(buildRunBox());
    layout->addWidget(buildGuideBox());
    layout->addStretch(1);
    column->setMaximumWidth(580);
    return column;
}

// The init × activation matrix, its colour bar and its buttons.
QGroupBox* DeepPanel::buildMatrixBox()
{
    m_matrix = new InitMatrix;
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
    matrixLayout->addWidget(new SignalColorBar);
    m_sigmaSlider = new SigmaSlider;
    matrixLayout->addWidget(m_sigmaSlider);
    matrixLayout->addWidget(hint);
    matrixLayout->addLayout(matrixButtons);
    return matrixBox;
}

QGroupBox* DeepPanel::buildNetBox()
{
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
    m_sigma = makeDoubleSpin(0.0, 10.0, 0.1, 4, 0.01, QStringLiteral("sigmaSpin"),
                             tr("Standard deviation σ of the Normal(σ) scheme's weights, N(0, σ²). Only that row "
                                "uses it."));
    m_bf16 = new QCheckBox(tr("bf16 products"));
    m_bf16->setObjectName(QStringLiteral("deepBf16Toggle"));
    m_bf16->setToolTip(tr("Runs the matrix products in bfloat16 through oneDNN and keeps the activations and "
                          "gradients in bfloat16: about twice as fast where the CPU has bf16 instructions "
                          "(AVX-512-BF16, AMX). The activation statistics stay within 1 % of float32's; the "
                          "weight-gradient statistics can move by several percent (see the guide, F1)."));
    if (!initlab::cpuHasBf16()) {
        // Without bf16 instructions oneDNN emulates bf16, slower than float32: nothing to gain.
        m_bf16->setEnabled(false);
        m_bf16->setToolTip(m_bf16->toolTip() + tr(" This CPU has no bf16 instructions, so the option is off."));
    }
    auto* netBox = new QGroupBox(tr("Net and data"));
    auto* netLayout = new QGridLayout(netBox);
    addGridField(netLayout, 0, 0, tr("&Depth"), m_depth);
    addGridField(netLayout, 0, 1, tr("&Width"), m_width);
    addGridField(netLayout, 1, 0, tr("&Batch"), m_batch);
    addGridField(netLayout, 1, 1, tr("S&eed"), m_seed);
    addGridField(netLayout, 2, 0, tr("&Threads"), m_threads);
    addGridField(netLayout, 2, 1, tr("Normal &σ"), m_sigma);
    netLayout->addWidget(m_bf16, 3, 1, 1, 2);
    netLayout->setColumnStretch(1, 1);
    netLayout->setColumnStretch(3, 1);
    return netBox;
}

QGroupBox* DeepPanel::buildRunBox()
{
    cancelButton()->setToolTip(tr("Stops the run within one layer; the combinations already finished are kept."));
    auto* runBox = new QGroupBox(tr("Run"));
    auto* runLayout = new QGridLayout(runBox);
    runLayout->addWidget(progressBar(), 0, 0);
    runLayout->addWidget(cancelButton(), 0, 1);
    runLayout->addWidget(statusLabel(), 1, 0, 1, 2);
    return runBox;
}

QGroupBox* DeepPanel::buildGuideBox()
{
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
    return guideBox;
}

// The companion-curve toggles and Export all above the figures.
QWidget* DeepPanel::buildViews()
{
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
    exportAllButton()->setToolTip(tr("Writes the charts of both pages as PNG, SVG and PDF and their data as CSV "
                                     "into a folder. Right-click a chart to export only that one."));
    auto* toggles = new QHBoxLayout;
    toggles->addWidget(new QLabel(tr("Also draw:")));
    toggles->addWidget(m_theory);
    toggles->addWidget(m_preGrad);
    toggles->addStretch(1);
    toggles->addWidget(exportAllButton());

    m_figures = new DeepFigures;
    auto* statistics = new QWidget;
    auto* statisticsLayout = new QVBoxLayout(statistics);
    statisticsLayout->setContentsMargins(4, 4, 4, 4);
    statisticsLayout->addLayout(toggles);
    statisticsLayout->addWidget(m_figures, 1);
    m_distributions = new DeepDistributionFigures;
    // A combination has the same colour on both pages.
    m_distributions->setColorSource([this](const Combination& combination) { return m_figures->colorOf(combination); });
    auto* distributions = new QWidget;
    auto* distributionsLayout = new QVBoxLayout(distributions);
    distributionsLayout->setContentsMargins(4, 4, 4, 4);
    distributionsLayout->addWidget(m_distributions, 1);
    m_viewTabs = new QTabWidget;
    m_viewTabs->setObjectName(QStringLiteral("deepViewTabs"));
    m_viewTabs->addTab(statistics, tr("Statistics"));
    m_viewTabs->addTab(distributions, tr("Distributions"));
    m_viewTabs->setTabToolTip(0, tr("Mean and std of the activations and of the weight gradients per layer."));
    m_viewTabs->setTabToolTip(1, tr("The histograms behind those numbers: per layer, where the units' activations "
                                    "and gradients lie, and how many are saturated or exactly zero."));
    return m_viewTabs;
}

// What the controls and the worker's signals do.
void DeepPanel::connectParts()
{
    connect(m_matrix, &InitMatrix::combinationClicked, this, &DeepPanel::clickCombination);
    connect(m_matrix, &InitMatrix::runSelectionRequested, this,
            [this] { runClicked(m_matrix->selectedCombinations()); });
    connect(m_matrix, &QTableWidget::itemSelectionChanged, this, &DeepPanel::updateControls);
    connect(m_runSelected, &QPushButton::clicked, this, [this] { run(m_matrix->selectedCombinations()); });
    connect(m_report, &QPushButton::clicked, this, [this] {
        m_matrix->selectCombinations(reportCombinations());
        m_matrix->setFocus();
    });
    connect(m_clear, &QPushButton::clicked, this, &DeepPanel::clearResults);
    connect(m_sigma, &QDoubleSpinBox::valueChanged, m_matrix, &InitMatrix::setNormalStd);
    connect(m_sigma, &QDoubleSpinBox::valueChanged, m_sigmaSlider, &SigmaSlider::setSigma);
    connect(m_width, &QSpinBox::valueChanged, m_sigmaSlider, &SigmaSlider::setWidth);
    connect(m_sigmaSlider, &SigmaSlider::sigmaDragged, this, &DeepPanel::onSigmaDragged);
    connect(m_theory, &QCheckBox::toggled, m_figures, &DeepFigures::setTheoryVisible);
    connect(m_preGrad, &QCheckBox::toggled, m_figures, &DeepFigures::setPreGradVisible);

    DeepWorker* worker = deepWorker();
    connect(worker, &DeepWorker::phaseStarted, this, &DeepPanel::onPhaseStarted);
    connect(worker, &DeepWorker::previewFinished, this, &DeepPanel::onPreviewFinished);
    connect(worker, &DeepWorker::combinationStarted, this, &DeepPanel::onCombinationStarted);
    connect(worker, &DeepWorker::forwardLayer, this, [this](const ForwardLayerStats& stats) {
        if (isRunning()) {
            m_figures->forwardLayer(stats);
            m_distributions->forwardLayer(stats);
        }
    });
    connect(worker, &DeepWorker::backwardLayer, this, [this](const BackwardLayerStats& stats) {
        if (isRunning()) {
            m_figures->backwardLayer(stats);
            m_distributions->backwardLayer(stats);
        }
    });
    connect(worker, &DeepWorker::combinationFinished, this, &DeepPanel::onCombinationFinished);
    connect(worker, &DeepWorker::finished, this, &DeepPanel::onFinished);
}

DeepWorker* DeepPanel::deepWorker() const
{
    return static_cast<DeepWorker*>(worker());
}

bool DeepPanel::start()
{
    const std::vector<Combination> selected = m_matrix->selectedCombinations();
    return selected.empty() ? runReportCombinations() : run(selected);
}

bool DeepPanel::startReportDefault()
{
    return runReportCombinations();
}

bool DeepPanel::clickCombination(const Combination& combination)
{
    m_sigmaSlider->setActivation(combination.activation);
    return runClicked({combination});
}

bool DeepPanel::runClicked(const std::vector<Combination>& combinations)
{
    if (!isRunning())
        return run(combinations);
    Q_EMIT statusMessage(tr("A run is going on: wait for it or cancel it first."));
    return false;
}

bool DeepPanel::run(const std::vector<Combination>& combinations)
{
    // A field holding what is not a number in its range keeps a value() that was not typed.
    if (const QWidget* invalid = isRunning() ? nullptr : firstInvalidInput(this)) {
        setStatus(tr("Cannot start: %1.").arg(inputProblem(invalid)), true);
        return false;
    }
    return runConfig(configFor(combinations));
}

bool DeepPanel::runConfig(const DeepConfig& config)
{
    const bool preview = m_previewFirst && config.batch > kPreviewBatch;
    return startRun(config, preview ? RunKind::PreviewThenFull : RunKind::Full);
}

bool DeepPanel::startRun(const DeepConfig& config, RunKind kind)
{
    if (isRunning() || config.combinations.empty() || !deepWorker())
        return false;
    m_runKind = kind;
    m_inPreview = false;
    m_previewMs = -1;
    m_runConfig = kind == RunKind::PreviewOnly ? previewConfig(config) : config;
    m_figures->beginRun(m_runConfig);
    m_distributions->beginRun(m_runConfig);
    m_figures->setPreview(kind == RunKind::PreviewOnly, m_runConfig.batch);
    const QString status = m_runConfig.combinations.size() == 1
        ? tr("Starting …")
        : tr("Starting %1 combinations …").arg(m_runConfig.combinations.size());
    // A preview of the σ slider is a glance, not a run to keep: it leaves no record.
    if (!beginRun(status, kind != RunKind::PreviewOnly))
        return false;
    m_runClock.start();
    deepWorker()->startDeep(m_runConfig, kind == RunKind::PreviewThenFull);
    return true;
}

void DeepPanel::setPreviewFirst(bool on)
{
    m_previewFirst = on;
}

qint64 DeepPanel::previewMs() const
{
    return m_previewMs;
}

bool DeepPanel::isPreviewing() const
{
    return isRunning() && (m_inPreview || m_runKind == RunKind::PreviewOnly);
}

void DeepPanel::onPhaseStarted(bool preview)
{
    if (!isRunning())
        return;
    m_inPreview = preview;
    if (preview)
        m_figures->setPreview(true, kPreviewBatch);
}

void DeepPanel::onPreviewFinished(const DeepResult& result)
{
    if (!isRunning() || result.cancelled || !result.error.empty())
        return;
    m_figures->refresh(); // the preview's curves are complete: draw them now, not at the next tick
    m_previewMs = m_runClock.elapsed();
    if (!isCancelRequested())
        setStatus(tr("Preview on %1 vectors drawn in %2 s; the full batch of %3 now replaces it layer by layer …")
                      .arg(kPreviewBatch)
                      .arg(m_previewMs / 1000.0, 0, 'f', 2)
                      .arg(m_runConfig.batch));
    Q_EMIT previewShown(m_previewMs);
}

void DeepPanel::onSigmaDragged(double sigma)
{
    setFieldValue(m_sigma, sigma);
    const Combination combination{InitScheme::Normal, m_sigmaSlider->activation()};
    // The mean-field curve follows at once; the measured one when the preview is back.
    m_figures->setTheoryValues(combination, meanFieldActivationStd(combination.activation, sigma, m_width->value(),
                                                                   m_depth->value()));
    m_theory->setChecked(true);
    if (!isRunning()) {
        startSliderPreview(sigma);
    } else if (m_runKind == RunKind::PreviewOnly) {
        m_pendingSigma = sigma; // at most one preview in flight: the newest σ runs when it ends
    } else {
        Q_EMIT statusMessage(tr("A run is going on: the σ slider's preview waits for it, or cancel it first."));
    }
}

void DeepPanel::startSliderPreview(double sigma)
{
    DeepConfig config = configFor({{InitScheme::Normal, m_sigmaSlider->activation()}});
    config.normalStd = sigma;
    if (const QWidget* invalid = firstInvalidInput(this)) {
        setStatus(tr("Cannot start: %1.").arg(inputProblem(invalid)), true);
        return;
    }
    startRun(config, RunKind::PreviewOnly);
}

bool DeepPanel::runReportCombinations()
{
    m_matrix->selectCombinations(reportCombinations());
    return run(reportCombinations());
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
    config.histograms = true; // the Distributions page draws them
    config.bf16 = m_bf16->isEnabled() && m_bf16->isChecked();
    return config;
}

DeepConfig DeepPanel::config() const
{
    return configFor(m_matrix->selectedCombinations());
}

void DeepPanel::setConfig(const DeepConfig& config)
{
    setFieldValue(m_depth, config.depth);
    setFieldValue(m_width, config.width);
    setFieldValue(m_batch, config.batch);
    setFieldValue(m_seed, qint64(std::min<std::uint64_t>(config.seed, std::numeric_limits<qint64>::max())));
    setFieldValue(m_threads, config.threads);
    setFieldValue(m_sigma, config.normalStd);
    m_bf16->setChecked(config.bf16);
    m_matrix->selectCombinations(config.combinations);
    updateControls();
}

const DeepConfig& DeepPanel::runConfig() const
{
    return m_runConfig;
}

std::string DeepPanel::experimentJson() const
{
    return experimentFileJson(config());
}

void DeepPanel::applyExperiment(const ExperimentFile& file)
{
    if (file.kind == ExperimentKind::Deep)
        setConfig(file.deep);
}

bool DeepPanel::showRecord(const RunRecord& record, QString* error)
{
    const auto fail = [error](const QString& why) {
        if (error)
            *error = why;
        return false;
    };
    if (isRunning())
        return fail(tr("a deep run is going on"));
    DeepResult result;
    QString problem;
    if (!readDeepRecord(record, result, problem))
        return fail(problem);
    applyExperiment(record.experiment);
    return showRecordedResult(record.experiment.deep, result) || fail(tr("a deep run is going on"));
}

bool DeepPanel::rerun(const RunRecord& record)
{
    applyExperiment(record.experiment);
    return runConfig(record.experiment.deep);
}

bool DeepPanel::showRecordedResult(const DeepConfig& config, const DeepResult& result)
{
    if (isRunning())
        return false;
    m_figures->showResult(config, result);
    m_distributions->showResult(config, result);
    m_figures->setPreview(false);
    m_runConfig = config;
    m_runConfig.combinations.clear();
    for (const CombinationResult& combination : result.combinations) {
        m_runConfig.combinations.push_back(combination.combination);
        if (!combination.layers.empty()) {
            m_matrix->setResult(combination.combination, combination.layers.back().actStd,
                                settingsText(m_runConfig, combination.combination));
            m_matrix->setLastLayerShares(combination.combination, combination.layers.back().saturatedFrac,
                                         combination.layers.back().zeroFrac);
        }
    }
    m_matrix->setRunningCombination(std::nullopt);
    setProgress(result.cancelled ? 0.0 : 1.0);
    setStatus(tr("Showing a recorded run (%1 combinations, read from its CSV, not re-run).")
                  .arg(result.combinations.size()));
    updateControls();
    return true;
}

void DeepPanel::setDepth(int depth)
{
    setFieldValue(m_depth, depth);
}

void DeepPanel::setWidth(int width)
{
    setFieldValue(m_width, width);
}

void DeepPanel::setBatch(int batch)
{
    setFieldValue(m_batch, batch);
}

DeepFigures* DeepPanel::figures() const
{
    return m_figures;
}

DeepDistributionFigures* DeepPanel::distributions() const
{
    return m_distributions;
}

void DeepPanel::showView(View view)
{
    m_viewTabs->setCurrentIndex(view == View::Statistics ? 0 : 1);
}

DeepPanel::View DeepPanel::view() const
{
    return m_viewTabs->currentIndex() == 0 ? View::Statistics : View::Distributions;
}

SigmaSlider* DeepPanel::sigmaSlider() const
{
    return m_sigmaSlider;
}

QList<NamedFigure> DeepPanel::exportFigures() const
{
    return m_figures->exportFigures() + m_distributions->exportFigures();
}

void DeepPanel::onCombinationStarted(int combination)
{
    if (!isRunning() || combination < 0 || combination >= int(m_runConfig.combinations.size()))
        return;
    // The figures clear earlier curves of other settings only now that the run has really begun, so a
    // run that fails validation leaves them in place. After a preview, the full batch's layers
    // replace the preview's one by one, so the curves stay complete.
    m_figures->combinationStarted(combination, m_runKind == RunKind::PreviewThenFull && !m_inPreview);
    m_distributions->combinationStarted(combination, m_runKind == RunKind::PreviewThenFull && !m_inPreview);
    const Combination& current = m_runConfig.combinations[std::size_t(combination)];
    m_matrix->setRunningCombination(current);
    if (!isCancelRequested())
        setStatus((isPreviewing() ? tr("Preview of %1 on %4 vectors (%2/%3) …") : tr("Running %1 (%2/%3) … %4"))
                      .arg(combinationTitle(current, m_runConfig.normalStd))
                      .arg(combination + 1)
                      .arg(m_runConfig.combinations.size())
                      .arg(isPreviewing() ? QString::number(kPreviewBatch)
                           : m_previewMs >= 0 ? tr("(replacing the preview drawn in %1 s)").arg(m_previewMs / 1000.0, 0, 'f', 2)
                                              : QString())
                      .trimmed());
}

void DeepPanel::onCombinationFinished(int, const CombinationResult& result)
{
    if (!isRunning() || result.layers.empty())
        return;
    QString text = settingsText(m_runConfig, result.combination);
    if (isPreviewing())
        text += tr(" A preview on %1 vectors.").arg(kPreviewBatch);
    m_matrix->setResult(result.combination, result.layers.back().actStd, text);
    m_matrix->setLastLayerShares(result.combination, result.layers.back().saturatedFrac, result.layers.back().zeroFrac);
}

void DeepPanel::onFinished(const DeepResult& result)
{
    if (!isRunning())
        return;
    endRun();
    m_matrix->setRunningCombination(std::nullopt);
    if (m_runKind == RunKind::PreviewOnly) {
        // The σ slider's glance: no record; the newest σ dragged to meanwhile runs next.
        if (!result.error.empty())
            setStatus(tr("Error: %1.").arg(QString::fromStdString(result.error)), true);
        else if (!result.cancelled)
            setStatus(tr("Preview of σ = %1 on %2 vectors in %3 s. Drag on, or click the cell for the full batch.")
                          .arg(m_runConfig.normalStd, 0, 'g', 4)
                          .arg(m_runConfig.batch)
                          .arg(elapsedMs() / 1000.0, 0, 'f', 2));
        Q_EMIT runFinished(result);
        if (m_pendingSigma && !result.cancelled) {
            const double sigma = *m_pendingSigma;
            m_pendingSigma.reset();
            startSliderPreview(sigma);
        }
        m_pendingSigma.reset();
        return;
    }
    m_inPreview = false;
    if (result.error.empty() && !result.cancelled)
        m_figures->setPreview(false);
    if (!result.error.empty()) {
        setStatus(tr("Error: %1.").arg(QString::fromStdString(result.error)), true);
    } else {
        setStatus(finishedText(result));
        if (!result.cancelled)
            setProgress(1.0);
    }
    Q_EMIT runEnded(deepOutcome(m_runConfig, result));
    Q_EMIT runFinished(result);
}

QString DeepPanel::finishedText(const DeepResult& result) const
{
    const QString seconds = QString::number(elapsedMs() / 1000.0, 'f', 1);
    const int total = int(m_runConfig.combinations.size());
    const int done = int(result.combinations.size());
    if (result.cancelled)
        return tr("Cancelled after %1 s (%2 of %3 combinations finished).").arg(seconds).arg(done).arg(total);
    double flops = 0.0;
    double busySeconds = 0.0;
    for (const CombinationResult& combination : result.combinations) {
        flops += combination.gemmFlops;
        busySeconds += combination.seconds;
    }
    QString text = tr("Finished in %1 s").arg(seconds);
    if (busySeconds <= 0.0)
        return text + QLatin1Char('.');
    const QString gflops = QString::number(flops / busySeconds / 1e9, 'f', 1);
    return text
        + (done == 1 ? tr(" (matrix products at %1 GFLOP/s).").arg(gflops)
                     : tr(" (%1 combinations, matrix products at %2 GFLOP/s).").arg(done).arg(gflops));
}

void DeepPanel::clearResults()
{
    if (isRunning())
        return;
    m_figures->clear();
    m_distributions->clear();
    m_figures->setPreview(false);
    m_matrix->clearResults();
    setProgress(0.0);
    setStatus(tr("Ready."));
}

void DeepPanel::refreshViews()
{
    m_figures->refresh();
    m_distributions->refresh();
}

void DeepPanel::updateControls()
{
    m_runSelected->setEnabled(!isRunning() && !m_matrix->selectedCombinations().empty());
    m_report->setEnabled(!isRunning());
    m_clear->setEnabled(!isRunning());
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

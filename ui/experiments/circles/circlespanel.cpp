#include "circlespanel.h"

#include "experiments/experimentfileio.h"

#include "figures/boundarycanvas.h"
#include "figures/circlescomparisongrid.h"
#include "figures/circlescurvechart.h"
#include "common/formatting.h"
#include "common/formfields.h"
#include "common/palette.h"
#include "circlessummarytable.h"
#include "circlesworker.h"
#include "figures/chartexport.h"
#include "common/curvelegend.h"
#include "common/names.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QResizeEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace initlab::ui {
namespace {

// How often the runner reports: ~12 boundary images a second, history in blocks of that age.
constexpr int kReportIntervalMs = 80;
constexpr int kDataDelayMs = 120; // regenerate the data preview once typing pauses

} // namespace

// Adds a "label field" pair to a flow grid, the label's tooltip that of its field.
void CirclesPanel::addFlowField(FlowGrid& grid, const QString& text, QWidget* field)
{
    auto* label = new QLabel(text);
    label->setBuddy(field);
    label->setToolTip(field->toolTip());
    // No taller than the text: a tall window's spare height must not spread the rows apart.
    label->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    grid.items.append({label, field});
}

void CirclesPanel::arrangeControls(bool narrow)
{
    for (FlowGrid& flow : m_flowGrids) {
        const int perRow = narrow ? flow.narrowColumns : flow.wideColumns;
        for (const QList<QWidget*>& item : flow.items)
            for (QWidget* widget : item)
                flow.layout->removeWidget(widget);
        // The grid keeps the columns it once had; only those of this arrangement may stretch.
        for (int column = 0; column < flow.layout->columnCount(); ++column)
            flow.layout->setColumnStretch(column, 0);
        for (qsizetype i = 0; i < flow.items.size(); ++i) {
            const QList<QWidget*>& item = flow.items[i];
            const int row = int(i) / perRow;
            const int first = int(i) % perRow * int(item.size());
            for (qsizetype j = 0; j < item.size(); ++j)
                flow.layout->addWidget(item[j], row, first + int(j));
        }
        if (!flow.items.isEmpty() && flow.items.first().size() == 2) {
            for (int column = 0; column < perRow; ++column)
                flow.layout->setColumnStretch(2 * column + 1, 1); // the fields take the spare width
        } else {
            flow.layout->setColumnStretch(perRow, 1); // check boxes stay packed on the left
        }
    }
    // Size hints are cached up the tree and refreshed by layout events; measuring the column right
    // after re-arranging it needs them cleared now.
    QWidget* controls = m_controlsScroll->widget();
    for (const FlowGrid& flow : m_flowGrids)
        for (QWidget* widget = flow.layout->parentWidget(); widget; widget = widget->parentWidget()) {
            if (widget->layout())
                widget->layout()->invalidate();
            widget->updateGeometry();
            if (widget == controls)
                break;
        }
    // The data box grows with a tall window only as far as the preview does: beyond, its fields
    // would spread apart.
    if (QWidget* dataBox = m_dataView->parentWidget()) {
        dataBox->setMaximumHeight(QWIDGETSIZE_MAX);
        dataBox->setMaximumHeight(dataBox->minimumSizeHint().height() + m_dataView->maximumHeight()
                                  - m_dataView->minimumHeight());
    }
    m_narrowControls = narrow;
    // The column is as wide as this arrangement needs, and may shrink to the narrow one's width
    // before the next resize event re-arranges it.
    m_controlsScroll->setMaximumWidth(m_controlsScroll->widget()->minimumSizeHint().width()
                                      + m_controlsScroll->verticalScrollBar()->sizeHint().width());
}

void CirclesPanel::resizeEvent(QResizeEvent* event)
{
    // Two settings a row when the views keep their minimum width beside the wide column.
    const QMargins margins = layout()->contentsMargins();
    const int chrome = margins.left() + margins.right() + layout()->spacing()
                       + m_viewsScroll->verticalScrollBar()->sizeHint().width();
    const bool narrow = event->size().width()
                        < m_wideControlsWidth + m_viewsScroll->widget()->minimumSizeHint().width() + chrome;
    if (narrow != m_narrowControls)
        arrangeControls(narrow);
    QWidget::resizeEvent(event);
}

CirclesPanel::CirclesPanel(CirclesWorker* worker, QWidget* parent)
    : ExperimentPanel(ExperimentKind::Circles, worker, parent)
{
    registerMetaTypes();

    m_controlsScroll = new QScrollArea;
    m_controlsScroll->setObjectName(QStringLiteral("circlesControlsScroll"));
    m_controlsScroll->setWidget(buildControls());
    m_controlsScroll->setWidgetResizable(true);
    m_controlsScroll->setFrameShape(QFrame::NoFrame);
    m_controlsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // As narrow as the controls allow: the charts, canvases and table need the width more. The
    // narrow arrangement's width is the column's minimum, so that the window's minimum width never
    // depends on the arrangement it happens to have. Polished first: the style sets the sizes.
    m_controlsScroll->widget()->ensurePolished();
    arrangeControls(true);
    m_controlsScroll->setMinimumWidth(m_controlsScroll->maximumWidth());
    arrangeControls(false);
    m_wideControlsWidth = m_controlsScroll->maximumWidth();

    // The views fit beside the narrow column on a 1280-pixel screen; a window shorter than they
    // need scrolls them up and down, never sideways.
    m_viewsScroll = new QScrollArea;
    m_viewsScroll->setObjectName(QStringLiteral("circlesViewsScroll"));
    m_viewsScroll->setWidget(buildViews());
    m_viewsScroll->setWidgetResizable(true);
    m_viewsScroll->setFrameShape(QFrame::NoFrame);

    auto* column = new QVBoxLayout;
    column->addWidget(m_controlsScroll, 1);
    column->addWidget(m_runBox);
    auto* layout = new QHBoxLayout(this);
    layout->addLayout(column);
    layout->addWidget(m_viewsScroll, 1);

    m_dataTimer.setSingleShot(true);
    m_dataTimer.setInterval(kDataDelayMs);
    connect(&m_dataTimer, &QTimer::timeout, this, &CirclesPanel::updateDataView);

    connect(worker, &CirclesWorker::historyReady, this, &CirclesPanel::onHistory);
    connect(worker, &CirclesWorker::boundaryReady, this, &CirclesPanel::onBoundary);
    connect(worker, &CirclesWorker::diverged, this, &CirclesPanel::onDiverged);
    connect(worker, &CirclesWorker::finished, this, &CirclesPanel::onFinished);

    updateDataView();
    rebuildCharts();
    updateControls();
}

QWidget* CirclesPanel::buildControls()
{
    // --- data
    m_centerX = makeDoubleSpin(-1000, 1000, 10, 2, 1, QStringLiteral("centerXSpin"),
                               tr("x of the rings' common centre. The report used (10, 10): far from the origin, "
                                  "which is what makes raw inputs hard for the net."));
    m_centerY
        = makeDoubleSpin(-1000, 1000, 10, 2, 1, QStringLiteral("centerYSpin"), tr("y of the rings' common centre."));
    m_innerRadius = makeDoubleSpin(0, 1000, 1, 2, 0.5, QStringLiteral("innerRadiusSpin"),
                                   tr("Radius of the inner ring, class 0."));
    m_outerRadius = makeDoubleSpin(0, 1000, 4, 2, 0.5, QStringLiteral("outerRadiusSpin"),
                                   tr("Radius of the outer ring, class 1."));
    m_noise
        = makeDoubleSpin(0, 1000, 1, 2, 0.1, QStringLiteral("noiseSpin"),
                         tr("Each point's radius is perturbed by U(−noise, noise). With noise 1 the rings of radius "
                            "1 and 4 keep a gap of 1."));
    m_trainSize = makeSpin(2, 1'000'000, 80, 10, QStringLiteral("trainSizeSpin"),
                           tr("Training points, half per class. Training is full batch: every epoch sees them all."));
    m_validationSize = makeSpin(1, 1'000'000, 20, 10, QStringLiteral("validationSizeSpin"),
                                tr("Validation points: each model keeps the weights of its best validation accuracy."));
    m_testSize = makeSpin(1, 1'000'000, 1000, 100, QStringLiteral("testSizeSpin"),
                          tr("Test points: the reported accuracy is measured on them, with the kept weights."));
    m_seed = makeSpin(0, std::numeric_limits<int>::max(), 0, 1, QStringLiteral("seedSpin"),
                      tr("First seed. Seed s draws run s's data and initial weights; with Seeds = N the runs use "
                         "seeds s, s+1, …, s+N−1. The preview shows seed s's data."));

    m_dataView = new BoundaryCanvas(false);
    m_dataView->setObjectName(QStringLiteral("dataView"));
    m_dataView->setMinimumHeight(200);
    // A tall window's spare height goes to the preview, up to about a square.
    m_dataView->setMaximumHeight(480);
    m_dataView->setToolTip(tr("The data of the first seed: training points filled, validation triangles, test points "
                              "hollow; blue inner ring (class 0), red outer ring (class 1)."));
    m_dataSpace = new QComboBox;
    m_dataSpace->setObjectName(QStringLiteral("dataSpaceCombo"));
    m_dataSpace->addItem(tr("input space"));
    for (Normalization n : {Normalization::Standard, Normalization::Scaled})
        m_dataSpace->addItem(tr("standardized") + (n == Normalization::Scaled ? tr(" × factor") : QString()));
    m_dataSpace->setToolTip(tr("Draw the points as generated, or as the net sees them after a normalization fitted "
                               "on the training points (mean and std of the training split, applied to every "
                               "split)."));
    m_dataNote = new QLabel;
    m_dataNote->setWordWrap(true);
    m_dataNote->setObjectName(QStringLiteral("dataNote"));

    auto* dataBox = new QGroupBox(tr("Data: two rings"));
    auto* dataLayout = new QVBoxLayout(dataBox);
    FlowGrid dataFields{new QGridLayout, {}, 2, 1};
    addFlowField(dataFields, tr("Centre &x"), m_centerX);
    addFlowField(dataFields, tr("Centre &y"), m_centerY);
    addFlowField(dataFields, tr("&Inner radius"), m_innerRadius);
    addFlowField(dataFields, tr("&Outer radius"), m_outerRadius);
    addFlowField(dataFields, tr("Radial &noise ±"), m_noise);
    addFlowField(dataFields, tr("S&eed"), m_seed);
    addFlowField(dataFields, tr("&Train"), m_trainSize);
    addFlowField(dataFields, tr("&Validation"), m_validationSize);
    addFlowField(dataFields, tr("Te&st"), m_testSize);
    addFlowField(dataFields, tr("Show in"), m_dataSpace);
    dataLayout->addLayout(dataFields.layout);
    dataLayout->addWidget(m_dataView, 1);
    dataLayout->addWidget(m_dataNote);
    m_dataNote->hide(); // only for a problem with the settings
    m_flowGrids.push_back(dataFields);

    // --- normalization
    auto* normalizationBox = new QGroupBox(tr("Normalizations to train"));
    auto* normalizationLayout = new QVBoxLayout(normalizationBox);
    FlowGrid normalizationFlow{new QGridLayout, {}, 3, 2};
    normalizationLayout->addLayout(normalizationFlow.layout);
    const std::array<QString, 3> normalizationTexts{tr("&Raw"), tr("St&andardized"), tr("Standardized ×")};
    for (std::size_t i = 0; i < 3; ++i) {
        const Normalization n = allNormalizations()[i];
        auto* box = new QCheckBox(normalizationTexts[i]);
        box->setObjectName(QStringLiteral("normalization_%1").arg(toQString(name(n))));
        box->setChecked(true);
        box->setToolTip(toQString(description(n)));
        m_normalizations[i] = box;
        if (i < 2)
            normalizationFlow.items.append({box});
    }
    m_factor = new ScientificSpinBox(
        1e-6, 1e6, 0.01, QStringLiteral("factorSpin"),
        tr("The factor of the scaled normalization: standardized inputs times this. The report used 0.01, inputs a "
           "hundred times smaller than unit variance. The arrows double and halve it."));
    // The scaled normalization's box and its factor stay on one line.
    auto* scaled = new QWidget;
    auto* scaledRow = new QHBoxLayout(scaled);
    scaledRow->setContentsMargins(0, 0, 0, 0);
    scaledRow->addWidget(m_normalizations[2]);
    scaledRow->addWidget(m_factor);
    normalizationFlow.items.append({scaled});
    m_flowGrids.push_back(normalizationFlow);

    // --- net and training
    m_hidden = new QLineEdit(QStringLiteral("6,3"));
    m_hidden->setObjectName(QStringLiteral("hiddenEdit"));
    m_hidden->setToolTip(tr("Sizes of the hidden layers, separated by commas. The report's net is 2-6-3-2: hidden "
                            "sizes 6,3. The activation follows every hidden layer; the output is linear."));
    m_activation = new QComboBox;
    m_activation->setObjectName(QStringLiteral("activationCombo"));
    for (Activation a : allActivations()) {
        m_activation->addItem(activationTitle(a), int(a));
        m_activation->setItemData(m_activation->count() - 1, toQString(formula(a)), Qt::ToolTipRole);
    }
    m_activation->setCurrentIndex(m_activation->findData(int(Activation::Relu)));
    // The closed combo's tooltip carries the chosen activation's definition too.
    const auto activationTip = [this] {
        m_activation->setToolTip(tr("Activation after each hidden layer. It also sets the gain of Kaiming and "
                                    "orthogonal init.")
                                 + QStringLiteral("\n\n")
                                 + m_activation->currentData(Qt::ToolTipRole).toString());
    };
    activationTip();
    connect(m_activation, &QComboBox::currentIndexChanged, this, activationTip);

    m_sigma = makeDoubleSpin(0.0, 10.0, 0.1, 4, 0.01, QStringLiteral("sigmaSpin"),
                             tr("Standard deviation σ of the Normal(σ) scheme's weights, N(0, σ²). Only that scheme "
                                "uses it."));
    m_learningRate = new ScientificSpinBox(1e-8, 10.0, 3e-4, QStringLiteral("learningRateSpin"),
                                           tr("AdamW's learning rate (the report: 3e-4). The arrows double and "
                                              "halve it."));
    m_weightDecay = makeDoubleSpin(0.0, 10.0, 0.01, 4, 0.01, QStringLiteral("weightDecaySpin"),
                                   tr("AdamW's decoupled weight decay (PyTorch's default 0.01)."));
    m_epochs = makeSpin(1, 10'000'000, 5000, 500, QStringLiteral("epochsSpin"),
                        tr("Full-batch epochs: one AdamW step each. Every model keeps the weights of its best "
                           "validation accuracy."));
    m_seeds = makeSpin(1, 1000, 1, 1, QStringLiteral("seedsSpin"),
                       tr("Runs per setting, each with its own data and initial weights. Try 10 to see whether a "
                          "setting fails by design or by bad luck: the summary table gives mean ± sd and the "
                          "success rate."));
    m_resolution = makeSpin(8, 256, 64, 8, QStringLiteral("resolutionSpin"),
                            tr("Cells per side of the decision-boundary images: the net is evaluated at each cell's "
                               "centre."));
    m_resolution->setSuffix(tr(" cells"));

    auto* netBox = new QGroupBox(tr("Net and training"));
    auto* netLayout = new QVBoxLayout(netBox);
    FlowGrid netFields{new QGridLayout, {}, 2, 1};
    addFlowField(netFields, tr("&Hidden sizes"), m_hidden);
    addFlowField(netFields, tr("Acti&vation"), m_activation);
    netLayout->addLayout(netFields.layout);
    m_flowGrids.push_back(netFields);
    auto* initLabel = new QLabel(tr("Init schemes to train (rows of the comparison):"));
    initLabel->setWordWrap(true);
    netLayout->addWidget(initLabel);
    FlowGrid initFlow{new QGridLayout, {}, 3, 2};
    initFlow.layout->setHorizontalSpacing(10);
    initFlow.layout->setVerticalSpacing(2);
    const std::vector<InitScheme> defaults{InitScheme::Heuristic, InitScheme::XavierUniform, InitScheme::XavierNormal,
                                           InitScheme::KaimingUniform, InitScheme::KaimingNormal};
    for (std::size_t i = 0; i < allInitSchemes().size(); ++i) {
        const InitScheme scheme = allInitSchemes()[i];
        auto* box = new QCheckBox(scheme == InitScheme::Normal ? tr("Normal(σ)") : schemeTitle(scheme, 0.0));
        box->setObjectName(QStringLiteral("init_%1").arg(toQString(name(scheme))));
        box->setIcon(swatchIcon(schemeColor(scheme)));
        box->setChecked(std::find(defaults.begin(), defaults.end(), scheme) != defaults.end());
        box->setToolTip(toQString(formula(scheme)) + tr("\nIts colour is the same on every chart, canvas and table."));
        m_inits.push_back(box);
        initFlow.items.append({box});
    }
    netLayout->addLayout(initFlow.layout);
    m_flowGrids.push_back(initFlow);
    FlowGrid trainingFields{new QGridLayout, {}, 2, 1};
    addFlowField(trainingFields, tr("Normal &σ"), m_sigma);
    addFlowField(trainingFields, tr("&Learning rate"), m_learningRate);
    addFlowField(trainingFields, tr("&Weight decay"), m_weightDecay);
    addFlowField(trainingFields, tr("E&pochs"), m_epochs);
    addFlowField(trainingFields, tr("Seeds"), m_seeds);
    addFlowField(trainingFields, tr("Boundary &grid"), m_resolution);
    netLayout->addLayout(trainingFields.layout);
    m_flowGrids.push_back(trainingFields);

    // --- run
    m_trainAll = new QPushButton(tr("Train all"));
    m_trainAll->setObjectName(QStringLiteral("trainAllButton"));
    m_trainAll->setDefault(true);
    m_trainAll->setToolTip(tr("Trains every selected init scheme × normalization × seed at once (their weights are "
                              "stacked and trained together) and fills the curves, the canvases and the table."));
    QFont bold = m_trainAll->font();
    bold.setBold(true);
    m_trainAll->setFont(bold);
    cancelButton()->setToolTip(tr("Stops training within one epoch; every model keeps its best snapshot so far and the "
                            "table shows them."));
    statusLabel()->setText(tr("Ready. Press Train all."));

    auto* runBox = new QGroupBox(tr("Run"));
    runBox->setObjectName(QStringLiteral("circlesRunBox"));
    m_runBox = runBox;
    auto* runGrid = new QGridLayout(runBox);
    runGrid->addWidget(m_trainAll, 0, 0);
    runGrid->addWidget(progressBar(), 0, 1);
    runGrid->addWidget(cancelButton(), 0, 2);
    runGrid->addWidget(statusLabel(), 1, 0, 1, 3);
    runGrid->setColumnStretch(1, 1);

    auto* controls = new QWidget;
    auto* layout = new QVBoxLayout(controls);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(dataBox, 1);
    layout->addWidget(normalizationBox);
    layout->addWidget(netBox);
    layout->addStretch(0); // takes what the preview, at its maximum height, leaves

    // --- behaviour of the controls
    for (QDoubleSpinBox* spin : {m_centerX, m_centerY, m_innerRadius, m_outerRadius, m_noise, m_factor, m_sigma})
        connect(spin, &QDoubleSpinBox::valueChanged, this, [this] { m_dataTimer.start(); });
    for (QSpinBox* spin : {m_trainSize, m_validationSize, m_testSize, m_seed})
        connect(spin, &QSpinBox::valueChanged, this, [this] { m_dataTimer.start(); });
    connect(m_dataSpace, &QComboBox::currentIndexChanged, this, &CirclesPanel::updateDataView);
    // Before the first run the grid previews the settings the next run will have.
    for (QCheckBox* box : m_inits)
        connect(box, &QCheckBox::toggled, this, [this] { m_dataTimer.start(); });
    for (QCheckBox* box : m_normalizations)
        connect(box, &QCheckBox::toggled, this, [this] { m_dataTimer.start(); });
    connect(m_trainAll, &QPushButton::clicked, this, &CirclesPanel::trainAll);
    connect(m_hidden, &QLineEdit::returnPressed, this, &CirclesPanel::trainAll);
    return controls;
}

QWidget* CirclesPanel::buildViews()
{
    // --- which normalization the curves are about
    m_view = new QComboBox;
    m_view->setObjectName(QStringLiteral("viewCombo"));
    m_view->setToolTip(tr("The normalization whose curves the charts show (one line per init scheme). Clicking a "
                          "cell of the comparison or a row of the table picks it too."));
    m_view->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_legend = new CurveLegend;
    m_legend->setToolTip(tr("Each init scheme has the same colour on every chart, in the comparison and in the "
                            "table."));
    // Above all the views, not only the charts: the legend's colours are those of the grid's and
    // the table's rows too, and the chart column keeps no more than a chart's width.
    auto* viewRow = new QHBoxLayout;
    viewRow->addWidget(new QLabel(tr("Curves for")));
    viewRow->addWidget(m_view);
    viewRow->addSpacing(8);
    viewRow->addWidget(m_legend, 1);
    exportAllButton()->setToolTip(tr("Writes the curves, the big canvas, every cell of the comparison and the data view "
                                   "as PNG, SVG and PDF, and their data as CSV, into a folder. Right-click a chart or "
                                   "canvas to export only that one."));
    viewRow->addWidget(exportAllButton());
    // On a line of its own, so that it does not widen the column when it appears.
    m_curveNote = new QLabel;
    m_curveNote->setWordWrap(true);
    m_curveNote->setToolTip(tr("Each line is the mean over the seeds of the setting; a seed that diverged drops "
                               "out of the mean from its divergence on."));
    m_curveNote->hide();

    m_charts[int(Chart::TrainLoss)]
        = new CirclesCurveChart(tr("Training loss"), tr("cross-entropy"), CirclesCurveChart::Kind::Loss);
    m_charts[int(Chart::TrainAccuracy)]
        = new CirclesCurveChart(tr("Training accuracy"), tr("accuracy"), CirclesCurveChart::Kind::Accuracy);
    m_charts[int(Chart::ValidationAccuracy)]
        = new CirclesCurveChart(tr("Validation accuracy"), tr("accuracy"), CirclesCurveChart::Kind::Accuracy);
    m_charts[int(Chart::TrainLoss)]->setObjectName(QStringLiteral("trainLossChart"));
    m_charts[int(Chart::TrainAccuracy)]->setObjectName(QStringLiteral("trainAccuracyChart"));
    m_charts[int(Chart::ValidationAccuracy)]->setObjectName(QStringLiteral("validationAccuracyChart"));
    for (CirclesCurveChart* chart : m_charts)
        chart->setKeyColumns({QStringLiteral("normalization"), QStringLiteral("init")});
    m_charts[int(Chart::TrainLoss)]->setToolTip(
        tr("Mean cross-entropy on the training set after each epoch. An untrained net guessing evenly has "
           "ln 2 ≈ 0.69 (the report's Fig. 5)."));
    m_charts[int(Chart::TrainAccuracy)]->setToolTip(tr("Fraction of training points classified right (Fig. 6)."));
    m_charts[int(Chart::ValidationAccuracy)]->setToolTip(
        tr("Fraction of validation points classified right after each epoch (Fig. 7). Each model keeps the "
           "weights of its best epoch here."));
    auto* chartColumn = new QVBoxLayout;
    chartColumn->setSpacing(4);
    chartColumn->addWidget(m_curveNote);
    for (CirclesCurveChart* chart : m_charts)
        chartColumn->addWidget(chart, 1);

    // --- the comparison grid
    m_grid = new CirclesComparisonGrid;
    auto* gridBox = new QGroupBox(tr("Comparison: init × normalization"));
    gridBox->setToolTip(tr("One decision boundary per setting, all on the same axes (input space): the report's "
                           "figures 8-11 side by side. Live: the first seed; afterwards: the best seed."));
    auto* gridLayout = new QVBoxLayout(gridBox);
    gridLayout->setContentsMargins(4, 4, 4, 4);
    gridLayout->addWidget(m_grid);

    // --- the big canvas
    m_canvas = new BoundaryCanvas(false);
    m_canvas->setObjectName(QStringLiteral("boundaryCanvas"));
    m_canvas->setShowValidation(false);
    m_canvas->setShowTest(false);
    m_canvas->setToolTip(tr("P(class 1) of the model being looked at, with its 0.5 contour (the decision boundary) "
                            "and the training points. While training it is redrawn about 12 times a second."));
    m_canvasSpace = new QComboBox;
    m_canvasSpace->setObjectName(QStringLiteral("canvasSpaceCombo"));
    m_canvasSpace->addItems({tr("input space"), tr("normalized space")});
    m_canvasSpace->setToolTip(tr("Axes in input coordinates, or in the coordinates the net sees after its "
                                 "normalization (the same picture, other numbers: that is the point of "
                                 "normalizing)."));
    m_testPoints = new QCheckBox(tr("Test points"));
    m_testPoints->setObjectName(QStringLiteral("testPointsToggle"));
    m_testPoints->setToolTip(tr("Also draw the test points (hollow) on which the test accuracy is measured."));
    auto* canvasBar = new QHBoxLayout;
    canvasBar->addWidget(new QLabel(tr("Axes in")));
    canvasBar->addWidget(m_canvasSpace);
    canvasBar->addStretch(1);
    canvasBar->addWidget(m_testPoints);
    auto* canvasBox = new QGroupBox(tr("Decision boundary"));
    auto* canvasLayout = new QVBoxLayout(canvasBox);
    canvasLayout->setContentsMargins(4, 4, 4, 4);
    canvasLayout->addLayout(canvasBar);
    canvasLayout->addWidget(m_canvas, 1);

    // --- the summary
    m_threshold = makeDoubleSpin(0.0, 1.0, 0.95, 3, 0.01, QStringLiteral("thresholdSpin"),
                                 tr("A seed succeeds when its test accuracy is at least this. Changing it recomputes "
                                    "the table."));
    m_table = new CirclesSummaryTable;
    m_summaryNote = new QLabel(tr("Filled when a run ends: one row per normalization and init scheme. Click a row to "
                                  "see its best seed's boundary."));
    m_summaryNote->setWordWrap(true);
    m_summaryNote->setObjectName(QStringLiteral("summaryNote"));
    auto* thresholdRow = new QHBoxLayout;
    thresholdRow->addWidget(m_summaryNote, 1);
    thresholdRow->addWidget(new QLabel(tr("Success: test accuracy ≥")));
    thresholdRow->addWidget(m_threshold);
    auto* summaryBox = new QGroupBox(tr("Summary over seeds"));
    auto* summaryLayout = new QVBoxLayout(summaryBox);
    summaryLayout->setContentsMargins(4, 4, 4, 4);
    summaryLayout->addLayout(thresholdRow);
    summaryLayout->addWidget(m_table, 1);

    auto* views = new QWidget;
    auto* grid = new QGridLayout(views);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addLayout(viewRow, 0, 0, 1, 3);
    grid->addLayout(chartColumn, 1, 0, 2, 1);
    grid->addWidget(gridBox, 1, 1);
    grid->addWidget(canvasBox, 1, 2);
    grid->addWidget(summaryBox, 2, 1, 1, 2);
    grid->setColumnStretch(0, 3);
    grid->setColumnStretch(1, 3);
    grid->setColumnStretch(2, 4);
    grid->setRowStretch(1, 3);
    grid->setRowStretch(2, 2);

    // --- behaviour of the views
    for (Normalization n : allNormalizations())
        m_view->addItem(normalizationTitle(n, m_factor->value()), int(n));
    m_view->setCurrentIndex(m_view->findData(int(m_viewNormalization)));
    connect(m_view, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0)
            lookAt(Normalization(m_view->itemData(index).toInt()), m_viewInit);
    });
    connect(m_grid, &CirclesComparisonGrid::cellClicked, this,
            [this](int row, int column) { lookAt(m_grid->normalizationOfColumn(column), m_grid->initOfRow(row)); });
    connect(m_table, &CirclesSummaryTable::groupActivated, this, &CirclesPanel::lookAt);
    connect(m_threshold, &QDoubleSpinBox::valueChanged, this, &CirclesPanel::updateSummary);
    connect(m_canvasSpace, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_canvas->setSpace(index == 1 ? BoundaryCanvas::Space::Normalized : BoundaryCanvas::Space::Input);
    });
    connect(m_testPoints, &QCheckBox::toggled, m_canvas, &BoundaryCanvas::setShowTest);
    connect(m_canvas, &BoundaryCanvas::imageShown, this, &CirclesPanel::canvasUpdated);
    return views;
}

// ---- runs ------------------------------------------------------------------------------------

std::optional<CirclesConfig> CirclesPanel::configFromControls(QString* error) const
{
    const auto fail = [error](const QString& message) {
        if (error)
            *error = message;
        return std::optional<CirclesConfig>();
    };
    CirclesConfig config;
    config.data.centerX = m_centerX->value();
    config.data.centerY = m_centerY->value();
    config.data.innerRadius = m_innerRadius->value();
    config.data.outerRadius = m_outerRadius->value();
    config.data.noise = m_noise->value();
    config.data.trainSize = m_trainSize->value();
    config.data.validationSize = m_validationSize->value();
    config.data.testSize = m_testSize->value();
    config.firstSeed = std::uint64_t(m_seed->value());

    config.normalizations.clear();
    for (std::size_t i = 0; i < m_normalizations.size(); ++i)
        if (m_normalizations[i]->isChecked())
            config.normalizations.push_back(allNormalizations()[i]);
    config.scaledFactor = m_factor->value();
    config.inits.clear();
    for (std::size_t i = 0; i < m_inits.size(); ++i)
        if (m_inits[i]->isChecked())
            config.inits.push_back(allInitSchemes()[i]);

    config.hidden.clear();
    const QString hiddenText = m_hidden->text().trimmed();
    if (hiddenText.isEmpty())
        return fail(tr("the hidden sizes are empty (write them like 6,3)"));
    for (const QString& part : hiddenText.split(QLatin1Char(','))) {
        bool ok = false;
        const int size = part.trimmed().toInt(&ok);
        if (!ok)
            return fail(tr("hidden sizes: \"%1\" is not a whole number (write them like 6,3)").arg(part.trimmed()));
        config.hidden.push_back(size);
    }
    config.activation = Activation(m_activation->currentData().toInt());
    config.normalStd = m_sigma->value();
    config.learningRate = m_learningRate->value();
    config.weightDecay = m_weightDecay->value();
    config.epochs = m_epochs->value();
    config.seeds = m_seeds->value();
    config.boundaryResolution = m_resolution->value();
    config.reportIntervalMs = kReportIntervalMs;

    if (const std::string problem = validate(config); !problem.empty())
        return fail(QString::fromStdString(problem));
    return config;
}

bool CirclesPanel::start()
{
    return trainAll();
}

bool CirclesPanel::trainAll()
{
    if (isRunning()) {
        setStatus(tr("A run is going on: wait for it or cancel it first."));
        return false;
    }
    QString error;
    const std::optional<CirclesConfig> config = configFromControls(&error);
    if (!config) {
        setStatus(tr("Cannot train: %1.").arg(error), true);
        return false;
    }
    return runConfig(*config);
}

bool CirclesPanel::runConfig(const CirclesConfig& requested)
{
    if (isRunning() || !worker())
        return false;
    if (const std::string problem = validate(requested); !problem.empty()) {
        setStatus(tr("Cannot train: %1.").arg(QString::fromStdString(problem)), true);
        return false;
    }
    CirclesConfig config = requested;
    if (config.reportIntervalMs <= 0)
        config.reportIntervalMs = kReportIntervalMs;
    const int inits = int(config.inits.size());
    const int groups = int(config.normalizations.size()) * inits;
    // Live boundaries for the first seed of every setting: the grid shows them, and the big
    // canvas shows one of them.
    config.liveBoundaryModels.clear();
    for (int g = 0; g < groups; ++g)
        config.liveBoundaryModels.push_back(g * config.seeds);

    prepareViews(config);
    const int models = groups * config.seeds;
    beginRun(tr("Training %1 (inits × normalizations × seeds = %2 × %3 × %4) for %5 epochs …")
                  .arg(countText(models, tr("model"), tr("models")))
                  .arg(inits)
                  .arg(config.normalizations.size())
                  .arg(config.seeds)
                 .arg(config.epochs));
    static_cast<CirclesWorker*>(worker())->start(config);
    return true;
}

void CirclesPanel::prepareViews(const CirclesConfig& config)
{
    const int groups = int(config.normalizations.size() * config.inits.size());
    m_runConfig = config;
    m_result.reset();
    m_summary.clear();
    m_table->clearSummary();
    m_summaryNote->setText(tr("Training … the table fills when the run ends."));
    m_firstSeedData = generateCircles(config.data, config.firstSeed);
    m_groups.clear();
    for (Normalization n : config.normalizations)
        for (InitScheme i : config.inits)
            m_groups.push_back({n, i, {}, {}, {}, true});
    m_divergedEpoch.assign(std::size_t(groups) * config.seeds, 0);
    m_epochsDone = 0;

    // Keep looking at the same setting when the run has it; else at the nearest one it has.
    Normalization viewNormalization = m_viewNormalization;
    if (std::find(config.normalizations.begin(), config.normalizations.end(), viewNormalization)
        == config.normalizations.end())
        viewNormalization
            = std::find(config.normalizations.begin(), config.normalizations.end(), Normalization::Standard)
                != config.normalizations.end()
            ? Normalization::Standard
            : config.normalizations.front();
    InitScheme viewInit = m_viewInit;
    if (std::find(config.inits.begin(), config.inits.end(), viewInit) == config.inits.end())
        viewInit = config.inits.front();
    {
        const QSignalBlocker blocker(m_view);
        m_view->clear();
        for (Normalization n : config.normalizations)
            m_view->addItem(normalizationTitle(n, config.scaledFactor), int(n));
    }

    m_grid->setSettings(config.inits, config.normalizations, config.scaledFactor, config.normalStd);
    const QRectF bounds = BoundaryCanvas::boundaryBounds(config.data);
    for (int r = 0; r < m_grid->rowCount(); ++r)
        for (int c = 0; c < m_grid->columnCount(); ++c) {
            BoundaryCanvas* cell = m_grid->cell(r, c);
            cell->setPoints(m_firstSeedData.train);
            cell->setBounds(bounds);
        }
    m_canvas->clearImage();
    m_canvas->setBounds(bounds);
    m_canvasModel = -1;
    m_canvasFinal = false;
    m_viewNormalization = viewNormalization;
    m_viewInit = viewInit;
    rebuildCharts();
    lookAt(viewNormalization, viewInit);
}

CirclesExtras CirclesPanel::extras() const
{
    CirclesExtras extras;
    extras.successThreshold = m_threshold->value();
    return extras;
}

void CirclesPanel::setConfig(const CirclesConfig& config, const CirclesExtras& extras)
{
    m_centerX->setValue(config.data.centerX);
    m_centerY->setValue(config.data.centerY);
    m_innerRadius->setValue(config.data.innerRadius);
    m_outerRadius->setValue(config.data.outerRadius);
    m_noise->setValue(config.data.noise);
    m_trainSize->setValue(config.data.trainSize);
    m_validationSize->setValue(config.data.validationSize);
    m_testSize->setValue(config.data.testSize);
    m_seed->setValue(int(std::min<std::uint64_t>(config.firstSeed, std::uint64_t(m_seed->maximum()))));
    for (std::size_t i = 0; i < m_normalizations.size(); ++i)
        m_normalizations[i]->setChecked(std::find(config.normalizations.begin(), config.normalizations.end(),
                                                  allNormalizations()[i])
                                        != config.normalizations.end());
    m_factor->setValue(config.scaledFactor);
    for (std::size_t i = 0; i < m_inits.size(); ++i)
        m_inits[i]->setChecked(std::find(config.inits.begin(), config.inits.end(), allInitSchemes()[i])
                               != config.inits.end());
    QStringList hidden;
    for (int units : config.hidden)
        hidden << QString::number(units);
    m_hidden->setText(hidden.join(QLatin1Char(',')));
    if (const int index = m_activation->findData(int(config.activation)); index >= 0)
        m_activation->setCurrentIndex(index);
    m_sigma->setValue(config.normalStd);
    m_learningRate->setValue(config.learningRate);
    m_weightDecay->setValue(config.weightDecay);
    m_epochs->setValue(config.epochs);
    m_seeds->setValue(config.seeds);
    m_resolution->setValue(config.boundaryResolution);
    m_threshold->setValue(extras.successThreshold);
}

const CirclesConfig& CirclesPanel::runConfig() const
{
    return m_runConfig;
}

void CirclesPanel::setSeeds(int seeds)
{
    m_seeds->setValue(seeds);
}

std::string CirclesPanel::experimentJson() const
{
    // Settings the controls cannot give (a bad hidden-size text) are saved as the last good ones.
    CirclesConfig config = configFromControls().value_or(m_runConfig);
    config.liveBoundaryModels.clear();
    return experimentFileJson(config, extras());
}

void CirclesPanel::applyExperiment(const ExperimentFile& file)
{
    if (file.kind == ExperimentKind::Circles)
        setConfig(file.circles, file.circlesExtras);
}

bool CirclesPanel::showRecord(const RunRecord& record, QString* error)
{
    const auto fail = [error](const QString& why) {
        if (error)
            *error = why;
        return false;
    };
    if (isRunning())
        return fail(tr("a circles run is going on"));
    CirclesResult result;
    QString problem;
    if (!readCirclesRecord(record, result, problem))
        return fail(problem);
    applyExperiment(record.experiment);
    return showRecordedResult(record.experiment.circles, result)
        || fail(tr("the recorded results do not match its settings"));
}

bool CirclesPanel::rerun(const RunRecord& record)
{
    applyExperiment(record.experiment);
    return runConfig(record.experiment.circles);
}

bool CirclesPanel::showRecordedResult(const CirclesConfig& requested, const CirclesResult& recorded)
{
    if (isRunning()) {
        setStatus(tr("A run is going on: wait for it or cancel it first."));
        return false;
    }
    CirclesConfig config = requested;
    config.liveBoundaryModels.clear();
    const std::vector<ModelKey> keys = modelKeys(config);
    CirclesResult result = recorded;
    bool fits = keys.size() == result.models.size();
    for (std::size_t m = 0; fits && m < keys.size(); ++m)
        fits = keys[m].normalization == result.models[m].key.normalization
            && keys[m].init == result.models[m].key.init && keys[m].seed == result.models[m].key.seed;
    if (!fits) {
        setStatus(tr("The recorded results do not match the recorded settings; re-run it instead."), true);
        return false;
    }
    // The data and normalizations are recomputed from the seeds (cheap, and exact); the boundary
    // images are not recorded.
    result.datasets.clear();
    for (int s = 0; s < config.seeds; ++s)
        result.datasets.push_back(generateCircles(config.data, config.firstSeed + std::uint64_t(s)));
    for (std::size_t m = 0; m < result.models.size(); ++m)
        result.models[m].normalization = fitNormalization(result.datasets[m % std::size_t(config.seeds)].train,
                                                          result.models[m].key.normalization, config.scaledFactor);

    prepareViews(config);
    HistoryBlock block;
    block.firstEpoch = 1;
    block.count = result.epochsRun;
    block.models = int(result.models.size());
    const std::size_t size = std::size_t(block.count) * std::size_t(block.models);
    const float nan = std::numeric_limits<float>::quiet_NaN();
    block.trainLoss.assign(size, nan);
    block.trainAcc.assign(size, nan);
    block.valLoss.assign(size, nan);
    block.valAcc.assign(size, nan);
    for (std::size_t m = 0; m < result.models.size(); ++m) {
        const ModelResult& model = result.models[m];
        for (std::size_t e = 0; e < model.trainLoss.size() && e < std::size_t(block.count); ++e) {
            const std::size_t at = e * std::size_t(block.models) + m;
            block.trainLoss[at] = model.trainLoss[e];
            block.trainAcc[at] = model.trainAcc[e];
            block.valLoss[at] = model.valLoss[e];
            block.valAcc[at] = model.valAcc[e];
        }
        m_divergedEpoch[m] = model.divergedEpoch;
    }
    if (block.count > 0)
        appendHistory(block);
    refreshCharts();
    m_result = result;
    updateSummary();
    showFinalBoundaries();
    m_canvas->setCaption(tr("boundary not recorded · re-run to see it"));
    setProgress(1.0);
    setStatus(tr("Showing a recorded run (%1, %2 epochs, read from its CSV files). The decision boundaries "
                 "are not recorded: re-run it to see them.")
                  .arg(countText(int(result.models.size()), tr("model"), tr("models")))
                  .arg(result.epochsRun));
    updateControls();
    return true;
}

void CirclesPanel::onHistory(const HistoryBlock& block)
{
    if (!isRunning())
        return;
    appendHistory(block);
    if (!isCancelRequested()) {
        const int diverged
            = int(std::count_if(m_divergedEpoch.begin(), m_divergedEpoch.end(), [](int e) { return e > 0; }));
        QString text = tr("Epoch %1 of %2 · %3 s")
                           .arg(m_epochsDone)
                           .arg(m_runConfig.epochs)
                           .arg(elapsedMs() / 1000.0, 0, 'f', 1);
        if (diverged > 0)
            text += tr(" · %1 diverged").arg(countText(diverged, tr("model"), tr("models")));
        setStatusQuietly(text);
    }
}

void CirclesPanel::appendHistory(const HistoryBlock& block)
{
    if (block.models != int(m_divergedEpoch.size()) || block.count <= 0)
        return;
    const int seeds = m_runConfig.seeds;
    const std::size_t models = std::size_t(block.models);
    // The charts show each setting's mean over its seeds; a diverged seed (NaN) drops out of it.
    const auto meanOver = [&](const std::vector<float>& values, std::size_t epochOffset, int group) {
        double sum = 0.0;
        int count = 0;
        for (int s = 0; s < seeds; ++s) {
            const float v = values[epochOffset + std::size_t(group) * seeds + std::size_t(s)];
            if (std::isfinite(v)) {
                sum += v;
                ++count;
            }
        }
        return count > 0 ? float(sum / count) : std::numeric_limits<float>::quiet_NaN();
    };
    for (int e = 0; e < block.count; ++e) {
        const std::size_t offset = std::size_t(e) * models;
        for (int g = 0; g < int(m_groups.size()); ++g) {
            Group& group = m_groups[std::size_t(g)];
            group.trainLoss.append(meanOver(block.trainLoss, offset, g));
            group.trainAccuracy.append(meanOver(block.trainAcc, offset, g));
            group.validationAccuracy.append(meanOver(block.valAcc, offset, g));
            group.changed = true;
        }
    }
    m_epochsDone = block.firstEpoch + block.count - 1;
}

void CirclesPanel::onBoundary(const BoundaryImage& image)
{
    if (!isRunning() || image.model < 0 || image.model >= int(m_divergedEpoch.size()))
        return;
    const int seeds = m_runConfig.seeds;
    const int group = image.model / seeds;
    if (image.model % seeds == 0) {
        const int inits = int(m_runConfig.inits.size());
        if (BoundaryCanvas* cell = m_grid->cell(group % inits, group / inits))
            cell->setImage(image);
    }
    if (image.model == m_canvasModel && !m_canvasFinal) {
        m_canvas->setImage(image);
        if (m_divergedEpoch[std::size_t(image.model)] == 0)
            m_canvas->setCaption(tr("seed %1 · live: epoch %2 of %3")
                                     .arg(m_runConfig.firstSeed)
                                     .arg(image.epoch)
                                     .arg(m_runConfig.epochs));
    }
}

void CirclesPanel::onDiverged(int model, int epoch)
{
    if (!isRunning() || model < 0 || model >= int(m_divergedEpoch.size()))
        return;
    m_divergedEpoch[std::size_t(model)] = epoch;
    const int seeds = m_runConfig.seeds;
    if (model % seeds == 0)
        updateCellCaption(model / seeds);
    if (model == m_canvasModel)
        m_canvas->setCaption(
            tr("seed %1 · diverged at epoch %2").arg(m_runConfig.firstSeed + std::uint64_t(model % seeds)).arg(epoch),
            failureColor());
    Q_EMIT statusMessage(tr("%1, seed %2: diverged at epoch %3.")
                             .arg(groupTitle(model / seeds))
                             .arg(m_runConfig.firstSeed + std::uint64_t(model % seeds))
                             .arg(epoch));
}

void CirclesPanel::onFinished(const CirclesResult& result)
{
    if (!isRunning())
        return;
    endRun();
    const double seconds = elapsedMs() / 1000.0;

    if (!result.error.empty()) {
        setStatus(tr("Error: %1.").arg(QString::fromStdString(result.error)), true);
        m_summaryNote->setText(tr("The run failed; nothing to summarize."));
        Q_EMIT runEnded(circlesOutcome(m_runConfig, extras(), result));
        Q_EMIT runFinished(result);
        return;
    }
    m_result = result;
    for (std::size_t m = 0; m < result.models.size() && m < m_divergedEpoch.size(); ++m)
        if (result.models[m].divergedEpoch > 0)
            m_divergedEpoch[m] = result.models[m].divergedEpoch;
    updateSummary();
    showFinalBoundaries();

    const int models = int(result.models.size());
    if (result.cancelled) {
        setStatus(tr("Cancelled at epoch %1 of %2 after %3 s. The table and canvases show each model's best "
                     "snapshot so far.")
                      .arg(result.epochsRun)
                      .arg(m_runConfig.epochs)
                      .arg(seconds, 0, 'f', 1));
    } else {
        QString text = tr("Trained %1 × %2 epochs in %3 s.")
                           .arg(countText(models, tr("model"), tr("models")))
                           .arg(m_runConfig.epochs)
                           .arg(seconds, 0, 'f', 1);
        const auto best = std::max_element(
            m_summary.begin(), m_summary.end(),
            [](const CirclesSummaryRow& a, const CirclesSummaryRow& b) { return a.meanTestAcc < b.meanTestAcc; });
        if (best != m_summary.end())
            text += tr(" Best: %1 + %2, test accuracy %3%4.")
                        .arg(normalizationTitle(best->normalization, m_runConfig.scaledFactor),
                             schemeTitle(best->init, m_runConfig.normalStd), percentText(best->meanTestAcc),
                             m_runConfig.seeds > 1 ? tr(" (mean)") : QString());
        const int diverged = int(std::count_if(result.models.begin(), result.models.end(),
                                               [](const ModelResult& m) { return m.divergedEpoch > 0; }));
        if (diverged > 0)
            text += tr(" %1 diverged.").arg(countText(diverged, tr("model"), tr("models")));
        setStatus(text);
        setProgress(1.0);
    }
    Q_EMIT runEnded(circlesOutcome(m_runConfig, extras(), result));
    Q_EMIT runFinished(result);
}

// ---- looking at a setting ----------------------------------------------------------------------

Normalization CirclesPanel::viewedNormalization() const
{
    return m_viewNormalization;
}

InitScheme CirclesPanel::viewedInit() const
{
    return m_viewInit;
}

void CirclesPanel::lookAt(Normalization normalization, InitScheme init)
{
    const bool normalizationChanged = normalization != m_viewNormalization;
    m_viewNormalization = normalization;
    m_viewInit = init;
    {
        const QSignalBlocker blocker(m_view);
        m_view->setCurrentIndex(m_view->findData(int(normalization)));
    }
    if (normalizationChanged)
        rebuildCharts();
    const int group = groupIndex(normalization, init);
    const int inits = int(m_runConfig.inits.size());
    if (group >= 0)
        m_grid->setSelected(group % inits, group / inits);
    else
        m_grid->setSelected(-1, -1);
    m_table->selectGroup(normalization, init);
    showOnCanvas();
}

int CirclesPanel::shownModel() const
{
    return m_canvasModel;
}

const std::optional<CirclesResult>& CirclesPanel::lastResult() const
{
    return m_result;
}

int CirclesPanel::groupIndex(Normalization normalization, InitScheme init) const
{
    for (std::size_t g = 0; g < m_groups.size(); ++g)
        if (m_groups[g].normalization == normalization && m_groups[g].init == init)
            return int(g);
    return -1;
}

int CirclesPanel::modelOf(int group, int seedIndex) const
{
    return group * m_runConfig.seeds + seedIndex;
}

int CirclesPanel::modelToShow() const
{
    const int group = groupIndex(m_viewNormalization, m_viewInit);
    if (group < 0)
        return -1;
    if (m_result && !isRunning()) {
        for (const CirclesSummaryRow& row : m_summary)
            if (row.normalization == m_viewNormalization && row.init == m_viewInit)
                return row.bestModel;
    }
    return modelOf(group, 0);
}

void CirclesPanel::showOnCanvas()
{
    const int model = modelToShow();
    const bool final = model >= 0 && m_result && !isRunning();
    if (model >= 0 && model == m_canvasModel && final == m_canvasFinal)
        return; // already shown: a row clicked twice does not redraw
    m_canvasModel = model;
    m_canvasFinal = final;

    const QRectF bounds = BoundaryCanvas::boundaryBounds(m_runConfig.data);
    if (model < 0) {
        // Nothing trained for this setting (yet): the first seed's data stands in.
        m_canvas->clearImage();
        m_canvas->setNormalization(liveMap(m_viewNormalization));
        m_canvas->setTitle(tr("%1 · %2").arg(normalizationTitle(m_viewNormalization, m_factor->value()),
                                             schemeTitle(m_viewInit, m_sigma->value())));
        m_canvas->setCaption(m_groups.empty() ? tr("press Train all") : tr("not in this run"));
        return;
    }
    const int seedIndex = model % m_runConfig.seeds;
    const std::uint64_t seed = m_runConfig.firstSeed + std::uint64_t(seedIndex);
    m_canvas->setTitle(tr("%1 · %2").arg(normalizationTitle(m_viewNormalization, m_runConfig.scaledFactor),
                                         schemeTitle(m_viewInit, m_runConfig.normalStd)));
    const QString seedText = tr("seed %1 · ").arg(seed);
    m_canvas->setBounds(bounds);
    if (final) {
        const ModelResult& result = m_result->models[std::size_t(model)];
        const CirclesData& data = m_result->datasets.at(std::size_t(seedIndex));
        m_canvas->setNormalization(result.normalization);
        m_canvas->setPoints(data.train, {}, data.test);
        m_canvas->setImage(result.boundary);
        QString caption = result.bestEpoch > 0
            ? tr("best validation at epoch %1 · test %2").arg(result.bestEpoch).arg(percentText(result.testAcc))
            : tr("no epoch finished");
        QColor color;
        if (result.divergedEpoch > 0) {
            caption = tr("diverged at epoch %1 · ").arg(result.divergedEpoch) + caption;
            color = failureColor();
        }
        m_canvas->setCaption(seedText + caption, color);
        return;
    }
    // Live: the first seed, whose data the panel generated when the run started.
    m_canvas->setNormalization(liveMap(m_viewNormalization));
    m_canvas->setPoints(m_firstSeedData.train, {}, m_firstSeedData.test);
    const BoundaryCanvas* cell = m_grid->cellFor(m_viewNormalization, m_viewInit);
    if (cell && cell->hasImage()) // the latest live image, until the next one comes
        m_canvas->setImage(cell->image());
    else
        m_canvas->clearImage();
    if (m_divergedEpoch[std::size_t(model)] > 0)
        m_canvas->setCaption(seedText + tr("diverged at epoch %1").arg(m_divergedEpoch[std::size_t(model)]),
                             failureColor());
    else if (m_canvas->hasImage())
        m_canvas->setCaption(seedText
                             + tr("live: epoch %1 of %2").arg(m_canvas->image().epoch).arg(m_runConfig.epochs));
    else
        m_canvas->setCaption(seedText + tr("waiting for the first image …"));
}

void CirclesPanel::showFinalBoundaries()
{
    if (!m_result)
        return;
    for (const CirclesSummaryRow& row : m_summary) {
        BoundaryCanvas* cell = m_grid->cellFor(row.normalization, row.init);
        if (!cell || row.bestModel < 0 || std::size_t(row.bestModel) >= m_result->models.size())
            continue;
        const ModelResult& model = m_result->models[std::size_t(row.bestModel)];
        const std::size_t seedIndex = std::size_t(row.bestModel % m_runConfig.seeds);
        if (seedIndex < m_result->datasets.size())
            cell->setPoints(m_result->datasets[seedIndex].train);
        if (!model.boundary.probability.empty())
            cell->setImage(model.boundary);
    }
    for (int g = 0; g < int(m_groups.size()); ++g)
        updateCellCaption(g);
    m_canvasModel = -1; // forces the redraw with the final weights
    showOnCanvas();
}

void CirclesPanel::updateCellCaption(int group)
{
    const int inits = int(m_runConfig.inits.size());
    BoundaryCanvas* cell = m_grid->cell(group % inits, group / inits);
    if (!cell)
        return;
    if (m_result && !isRunning()) {
        const Group& g = m_groups[std::size_t(group)];
        for (const CirclesSummaryRow& row : m_summary) {
            if (row.normalization != g.normalization || row.init != g.init)
                continue;
            const ModelResult& best = m_result->models[std::size_t(row.bestModel)];
            const bool success = row.successRate > 0.0;
            const int successes = int(std::lround(row.successRate * row.seeds));
            // Cells are small: the caption is the verdict, the tooltip has the numbers.
            QString text = m_runConfig.seeds > 1 ? tr("%1/%2").arg(successes).arg(row.seeds) : percentText(best.testAcc);
            if (best.divergedEpoch > 0)
                text = tr("diverged at epoch %1").arg(best.divergedEpoch);
            cell->setCaption(text, success && best.divergedEpoch == 0 ? successColor() : failureColor());
            QString tip = tr("%1\nTest accuracy %2 over %3; %4 of them at least %5.\nShown: seed %6, test accuracy %7 "
                             "(best validation at epoch %8).")
                              .arg(groupTitle(group),
                                   row.seeds > 1 ? tr("%1 ± %2 %")
                                                       .arg(row.meanTestAcc * 100.0, 0, 'f', 1)
                                                       .arg(row.sdTestAcc * 100.0, 0, 'f', 1)
                                                 : percentText(row.meanTestAcc),
                                   countText(row.seeds, tr("seed"), tr("seeds")))
                              .arg(successes)
                              .arg(m_threshold->value(), 0, 'g', 4)
                              .arg(row.bestSeed)
                              .arg(percentText(best.testAcc))
                              .arg(best.bestEpoch);
            if (best.deadUnits > 0)
                tip += tr("\n%1 of its hidden units are dead (never active on the training set).").arg(best.deadUnits);
            cell->setToolTip(tip + tr("\nClick to show it on the big canvas."));
            return;
        }
        return;
    }
    // Live, all models are at the same epoch (the status line has it); a cell only speaks up when
    // its model diverged.
    const int first = modelOf(group, 0);
    if (m_divergedEpoch[std::size_t(first)] > 0)
        cell->setCaption(tr("diverged at epoch %1").arg(m_divergedEpoch[std::size_t(first)]), failureColor());
    else
        cell->setCaption(QString());
}

// ---- charts ------------------------------------------------------------------------------------

void CirclesPanel::rebuildCharts()
{
    for (CirclesCurveChart* chart : m_charts) {
        chart->clearCurves();
        chart->setEpochs(m_groups.empty() ? m_epochs->value() : m_runConfig.epochs);
    }
    m_chartCurves.assign(m_groups.size(), -1);
    QList<CurveLegend::Entry> entries;
    for (std::size_t g = 0; g < m_groups.size(); ++g) {
        Group& group = m_groups[g];
        if (group.normalization != m_viewNormalization)
            continue;
        const QString title = schemeTitle(group.init, m_runConfig.normalStd);
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
    m_curveNote->setText(tr("Each line: the mean over %1 seeds.").arg(m_runConfig.seeds));
    m_curveNote->setVisible(!m_groups.empty() && m_runConfig.seeds > 1);
    if (entries.isEmpty())
        m_legend->setText(tr("<i>Press Train all to see one curve per init scheme.</i>"));
    refreshCharts();
}

void CirclesPanel::refreshCharts()
{
    for (std::size_t g = 0; g < m_groups.size(); ++g) {
        Group& group = m_groups[g];
        if (!group.changed || m_chartCurves[g] < 0)
            continue;
        group.changed = false;
        m_charts[int(Chart::TrainLoss)]->setCurveValues(m_chartCurves[g], group.trainLoss);
        m_charts[int(Chart::TrainAccuracy)]->setCurveValues(m_chartCurves[g], group.trainAccuracy);
        m_charts[int(Chart::ValidationAccuracy)]->setCurveValues(m_chartCurves[g], group.validationAccuracy);
    }
    for (CirclesCurveChart* chart : m_charts)
        chart->refresh();
}

// ---- data preview and summary --------------------------------------------------------------------

void CirclesPanel::updateDataView()
{
    CirclesDataConfig data;
    data.centerX = m_centerX->value();
    data.centerY = m_centerY->value();
    data.innerRadius = m_innerRadius->value();
    data.outerRadius = m_outerRadius->value();
    data.noise = m_noise->value();
    data.trainSize = m_trainSize->value();
    data.validationSize = m_validationSize->value();
    data.testSize = m_testSize->value();
    if (const std::string problem = validate(data); !problem.empty()) {
        m_dataView->clearPoints();
        m_dataNote->setText(
            tr("<span style=\"%1\">%2</span>")
                .arg(errorSpanStyle(palette()), QString::fromStdString(problem).toHtmlEscaped()));
        m_dataNote->show();
        return;
    }
    // Cheap plain C++ (no torch): a few thousand points.
    const std::uint64_t seed = std::uint64_t(m_seed->value());
    const CirclesData generated = generateCircles(data, seed);
    const int space = m_dataSpace->currentIndex();
    const Normalization mode = space == 2 ? Normalization::Scaled : Normalization::Standard;
    m_dataView->setNormalization(fitNormalization(generated.train, mode, m_factor->value()));
    m_dataView->setSpace(space == 0 ? BoundaryCanvas::Space::Input : BoundaryCanvas::Space::Normalized);
    m_dataView->setBounds(BoundaryCanvas::boundaryBounds(data));
    m_dataView->setPoints(generated.train, generated.validation, generated.test);
    m_dataView->setTitle(space == 0
                             ? tr("Data of seed %1").arg(seed)
                             : tr("Seed %1, %2").arg(seed).arg(normalizationTitle(mode, m_factor->value()).toLower()));
    {
        const QSignalBlocker blocker(m_dataSpace);
        m_dataSpace->setItemText(2, tr("standardized × %1").arg(m_factor->value(), 0, 'g', 4));
    }
    m_dataNote->hide();
    // Short: the preview is about 300 pixels wide in the narrow column.
    m_dataView->setCaption(tr("%1 train · %2 validation · %3 test")
                               .arg(data.trainSize)
                               .arg(data.validationSize)
                               .arg(data.testSize));

    // Before the first run the comparison and the big canvas preview the next run's settings.
    if (!isRunning() && m_groups.empty()) {
        std::vector<InitScheme> inits;
        std::vector<Normalization> normalizations;
        for (std::size_t i = 0; i < m_inits.size(); ++i)
            if (m_inits[i]->isChecked())
                inits.push_back(allInitSchemes()[i]);
        for (std::size_t i = 0; i < m_normalizations.size(); ++i)
            if (m_normalizations[i]->isChecked())
                normalizations.push_back(allNormalizations()[i]);
        m_grid->setSettings(inits, normalizations, m_factor->value(), m_sigma->value());
        for (int r = 0; r < m_grid->rowCount(); ++r)
            for (int c = 0; c < m_grid->columnCount(); ++c) {
                m_grid->cell(r, c)->setBounds(BoundaryCanvas::boundaryBounds(data));
                m_grid->cell(r, c)->setPoints(generated.train);
            }
        m_runConfig.data = data;
        m_runConfig.scaledFactor = m_factor->value();
        m_firstSeedData = generated;
        m_canvas->setBounds(BoundaryCanvas::boundaryBounds(data));
        m_canvas->setPoints(generated.train, {}, generated.test);
        {
            const QSignalBlocker blocker(m_view);
            for (int i = 0; i < m_view->count(); ++i)
                m_view->setItemText(i,
                                    normalizationTitle(Normalization(m_view->itemData(i).toInt()), m_factor->value()));
        }
        showOnCanvas();
    }
}

void CirclesPanel::updateSummary()
{
    if (!m_result || isRunning())
        return;
    m_summary = summarize(*m_result, m_threshold->value());
    int hiddenUnits = 0;
    for (int h : m_runConfig.hidden)
        hiddenUnits += h;
    m_table->setSummary(m_summary, *m_result, m_threshold->value(), m_runConfig.scaledFactor, m_runConfig.normalStd,
                        hiddenUnits);
    m_table->selectGroup(m_viewNormalization, m_viewInit);
    m_summaryNote->setText(m_result->cancelled
                               ? tr("Cancelled at epoch %1: best snapshots so far. Click a row to see its best seed.")
                                     .arg(m_result->epochsRun)
                               : tr("%1 per setting. Click a row to see its best seed's boundary.")
                                     .arg(countText(m_runConfig.seeds, tr("seed"), tr("seeds"))));
    for (int g = 0; g < int(m_groups.size()); ++g)
        updateCellCaption(g);
}

void CirclesPanel::updateControls()
{
    m_trainAll->setEnabled(!isRunning());
}

void CirclesPanel::refreshViews()
{
    refreshCharts();
}

NormalizationMap CirclesPanel::liveMap(Normalization normalization) const
{
    return fitNormalization(m_firstSeedData.train, normalization, m_runConfig.scaledFactor);
}

QString CirclesPanel::groupTitle(int group) const
{
    if (group < 0 || group >= int(m_groups.size()))
        return {};
    const Group& g = m_groups[std::size_t(group)];
    return tr("%1 + %2").arg(normalizationTitle(g.normalization, m_runConfig.scaledFactor),
                             schemeTitle(g.init, m_runConfig.normalStd));
}

// ---- accessors -----------------------------------------------------------------------------------

QSpinBox* CirclesPanel::epochsSpin() const
{
    return m_epochs;
}
QSpinBox* CirclesPanel::seedsSpin() const
{
    return m_seeds;
}
QSpinBox* CirclesPanel::resolutionSpin() const
{
    return m_resolution;
}
QLineEdit* CirclesPanel::hiddenEdit() const
{
    return m_hidden;
}
QDoubleSpinBox* CirclesPanel::thresholdSpin() const
{
    return m_threshold;
}

QCheckBox* CirclesPanel::initCheckBox(InitScheme scheme) const
{
    const auto& all = allInitSchemes();
    return m_inits.at(std::size_t(std::find(all.begin(), all.end(), scheme) - all.begin()));
}

QCheckBox* CirclesPanel::normalizationCheckBox(Normalization normalization) const
{
    const auto& all = allNormalizations();
    return m_normalizations.at(std::size_t(std::find(all.begin(), all.end(), normalization) - all.begin()));
}

QComboBox* CirclesPanel::viewCombo() const
{
    return m_view;
}
QComboBox* CirclesPanel::canvasSpaceCombo() const
{
    return m_canvasSpace;
}
QCheckBox* CirclesPanel::testPointsToggle() const
{
    return m_testPoints;
}
QPushButton* CirclesPanel::trainAllButton() const
{
    return m_trainAll;
}
CirclesCurveChart* CirclesPanel::chart(Chart which) const
{
    return m_charts[int(which)];
}

QList<NamedFigure> CirclesPanel::exportFigures() const
{
    // The charts and the big canvas show the setting looked at; its names go into the file names.
    const QString normalization = toQString(initlab::name(m_viewNormalization));
    const QString init = toQString(initlab::name(m_viewInit));
    QList<NamedFigure> figures{
        {QStringLiteral("circles_train_loss_%1").arg(normalization), m_charts[int(Chart::TrainLoss)]},
        {QStringLiteral("circles_train_accuracy_%1").arg(normalization), m_charts[int(Chart::TrainAccuracy)]},
        {QStringLiteral("circles_validation_accuracy_%1").arg(normalization), m_charts[int(Chart::ValidationAccuracy)]},
        {QStringLiteral("circles_view_%1_%2").arg(normalization, init), m_canvas},
        {QStringLiteral("circles_data"), m_dataView},
    };
    for (int row = 0; row < m_grid->rowCount(); ++row)
        for (int column = 0; column < m_grid->columnCount(); ++column) {
            BoundaryCanvas* cell = m_grid->cell(row, column);
            figures.append({chartexport::exportName(cell, cell->figureTitle()), cell});
        }
    for (const NamedFigure& figure : figures)
        if (auto* widget = dynamic_cast<QWidget*>(figure.figure))
            chartexport::setExportName(widget, figure.baseName);
    return figures;
}
CurveLegend* CirclesPanel::legend() const
{
    return m_legend;
}
BoundaryCanvas* CirclesPanel::canvas() const
{
    return m_canvas;
}
BoundaryCanvas* CirclesPanel::dataView() const
{
    return m_dataView;
}
CirclesComparisonGrid* CirclesPanel::grid() const
{
    return m_grid;
}
CirclesSummaryTable* CirclesPanel::summaryTable() const
{
    return m_table;
}

} // namespace initlab::ui

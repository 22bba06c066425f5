#include "circlessettingsform.h"

#include "common/formfields.h"
#include "common/names.h"
#include "common/palette.h"
#include "figures/boundarycanvas.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace initlab::ui {
namespace {

constexpr int kDataDelayMs = 120; // regenerate the data preview once typing pauses

template <class Boxes, class T>
std::vector<T> checkedOf(const Boxes& boxes, const std::vector<T>& all)
{
    std::vector<T> checked;
    for (std::size_t i = 0; i < boxes.size(); ++i)
        if (boxes[i]->isChecked())
            checked.push_back(all[i]);
    return checked;
}

template <class Boxes, class T>
void checkThose(const Boxes& boxes, const std::vector<T>& all, const std::vector<T>& checked)
{
    for (std::size_t i = 0; i < boxes.size(); ++i)
        boxes[i]->setChecked(std::find(checked.begin(), checked.end(), all[i]) != checked.end());
}

// The hidden sizes as written ("6,3"), or nullopt with the reason in *error.
std::optional<std::vector<int>> parseHiddenSizes(const QString& text, QString* error)
{
    const auto fail = [error](const QString& why) {
        if (error)
            *error = why;
        return std::optional<std::vector<int>>();
    };
    const QString hiddenText = text.trimmed();
    if (hiddenText.isEmpty())
        return fail(CirclesSettingsForm::tr("the hidden sizes are empty (write them like 6,3)"));
    std::vector<int> sizes;
    for (const QString& part : hiddenText.split(QLatin1Char(','))) {
        bool ok = false;
        const int size = part.trimmed().toInt(&ok);
        if (!ok)
            return fail(CirclesSettingsForm::tr("hidden sizes: \"%1\" is not a whole number (write them like 6,3)")
                            .arg(part.trimmed()));
        sizes.push_back(size);
    }
    return sizes;
}

} // namespace

CirclesSettingsForm::CirclesSettingsForm(QWidget* parent)
    : QWidget(parent)
{
    makeDataFields();
    makeDataView();
    QGroupBox* dataBox = buildDataBox();
    QGroupBox* normalizationBox = buildNormalizationBox();
    QGroupBox* netBox = buildNetBox();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(dataBox, 1);
    layout->addWidget(normalizationBox);
    layout->addWidget(netBox);
    layout->addStretch(0); // takes what the preview, at its maximum height, leaves

    m_dataTimer.setSingleShot(true);
    m_dataTimer.setInterval(kDataDelayMs);
    connectFields();
}

void CirclesSettingsForm::makeDataFields()
{
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
}

void CirclesSettingsForm::makeDataView()
{
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
}

QGroupBox* CirclesSettingsForm::buildDataBox()
{
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
    return dataBox;
}

QGroupBox* CirclesSettingsForm::buildNormalizationBox()
{
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
    // It has the check box for a label.
    m_factor->setAccessibleName(tr("The factor of Standardized ×"));
    // The scaled normalization's box and its factor stay on one line.
    auto* scaled = new QWidget;
    auto* scaledRow = new QHBoxLayout(scaled);
    scaledRow->setContentsMargins(0, 0, 0, 0);
    scaledRow->addWidget(m_normalizations[2]);
    scaledRow->addWidget(m_factor);
    normalizationFlow.items.append({scaled});
    m_flowGrids.push_back(normalizationFlow);
    return normalizationBox;
}

void CirclesSettingsForm::makeNetFields()
{
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
                                 + QStringLiteral("\n\n") + m_activation->currentData(Qt::ToolTipRole).toString());
    };
    activationTip();
    connect(m_activation, &QComboBox::currentIndexChanged, this, activationTip);
}

void CirclesSettingsForm::makeTrainingFields()
{
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
}

// A check box per init scheme, in its colour; the report's five are checked.
CirclesSettingsForm::FlowGrid CirclesSettingsForm::makeInitFlow()
{
    FlowGrid initFlow{new QGridLayout, {}, 3, 2};
    initFlow.layout->setHorizontalSpacing(10);
    initFlow.layout->setVerticalSpacing(2);
    const std::vector<InitScheme> defaults{InitScheme::Heuristic, InitScheme::XavierUniform, InitScheme::XavierNormal,
                                           InitScheme::KaimingUniform, InitScheme::KaimingNormal};
    for (InitScheme scheme : allInitSchemes()) {
        auto* box = new QCheckBox(scheme == InitScheme::Normal ? tr("Normal(σ)") : schemeTitle(scheme, 0.0));
        box->setObjectName(QStringLiteral("init_%1").arg(toQString(name(scheme))));
        box->setIcon(swatchIcon(schemeColor(scheme)));
        box->setChecked(std::find(defaults.begin(), defaults.end(), scheme) != defaults.end());
        box->setToolTip(toQString(formula(scheme)) + tr("\nIts colour is the same on every chart, canvas and table."));
        m_inits.push_back(box);
        initFlow.items.append({box});
    }
    return initFlow;
}

QGroupBox* CirclesSettingsForm::buildNetBox()
{
    makeNetFields();
    makeTrainingFields();
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
    const FlowGrid initFlow = makeInitFlow();
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
    return netBox;
}

void CirclesSettingsForm::connectFields()
{
    const auto later = [this] { m_dataTimer.start(); };
    for (QDoubleSpinBox* spin : {m_centerX, m_centerY, m_innerRadius, m_outerRadius, m_noise, m_factor, m_sigma})
        connect(spin, &QDoubleSpinBox::valueChanged, this, later);
    for (QSpinBox* spin : {m_trainSize, m_validationSize, m_testSize, m_seed})
        connect(spin, &QSpinBox::valueChanged, this, later);
    connect(m_dataSpace, &QComboBox::currentIndexChanged, this, &CirclesSettingsForm::updateDataView);
    // Before the first run the tab previews the settings the next run will have.
    for (QCheckBox* box : m_inits)
        connect(box, &QCheckBox::toggled, this, later);
    for (QCheckBox* box : m_normalizations)
        connect(box, &QCheckBox::toggled, this, later);
    connect(&m_dataTimer, &QTimer::timeout, this, &CirclesSettingsForm::updateDataView);
    connect(m_hidden, &QLineEdit::returnPressed, this, &CirclesSettingsForm::submitted);
    checkAsTyped(m_hidden, [](const QString& text) {
        QString problem;
        parseHiddenSizes(text, &problem);
        return problem;
    });
}

// Adds a "label field" pair to a flow grid, the label's tooltip that of its field.
void CirclesSettingsForm::addFlowField(FlowGrid& grid, const QString& text, QWidget* field)
{
    QLabel* label = fieldLabel(text, field);
    // No taller than the text: a tall window's spare height must not spread the rows apart.
    label->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    grid.items.append({label, field});
}

void CirclesSettingsForm::arrange(bool narrow)
{
    for (FlowGrid& flow : m_flowGrids)
        arrangeFlow(flow, narrow);
    // Size hints are cached up the tree and refreshed by layout events; measuring the column right
    // after re-arranging it needs them cleared now.
    for (const FlowGrid& flow : m_flowGrids)
        for (QWidget* widget = flow.layout->parentWidget(); widget; widget = widget->parentWidget()) {
            if (widget->layout())
                widget->layout()->invalidate();
            widget->updateGeometry();
            if (widget == this)
                break;
        }
    fitDataBoxHeight();
    m_narrow = narrow;
}

void CirclesSettingsForm::arrangeFlow(FlowGrid& flow, bool narrow)
{
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

// The data box grows with a tall window only as far as the preview does: beyond, its fields would
// spread apart.
void CirclesSettingsForm::fitDataBoxHeight()
{
    if (QWidget* dataBox = m_dataView->parentWidget()) {
        dataBox->setMaximumHeight(QWIDGETSIZE_MAX);
        dataBox->setMaximumHeight(dataBox->minimumSizeHint().height() + m_dataView->maximumHeight()
                                  - m_dataView->minimumHeight());
    }
}

bool CirclesSettingsForm::isNarrow() const
{
    return m_narrow;
}

CirclesDataConfig CirclesSettingsForm::dataConfig() const
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
    return data;
}

void CirclesSettingsForm::updateDataView()
{
    const CirclesDataConfig data = dataConfig();
    if (const std::string problem = validate(data); !problem.empty()) {
        m_dataView->clearPoints();
        m_dataNote->setText(tr("<span style=\"%1\">%2</span>")
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
    m_dataView->setCaption(
        tr("%1 train · %2 validation · %3 test").arg(data.trainSize).arg(data.validationSize).arg(data.testSize));
    Q_EMIT dataPreviewed(generated);
}

CirclesConfig CirclesSettingsForm::previewConfig() const
{
    CirclesConfig config;
    config.data = dataConfig();
    config.firstSeed = std::uint64_t(m_seed->value());
    config.inits = checkedOf(m_inits, allInitSchemes());
    config.normalizations = checkedOf(m_normalizations, allNormalizations());
    config.scaledFactor = m_factor->value();
    config.normalStd = m_sigma->value();
    return config;
}

std::optional<CirclesConfig> CirclesSettingsForm::config(QString* error, bool lastGoodValues) const
{
    // A spin box holding what is not a number in its range keeps a value() that was not typed; the
    // first field that cannot be used is named, in the order of the form.
    if (const QWidget* invalid = lastGoodValues ? nullptr : firstInvalidInput(this)) {
        if (error)
            *error = inputProblem(invalid);
        return std::nullopt;
    }
    CirclesConfig config = previewConfig();
    const std::optional<std::vector<int>> hidden = parseHiddenSizes(m_hidden->text(), error);
    if (!hidden)
        return std::nullopt;
    config.hidden = *hidden;
    config.activation = Activation(m_activation->currentData().toInt());
    config.learningRate = m_learningRate->value();
    config.weightDecay = m_weightDecay->value();
    config.epochs = m_epochs->value();
    config.seeds = m_seeds->value();
    config.boundaryResolution = m_resolution->value();
    config.reportIntervalMs = kReportIntervalMs;
    if (const std::string problem = validate(config); !problem.empty()) {
        if (error)
            *error = QString::fromStdString(problem);
        return std::nullopt;
    }
    return config;
}

void CirclesSettingsForm::setConfig(const CirclesConfig& config)
{
    setFieldValue(m_centerX, config.data.centerX);
    setFieldValue(m_centerY, config.data.centerY);
    setFieldValue(m_innerRadius, config.data.innerRadius);
    setFieldValue(m_outerRadius, config.data.outerRadius);
    setFieldValue(m_noise, config.data.noise);
    setFieldValue(m_trainSize, config.data.trainSize);
    setFieldValue(m_validationSize, config.data.validationSize);
    setFieldValue(m_testSize, config.data.testSize);
    setFieldValue(m_seed, qint64(std::min<std::uint64_t>(config.firstSeed, std::numeric_limits<qint64>::max())));
    checkThose(m_normalizations, allNormalizations(), config.normalizations);
    setFieldValue(m_factor, config.scaledFactor);
    checkThose(m_inits, allInitSchemes(), config.inits);
    QStringList hidden;
    for (int units : config.hidden)
        hidden << QString::number(units);
    m_hidden->setText(hidden.join(QLatin1Char(',')));
    if (const int index = m_activation->findData(int(config.activation)); index >= 0)
        m_activation->setCurrentIndex(index);
    setFieldValue(m_sigma, config.normalStd);
    setFieldValue(m_learningRate, config.learningRate);
    setFieldValue(m_weightDecay, config.weightDecay);
    setFieldValue(m_epochs, config.epochs);
    setFieldValue(m_seeds, config.seeds);
    setFieldValue(m_resolution, config.boundaryResolution);
}

void CirclesSettingsForm::setSeeds(int seeds)
{
    setFieldValue(m_seeds, seeds);
}

int CirclesSettingsForm::epochs() const
{
    return m_epochs->value();
}

double CirclesSettingsForm::scaledFactor() const
{
    return m_factor->value();
}

double CirclesSettingsForm::normalStd() const
{
    return m_sigma->value();
}

BoundaryCanvas* CirclesSettingsForm::dataView() const
{
    return m_dataView;
}

} // namespace initlab::ui

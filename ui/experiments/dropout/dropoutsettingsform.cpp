#include "dropoutsettingsform.h"

#include "common/formfields.h"
#include "common/names.h"
#include "common/palette.h"
#include "figures/dropoutfigures.h"

#include "initlab/blas.h"
#include "initlab/csv.h"
#include "initlab/initscheme.h"
#include "initlab/mnist.h"
#include "initlab/runoutcome.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDesktopServices>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSpinBox>
#include <QThread>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace initlab::ui {
namespace {

constexpr int kGalleryCount = 24;

QStringList splitList(const QString& text)
{
    static const QRegularExpression separators(QStringLiteral("[,;\\s]+"));
    return text.split(separators, Qt::SkipEmptyParts);
}

bool parseNumber(const QString& text, double& value)
{
    bool ok = false;
    value = QLocale::c().toDouble(text.trimmed(), &ok);
    if (!ok) // a decimal comma, where the system writes one
        value = QLocale::system().toDouble(text.trimmed(), &ok);
    return ok && std::isfinite(value);
}

// Each reader fills one list of the config from its field; the error is empty when it could.
QString readPs(const QString& text, std::vector<double>& ps)
{
    ps.clear();
    for (const QString& item : splitList(text)) {
        double p = 0.0;
        if (!parseNumber(item, p))
            return DropoutSettingsForm::tr("\"%1\" in the p values is not a number").arg(item);
        if (p < 0.0 || p >= 1.0)
            return DropoutSettingsForm::tr("dropout probabilities must be in [0, 1) (got %1)").arg(item);
        if (std::find(ps.begin(), ps.end(), p) != ps.end())
            return DropoutSettingsForm::tr("p = %1 is listed twice").arg(DropoutFigures::pText(p));
        ps.push_back(p);
    }
    return ps.empty() ? DropoutSettingsForm::tr("give at least one dropout probability p") : QString();
}

QString readHidden(const QString& text, std::vector<int>& hidden)
{
    hidden.clear();
    for (const QString& item : splitList(text)) {
        bool ok = false;
        const int units = item.toInt(&ok);
        if (!ok || units < 1)
            return DropoutSettingsForm::tr("\"%1\" in the hidden layers is not a positive whole number").arg(item);
        hidden.push_back(units);
    }
    return hidden.empty() ? DropoutSettingsForm::tr("give at least one hidden layer size") : QString();
}

QString readLearningRate(const QString& text, double& learningRate)
{
    return parseNumber(text, learningRate) && learningRate > 0.0
        ? QString()
        : DropoutSettingsForm::tr("the learning rate must be a positive number such as 3e-4");
}

QString readWeightDecay(const QString& text, double& weightDecay)
{
    return parseNumber(text, weightDecay) && weightDecay >= 0.0
        ? QString()
        : DropoutSettingsForm::tr("the weight decay must be a number >= 0");
}

// In increasing order, each once.
QString readEnsembleSizes(const QString& text, std::vector<int>& ensembleSizes)
{
    std::set<int> sizes;
    for (const QString& item : splitList(text)) {
        bool ok = false;
        const int passes = item.toInt(&ok);
        if (!ok || passes < 1)
            return DropoutSettingsForm::tr("\"%1\" in the ensemble sizes is not a positive whole number").arg(item);
        sizes.insert(passes);
    }
    ensembleSizes.assign(sizes.begin(), sizes.end());
    return sizes.empty() ? DropoutSettingsForm::tr("give at least one ensemble size T") : QString();
}

QString listText(const std::vector<double>& values)
{
    QStringList items;
    for (const double v : values)
        items << QString::fromStdString(formatNumber(v));
    return items.join(QStringLiteral(", "));
}

QString listText(const std::vector<int>& values)
{
    QStringList items;
    for (const int v : values)
        items << QString::number(v);
    return items.join(QStringLiteral(", "));
}

} // namespace

DropoutSettingsForm::DropoutSettingsForm(QWidget* progress, QWidget* cancel, QWidget* status, QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("dropoutSettings"));
    QGroupBox* dataBox = buildDataBox();
    QGroupBox* trainBox = buildTrainingBox();
    QGroupBox* ensembleBox = buildEnsembleBox();
    QGroupBox* runBox = buildRunBox(progress, cancel, status);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(dataBox);
    layout->addWidget(trainBox);
    layout->addWidget(ensembleBox);
    layout->addWidget(runBox, 1);
    setMaximumWidth(460);
    m_settingsBoxes = {dataBox, trainBox, ensembleBox, m_runFolder, m_browseRunFolder};
    connectFields();
    updateCandidates();
    setDataInfo(m_folder->text().isEmpty()
                    ? tr("<span style=\"%1\">No data folder found.</span> Install Debian's "
                         "<i>dataset-fashion-mnist</i> package, or choose a folder with the four MNIST-format files.")
                          .arg(errorSpanStyle(palette()))
                    : tr("Not read yet."));
}

QGroupBox* DropoutSettingsForm::buildDataBox()
{
    m_folder = makeEdit(QString::fromStdString(findDataFolder()), QStringLiteral("dataFolderEdit"),
                        tr("A folder with the four MNIST-format files: train-images-idx3-ubyte, "
                           "train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each raw or "
                           "gzip-compressed (.gz). Press Enter to read it."));
    m_folder->setPlaceholderText(tr("no data folder found"));
    m_browse = new QPushButton(tr("Browse…"));
    m_browse->setObjectName(QStringLiteral("browseDataButton"));
    m_browse->setToolTip(tr("Choose a data folder."));
    m_defaultFolder = new QPushButton(tr("Default"));
    m_defaultFolder->setObjectName(QStringLiteral("defaultDataButton"));
    m_defaultFolder->setToolTip(tr("Looks again in the places listed below and takes the first that holds the four "
                                   "files."));
    m_candidates = new QLabel;
    m_candidates->setObjectName(QStringLiteral("dataCandidates"));
    m_candidates->setTextFormat(Qt::RichText);
    m_candidates->setWordWrap(true);
    m_candidates->setToolTip(tr("Where InitLab looks for data, in this order. Nothing is downloaded: install "
                                "Debian's dataset-fashion-mnist package or put MNIST-format files in a folder."));
    m_dataInfo = new QLabel;
    m_dataInfo->setObjectName(QStringLiteral("dataInfo"));
    m_dataInfo->setTextFormat(Qt::RichText);
    m_dataInfo->setWordWrap(true);
    m_dataInfo->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* box = new QGroupBox(tr("Data"));
    auto* layout = new QGridLayout(box);
    layout->addWidget(m_folder, 0, 0);
    layout->addWidget(m_browse, 0, 1);
    layout->addWidget(m_defaultFolder, 0, 2);
    layout->addWidget(m_candidates, 1, 0, 1, 3);
    layout->addWidget(m_dataInfo, 2, 0, 1, 3);
    layout->setColumnStretch(0, 1);
    return box;
}

QGroupBox* DropoutSettingsForm::buildTrainingBox()
{
    buildTrainingFields();
    auto* box = new QGroupBox(tr("Net and training"));
    auto* layout = new QGridLayout(box);
    addGridField(layout, 0, 0, tr("Dropout &p"), m_ps, 3);
    addGridField(layout, 1, 0, tr("&Init"), m_init, 3);
    addGridField(layout, 2, 0, tr("Hidde&n"), m_hidden);
    addGridField(layout, 2, 1, tr("σ"), m_sigma);
    addGridField(layout, 3, 0, tr("&Learning rate"), m_learningRate);
    addGridField(layout, 3, 1, tr("&Weight decay"), m_weightDecay);
    addGridField(layout, 4, 0, tr("&Batch"), m_batch);
    addGridField(layout, 4, 1, tr("&Epochs"), m_epochs);
    addGridField(layout, 5, 0, tr("See&d"), m_seed);
    addGridField(layout, 5, 1, tr("Threads"), m_threads);
    addGridField(layout, 6, 0, tr("&Training images"), rangeWidget(m_splits[0], m_splits[1]), 3);
    addGridField(layout, 7, 0, tr("&Validation images"), rangeWidget(m_splits[2], m_splits[3]), 3);
    addGridField(layout, 8, 0, tr("Test images"), m_testLimit);
    layout->setColumnStretch(1, 1);
    layout->setColumnStretch(3, 1);
    return box;
}

void DropoutSettingsForm::buildTrainingFields()
{
    m_ps = makeEdit(QStringLiteral("0, 0.2, 0.5"), QStringLiteral("pValuesEdit"),
                    tr("<p>Dropout probabilities to compare, comma-separated, each in [0, 1). One net is trained per "
                       "p, from the same initial weights and in the same data order.</p><p>During training, dropout "
                       "sets each input of a layer to zero with probability p and scales the kept ones by "
                       "1/(1−p), so no unit can rely on particular others: it regularises, and it trains an "
                       "implicit ensemble of thinned nets. p = 0 is the plain net.</p>"));
    m_init = new QComboBox;
    m_init->setObjectName(QStringLiteral("initCombo"));
    for (InitScheme scheme : allInitSchemes()) {
        // Core's name of the normal scheme, "Normal(sigma)", is for the command line.
        m_init->addItem(scheme == InitScheme::Normal ? tr("Normal N(0, σ²)") : toQString(displayName(scheme)),
                        int(scheme));
        m_init->setItemData(m_init->count() - 1, toQString(formula(scheme)), Qt::ToolTipRole);
    }
    m_init->setCurrentIndex(m_init->findData(int(InitScheme::Normal)));
    m_sigma = makeDoubleSpin(0.0, 10.0, 0.1, 4, 0.01, QStringLiteral("sigmaSpin"),
                             tr("Standard deviation σ of the Normal scheme, N(0, σ²). The report's prose says "
                                "variance 0.1; its code used standard deviation 0.1, as here."));
    m_hidden = makeEdit(QStringLiteral("800, 800"), QStringLiteral("hiddenEdit"),
                        tr("Units of the hidden layers, comma-separated. The report's net is 784-800-800-10: "
                           "Dropout(p) before each Linear, ReLU between."));
    m_learningRate = makeEdit(QStringLiteral("3e-4"), QStringLiteral("learningRateEdit"),
                              tr("AdamW's learning rate (e.g. 3e-4, the report's)."));
    m_weightDecay = makeEdit(QStringLiteral("0.01"), QStringLiteral("weightDecayEdit"),
                             tr("AdamW's decoupled weight decay (0.01 is PyTorch's default, which the report kept)."));
    m_batch = makeSpin(1, 65536, 8, 1, QStringLiteral("batchSpin"),
                       tr("Images per training step. The report's 8 makes each epoch 625 small steps."));
    m_epochs = makeSpin(1, 100000, 10, 1, QStringLiteral("epochsSpin"),
                        tr("Passes over the training images per p. The weights of the epoch with the best validation "
                           "accuracy are kept and saved."));
    m_seed = makeSpin(0, std::numeric_limits<int>::max(), 0, 1, QStringLiteral("seedSpin"),
                      tr("Seeds the initial weights, the data order and the dropout masks: the same seed gives the "
                         "same numbers."));
    m_threads = makeSpin(0, 256, 0, 1, QStringLiteral("threadsSpin"),
                         tr("LibTorch threads for validation and the MC passes (\"all\": every core, %1 here). "
                            "Training at small batches runs on one thread, which is faster there.")
                             .arg(QThread::idealThreadCount()));
    m_threads->setSpecialValueText(tr("all"));
    const QString splitTip = tr("Images of the training file, from the first number up to (not including) the "
                                "second. The report trained on 0–5000 and validated on 5000–15000.");
    m_splits[0] = makeSpin(0, 10'000'000, 0, 1, QStringLiteral("trainBeginSpin"), splitTip);
    m_splits[1] = makeSpin(1, 10'000'000, 5000, 1, QStringLiteral("trainEndSpin"), splitTip);
    m_splits[2] = makeSpin(0, 10'000'000, 5000, 1, QStringLiteral("validationBeginSpin"), splitTip);
    m_splits[3] = makeSpin(1, 10'000'000, 15000, 1, QStringLiteral("validationEndSpin"), splitTip);
    m_testLimit = makeSpin(0, 10'000'000, 0, 1, QStringLiteral("testLimitSpin"),
                           tr("How many images of the test file the ensembles are scored on: \"all\" for Table I, "
                              "fewer for a quick look."));
    m_testLimit->setSpecialValueText(tr("all"));
}

QGroupBox* DropoutSettingsForm::buildEnsembleBox()
{
    m_ensembleSizes = makeEdit(QStringLiteral("5, 50, 500, 1000"), QStringLiteral("ensembleSizesEdit"),
                               tr("<p>Ensemble sizes T for Table I. One sweep of T<sub>max</sub> passes is made; the "
                                  "T = 5 ensemble is the first 5 passes of the T = 1000 one, so the accuracy-vs-T "
                                  "curve shows every T up to the largest.</p><p>MC dropout keeps dropout on at test "
                                  "time: each pass is a different thinned net, and averaging their predictions "
                                  "approximates the Bayesian predictive distribution (Gal &amp; Ghahramani, "
                                  "2016).</p>"));
    m_averaging = new QComboBox;
    m_averaging->setObjectName(QStringLiteral("averagingCombo"));
    m_averaging->addItem(tr("softmax probabilities (Gal & Ghahramani)"), true);
    m_averaging->addItem(tr("logits (as the report did)"), false);
    m_averaging->setToolTip(
        tr("<p><b>Probabilities</b>: average softmax(logits) over the passes, then take the most probable class: "
           "the MC-dropout predictive distribution.</p><p><b>Logits</b>: average the raw logits, then take the "
           "argmax: a renormalised geometric mean of the passes' probabilities, which lets one very confident pass "
           "outvote the others. The report averaged logits.</p>"));
    m_bf16 = new QCheckBox(tr("bf16 inference"));
    m_bf16->setObjectName(QStringLiteral("bf16Toggle"));
    m_bf16->setToolTip(tr("Runs the MC passes in bfloat16 through oneDNN: several times faster where the CPU has "
                          "bf16 instructions (AVX-512-BF16, AMX), with accuracies within MC sampling noise of float32. "
                          "Training and the one-pass accuracy stay float32."));
    if (!initlab::cpuHasBf16()) {
        // Without bf16 instructions oneDNN emulates bf16, slower than float32: nothing to gain.
        m_bf16->setEnabled(false);
        m_bf16->setToolTip(m_bf16->toolTip() + tr(" This CPU has no bf16 instructions, so the option is off."));
    }

    auto* box = new QGroupBox(tr("Ensembles"));
    auto* layout = new QGridLayout(box);
    addGridField(layout, 0, 0, tr("Ensemble si&zes T"), m_ensembleSizes);
    addGridField(layout, 1, 0, tr("&Averaging"), m_averaging);
    layout->addWidget(m_bf16, 2, 1);
    layout->setColumnStretch(1, 1);
    return box;
}

QGroupBox* DropoutSettingsForm::buildRunBox(QWidget* progress, QWidget* cancel, QWidget* status)
{
    buildRunFields();
    auto* folderRow = new QHBoxLayout;
    QLabel* runFolderLabel = fieldLabel(tr("&Run folder"), m_runFolder);
    folderRow->addWidget(m_runFolder, 1);
    folderRow->addWidget(m_browseRunFolder);
    folderRow->addWidget(m_openRunFolder);
    auto* buttonRow = new QHBoxLayout;
    buttonRow->addWidget(m_start);
    buttonRow->addWidget(cancel);
    buttonRow->addWidget(progress, 1);
    // The checkpoints are in the run folder, so their button sits on its row, in space the label
    // leaves empty.
    auto* labelRow = new QHBoxLayout;
    labelRow->addWidget(runFolderLabel);
    labelRow->addStretch(1);
    labelRow->addWidget(m_evaluate);

    auto* box = new QGroupBox(tr("Run"));
    auto* layout = new QGridLayout(box);
    layout->addLayout(labelRow, 0, 0);
    layout->addLayout(folderRow, 1, 0);
    layout->addLayout(buttonRow, 2, 0);
    layout->addWidget(status, 3, 0);
    layout->addWidget(m_log, 4, 0);
    layout->setRowStretch(4, 1);
    return box;
}

void DropoutSettingsForm::buildRunFields()
{
    const QString runFolderTip = tr("Where each p's best-validation checkpoint (best-p<i>p</i>.ckpt) is written. By "
                                    "default a new timestamped folder per run; type a folder to use that one "
                                    "instead.");
    m_runFolder = makeEdit(QString(), QStringLiteral("runFolderEdit"), runFolderTip);
    connect(m_runFolder, &QLineEdit::textChanged, m_runFolder, [this, runFolderTip](const QString& text) {
        // The field is narrower than most paths.
        m_runFolder->setToolTip(QStringLiteral("<b>%1</b><br>%2").arg(text.toHtmlEscaped(), runFolderTip));
    });
    m_runFolder->setText(freshRunFolder());
    m_browseRunFolder = new QPushButton(tr("Browse…"));
    m_browseRunFolder->setObjectName(QStringLiteral("browseRunFolderButton"));
    m_browseRunFolder->setToolTip(tr("Choose the run folder."));
    m_openRunFolder = new QPushButton(tr("Open"));
    m_openRunFolder->setObjectName(QStringLiteral("openRunFolderButton"));
    m_openRunFolder->setToolTip(tr("Shows the run folder in the file manager (once a run has created it)."));
    m_start = new QPushButton(tr("Start"));
    m_start->setObjectName(QStringLiteral("startButton"));
    m_start->setToolTip(tr("Trains one net per p, then scores each p's best checkpoint with one pass and with "
                           "MC-dropout ensembles."));
    m_evaluate = new QPushButton(tr("Evaluate a checkpoint …"));
    m_evaluate->setObjectName(QStringLiteral("evaluateCheckpointButton"));
    m_evaluate->setToolTip(
        tr("<p>Re-tests a saved best checkpoint — a run folder's best-p<i>p</i>.ckpt — on the test images of the "
           "data folder, without training: one pass with dropout off and MC-dropout ensembles of the Ensemble "
           "sizes T.</p><p>The seed, averaging, bf16, threads and test images are those set here; with the "
           "settings of the run that wrote the checkpoint it gives the accuracies that run reported.</p>"));
    m_log = new QPlainTextEdit;
    m_log->setObjectName(QStringLiteral("dropoutLog"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(2000);
    m_log->setPlaceholderText(tr("Per-p summaries, checkpoints and messages appear here."));
    m_log->setToolTip(tr("What each run did: best epochs, checkpoints, speeds, and any problem (a diverged p stops "
                         "with a message; its curves up to then are kept)."));
    // Five lines at least; a tall window gives the log its spare height rather than leave it empty.
    m_log->setMinimumHeight(5 * m_log->fontMetrics().height() + 12);
}

void DropoutSettingsForm::connectFields()
{
    // The closed combo's tooltip carries the chosen scheme's formula too.
    const auto initTip = [this] {
        m_init->setToolTip(tr("How the weights are drawn (biases start at zero). The report used Normal with σ = "
                              "0.1. Kaiming and orthogonal use ReLU's gain √2.")
                           + QStringLiteral("\n\n") + m_init->currentData(Qt::ToolTipRole).toString());
    };
    initTip();
    connect(m_init, &QComboBox::currentIndexChanged, this, initTip);
    connect(m_init, &QComboBox::currentIndexChanged, this,
            [this] { m_sigma->setEnabled(InitScheme(m_init->currentData().toInt()) == InitScheme::Normal); });
    connect(m_browse, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("MNIST-format data folder"), dataFolder());
        if (!folder.isEmpty())
            Q_EMIT dataFolderChosen(folder);
    });
    connect(m_defaultFolder, &QPushButton::clicked, this, &DropoutSettingsForm::defaultDataFolderRequested);
    connect(m_folder, &QLineEdit::returnPressed, this, &DropoutSettingsForm::dataFolderEntered);
    connect(m_folder, &QLineEdit::editingFinished, this, &DropoutSettingsForm::dataFolderEditingFinished);
    connect(m_runFolder, &QLineEdit::textEdited, this, [this](const QString& text) {
        // Emptied: back to a fresh timestamped folder per run.
        m_runFolderAuto = text.trimmed().isEmpty();
    });
    connect(m_browseRunFolder, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Run folder"), m_runFolder->text());
        if (!folder.isEmpty())
            setRunFolder(folder);
    });
    connect(m_openRunFolder, &QPushButton::clicked, this, &DropoutSettingsForm::openRunFolder);
    connect(m_averaging, &QComboBox::currentIndexChanged, this,
            [this] { Q_EMIT averagingChanged(m_averaging->currentData().toBool()); });
    connect(m_epochs, &QSpinBox::valueChanged, this, &DropoutSettingsForm::epochsChanged);
    // The list and number fields show what is wrong with them as they are typed in, as the spin
    // boxes do.
    const auto reading = [](auto reader, auto value) {
        return [reader, value](const QString& text) mutable { return reader(text, value); };
    };
    checkAsTyped(m_ps, reading(readPs, std::vector<double>()));
    checkAsTyped(m_hidden, reading(readHidden, std::vector<int>()));
    checkAsTyped(m_learningRate, reading(readLearningRate, 0.0));
    checkAsTyped(m_weightDecay, reading(readWeightDecay, 0.0));
    checkAsTyped(m_ensembleSizes, reading(readEnsembleSizes, std::vector<int>()));
    // A mark on the ranges is about the values they had at the start refused: it goes with a change.
    for (QSpinBox* split : m_splits)
        connect(split, &QSpinBox::valueChanged, this, [this] { markRanges(QString(), 0); });
    connect(m_start, &QPushButton::clicked, this, &DropoutSettingsForm::startRequested);
    connect(m_evaluate, &QPushButton::clicked, this, &DropoutSettingsForm::chooseCheckpoint);
}

std::optional<DropoutConfig> DropoutSettingsForm::config(QString* error, bool lastGoodValues) const
{
    DropoutConfig config;
    // A spin box holding what is not a number in its range has a last good value() that was not
    // typed; the first field that cannot be used is named, in the order of the form. (The line
    // edits' readers below refuse what they cannot read either way.)
    const QWidget* invalid = lastGoodValues ? nullptr : firstInvalidInput(this);
    QString problem = invalid ? inputProblem(invalid) : QString();
    if (problem.isEmpty())
        problem = readPs(m_ps->text(), config.ps);
    if (problem.isEmpty())
        problem = readHidden(m_hidden->text(), config.hidden);
    if (problem.isEmpty())
        problem = readLearningRate(m_learningRate->text(), config.learningRate);
    if (problem.isEmpty())
        problem = readWeightDecay(m_weightDecay->text(), config.weightDecay);
    if (problem.isEmpty())
        problem = readEnsembleSizes(m_ensembleSizes->text(), config.ensembleSizes);
    if (!problem.isEmpty()) {
        if (error)
            *error = problem;
        return std::nullopt;
    }
    config.init = InitScheme(m_init->currentData().toInt());
    config.normalStd = m_sigma->value();
    config.batch = m_batch->value();
    config.epochs = m_epochs->value();
    config.seed = std::uint64_t(m_seed->value());
    config.threads = m_threads->value();
    config.trainBegin = m_splits[0]->value();
    config.trainEnd = m_splits[1]->value();
    config.validationBegin = m_splits[2]->value();
    config.validationEnd = m_splits[3]->value();
    config.testLimit = m_testLimit->value();
    config.averageProbabilities = m_averaging->currentData().toBool();
    config.bf16Inference = m_bf16->isChecked();
    config.galleryCount = kGalleryCount;
    config.runFolder = runFolder().toStdString();
    return config;
}

void DropoutSettingsForm::setConfig(const DropoutConfig& config)
{
    m_ps->setText(listText(config.ps));
    if (const int index = m_init->findData(int(config.init)); index >= 0)
        m_init->setCurrentIndex(index);
    setFieldValue(m_sigma, config.normalStd);
    m_hidden->setText(listText(config.hidden));
    m_learningRate->setText(QString::fromStdString(formatNumber(config.learningRate)));
    m_weightDecay->setText(QString::fromStdString(formatNumber(config.weightDecay)));
    setFieldValue(m_batch, config.batch);
    setFieldValue(m_epochs, config.epochs);
    setFieldValue(m_seed, qint64(std::min<std::uint64_t>(config.seed, std::numeric_limits<qint64>::max())));
    setFieldValue(m_threads, config.threads);
    setFieldValue(m_splits[0], config.trainBegin);
    setFieldValue(m_splits[1], config.trainEnd);
    setFieldValue(m_splits[2], config.validationBegin);
    setFieldValue(m_splits[3], config.validationEnd);
    setFieldValue(m_testLimit, config.testLimit);
    m_ensembleSizes->setText(listText(config.ensembleSizes));
    if (const int index = m_averaging->findData(config.averageProbabilities); index >= 0)
        m_averaging->setCurrentIndex(index);
    m_bf16->setChecked(config.bf16Inference);
}

void DropoutSettingsForm::markRanges(const QString& problem, int imageCount)
{
    for (QSpinBox* split : m_splits)
        markField(split, QString());
    if (problem.isEmpty())
        return;
    // Which ends the problem is about, by core's order of checks: an empty range (both ends), an end
    // beyond the training file, else the two ranges overlap (all four).
    bool marked = false;
    for (std::size_t first : {std::size_t(0), std::size_t(2)}) {
        QSpinBox* begin = m_splits[first];
        QSpinBox* end = m_splits[first + 1];
        if (end->value() <= begin->value()) {
            markField(begin, problem);
            markField(end, problem);
            marked = true;
        } else if (imageCount > 0 && end->value() > imageCount) {
            if (begin->value() >= imageCount)
                markField(begin, problem);
            markField(end, problem);
            marked = true;
        }
    }
    const bool overlap = m_splits[0]->value() < m_splits[3]->value() && m_splits[2]->value() < m_splits[1]->value();
    if (!marked && overlap)
        for (QSpinBox* split : m_splits)
            markField(split, problem);
}

void DropoutSettingsForm::setEpochs(int epochs)
{
    setFieldValue(m_epochs, epochs);
}

int DropoutSettingsForm::epochs() const
{
    return m_epochs->value();
}

void DropoutSettingsForm::setEnsembleSizes(const QString& sizes)
{
    m_ensembleSizes->setText(sizes);
}

QString DropoutSettingsForm::dataFolder() const
{
    return m_folder->text().trimmed();
}

void DropoutSettingsForm::setDataFolder(const QString& folder)
{
    m_folder->setText(folder);
}

void DropoutSettingsForm::setDataInfo(const QString& html, const QString& toolTip)
{
    m_dataInfo->setText(html);
    if (!toolTip.isEmpty())
        m_dataInfo->setToolTip(toolTip);
}

void DropoutSettingsForm::updateCandidates()
{
    QStringList lines;
    const auto mark = [](bool ok) {
        return ok ? QStringLiteral("<span style=\"color:#228b3a\">✔</span>")
                  : QStringLiteral("<span style=\"color:#888\">✘</span>");
    };
    if (qEnvironmentVariableIsEmpty("INITLAB_DATA"))
        lines << tr("%1 $INITLAB_DATA (not set)").arg(mark(false));
    for (const std::string& candidate : dataFolderCandidates()) {
        const QString folder = QString::fromStdString(candidate);
        const bool ok = hasMnistFiles(candidate);
        lines << QStringLiteral("%1 %2%3")
                     .arg(mark(ok), folder.toHtmlEscaped(), ok ? QString() : tr(" (no MNIST-format files)"));
    }
    m_candidates->setText(tr("<small>Searched, in order:<br>%1</small>").arg(lines.join(QStringLiteral("<br>"))));
}

QString DropoutSettingsForm::runFolder() const
{
    return m_runFolder->text().trimmed();
}

void DropoutSettingsForm::setRunFolder(const QString& folder)
{
    m_runFolder->setText(folder);
    m_runFolderAuto = folder.trimmed().isEmpty();
    if (m_runFolderAuto)
        m_runFolder->setText(freshRunFolder());
}

void DropoutSettingsForm::renewRunFolder()
{
    if (m_runFolderAuto)
        m_runFolder->setText(freshRunFolder());
}

void DropoutSettingsForm::appendLog(const QString& text)
{
    m_log->appendPlainText(text);
    m_log->verticalScrollBar()->setValue(m_log->verticalScrollBar()->maximum());
}

void DropoutSettingsForm::setRunning(bool running)
{
    m_start->setEnabled(!running);
    m_evaluate->setEnabled(!running);
    for (QWidget* widget : m_settingsBoxes)
        widget->setEnabled(!running);
}

void DropoutSettingsForm::chooseCheckpoint()
{
    // The run folder when it exists (after a run, the one it wrote), else the runs folder that
    // holds every run's folder.
    QString folder = runFolder();
    if (!QFileInfo(folder).isDir())
        folder = QFileInfo(folder).absolutePath();
    if (!QFileInfo(folder).isDir())
        folder = QString::fromStdString(initlab::configuredRunsFolder());
    const QString file = QFileDialog::getOpenFileName(this, tr("Evaluate a checkpoint"), folder,
                                                      tr("InitLab checkpoints (*.ckpt);;All files (*)"));
    if (!file.isEmpty())
        Q_EMIT checkpointChosen(file);
}

void DropoutSettingsForm::openRunFolder()
{
    const QString folder = runFolder();
    if (QFileInfo(folder).isDir())
        QDesktopServices::openUrl(QUrl::fromLocalFile(folder));
    else
        Q_EMIT message(tr("The run folder %1 does not exist yet: a run creates it.").arg(folder));
}

QString DropoutSettingsForm::freshRunFolder()
{
    // Beside the run records of every experiment (the runs folder, shared with the CLI, and moved
    // with INITLAB_RUNS_FOLDER like the records are).
    const QString base = QString::fromStdString(initlab::configuredRunsFolder()) + QStringLiteral("/dropout-")
        + QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString folder = base;
    // Two runs within a second get folders of their own.
    for (int n = 2; QFileInfo::exists(folder); ++n)
        folder = base + QStringLiteral("-%1").arg(n);
    return QDir::toNativeSeparators(folder);
}

} // namespace initlab::ui

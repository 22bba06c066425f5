#include "dropoutpanel.h"

#include "initlab/csv.h"

#include "initlab/runoutcome.h"
#include "initlab/runrecord.h"

#include "figures/chartexport.h"
#include "figures/confusionmatrixview.h"
#include "figures/dropoutchart.h"
#include "figures/galleryview.h"
#include "common/formatting.h"
#include "common/formfields.h"
#include "common/names.h"
#include "common/palette.h"
#include "experiments/experimentfileio.h"

#include "initlab/blas.h"
#include "initlab/initscheme.h"
#include "initlab/mnist.h"

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
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPainter>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
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

QString pText(double p)
{
    return QString::number(p, 'g', 6);
}

// "87.31": accuracies in Table I and on the charts are percentages.
QString percentCell(double fraction)
{
    return percentNumber(fraction, 2);
}

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

} // namespace

DropoutPanel::DropoutPanel(DropoutWorker* worker, QWidget* parent)
    : ExperimentPanel(ExperimentKind::Dropout, worker, parent)
{
    registerDropoutMetaTypes();

    // --- data
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

    auto* dataBox = new QGroupBox(tr("Data"));
    auto* dataLayout = new QGridLayout(dataBox);
    dataLayout->addWidget(m_folder, 0, 0);
    dataLayout->addWidget(m_browse, 0, 1);
    dataLayout->addWidget(m_defaultFolder, 0, 2);
    dataLayout->addWidget(m_candidates, 1, 0, 1, 3);
    dataLayout->addWidget(m_dataInfo, 2, 0, 1, 3);
    dataLayout->setColumnStretch(0, 1);

    // --- net and training
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
    // The closed combo's tooltip carries the chosen scheme's formula too.
    const auto initTip = [this] {
        m_init->setToolTip(tr("How the weights are drawn (biases start at zero). The report used Normal with σ = "
                              "0.1. Kaiming and orthogonal use ReLU's gain √2.")
                           + QStringLiteral("\n\n") + m_init->currentData(Qt::ToolTipRole).toString());
    };
    initTip();
    connect(m_init, &QComboBox::currentIndexChanged, this, initTip);
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

    auto* trainBox = new QGroupBox(tr("Net and training"));
    auto* trainLayout = new QGridLayout(trainBox);
    addGridField(trainLayout, 0, 0, tr("Dropout &p"), m_ps, 3);
    addGridField(trainLayout, 1, 0, tr("&Init"), m_init, 3);
    addGridField(trainLayout, 2, 0, tr("Hidde&n"), m_hidden);
    addGridField(trainLayout, 2, 1, tr("σ"), m_sigma);
    addGridField(trainLayout, 3, 0, tr("&Learning rate"), m_learningRate);
    addGridField(trainLayout, 3, 1, tr("&Weight decay"), m_weightDecay);
    addGridField(trainLayout, 4, 0, tr("&Batch"), m_batch);
    addGridField(trainLayout, 4, 1, tr("&Epochs"), m_epochs);
    addGridField(trainLayout, 5, 0, tr("See&d"), m_seed);
    addGridField(trainLayout, 5, 1, tr("Threads"), m_threads);
    addGridField(trainLayout, 6, 0, tr("&Training images"), rangeWidget(m_splits[0], m_splits[1]), 3);
    addGridField(trainLayout, 7, 0, tr("&Validation images"), rangeWidget(m_splits[2], m_splits[3]), 3);
    addGridField(trainLayout, 8, 0, tr("Test images"), m_testLimit);
    trainLayout->setColumnStretch(1, 1);
    trainLayout->setColumnStretch(3, 1);

    // --- ensembles
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

    auto* ensembleBox = new QGroupBox(tr("Ensembles"));
    auto* ensembleLayout = new QGridLayout(ensembleBox);
    addGridField(ensembleLayout, 0, 0, tr("Ensemble si&zes T"), m_ensembleSizes);
    addGridField(ensembleLayout, 1, 0, tr("&Averaging"), m_averaging);
    ensembleLayout->addWidget(m_bf16, 2, 1);
    ensembleLayout->setColumnStretch(1, 1);

    // --- the run
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
    auto* openRunFolder = new QPushButton(tr("Open"));
    openRunFolder->setObjectName(QStringLiteral("openRunFolderButton"));
    openRunFolder->setToolTip(tr("Shows the run folder in the file manager (once a run has created it)."));
    m_start = new QPushButton(tr("Start"));
    m_start->setObjectName(QStringLiteral("startButton"));
    m_start->setToolTip(tr("Trains one net per p, then scores each p's best checkpoint with one pass and with "
                           "MC-dropout ensembles."));
    cancelButton()->setToolTip(tr("Stops within one training step or MC pass; what has finished is kept."));
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

    auto* runBox = new QGroupBox(tr("Run"));
    auto* runLayout = new QGridLayout(runBox);
    auto* folderRow = new QHBoxLayout;
    auto* runFolderLabel = new QLabel(tr("&Run folder"));
    runFolderLabel->setBuddy(m_runFolder);
    runFolderLabel->setToolTip(m_runFolder->toolTip());
    folderRow->addWidget(m_runFolder, 1);
    folderRow->addWidget(m_browseRunFolder);
    folderRow->addWidget(openRunFolder);
    auto* buttonRow = new QHBoxLayout;
    buttonRow->addWidget(m_start);
    buttonRow->addWidget(cancelButton());
    buttonRow->addWidget(progressBar(), 1);
    // The checkpoints are in the run folder, so their button sits on its row, in space the label
    // leaves empty.
    auto* labelRow = new QHBoxLayout;
    labelRow->addWidget(runFolderLabel);
    labelRow->addStretch(1);
    labelRow->addWidget(m_evaluate);
    runLayout->addLayout(labelRow, 0, 0);
    runLayout->addLayout(folderRow, 1, 0);
    runLayout->addLayout(buttonRow, 2, 0);
    runLayout->addWidget(statusLabel(), 3, 0);
    runLayout->addWidget(m_log, 4, 0);
    runLayout->setRowStretch(4, 1);

    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(dataBox);
    leftLayout->addWidget(trainBox);
    leftLayout->addWidget(ensembleBox);
    leftLayout->addWidget(runBox, 1);
    left->setMaximumWidth(460);
    m_settingsBoxes = {dataBox, trainBox, ensembleBox, m_runFolder, m_browseRunFolder};

    // --- training curves
    using XScale = DropoutChart::XScale;
    m_charts[int(Chart::TrainingLoss)]
        = new DropoutChart(tr("Training loss"), tr("epoch"), tr("cross-entropy"), XScale::Linear);
    m_charts[int(Chart::TrainingAccuracy)]
        = new DropoutChart(tr("Training accuracy"), tr("epoch"), tr("accuracy (%)"), XScale::Linear);
    m_charts[int(Chart::ValidationLoss)]
        = new DropoutChart(tr("Validation loss"), tr("epoch"), tr("cross-entropy"), XScale::Linear);
    m_charts[int(Chart::ValidationAccuracy)]
        = new DropoutChart(tr("Validation accuracy"), tr("epoch"), tr("accuracy (%)"), XScale::Linear);
    m_charts[int(Chart::EnsembleAccuracy)] = new DropoutChart(
        tr("Test accuracy of MC-dropout ensembles"), tr("passes T"), tr("test accuracy (%)"), XScale::Log);
    m_charts[int(Chart::TrainingLoss)]->setObjectName(QStringLiteral("trainingLossChart"));
    m_charts[int(Chart::TrainingAccuracy)]->setObjectName(QStringLiteral("trainingAccuracyChart"));
    m_charts[int(Chart::ValidationLoss)]->setObjectName(QStringLiteral("validationLossChart"));
    m_charts[int(Chart::ValidationAccuracy)]->setObjectName(QStringLiteral("validationAccuracyChart"));
    m_charts[int(Chart::EnsembleAccuracy)]->setObjectName(QStringLiteral("ensembleAccuracyChart"));
    m_charts[int(Chart::TrainingLoss)]->setToolTip(
        tr("Mean cross-entropy over the epoch's training steps, with dropout on (the thinned nets being trained)."));
    m_charts[int(Chart::TrainingAccuracy)]->setToolTip(
        tr("Share of training images classified right during the epoch, with dropout on: lower than the net's "
           "real accuracy when p is large."));
    m_charts[int(Chart::ValidationLoss)]->setToolTip(
        tr("Cross-entropy on the validation images after the epoch, dropout off. Rising while the training loss "
           "falls is overfitting, which dropout delays."));
    m_charts[int(Chart::ValidationAccuracy)]->setToolTip(
        tr("Accuracy on the validation images after the epoch, dropout off. The epoch with the best value is the "
           "checkpoint the ensembles use."));
    m_charts[int(Chart::EnsembleAccuracy)]->setToolTip(
        tr("Solid: accuracy of the mean of the first T dropout-on passes over the test images (one sweep, read at "
           "every T). Dashed: one pass with dropout off, in the same colour."));
    for (const Chart which : {Chart::TrainingLoss, Chart::ValidationLoss})
        m_charts[int(which)]->setValueLimits(0.0, std::numeric_limits<double>::infinity());
    for (const Chart which : {Chart::TrainingAccuracy, Chart::ValidationAccuracy, Chart::EnsembleAccuracy}) {
        m_charts[int(which)]->setValueLimits(0.0, 100.0);
        m_charts[int(which)]->setValueFormat(QStringLiteral(" %"), 2);
    }
    // CSV as DESIGN.md names it: accuracies as fractions, the one-pass accuracy as passes "single".
    const QStringList pColumn{QStringLiteral("p")};
    for (const Chart which : {Chart::TrainingLoss, Chart::ValidationLoss})
        m_charts[int(which)]->setDataColumns(pColumn, QStringLiteral("epoch"), QStringLiteral("value"));
    for (const Chart which : {Chart::TrainingAccuracy, Chart::ValidationAccuracy})
        m_charts[int(which)]->setDataColumns(pColumn, QStringLiteral("epoch"), QStringLiteral("value"), 0.01);
    m_charts[int(Chart::EnsembleAccuracy)]->setDataColumns(pColumn, QStringLiteral("passes"), QStringLiteral("test_acc"),
                                                           0.01, QStringLiteral("single"));

    auto* trainingPage = new QWidget;
    auto* trainingGrid = new QGridLayout(trainingPage);
    trainingGrid->setSpacing(6);
    trainingGrid->addWidget(m_charts[int(Chart::TrainingLoss)], 0, 0);
    trainingGrid->addWidget(m_charts[int(Chart::TrainingAccuracy)], 0, 1);
    trainingGrid->addWidget(m_charts[int(Chart::ValidationLoss)], 1, 0);
    trainingGrid->addWidget(m_charts[int(Chart::ValidationAccuracy)], 1, 1);

    // --- ensembles: accuracy vs T and Table I
    auto* ensembleNote = new QLabel(
        tr("<b>Solid</b>: MC dropout — dropout stays on at test time and the predictions of the first T passes are "
           "averaged. <b>Dashed</b>: one pass with dropout off (inverted dropout already scaled the weights). With "
           "p = 0 every pass is the same net, so its curve is flat."));
    ensembleNote->setObjectName(QStringLiteral("ensembleNote"));
    ensembleNote->setWordWrap(true);
    ensembleNote->setTextFormat(Qt::RichText);
    m_caption = new QLabel;
    m_caption->setObjectName(QStringLiteral("ensembleCaption"));
    m_caption->setWordWrap(true);
    m_caption->setTextFormat(Qt::RichText);
    m_table = new QTableWidget;
    m_table->setObjectName(QStringLiteral("ensembleTable"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::ContiguousSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_table->setToolTip(tr("Table I: test accuracy of each p's best-validation checkpoint, with one dropout-off pass "
                           "and with MC-dropout ensembles of T passes."));
    updateCaption(true);
    fitTable();

    auto* ensemblePage = new QWidget;
    auto* ensembleLayoutPage = new QVBoxLayout(ensemblePage);
    ensembleLayoutPage->addWidget(m_charts[int(Chart::EnsembleAccuracy)], 1);
    ensembleLayoutPage->addWidget(ensembleNote);
    ensembleLayoutPage->addSpacing(6);
    ensembleLayoutPage->addWidget(m_caption);
    ensembleLayoutPage->addWidget(m_table);

    // --- uncertainty: gallery and confusion matrix
    m_uncertaintyP = new QComboBox;
    m_uncertaintyP->setObjectName(QStringLiteral("uncertaintyPCombo"));
    m_uncertaintyP->setToolTip(tr("Whose best checkpoint the gallery and the confusion matrix show."));
    m_uncertaintyP->setMinimumContentsLength(10);
    m_confusionPasses = new QComboBox;
    m_confusionPasses->setObjectName(QStringLiteral("confusionPassesCombo"));
    m_confusionPasses->setToolTip(tr("The confusion matrix of one dropout-off pass or of an MC-dropout ensemble of T "
                                     "passes (one of the ensemble sizes)."));
    m_confusionPasses->setMinimumContentsLength(18);
    m_gallery = new GalleryView;
    m_gallery->setToolTip(tr("The test images with the highest entropy of the ensemble's mean prediction: where the "
                             "passes disagree or each is unsure. Bars: mean probability per class (outlined: the "
                             "true class; filled green or red: the prediction, right or wrong)."));
    m_galleryCaption = new QLabel(tr("Most uncertain test images"));
    m_galleryCaption->setObjectName(QStringLiteral("galleryCaption"));
    m_galleryCaption->setWordWrap(true);
    m_confusion = new ConfusionMatrixView;
    m_confusion->setPlaceholder(tr("Run the experiment to see which classes the net confuses."));
    m_confusionCaption = new QLabel(tr("Confusion matrix"));
    m_confusionCaption->setObjectName(QStringLiteral("confusionCaption"));
    m_confusionCaption->setWordWrap(true);

    auto* choices = new QHBoxLayout;
    auto* pLabel = new QLabel(tr("Dropout p"));
    pLabel->setBuddy(m_uncertaintyP);
    auto* passesLabel = new QLabel(tr("Confusion matrix of"));
    passesLabel->setBuddy(m_confusionPasses);
    choices->addWidget(pLabel);
    choices->addWidget(m_uncertaintyP);
    choices->addSpacing(16);
    choices->addWidget(passesLabel);
    choices->addWidget(m_confusionPasses);
    choices->addStretch(1);

    auto* galleryColumn = new QWidget;
    auto* galleryLayout = new QVBoxLayout(galleryColumn);
    galleryLayout->setContentsMargins(0, 0, 0, 0);
    galleryLayout->addWidget(m_galleryCaption);
    galleryLayout->addWidget(m_gallery, 1);
    auto* confusionColumn = new QWidget;
    auto* confusionLayout = new QVBoxLayout(confusionColumn);
    confusionLayout->setContentsMargins(0, 0, 0, 0);
    confusionLayout->addWidget(m_confusionCaption);
    confusionLayout->addWidget(m_confusion, 1);
    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(galleryColumn);
    splitter->addWidget(confusionColumn);
    // The matrix would take every pixel it is offered; the gallery needs room for a few columns.
    splitter->setSizes({600, 440});
    splitter->setChildrenCollapsible(false);

    auto* uncertaintyPage = new QWidget;
    auto* uncertaintyLayout = new QVBoxLayout(uncertaintyPage);
    uncertaintyLayout->addLayout(choices);
    uncertaintyLayout->addWidget(splitter, 1);

    m_pages = new QTabWidget;
    m_pages->setObjectName(QStringLiteral("dropoutPages"));
    m_pages->addTab(trainingPage, tr("Training curves"));
    m_pages->addTab(ensemblePage, tr("Ensembles (Table I)"));
    m_pages->addTab(uncertaintyPage, tr("Uncertainty"));
    m_pages->setTabToolTip(0, tr("Loss and accuracy per epoch, training and validation, one colour per p."));
    m_pages->setTabToolTip(1, tr("One pass with dropout off against MC-dropout ensembles of T passes."));
    m_pages->setTabToolTip(2, tr("The test images the ensemble is least sure about, and the confusion matrix."));
    exportAllButton()->setToolTip(tr("Writes the five charts and the confusion matrix as PNG, SVG and PDF, and their "
                                   "data as CSV, into a folder. Right-click a chart to export only that one."));
    m_pages->setCornerWidget(exportAllButton(), Qt::TopRightCorner);
    for (const NamedFigure& figure : exportFigures())
        chartexport::setExportName(dynamic_cast<QWidget*>(figure.figure), figure.baseName);

    auto* layout = new QHBoxLayout(this);
    layout->addWidget(scrollableColumn(left, QStringLiteral("dropoutControlsScroll")));
    layout->addWidget(m_pages, 1);

    // --- behaviour
    connect(m_browse, &QPushButton::clicked, this, &DropoutPanel::chooseFolder);
    connect(m_defaultFolder, &QPushButton::clicked, this, &DropoutPanel::useDefaultFolder);
    connect(m_folder, &QLineEdit::returnPressed, this, &DropoutPanel::requestLoad);
    connect(m_folder, &QLineEdit::editingFinished, this, [this] {
        if (m_folder->text().trimmed() != m_requestedFolder)
            requestLoad();
    });
    connect(m_init, &QComboBox::currentIndexChanged, this,
            [this] { m_sigma->setEnabled(InitScheme(m_init->currentData().toInt()) == InitScheme::Normal); });
    connect(m_runFolder, &QLineEdit::textEdited, this, [this](const QString& text) {
        // Emptied: back to a fresh timestamped folder per run.
        m_runFolderAuto = text.trimmed().isEmpty();
    });
    connect(m_browseRunFolder, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Run folder"), m_runFolder->text());
        if (!folder.isEmpty())
            setRunFolder(folder);
    });
    connect(openRunFolder, &QPushButton::clicked, this, [this] {
        const QString folder = m_runFolder->text().trimmed();
        if (QFileInfo(folder).isDir())
            QDesktopServices::openUrl(QUrl::fromLocalFile(folder));
        else
            setStatus(tr("The run folder %1 does not exist yet: a run creates it.").arg(folder));
    });
    connect(m_averaging, &QComboBox::currentIndexChanged, this, [this] {
        // The caption describes the shown table, so it changes only before any result is shown.
        if (m_shown.empty())
            updateCaption(m_averaging->currentData().toBool());
    });
    // Empty charts already span the epochs a run would fill.
    const auto showEpochRange = [this] {
        if (!m_shown.empty())
            return;
        for (const Chart which : {Chart::TrainingLoss, Chart::TrainingAccuracy, Chart::ValidationLoss,
                                  Chart::ValidationAccuracy})
            m_charts[int(which)]->setXRange(1.0, std::max(2, m_epochs->value()));
        refreshCharts();
    };
    connect(m_epochs, &QSpinBox::valueChanged, this, showEpochRange);
    showEpochRange();
    connect(m_start, &QPushButton::clicked, this, &DropoutPanel::start);
    connect(m_evaluate, &QPushButton::clicked, this, &DropoutPanel::chooseCheckpoint);
    connect(m_uncertaintyP, &QComboBox::currentIndexChanged, this, &DropoutPanel::showUncertainty);
    connect(m_uncertaintyP, &QComboBox::activated, this, [this] { m_uncertaintyPChosen = true; });
    connect(m_confusionPasses, &QComboBox::currentIndexChanged, this, &DropoutPanel::showConfusion);

    connect(worker, &DropoutWorker::dataLoaded, this, &DropoutPanel::onDataLoaded);
    connect(worker, &DropoutWorker::dataFailed, this, &DropoutPanel::onDataFailed);
    connect(worker, &DropoutWorker::started, this, &DropoutPanel::onStarted);
    connect(worker, &DropoutWorker::epochFinished, this, &DropoutPanel::onEpoch);
    connect(worker, &DropoutWorker::ensembleProgress, this, &DropoutPanel::onEnsemble);
    connect(worker, &DropoutWorker::runFinished, this, &DropoutPanel::onRunFinished);
    connect(worker, &DropoutWorker::message, this, &DropoutPanel::onMessage);
    connect(worker, &DropoutWorker::finished, this, &DropoutPanel::onFinished);

    m_gallery->setPlaceholder(tr("Run the experiment to see the test images the ensemble is least sure about."));
    updateCandidates();
    m_dataInfo->setText(m_folder->text().isEmpty()
                            ? tr("<span style=\"%1\">No data folder found.</span> Install Debian's "
                                 "<i>dataset-fashion-mnist</i> package, or choose a folder with the four "
                                 "MNIST-format files.")
                                  .arg(errorSpanStyle(palette()))
                            : tr("Not read yet."));
    refreshCharts();
    updateControls();
}

// ---- running ------------------------------------------------------------------------------

bool DropoutPanel::start()
{
    if (isRunning() || !worker())
        return false;
    QString error;
    std::optional<DropoutConfig> config = configFromControls(&error);
    if (!config) {
        m_lastError = error;
        setStatus(tr("Cannot start: %1.").arg(error), true);
        return false;
    }
    if (m_runFolderAuto) {
        m_runFolder->setText(freshRunFolder());
        config->runFolder = m_runFolder->text().toStdString();
    }
    const QString folder = m_folder->text().trimmed();
    m_requestedFolder = folder;
    m_loadRequested = true;
    m_runConfig = *config;
    beginRun(tr("Reading the data …"));
    dropoutWorker()->startRun(folder, *config);
    return true;
}

bool DropoutPanel::evaluateCheckpoint(const QString& path)
{
    if (isRunning() || !worker())
        return false;
    const QString file = path.trimmed();
    if (file.isEmpty()) {
        m_lastError = tr("no checkpoint file chosen");
        setStatus(tr("Cannot evaluate: %1.").arg(m_lastError), true);
        return false;
    }
    // Only the ensemble and test settings matter, but a field that cannot be read is named rather
    // than silently replaced.
    QString error;
    std::optional<DropoutConfig> config = configFromControls(&error);
    if (!config) {
        m_lastError = error;
        setStatus(tr("Cannot evaluate: %1.").arg(error), true);
        return false;
    }
    // Nothing is written: the checkpoint's own folder stands in for the run folder.
    config->runFolder = QFileInfo(file).absolutePath().toStdString();
    const QString folder = m_folder->text().trimmed();
    m_requestedFolder = folder;
    m_loadRequested = true;
    m_evaluating = true;
    m_evaluatedPath = file;
    // Not a run: it leaves no record.
    beginRun(tr("Reading %1 …").arg(QDir::toNativeSeparators(file)), false);
    dropoutWorker()->startEvaluation(folder, file, *config);
    Q_EMIT evaluationStarted();
    return true;
}

bool DropoutPanel::isEvaluating() const
{
    return m_evaluating;
}

void DropoutPanel::chooseCheckpoint()
{
    if (isRunning())
        return;
    // The run folder when it exists (after a run, the one it wrote), else the runs folder that
    // holds every run's folder.
    QString folder = m_runFolder->text().trimmed();
    if (!QFileInfo(folder).isDir())
        folder = QFileInfo(folder).absolutePath();
    if (!QFileInfo(folder).isDir())
        folder = QString::fromStdString(initlab::configuredRunsFolder());
    const QString file = QFileDialog::getOpenFileName(this, tr("Evaluate a checkpoint"), folder,
                                                      tr("InitLab checkpoints (*.ckpt);;All files (*)"));
    if (!file.isEmpty())
        evaluateCheckpoint(file);
}

DropoutWorker* DropoutPanel::dropoutWorker() const
{
    return static_cast<DropoutWorker*>(worker());
}

std::optional<DropoutConfig> DropoutPanel::configFromControls(QString* error) const
{
    const auto fail = [error](const QString& why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    DropoutConfig config;

    config.ps.clear();
    for (const QString& item : splitList(m_ps->text())) {
        double p = 0.0;
        if (!parseNumber(item, p))
            return fail(tr("\"%1\" in the p values is not a number").arg(item));
        if (p < 0.0 || p >= 1.0)
            return fail(tr("dropout probabilities must be in [0, 1) (got %1)").arg(item));
        if (std::find(config.ps.begin(), config.ps.end(), p) != config.ps.end())
            return fail(tr("p = %1 is listed twice").arg(pText(p)));
        config.ps.push_back(p);
    }
    if (config.ps.empty())
        return fail(tr("give at least one dropout probability p"));

    config.hidden.clear();
    for (const QString& item : splitList(m_hidden->text())) {
        bool ok = false;
        const int units = item.toInt(&ok);
        if (!ok || units < 1)
            return fail(tr("\"%1\" in the hidden layers is not a positive whole number").arg(item));
        config.hidden.push_back(units);
    }
    if (config.hidden.empty())
        return fail(tr("give at least one hidden layer size"));

    if (!parseNumber(m_learningRate->text(), config.learningRate) || config.learningRate <= 0.0)
        return fail(tr("the learning rate must be a positive number such as 3e-4"));
    if (!parseNumber(m_weightDecay->text(), config.weightDecay) || config.weightDecay < 0.0)
        return fail(tr("the weight decay must be a number >= 0"));

    std::set<int> sizes;
    for (const QString& item : splitList(m_ensembleSizes->text())) {
        bool ok = false;
        const int passes = item.toInt(&ok);
        if (!ok || passes < 1)
            return fail(tr("\"%1\" in the ensemble sizes is not a positive whole number").arg(item));
        sizes.insert(passes);
    }
    if (sizes.empty())
        return fail(tr("give at least one ensemble size T"));
    config.ensembleSizes.assign(sizes.begin(), sizes.end());

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
    config.runFolder = m_runFolder->text().trimmed().toStdString();
    return config;
}

void DropoutPanel::onStarted(const DropoutConfig& config, const DataSummary& summary)
{
    if (isRunning())
        prepareViews(config, summary);
}

void DropoutPanel::prepareViews(const DropoutConfig& config, const DataSummary& summary)
{
    // Results are cleared only once the run has really begun, so a run refused for its settings or
    // its data leaves the previous results in place.
    clearResults();
    m_lastError.clear();
    m_uncertaintyPChosen = false;
    m_runConfig = config;
    m_runData = summary;
    if (m_evaluating) {
        appendLog(tr("— %1: evaluating %2 on %3 test images of %4, ensembles of up to %5 passes —")
                      .arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")),
                           QDir::toNativeSeparators(m_evaluatedPath))
                      .arg(config.testLimit > 0 ? config.testLimit : summary.testCount)
                      .arg(toQString(displayName(summary.kind)))
                      .arg(config.ensembleSizes.empty() ? 0 : config.ensembleSizes.back()));
    } else {
        appendLog(tr("— %1: %2, p = %3, %4 epochs, ensembles of up to %5 passes —")
                      .arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")),
                           toQString(displayName(summary.kind)),
                           [&] {
                               QStringList ps;
                               for (double p : config.ps)
                                   ps << pText(p);
                               return ps.join(QStringLiteral(", "));
                           }())
                      .arg(config.epochs)
                      .arg(config.ensembleSizes.empty() ? 0 : config.ensembleSizes.back()));
    }

    for (std::size_t run = 0; run < config.ps.size(); ++run) {
        Shown shown;
        shown.p = config.ps[run];
        shown.name = tr("p = %1").arg(pText(shown.p));
        shown.color = categoricalColor(int(run));
        for (DropoutChart* chart : m_charts)
            chart->setCurveKeys(chart->addCurve(shown.name, shown.color), {pText(shown.p)});
        m_shown.push_back(shown);
    }
    for (const Chart which : {Chart::TrainingLoss, Chart::TrainingAccuracy, Chart::ValidationLoss,
                              Chart::ValidationAccuracy})
        m_charts[int(which)]->setXRange(1.0, std::max(2, config.epochs));
    const int tMax = config.ensembleSizes.empty() ? 1 : config.ensembleSizes.back();
    m_charts[int(Chart::EnsembleAccuracy)]->setXRange(1.0, std::max(2, tMax));
    setUpTable(config);
    updateCaption(config.averageProbabilities);
    if (m_evaluating) {
        m_gallery->setPlaceholder(tr("Evaluating a checkpoint gives its accuracies only: train to see the gallery."));
        m_confusion->setPlaceholder(tr("Evaluating a checkpoint gives its accuracies only: train to see the "
                                       "confusion matrices."));
        setStatus(tr("Evaluating %1 (%2) …").arg(QFileInfo(m_evaluatedPath).fileName(), m_shown.front().name));
        // There are no training curves to watch: what fills in is on the Ensembles page.
        showPage(Page::Ensembles);
        return;
    }
    m_gallery->setPlaceholder(tr("The gallery appears when the first p's ensemble is done."));
    m_confusion->setPlaceholder(tr("The confusion matrix appears when the first p's ensemble is done."));
    setStatus(tr("Training %1 …").arg(m_shown.front().name));
}

void DropoutPanel::onEpoch(const DropoutEpoch& epoch)
{
    if (isRunning())
        addEpoch(epoch);
}

void DropoutPanel::addEpoch(const DropoutEpoch& epoch)
{
    if (epoch.run < 0 || epoch.run >= int(m_shown.size()))
        return;
    const double x = epoch.epoch;
    m_charts[int(Chart::TrainingLoss)]->appendPoint(epoch.run, QPointF(x, epoch.trainLoss));
    m_charts[int(Chart::TrainingAccuracy)]->appendPoint(epoch.run, QPointF(x, 100.0 * epoch.trainAcc));
    m_charts[int(Chart::ValidationLoss)]->appendPoint(epoch.run, QPointF(x, epoch.valLoss));
    m_charts[int(Chart::ValidationAccuracy)]->appendPoint(epoch.run, QPointF(x, 100.0 * epoch.valAcc));
    setStatus(tr("%1 — epoch %2 of %3: training loss %4, validation accuracy %5 % (%6 per epoch).")
                  .arg(pName(epoch.run))
                  .arg(epoch.epoch)
                  .arg(m_runConfig.epochs)
                  .arg(epoch.trainLoss, 0, 'f', 4)
                  .arg(percentCell(epoch.valAcc))
                  .arg(durationText(epoch.seconds)));
}

void DropoutPanel::onEnsemble(int run, int passes, double accuracy)
{
    if (!isRunning() || run < 0 || run >= int(m_shown.size()))
        return;
    m_charts[int(Chart::EnsembleAccuracy)]->appendPoint(run, QPointF(passes, 100.0 * accuracy));
    const auto column = std::find(m_tableSizes.begin(), m_tableSizes.end(), passes);
    if (column != m_tableSizes.end())
        setTableCell(run, 1 + int(column - m_tableSizes.begin()), percentCell(accuracy),
                     tr("%1, MC dropout with T = %2 passes: %3 % of the test images right.")
                         .arg(pName(run))
                         .arg(passes)
                         .arg(percentCell(accuracy)));
    const int tMax = m_tableSizes.empty() ? passes : m_tableSizes.back();
    setStatus(tr("%1 — MC dropout: %2 of %3 passes, ensemble accuracy %4 %.")
                  .arg(pName(run))
                  .arg(passes)
                  .arg(tMax)
                  .arg(percentCell(accuracy)));
}

void DropoutPanel::onRunFinished(int run, const DropoutRunResult& result)
{
    if (isRunning())
        addRunResult(run, result);
}

void DropoutPanel::addRunResult(int run, const DropoutRunResult& result)
{
    if (run < 0 || run >= int(m_shown.size()))
        return;
    Shown& shown = m_shown[run];
    shown.finished = true;
    shown.result = result;

    DropoutChart* ensembleChart = m_charts[int(Chart::EnsembleAccuracy)];
    QVector<QPointF> curve;
    curve.reserve(qsizetype(result.ensembleAcc.size()));
    for (std::size_t t = 0; t < result.ensembleAcc.size(); ++t)
        curve.append(QPointF(double(t + 1), 100.0 * result.ensembleAcc[t]));
    ensembleChart->setPoints(run, curve);
    if (result.bestEpoch > 0 && !result.ensembleAcc.empty())
        ensembleChart->setCurveKeys(ensembleChart->addReferenceLine(tr("%1, one pass with dropout off").arg(shown.name),
                                                                    shown.color, 100.0 * result.singlePassAcc),
                                    {pText(shown.p)});
    fillTableRow(run);

    if (m_evaluating) {
        QString line = tr("%1, checkpoint of epoch %2: test: one pass %3 %")
                           .arg(shown.name)
                           .arg(result.bestEpoch)
                           .arg(percentCell(result.singlePassAcc));
        if (!result.ensembleAcc.empty())
            line += tr(", T = %1: %2 %").arg(result.ensembleAcc.size()).arg(percentCell(result.ensembleAcc.back()));
        if (result.ensembleSeconds > 0 && result.ensembleFlops > 0)
            line += tr("; MC passes %1 GFLOP/s").arg(result.ensembleFlops / result.ensembleSeconds / 1e9, 0, 'f', 1);
        appendLog(line + tr(". Checkpoint: %1").arg(QDir::toNativeSeparators(m_evaluatedPath)));
    } else if (result.bestEpoch > 0) {
        QString line = tr("%1: best validation accuracy %2 % at epoch %3")
                           .arg(shown.name, percentCell(result.bestValAcc))
                           .arg(result.bestEpoch);
        if (!result.ensembleAcc.empty())
            line += tr("; test: one pass %1 %, T = %2: %3 %")
                        .arg(percentCell(result.singlePassAcc))
                        .arg(result.ensembleAcc.size())
                        .arg(percentCell(result.ensembleAcc.back()));
        if (result.stepsPerSecond > 0)
            line += tr("; training %1 steps/s").arg(result.stepsPerSecond, 0, 'f', 0);
        if (result.ensembleSeconds > 0)
            line += tr(", MC passes %1 GFLOP/s").arg(result.ensembleFlops / result.ensembleSeconds / 1e9, 0, 'f', 1);
        line += QLatin1Char('.');
        if (!result.checkpointPath.empty())
            line += tr(" Checkpoint: %1").arg(QString::fromStdString(result.checkpointPath));
        appendLog(line);
    }
    updateUncertaintyChoices();
}

void DropoutPanel::onMessage(const QString& text)
{
    if (!isRunning())
        return;
    // Core's messages are problems: a p that diverged, a checkpoint that could not be written.
    appendLog(text);
    setStatus(text, true);
}

void DropoutPanel::onFinished(const DropoutResult& result)
{
    if (!isRunning())
        return;
    if (m_evaluating) {
        onEvaluationFinished(result);
        return;
    }
    endRun();
    m_lastResult = result;

    const double seconds = elapsedMs() / 1000.0;
    if (!result.error.empty()) {
        m_lastError = QString::fromStdString(result.error);
        setStatus(tr("Error: %1.").arg(m_lastError), true);
        appendLog(tr("Error: %1.").arg(m_lastError));
    } else if (result.cancelled) {
        // A p cancelled in training has no row yet; one cancelled in its sweep is partly filled.
        for (std::size_t run = 0; run < m_shown.size(); ++run)
            if (!m_shown[run].result)
                for (int column = 0; column < m_table->columnCount(); ++column)
                    setTableCell(int(run), column, tr("—"), tr("Cancelled before this p was scored."));
        int finished = 0;
        for (const Shown& shown : m_shown)
            finished += shown.finished && shown.result && shown.result->ensembleAcc.size()
                    == std::size_t(m_tableSizes.empty() ? 0 : m_tableSizes.back());
        setStatus(tr("Cancelled after %1 (%2 of %3 p values finished).")
                      .arg(durationText(seconds))
                      .arg(finished)
                      .arg(m_shown.size()));
        appendLog(tr("Cancelled."));
    } else {
        QString text = tr("Finished in %1.").arg(durationText(seconds));
        QStringList diverged;
        for (const DropoutRunResult& run : result.runs)
            if (run.divergedEpoch > 0)
                diverged << tr("p = %1").arg(pText(run.p));
        if (!diverged.isEmpty())
            text += tr(" Diverged: %1 (see the log).").arg(diverged.join(QStringLiteral(", ")));
        else if (!result.runs.empty() && !result.runs.back().checkpointPath.empty())
            text += tr(" Checkpoints are in the run folder.");
        setStatus(text, !diverged.isEmpty());
        setProgress(1.0);
    }
    Q_EMIT runEnded(dropoutOutcome(m_runConfig, extras(), result));
    Q_EMIT runFinished(result);
}

void DropoutPanel::onEvaluationFinished(const DropoutResult& result)
{
    m_evaluating = false;
    endRun();
    const QString file = QDir::toNativeSeparators(m_evaluatedPath);
    const double seconds = elapsedMs() / 1000.0;
    if (!result.error.empty()) {
        // The earlier results stay: the charts are cleared only once an evaluation has begun.
        m_lastError = QString::fromStdString(result.error);
        setStatus(tr("Cannot evaluate the checkpoint: %1.").arg(m_lastError), true);
        appendLog(tr("Cannot evaluate the checkpoint: %1.").arg(m_lastError));
    } else {
        m_lastResult = result;
        m_lastError.clear();
        const int tMax = m_tableSizes.empty() ? 0 : m_tableSizes.back();
        const DropoutRunResult* run = result.runs.empty() ? nullptr : &result.runs.front();
        if (result.cancelled && !run) {
            // Cancelled while the data were read: nothing was shown, the earlier results stay.
            setStatus(tr("Cancelled the evaluation of %1 before it began.").arg(file));
        } else if (result.cancelled) {
            // The table's columns beyond the passes done already say "Cancelled before T passes".
            setStatus(tr("Cancelled the evaluation of %1 after %2 of %3 passes (%4).")
                          .arg(file)
                          .arg(run->ensembleAcc.size())
                          .arg(tMax)
                          .arg(durationText(seconds)));
            appendLog(tr("Cancelled."));
        } else if (run) {
            QString text = tr("Evaluated %1 (p = %2, best epoch %3) in %4: one pass %5 %")
                               .arg(file, pText(run->p))
                               .arg(run->bestEpoch)
                               .arg(durationText(seconds))
                               .arg(percentCell(run->singlePassAcc));
            if (!run->ensembleAcc.empty())
                text += tr(", T = %1: %2 %").arg(run->ensembleAcc.size()).arg(percentCell(run->ensembleAcc.back()));
            setStatus(text + QLatin1Char('.'));
            setProgress(1.0);
        }
    }
    Q_EMIT evaluationFinished(result);
}

// ---- data ---------------------------------------------------------------------------------

void DropoutPanel::setDataFolder(const QString& folder)
{
    m_folder->setText(folder);
    requestLoad();
}

QString DropoutPanel::dataFolder() const
{
    return m_folder->text().trimmed();
}

const DataSummary& DropoutPanel::dataSummary() const
{
    return m_data;
}

void DropoutPanel::chooseFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("MNIST-format data folder"), dataFolder());
    if (!folder.isEmpty())
        setDataFolder(folder);
}

void DropoutPanel::useDefaultFolder()
{
    updateCandidates();
    const QString folder = QString::fromStdString(findDataFolder());
    if (folder.isEmpty()) {
        m_folder->clear();
        m_requestedFolder.clear();
        m_data = DataSummary();
        m_dataInfo->setText(tr("<span style=\"%1\">None of the places above holds the four files.</span>")
                                .arg(errorSpanStyle(palette())));
        return;
    }
    setDataFolder(folder);
}

void DropoutPanel::requestLoad()
{
    if (isRunning() || !worker())
        return;
    m_loadRequested = true;
    m_requestedFolder = dataFolder();
    if (m_requestedFolder.isEmpty()) {
        m_data = DataSummary();
        m_dataInfo->setText(tr("<span style=\"%1\">No data folder chosen.</span>").arg(errorSpanStyle(palette())));
        return;
    }
    m_dataInfo->setText(tr("Reading %1 …").arg(m_requestedFolder.toHtmlEscaped()));
    dropoutWorker()->startLoad(m_requestedFolder);
}

void DropoutPanel::updateCandidates()
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

void DropoutPanel::onDataLoaded(const DataSummary& summary)
{
    if (summary.folder != m_requestedFolder)
        return; // an older request
    m_data = summary;
    const QLocale locale;
    m_dataInfo->setText(tr("<b>%1</b>: %2 training and %3 test images of %4 × %5 pixels.<br>Classes: %6")
                            .arg(toQString(displayName(summary.kind)))
                            .arg(locale.toString(summary.trainCount))
                            .arg(locale.toString(summary.testCount))
                            .arg(summary.rows)
                            .arg(summary.cols)
                            .arg(summary.classNames.join(QStringLiteral(", ")).toHtmlEscaped()));
    m_dataInfo->setToolTip(summary.kind == DatasetKind::Unknown
                               ? tr("Not recognised as MNIST or Fashion-MNIST (60 000 + 10 000 images of 28 × 28 "
                                    "with their typical brightness), so the classes are numbered.")
                               : tr("Recognised by its size and its mean pixel brightness."));
}

void DropoutPanel::onDataFailed(const QString& folder, const QString& error)
{
    if (folder != m_requestedFolder)
        return;
    m_data = DataSummary();
    m_dataInfo->setText(tr("<span style=\"%1\">Cannot read the data:</span> %2")
                            .arg(errorSpanStyle(palette()), error.toHtmlEscaped()));
    showError(tr("Cannot read the data"), error);
}

void DropoutPanel::showError(const QString& title, const QString& text)
{
    m_lastError = text;
    if (m_errorBox)
        m_errorBox->close();
    // Non-modal: nothing waits on the dialog, and the tab stays usable behind it.
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("dropoutErrorDialog"));
    box->setInformativeText(tr("A data folder needs train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                               "t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each may end in .gz), in "
                               "MNIST's IDX format. Choose another folder or fix the file, then try again."));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::NonModal);
    box->show();
    m_errorBox = box;
    Q_EMIT statusMessage(title + QStringLiteral(": ") + text);
}

// ---- results ------------------------------------------------------------------------------

void DropoutPanel::clearResults()
{
    for (DropoutChart* chart : m_charts)
        chart->clear();
    m_shown.clear();
    m_tableSizes.clear();
    m_table->clear();
    m_table->setRowCount(0);
    m_table->setColumnCount(0);
    fitTable();
    {
        const QSignalBlocker blockP(m_uncertaintyP);
        const QSignalBlocker blockPasses(m_confusionPasses);
        m_uncertaintyP->clear();
        m_confusionPasses->clear();
    }
    m_gallery->clear();
    m_confusion->clear();
    m_galleryCaption->setText(tr("Most uncertain test images"));
    m_confusionCaption->setText(tr("Confusion matrix"));
    refreshCharts();
}

void DropoutPanel::setUpTable(const DropoutConfig& config)
{
    m_tableSizes = config.ensembleSizes;
    m_table->setColumnCount(1 + int(m_tableSizes.size()));
    m_table->setRowCount(int(m_shown.size()));
    auto* single = new QTableWidgetItem(tr("one pass\n(dropout off)"));
    single->setToolTip(tr("Dropout off at test time: one deterministic pass. Inverted dropout scaled the kept "
                          "units by 1/(1−p) in training, so the weights need no rescaling (weight scaling)."));
    m_table->setHorizontalHeaderItem(0, single);
    for (std::size_t i = 0; i < m_tableSizes.size(); ++i) {
        auto* header = new QTableWidgetItem(tr("T = %1").arg(m_tableSizes[i]));
        header->setToolTip(tr("MC dropout: dropout on, the mean of %1 passes' %2.")
                               .arg(m_tableSizes[i])
                               .arg(config.averageProbabilities ? tr("softmax probabilities") : tr("logits")));
        m_table->setHorizontalHeaderItem(1 + int(i), header);
    }
    for (std::size_t run = 0; run < m_shown.size(); ++run) {
        auto* header = new QTableWidgetItem(swatchIcon(m_shown[run].color), m_shown[run].name);
        m_table->setVerticalHeaderItem(int(run), header);
        for (int column = 0; column < m_table->columnCount(); ++column)
            setTableCell(int(run), column, QString(), QString());
    }
    fitTable();
}

void DropoutPanel::fitTable()
{
    // Exactly as tall as its rows (room for three before a run), so no empty band sits under them
    // and the chart above gets the rest.
    m_table->resizeRowsToContents();
    const int rows = m_table->rowCount() > 0 ? m_table->rowCount() : 3;
    const int rowHeight
        = m_table->rowCount() > 0 ? m_table->rowHeight(0) : m_table->verticalHeader()->defaultSectionSize();
    const int header = m_table->columnCount() > 0 ? m_table->horizontalHeader()->sizeHint().height() : 0;
    m_table->setFixedHeight(header + rows * rowHeight + 2 * m_table->frameWidth());
}

void DropoutPanel::setTableCell(int run, int column, const QString& text, const QString& toolTip)
{
    if (run < 0 || run >= m_table->rowCount() || column < 0 || column >= m_table->columnCount())
        return;
    QTableWidgetItem* item = m_table->item(run, column);
    if (!item) {
        item = new QTableWidgetItem;
        item->setTextAlignment(Qt::AlignCenter);
        m_table->setItem(run, column, item);
    }
    item->setText(text);
    item->setToolTip(toolTip);
}

void DropoutPanel::fillTableRow(int run)
{
    const Shown& shown = m_shown.at(std::size_t(run));
    if (!shown.result)
        return;
    const DropoutRunResult& r = *shown.result;
    if (r.bestEpoch == 0 || r.ensembleAcc.empty()) {
        // Nothing to score: the run diverged at once or was cancelled before an epoch finished.
        const QString why = !r.message.empty() ? QString::fromStdString(r.message) : tr("no checkpoint to score");
        const QString text = r.divergedEpoch > 0 ? tr("diverged") : tr("—");
        for (int column = 0; column < m_table->columnCount(); ++column)
            setTableCell(run, column, text, why);
        return;
    }
    setTableCell(run, 0, percentCell(r.singlePassAcc),
                 tr("%1, one pass with dropout off (best epoch %2): %3 % of the test images right.")
                     .arg(shown.name)
                     .arg(r.bestEpoch)
                     .arg(percentCell(r.singlePassAcc)));
    for (std::size_t i = 0; i < m_tableSizes.size(); ++i) {
        const int passes = m_tableSizes[i];
        if (std::size_t(passes) <= r.ensembleAcc.size()) {
            const double accuracy = r.ensembleAcc[std::size_t(passes) - 1];
            const double gain = accuracy - r.singlePassAcc;
            setTableCell(run, 1 + int(i), percentCell(accuracy),
                         tr("%1, MC dropout with T = %2 passes: %3 % (%4%5 points against one pass).")
                             .arg(shown.name)
                             .arg(passes)
                             .arg(percentCell(accuracy))
                             .arg(gain >= 0 ? QStringLiteral("+") : QString())
                             .arg(100.0 * gain, 0, 'f', 2));
        } else {
            setTableCell(run, 1 + int(i), tr("—"), tr("Cancelled before %1 passes.").arg(passes));
        }
    }
}

void DropoutPanel::updateCaption(bool averageProbabilities)
{
    m_caption->setText(averageProbabilities
                           ? tr("<b>Table I.</b> Test accuracy (%) of each p's best-validation checkpoint. The "
                                "ensembles average the <b>softmax probabilities</b> of T passes (Gal &amp; "
                                "Ghahramani).")
                           : tr("<b>Table I.</b> Test accuracy (%) of each p's best-validation checkpoint. The "
                                "ensembles average the <b>logits</b> of T passes (as the report did)."));
}

void DropoutPanel::updateUncertaintyChoices()
{
    const QVariant current = m_uncertaintyP->currentData();
    {
        const QSignalBlocker block(m_uncertaintyP);
        m_uncertaintyP->clear();
        for (std::size_t run = 0; run < m_shown.size(); ++run) {
            const Shown& shown = m_shown[run];
            if (shown.result && !shown.result->confusion.empty())
                m_uncertaintyP->addItem(swatchIcon(shown.color), shown.name, int(run));
        }
        // Until the user picks a p, the latest finished one is shown, so the gallery follows the run.
        const int index = current.isValid() && m_uncertaintyPChosen ? m_uncertaintyP->findData(current) : -1;
        m_uncertaintyP->setCurrentIndex(index >= 0 ? index : m_uncertaintyP->count() - 1);
    }
    if (m_uncertaintyP->currentData() != current || m_gallery->thumbnailCount() == 0)
        showUncertainty();
}

void DropoutPanel::showUncertainty()
{
    const QVariant data = m_uncertaintyP->currentData();
    const int run = data.isValid() ? data.toInt() : -1;
    if (run < 0 || run >= int(m_shown.size()) || !m_shown[run].result) {
        m_gallery->clear();
        m_confusion->clear();
        return;
    }
    const DropoutRunResult& r = *m_shown[run].result;
    m_gallery->setImages(r.gallery, m_runData.rows, m_runData.cols, m_runData.classNames);
    const int passes = int(r.ensembleAcc.size());
    QString caption = tr("The %1 test images with the highest predictive entropy for %2, MC dropout with T = %3 "
                         "passes (averaging %4). Hover over an image for its probabilities.")
                          .arg(r.gallery.size())
                          .arg(m_shown[run].name)
                          .arg(passes)
                          .arg(m_runConfig.averageProbabilities ? tr("probabilities") : tr("logits"));
    if (m_shown[run].p == 0.0)
        caption += tr(" With p = 0 every pass is the same net: this is the plain net's own uncertainty.");
    m_galleryCaption->setText(caption);

    // The passes offered are the matrices the run has; the same choice is kept when p changes.
    const QVariant previous = m_confusionPasses->currentData();
    {
        const QSignalBlocker block(m_confusionPasses);
        m_confusionPasses->clear();
        for (const ConfusionMatrix& matrix : r.confusion)
            m_confusionPasses->addItem(matrix.passes == 0 ? tr("one pass, dropout off")
                                                          : tr("T = %1 passes").arg(matrix.passes),
                                       matrix.passes);
        int index = previous.isValid() ? m_confusionPasses->findData(previous) : -1;
        if (index < 0)
            index = m_confusionPasses->count() - 1; // the largest ensemble
        m_confusionPasses->setCurrentIndex(index);
    }
    showConfusion();
}

void DropoutPanel::showConfusion()
{
    const QVariant pData = m_uncertaintyP->currentData();
    const QVariant passesData = m_confusionPasses->currentData();
    const int run = pData.isValid() ? pData.toInt() : -1;
    if (run < 0 || run >= int(m_shown.size()) || !m_shown[run].result || !passesData.isValid()) {
        m_confusion->clear();
        return;
    }
    const DropoutRunResult& r = *m_shown[run].result;
    const int passes = passesData.toInt();
    const auto matrix = std::find_if(r.confusion.begin(), r.confusion.end(),
                                     [passes](const ConfusionMatrix& m) { return m.passes == passes; });
    if (matrix == r.confusion.end()) {
        m_confusion->clear();
        return;
    }
    m_confusion->setMatrix(matrix->counts, m_runData.classNames);
    m_confusion->setTitle(tr("Confusion matrix of %1, %2")
                              .arg(m_shown[run].name, passes == 0 ? tr("one pass with dropout off")
                                                                  : tr("T = %1 passes").arg(passes)));
    m_confusionCaption->setText(tr("Confusion matrix of %1, %2: %3 % of %4 test images right.")
                                    .arg(m_shown[run].name, passes == 0 ? tr("one pass with dropout off")
                                                                        : tr("T = %1 passes").arg(passes))
                                    .arg(percentCell(m_confusion->accuracy()))
                                    .arg(QLocale().toString(m_confusion->total())));
}

void DropoutPanel::refreshCharts()
{
    for (DropoutChart* chart : m_charts)
        chart->refresh();
}

// ---- small things ---------------------------------------------------------------------------

void DropoutPanel::updateControls()
{
    m_start->setEnabled(!isRunning());
    m_evaluate->setEnabled(!isRunning());
    for (QWidget* widget : m_settingsBoxes)
        widget->setEnabled(!isRunning());
}

void DropoutPanel::refreshViews()
{
    refreshCharts();
}

void DropoutPanel::appendLog(const QString& text)
{
    m_log->appendPlainText(text);
    m_log->verticalScrollBar()->setValue(m_log->verticalScrollBar()->maximum());
}

QString DropoutPanel::freshRunFolder() const
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

QString DropoutPanel::pName(int run) const
{
    return run >= 0 && run < int(m_shown.size()) ? m_shown[run].name : QString();
}

void DropoutPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    // The data are read when the tab is first shown, not when the window is built: a session that
    // never opens this tab reads nothing.
    if (!m_loadRequested && !dataFolder().isEmpty())
        requestLoad();
}

// ---- settings and recorded runs ------------------------------------------------------------

DropoutExtras DropoutPanel::extras() const
{
    DropoutExtras extras;
    extras.dataFolder = m_folder->text().trimmed().toStdString();
    return extras;
}

void DropoutPanel::setConfig(const DropoutConfig& config, const DropoutExtras& extras)
{
    const auto numbers = [](const auto& values) {
        QStringList items;
        for (const auto v : values)
            items << QString::fromStdString(formatNumber(v));
        return items.join(QStringLiteral(", "));
    };
    m_ps->setText(numbers(config.ps));
    if (const int index = m_init->findData(int(config.init)); index >= 0)
        m_init->setCurrentIndex(index);
    m_sigma->setValue(config.normalStd);
    QStringList hidden;
    for (int units : config.hidden)
        hidden << QString::number(units);
    m_hidden->setText(hidden.join(QStringLiteral(", ")));
    m_learningRate->setText(QString::fromStdString(formatNumber(config.learningRate)));
    m_weightDecay->setText(QString::fromStdString(formatNumber(config.weightDecay)));
    m_batch->setValue(config.batch);
    m_epochs->setValue(config.epochs);
    m_seed->setValue(int(std::min<std::uint64_t>(config.seed, std::uint64_t(m_seed->maximum()))));
    m_threads->setValue(config.threads);
    m_splits[0]->setValue(config.trainBegin);
    m_splits[1]->setValue(config.trainEnd);
    m_splits[2]->setValue(config.validationBegin);
    m_splits[3]->setValue(config.validationEnd);
    m_testLimit->setValue(config.testLimit);
    QStringList sizes;
    for (int t : config.ensembleSizes)
        sizes << QString::number(t);
    m_ensembleSizes->setText(sizes.join(QStringLiteral(", ")));
    if (const int index = m_averaging->findData(config.averageProbabilities); index >= 0)
        m_averaging->setCurrentIndex(index);
    m_bf16->setChecked(config.bf16Inference);
    const QString folder = QString::fromStdString(extras.dataFolder);
    if (folder.isEmpty() || folder == dataFolder())
        return;
    // Before the tab has been shown the folder is only noted: showEvent reads it, as at start.
    if (m_loadRequested)
        setDataFolder(folder);
    else
        m_folder->setText(folder);
}

const DropoutConfig& DropoutPanel::runConfig() const
{
    return m_runConfig;
}

std::string DropoutPanel::experimentJson() const
{
    // Settings the controls cannot give (a p that is not a number) are saved as the last good ones.
    DropoutConfig config = configFromControls().value_or(m_runConfig);
    config.runFolder.clear();
    return experimentFileJson(config, extras());
}

void DropoutPanel::applyExperiment(const ExperimentFile& file)
{
    if (file.kind == ExperimentKind::Dropout)
        setConfig(file.dropout, file.dropoutExtras);
}

bool DropoutPanel::showRecord(const RunRecord& record, QString* error)
{
    const auto fail = [error](const QString& why) {
        if (error)
            *error = why;
        return false;
    };
    if (isRunning())
        return fail(tr("a dropout run is going on"));
    DropoutResult result;
    QString problem;
    if (!readDropoutRecord(record, result, problem))
        return fail(problem);
    applyExperiment(record.experiment);
    return showRecordedResult(record.experiment.dropout, result) || fail(tr("the record holds no results"));
}

bool DropoutPanel::rerun(const RunRecord& record)
{
    applyExperiment(record.experiment);
    return start();
}

bool DropoutPanel::showRecordedResult(const DropoutConfig& config, const DropoutResult& recorded)
{
    if (isRunning())
        return false;
    // Draws the results as a run's events would have, so the charts and Table I look as they did when
    // the run ended.
    DropoutConfig shown = config;
    shown.ps.clear();
    for (const DropoutRunResult& run : recorded.runs)
        shown.ps.push_back(run.p);
    if (shown.ps.empty())
        return false;
    prepareViews(shown, m_runData);
    for (std::size_t run = 0; run < recorded.runs.size(); ++run)
        for (DropoutEpoch epoch : recorded.runs[run].history) {
            epoch.run = int(run);
            addEpoch(epoch);
        }
    for (std::size_t run = 0; run < recorded.runs.size(); ++run)
        addRunResult(int(run), recorded.runs[run]);
    refreshCharts();
    m_lastResult = recorded;
    setProgress(1.0);
    m_gallery->setPlaceholder(tr("The gallery is not recorded: re-run to see it."));
    m_confusion->setPlaceholder(tr("Confusion matrices are not recorded: re-run to see them."));
    setStatus(tr("Showing a recorded run (%1 p values, read from its CSV files, not re-run).")
                  .arg(recorded.runs.size()));
    updateControls();
    return true;
}

// ---- accessors ----------------------------------------------------------------------------

void DropoutPanel::setEpochs(int epochs)
{
    m_epochs->setValue(epochs);
}

void DropoutPanel::setEnsembleSizes(const QString& sizes)
{
    m_ensembleSizes->setText(sizes);
}

void DropoutPanel::setRunFolder(const QString& folder)
{
    m_runFolder->setText(folder);
    m_runFolderAuto = folder.trimmed().isEmpty();
    if (m_runFolderAuto)
        m_runFolder->setText(freshRunFolder());
}

QString DropoutPanel::runFolder() const
{
    return m_runFolder->text().trimmed();
}

void DropoutPanel::showPage(Page page)
{
    m_pages->setCurrentIndex(int(page));
}

QString DropoutPanel::lastError() const
{
    return m_lastError;
}

QMessageBox* DropoutPanel::errorDialog() const
{
    return m_errorBox;
}

const DropoutResult& DropoutPanel::lastResult() const
{
    return m_lastResult;
}

DropoutChart* DropoutPanel::chart(Chart which) const
{
    return m_charts[int(which)];
}

QList<NamedFigure> DropoutPanel::exportFigures() const
{
    return {{QStringLiteral("dropout_train_loss"), m_charts[int(Chart::TrainingLoss)]},
            {QStringLiteral("dropout_train_accuracy"), m_charts[int(Chart::TrainingAccuracy)]},
            {QStringLiteral("dropout_validation_loss"), m_charts[int(Chart::ValidationLoss)]},
            {QStringLiteral("dropout_validation_accuracy"), m_charts[int(Chart::ValidationAccuracy)]},
            {QStringLiteral("dropout_ensemble_accuracy"), m_charts[int(Chart::EnsembleAccuracy)]},
            {QStringLiteral("dropout_confusion_matrix"), m_confusion}};
}

QTableWidget* DropoutPanel::ensembleTable() const
{
    return m_table;
}

QLabel* DropoutPanel::ensembleCaption() const
{
    return m_caption;
}

GalleryView* DropoutPanel::gallery() const
{
    return m_gallery;
}

ConfusionMatrixView* DropoutPanel::confusionMatrix() const
{
    return m_confusion;
}

QComboBox* DropoutPanel::confusionPCombo() const
{
    return m_uncertaintyP;
}

QComboBox* DropoutPanel::confusionPassesCombo() const
{
    return m_confusionPasses;
}

QTabWidget* DropoutPanel::pages() const
{
    return m_pages;
}


QPushButton* DropoutPanel::startButton() const
{
    return m_start;
}


QPushButton* DropoutPanel::evaluateButton() const
{
    return m_evaluate;
}


QLabel* DropoutPanel::dataLabel() const
{
    return m_dataInfo;
}

QLabel* DropoutPanel::candidatesLabel() const
{
    return m_candidates;
}

QPlainTextEdit* DropoutPanel::log() const
{
    return m_log;
}

QLineEdit* DropoutPanel::pValuesEdit() const
{
    return m_ps;
}

QLineEdit* DropoutPanel::hiddenEdit() const
{
    return m_hidden;
}

QLineEdit* DropoutPanel::learningRateEdit() const
{
    return m_learningRate;
}

QLineEdit* DropoutPanel::ensembleSizesEdit() const
{
    return m_ensembleSizes;
}

QComboBox* DropoutPanel::initCombo() const
{
    return m_init;
}

QDoubleSpinBox* DropoutPanel::sigmaSpin() const
{
    return m_sigma;
}

QComboBox* DropoutPanel::averagingCombo() const
{
    return m_averaging;
}

QCheckBox* DropoutPanel::bf16Toggle() const
{
    return m_bf16;
}

QSpinBox* DropoutPanel::epochsSpin() const
{
    return m_epochs;
}

QSpinBox* DropoutPanel::batchSpin() const
{
    return m_batch;
}

QSpinBox* DropoutPanel::seedSpin() const
{
    return m_seed;
}

QSpinBox* DropoutPanel::threadsSpin() const
{
    return m_threads;
}

std::array<QSpinBox*, 4> DropoutPanel::splitSpins() const
{
    return m_splits;
}

QColor DropoutPanel::colorOf(int run) const
{
    return categoricalColor(std::max(0, run));
}

} // namespace initlab::ui

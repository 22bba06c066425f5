// DropoutPanel end to end on a tiny generated MNIST-format folder (300 training and 100 test images
// of 6 x 6, a 36-16-16-10 net, 2 epochs, ensembles of 2 and 5 passes): the data folder is read and
// named, a run fills the per-epoch curves, the accuracy-vs-T chart, Table I, the gallery and the
// confusion matrix, Cancel stops a live run, and bad data or settings are refused with a message
// while the tab stays usable: a field holding what cannot be used keeps it, marked, and Start is
// refused naming it; ranges that are empty, overlap or lie beyond the data are refused in core's
// words before a run begins, so no failed run is recorded. A saved best checkpoint re-evaluated
// without training gives exactly the accuracies its run reported; bad checkpoint files are named on
// the status line; Cancel and Esc stop a long evaluation.

#include "common/formfields.h"
#include "common/palette.h"
#include "figures/confusionmatrixview.h"
#include "figures/dropoutchart.h"
#include "figures/dropoutfigures.h"
#include "experiments/dropout/dropoutpanel.h"
#include "experiments/dropout/dropoutworker.h"
#include "figures/galleryview.h"
#include "shell/experimentsession.h"
#include "shell/mainwindow.h"
#include "filesizelimit.h"
#include "sidewaysfit.h"
#include "experiments/workerthread.h"
#include "widgets.h"
#include "filesizelimit.h"
#include "tolerance.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <cerrno>
#include <cstring>
#include <memory>
#include <random>

using namespace initlab;
using namespace initlab::ui;
using Chart = DropoutFigures::Chart;

namespace {

constexpr int kTimeoutMs = 120000;
constexpr int kEpochs = 2;
constexpr int kTMax = 5;
constexpr int kTestCount = 100;

QByteArray idx(quint8 dimensions, const QList<quint32>& sizes, const QByteArray& payload)
{
    QByteArray bytes;
    bytes.append(char(0)).append(char(0)).append(char(0x08)).append(char(dimensions));
    for (quint32 size : sizes)
        for (int shift = 24; shift >= 0; shift -= 8)
            bytes.append(char((size >> shift) & 0xFF));
    return bytes + payload;
}

// Ten classes of 6 x 6 images: class c lights pixels c and c + 18 on a noisy background.
void writeImageSet(const QString& folder, const QString& prefix, int count, unsigned seed)
{
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> noise(0, 60);
    QByteArray pixels;
    QByteArray labels;
    for (int i = 0; i < count; ++i) {
        const int label = i % 10;
        for (int px = 0; px < 36; ++px)
            pixels.append(char(px == label || px == label + 18 ? 255 : noise(random)));
        labels.append(char(label));
    }
    QFile images(QDir(folder).filePath(prefix + QStringLiteral("-images-idx3-ubyte")));
    QVERIFY(images.open(QIODevice::WriteOnly));
    images.write(idx(3, {quint32(count), 6, 6}, pixels));
    QFile labelFile(QDir(folder).filePath(prefix + QStringLiteral("-labels-idx1-ubyte")));
    QVERIFY(labelFile.open(QIODevice::WriteOnly));
    labelFile.write(idx(1, {quint32(count)}, labels));
}

void writeFolder(const QString& folder)
{
    writeImageSet(folder, QStringLiteral("train"), 300, 1);
    writeImageSet(folder, QStringLiteral("t10k"), kTestCount, 2);
}

// A checkpoint of random weights, written as the runner writes its best ones.
QString writeRandomCheckpoint(const QString& path, const std::vector<int>& sizes = {36, 16, 16, 10},
                              double p = 0.5)
{
    DropoutCheckpoint checkpoint;
    checkpoint.p = p;
    checkpoint.epoch = 3;
    checkpoint.sizes = sizes;
    std::mt19937 random(7);
    std::normal_distribution<float> normal(0.0f, 0.3f);
    for (std::size_t l = 0; l + 1 < sizes.size(); ++l)
        for (int i = 0; i < (sizes[l] + 1) * sizes[l + 1]; ++i)
            checkpoint.parameters.push_back(normal(random));
    const std::string problem = writeCheckpoint(path.toStdString(), checkpoint);
    return QString::fromStdString(problem);
}

// The panel's parts the tests look at most, by their object names.
QTableWidget* ensembleTable(const QWidget* panel)
{
    return child<QTableWidget>(panel, "ensembleTable");
}

QPushButton* startButton(const QWidget* panel)
{
    return child<QPushButton>(panel, "startButton");
}

QPushButton* evaluateButton(const QWidget* panel)
{
    return child<QPushButton>(panel, "evaluateCheckpointButton");
}

QPlainTextEdit* runLog(const QWidget* panel)
{
    return child<QPlainTextEdit>(panel, "dropoutLog");
}

// A (too) long evaluation: millions of passes over the 100 test images take minutes.
constexpr int kLongTMax = 3'000'000;

} // namespace

class TestDropoutPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void dataFolderIsReadAndNamed();
    void tinyRunFillsCurvesTableGalleryAndMatrix();
    void logitAveragingIsNamed();
    void confusionMatrixFollowsTheChoice();
    void cancelStopsALiveRunAndThePanelGoesOn();
    void cancelKeepsAnEarlierRunsCheckpoints();
    void corruptFileGivesADialogAndThePanelGoesOn_data();
    void corruptFileGivesADialogAndThePanelGoesOn();
    void badSettingsAreRefused_data();
    void badSettingsAreRefused();
    void fieldsThatCannotBeUsedAreKeptAndRefused();
    void settingsBeyondTheFieldsAreShownAndRefused();
    void rangesAreCheckedBeforeTheRunBegins_data();
    void rangesAreCheckedBeforeTheRunBegins();
    void divergedRunIsReportedAndTheOthersGoOn();
    void unwritableCheckpointFailsTheRun();
    void theWindowHasTheTabAndClosesMidRun();
    void fitsA1280x800WindowWithoutSidewaysScrolling();
    void evaluatedCheckpointGivesTheRunsAccuracies();
    void badCheckpointIsNamedAndThePanelGoesOn_data();
    void badCheckpointIsNamedAndThePanelGoesOn();
    void cancelStopsALongEvaluation();
    void escapeStopsAnEvaluationInTheWindow();

private:
    void useTinySettings(DropoutPanel* panel);
    DropoutResult runAndWait();
    // Evaluates and waits; an empty result with error "not started" when evaluateCheckpoint refused.
    DropoutResult evaluateAndWait(const QString& path);

    QTemporaryDir m_data;
    QTemporaryDir m_runs;
    std::unique_ptr<WorkerThread<DropoutWorker>> m_thread;
    DropoutWorker* m_worker = nullptr;
    std::unique_ptr<DropoutPanel> m_panel;
};

void TestDropoutPanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    registerDropoutMetaTypes();
    QVERIFY(m_data.isValid());
    QVERIFY(m_runs.isValid());
    writeFolder(m_data.path());
}

void TestDropoutPanel::init()
{
    m_thread = std::make_unique<WorkerThread<DropoutWorker>>();
    m_worker = m_thread->worker();

    m_panel = std::make_unique<DropoutPanel>(m_worker);
    useTinySettings(m_panel.get());
    m_panel->setDataFolder(m_data.path());
    m_panel->resize(1400, 900);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->dataSummary().folder, m_data.path(), kTimeoutMs);
}

void TestDropoutPanel::cleanup()
{
    QVERIFY(m_thread->stop(kTimeoutMs));
    m_panel.reset();
    m_thread.reset();
    m_worker = nullptr;
}

void TestDropoutPanel::useTinySettings(DropoutPanel* panel)
{
    child<QLineEdit>(panel, "pValuesEdit")->setText(QStringLiteral("0, 0.5"));
    child<QLineEdit>(panel, "hiddenEdit")->setText(QStringLiteral("16, 16"));
    child<QLineEdit>(panel, "learningRateEdit")->setText(QStringLiteral("3e-3"));
    panel->setEpochs(kEpochs);
    panel->setEnsembleSizes(QStringLiteral("5, 2"));
    child<QSpinBox>(panel, "trainBeginSpin")->setValue(0);
    child<QSpinBox>(panel, "trainEndSpin")->setValue(200);
    child<QSpinBox>(panel, "validationBeginSpin")->setValue(200);
    child<QSpinBox>(panel, "validationEndSpin")->setValue(300);
    child<QSpinBox>(panel, "threadsSpin")->setValue(1);
    panel->setRunFolder(m_runs.path());
}

DropoutResult TestDropoutPanel::runAndWait()
{
    QSignalSpy finished(m_panel.get(), &DropoutPanel::runFinished);
    if (!m_panel->start() || !finished.wait(kTimeoutMs))
        return {};
    return finished.at(0).at(0).value<DropoutResult>();
}

DropoutResult TestDropoutPanel::evaluateAndWait(const QString& path)
{
    QSignalSpy finished(m_panel.get(), &DropoutPanel::evaluationFinished);
    if (!m_panel->evaluateCheckpoint(path)) {
        DropoutResult refused;
        refused.error = "not started";
        return refused;
    }
    if (!finished.wait(kTimeoutMs))
        return {};
    return finished.at(0).at(0).value<DropoutResult>();
}

void TestDropoutPanel::dataFolderIsReadAndNamed()
{
    const DataSummary& data = m_panel->dataSummary();
    QCOMPARE(data.kind, DatasetKind::Unknown);
    QCOMPARE(data.trainCount, 300);
    QCOMPARE(data.testCount, kTestCount);
    QCOMPARE(data.classNames.size(), 10);
    const QString info = child<QLabel>(m_panel.get(), "dataInfo")->text();
    QVERIFY2(info.contains(QStringLiteral("MNIST-format data")), qPrintable(info));
    QVERIFY2(info.contains(QStringLiteral("class 0, class 1")), qPrintable(info));
    QVERIFY2(info.contains(QStringLiteral("6 × 6")), qPrintable(info));
    QVERIFY(child<QLabel>(m_panel.get(), "dataCandidates")
                ->text()
                .contains(QStringLiteral("/usr/share/datasets/fashion-mnist")));
    QVERIFY(m_panel->lastError().isEmpty());
}

void TestDropoutPanel::tinyRunFillsCurvesTableGalleryAndMatrix()
{
    QSignalSpy started(m_panel.get(), &DropoutPanel::runStarted);
    const DropoutResult result = runAndWait();
    QCOMPARE(started.count(), 1);
    QVERIFY2(result.error.empty(), result.error.c_str());
    QVERIFY(!result.cancelled);
    QCOMPARE(result.runs.size(), std::size_t(2));
    QVERIFY(!m_panel->isRunning());
    QVERIFY(startButton(m_panel.get())->isEnabled());
    QVERIFY(!child<QPushButton>(m_panel.get(), "cancelButton")->isEnabled());
    QCOMPARE(m_panel->progress(), 1.0);
    QVERIFY2(m_panel->statusText().startsWith(QStringLiteral("Finished in")),
             qPrintable(m_panel->statusText()));

    // Per-epoch curves: a point per epoch for each p, one colour per p on every chart.
    for (const Chart which : {Chart::TrainingLoss, Chart::TrainingAccuracy, Chart::ValidationLoss,
                              Chart::ValidationAccuracy}) {
        DropoutChart* chart = m_panel->figures()->chart(which);
        QCOMPARE(chart->curveCount(), 2);
        for (int run = 0; run < 2; ++run) {
            QCOMPARE(chart->plottedPointCount(run), kEpochs);
            QCOMPARE(chart->curveColor(run), m_panel->colorOf(run));
        }
        QCOMPARE(chart->curveName(0), QStringLiteral("p = 0"));
        QCOMPARE(chart->curveName(1), QStringLiteral("p = 0.5"));
    }
    const QVector<QPointF> valAcc = m_panel->figures()->chart(Chart::ValidationAccuracy)->points(1);
    INITLAB_COMPARE_REL(valAcc.last().y(), 100.0 * result.runs[1].history.back().valAcc, 1e-9);

    // Accuracy vs T: every T up to T_max for each p, and each p's one-pass line in its colour.
    DropoutChart* ensemble = m_panel->figures()->chart(Chart::EnsembleAccuracy);
    QCOMPARE(ensemble->curveCount(), 2);
    QCOMPARE(ensemble->referenceLineCount(), 2);
    for (int run = 0; run < 2; ++run) {
        QCOMPARE(ensemble->plottedPointCount(run), kTMax);
        QCOMPARE(ensemble->points(run).last().x(), double(kTMax));
        INITLAB_COMPARE_REL(ensemble->points(run).last().y(), 100.0 * result.runs[run].ensembleAcc.back(), 1e-9);
        INITLAB_COMPARE_REL(ensemble->referenceValue(run), 100.0 * result.runs[run].singlePassAcc, 1e-9);
        QCOMPARE(ensemble->referenceColor(run), m_panel->colorOf(run));
    }

    // Table I: a row per p; one pass, then each T in increasing order.
    QTableWidget* table = ensembleTable(m_panel.get());
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->columnCount(), 3);
    QVERIFY(table->horizontalHeaderItem(0)->text().startsWith(QStringLiteral("one pass")));
    QCOMPARE(table->horizontalHeaderItem(1)->text(), QStringLiteral("T = 2"));
    QCOMPARE(table->horizontalHeaderItem(2)->text(), QStringLiteral("T = 5"));
    QCOMPARE(table->verticalHeaderItem(0)->text(), QStringLiteral("p = 0"));
    QCOMPARE(table->verticalHeaderItem(1)->text(), QStringLiteral("p = 0.5"));
    for (int run = 0; run < 2; ++run) {
        const DropoutRunResult& r = result.runs[run];
        QCOMPARE(table->item(run, 0)->text(), QString::number(100.0 * r.singlePassAcc, 'f', 2));
        QCOMPARE(table->item(run, 1)->text(), QString::number(100.0 * r.ensembleAcc[1], 'f', 2));
        QCOMPARE(table->item(run, 2)->text(), QString::number(100.0 * r.ensembleAcc[4], 'f', 2));
    }
    QVERIFY(child<QLabel>(m_panel.get(), "ensembleCaption")->text().contains(QStringLiteral("softmax probabilities")));

    // Gallery and confusion matrix of a finished p.
    GalleryView* gallery = child<GalleryView>(m_panel.get(), "galleryView");
    QCOMPARE(gallery->thumbnailCount(), 24);
    QCOMPARE(gallery->thumbnail(0).size(), QSize(84, 84)); // 6 x 6 at a whole-number 14x
    QVERIFY(gallery->thumbnailText(0).contains(QStringLiteral("true: class ")));
    QVERIFY(gallery->thumbnailToolTip(0).contains(QStringLiteral("Mean probability")));
    QCOMPARE(child<QComboBox>(m_panel.get(), "uncertaintyPCombo")->count(), 2);
    QCOMPARE(child<QComboBox>(m_panel.get(), "confusionPassesCombo")->count(), 3); // one pass, T = 2, T = 5
    ConfusionMatrixView* matrix = child<ConfusionMatrixView>(m_panel.get(), "confusionMatrix");
    QCOMPARE(matrix->classCount(), 10);
    QCOMPARE(matrix->total(), kTestCount);

    // Each p's best checkpoint is on disk in the run folder.
    for (const DropoutRunResult& r : result.runs) {
        QVERIFY(QFile::exists(QString::fromStdString(r.checkpointPath)));
        QVERIFY(QString::fromStdString(r.checkpointPath).startsWith(m_runs.path()));
    }
    QVERIFY(runLog(m_panel.get())->toPlainText().contains(QStringLiteral("Checkpoint:")));
    // Named where they are once the run is done, never in the run's staging folder.
    QVERIFY(!runLog(m_panel.get())->toPlainText().contains(QStringLiteral(".initlab-staging")));
}

void TestDropoutPanel::logitAveragingIsNamed()
{
    child<QComboBox>(m_panel.get(), "averagingCombo")->setCurrentIndex(1);
    const DropoutResult result = runAndWait();
    QVERIFY2(result.error.empty(), result.error.c_str());
    QVERIFY(!result.averageProbabilities);
    QVERIFY(child<QLabel>(m_panel.get(), "ensembleCaption")->text().contains(QStringLiteral("logits")));
    QVERIFY(!child<QLabel>(m_panel.get(), "ensembleCaption")->text().contains(QStringLiteral("probabilities")));
}

void TestDropoutPanel::confusionMatrixFollowsTheChoice()
{
    const DropoutResult result = runAndWait();
    QVERIFY2(result.error.empty(), result.error.c_str());
    QComboBox* p = child<QComboBox>(m_panel.get(), "uncertaintyPCombo");
    QComboBox* passes = child<QComboBox>(m_panel.get(), "confusionPassesCombo");
    p->setCurrentIndex(1);
    passes->setCurrentIndex(passes->findData(0));
    const std::vector<int>& single = result.runs[1].confusion.front().counts;
    ConfusionMatrixView* matrix = child<ConfusionMatrixView>(m_panel.get(), "confusionMatrix");
    for (int row = 0; row < 10; ++row)
        for (int column = 0; column < 10; ++column)
            QCOMPARE(matrix->count(row, column), single[std::size_t(row) * 10 + column]);
    INITLAB_COMPARE_REL(matrix->accuracy(), result.runs[1].singlePassAcc, 1e-12);
    QVERIFY(matrix->cellToolTip(3, 3).contains(QStringLiteral("class 3")));

    passes->setCurrentIndex(passes->findData(kTMax));
    const std::vector<int>& ensemble = result.runs[1].confusion.back().counts;
    QCOMPARE(result.runs[1].confusion.back().passes, kTMax);
    for (int row = 0; row < 10; ++row)
        QCOMPARE(matrix->count(row, row), ensemble[std::size_t(row) * 10 + row]);
    // Switching p keeps the chosen T.
    p->setCurrentIndex(0);
    QCOMPARE(passes->currentData().toInt(), kTMax);
}

void TestDropoutPanel::cancelStopsALiveRunAndThePanelGoesOn()
{
    m_panel->setEpochs(100000);
    QSignalSpy finished(m_panel.get(), &DropoutPanel::runFinished);
    QVERIFY(m_panel->start());
    QVERIFY(m_panel->isRunning());
    QVERIFY(!startButton(m_panel.get())->isEnabled());
    // Live: points appear while the run goes on.
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->figures()->chart(Chart::ValidationAccuracy)->curveCount() == 2
                                 && m_panel->figures()->chart(Chart::ValidationAccuracy)->plottedPointCount(0) >= 2,
                             kTimeoutMs);
    QVERIFY(m_panel->isRunning());

    QTest::mouseClick(child<QPushButton>(m_panel.get(), "cancelButton"), Qt::LeftButton);
    QVERIFY(!child<QPushButton>(m_panel.get(), "cancelButton")->isEnabled());
    QVERIFY(finished.wait(kTimeoutMs));
    const auto result = finished.at(0).at(0).value<DropoutResult>();
    QVERIFY(result.cancelled);
    QVERIFY(!m_panel->isRunning());
    QVERIFY2(m_panel->statusText().startsWith(QStringLiteral("Cancelled")),
             qPrintable(m_panel->statusText()));
    QVERIFY(startButton(m_panel.get())->isEnabled());
    QCOMPARE(ensembleTable(m_panel.get())->item(0, 0)->text(), QStringLiteral("—"));
    QVERIFY(ensembleTable(m_panel.get())->item(1, 2)->toolTip().startsWith(QStringLiteral("Cancelled")));

    // Usable again: a small run completes normally.
    m_panel->setEpochs(kEpochs);
    const DropoutResult again = runAndWait();
    QVERIFY(!again.cancelled);
    QVERIFY2(again.error.empty(), again.error.c_str());
    QCOMPARE(m_panel->figures()->chart(Chart::TrainingLoss)->plottedPointCount(1), kEpochs);
    QCOMPARE(ensembleTable(m_panel.get())->rowCount(), 2);
}

void TestDropoutPanel::corruptFileGivesADialogAndThePanelGoesOn_data()
{
    QTest::addColumn<QString>("problem");
    QTest::addColumn<QString>("expected");
    QTest::newRow("truncated images") << QStringLiteral("truncate") << QStringLiteral("train-images-idx3-ubyte");
    QTest::newRow("bad magic") << QStringLiteral("magic") << QStringLiteral("t10k-labels-idx1-ubyte");
    QTest::newRow("missing file") << QStringLiteral("missing") << QStringLiteral("t10k-images-idx3-ubyte");
    QTest::newRow("no such folder") << QStringLiteral("nofolder") << QStringLiteral("no such folder");
}

void TestDropoutPanel::corruptFileGivesADialogAndThePanelGoesOn()
{
    QFETCH(QString, problem);
    QFETCH(QString, expected);
    QTemporaryDir bad;
    writeFolder(bad.path());
    QString folder = bad.path();
    if (problem == QStringLiteral("truncate")) {
        QVERIFY(QFile::resize(bad.filePath(QStringLiteral("train-images-idx3-ubyte")), 16 + 36 * 299 + 7));
    } else if (problem == QStringLiteral("magic")) {
        QFile labels(bad.filePath(QStringLiteral("t10k-labels-idx1-ubyte")));
        QVERIFY(labels.open(QIODevice::ReadWrite));
        labels.write(QByteArray("\x01\x00", 2));
    } else if (problem == QStringLiteral("missing")) {
        QVERIFY(QFile::remove(bad.filePath(QStringLiteral("t10k-images-idx3-ubyte"))));
    } else {
        folder = bad.filePath(QStringLiteral("nowhere"));
    }

    // Reading the folder: a dialog names the file and the problem.
    m_panel->setDataFolder(folder);
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->errorDialog() != nullptr, kTimeoutMs);
    QVERIFY2(m_panel->lastError().contains(expected), qPrintable(m_panel->lastError()));
    QVERIFY(m_panel->errorDialog()->isVisible());
    QVERIFY(!m_panel->errorDialog()->isModal());
    QCOMPARE(m_panel->errorDialog()->text(), m_panel->lastError());
    QVERIFY(child<QLabel>(m_panel.get(), "dataInfo")->text().contains(QStringLiteral("Cannot read")));
    QVERIFY(m_panel->dataSummary().folder.isEmpty());
    m_panel->errorDialog()->close();
    QTRY_VERIFY(m_panel->errorDialog() == nullptr); // deleted on close

    // Starting anyway: the same dialog, an error on the status line, no run.
    const DropoutResult failed = runAndWait();
    QVERIFY(QString::fromStdString(failed.error).contains(expected));
    QVERIFY(m_panel->errorDialog() != nullptr);
    QVERIFY(m_panel->statusText().startsWith(QStringLiteral("Error:")));
    QVERIFY(!m_panel->isRunning());
    QVERIFY(startButton(m_panel.get())->isEnabled());
    m_panel->errorDialog()->close();

    // The tab goes on with good data.
    m_panel->setDataFolder(m_data.path());
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->dataSummary().folder, m_data.path(), kTimeoutMs);
    const DropoutResult good = runAndWait();
    QVERIFY2(good.error.empty(), good.error.c_str());
    QCOMPARE(ensembleTable(m_panel.get())->rowCount(), 2);
}

void TestDropoutPanel::badSettingsAreRefused_data()
{
    QTest::addColumn<QString>("ps");
    QTest::addColumn<QString>("sizes");
    QTest::addColumn<int>("validationEnd");
    QTest::addColumn<QString>("expected");
    QTest::newRow("p = 1") << QStringLiteral("0, 1") << QStringLiteral("5") << 300 << QStringLiteral("[0, 1)");
    QTest::newRow("p not a number") << QStringLiteral("0, x") << QStringLiteral("5") << 300 << QStringLiteral("\"x\"");
    QTest::newRow("no T") << QStringLiteral("0") << QStringLiteral("") << 300 << QStringLiteral("ensemble size");
    QTest::newRow("beyond the file") << QStringLiteral("0") << QStringLiteral("5") << 400
                                     << QStringLiteral("within the 300 images");
}

void TestDropoutPanel::badSettingsAreRefused()
{
    QFETCH(QString, ps);
    QFETCH(QString, sizes);
    QFETCH(int, validationEnd);
    QFETCH(QString, expected);
    // A finished run first: a refused run must leave its results in place.
    QVERIFY(runAndWait().error.empty());
    QCOMPARE(ensembleTable(m_panel.get())->rowCount(), 2);

    child<QLineEdit>(m_panel.get(), "pValuesEdit")->setText(ps);
    m_panel->setEnsembleSizes(sizes);
    child<QSpinBox>(m_panel.get(), "validationEndSpin")->setValue(validationEnd);
    QSignalSpy finished(m_panel.get(), &DropoutPanel::runFinished);
    if (m_panel->start()) // the settings parse; core refuses them against the data
        QVERIFY(finished.wait(kTimeoutMs));
    QVERIFY(!m_panel->isRunning());
    QVERIFY2(m_panel->lastError().contains(expected), qPrintable(m_panel->lastError()));
    QVERIFY2(m_panel->statusText().contains(expected), qPrintable(m_panel->statusText()));
    QCOMPARE(ensembleTable(m_panel.get())->rowCount(), 2);
    QCOMPARE(m_panel->figures()->chart(Chart::TrainingLoss)->plottedPointCount(0), kEpochs);
}

void TestDropoutPanel::fieldsThatCannotBeUsedAreKeptAndRefused()
{
    QSignalSpy started(m_panel.get(), &DropoutPanel::runStarted);
    auto* rate = child<QLineEdit>(m_panel.get(), "learningRateEdit");
    rate->selectAll();
    QTest::keyClicks(rate, QStringLiteral("-1"));
    QCOMPARE(rate->text(), QStringLiteral("-1"));
    QVERIFY(rate->styleSheet() == errorStyleSheet(rate->palette()));
    QVERIFY2(rate->toolTip().contains(QStringLiteral("learning rate must be a positive number")),
             qPrintable(rate->toolTip()));
    QVERIFY(!m_panel->start());
    QCOMPARE(started.count(), 0);
    QVERIFY(!m_panel->isRunning());
    QVERIFY2(m_panel->statusText().contains(QStringLiteral("the learning rate must be a positive number")),
             qPrintable(m_panel->statusText()));
    QCOMPARE(rate->text(), QStringLiteral("-1"));

    // A batch above the largest: Qt made 99999 into 9999 (its fifth digit refused), and ran with it.
    rate->setText(QStringLiteral("3e-3"));
    QVERIFY(rate->styleSheet().isEmpty());
    auto* batch = child<QSpinBox>(m_panel.get(), "batchSpin");
    batch->selectAll();
    QTest::keyClicks(batch, QStringLiteral("99999"));
    QTest::keyClick(batch, Qt::Key_Tab);
    QCOMPARE(batch->text(), QStringLiteral("99999"));
    QVERIFY(batch->value() != batch->maximum());
    QVERIFY(batch->styleSheet() == errorStyleSheet(batch->palette()));
    QVERIFY(!m_panel->start());
    QCOMPARE(started.count(), 0);
    const QString status = m_panel->statusText();
    QVERIFY2(status.startsWith(QStringLiteral("Cannot start: Batch must be a whole number from 1 to ")),
             qPrintable(status));
    QVERIFY2(status.contains(batch->locale().toString(65536)), qPrintable(status));
    QVERIFY2(status.contains(QStringLiteral("(got 99999)")), qPrintable(status));
    QVERIFY(child<QLabel>(m_panel.get(), "dropoutStatus")->styleSheet() == errorStyleSheet(m_panel->palette()));
    QCOMPARE(m_panel->lastError(), status.mid(14, status.size() - 15));

    // Saving the settings (File > Save experiment, the session at exit) keeps the other fields as
    // they are, the batch at its last number in the range, rather than fall back to the last run's.
    child<QSpinBox>(m_panel.get(), "epochsSpin")->setValue(3);
    ExperimentFile saved;
    std::string problem;
    std::vector<std::string> warnings;
    QVERIFY2(parseExperimentFile(m_panel->experimentJson(), saved, problem, warnings), problem.c_str());
    QCOMPARE(saved.dropout.epochs, 3);
    QCOMPARE(saved.dropout.learningRate, 3e-3);
    QCOMPARE(saved.dropout.batch, batch->value());
    QCOMPARE(batch->text(), QStringLiteral("99999"));

    // Fixed, it runs.
    batch->selectAll();
    QTest::keyClicks(batch, QStringLiteral("16"));
    QVERIFY(batch->styleSheet().isEmpty());
    const DropoutResult result = runAndWait();
    QVERIFY2(result.error.empty(), result.error.c_str());
    QCOMPARE(m_panel->runConfig().batch, 16);
    QCOMPARE(m_panel->runConfig().learningRate, 3e-3);
}

void TestDropoutPanel::settingsBeyondTheFieldsAreShownAndRefused()
{
    // An experiment file (or initlab-cli's run record) may hold σ up to 10^6; the field's largest
    // is 10, and the rerun trained with σ = 10.
    DropoutConfig config = m_panel->configFromControls().value();
    config.normalStd = 20.0;
    ExperimentFile file;
    file.kind = ExperimentKind::Dropout;
    file.dropout = config;
    m_panel->applyExperiment(file);
    auto* sigma = child<QDoubleSpinBox>(m_panel.get(), "sigmaSpin");
    QCOMPARE(sigma->text(), QStringLiteral("20"));
    QVERIFY(sigma->styleSheet() == errorStyleSheet(sigma->palette()));
    QSignalSpy started(m_panel.get(), &DropoutPanel::runStarted);
    QVERIFY(!m_panel->start());
    QCOMPARE(started.count(), 0);
    QCOMPARE(m_panel->statusText(), QStringLiteral("Cannot start: σ must be a number from 0 to 10 (got 20)."));

    // Applying settings in the range puts the field right.
    config.normalStd = 0.5;
    file.dropout = config;
    m_panel->applyExperiment(file);
    QVERIFY(sigma->styleSheet().isEmpty());
    QCOMPARE(m_panel->configFromControls().value().normalStd, 0.5);
}

void TestDropoutPanel::rangesAreCheckedBeforeTheRunBegins_data()
{
    QTest::addColumn<QList<int>>("ranges"); // training begin, end, validation begin, end
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QStringList>("marked");
    const QStringList training{QStringLiteral("trainBeginSpin"), QStringLiteral("trainEndSpin")};
    const QStringList all
        = training + QStringList{QStringLiteral("validationBeginSpin"), QStringLiteral("validationEndSpin")};
    // The words of initlab-cli for --train 600:500 ("is empty") and overlapping ranges.
    QTest::newRow("reversed training range")
        << QList<int>{250, 100, 0, 100} << QStringLiteral("the training range 250-100 is empty") << training;
    QTest::newRow("reversed validation range")
        << QList<int>{0, 200, 300, 250} << QStringLiteral("the validation range 300-250 is empty")
        << QStringList{QStringLiteral("validationBeginSpin"), QStringLiteral("validationEndSpin")};
    QTest::newRow("overlapping ranges") << QList<int>{0, 200, 150, 300}
                                        << QStringLiteral("the training and validation ranges overlap") << all;
    QTest::newRow("beyond the data") << QList<int>{0, 200, 200, 400}
                                     << QStringLiteral("the validation range 200-400 must lie within the 300 images")
                                     << QStringList{QStringLiteral("validationEndSpin")};
}

void TestDropoutPanel::rangesAreCheckedBeforeTheRunBegins()
{
    QFETCH(QList<int>, ranges);
    QFETCH(QString, expected);
    QFETCH(QStringList, marked);
    // In the window: a run that began and failed would leave a run record.
    QTemporaryDir runs;
    MainWindow window;
    window.session()->setRunsFolder(runs.path());
    QSignalSpy recorded(window.session(), &ExperimentSession::runRecorded);
    DropoutPanel* panel = window.dropoutPanel();
    useTinySettings(panel);
    panel->setDataFolder(m_data.path());
    QTRY_COMPARE_WITH_TIMEOUT(panel->dataSummary().folder, m_data.path(), kTimeoutMs);
    const QStringList names{QStringLiteral("trainBeginSpin"), QStringLiteral("trainEndSpin"),
                            QStringLiteral("validationBeginSpin"), QStringLiteral("validationEndSpin")};
    for (int i = 0; i < 4; ++i)
        child<QSpinBox>(panel, qPrintable(names[i]))->setValue(ranges[i]);

    QSignalSpy started(panel, &DropoutPanel::runStarted);
    QSignalSpy ended(panel, &DropoutPanel::runEnded);
    QVERIFY(!panel->start());
    QCOMPARE(started.count(), 0);
    QVERIFY(!panel->isRunning());
    QVERIFY2(panel->statusText().startsWith(QStringLiteral("Cannot start: ") + expected),
             qPrintable(panel->statusText()));
    QVERIFY(panel->lastError().startsWith(expected));
    for (const QString& name : names) {
        auto* spin = child<QSpinBox>(panel, qPrintable(name));
        QCOMPARE(fieldProblem(spin).startsWith(expected), marked.contains(name));
        QCOMPARE(spin->styleSheet() == errorStyleSheet(spin->palette()), marked.contains(name));
    }
    QTest::qWait(200);
    QCOMPARE(ended.count(), 0);
    QCOMPARE(recorded.count(), 0);
    QCOMPARE(QDir(runs.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList());

    // Changing a range takes the marks off.
    child<QSpinBox>(panel, "trainEndSpin")->setValue(ranges[1] + 1);
    for (const QString& name : names)
        QVERIFY(fieldProblem(child<QSpinBox>(panel, qPrintable(name))).isEmpty());
}

void TestDropoutPanel::divergedRunIsReportedAndTheOthersGoOn()
{
    // AdamW moves every weight by about the learning rate in the first step: 1e30 overflows the
    // next forward pass, and the epoch's loss is NaN.
    child<QLineEdit>(m_panel.get(), "learningRateEdit")->setText(QStringLiteral("1e30"));
    const DropoutResult result = runAndWait();
    QVERIFY2(result.error.empty(), result.error.c_str());
    QCOMPARE(result.runs.size(), std::size_t(2)); // the first p's divergence does not stop the second
    for (const DropoutRunResult& run : result.runs)
        QCOMPARE(run.divergedEpoch, 1);
    QVERIFY(runLog(m_panel.get())->toPlainText().contains(QStringLiteral("diverged")));
    QVERIFY2(m_panel->statusText().contains(QStringLiteral("Diverged: p = 0, p = 0.5")),
             qPrintable(m_panel->statusText()));
    QCOMPARE(ensembleTable(m_panel.get())->item(0, 1)->text(), QStringLiteral("diverged"));
    QVERIFY(ensembleTable(m_panel.get())->item(0, 1)->toolTip().contains(QStringLiteral("diverged")));
    QCOMPARE(m_panel->figures()->chart(Chart::EnsembleAccuracy)->referenceLineCount(), 0);
    QCOMPARE(child<GalleryView>(m_panel.get(), "galleryView")->thumbnailCount(), 0);
    QVERIFY(!m_panel->isRunning());

    // Back to a sane rate: the tab runs normally.
    child<QLineEdit>(m_panel.get(), "learningRateEdit")->setText(QStringLiteral("3e-3"));
    const DropoutResult again = runAndWait();
    QCOMPARE(again.runs.size(), std::size_t(2));
    QCOMPARE(again.runs[1].divergedEpoch, 0);
    QCOMPARE(child<GalleryView>(m_panel.get(), "galleryView")->thumbnailCount(), 24);
}

// A best checkpoint that cannot be written ends the run as a failure that names the file and the
// system's reason, in the status line, the log and the run's record; the tab goes on afterwards.
void TestDropoutPanel::unwritableCheckpointFailsTheRun()
{
    QTemporaryDir folder;
    m_panel->setRunFolder(folder.path());
    RunOutcome outcome;
    connect(m_panel.get(), &ExperimentPanel::runEnded, this, [&outcome](const RunOutcome& o) { outcome = o; });

    DropoutResult result;
    {
        // Too little for the first checkpoint, as a full disk fails its write.
        const test::FileSizeLimit limit(1024);
        QVERIFY(limit.active());
        result = runAndWait();
    }
    // Named as the file in the run folder, where it would have gone.
    const QString reason = QStringLiteral("p = 0, epoch 1: cannot write ") + folder.filePath(QStringLiteral(
                                                                                 "best-p0.ckpt")) +
                           QStringLiteral(": ") + QString::fromLocal8Bit(std::strerror(EFBIG));
    QCOMPARE(QString::fromStdString(result.error), reason);
    QCOMPARE(result.runs.size(), std::size_t(1));
    QVERIFY(QDir(folder.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).isEmpty());
    QVERIFY(!m_panel->isRunning());
    QCOMPARE(m_panel->statusText(), QStringLiteral("Error: %1.").arg(reason));
    QCOMPARE(m_panel->lastError(), reason);
    QVERIFY(child<QLabel>(m_panel.get(), "dropoutStatus")->styleSheet().contains(QStringLiteral("color")));
    QVERIFY(runLog(m_panel.get())->toPlainText().contains(reason));
    QCOMPARE(QString::fromStdString(outcome.status), QStringLiteral("failed: ") + reason);
    QVERIFY(startButton(m_panel.get())->isEnabled());

    // With a run folder it can write to, the tab runs normally.
    m_panel->setRunFolder(m_runs.path());
    const DropoutResult again = runAndWait();
    QVERIFY2(again.error.empty(), again.error.c_str());
    QVERIFY(m_panel->lastError().isEmpty());
}

void TestDropoutPanel::theWindowHasTheTabAndClosesMidRun()
{
    MainWindow window;
    DropoutPanel* panel = window.dropoutPanel();
    QVERIFY(panel != nullptr);
    auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("experimentTabs"));
    QVERIFY(tabs != nullptr);
    QVERIFY(tabs->indexOf(panel) > 0); // after the Deep tab
    useTinySettings(panel);
    panel->setDataFolder(m_data.path());
    panel->setEpochs(100000);
    tabs->setCurrentWidget(panel);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(panel->start());
    QTRY_VERIFY_WITH_TIMEOUT(panel->figures()->chart(Chart::TrainingLoss)->curveCount() == 2
                                 && panel->figures()->chart(Chart::TrainingLoss)->plottedPointCount(0) >= 1,
                             kTimeoutMs);
    // Closing cancels the run and waits for the worker's thread: promptly, not after 100000 epochs.
    QElapsedTimer clock;
    clock.start();
    window.close();
    QVERIFY2(clock.elapsed() < 10000, qPrintable(QString::number(clock.elapsed())));
}

// InitLab must be usable on a 1280 × 800 screen, so there the tab may not need scrolling sideways.
// The main window's menu, tab bar and status bar leave the panel about 1270 × 720 pixels; 700 keeps
// a margin for fonts a little taller than the test machine's.
void TestDropoutPanel::fitsA1280x800WindowWithoutSidewaysScrolling()
{
    for (const DropoutPanel::Page page :
         {DropoutPanel::Page::Training, DropoutPanel::Page::Ensembles, DropoutPanel::Page::Uncertainty}) {
        m_panel->showPage(page);
        const QString overflow = sidewaysOverflow(m_panel.get());
        QVERIFY2(overflow.isEmpty(), qPrintable(overflow));
    }
}

// The runner's sweep and evaluateEnsemble are the same code (core's sweep): with the checkpoint's
// weights (the best epoch's, bit for bit in the file), the same seed (hence the same dropout masks),
// the same test images, averaging and thread count, every accuracy agrees exactly, not only within
// MC noise.
void TestDropoutPanel::evaluatedCheckpointGivesTheRunsAccuracies()
{
    // While a training run goes on, no evaluation can start.
    QSignalSpy runFinished(m_panel.get(), &DropoutPanel::runFinished);
    QVERIFY(m_panel->start());
    QVERIFY(!evaluateButton(m_panel.get())->isEnabled());
    QVERIFY(!m_panel->evaluateCheckpoint(m_runs.filePath(QStringLiteral("best-p0.ckpt"))));
    QVERIFY(runFinished.wait(kTimeoutMs));
    const auto trained = runFinished.at(0).at(0).value<DropoutResult>();
    QVERIFY2(trained.error.empty(), trained.error.c_str());
    QCOMPARE(trained.runs.size(), std::size_t(2));
    QVERIFY(evaluateButton(m_panel.get())->isEnabled());
    runFinished.clear();

    for (const DropoutRunResult& r : trained.runs) {
        const QString path = QString::fromStdString(r.checkpointPath);
        QVERIFY(QFile::exists(path));
        QSignalSpy finished(m_panel.get(), &DropoutPanel::evaluationFinished);
        QVERIFY(m_panel->evaluateCheckpoint(path));
        // Busy: Start and a second evaluation wait; Cancel is offered.
        QVERIFY(m_panel->isRunning());
        QVERIFY(m_panel->isEvaluating());
        QVERIFY(!startButton(m_panel.get())->isEnabled());
        QVERIFY(!evaluateButton(m_panel.get())->isEnabled());
        QVERIFY(child<QPushButton>(m_panel.get(), "cancelButton")->isEnabled());
        QVERIFY(!m_panel->start());
        QVERIFY(finished.wait(kTimeoutMs));
        const auto result = finished.at(0).at(0).value<DropoutResult>();
        QVERIFY2(result.error.empty(), result.error.c_str());
        QVERIFY(!result.cancelled);
        QCOMPARE(result.runs.size(), std::size_t(1));
        const DropoutRunResult& e = result.runs.front();
        QCOMPARE(e.p, r.p);
        QCOMPARE(e.bestEpoch, r.bestEpoch);
        QCOMPARE(e.singlePassAcc, r.singlePassAcc);
        QCOMPARE(e.ensembleAcc.size(), std::size_t(kTMax));
        QCOMPARE(e.ensembleAcc, r.ensembleAcc);

        QVERIFY(!m_panel->isRunning());
        QVERIFY(!m_panel->isEvaluating());
        QVERIFY(startButton(m_panel.get())->isEnabled());
        QVERIFY(evaluateButton(m_panel.get())->isEnabled());
        QCOMPARE(m_panel->progress(), 1.0);
        const QString status = m_panel->statusText();
        QVERIFY2(status.startsWith(QStringLiteral("Evaluated ")) && status.contains(path), qPrintable(status));
        QVERIFY(m_panel->lastError().isEmpty());
        QCOMPARE(child<QTabWidget>(m_panel.get(), "dropoutPages")->currentIndex(), int(DropoutPanel::Page::Ensembles));

        // The ensemble chart and Table I show the one checkpoint.
        DropoutChart* ensemble = m_panel->figures()->chart(Chart::EnsembleAccuracy);
        QCOMPARE(ensemble->curveCount(), 1);
        QCOMPARE(ensemble->curveName(0), QStringLiteral("p = %1").arg(r.p));
        QCOMPARE(ensemble->plottedPointCount(0), kTMax);
        INITLAB_COMPARE_REL(ensemble->points(0).last().y(), 100.0 * r.ensembleAcc.back(), 1e-12);
        QCOMPARE(ensemble->referenceLineCount(), 1);
        INITLAB_COMPARE_REL(ensemble->referenceValue(0), 100.0 * r.singlePassAcc, 1e-12);
        QTableWidget* table = ensembleTable(m_panel.get());
        QCOMPARE(table->rowCount(), 1);
        QCOMPARE(table->columnCount(), 3);
        QCOMPARE(table->item(0, 0)->text(), QString::number(100.0 * r.singlePassAcc, 'f', 2));
        QCOMPARE(table->item(0, 1)->text(), QString::number(100.0 * r.ensembleAcc[1], 'f', 2));
        QCOMPARE(table->item(0, 2)->text(), QString::number(100.0 * r.ensembleAcc[4], 'f', 2));
        QCOMPARE(m_panel->lastResult().runs.size(), std::size_t(1));
        QVERIFY(runLog(m_panel.get())->toPlainText().contains(QStringLiteral("Checkpoint: ") + path));
    }
    // An evaluation is not a run: no run record is due for it.
    QCOMPARE(runFinished.count(), 0);

    // Another seed draws other masks: the one-pass accuracy (no dropout) stays, the sweep is redrawn.
    child<QSpinBox>(m_panel.get(), "seedSpin")->setValue(12345);
    const DropoutRunResult& r = trained.runs[1];
    QCOMPARE(r.p, 0.5);
    const DropoutResult reseeded = evaluateAndWait(QString::fromStdString(r.checkpointPath));
    QVERIFY2(reseeded.error.empty(), reseeded.error.c_str());
    QCOMPARE(reseeded.runs.front().singlePassAcc, r.singlePassAcc);
    QCOMPARE(reseeded.runs.front().ensembleAcc.size(), std::size_t(kTMax));
}

void TestDropoutPanel::badCheckpointIsNamedAndThePanelGoesOn_data()
{
    QTest::addColumn<QString>("problem");
    QTest::addColumn<QString>("expected");
    QTest::newRow("random bytes") << QStringLiteral("random") << QStringLiteral("not an InitLab checkpoint");
    QTest::newRow("truncated") << QStringLiteral("truncate") << QStringLiteral("truncated or corrupt");
    QTest::newRow("empty") << QStringLiteral("empty") << QStringLiteral("not an InitLab checkpoint");
    QTest::newRow("missing") << QStringLiteral("missing") << QStringLiteral("cannot open");
    QTest::newRow("other image size") << QStringLiteral("size") << QStringLiteral("takes 49 inputs");
    QTest::newRow("p out of range") << QStringLiteral("p") << QStringLiteral("not in [0, 1)");
}

void TestDropoutPanel::badCheckpointIsNamedAndThePanelGoesOn()
{
    QFETCH(QString, problem);
    QFETCH(QString, expected);
    QTemporaryDir folder;
    const QString good = folder.filePath(QStringLiteral("best-p0.5.ckpt"));
    QCOMPARE(writeRandomCheckpoint(good), QString());
    // A good evaluation first: a failed one must leave its results in place.
    const DropoutResult first = evaluateAndWait(good);
    QVERIFY2(first.error.empty(), first.error.c_str());
    const QString shownCell = ensembleTable(m_panel.get())->item(0, 2)->text();

    const QString bad = folder.filePath(QStringLiteral("bad-%1.ckpt").arg(problem));
    if (problem == QStringLiteral("random")) {
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        std::mt19937 random(3);
        QByteArray bytes;
        for (int i = 0; i < 4096; ++i)
            bytes.append(char(random() & 0xFF));
        file.write(bytes);
    } else if (problem == QStringLiteral("truncate")) {
        QVERIFY(QFile::copy(good, bad));
        QVERIFY(QFile::resize(bad, QFileInfo(good).size() - 10));
    } else if (problem == QStringLiteral("empty")) {
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
    } else if (problem == QStringLiteral("size")) {
        QCOMPARE(writeRandomCheckpoint(bad, {49, 8, 10}), QString());
    } else if (problem == QStringLiteral("p")) {
        QCOMPARE(writeRandomCheckpoint(bad, {36, 16, 16, 10}, 1.5), QString());
    }

    QSignalSpy runStarted(m_panel.get(), &DropoutPanel::runStarted);
    const DropoutResult failed = evaluateAndWait(bad);
    QVERIFY2(QString::fromStdString(failed.error).contains(expected), failed.error.c_str());
    QVERIFY(!m_panel->isRunning());
    const QString status = m_panel->statusText();
    QVERIFY2(status.contains(QFileInfo(bad).fileName()) && status.contains(expected), qPrintable(status));
    QVERIFY(m_panel->lastError().contains(bad));
    QVERIFY(child<QLabel>(m_panel.get(), "dropoutStatus")->styleSheet().contains(QStringLiteral("color")));
    QVERIFY(startButton(m_panel.get())->isEnabled());
    QVERIFY(evaluateButton(m_panel.get())->isEnabled());
    QVERIFY(!child<QPushButton>(m_panel.get(), "cancelButton")->isEnabled());
    QCOMPARE(runStarted.count(), 0);
    QCOMPARE(ensembleTable(m_panel.get())->rowCount(), 1);
    QCOMPARE(ensembleTable(m_panel.get())->item(0, 2)->text(), shownCell);

    // Usable again: the good checkpoint evaluates, and a run starts and finishes.
    const DropoutResult again = evaluateAndWait(good);
    QVERIFY2(again.error.empty(), again.error.c_str());
    QCOMPARE(again.runs.front().ensembleAcc, first.runs.front().ensembleAcc);
    QVERIFY(m_panel->lastError().isEmpty());
    const DropoutResult run = runAndWait();
    QVERIFY2(run.error.empty(), run.error.c_str());
    QCOMPARE(ensembleTable(m_panel.get())->rowCount(), 2);
}

void TestDropoutPanel::cancelStopsALongEvaluation()
{
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("best-p0.5.ckpt"));
    QCOMPARE(writeRandomCheckpoint(path), QString());
    m_panel->setEnsembleSizes(QString::number(kLongTMax));
    QSignalSpy finished(m_panel.get(), &DropoutPanel::evaluationFinished);
    QVERIFY(m_panel->evaluateCheckpoint(path));
    // Live: the running accuracy appears while the passes go on.
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->figures()->chart(Chart::EnsembleAccuracy)->curveCount() == 1
                                 && m_panel->figures()->chart(Chart::EnsembleAccuracy)->plottedPointCount(0) >= 2,
                             kTimeoutMs);
    QVERIFY(m_panel->isRunning());
    QVERIFY(m_panel->statusText().contains(QStringLiteral("MC dropout")));

    QElapsedTimer clock;
    clock.start();
    QTest::mouseClick(child<QPushButton>(m_panel.get(), "cancelButton"), Qt::LeftButton);
    QVERIFY(!child<QPushButton>(m_panel.get(), "cancelButton")->isEnabled());
    QVERIFY(finished.wait(kTimeoutMs));
    QVERIFY2(clock.elapsed() < 10000, qPrintable(QString::number(clock.elapsed())));
    const auto result = finished.at(0).at(0).value<DropoutResult>();
    QVERIFY(result.cancelled);
    QVERIFY(result.error.empty());
    QCOMPARE(result.runs.size(), std::size_t(1));
    QVERIFY(!result.runs.front().ensembleAcc.empty());
    QVERIFY(result.runs.front().ensembleAcc.size() < std::size_t(kLongTMax));
    QVERIFY(!m_panel->isRunning());
    QVERIFY2(m_panel->statusText().startsWith(QStringLiteral("Cancelled the evaluation of ")),
             qPrintable(m_panel->statusText()));
    QVERIFY(startButton(m_panel.get())->isEnabled());
    QVERIFY(evaluateButton(m_panel.get())->isEnabled());
    QVERIFY(ensembleTable(m_panel.get())->item(0, 1)->toolTip().startsWith(QStringLiteral("Cancelled")));

    // Usable again: a short evaluation completes.
    m_panel->setEnsembleSizes(QStringLiteral("5, 2"));
    const DropoutResult again = evaluateAndWait(path);
    QVERIFY2(again.error.empty(), again.error.c_str());
    QVERIFY(!again.cancelled);
    QCOMPARE(again.runs.front().ensembleAcc.size(), std::size_t(kTMax));
}

void TestDropoutPanel::escapeStopsAnEvaluationInTheWindow()
{
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("best-p0.5.ckpt"));
    QCOMPARE(writeRandomCheckpoint(path), QString());
    MainWindow window;
    DropoutPanel* panel = window.dropoutPanel();
    auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("experimentTabs"));
    QVERIFY(tabs != nullptr);
    useTinySettings(panel);
    panel->setDataFolder(m_data.path());
    panel->setEnsembleSizes(QString::number(kLongTMax));
    tabs->setCurrentWidget(panel);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QSignalSpy finished(panel, &DropoutPanel::evaluationFinished);
    QVERIFY(panel->evaluateCheckpoint(path));
    QTRY_VERIFY_WITH_TIMEOUT(panel->figures()->chart(Chart::EnsembleAccuracy)->curveCount() == 1
                                 && panel->figures()->chart(Chart::EnsembleAccuracy)->plottedPointCount(0) >= 2,
                             kTimeoutMs);
    QTest::keyClick(&window, Qt::Key_Escape);
    QVERIFY(finished.wait(kTimeoutMs));
    QVERIFY(finished.at(0).at(0).value<DropoutResult>().cancelled);
    QVERIFY(!panel->isRunning());
}

// The run folder gets a run's checkpoints only when the run succeeds: a cancelled run leaves the
// checkpoints of the same names an earlier run left there as they were.
void TestDropoutPanel::cancelKeepsAnEarlierRunsCheckpoints()
{
    const QStringList names{QStringLiteral("best-p0.ckpt"), QStringLiteral("best-p0.5.ckpt")};
    for (const QString& name : names) {
        QFile file(m_runs.filePath(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("an earlier run's " + name.toUtf8());
    }
    m_panel->setEpochs(100000);
    QSignalSpy finished(m_panel.get(), &DropoutPanel::runFinished);
    QVERIFY(m_panel->start());
    // Past its second epoch p = 0 has a best checkpoint (in the staging folder).
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->figures()->chart(Chart::ValidationAccuracy)->curveCount() == 2
                                 && m_panel->figures()->chart(Chart::ValidationAccuracy)->plottedPointCount(0) >= 2,
                             kTimeoutMs);
    QTest::mouseClick(child<QPushButton>(m_panel.get(), "cancelButton"), Qt::LeftButton);
    QVERIFY(finished.wait(kTimeoutMs));
    QVERIFY(finished.at(0).at(0).value<DropoutResult>().cancelled);
    for (const QString& name : names) {
        QFile file(m_runs.filePath(name));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), "an earlier run's " + name.toUtf8());
    }
    QCOMPARE(QDir(m_runs.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).size(),
             names.size());
}

QTEST_MAIN(TestDropoutPanel)
#include "tst_dropoutpanel.moc"

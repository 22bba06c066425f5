// Tests of the report: core's plan, the ReportWriter on the results of tiny real runs (every file,
// the documents' contents, no half report after a failure), and the GUI's ReportDialog (a folder that
// cannot be written, cancel, closing during a run). The full quick report is tst_reproduce's.

#include "shell/reportdialog.h"
#include "figures/reportwriter.h"

#include "initlab/report.h"
#include "initlab/stagedfolder.h"

#include <QCheckBox>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <random>

using namespace initlab;
using namespace initlab::ui;

namespace {

// Random 28x28 images of 10 classes: enough for the dropout runner to train and evaluate.
ImageSet randomImages(int count, unsigned seed)
{
    std::mt19937 random(seed);
    ImageSet set;
    set.count = count;
    set.rows = 28;
    set.cols = 28;
    set.pixels.resize(std::size_t(count) * 784);
    set.labels.resize(std::size_t(count));
    for (auto& pixel : set.pixels)
        pixel = std::uint8_t(random() % 256);
    for (int i = 0; i < count; ++i)
        set.labels[std::size_t(i)] = std::uint8_t(i % kMnistClasses);
    return set;
}

// The report's plan at toy sizes: the same experiments and groups, seconds of work.
ReportPlan tinyPlan()
{
    ReportPlan plan = reportPlan(true, 1);
    plan.deep.depth = 4;
    plan.deep.width = 16;
    plan.deep.batch = 64;
    plan.circles.seeds = 2;
    plan.circles.epochs = 30;
    plan.circles.boundaryResolution = 16;
    plan.dropout.hidden = {16, 16};
    plan.dropout.epochs = 2;
    plan.dropout.trainBegin = 0;
    plan.dropout.trainEnd = 80;
    plan.dropout.validationBegin = 80;
    plan.dropout.validationEnd = 120;
    plan.dropout.testLimit = 0;
    plan.dropout.ensembleSizes = {2, 4};
    plan.dropout.galleryCount = 2;
    return plan;
}

const ReportResults& tinyResults()
{
    static const ReportResults results = [] {
        MnistDataset data;
        data.folder = "memory";
        data.classNames = std::vector<std::string>(kMnistClasses, "class");
        data.train = randomImages(120, 1);
        data.test = randomImages(40, 2);
        CancelFlag cancel{false};
        return runReportExperiments(tinyPlan(), data, "memory", nullptr, cancel);
    }();
    return results;
}

QStringList filesUnder(const QString& folder)
{
    QStringList files;
    QDirIterator it(folder, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << QDir(folder).relativeFilePath(it.next());
    files.sort();
    return files;
}

// Waits until the dialog's experiments are under way (their first progress reached the bar), so
// that a cancel or a close meets a running report rather than one still being set up.
bool waitUntilUnderway(const ReportDialog& dialog)
{
    QProgressBar* bar = dialog.progressBar();
    if (bar->value() > bar->minimum())
        return true;
    QSignalSpy progressed(bar, &QProgressBar::valueChanged);
    return progressed.wait(60000);
}

} // namespace

class TestReport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void planHasTheReportsSettings();
    void progressCoversTheWholeRun();
    void writerWritesEveryFigureAndBothDocuments();
    void writerLeavesNothingWhenItFails();
    void dialogRefusesAFolderItCannotWrite();
    void dialogCancelLeavesNothing();
    void dialogCancelKeepsAnEarlierReport();
    void dialogRefusesAFolderInUse();
    void closingTheDialogDuringARunStopsIt();
};

void TestReport::initTestCase()
{
    // The dialog remembers its folder in QSettings: keep the tests' out of the user's.
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
}

void TestReport::planHasTheReportsSettings()
{
    const ReportPlan full = reportPlan(false);
    QCOMPARE(full.deep.combinations.size(), std::size_t(7));
    QCOMPARE(full.deep.depth, 50);
    QCOMPARE(full.deep.width, 512);
    QCOMPARE(full.deep.batch, 10000);
    QCOMPARE(full.circles.normalizations.size(), std::size_t(3));
    QCOMPARE(full.circles.seeds, 10);
    QCOMPARE(full.dropout.ps, (std::vector<double>{0.0, 0.2, 0.5}));
    QCOMPARE(full.dropout.epochs, 10);
    QCOMPARE(full.dropout.ensembleSizes, (std::vector<int>{5, 50, 500, 1000}));
    QCOMPARE(full.dropout.testLimit, 0);
    const ReportPlan quick = reportPlan(true);
    QVERIFY(quick.deep.batch < full.deep.batch);
    QVERIFY(quick.dropout.epochs < full.dropout.epochs);
    QVERIFY(quick.dropout.ensembleSizes.back() < full.dropout.ensembleSizes.back());
}

void TestReport::progressCoversTheWholeRun()
{
    struct Recorder : ReportProgress {
        std::vector<ReportStage> started, finished;
        std::vector<double> fractions;
        void onStageStarted(ReportStage stage) override { started.push_back(stage); }
        void onProgress(double fraction) override { fractions.push_back(fraction); }
        void onStageFinished(ReportStage stage) override { finished.push_back(stage); }
    } recorder;
    MnistDataset data;
    data.train = randomImages(120, 3);
    data.test = randomImages(40, 4);
    CancelFlag cancel{false};
    const ReportResults results = runReportExperiments(tinyPlan(), data, "memory", &recorder, cancel);
    QVERIFY2(results.error.empty(), results.error.c_str());
    QVERIFY(!results.cancelled);
    const std::vector<ReportStage> all{ReportStage::Deep, ReportStage::Circles, ReportStage::Dropout};
    QCOMPARE(recorder.started, all);
    QCOMPARE(recorder.finished, all);
    QVERIFY(!recorder.fractions.empty());
    QVERIFY(std::is_sorted(recorder.fractions.begin(), recorder.fractions.end()));
    QVERIFY(recorder.fractions.front() >= 0.0);
    QCOMPARE(recorder.fractions.back(), 1.0);

    // A set cancel flag stops at the first experiment.
    CancelFlag cancelled{true};
    const ReportResults stopped = runReportExperiments(tinyPlan(), data, "memory", nullptr, cancelled);
    QVERIFY(stopped.cancelled);
    QVERIFY(stopped.circles.models.empty());
}

void TestReport::writerWritesEveryFigureAndBothDocuments()
{
    const ReportResults& results = tinyResults();
    QVERIFY2(results.error.empty(), results.error.c_str());
    QTemporaryDir folder;
    QStringList records;
    QString error;
    QVERIFY2(writeReportRecords(results, BlasInfo{}, folder.path(), &records, nullptr, &error), qPrintable(error));
    QCOMPARE(records.size(), 3);
    for (const QString& record : records) {
        QVERIFY(record.startsWith(QStringLiteral("runs/")));
        QVERIFY(QFile::exists(folder.filePath(record + QStringLiteral("/experiment.json"))));
        QVERIFY(QFile::exists(folder.filePath(record + QStringLiteral("/run.json"))));
    }
    QVERIFY(QFile::exists(folder.filePath(records[0] + QStringLiteral("/deep.csv"))));
    QVERIFY(QFile::exists(folder.filePath(records[1] + QStringLiteral("/circles_summary.csv"))));
    QVERIFY(QFile::exists(folder.filePath(records[2] + QStringLiteral("/ensemble.csv"))));

    ReportWriter writer(results, BlasInfo{}, folder.path());
    writer.setRunRecords(records);
    QCOMPARE(writer.stepCount(), 18 + 2); // 14 of the report, four beyond it, preparing and the documents
    int calls = 0;
    QVERIFY2(writer.writeAll([&](int done, int total) {
        ++calls;
        QCOMPARE(total, writer.stepCount());
        QCOMPARE(done, calls);
    }),
             qPrintable(writer.error()));
    QCOMPARE(calls, writer.stepCount());
    QVERIFY(writer.isFinished());

    const QStringList files = filesUnder(folder.filePath(QStringLiteral("figures")));
    for (int number = 1; number <= 14; ++number) {
        const QString prefix = QStringLiteral("fig%1_").arg(number, 2, 10, QLatin1Char('0'));
        for (const QString& suffix : {QStringLiteral(".png"), QStringLiteral(".svg"), QStringLiteral(".csv")}) {
            const auto found = std::find_if(files.begin(), files.end(), [&](const QString& f) {
                return f.startsWith(prefix) && f.endsWith(suffix);
            });
            QVERIFY2(found != files.end(), qPrintable(prefix + suffix));
        }
    }
    // The report's deep figures are the tab's charts: one curve per combination in the CSV.
    QFile deepCsv(folder.filePath(QStringLiteral("figures/fig02_deep_activation_std.csv")));
    QVERIFY(deepCsv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = deepCsv.readAll().trimmed().split('\n');
    QVERIFY2(lines.size() >= 1 + 7 * 4, qPrintable(QString::number(lines.size()))); // 7 curves x 4 layers

    // Beyond the report, in section I: the tanh histograms of the heuristic against Xavier, and the
    // saturation curves, each with its CSV; the deep run measured the histograms they need.
    QVERIFY(QFile::exists(folder.filePath(records[0] + QStringLiteral("/deep_hist.csv"))));
    for (const QString& base : {QStringLiteral("figA_deep_tanh_histograms"), QStringLiteral("figB_deep_saturated_fraction")})
        for (const QString& suffix : {QStringLiteral(".png"), QStringLiteral(".svg"), QStringLiteral(".csv")})
            QVERIFY2(files.contains(base + suffix), qPrintable(base + suffix));
    QFile histogramCsv(folder.filePath(QStringLiteral("figures/figA_deep_tanh_histograms.csv")));
    QVERIFY(histogramCsv.open(QIODevice::ReadOnly));
    const QList<QByteArray> histogramLines = histogramCsv.readAll().trimmed().split('\n');
    QCOMPARE(histogramLines.first(), QByteArray("init,layer,bin_low,bin_high,fraction"));
    // Layers 1 and 4 (the depth clips 10, 25 and 50) of both inits, 64 bins each.
    QCOMPARE(histogramLines.size(), 1 + 2 * 2 * kHistogramBins);
    QVERIFY(histogramLines[1].startsWith("heuristic,1,-1,"));
    QVERIFY(histogramLines.last().startsWith("xavier_uniform,4,"));
    QFile saturatedCsv(folder.filePath(QStringLiteral("figures/figB_deep_saturated_fraction.csv")));
    QVERIFY(saturatedCsv.open(QIODevice::ReadOnly));
    const QList<QByteArray> saturatedLines = saturatedCsv.readAll().trimmed().split('\n');
    QCOMPARE(saturatedLines.first(), QByteArray("init,activation,layer,saturated_frac"));
    QCOMPARE(saturatedLines.size(), 1 + 7 * 4);

    QFile html(folder.filePath(ReportWriter::htmlName()));
    QVERIFY(html.open(QIODevice::ReadOnly));
    const QString page = QString::fromUtf8(html.readAll());
    QCOMPARE(page.count(QStringLiteral("<img ")), 18);
    QVERIFY(page.contains(QStringLiteral("TABLE I")));
    for (const QString& record : records)
        QVERIFY(page.contains(record));
    // Table I: one pass and both ensemble sizes of each p.
    QCOMPARE(page.count(QStringLiteral("<tr><td>0.5</td>")), 3);
    QVERIFY(QFile::exists(folder.filePath(ReportWriter::markdownName())));
    // Every file the writer reports is there.
    for (const QString& file : writer.writtenFiles())
        QVERIFY2(QFile::exists(file), qPrintable(file));
}

void TestReport::writerLeavesNothingWhenItFails()
{
    // The documents cannot be written where a folder of that name stands; everything drawn before
    // goes again.
    QTemporaryDir folder;
    QVERIFY(QDir(folder.path()).mkpath(ReportWriter::htmlName()));
    ReportWriter writer(tinyResults(), BlasInfo{}, folder.path());
    QVERIFY(!writer.writeAll());
    QVERIFY2(writer.error().contains(ReportWriter::htmlName()), qPrintable(writer.error()));
    QVERIFY(writer.writtenFiles().isEmpty());
    QCOMPARE(filesUnder(folder.path()), QStringList());
}

void TestReport::dialogRefusesAFolderItCannotWrite()
{
    QTemporaryDir home;
    const QString blocker = home.filePath(QStringLiteral("a-file"));
    {
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
    }
    ReportDialog dialog;
    QSignalSpy finished(&dialog, &ReportDialog::reportFinished);
    dialog.setOutputFolder(QDir(blocker).filePath(QStringLiteral("report")));
    QVERIFY(!dialog.start());
    QVERIFY(!dialog.isRunning());
    QVERIFY2(dialog.statusLabel()->text().contains(blocker), qPrintable(dialog.statusLabel()->text()));
    QVERIFY(dialog.startButton()->isEnabled());
    QCOMPARE(finished.count(), 0);
}

void TestReport::dialogCancelLeavesNothing()
{
    QTemporaryDir home;
    const QString out = home.filePath(QStringLiteral("report"));
    ReportDialog dialog;
    QSignalSpy finished(&dialog, &ReportDialog::reportFinished);
    dialog.setOutputFolder(out);
    dialog.setQuick(true);
    QVERIFY(dialog.start());
    QVERIFY(dialog.isRunning());
    QVERIFY(!dialog.startButton()->isEnabled());
    QVERIFY(dialog.cancelButton()->isEnabled());
    QVERIFY(!dialog.quickToggle()->isEnabled());
    QVERIFY(waitUntilUnderway(dialog));
    dialog.cancel();
    QVERIFY(finished.wait(120000));
    QCOMPARE(finished.first().first().toBool(), false);
    QVERIFY(!dialog.isRunning());
    QVERIFY2(dialog.statusLabel()->text().contains(QStringLiteral("Cancelled")), qPrintable(dialog.statusLabel()->text()));
    QCOMPARE(filesUnder(out), QStringList());
    QVERIFY(dialog.startButton()->isEnabled());
    QVERIFY(!dialog.openButton()->isEnabled());
}

// A cancelled report takes nothing away from the one that was in the folder before: not its
// documents, not its checkpoints of the same names.
void TestReport::dialogCancelKeepsAnEarlierReport()
{
    QTemporaryDir home;
    const QString out = home.filePath(QStringLiteral("report"));
    const QStringList earlier{QStringLiteral("report.html"), QStringLiteral("checkpoints/best-p0.ckpt"),
                              QStringLiteral("checkpoints/best-p0.5.ckpt"), QStringLiteral("figures/fig01.csv")};
    for (const QString& name : earlier) {
        QVERIFY(QDir().mkpath(QFileInfo(QDir(out).filePath(name)).absolutePath()));
        QFile file(QDir(out).filePath(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("from the earlier report: " + name.toUtf8());
    }
    ReportDialog dialog;
    QSignalSpy finished(&dialog, &ReportDialog::reportFinished);
    dialog.setOutputFolder(out);
    dialog.setQuick(true);
    QVERIFY(dialog.start());
    QVERIFY(waitUntilUnderway(dialog));
    dialog.cancel();
    QVERIFY(finished.wait(120000));
    QCOMPARE(finished.first().first().toBool(), false);
    QStringList expected = earlier;
    expected.sort();
    QCOMPARE(filesUnder(out), expected);
    for (const QString& name : earlier) {
        QFile file(QDir(out).filePath(name));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), "from the earlier report: " + name.toUtf8());
    }
    // ... and no staging folder is left behind.
    QCOMPARE(QDir(out).entryList(QDir::Hidden | QDir::AllEntries | QDir::NoDotAndDotDot).size(), 3);
}

// While another run writes into the folder, the dialog says so and does not start.
void TestReport::dialogRefusesAFolderInUse()
{
    QTemporaryDir home;
    const QString out = home.filePath(QStringLiteral("report"));
    StagedFolder other;
    QCOMPARE(other.open(QFile::encodeName(out).toStdString()), std::string());
    ReportDialog dialog;
    QSignalSpy finished(&dialog, &ReportDialog::reportFinished);
    dialog.setOutputFolder(out);
    QVERIFY(!dialog.start());
    QVERIFY(!dialog.isRunning());
    QVERIFY2(dialog.statusLabel()->text().contains(QStringLiteral("in use by another InitLab run")),
             qPrintable(dialog.statusLabel()->text()));
    QVERIFY(dialog.startButton()->isEnabled());
    QCOMPARE(finished.count(), 0);
    other.abandon();
    QVERIFY(dialog.start()); // free again
    dialog.cancel();
    QVERIFY(finished.wait(120000));
}

void TestReport::closingTheDialogDuringARunStopsIt()
{
    QTemporaryDir home;
    const QString out = home.filePath(QStringLiteral("report"));
    {
        ReportDialog dialog;
        QSignalSpy finished(&dialog, &ReportDialog::reportFinished);
        dialog.setOutputFolder(out);
        dialog.show();
        QVERIFY(dialog.start());
        QVERIFY(waitUntilUnderway(dialog));
        dialog.close(); // cancels and waits for the thread
        QVERIFY(!dialog.isRunning());
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY(dialog.statusLabel()->text().contains(QStringLiteral("Cancelled")));
        QVERIFY(dialog.startButton()->isEnabled());
        QCoreApplication::processEvents(); // the thread's late finished signal changes nothing
        QCOMPARE(finished.count(), 1);
    }
    QCOMPARE(filesUnder(out), QStringList());
    {
        // Destroyed mid-run (the window closing): the thread is stopped, nothing stays behind.
        ReportDialog dialog;
        dialog.setOutputFolder(out);
        QVERIFY(dialog.start());
        QVERIFY(waitUntilUnderway(dialog));
    }
    QCOMPARE(filesUnder(out), QStringList());
}

QTEST_MAIN(TestReport)
#include "tst_report.moc"

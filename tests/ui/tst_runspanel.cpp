// Run records and the Runs tab, end to end with tiny runs: a finished deep run leaves a record
// (experiment.json with the seeds, run.json with versions and BLAS, deep.csv); the Runs tab lists
// it; Show redraws the deep charts and the matrix with the same numbers without running; Re-run
// gives the same numbers again; a record that cannot be written is reported and the results stay;
// circles and dropout records are shown too, and deleting asks first.

#include "experiments/circles/circlespanel.h"
#include "experiments/circles/circlessummarytable.h"
#include "figures/boundarycanvas.h"
#include "experiments/deep/deeppanel.h"
#include "figures/dropoutchart.h"
#include "figures/dropoutfigures.h"
#include "experiments/dropout/dropoutpanel.h"
#include "experiments/experimentfileio.h"
#include "shell/experimentsession.h"
#include "experiments/deep/initmatrix.h"
#include "figures/deepfigures.h"
#include "figures/layerchart.h"
#include "shell/mainwindow.h"
#include "experiments/metatypes.h"
#include "widgets.h"
#include "shell/runspanel.h"
#include "tolerance.h"

#include <QApplication>
#include <QChart>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTimer>
#include <QTreeWidget>
#include <QXYSeries>

#include <map>

using namespace initlab;
using namespace initlab::ui;
using Chart = DeepFigures::Chart;

namespace {

constexpr int kTimeoutMs = 120000;
constexpr std::array kCharts{Chart::ActivationMean, Chart::ActivationStd, Chart::GradientMean, Chart::GradientStd};

DeepConfig tinyDeep()
{
    DeepConfig config;
    config.combinations = {{InitScheme::XavierUniform, Activation::Tanh}, {InitScheme::KaimingNormal, Activation::Relu}};
    config.depth = 4;
    config.width = 16;
    config.batch = 32;
    config.seed = 7;
    config.threads = 1;
    return config;
}

// Every point of every series on the deep tab's charts, by chart and series name.
std::map<QString, QList<QPointF>> chartPoints(DeepPanel& panel)
{
    std::map<QString, QList<QPointF>> points;
    for (Chart which : kCharts) {
        LayerChart* chart = panel.figures()->chart(which);
        chart->refresh();
        for (QAbstractSeries* series : chart->chart()->series())
            if (auto* xy = qobject_cast<QXYSeries*>(series))
                points[QString::number(int(which)) + QLatin1Char('/') + xy->name()] += xy->points();
    }
    return points;
}

std::string readAll(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll().toStdString();
}

} // namespace

class TestRunsPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void deepRunWritesARecord();
    void showRedrawsWithoutRunningAndRerunReproduces();
    void unwritableRunsFolderIsReported();
    void circlesRecordIsShown();
    void circlesRecordWithDamagedSnapshots();
    void dropoutRecordIsShown();
    void unreadableRecordIsListed();
    void deleteAsksFirst();

private:
    QString runDeep(const DeepConfig& config);

    QTemporaryDir m_home;
    std::unique_ptr<QTemporaryDir> m_runs;
    std::unique_ptr<MainWindow> m_window;
};

void TestRunsPanel::initTestCase()
{
    registerMetaTypes();
    QVERIFY(m_home.isValid());
    qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toLocal8Bit());
    // This test checks the default place of the runs folder, under its own XDG_DATA_HOME; the
    // suite's INITLAB_RUNS_FOLDER would move it.
    qunsetenv("INITLAB_RUNS_FOLDER");
    QCoreApplication::setOrganizationName(QStringLiteral("initlab-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_runspanel"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_home.filePath(QStringLiteral("config")));
}

void TestRunsPanel::init()
{
    m_runs = std::make_unique<QTemporaryDir>();
    QVERIFY(m_runs->isValid());
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1400, 900);
    m_window->session()->setRunsFolder(m_runs->path());
}

void TestRunsPanel::cleanup()
{
    m_window.reset();
    m_runs.reset();
}

QString TestRunsPanel::runDeep(const DeepConfig& config)
{
    QSignalSpy recorded(m_window->session(), &ExperimentSession::runRecorded);
    if (!m_window->deepPanel()->runConfig(config))
        return {};
    if (!recorded.wait(kTimeoutMs))
        return {};
    return recorded.first().first().toString();
}

void TestRunsPanel::deepRunWritesARecord()
{
    // The default runs folder is under XDG_DATA_HOME.
    QCOMPARE(QDir::cleanPath(ui::runsFolder()), QDir::cleanPath(m_home.filePath(QStringLiteral("data/initlab/runs"))));

    const DeepConfig config = tinyDeep();
    const QString folder = runDeep(config);
    QVERIFY(!folder.isEmpty());
    QCOMPARE(m_window->session()->lastRecordFolder(), folder);
    for (const char* name : {"experiment.json", "run.json", "deep.csv"})
        QVERIFY2(QFile::exists(folder + QLatin1Char('/') + QLatin1String(name)), name);

    RunRecord record;
    std::string error;
    QVERIFY2(readRunRecord(folder.toStdString(), record, error), error.c_str());
    QCOMPARE(record.info.kind, ExperimentKind::Deep);
    QCOMPARE(record.info.status, std::string("finished"));
    QCOMPARE(record.info.initlabVersion, std::string(INITLAB_VERSION));
    QVERIFY(!record.info.torchVersion.empty());
    QVERIFY(!record.info.blas.empty());
    QCOMPARE(record.info.threads, 1);
    QVERIFY(!record.info.started.empty() && record.info.finished >= record.info.started);
    QVERIFY(!record.info.summary.empty());
    QCOMPARE(record.experiment.deep.seed, config.seed);
    QCOMPARE(record.experiment.deep.depth, config.depth);
    QCOMPARE(record.experiment.deep.combinations, config.combinations);

    // deep.csv holds depth rows per combination plus the header.
    const std::string csv = readAll(folder + QStringLiteral("/deep.csv"));
    QCOMPARE(int(std::count(csv.begin(), csv.end(), '\n')), 1 + config.depth * int(config.combinations.size()));

    // The Runs tab lists it.
    RunsPanel* runs = m_window->session()->runsPanel();
    QCOMPARE(runs->list()->topLevelItemCount(), 1);
    QCOMPARE(runs->list()->topLevelItem(0)->text(RunsPanel::StatusColumn), QStringLiteral("finished"));
    QVERIFY(runs->list()->topLevelItem(0)->text(RunsPanel::SummaryColumn).contains(QStringLiteral("depth 4")));
}

void TestRunsPanel::showRedrawsWithoutRunningAndRerunReproduces()
{
    const DeepConfig config = tinyDeep();
    const QString first = runDeep(config);
    QVERIFY(!first.isEmpty());
    DeepPanel* panel = m_window->deepPanel();
    const auto live = chartPoints(*panel);
    QVERIFY(!live.empty());
    std::vector<double> cells;
    for (const Combination& c : config.combinations)
        cells.push_back(child<InitMatrix>(panel, "initMatrix")->resultOf(c));

    // Clear, then show the record: the same curves and cell colours, and nothing runs.
    child<QPushButton>(panel, "clearButton")->click();
    QVERIFY(chartPoints(*panel).empty());
    QVERIFY(!child<InitMatrix>(panel, "initMatrix")->hasResult(config.combinations.front()));
    auto* tabs = m_window->findChild<QTabWidget*>(QStringLiteral("experimentTabs"));
    RunsPanel* runs = m_window->session()->runsPanel();
    tabs->setCurrentWidget(runs);
    runs->selectRow(0);
    QVERIFY(runs->showButton()->isEnabled());
    QVERIFY(runs->details()->toPlainText().contains(QStringLiteral(INITLAB_VERSION)));
    QSignalSpy started(panel, &DeepPanel::runStarted);
    runs->showButton()->click();
    QCOMPARE(started.count(), 0);
    QVERIFY(!panel->isRunning());
    QCOMPARE(tabs->currentWidget(), static_cast<QWidget*>(panel));
    const auto shown = chartPoints(*panel);
    QCOMPARE(shown.size(), live.size());
    for (const auto& [name, points] : live) {
        QVERIFY2(shown.count(name), qPrintable(name));
        const QList<QPointF>& again = shown.at(name);
        QCOMPARE(again.size(), points.size());
        for (qsizetype i = 0; i < points.size(); ++i) {
            QCOMPARE(again[i].x(), points[i].x());
            INITLAB_COMPARE_REL(again[i].y(), points[i].y(), 1e-12);
        }
    }
    for (std::size_t i = 0; i < cells.size(); ++i)
        INITLAB_COMPARE_REL(child<InitMatrix>(panel, "initMatrix")->resultOf(config.combinations[i]), cells[i], 1e-12);
    QCOMPARE(panel->config().seed, config.seed);
    QCOMPARE(panel->config().depth, config.depth);
    QCOMPARE(runs->list()->topLevelItemCount(), 1); // showing is not a run

    // Re-run: the same settings and seed give the same numbers, in a second record.
    tabs->setCurrentWidget(runs);
    runs->selectRow(0);
    QSignalSpy recorded(m_window->session(), &ExperimentSession::runRecorded);
    runs->rerunButton()->click();
    QVERIFY(panel->isRunning());
    QVERIFY(recorded.wait(kTimeoutMs));
    const QString second = recorded.first().first().toString();
    QVERIFY(second != first);
    QCOMPARE(readAll(second + QStringLiteral("/deep.csv")), readAll(first + QStringLiteral("/deep.csv")));
    QCOMPARE(runs->list()->topLevelItemCount(), 2);
    // Newest first.
    QCOMPARE(QDir(QString::fromStdString(runs->records().front().folder)), QDir(second));
}

void TestRunsPanel::unwritableRunsFolderIsReported()
{
    // A file where the runs folder should be: nothing can be created in it.
    const QString blocker = m_runs->filePath(QStringLiteral("not-a-folder"));
    {
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("x");
    }
    m_window->session()->setRunsFolder(blocker);
    // The Runs tab says why it lists nothing.
    const QString label = child<QLabel>(m_window->session()->runsPanel(), "runsFolderLabel")->text();
    QVERIFY2(label.contains(QStringLiteral("not a folder")), qPrintable(label));
    QSignalSpy failed(m_window->session(), &ExperimentSession::recordFailed);
    QSignalSpy finished(m_window->deepPanel(), &DeepPanel::runFinished);
    QVERIFY(m_window->deepPanel()->runConfig(tinyDeep()));
    QVERIFY(failed.wait(kTimeoutMs));
    QCOMPARE(finished.count(), 1);
    QVERIFY(m_window->session()->lastRecordFolder().isEmpty());
    QVERIFY2(m_window->statusBar()->currentMessage().contains(QStringLiteral("could not be written")),
             qPrintable(m_window->statusBar()->currentMessage()));
    // The results stay on screen.
    QVERIFY(m_window->deepPanel()->figures()->chart(Chart::ActivationStd)->plottedPointCount(0) > 0);
    QVERIFY(child<InitMatrix>(m_window->deepPanel(), "initMatrix")->hasResult(tinyDeep().combinations.front()));
}

void TestRunsPanel::circlesRecordIsShown()
{
    CirclesConfig config;
    config.inits = {InitScheme::XavierUniform, InitScheme::KaimingNormal};
    config.normalizations = {Normalization::Standard};
    config.seeds = 2;
    config.firstSeed = 3;
    config.epochs = 40;
    config.data.trainSize = 40;
    config.data.validationSize = 10;
    config.data.testSize = 50;
    config.boundaryResolution = 8;
    CirclesPanel* panel = m_window->circlesPanel();
    QSignalSpy recorded(m_window->session(), &ExperimentSession::runRecorded);
    QVERIFY(panel->runConfig(config));
    QVERIFY(recorded.wait(kTimeoutMs));
    const CirclesResult live = *panel->lastResult();
    const int rows = child<CirclesSummaryTable>(panel, "summaryTable")->rowCount();
    QVERIFY(rows > 0);

    RunsPanel* runs = m_window->session()->runsPanel();
    QCOMPARE(runs->list()->topLevelItemCount(), 1);
    runs->selectRow(0);
    QVERIFY(runs->details()->toPlainText().contains(QStringLiteral("boundaries")));
    QString error;
    QVERIFY2(m_window->session()->showRun(*runs->selectedRecord(), &error), qPrintable(error));
    QVERIFY(!panel->isRunning());
    QVERIFY(panel->lastResult() != nullptr);
    const CirclesResult& shown = *panel->lastResult();
    QCOMPARE(shown.models.size(), live.models.size());
    for (std::size_t m = 0; m < live.models.size(); ++m) {
        QCOMPARE(shown.models[m].testAcc, live.models[m].testAcc);
        QCOMPARE(shown.models[m].bestEpoch, live.models[m].bestEpoch);
        QCOMPARE(shown.models[m].trainLoss.size(), live.models[m].trainLoss.size());
    }
    QCOMPARE(child<CirclesSummaryTable>(panel, "summaryTable")->rowCount(), rows);

    // The boundaries come from the record's snapshots, drawn on the worker: each grid cell shows its
    // best seed's boundary at its best epoch, exactly as the run drew it.
    QSignalSpy drawn(panel, &CirclesPanel::recordBoundariesShown);
    QVERIFY(drawn.count() == 1 || drawn.wait(kTimeoutMs));
    QVERIFY2(panel->statusText().contains(QStringLiteral("from its parameter snapshots")), qPrintable(panel->statusText()));
    const std::vector<CirclesSummaryRow> summary = summarize(live);
    for (int column = 0; column < 2; ++column) {
        const BoundaryCanvas* cell = child<BoundaryCanvas>(panel, QStringLiteral("gridCell_%1_0").arg(column).toLatin1());
        QVERIFY(cell->hasImage());
        const auto row = std::find_if(summary.begin(), summary.end(), [&](const CirclesSummaryRow& r) {
            return r.init == config.inits[std::size_t(column)];
        });
        QVERIFY(row != summary.end());
        QVERIFY(cell->image().probability == live.models[std::size_t(row->bestModel)].boundary.probability);
        QCOMPARE(cell->image().epoch, live.models[std::size_t(row->bestModel)].bestEpoch);
    }
}

// A record whose snapshot file is damaged: the run is still shown (curves, table) with one line
// saying why its boundaries are not.
void TestRunsPanel::circlesRecordWithDamagedSnapshots()
{
    CirclesConfig config;
    config.inits = {InitScheme::XavierUniform};
    config.normalizations = {Normalization::Raw};
    config.epochs = 20;
    config.data.trainSize = 20;
    config.data.validationSize = 10;
    config.data.testSize = 20;
    config.boundaryResolution = 8;
    CirclesPanel* panel = m_window->circlesPanel();
    QSignalSpy recorded(m_window->session(), &ExperimentSession::runRecorded);
    QVERIFY(panel->runConfig(config));
    QVERIFY(recorded.wait(kTimeoutMs));
    const QString file = m_window->session()->lastRecordFolder() + QStringLiteral("/circles_snapshots.bin");
    QFile snapshots(file);
    QVERIFY2(snapshots.open(QIODevice::ReadWrite), qPrintable(file));
    snapshots.seek(snapshots.size() / 2);
    const char flipped = char(snapshots.peek(1).at(0) ^ 0x10);
    snapshots.write(&flipped, 1);
    snapshots.close();

    RunsPanel* runs = m_window->session()->runsPanel();
    runs->selectRow(0);
    QString error;
    QVERIFY2(m_window->session()->showRun(*runs->selectedRecord(), &error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(panel->statusText().contains(QStringLiteral("are not shown")), kTimeoutMs);
    QVERIFY2(panel->statusText().contains(QStringLiteral("checksum mismatch: the file is damaged")),
             qPrintable(panel->statusText()));
    QVERIFY(panel->statusText().contains(QStringLiteral("circles_snapshots.bin")));
    QCOMPARE(child<CirclesSummaryTable>(panel, "summaryTable")->rowCount(), 1);
    QVERIFY(!child<BoundaryCanvas>(panel, "gridCell_0_0")->hasImage());
    QVERIFY(!panel->isRunning());
}

void TestRunsPanel::dropoutRecordIsShown()
{
    // A dropout run needs image data; a record written from known numbers tests the showing.
    DropoutConfig config;
    config.ps = {0.0, 0.5};
    config.epochs = 2;
    config.seed = 11;
    config.ensembleSizes = {2, 3};
    DropoutResult result;
    for (double p : config.ps) {
        DropoutRunResult run;
        run.p = p;
        for (int e = 1; e <= 2; ++e)
            run.history.push_back({0, e, 0.5 / e, 0.8 + 0.05 * e, 0.6 / e, 0.7 + 0.1 * e + p / 10});
        run.bestEpoch = 2;
        run.bestValAcc = run.history.back().valAcc;
        run.singlePassAcc = 0.9 + p / 100;
        run.ensembleAcc = {0.88, 0.905, 0.9125 + p / 100};
        result.runs.push_back(run);
    }
    QString error;
    const QString folder = writeRunRecordFor(m_runs->path(), ExperimentKind::Dropout,
                                             dropoutOutcome(config, {}, result), BlasInfo{}, isoTimeNow(), error);
    QVERIFY2(!folder.isEmpty(), qPrintable(error));
    RunsPanel* runs = m_window->session()->runsPanel();
    runs->refresh();
    QCOMPARE(runs->list()->topLevelItemCount(), 1);
    runs->selectRow(0);
    QVERIFY(runs->showButton()->isEnabled());
    runs->showButton()->click();

    DropoutPanel* panel = m_window->dropoutPanel();
    QVERIFY(!panel->isRunning());
    QCOMPARE(child<QSpinBox>(panel, "seedSpin")->value(), 11);
    QTableWidget* table = child<QTableWidget>(panel, "ensembleTable");
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->columnCount(), 3);
    QCOMPARE(table->item(0, 0)->text(), QStringLiteral("90.00"));
    QCOMPARE(table->item(1, 2)->text(), QStringLiteral("91.75"));
    QCOMPARE(panel->figures()->chart(DropoutFigures::Chart::EnsembleAccuracy)->points(1).size(), 3);
    QCOMPARE(panel->figures()->chart(DropoutFigures::Chart::ValidationAccuracy)->points(0).size(), 2);
}

void TestRunsPanel::unreadableRecordIsListed()
{
    // Three records of which two cannot be read: experiment.json with a number too large for a
    // double, and run.json nested 100000 deep.
    QString error;
    const QString readable = writeRunRecordFor(m_runs->path(), ExperimentKind::Deep, deepOutcome(tinyDeep(), {}),
                                               BlasInfo{}, "2026-02-01T00:00:00Z", error);
    QVERIFY2(!readable.isEmpty(), qPrintable(error));
    const QString tooLarge = writeRunRecordFor(m_runs->path(), ExperimentKind::Deep, deepOutcome(tinyDeep(), {}),
                                               BlasInfo{}, "2026-03-01T00:00:00Z", error);
    QVERIFY2(!tooLarge.isEmpty(), qPrintable(error));
    const QString tooDeep = m_runs->filePath(QStringLiteral("20260101-000000-deep"));
    QVERIFY(QDir().mkpath(tooDeep));
    const auto write = [](const QString& path, const QByteArray& content) {
        QFile file(path);
        return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content) == content.size();
    };
    QVERIFY(write(tooLarge + QStringLiteral("/experiment.json"),
                  R"({"initlab_experiment": 1, "experiment": "deep", "settings": {"depth": 1e999}})"));
    QVERIFY(write(tooDeep + QStringLiteral("/run.json"), QByteArray(100000, '[') + QByteArray(100000, ']')));

    RunsPanel* runs = m_window->session()->runsPanel();
    runs->refresh();
    QTreeWidget* list = runs->list();
    QCOMPARE(list->topLevelItemCount(), 3);
    // Newest first; the record whose run.json says nothing has no time and comes last.
    QTreeWidgetItem* first = list->topLevelItem(0);
    QCOMPARE(first->text(RunsPanel::StatusColumn),
             QStringLiteral("unreadable: experiment.json: a number on line 1 is too large (1e999)"));
    QCOMPARE(first->toolTip(RunsPanel::StatusColumn), first->text(RunsPanel::StatusColumn));
    QCOMPARE(first->text(RunsPanel::ExperimentColumn), QFileInfo(tooLarge).fileName());
    QCOMPARE(list->topLevelItem(1)->text(RunsPanel::StatusColumn), QStringLiteral("finished"));
    QTreeWidgetItem* last = list->topLevelItem(2);
    QCOMPARE(last->text(RunsPanel::StatusColumn),
             QStringLiteral("unreadable: run.json: nested more than 64 levels deep (line 1)"));
    QCOMPARE(last->text(RunsPanel::ExperimentColumn), QStringLiteral("20260101-000000-deep"));

    // An unreadable record can be looked at and deleted, not shown or re-run.
    runs->selectRow(0);
    QVERIFY(!runs->showButton()->isEnabled());
    QVERIFY(!runs->rerunButton()->isEnabled());
    QVERIFY(runs->openFolderButton()->isEnabled());
    QVERIFY(runs->deleteButton()->isEnabled());
    const QString details = runs->details()->toPlainText();
    QVERIFY2(details.contains(QStringLiteral("cannot be read")) && details.contains(QStringLiteral("1e999")),
             qPrintable(details));
    QVERIFY2(details.contains(QDir::toNativeSeparators(tooLarge)), qPrintable(details));
    QVERIFY(!m_window->session()->showRun(*runs->selectedRecord(), &error));
    QVERIFY2(error.contains(QStringLiteral("too large")), qPrintable(error));
    QVERIFY(!m_window->session()->rerun(*runs->selectedRecord()));
    QVERIFY(!m_window->deepPanel()->isRunning());

    // The readable record beside them is not affected.
    runs->selectRow(1);
    QVERIFY(runs->rerunButton()->isEnabled());
    QCOMPARE(runs->selectedRecord()->folder, readable.toStdString());

    runs->selectRow(0);
    QVERIFY(runs->deleteSelected(false));
    QVERIFY(!QDir(tooLarge).exists());
    QCOMPARE(list->topLevelItemCount(), 2);
}

void TestRunsPanel::deleteAsksFirst()
{
    QString error;
    const QString folder = writeRunRecordFor(m_runs->path(), ExperimentKind::Deep, deepOutcome(tinyDeep(), {}),
                                             BlasInfo{}, isoTimeNow(), error);
    QVERIFY2(!folder.isEmpty(), qPrintable(error));
    RunsPanel* runs = m_window->session()->runsPanel();
    runs->refresh();
    runs->selectRow(0);
    // A record without results cannot be shown, only re-run.
    QVERIFY(!runs->showButton()->isEnabled());
    QVERIFY(runs->rerunButton()->isEnabled());

    const auto answer = [](QMessageBox::StandardButton button) {
        QTimer::singleShot(0, [button] {
            if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget()))
                box->button(button)->click();
        });
    };
    answer(QMessageBox::No);
    QVERIFY(!runs->deleteSelected(true));
    QVERIFY(QDir(folder).exists());
    answer(QMessageBox::Yes);
    QVERIFY(runs->deleteSelected(true));
    QVERIFY(!QDir(folder).exists());
    QCOMPARE(runs->list()->topLevelItemCount(), 0);
}

QTEST_MAIN(TestRunsPanel)
#include "tst_runspanel.moc"

// CirclesPanel end to end with tiny runs (200 epochs, 2 seeds, 16 x 16 boundary images): Train all
// fills the curves, the comparison grid and the summary table; the big canvas is redrawn while a
// run goes on; Cancel stops it and keeps the snapshots; clicking a table row shows that setting's
// best seed; the threshold recomputes the table; bad settings say why and start nothing (a learning
// rate of -1 stays as typed and is named, rather than become 1); a diverging model is named with its
// epoch.

#include "common/palette.h"
#include "figures/boundarycanvas.h"
#include "figures/circlescomparisongrid.h"
#include "figures/circlescurvechart.h"
#include "figures/circlesfigures.h"
#include "figures/unitmapsfigure.h"
#include "common/names.h"
#include "experiments/circles/circlespanel.h"
#include "experiments/circles/circlesplayback.h"
#include "experiments/circles/circlessummarytable.h"
#include "experiments/circles/circlesworker.h"
#include "experiments/metatypes.h"
#include "experiments/workerthread.h"
#include "initlab/circlessnapshots.h"
#include "widgets.h"
#include "sidewaysfit.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

#include <QThread>

#include <limits>
#include <memory>
#include <set>
#include <utility>

using namespace initlab;
using namespace initlab::ui;
using Chart = CirclesFigures::Chart;

namespace {

constexpr int kEpochs = 200;
constexpr int kSeeds = 2;
constexpr int kTimeoutMs = 60000;
constexpr int kSettings = 5 * 3; // the default inits x normalizations

} // namespace

class TestCirclesPanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void trainAllFillsCurvesGridAndTable();
    void canvasIsRedrawnWhileTrainingAndCancelKeepsSnapshots();
    void clickingARowShowsItsBestSeed();
    void thresholdRecomputesTheTable();
    void badSettingsSayWhyAndStartNothing();
    void outOfRangeFieldIsKeptAndRefused();
    void divergenceIsNamedWithItsEpoch();
    void fitsA1280x800WindowWithoutSidewaysScrolling();
    void playbackDrawsTheRecordedEpochs();
    void playbackFollowsTheRunWhileItTrains();
    void unitMapsShowTheCanvasModelAndItsDeadUnits();

private:
    CirclesResult waitForFinish();
    // The panel's parts, by their object names.
    QSpinBox* spin(const char* name) const { return child<QSpinBox>(m_panel.get(), name); }
    QPushButton* trainAllButton() const { return child<QPushButton>(m_panel.get(), "trainAllButton"); }
    CirclesCurveChart* chart(Chart which) const { return m_panel->figures()->chart(which); }
    CirclesComparisonGrid* grid() const { return child<CirclesComparisonGrid>(m_panel.get(), "comparisonGrid"); }
    BoundaryCanvas* canvas() const { return child<BoundaryCanvas>(m_panel.get(), "boundaryCanvas"); }
    CirclesSummaryTable* summaryTable() const { return child<CirclesSummaryTable>(m_panel.get(), "summaryTable"); }

    std::unique_ptr<WorkerThread<CirclesWorker>> m_thread;
    CirclesWorker* m_worker = nullptr;
    std::unique_ptr<CirclesPanel> m_panel;
};

void TestCirclesPanel::initTestCase()
{
    registerMetaTypes();
}

void TestCirclesPanel::init()
{
    m_thread = std::make_unique<WorkerThread<CirclesWorker>>();
    m_worker = m_thread->worker();

    m_panel = std::make_unique<CirclesPanel>(m_worker);
    spin("epochsSpin")->setValue(kEpochs);
    spin("seedsSpin")->setValue(kSeeds);
    spin("resolutionSpin")->setValue(16);
    // The tests look at what a run leaves, not at its playback (which has a test of its own): the
    // views show the run as trained.
    m_panel->playback()->setSpeed(std::numeric_limits<double>::infinity());
    m_panel->resize(1500, 950);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
}

void TestCirclesPanel::cleanup()
{
    QVERIFY(m_thread->stop(kTimeoutMs));
    m_panel.reset();
    m_thread.reset();
    m_worker = nullptr;
}

CirclesResult TestCirclesPanel::waitForFinish()
{
    QSignalSpy finished(m_panel.get(), &CirclesPanel::runFinished);
    if (!finished.wait(kTimeoutMs))
        return {};
    return finished.at(0).at(0).value<CirclesResult>();
}

void TestCirclesPanel::trainAllFillsCurvesGridAndTable()
{
    QSignalSpy started(m_panel.get(), &CirclesPanel::runStarted);
    QSignalSpy finished(m_panel.get(), &CirclesPanel::runFinished);
    QTest::mouseClick(trainAllButton(), Qt::LeftButton);
    QCOMPARE(started.count(), 1);
    QVERIFY(m_panel->isRunning());
    QVERIFY(!trainAllButton()->isEnabled());
    QVERIFY(child<QPushButton>(m_panel.get(), "cancelButton")->isEnabled());

    QVERIFY(finished.wait(kTimeoutMs));
    const auto result = finished.at(0).at(0).value<CirclesResult>();
    QVERIFY2(result.error.empty(), result.error.c_str());
    QVERIFY(!result.cancelled);
    QCOMPARE(int(result.models.size()), kSettings * kSeeds);
    QVERIFY(!m_panel->isRunning());
    QVERIFY(trainAllButton()->isEnabled());
    QVERIFY(!child<QPushButton>(m_panel.get(), "cancelButton")->isEnabled());
    QCOMPARE(m_panel->progress(), 1.0);
    QVERIFY2(m_panel->statusText().startsWith(QStringLiteral("Trained 30 models")),
             qPrintable(m_panel->statusText()));
    // The snapshots' stride and memory: 201 epochs of 30 models x 47 parameters in floats.
    const QString recorded = QStringLiteral("Recorded for playback: every epoch (%1 MB).")
                                 .arg(201.0 * 30 * 47 * 4 / (1 << 20), 0, 'f', 1);
    QVERIFY2(m_panel->statusText().endsWith(recorded), qPrintable(m_panel->statusText()));

    // Curves: one per init scheme for the viewed normalization, every epoch, same colour per scheme.
    QCOMPARE(m_panel->viewedNormalization(), Normalization::Standard);
    std::set<QRgb> colors;
    for (const Chart which : {Chart::TrainLoss, Chart::TrainAccuracy, Chart::ValidationAccuracy}) {
        CirclesCurveChart* chart = this->chart(which);
        QCOMPARE(chart->curveCount(), 5);
        QCOMPARE(chart->epochs(), kEpochs);
        for (int curve = 0; curve < chart->curveCount(); ++curve) {
            QCOMPARE(chart->valueCount(curve), kEpochs);
            QVERIFY(chart->plottedPointCount(curve) > 1);
            colors.insert(chart->curveColor(curve).rgb());
        }
    }
    QCOMPARE(colors.size(), std::size_t(5));

    // The grid: every cell has an image, and its caption how many seeds succeeded.
    CirclesComparisonGrid* grid = this->grid();
    QCOMPARE(grid->rowCount(), 5);
    QCOMPARE(grid->columnCount(), 3);
    QCOMPARE(grid->cellsWithImages(), kSettings);
    const QRegularExpression successes(QStringLiteral("^[0-2]/2$"));
    for (int r = 0; r < grid->rowCount(); ++r)
        for (int c = 0; c < grid->columnCount(); ++c)
            QVERIFY2(successes.match(grid->cell(r, c)->caption()).hasMatch(), qPrintable(grid->cell(r, c)->caption()));

    // The table: one row per (normalization, init).
    CirclesSummaryTable* table = summaryTable();
    QCOMPARE(table->rowCount(), kSettings);
    std::set<std::pair<int, int>> settings;
    for (int r = 0; r < table->rowCount(); ++r) {
        const auto row = table->summaryAt(r);
        QVERIFY(row);
        QCOMPARE(row->seeds, kSeeds);
        settings.insert({int(row->normalization), int(row->init)});
    }
    QCOMPARE(int(settings.size()), kSettings);

    // The big canvas shows the viewed setting's best seed, with its best-validation weights.
    QVERIFY(canvas()->hasImage());
    QCOMPARE(canvas()->image().model, m_panel->shownModel());
    QVERIFY(canvas()->caption().contains(QStringLiteral("test")));
}

void TestCirclesPanel::canvasIsRedrawnWhileTrainingAndCancelKeepsSnapshots()
{
    spin("epochsSpin")->setValue(5'000'000); // far more than the test waits for
    // "As trained": the views show what the run sends, not a playback of it.
    m_panel->playback()->setSpeed(std::numeric_limits<double>::infinity());
    QSignalSpy canvasUpdates(m_panel.get(), &CirclesPanel::canvasUpdated);
    QSignalSpy finished(m_panel.get(), &CirclesPanel::runFinished);
    QVERIFY(m_panel->trainAll());

    // Live: the big canvas is redrawn several times, the grid fills and the curves grow, all
    // before the run ends.
    QTRY_VERIFY_WITH_TIMEOUT(canvasUpdates.count() >= 3, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(grid()->cellsWithImages(), kSettings, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(chart(Chart::TrainLoss)->plottedPointCount(0) > 1, kTimeoutMs);
    QVERIFY(m_panel->isRunning());
    QCOMPARE(finished.count(), 0);
    QVERIFY2(canvas()->caption().startsWith(QStringLiteral("seed 0 · live: epoch")),
             qPrintable(canvas()->caption()));
    QVERIFY(m_panel->progress() < 1.0);

    QTest::mouseClick(child<QPushButton>(m_panel.get(), "cancelButton"), Qt::LeftButton);
    QVERIFY(!child<QPushButton>(m_panel.get(), "cancelButton")->isEnabled());
    QVERIFY(finished.wait(kTimeoutMs));
    const auto result = finished.at(0).at(0).value<CirclesResult>();
    QVERIFY(result.cancelled);
    QVERIFY(result.epochsRun < 5'000'000);
    QVERIFY(!m_panel->isRunning());
    QVERIFY2(m_panel->statusText().startsWith(QStringLiteral("Cancelled at epoch")),
             qPrintable(m_panel->statusText()));
    // The snapshots so far are summarized.
    QCOMPARE(summaryTable()->rowCount(), kSettings);
    QVERIFY(trainAllButton()->isEnabled());

    // Usable again: a short run completes.
    spin("epochsSpin")->setValue(20);
    QVERIFY(m_panel->trainAll());
    const CirclesResult again = waitForFinish();
    QVERIFY(!again.cancelled);
    QCOMPARE(again.epochsRun, 20);
    QCOMPARE(chart(Chart::ValidationAccuracy)->valueCount(0), 20);
}

void TestCirclesPanel::clickingARowShowsItsBestSeed()
{
    QVERIFY(m_panel->trainAll());
    QVERIFY(waitForFinish().error.empty());
    CirclesSummaryTable* table = summaryTable();
    BoundaryCanvas* canvas = this->canvas();

    // Every row not looked at yet: a click shows its best seed's final boundary on the big canvas,
    // switches the curves to its normalization and marks its cell in the grid.
    int clicked = 0;
    for (int r = 0; r < table->rowCount(); ++r) {
        const auto row = table->summaryAt(r);
        QVERIFY(row);
        if (row->normalization == m_panel->viewedNormalization() && row->init == m_panel->viewedInit())
            continue;
        const int updates = canvas->updateCount();
        QTableWidgetItem* item = table->item(r, CirclesSummaryTable::InitColumn);
        table->scrollToItem(item);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, Qt::NoModifier, table->visualItemRect(item).center());
        QCOMPARE(m_panel->viewedNormalization(), row->normalization);
        QCOMPARE(m_panel->viewedInit(), row->init);
        QCOMPARE(m_panel->shownModel(), row->bestModel);
        QCOMPARE(canvas->image().model, row->bestModel);
        QVERIFY(canvas->updateCount() > updates);
        QVERIFY2(canvas->caption().startsWith(QStringLiteral("seed %1 · best validation").arg(row->bestSeed)),
                 qPrintable(canvas->caption()));
        const BoundaryCanvas* cell = grid()->cellFor(row->normalization, row->init);
        QVERIFY(cell && cell->isSelected());
        QCOMPARE(chart(Chart::TrainLoss)->curveCount(), 5);
        if (++clicked == 3)
            break;
    }
    QCOMPARE(clicked, 3);

    // A grid cell does the same.
    const int updates = canvas->updateCount();
    BoundaryCanvas* cell = grid()->cell(0, 0);
    QTest::mouseClick(cell->plotWidget(), Qt::LeftButton, Qt::NoModifier,
                      QPoint(cell->width() / 2, cell->height() / 2));
    QCOMPARE(m_panel->viewedInit(), grid()->initOfRow(0));
    QCOMPARE(m_panel->viewedNormalization(), grid()->normalizationOfColumn(0));
    QVERIFY(canvas->updateCount() > updates);
    QVERIFY(cell->isSelected());
}

void TestCirclesPanel::thresholdRecomputesTheTable()
{
    QVERIFY(m_panel->trainAll());
    const CirclesResult result = waitForFinish();
    QVERIFY(result.error.empty());
    CirclesSummaryTable* table = summaryTable();
    for (const double threshold : {0.0, 0.75, 1.0}) {
        child<QDoubleSpinBox>(m_panel.get(), "thresholdSpin")->setValue(threshold);
        const std::vector<CirclesSummaryRow> expected = summarize(result, threshold);
        QCOMPARE(table->rowCount(), int(expected.size()));
        for (const CirclesSummaryRow& want : expected) {
            const int r = table->tableRowOf(want.normalization, want.init);
            QVERIFY(r >= 0);
            QCOMPARE(table->summaryAt(r)->successRate, want.successRate);
            const int successes = int(std::lround(want.successRate * want.seeds));
            QCOMPARE(table->item(r, CirclesSummaryTable::SuccessColumn)->text(),
                     QStringLiteral("%1/%2").arg(successes).arg(want.seeds));
        }
    }
}

void TestCirclesPanel::badSettingsSayWhyAndStartNothing()
{
    QSignalSpy started(m_panel.get(), &CirclesPanel::runStarted);
    child<QLineEdit>(m_panel.get(), "hiddenEdit")->setText(QStringLiteral("6,x"));
    QTest::mouseClick(trainAllButton(), Qt::LeftButton);
    QCOMPARE(started.count(), 0);
    QVERIFY(!m_panel->isRunning());
    QVERIFY2(m_panel->statusText().contains(QStringLiteral("\"x\" is not a whole number")),
             qPrintable(m_panel->statusText()));
    QVERIFY(child<QLabel>(m_panel.get(), "circlesStatus")->styleSheet().contains(QStringLiteral("#b00020")));
    QVERIFY(trainAllButton()->isEnabled());

    // Core's own checks: a size out of range, no init scheme.
    child<QLineEdit>(m_panel.get(), "hiddenEdit")->setText(QStringLiteral("6,0"));
    QVERIFY(!m_panel->trainAll());
    QVERIFY2(m_panel->statusText().contains(QStringLiteral("hidden layer sizes")),
             qPrintable(m_panel->statusText()));
    child<QLineEdit>(m_panel.get(), "hiddenEdit")->setText(QStringLiteral("6, 3"));
    for (InitScheme scheme : allInitSchemes())
        child<QCheckBox>(m_panel.get(), qPrintable(QStringLiteral("init_") + toQString(name(scheme))))->setChecked(false);
    QVERIFY(!m_panel->trainAll());
    QVERIFY2(m_panel->statusText().contains(QStringLiteral("init scheme")),
             qPrintable(m_panel->statusText()));
    QCOMPARE(started.count(), 0);

    // Fixed, it runs: one scheme, one normalization, a few epochs.
    child<QCheckBox>(m_panel.get(), "init_kaiming_normal")->setChecked(true);
    child<QCheckBox>(m_panel.get(), "normalization_raw")->setChecked(false);
    child<QCheckBox>(m_panel.get(), "normalization_scaled")->setChecked(false);
    spin("epochsSpin")->setValue(10);
    QVERIFY(m_panel->trainAll());
    const CirclesResult result = waitForFinish();
    QVERIFY(result.error.empty());
    QCOMPARE(int(result.models.size()), kSeeds);
    QCOMPARE(grid()->rowCount(), 1);
    QCOMPARE(grid()->columnCount(), 1);
    QCOMPARE(summaryTable()->rowCount(), 1);
    QCOMPARE(m_panel->viewedInit(), InitScheme::KaimingNormal);
}

void TestCirclesPanel::outOfRangeFieldIsKeptAndRefused()
{
    QSignalSpy started(m_panel.get(), &CirclesPanel::runStarted);
    auto* rate = child<QDoubleSpinBox>(m_panel.get(), "learningRateSpin");
    rate->selectAll();
    QTest::keyClicks(rate, QStringLiteral("-1"));
    QTest::keyClick(rate, Qt::Key_Return);
    // Qt refused the "-": the rate became 1, and Train all trained at 1.
    QCOMPARE(rate->text(), QStringLiteral("-1"));
    QCOMPARE(rate->value(), 3e-4);
    QVERIFY(rate->styleSheet() == errorStyleSheet(rate->palette()));

    QTest::mouseClick(trainAllButton(), Qt::LeftButton);
    QVERIFY(!m_panel->trainAll());
    QCOMPARE(started.count(), 0);
    QVERIFY(!m_panel->isRunning());
    QCOMPARE(m_panel->statusText(),
             QStringLiteral("Cannot train: Learning rate must be a number from 1e-8 to 10 (got -1)."));
    QCOMPARE(rate->text(), QStringLiteral("-1"));

    // Saving the settings keeps the other fields as they are, the rate at its last good value.
    spin("epochsSpin")->setValue(30);
    ExperimentFile saved;
    std::string problem;
    std::vector<std::string> warnings;
    QVERIFY2(parseExperimentFile(m_panel->experimentJson(), saved, problem, warnings), problem.c_str());
    QCOMPARE(saved.circles.epochs, 30);
    QCOMPARE(saved.circles.learningRate, 3e-4);

    // A rate in the range clears the mark and is the one trained with.
    rate->selectAll();
    QTest::keyClicks(rate, QStringLiteral("0.002"));
    QTest::keyClick(rate, Qt::Key_Return);
    QVERIFY(rate->styleSheet().isEmpty());
    for (InitScheme scheme : allInitSchemes())
        child<QCheckBox>(m_panel.get(), qPrintable(QStringLiteral("init_") + toQString(name(scheme))))
            ->setChecked(scheme == InitScheme::KaimingNormal);
    child<QCheckBox>(m_panel.get(), "normalization_raw")->setChecked(false);
    child<QCheckBox>(m_panel.get(), "normalization_scaled")->setChecked(false);
    spin("epochsSpin")->setValue(10);
    QVERIFY(m_panel->trainAll());
    QCOMPARE(started.count(), 1);
    QVERIFY(waitForFinish().error.empty());
    QCOMPARE(m_panel->runConfig().learningRate, 0.002);
}

void TestCirclesPanel::divergenceIsNamedWithItsEpoch()
{
    std::optional<CirclesConfig> config = m_panel->configFromControls();
    QVERIFY(config);
    // A step this large overflows float on the first update.
    config->learningRate = 1e30;
    config->inits = {InitScheme::XavierUniform};
    config->normalizations = {Normalization::Standard};
    config->seeds = 1;
    config->epochs = 20;
    QVERIFY(m_panel->runConfig(*config));
    const CirclesResult result = waitForFinish();
    QVERIFY2(result.error.empty(), result.error.c_str());
    QCOMPARE(result.models.size(), std::size_t(1));
    const int epoch = result.models[0].divergedEpoch;
    QVERIFY(epoch > 0);
    const QString expected = QStringLiteral("diverged at epoch %1").arg(epoch);
    QVERIFY2(canvas()->caption().contains(expected), qPrintable(canvas()->caption()));
    QVERIFY2(grid()->cell(0, 0)->caption().contains(expected),
             qPrintable(grid()->cell(0, 0)->caption()));
    QCOMPARE(summaryTable()->item(0, CirclesSummaryTable::DivergedColumn)->text(),
             QStringLiteral("1 (epoch %1)").arg(epoch));
    QVERIFY2(m_panel->statusText().contains(QStringLiteral("1 model diverged")),
             qPrintable(m_panel->statusText()));
}

void TestCirclesPanel::fitsA1280x800WindowWithoutSidewaysScrolling()
{
    const QString overflow = sidewaysOverflow(m_panel.get());
    QVERIFY2(overflow.isEmpty(), qPrintable(overflow));
}

// After a run the playback bar shows any recorded epoch: every cell's best seed and the big
// canvas's model drawn from the run's snapshots, exactly as core draws them; playing moves through
// the epochs to the last; Best brings back each model at its best epoch.
void TestCirclesPanel::playbackDrawsTheRecordedEpochs()
{
    auto* playback = child<CirclesPlayback>(m_panel.get(), "circlesPlayback");
    QVERIFY(!playback->hasSnapshots());
    playback->setSpeed(std::numeric_limits<double>::infinity()); // no playback while training
    QTest::mouseClick(trainAllButton(), Qt::LeftButton);
    const CirclesResult result = waitForFinish();
    QVERIFY2(result.error.empty(), result.error.c_str());
    QVERIFY(playback->hasSnapshots());
    QCOMPARE(playback->index(), -1); // each model at its best epoch

    QSignalSpy frames(m_panel.get(), &CirclesPanel::frameShown);
    playback->showIndex(10);
    QVERIFY(frames.wait(kTimeoutMs));
    QCOMPARE(frames.last().at(0).toInt(), result.snapshots.epochs[10]);
    const CirclesConfig config = m_panel->runConfig();
    std::vector<NormalizationMap> maps;
    for (const ModelResult& model : result.models)
        maps.push_back(model.normalization);
    const std::vector<CirclesSummaryRow> summary = summarize(result);
    for (const CirclesSummaryRow& row : summary) {
        BoundaryCanvas* cell = grid()->cellFor(row.normalization, row.init);
        QVERIFY(cell);
        const BoundaryImage expected = snapshotBoundaries(config, result.snapshots, 10, maps, {row.bestModel}).front();
        QVERIFY(cell->image().probability == expected.probability);
        QCOMPARE(cell->caption(), QStringLiteral("ep. %1").arg(result.snapshots.epochs[10]));
    }
    QVERIFY2(canvas()->caption().contains(QStringLiteral("epoch %1 of").arg(result.snapshots.epochs[10])),
             qPrintable(canvas()->caption()));

    // Keyboard: Home is the first recorded epoch.
    playback->setFocus();
    QTest::keyClick(playback, Qt::Key_Home);
    QCOMPARE(playback->index(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(frames.last().at(0).toInt(), 0, kTimeoutMs);

    // Playing moves through the epochs to the last and stops there.
    playback->setSpeed(5000);
    playback->play();
    QVERIFY(playback->isPlaying());
    QTRY_VERIFY_WITH_TIMEOUT(!playback->isPlaying(), kTimeoutMs);
    QCOMPARE(playback->index(), int(result.snapshots.epochs.size()) - 1);
    QTRY_COMPARE_WITH_TIMEOUT(frames.last().at(0).toInt(), result.snapshots.epochs.back(), kTimeoutMs);
    QVERIFY(frames.count() >= 3);

    // Best: each cell shows its best seed at its best epoch again.
    playback->showBest();
    QCOMPARE(playback->index(), -1);
    for (const CirclesSummaryRow& row : summary)
        QVERIFY(grid()->cellFor(row.normalization, row.init)->image().probability
                == result.models[std::size_t(row.bestModel)].boundary.probability);
}

// At the default speed a run is played back while it trains: the bar grows with the snapshots,
// the frames shown are recorded epochs no later than the run has reached, the curves' cursor is at
// the frame's epoch, and a playback that followed the run returns to Best at its end.
void TestCirclesPanel::playbackFollowsTheRunWhileItTrains()
{
    spin("epochsSpin")->setValue(2000);
    auto* playback = m_panel->playback();
    playback->setSpeed(10); // 200 s for the run: it ends long before playback does
    QSignalSpy frames(m_panel.get(), &CirclesPanel::frameShown);
    QSignalSpy finished(m_panel.get(), &CirclesPanel::runFinished);
    QVERIFY(m_panel->trainAll());
    QVERIFY(playback->isTraining());
    QVERIFY(playback->isFollowing());
    QVERIFY(frames.wait(kTimeoutMs));
    QVERIFY(playback->index() >= 0);
    QVERIFY(playback->isPlaying());
    const int shown = frames.last().at(0).toInt();
    QVERIFY(shown >= 0);
    QCOMPARE(chart(Chart::TrainLoss)->cursorEpoch(), shown);
    QCOMPARE(chart(Chart::ValidationAccuracy)->cursorEpoch(), shown);
    if (m_panel->isRunning())
        QVERIFY(shown <= m_panel->figures()->epochsDone());

    QVERIFY(finished.count() > 0 || finished.wait(kTimeoutMs));
    const auto result = finished.at(0).at(0).value<CirclesResult>();
    QVERIFY(!playback->isTraining());
    QVERIFY2(playback->isPlaying() && playback->epoch() < 2000, qPrintable(QString::number(playback->epoch())));
    playback->setSpeed(5000);
    QTRY_VERIFY_WITH_TIMEOUT(!playback->isPlaying(), kTimeoutMs);
    QCOMPARE(playback->index(), -1); // back to Best
    QCOMPARE(chart(Chart::TrainLoss)->cursorEpoch(), 0);
    for (const CirclesSummaryRow& row : summarize(result))
        QVERIFY(grid()->cellFor(row.normalization, row.init)->image().probability
                == result.models[std::size_t(row.bestModel)].boundary.probability);
}

// Beside the big canvas, its model's hidden units: at Best, at its best epoch; the summary
// table's dead-unit count shows them at the last epoch, where the dead units it counts are the
// maps marked dead. Hovering a map names its incoming weights.
void TestCirclesPanel::unitMapsShowTheCanvasModelAndItsDeadUnits()
{
    auto* playback = m_panel->playback();
    playback->setSpeed(std::numeric_limits<double>::infinity());
    QSignalSpy units(m_panel.get(), &CirclesPanel::unitsShown);
    QTest::mouseClick(trainAllButton(), Qt::LeftButton);
    const CirclesResult result = waitForFinish();
    QVERIFY2(result.error.empty(), result.error.c_str());
    auto* maps = child<UnitMapsFigure>(m_panel.get(), "unitMaps");
    const int model = m_panel->shownModel();
    QVERIFY(model >= 0);
    QTRY_VERIFY_WITH_TIMEOUT(!units.isEmpty() && units.last().at(0).toInt() == model, kTimeoutMs);
    const ModelResult& shown = result.models[std::size_t(model)];
    QCOMPARE(units.last().at(1).toInt(), result.snapshots.epochs[std::size_t(result.snapshots.indexAtOrBefore(shown.bestEpoch))]);
    QCOMPARE(maps->data().maps.hidden, m_panel->runConfig().hidden);
    QCOMPARE(maps->data().maps.model, model);

    // Every row's dead-unit count links to its best seed's units at the last epoch.
    const std::vector<CirclesSummaryRow> summary = summarize(result);
    int deadSeen = 0;
    for (int r = 0; r < summaryTable()->rowCount(); ++r) {
        const auto row = summaryTable()->summaryAt(r);
        QVERIFY(row);
        units.clear();
        QTest::mouseClick(summaryTable()->viewport(), Qt::LeftButton, {},
                          summaryTable()->visualRect(summaryTable()->model()->index(r, CirclesSummaryTable::DeadUnitsColumn)).center());
        QCOMPARE(m_panel->viewedNormalization(), row->normalization);
        QCOMPARE(m_panel->viewedInit(), row->init);
        QCOMPARE(playback->index(), int(result.snapshots.epochs.size()) - 1);
        QTRY_VERIFY_WITH_TIMEOUT(!units.isEmpty() && units.last().at(0).toInt() == row->bestModel
                                     && units.last().at(1).toInt() == result.snapshots.epochs.back(),
                                 kTimeoutMs);
        const std::vector<bool>& dead = maps->data().maps.dead;
        const int marked = int(std::count(dead.begin(), dead.end(), true));
        QCOMPARE(marked, result.models[std::size_t(row->bestModel)].deadUnits);
        for (std::size_t u = 0; u < dead.size(); ++u)
            QCOMPARE(maps->data().diedAt[u] >= 0, bool(dead[u]));
        deadSeen += marked;
    }
    // The first unit's tooltip has its two incoming weights and its bias.
    const QString text = maps->unitText(0);
    QVERIFY2(text.contains(QStringLiteral("incoming weights")) && text.contains(QStringLiteral("bias")), qPrintable(text));
    QVERIFY(maps->unitAt(QPointF(-5, -5)) < 0);
    QVERIFY(maps->unitText(-1).isEmpty());
    qInfo("dead units marked over the best seeds: %d", deadSeen);
}

QTEST_MAIN(TestCirclesPanel)
#include "tst_circlespanel.moc"

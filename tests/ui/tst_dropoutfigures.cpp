// DropoutFigures on its own, without any panel or worker (as the report uses it): a whole result
// draws one curve per p with the recorded epochs' values, the ensemble chart gets one dashed
// one-pass line per scored p, and a run's live events give exactly the points a whole result gives.

#include "figures/dropoutchart.h"
#include "figures/dropoutfigures.h"

#include <QChart>
#include <QLineSeries>
#include <QPointer>
#include <QTest>
#include <QWidget>

#include <memory>

using namespace initlab;
using namespace initlab::ui;
using Chart = DropoutFigures::Chart;

namespace {

constexpr std::array kAllCharts{Chart::TrainingLoss, Chart::TrainingAccuracy, Chart::ValidationLoss,
                                Chart::ValidationAccuracy, Chart::EnsembleAccuracy};

DropoutConfig threeEpochs()
{
    DropoutConfig config;
    config.ps = {0.0, 0.2, 0.5};
    config.epochs = 3;
    config.ensembleSizes = {2, 4};
    return config;
}

// p = 0 and 0.5 trained three epochs and were scored with four passes; p = 0.2 diverged in its
// third epoch and was scored after two; and a value per field that says where it came from.
DropoutResult threeRuns()
{
    DropoutResult result;
    const std::vector<double> ps{0.0, 0.2, 0.5};
    for (std::size_t run = 0; run < ps.size(); ++run) {
        DropoutRunResult r;
        r.p = ps[run];
        const int epochs = run == 1 ? 2 : 3;
        for (int epoch = 1; epoch <= epochs; ++epoch) {
            DropoutEpoch e;
            e.run = 7; // what a record holds there does not matter: the index in runs does
            e.epoch = epoch;
            e.trainLoss = 2.0 / epoch + 0.1 * double(run);
            e.trainAcc = 0.5 + 0.1 * epoch + 0.01 * double(run);
            e.valLoss = 2.5 / epoch + 0.1 * double(run);
            e.valAcc = 0.45 + 0.1 * epoch + 0.02 * double(run);
            r.history.push_back(e);
        }
        if (run == 1) {
            r.divergedEpoch = 3;
        } else {
            r.bestEpoch = epochs;
            r.singlePassAcc = 0.8 + 0.01 * double(run);
            r.ensembleAcc = {0.7 + 0.01 * double(run), 0.75, 0.78 + 0.01 * double(run), 0.79 + 0.01 * double(run)};
        }
        result.runs.push_back(r);
    }
    return result;
}

QLineSeries* seriesOf(DropoutChart* chart, int index)
{
    return qobject_cast<QLineSeries*>(chart->chart()->series().at(index));
}

} // namespace

class TestDropoutFigures : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showResultDrawsOneCurvePerPWithTheRecordedEpochs();
    void ensembleChartHasADashedOnePassLinePerScoredP();
    void liveEventsAndAWholeResultGiveTheSamePoints();
    void aNewRunReplacesTheCurves();
    void chartsAreNamedForExport();
    void chartsNoWidgetTookGoWithTheFigures();
};

void TestDropoutFigures::showResultDrawsOneCurvePerPWithTheRecordedEpochs()
{
    DropoutFigures figures;
    const DropoutResult result = threeRuns();
    figures.showResult(threeEpochs(), result);

    QCOMPARE(figures.pCount(), 3);
    for (const Chart which : kAllCharts) {
        DropoutChart* chart = figures.chart(which);
        QCOMPARE(chart->curveCount(), 3);
        QCOMPARE(chart->curveName(0), QStringLiteral("p = 0"));
        QCOMPARE(chart->curveName(1), QStringLiteral("p = 0.2"));
        QCOMPARE(chart->curveName(2), QStringLiteral("p = 0.5"));
        for (int run = 0; run < 3; ++run)
            QCOMPARE(chart->curveColor(run), DropoutFigures::colorOf(run));
    }
    for (int run = 0; run < 3; ++run) {
        const std::vector<DropoutEpoch>& history = result.runs[std::size_t(run)].history;
        QVector<QPointF> trainLoss, trainAcc, valLoss, valAcc;
        for (const DropoutEpoch& e : history) {
            trainLoss.append({double(e.epoch), e.trainLoss});
            trainAcc.append({double(e.epoch), 100.0 * e.trainAcc});
            valLoss.append({double(e.epoch), e.valLoss});
            valAcc.append({double(e.epoch), 100.0 * e.valAcc});
        }
        QCOMPARE(figures.chart(Chart::TrainingLoss)->points(run), trainLoss);
        QCOMPARE(figures.chart(Chart::TrainingAccuracy)->points(run), trainAcc);
        QCOMPARE(figures.chart(Chart::ValidationLoss)->points(run), valLoss);
        QCOMPARE(figures.chart(Chart::ValidationAccuracy)->points(run), valAcc);
        // Accuracy against T: every T the sweep reached.
        QVector<QPointF> ensemble;
        const std::vector<double>& accuracies = result.runs[std::size_t(run)].ensembleAcc;
        for (std::size_t t = 0; t < accuracies.size(); ++t)
            ensemble.append({double(t + 1), 100.0 * accuracies[t]});
        QCOMPARE(figures.chart(Chart::EnsembleAccuracy)->points(run), ensemble);
    }
    // The diverged p's curve stops where its record does.
    QCOMPARE(figures.chart(Chart::ValidationLoss)->plottedPointCount(1), 2);
}

void TestDropoutFigures::ensembleChartHasADashedOnePassLinePerScoredP()
{
    DropoutFigures figures;
    const DropoutResult result = threeRuns();
    figures.showResult(threeEpochs(), result);

    DropoutChart* ensemble = figures.chart(Chart::EnsembleAccuracy);
    // p = 0.2 diverged: it has no checkpoint to score, hence no one-pass line.
    QCOMPARE(ensemble->referenceLineCount(), 2);
    const std::array scored{0, 2};
    for (int line = 0; line < 2; ++line) {
        const int run = scored[std::size_t(line)];
        QCOMPARE(ensemble->referenceValue(line), 100.0 * result.runs[std::size_t(run)].singlePassAcc);
        QCOMPARE(ensemble->referenceColor(line), DropoutFigures::colorOf(run));
        QLineSeries* series = seriesOf(ensemble, ensemble->curveCount() + line);
        QVERIFY(series != nullptr);
        QCOMPARE(series->pen().style(), Qt::DashLine);
        QCOMPARE(series->name(), QStringLiteral("%1, one pass with dropout off").arg(figures.pName(run)));
    }
    // The curves themselves are solid, and the epoch charts have no reference lines.
    QCOMPARE(seriesOf(ensemble, 0)->pen().style(), Qt::SolidLine);
    for (const Chart which : {Chart::TrainingLoss, Chart::TrainingAccuracy, Chart::ValidationLoss,
                              Chart::ValidationAccuracy})
        QCOMPARE(figures.chart(which)->referenceLineCount(), 0);
    // Its CSV: the one-pass accuracy as passes "single", as a fraction.
    const CsvTable table = ensemble->figureTables().front();
    QCOMPARE(table.header, (QStringList{QStringLiteral("p"), QStringLiteral("passes"), QStringLiteral("test_acc")}));
    QVERIFY(table.rows.contains(QStringList{QStringLiteral("0.5"), QStringLiteral("single"), QStringLiteral("0.82")}));
}

void TestDropoutFigures::liveEventsAndAWholeResultGiveTheSamePoints()
{
    const DropoutConfig config = threeEpochs();
    const DropoutResult result = threeRuns();
    DropoutFigures whole;
    whole.showResult(config, result);

    // As a run reports: the epochs of one p, its ensemble's running accuracy now and then, its
    // result; then the next p. Refreshed on a timer in between.
    DropoutFigures live;
    live.beginRun(config);
    for (std::size_t run = 0; run < result.runs.size(); ++run) {
        const DropoutRunResult& r = result.runs[run];
        for (DropoutEpoch epoch : r.history) {
            epoch.run = int(run);
            live.addEpoch(epoch);
            live.refresh();
        }
        for (std::size_t t = 0; t < r.ensembleAcc.size(); t += 2)
            live.addEnsemblePoint(int(run), int(t + 1), r.ensembleAcc[t]);
        live.refresh();
        live.addRunResult(int(run), r);
    }
    live.refresh();

    for (const Chart which : kAllCharts) {
        DropoutChart* a = live.chart(which);
        DropoutChart* b = whole.chart(which);
        QCOMPARE(a->curveCount(), b->curveCount());
        for (int curve = 0; curve < a->curveCount(); ++curve) {
            QCOMPARE(a->curveName(curve), b->curveName(curve));
            QCOMPARE(a->curveColor(curve), b->curveColor(curve));
            QCOMPARE(a->points(curve), b->points(curve));
        }
        QCOMPARE(a->referenceLineCount(), b->referenceLineCount());
        for (int line = 0; line < a->referenceLineCount(); ++line) {
            QCOMPARE(a->referenceValue(line), b->referenceValue(line));
            QCOMPARE(a->referenceColor(line), b->referenceColor(line));
        }
        QCOMPARE(a->figureTables().front().rows, b->figureTables().front().rows);
    }
}

void TestDropoutFigures::aNewRunReplacesTheCurves()
{
    DropoutFigures figures;
    // Before any run the epoch charts follow the epochs setting.
    figures.showEpochRange(7);
    figures.showResult(threeEpochs(), threeRuns());
    QCOMPARE(figures.chart(Chart::TrainingLoss)->curveCount(), 3);

    DropoutConfig one = threeEpochs();
    one.ps = {0.3};
    figures.beginRun(one);
    QCOMPARE(figures.pCount(), 1);
    QCOMPARE(figures.pName(0), QStringLiteral("p = 0.3"));
    for (const Chart which : kAllCharts) {
        QCOMPARE(figures.chart(which)->curveCount(), 1);
        QCOMPARE(figures.chart(which)->referenceLineCount(), 0);
    }
    figures.refresh();
    QCOMPARE(figures.chart(Chart::ValidationAccuracy)->plottedPointCount(0), 0);
    // Events of a p the run does not have are dropped.
    figures.addEpoch(DropoutEpoch{3, 1, 1.0, 0.5, 1.0, 0.5, 0.1});
    figures.addEnsemblePoint(-1, 1, 0.5);
    figures.refresh();
    QCOMPARE(figures.chart(Chart::ValidationAccuracy)->plottedPointCount(0), 0);
}

void TestDropoutFigures::chartsAreNamedForExport()
{
    DropoutFigures figures;
    const QList<NamedFigure> named = figures.exportFigures();
    QCOMPARE(named.size(), 5);
    const QStringList expected{QStringLiteral("dropout_train_loss"), QStringLiteral("dropout_train_accuracy"),
                               QStringLiteral("dropout_validation_loss"), QStringLiteral("dropout_validation_accuracy"),
                               QStringLiteral("dropout_ensemble_accuracy")};
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(named[i].baseName, expected[i]);
        QCOMPARE(static_cast<DropoutChart*>(named[i].figure), figures.chart(kAllCharts[std::size_t(i)]));
        QCOMPARE(chartexport::exportName(figures.chart(kAllCharts[std::size_t(i)]), QString()), expected[i]);
    }
    QCOMPARE(figures.chart(Chart::EnsembleAccuracy)->objectName(), QStringLiteral("ensembleAccuracyChart"));
}

void TestDropoutFigures::chartsNoWidgetTookGoWithTheFigures()
{
    auto figures = std::make_unique<DropoutFigures>();
    QWidget page;
    QPointer<DropoutChart> placed = figures->chart(Chart::TrainingLoss);
    placed->setParent(&page);
    QPointer<DropoutChart> loose = figures->chart(Chart::EnsembleAccuracy);
    figures.reset();
    QVERIFY(loose.isNull());
    QVERIFY(!placed.isNull()); // the page owns it now
}

QTEST_MAIN(TestDropoutFigures)
#include "tst_dropoutfigures.moc"

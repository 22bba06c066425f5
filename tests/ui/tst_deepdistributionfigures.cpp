// The deep tab's Distributions page with tiny real runs: the density maps' columns are fractions of
// a layer's units, the overlaid histograms show the chosen layers clipped to the depth, the
// saturation and zero curves hold one curve per combination with the measured values, every chart
// exports its CSV with the right columns; the tab shows the page after a run, a matrix cell's
// tooltip gives the last layer's fractions, and a run record reopens with its distributions (or
// names deep_hist.csv when that file is damaged).

#include "experiments/deep/deeppanel.h"
#include "experiments/deep/deepworker.h"
#include "experiments/deep/initmatrix.h"
#include "experiments/experimentfileio.h"
#include "experiments/metatypes.h"
#include "experiments/workerthread.h"
#include "figures/deepdistributionfigures.h"
#include "figures/deepfigures.h"
#include "figures/distributionplot.h"
#include "tolerance.h"
#include "widgets.h"

#include "initlab/csv.h"

#include <QFile>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <memory>

using namespace initlab;
using namespace initlab::ui;
using Chart = DeepDistributionFigures::Chart;

namespace {

constexpr int kDepth = 6;
constexpr int kTimeoutMs = 120000;
const Combination kXavierTanh{InitScheme::XavierUniform, Activation::Tanh};
const Combination kXavierRelu{InitScheme::XavierUniform, Activation::Relu};

DeepConfig tinyConfig(std::vector<Combination> combinations)
{
    DeepConfig config;
    config.combinations = std::move(combinations);
    config.depth = kDepth;
    config.width = 32;
    config.batch = 200;
    config.threads = 1;
    config.histograms = true;
    return config;
}

const DeepResult& tinyResult()
{
    static const DeepResult result = [] {
        CancelFlag cancel;
        return runDeepPropagation(tinyConfig({kXavierTanh, kXavierRelu}), nullptr, cancel);
    }();
    return result;
}

double columnSum(const DistributionPlot::Map& map, int column)
{
    double sum = 0.0;
    for (int r = 0; r < map.rows; ++r)
        sum += map.cell(column, r);
    return sum;
}

} // namespace

class TestDeepDistributionFigures : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void densityMapColumnsAreFractions();
    void liveRunFillsTheMapLayerByLayer();
    void histogramLayersAreClippedToDepth();
    void gradientHistogramsInEachLayersStd();
    void fractionCurvesHaveOneCurvePerCombination();
    void chartsExportTheirCsv();
    void tabShowsDistributionsAfterARun();
    void recordReopensWithItsDistributions();
    void damagedHistogramFileIsNamed();
};

void TestDeepDistributionFigures::initTestCase()
{
    registerMetaTypes();
    const DeepResult& result = tinyResult();
    QVERIFY2(result.error.empty(), result.error.c_str());
    QCOMPARE(result.combinations.size(), std::size_t(2));
    QVERIFY(hasHistograms(result));
}

void TestDeepDistributionFigures::densityMapColumnsAreFractions()
{
    DeepDistributionFigures figures;
    figures.showResult(tinyConfig({}), tinyResult());
    for (const Combination& combination : {kXavierTanh, kXavierRelu}) {
        QVERIFY(figures.viewCombination(combination));
        for (Chart which : {Chart::ActivationMap, Chart::GradientMap}) {
            const DistributionPlot::Map& map = figures.chart(which)->map();
            QCOMPARE(map.columns, kDepth);
            QCOMPARE(map.rows, kHistogramBins);
            for (int layer = 1; layer <= kDepth; ++layer)
                INITLAB_COMPARE_REL(columnSum(map, layer - 1), 1.0, 1e-9);
            QCOMPARE(figures.chart(which)->scaleLabel(), QStringLiteral("fraction of units"));
        }
    }
    // tanh's map is tanh's range; ReLU's the widest layer's, symmetric.
    figures.viewCombination(kXavierTanh);
    QCOMPARE(figures.chart(Chart::ActivationMap)->map().low, -1.0);
    QCOMPARE(figures.chart(Chart::ActivationMap)->map().high, 1.0);
    QVERIFY(figures.chart(Chart::ActivationMap)->subtitle().contains(QStringLiteral("[-1, 1]")));
    figures.viewCombination(kXavierRelu);
    const DistributionPlot::Map& relu = figures.chart(Chart::ActivationMap)->map();
    QCOMPARE(relu.low, -relu.high);
    double widest = 0.0;
    for (const LayerStats& layer : tinyResult().combinations[1].layers)
        widest = std::max(widest, layer.actHistogram.high);
    QCOMPARE(relu.high, widest);
    // Half a ReLU layer's units are exactly zero: they are in the row holding 0.
    const int zeroRow = int(std::floor((0.0 - relu.low) / (relu.high - relu.low) * relu.rows));
    QVERIFY(relu.cell(0, zeroRow) >= tinyResult().combinations[1].layers[0].zeroFrac);
    QVERIFY(figures.chart(Chart::GradientMap)->yLabel().contains(QStringLiteral("std")));
}

void TestDeepDistributionFigures::liveRunFillsTheMapLayerByLayer()
{
    DeepDistributionFigures figures;
    const DeepConfig config = tinyConfig({kXavierTanh});
    figures.beginRun(config);
    figures.combinationStarted(0);
    const std::vector<LayerStats>& layers = tinyResult().combinations[0].layers;
    for (int l = 0; l < 3; ++l)
        figures.forwardLayer(forwardStats(0, layers[std::size_t(l)]));
    figures.refresh();
    QCOMPARE(figures.viewedCombination(), std::optional<Combination>(kXavierTanh));
    const DistributionPlot::Map& map = figures.chart(Chart::ActivationMap)->map();
    QCOMPARE(map.columns, kDepth);
    for (int c = 0; c < kDepth; ++c)
        QCOMPARE(std::isnan(map.cell(c, 0)), c >= 3);
    // Layer 1 arrived, layer 6 not yet: one histogram so far.
    QCOMPARE(figures.chart(Chart::ActivationHistograms)->curves().size(), 1);
    QCOMPARE(figures.chart(Chart::Saturated)->curves().size(), 1);
    QVERIFY(std::isnan(figures.chart(Chart::Saturated)->curves()[0].y[3]));
}

void TestDeepDistributionFigures::histogramLayersAreClippedToDepth()
{
    QCOMPARE(DeepDistributionFigures::clippedLayers({1, 10, 25, 50}, 30), (QList<int>{1, 10, 25, 30}));
    QCOMPARE(DeepDistributionFigures::clippedLayers({1, 10, 25, 50}, 50), (QList<int>{1, 10, 25, 50}));
    DeepDistributionFigures figures;
    figures.showResult(tinyConfig({}), tinyResult());
    QCOMPARE(figures.shownHistogramLayers(), (QList<int>{1, kDepth}));
    for (Chart which : {Chart::ActivationHistograms, Chart::GradientHistograms}) {
        const QList<DistributionPlot::Curve>& curves = figures.chart(which)->curves();
        QCOMPARE(curves.size(), 2);
        QCOMPARE(curves[0].name, QStringLiteral("layer 1"));
        QCOMPARE(curves[1].name, QStringLiteral("layer %1").arg(kDepth));
        QCOMPARE(curves[0].x.size(), kHistogramBins);
        double sum = 0.0;
        for (double y : curves[0].y)
            sum += y;
        QVERIFY(sum <= 1.0 + 1e-12 && sum > 0.9);
        QVERIFY(figures.chart(which)->legendVisible());
        QCOMPARE(figures.chart(which)->yLabel(), QStringLiteral("fraction of units per bin"));
    }
    figures.setHistogramLayers({2, 4, 9});
    QCOMPARE(figures.shownHistogramLayers(), (QList<int>{2, 4, kDepth}));
    QCOMPARE(figures.chart(Chart::ActivationHistograms)->curves().size(), 3);
}

void TestDeepDistributionFigures::gradientHistogramsInEachLayersStd()
{
    DeepDistributionFigures figures;
    figures.showResult(tinyConfig({}), tinyResult());
    QCOMPARE(figures.viewedCombination(), std::optional<Combination>(kXavierRelu)); // the newest
    DistributionPlot* chart = figures.chart(Chart::GradientHistograms);
    const QList<DistributionPlot::Curve> raw = chart->curves();
    QCOMPARE(raw.size(), 2);
    QVERIFY(!figures.gradientInLayerStd());
    QCOMPARE(figures.chart(Chart::GradientHistograms)->figureTables().value(0).header.value(1), QStringLiteral("bin_low"));

    figures.setGradientInLayerStd(true);
    QCOMPARE(chart->xLabel(), QStringLiteral("dL/dh ÷ the layer's std"));
    QVERIFY(chart->subtitle().contains(QStringLiteral("own std")));
    const QList<DistributionPlot::Curve> scaled = chart->curves();
    QCOMPARE(scaled.size(), raw.size());
    const std::vector<LayerStats>& layers = tinyResult().combinations[1].layers;
    const int shownLayers[] = {1, kDepth};
    for (int c = 0; c < 2; ++c) {
        const double std = layers[std::size_t(shownLayers[c] - 1)].preGradStd;
        QVERIFY(std > 0.0);
        QCOMPARE(scaled[c].y, raw[c].y); // the same fractions, on another axis
        double reach = 0.0;
        for (int b = 0; b < int(scaled[c].x.size()); ++b) {
            QVERIFY(std::fabs(scaled[c].x[b] - raw[c].x[b] / std) <= 1e-12 * std::fabs(raw[c].x[b] / std));
            reach = std::max(reach, std::fabs(scaled[c].x[b]));
        }
        // The bins reach about four root mean squares: in units of the std, a few.
        QVERIFY2(reach > 1.0 && reach < 16.0, qPrintable(QString::number(reach)));
    }
    const QList<CsvTable> tables = figures.chart(Chart::GradientHistograms)->figureTables();
    QCOMPARE(tables.value(0).header,
             (QStringList{QStringLiteral("layer"), QStringLiteral("bin_low_in_std"), QStringLiteral("bin_high_in_std"),
                          QStringLiteral("fraction")}));
    // The activations are not affected, and off gives the raw values back.
    QCOMPARE(figures.chart(Chart::ActivationHistograms)->figureTables().value(0).header.value(1), QStringLiteral("bin_low"));
    figures.setGradientInLayerStd(false);
    QCOMPARE(chart->curves()[0].x, raw[0].x);
    QCOMPARE(chart->xLabel(), QStringLiteral("dL/dh"));
}

void TestDeepDistributionFigures::fractionCurvesHaveOneCurvePerCombination()
{
    DeepDistributionFigures figures;
    const QColor fixed(10, 20, 30);
    figures.setColorSource([&](const Combination& c) -> std::optional<QColor> {
        return c == kXavierRelu ? std::optional<QColor>(fixed) : std::nullopt;
    });
    figures.showResult(tinyConfig({}), tinyResult());
    QCOMPARE(figures.combinations(), (std::vector<Combination>{kXavierTanh, kXavierRelu}));
    for (Chart which : {Chart::Saturated, Chart::Zero}) {
        DistributionPlot* chart = figures.chart(which);
        QCOMPARE(chart->curves().size(), 2);
        QCOMPARE(chart->curves()[0].name, QStringLiteral("Xavier uniform + tanh"));
        QCOMPARE(chart->curves()[1].name, QStringLiteral("Xavier uniform + ReLU"));
        QCOMPARE(chart->curves()[1].color, fixed);
        QVERIFY(chart->legendVisible());
        QVERIFY(!chart->title().isEmpty());
        QCOMPARE(chart->xLabel(), QStringLiteral("layer"));
        for (int c = 0; c < 2; ++c) {
            const std::vector<LayerStats>& layers = tinyResult().combinations[std::size_t(c)].layers;
            QCOMPARE(chart->curves()[c].y.size(), kDepth);
            for (int l = 0; l < kDepth; ++l)
                QCOMPARE(chart->curves()[c].y[l],
                         which == Chart::Saturated ? layers[std::size_t(l)].saturatedFrac : layers[std::size_t(l)].zeroFrac);
        }
    }
    // ReLU's saturated units are its zeros; about half of them.
    const double reluZero = tinyResult().combinations[1].layers[0].zeroFrac;
    QCOMPARE(tinyResult().combinations[1].layers[0].saturatedFrac, reluZero);
    QVERIFY(reluZero > 0.3 && reluZero < 0.7);
}

void TestDeepDistributionFigures::chartsExportTheirCsv()
{
    DeepDistributionFigures figures;
    figures.showResult(tinyConfig({}), tinyResult());
    figures.viewCombination(kXavierTanh);
    const QList<NamedFigure> exported = figures.exportFigures();
    QCOMPARE(exported.size(), 6);
    const QStringList binned{QStringLiteral("layer"), QStringLiteral("bin_low"), QStringLiteral("bin_high"),
                             QStringLiteral("fraction")};
    for (const NamedFigure& figure : exported) {
        const QList<CsvTable> tables = figure.figure->figureTables();
        QCOMPARE(tables.size(), 1);
        if (figure.baseName.endsWith(QStringLiteral("density"))) {
            QCOMPARE(tables[0].header, binned);
            QCOMPARE(tables[0].rows.size(), kDepth * kHistogramBins);
        } else if (figure.baseName.endsWith(QStringLiteral("histograms"))) {
            QCOMPARE(tables[0].header, binned);
            QCOMPARE(tables[0].rows.size(), 2 * kHistogramBins);
        } else {
            const QString column = figure.baseName.contains(QStringLiteral("saturated")) ? QStringLiteral("saturated_frac")
                                                                                        : QStringLiteral("zero_frac");
            QCOMPARE(tables[0].header, (QStringList{QStringLiteral("init"), QStringLiteral("activation"),
                                                    QStringLiteral("layer"), column}));
            QCOMPARE(tables[0].rows.size(), 2 * kDepth);
        }
    }
    // The density map's CSV: a layer's fractions add up to 1.
    const CsvTable map = figures.chart(Chart::ActivationMap)->figureTables().first();
    double sum = 0.0;
    for (const QStringList& row : map.rows)
        if (row[0] == QStringLiteral("3"))
            sum += row[3].toDouble();
    INITLAB_COMPARE_REL(sum, 1.0, 1e-6);

    // Every format through the export of the other charts.
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    QString error;
    for (chartexport::Format format : {chartexport::Format::Png, chartexport::Format::Svg, chartexport::Format::Pdf,
                                       chartexport::Format::Csv}) {
        const QString path = folder.filePath(QStringLiteral("map.%1").arg(int(format)));
        QVERIFY2(chartexport::exportFigure(*figures.chart(Chart::ActivationMap), format, path, PngSize{8.0, 96}, &error),
                 qPrintable(error));
        QVERIFY(QFileInfo(path).size() > 100);
    }
    QFile csv(folder.filePath(QStringLiteral("map.%1").arg(int(chartexport::Format::Csv))));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(csv.readLine().trimmed(), QByteArray("layer,bin_low,bin_high,fraction"));
    const QImage image = chartexport::renderImage(*figures.chart(Chart::ActivationMap), PngSize{8.0, 96});
    QVERIFY(!image.isNull());
    // The comparison figure of the report: two panels, one table led by the init.
    const std::unique_ptr<ExportableFigure> comparison = figures.comparisonFigure(kXavierTanh, kXavierRelu);
    const QList<CsvTable> tables = comparison->figureTables();
    QCOMPARE(tables.size(), 1);
    QCOMPARE(tables[0].header.first(), QStringLiteral("init"));
    QCOMPARE(tables[0].rows.size(), 2 * 2 * kHistogramBins);
    QVERIFY(!chartexport::renderPng(*comparison, PngSize{8.0, 96}).isEmpty());
}

void TestDeepDistributionFigures::tabShowsDistributionsAfterARun()
{
    WorkerThread<DeepWorker> thread;
    DeepPanel panel(thread.worker());
    panel.setDepth(kDepth);
    panel.setWidth(32);
    panel.setBatch(200);
    panel.resize(1400, 900);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QCOMPARE(panel.configFor({kXavierTanh}).histograms, true);
    QCOMPARE(panel.view(), DeepPanel::View::Statistics);

    QSignalSpy finished(&panel, &DeepPanel::runFinished);
    QVERIFY(panel.run({kXavierTanh, kXavierRelu}));
    QVERIFY(finished.wait(kTimeoutMs));
    const DeepResult result = finished.at(0).at(0).value<DeepResult>();
    QVERIFY2(result.error.empty(), result.error.c_str());
    QVERIFY(hasHistograms(result));

    panel.showView(DeepPanel::View::Distributions);
    auto* tabs = child<QTabWidget>(&panel, "deepViewTabs");
    QCOMPARE(tabs->tabText(tabs->currentIndex()), QStringLiteral("Distributions"));
    QVERIFY(panel.distributions()->isVisible());
    DeepDistributionFigures* figures = panel.distributions();
    // The newest combination is the one looked at; both have curves, in the Statistics colours.
    QCOMPARE(figures->viewedCombination(), std::optional<Combination>(kXavierRelu));
    QVERIFY(!figures->chart(Chart::ActivationMap)->map().empty());
    QCOMPARE(figures->chart(Chart::Saturated)->curves().size(), 2);
    QCOMPARE(figures->chart(Chart::Saturated)->curves()[0].color, panel.figures()->colorOf(kXavierTanh).value());
    QCOMPARE(panel.exportFigures().size(), 4 + 6);

    // The matrix's tooltip gives the last layer's fractions.
    InitMatrix* matrix = child<InitMatrix>(&panel, "initMatrix");
    const LayerStats& last = result.combinations[1].layers.back();
    const QString tip = matrix->itemFor(kXavierRelu)->toolTip();
    QVERIFY(last.saturatedFrac >= 0.1 && last.zeroFrac >= 0.1); // ReLU: about half, whole percents
    const QString expected = QStringLiteral("last layer: %1 % saturated, %2 % exactly zero")
                                 .arg(QString::number(100 * last.saturatedFrac, 'f', 0),
                                      QString::number(100 * last.zeroFrac, 'f', 0));
    QVERIFY2(tip.contains(expected), qPrintable(tip + QStringLiteral(" / ") + expected));
    QVERIFY2(matrix->itemFor(kXavierTanh)->toolTip().contains(QStringLiteral("last layer: ")), qPrintable(tip));
    QVERIFY(!matrix->itemFor({InitScheme::Heuristic, Activation::Tanh})->toolTip().contains(QStringLiteral("last layer")));
    QVERIFY(thread.stop(kTimeoutMs));
}

void TestDeepDistributionFigures::recordReopensWithItsDistributions()
{
    QTemporaryDir runs;
    QVERIFY(runs.isValid());
    const DeepConfig config = tinyConfig({kXavierTanh, kXavierRelu});
    QString error;
    const QString folder = writeRunRecordFor(runs.path(), ExperimentKind::Deep, deepOutcome(config, tinyResult()),
                                             BlasInfo{}, "2026-02-01T00:00:00Z", error);
    QVERIFY2(!folder.isEmpty(), qPrintable(error));
    QVERIFY(QFile::exists(folder + QStringLiteral("/deep_hist.csv")));
    RunRecord record;
    std::string problem;
    QVERIFY2(readRunRecord(folder.toStdString(), record, problem), problem.c_str());
    DeepResult reread;
    QVERIFY2(readDeepRecord(record, reread, error), qPrintable(error));
    QVERIFY(hasHistograms(reread));
    QCOMPARE(reread.combinations[0].layers[2].actHistogram.counts, tinyResult().combinations[0].layers[2].actHistogram.counts);

    WorkerThread<DeepWorker> thread;
    DeepPanel panel(thread.worker());
    QVERIFY2(panel.showRecord(record, &error), qPrintable(error));
    DeepDistributionFigures* figures = panel.distributions();
    QCOMPARE(figures->combinations().size(), std::size_t(2));
    QVERIFY(figures->viewCombination(kXavierTanh));
    const DistributionPlot::Map& map = figures->chart(Chart::ActivationMap)->map();
    QCOMPARE(map.columns, kDepth);
    INITLAB_COMPARE_REL(columnSum(map, kDepth - 1), 1.0, 1e-9);
    QVERIFY(child<InitMatrix>(&panel, "initMatrix")->itemFor(kXavierTanh)->toolTip().contains(QStringLiteral("last layer: ")));

    // A record made before histograms were measured has no deep_hist.csv and still opens.
    DeepResult plain = tinyResult();
    for (CombinationResult& combination : plain.combinations)
        for (LayerStats& layer : combination.layers)
            layer.actHistogram = layer.preGradHistogram = Histogram{};
    const QString older = writeRunRecordFor(runs.path(), ExperimentKind::Deep, deepOutcome(config, plain), BlasInfo{},
                                            "2026-01-01T00:00:00Z", error);
    QVERIFY2(!older.isEmpty(), qPrintable(error));
    QVERIFY(!QFile::exists(older + QStringLiteral("/deep_hist.csv")));
    RunRecord olderRecord;
    QVERIFY2(readRunRecord(older.toStdString(), olderRecord, problem), problem.c_str());
    QVERIFY2(readDeepRecord(olderRecord, reread, error), qPrintable(error));
    QVERIFY(!hasHistograms(reread));
    QVERIFY(thread.stop(kTimeoutMs));
}

void TestDeepDistributionFigures::damagedHistogramFileIsNamed()
{
    QTemporaryDir runs;
    QVERIFY(runs.isValid());
    QString error;
    const QString folder = writeRunRecordFor(runs.path(), ExperimentKind::Deep,
                                             deepOutcome(tinyConfig({kXavierTanh, kXavierRelu}), tinyResult()),
                                             BlasInfo{}, "2026-02-01T00:00:00Z", error);
    QVERIFY2(!folder.isEmpty(), qPrintable(error));
    QFile file(folder + QStringLiteral("/deep_hist.csv"));
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("init,activation,layer,quantity,bin_low,bin_high,count\nxavier_uniform,tanh,1,act,-1,-0.96875,many\n");
    file.close();
    RunRecord record;
    std::string problem;
    QVERIFY2(readRunRecord(folder.toStdString(), record, problem), problem.c_str());
    DeepResult result;
    QVERIFY(!readDeepRecord(record, result, error));
    QVERIFY2(error.startsWith(QStringLiteral("deep_hist.csv")), qPrintable(error));

    WorkerThread<DeepWorker> thread;
    DeepPanel panel(thread.worker());
    QString shown;
    QVERIFY(!panel.showRecord(record, &shown));
    QVERIFY2(shown.contains(QStringLiteral("deep_hist.csv")), qPrintable(shown));
    QVERIFY(thread.stop(kTimeoutMs));
}

QTEST_MAIN(TestDeepDistributionFigures)
#include "tst_deepdistributionfigures.moc"

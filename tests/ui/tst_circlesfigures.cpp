// CirclesFigures without a panel or a worker, on a hand-made result (2 normalizations × 3 init
// schemes × 3 seeds, 6 epochs, one seed diverged early and one setting diverged in all its seeds):
// one curve per init scheme of the viewed normalization, each the mean over the seeds with the
// diverged ones left out; a live run's blocks give the same curves as the whole result; a block of
// another run is ignored. And the decision-boundary figure of one model of a result.

#include "common/curvelegend.h"
#include "common/formatting.h"
#include "common/names.h"
#include "common/palette.h"
#include "figures/boundarycanvas.h"
#include "figures/circlescurvechart.h"
#include "figures/circlesfigures.h"
#include "figures/unitmapsfigure.h"
#include "tolerance.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace initlab;
using namespace initlab::ui;
using Chart = CirclesFigures::Chart;

namespace {

constexpr int kEpochs = 6;
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
const Chart kCharts[] = {Chart::TrainLoss, Chart::TrainAccuracy, Chart::ValidationAccuracy};

CirclesConfig smallConfig()
{
    CirclesConfig config;
    config.normalizations = {Normalization::Raw, Normalization::Standard};
    config.inits = {InitScheme::Heuristic, InitScheme::XavierUniform, InitScheme::KaimingNormal};
    config.seeds = 3;
    config.firstSeed = 7;
    config.epochs = kEpochs;
    config.data.trainSize = 10;
    config.data.validationSize = 4;
    config.data.testSize = 6;
    return config;
}

// A value per model, epoch (from 0) and chart, all different.
float valueOf(int model, int epoch, Chart which)
{
    return 0.01f * float(model) + 0.1f * float(epoch) + 1.0f * float(int(which));
}

// The models' histories: (standard, xavier_uniform) seed index 1 diverged after 3 epochs, and
// every seed of (standard, kaiming_normal) after 4.
CirclesResult smallResult(const CirclesConfig& config)
{
    CirclesResult result;
    result.epochsRun = kEpochs;
    for (int s = 0; s < config.seeds; ++s)
        result.datasets.push_back(generateCircles(config.data, config.firstSeed + std::uint64_t(s)));
    const std::vector<ModelKey> keys = modelKeys(config);
    for (int m = 0; m < int(keys.size()); ++m) {
        ModelResult model;
        model.key = keys[std::size_t(m)];
        int epochs = kEpochs;
        if (model.key.normalization == Normalization::Standard && model.key.init == InitScheme::XavierUniform
            && model.key.seed == config.firstSeed + 1)
            epochs = 3;
        if (model.key.normalization == Normalization::Standard && model.key.init == InitScheme::KaimingNormal)
            epochs = 4;
        model.divergedEpoch = epochs < kEpochs ? epochs + 1 : 0;
        for (int e = 0; e < epochs; ++e) {
            model.trainLoss.push_back(valueOf(m, e, Chart::TrainLoss));
            model.trainAcc.push_back(valueOf(m, e, Chart::TrainAccuracy));
            model.valAcc.push_back(valueOf(m, e, Chart::ValidationAccuracy));
            model.valLoss.push_back(-1.0f);
        }
        model.bestEpoch = std::min(epochs, 3);
        model.testAcc = 0.975;
        model.normalization = fitNormalization(result.datasets[std::size_t(m % config.seeds)].train,
                                               model.key.normalization, config.scaledFactor);
        result.models.push_back(model);
    }
    return result;
}

// The mean over the seeds that have a value at that epoch, NaN when none has.
QVector<float> expectedMean(const CirclesResult& result, Normalization normalization, InitScheme init, Chart which)
{
    QVector<float> curve;
    for (int e = 0; e < result.epochsRun; ++e) {
        double sum = 0.0;
        int count = 0;
        for (int m = 0; m < int(result.models.size()); ++m) {
            const ModelResult& model = result.models[std::size_t(m)];
            if (model.key.normalization == normalization && model.key.init == init
                && e < int(model.trainLoss.size())) {
                sum += valueOf(m, e, which);
                ++count;
            }
        }
        curve.append(count > 0 ? float(sum / count) : kNaN);
    }
    return curve;
}

// Bit for bit, NaN included.
bool sameCurve(const QVector<float>& a, const QVector<float>& b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i]))))
            return false;
    return true;
}

// A live run's history of the result in blocks of these lengths.
std::vector<HistoryBlock> blocksOf(const CirclesResult& result, const std::vector<int>& lengths)
{
    const HistoryBlock whole = wholeHistory(result);
    std::vector<HistoryBlock> blocks;
    int first = 0;
    for (int length : lengths) {
        HistoryBlock block;
        block.firstEpoch = first + 1;
        block.count = length;
        block.models = whole.models;
        const auto slice = [&](const std::vector<float>& values) {
            return std::vector<float>(values.begin() + std::ptrdiff_t(first) * whole.models,
                                      values.begin() + std::ptrdiff_t(first + length) * whole.models);
        };
        block.trainLoss = slice(whole.trainLoss);
        block.trainAcc = slice(whole.trainAcc);
        block.valLoss = slice(whole.valLoss);
        block.valAcc = slice(whole.valAcc);
        blocks.push_back(block);
        first += length;
    }
    return blocks;
}

} // namespace

class TestCirclesFigures : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void showResultDrawsTheMeanOverSeedsPerScheme();
    void aDivergedSeedDropsOutOfTheMean();
    void liveBlocksGiveTheSameCurvesAsAWholeResult();
    void viewedNormalizationPicksTheCurves();
    void blockOfAnotherRunIsIgnored();
    void emptyChartsBeforeAnyRun();
    void boundaryFigureShowsOneModel();
    void unitMapsFigureGivesEveryCellAndMarksTheDead();
};

void TestCirclesFigures::showResultDrawsTheMeanOverSeedsPerScheme()
{
    const CirclesConfig config = smallConfig();
    const CirclesResult result = smallResult(config);
    CirclesFigures figures;
    QCOMPARE(figures.viewedNormalization(), Normalization::Standard);
    figures.showResult(config, result);
    QVERIFY(figures.hasRun());
    QCOMPARE(figures.epochsDone(), kEpochs);

    QStringList titles;
    for (InitScheme init : config.inits)
        titles << schemeTitle(init, config.normalStd);
    QCOMPARE(figures.legend()->names(), titles);
    for (const Chart which : kCharts) {
        CirclesCurveChart* chart = figures.chart(which);
        QCOMPARE(chart->curveCount(), 3);
        QCOMPARE(chart->epochs(), kEpochs);
        for (int c = 0; c < 3; ++c) {
            const InitScheme init = config.inits[std::size_t(c)];
            QCOMPARE(chart->curveName(c), titles[c]);
            QCOMPARE(chart->curveColor(c), schemeColor(init));
            QCOMPARE(chart->valueCount(c), kEpochs);
            const QVector<float> expected = expectedMean(result, Normalization::Standard, init, which);
            QVERIFY2(sameCurve(figures.meanCurve(Normalization::Standard, init, which), expected),
                     qPrintable(schemeTitle(init, 0.1)));
        }
        // What the chart plots (its CSV): the means, every epoch up to the first NaN.
        const QList<CsvTable> tables = chart->figureTables();
        QCOMPARE(tables.size(), 1);
        int kaimingPoints = 0;
        for (const QStringList& row : tables.first().rows) {
            QCOMPARE(row[0], QStringLiteral("standard"));
            const InitScheme init = *parseInitScheme(row[1].toStdString());
            const int epoch = row[2].toInt();
            const float expected = expectedMean(result, Normalization::Standard, init, which)[epoch - 1];
            INITLAB_COMPARE_REL(row[3].toDouble(), expected, 1e-6);
            kaimingPoints += init == InitScheme::KaimingNormal ? 1 : 0;
        }
        QCOMPARE(kaimingPoints, 4); // every seed diverged after epoch 4: the line ends there
    }
}

void TestCirclesFigures::aDivergedSeedDropsOutOfTheMean()
{
    const CirclesConfig config = smallConfig();
    const CirclesResult result = smallResult(config);
    CirclesFigures figures;
    figures.showResult(config, result);
    // (standard, xavier_uniform) is models 12, 13, 14; model 13 stopped after 3 epochs.
    const QVector<float> loss = figures.meanCurve(Normalization::Standard, InitScheme::XavierUniform, Chart::TrainLoss);
    QCOMPARE(loss.size(), kEpochs);
    for (int e = 0; e < 3; ++e)
        INITLAB_COMPARE_REL(loss[e], (valueOf(12, e, Chart::TrainLoss) + valueOf(13, e, Chart::TrainLoss)
                                      + valueOf(14, e, Chart::TrainLoss)) / 3.0,
                            1e-6);
    for (int e = 3; e < kEpochs; ++e)
        INITLAB_COMPARE_REL(loss[e], (valueOf(12, e, Chart::TrainLoss) + valueOf(14, e, Chart::TrainLoss)) / 2.0,
                            1e-6);
    // All three seeds of (standard, kaiming_normal) gone: NaN, which ends the line.
    const QVector<float> kaiming
        = figures.meanCurve(Normalization::Standard, InitScheme::KaimingNormal, Chart::ValidationAccuracy);
    QVERIFY(std::isfinite(kaiming[3]));
    QVERIFY(std::isnan(kaiming[4]) && std::isnan(kaiming[5]));
    // A setting the run does not have has no curve.
    QVERIFY(figures.meanCurve(Normalization::Scaled, InitScheme::Heuristic, Chart::TrainLoss).isEmpty());
}

void TestCirclesFigures::liveBlocksGiveTheSameCurvesAsAWholeResult()
{
    const CirclesConfig config = smallConfig();
    const CirclesResult result = smallResult(config);
    CirclesFigures whole;
    whole.showResult(config, result);
    CirclesFigures live;
    live.beginRun(config);
    for (const HistoryBlock& block : blocksOf(result, {2, 3, 1})) {
        live.appendHistory(block);
        live.refresh();
    }
    QCOMPARE(live.epochsDone(), whole.epochsDone());
    for (Normalization normalization : config.normalizations) {
        whole.setViewedNormalization(normalization);
        live.setViewedNormalization(normalization);
        for (const Chart which : kCharts) {
            for (InitScheme init : config.inits)
                QVERIFY(sameCurve(live.meanCurve(normalization, init, which),
                                  whole.meanCurve(normalization, init, which)));
            const QList<CsvTable> liveTables = live.chart(which)->figureTables();
            const QList<CsvTable> wholeTables = whole.chart(which)->figureTables();
            QCOMPARE(liveTables.first().rows, wholeTables.first().rows);
            QVERIFY(!liveTables.first().rows.isEmpty());
        }
    }
}

void TestCirclesFigures::viewedNormalizationPicksTheCurves()
{
    const CirclesConfig config = smallConfig();
    const CirclesResult result = smallResult(config);
    CirclesFigures figures;
    figures.showResult(config, result);
    figures.setViewedNormalization(Normalization::Raw);
    QCOMPARE(figures.viewedNormalization(), Normalization::Raw);
    CirclesCurveChart* chart = figures.chart(Chart::TrainAccuracy);
    QCOMPARE(chart->curveCount(), 3);
    const QList<CsvTable> tables = chart->figureTables();
    QVERIFY(!tables.first().rows.isEmpty());
    for (const QStringList& row : tables.first().rows) {
        QCOMPARE(row[0], QStringLiteral("raw"));
        const InitScheme init = *parseInitScheme(row[1].toStdString());
        const float expected
            = expectedMean(result, Normalization::Raw, init, Chart::TrainAccuracy)[row[2].toInt() - 1];
        INITLAB_COMPARE_REL(row[3].toDouble(), expected, 1e-6);
    }
    const QList<NamedFigure> named = figures.exportFigures();
    QCOMPARE(named.size(), 3);
    QCOMPARE(named[0].baseName, QStringLiteral("circles_train_loss_raw"));
    QCOMPARE(named[1].baseName, QStringLiteral("circles_train_accuracy_raw"));
    QCOMPARE(named[2].baseName, QStringLiteral("circles_validation_accuracy_raw"));
    QCOMPARE(named[2].figure, static_cast<ExportableFigure*>(figures.chart(Chart::ValidationAccuracy)));
}

void TestCirclesFigures::blockOfAnotherRunIsIgnored()
{
    const CirclesConfig config = smallConfig();
    CirclesFigures figures;
    figures.beginRun(config);
    HistoryBlock block;
    block.count = 2;
    block.models = 5; // the run has 18
    block.trainLoss.assign(10, 0.5f);
    block.trainAcc = block.valLoss = block.valAcc = block.trainLoss;
    figures.appendHistory(block);
    figures.refresh();
    QCOMPARE(figures.epochsDone(), 0);
    QCOMPARE(figures.chart(Chart::TrainLoss)->curveCount(), 3);
    for (int c = 0; c < 3; ++c)
        QCOMPARE(figures.chart(Chart::TrainLoss)->valueCount(c), 0);
}

void TestCirclesFigures::emptyChartsBeforeAnyRun()
{
    CirclesFigures figures;
    QVERIFY(!figures.hasRun());
    figures.setEpochsBeforeRun(5000);
    for (const Chart which : kCharts) {
        QCOMPARE(figures.chart(which)->curveCount(), 0);
        QCOMPARE(figures.chart(which)->epochs(), 5000);
    }
    QVERIFY(figures.legend()->names().isEmpty());
    // A run sets its own epochs, and the number before a run no longer matters.
    figures.beginRun(smallConfig());
    figures.setEpochsBeforeRun(100);
    QCOMPARE(figures.chart(Chart::TrainLoss)->epochs(), kEpochs);
}

void TestCirclesFigures::boundaryFigureShowsOneModel()
{
    const CirclesConfig config = smallConfig();
    CirclesResult result = smallResult(config);
    const int model = 13; // (standard, xavier_uniform), seed 8
    BoundaryImage& image = result.models[std::size_t(model)].boundary;
    image.model = model;
    image.resolution = 4;
    image.xMin = 5.0;
    image.xMax = 15.0;
    image.yMin = 5.0;
    image.yMax = 15.0;
    image.probability.assign(16, 0.25f);
    image.probability[5] = image.probability[6] = image.probability[9] = image.probability[10] = 0.75f;

    const std::unique_ptr<BoundaryCanvas> figure = boundaryFigure(config, result, model);
    QCOMPARE(figure->size(), QSize(640, 640));
    QCOMPARE(figure->title(), QStringLiteral("Standardized · Xavier uniform"));
    QCOMPARE(figure->title(), boundaryTitle(Normalization::Standard, InitScheme::XavierUniform, config.scaledFactor,
                                            config.normalStd));
    QCOMPARE(figure->caption(),
             QStringLiteral("seed 8 · best validation at epoch 3 · test %1").arg(percentText(0.975)));
    QVERIFY(figure->hasImage());
    QCOMPARE(figure->image().model, model);
    QCOMPARE(figure->contourLineCount(), 1);
    // The training points of its seed, and no others.
    const QList<CsvTable> tables = figure->figureTables();
    QCOMPARE(tables.size(), 2);
    QCOMPARE(tables[1].suffix, QStringLiteral("_points"));
    QCOMPARE(int(tables[1].rows.size()), result.datasets[1].train.size());
    for (const QStringList& row : tables[1].rows)
        QCOMPARE(row[0], QStringLiteral("train"));

    // On a canvas that shows test points, the seed's test points come along.
    BoundaryCanvas canvas;
    showModelBoundary(canvas, config, result, model, true);
    QCOMPARE(canvas.title(), figure->title());
    int testRows = 0;
    const QList<CsvTable> canvasTables = canvas.figureTables();
    for (const QStringList& row : canvasTables[1].rows)
        testRows += row[0] == QStringLiteral("test") ? 1 : 0;
    QCOMPARE(testRows, result.datasets[1].test.size());
}

QTEST_MAIN(TestCirclesFigures)
// The hidden-unit maps: a CSV row per cell of every map, one colour scale for the units, the dead ones
// named in the figure with the epoch they died; its drawing replays the same off the figure.
void TestCirclesFigures::unitMapsFigureGivesEveryCellAndMarksTheDead()
{
    UnitMapsData data;
    UnitMaps& maps = data.maps;
    maps.resolution = 4;
    maps.xMin = maps.yMin = 0.0;
    maps.xMax = maps.yMax = 8.0;
    maps.hidden = {2, 1};
    maps.units = {std::vector<float>(16, 0.0f), std::vector<float>(16, 2.5f), std::vector<float>(16, 0.0f)};
    maps.units[2][5] = -1.0f;
    maps.probability = std::vector<float>(16, 0.25f);
    maps.incoming = {{0.1f, 0.2f, 0.0f}, {0.3f, 0.4f, 0.1f}, {0.5f, -0.5f, 0.0f}};
    maps.dead = {true, false, false};
    data.diedAt = {120, -1, -1};
    data.title = QStringLiteral("Raw · Xavier uniform · seed 0");
    UnitMapsFigure figure;
    figure.setData(data);
    QCOMPARE(figure.unitRange(), std::make_pair(-1.0f, 2.5f));

    const QList<CsvTable> tables = figure.figureTables();
    QCOMPARE(tables.size(), 1);
    QCOMPARE(tables[0].header, (QStringList{QStringLiteral("layer"), QStringLiteral("unit"), QStringLiteral("x"),
                                            QStringLiteral("y"), QStringLiteral("value")}));
    QCOMPARE(tables[0].rows.size(), (3 + 1) * 16);
    QCOMPARE(tables[0].rows.first(), (QStringList{QStringLiteral("1"), QStringLiteral("1"), QStringLiteral("1"),
                                                  QStringLiteral("1"), QStringLiteral("0")}));
    QCOMPARE(tables[0].rows.last().first(), QStringLiteral("output"));
    QCOMPARE(tables[0].rows.last().last(), QStringLiteral("0.25"));

    const QByteArray svg = chartexport::renderSvg(figure);
    QVERIFY(svg.contains("dead since"));
    QVERIFY(svg.contains(">120<")); // the epoch it died, on the label's second line
    QVERIFY(svg.contains("P(class 1)"));
    const QSizeF logical = chartexport::logicalSize(figure);
    const QImage direct = chartexport::renderImage(figure, PngSize{8.0, 96});
    const QImage replayed
        = chartexport::renderImage(*figure.takeDrawing(chartexport::logicalSize(figure, 8.0)), chartexport::logicalSize(figure, 8.0),
                                   PngSize{8.0, 96});
    QVERIFY(logical.height() > 0);
    QCOMPARE(replayed, direct);
}

#include "tst_circlesfigures.moc"

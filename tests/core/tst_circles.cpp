// The circles lab: data, normalization with training statistics, batched training equal to training
// alone, snapshots, dead units, divergence, and the qualitative result of the report.

#include "initlab/circles.h"
#include "tolerance.h"

#include <QTest>
#include <cmath>
#include <numeric>

using namespace initlab;

namespace {

CirclesConfig small(std::vector<InitScheme> inits, std::vector<Normalization> norms, int seeds, int epochs)
{
    CirclesConfig c;
    c.inits = std::move(inits);
    c.normalizations = std::move(norms);
    c.seeds = seeds;
    c.epochs = epochs;
    c.reportIntervalMs = 0;
    c.boundaryResolution = 8;
    return c;
}

CirclesResult run(const CirclesConfig& c)
{
    CancelFlag cancel{false};
    return runCircles(c, nullptr, cancel);
}

double meanOf(const std::vector<float>& v)
{
    return std::accumulate(v.begin(), v.end(), 0.0) / v.size();
}

} // namespace

class TestCircles : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void dataHasTheRightShape()
    {
        CirclesDataConfig c;
        c.trainSize = 81;
        const CirclesData data = generateCircles(c, 3);
        QCOMPARE(data.train.size(), 81);
        QCOMPARE(data.validation.size(), 20);
        QCOMPARE(data.test.size(), 1000);
        const int ones = std::accumulate(data.train.label.begin(), data.train.label.end(), 0);
        QCOMPARE(ones, 41); // half per class, the odd point to class 1
        double sx = 0, sy = 0;
        for (int i = 0; i < data.test.size(); ++i) {
            const double r = std::hypot(data.test.x[i] - 10.0, data.test.y[i] - 10.0);
            const double radius = data.test.label[i] == 1 ? 4.0 : 1.0;
            QVERIFY2(r >= radius - 1.0 - 1e-5 && r <= radius + 1.0 + 1e-5, qPrintable(QString::number(r)));
            sx += data.test.x[i];
            sy += data.test.y[i];
        }
        QVERIFY(std::abs(sx / 1000 - 10.0) < 0.3);
        QVERIFY(std::abs(sy / 1000 - 10.0) < 0.3);
        QCOMPARE(generateCircles(c, 3).test.x, data.test.x);
        QVERIFY(generateCircles(c, 4).test.x != data.test.x);
    }

    void normalizationUsesTrainingStatistics()
    {
        const CirclesData data = generateCircles(CirclesDataConfig{}, 1);
        const NormalizationMap standard = fitNormalization(data.train, Normalization::Standard);
        const PointSet train = applyNormalization(data.train, standard);
        const PointSet validation = applyNormalization(data.validation, standard);
        const auto sd = [](const std::vector<float>& v) {
            const double m = meanOf(v);
            double s = 0;
            for (float x : v)
                s += (x - m) * (x - m);
            return std::sqrt(s / (v.size() - 1));
        };
        QVERIFY(std::abs(meanOf(train.x)) < 1e-5);
        INITLAB_COMPARE_REL(sd(train.y), 1.0, 1e-5);
        // Validation is mapped with the training statistics, not its own: its mean is not exactly 0.
        INITLAB_COMPARE_REL(validation.x[0], (data.validation.x[0] - standard.meanX) / standard.stdX, 1e-5);
        QVERIFY(std::abs(meanOf(validation.x)) > 1e-4);
        const NormalizationMap scaled = fitNormalization(data.train, Normalization::Scaled, 0.01);
        INITLAB_COMPARE_REL(sd(applyNormalization(data.train, scaled).x), 0.01, 1e-5);
        const NormalizationMap raw = fitNormalization(data.train, Normalization::Raw);
        QCOMPARE(applyNormalization(data.test, raw).x, data.test.x);
        QCOMPARE(parseNormalization("scaled"), std::optional(Normalization::Scaled));
        QVERIFY(!parseNormalization("minmax"));
    }

    void batchedEqualsAlone()
    {
        CirclesConfig batched = small({InitScheme::XavierUniform, InitScheme::KaimingNormal},
                                      {Normalization::Raw, Normalization::Standard}, 2, 300);
        const CirclesResult together = run(batched);
        QVERIFY(together.error.empty());
        QCOMPARE(together.models.size(), std::size_t(8));
        for (const ModelResult& expected : together.models) {
            CirclesConfig alone = batched;
            alone.inits = {expected.key.init};
            alone.normalizations = {expected.key.normalization};
            alone.seeds = 1;
            alone.firstSeed = expected.key.seed;
            const CirclesResult single = run(alone);
            const ModelResult& got = single.models.at(0);
            QCOMPARE(got.trainLoss.size(), expected.trainLoss.size());
            for (std::size_t e = 0; e < got.trainLoss.size(); e += 37)
                INITLAB_COMPARE_REL(got.trainLoss[e], expected.trainLoss[e], 1e-4);
            INITLAB_COMPARE_REL(got.trainLoss.back(), expected.trainLoss.back(), 1e-4);
            QCOMPARE(got.bestEpoch, expected.bestEpoch);
            QCOMPARE(got.testAcc, expected.testAcc);
        }
    }

    void bestSnapshotIsReported()
    {
        const CirclesResult r = run(small({InitScheme::XavierUniform}, {Normalization::Standard}, 3, 400));
        for (const ModelResult& m : r.models) {
            const auto best = std::max_element(m.valAcc.begin(), m.valAcc.end());
            QCOMPARE(m.bestEpoch, int(best - m.valAcc.begin()) + 1); // the first epoch with the best accuracy
            QCOMPARE(m.bestValAcc, double(*best));
            QCOMPARE(m.boundary.epoch, m.bestEpoch);
            QCOMPARE(m.boundary.probability.size(), std::size_t(64));
        }
    }

    void standardizationWins()
    {
        // At a small budget and over several seeds, standardized inputs learn the rings better than
        // raw inputs (far from the origin) and than inputs scaled down to std 0.01.
        CirclesConfig c = small({InitScheme::XavierUniform},
                                {Normalization::Raw, Normalization::Standard, Normalization::Scaled}, 5, 2000);
        const std::vector<CirclesSummaryRow> rows = summarize(run(c));
        QCOMPARE(rows.size(), std::size_t(3));
        const double raw = rows[0].meanTestAcc, standard = rows[1].meanTestAcc, scaled = rows[2].meanTestAcc;
        QVERIFY2(standard > raw && standard > scaled,
                 qPrintable(QStringLiteral("raw %1 standard %2 scaled %3").arg(raw).arg(standard).arg(scaled)));
    }

    void zerosLeaveEveryHiddenUnitDead()
    {
        // With zero weights and biases every hidden ReLU outputs 0 and receives no gradient, so all
        // 6 + 3 hidden units stay dead; a linear activation has none.
        const CirclesResult zeros = run(small({InitScheme::Zeros}, {Normalization::Standard}, 1, 20));
        QCOMPARE(zeros.models.at(0).deadUnits, 9);
        CirclesConfig linear = small({InitScheme::XavierUniform}, {Normalization::Standard}, 1, 20);
        linear.activation = Activation::Linear;
        QCOMPARE(run(linear).models.at(0).deadUnits, 0);
    }

    void divergenceStaysWithItsModel()
    {
        CirclesConfig c = small({InitScheme::XavierUniform, InitScheme::Normal}, {Normalization::Raw}, 1, 50);
        c.normalStd = 1e30; // the normal-scheme model overflows at once
        struct Sink : CirclesSink {
            int model = -1, epoch = -1;
            void onDiverged(int m, int e) override { model = m, epoch = e; }
        } sink;
        CancelFlag cancel{false};
        const CirclesResult r = runCircles(c, &sink, cancel);
        QCOMPARE(sink.model, 1);
        QCOMPARE(sink.epoch, 1);
        QCOMPARE(r.models[1].divergedEpoch, 1);
        QCOMPARE(r.models[0].divergedEpoch, 0);
        QCOMPARE(r.models[0].trainLoss.size(), std::size_t(50));
        QVERIFY(std::isfinite(r.models[0].trainLoss.back()));
        QCOMPARE(summarize(r)[1].diverged, 1);
    }

    void historyStreamsAndCancelStops()
    {
        CirclesConfig c = small({InitScheme::Heuristic}, {Normalization::Standard}, 2, 100000);
        c.reportIntervalMs = 20;
        c.liveBoundaryModels = {1};
        struct Sink : CirclesSink {
            CancelFlag* cancel = nullptr;
            int epochs = 0, boundaries = 0;
            void onHistory(const HistoryBlock& b) override
            {
                QCOMPARE(b.firstEpoch, epochs + 1);
                QCOMPARE(int(b.trainLoss.size()), b.count * b.models);
                epochs += b.count;
                if (epochs > 200)
                    cancel->store(true);
            }
            void onBoundary(const BoundaryImage& image) override
            {
                ++boundaries;
                QCOMPARE(image.model, 1);
            }
        } sink;
        CancelFlag cancel{false};
        sink.cancel = &cancel;
        const CirclesResult r = runCircles(c, &sink, cancel);
        QVERIFY(r.cancelled);
        QVERIFY(r.epochsRun < 100000);
        QCOMPARE(sink.epochs, r.epochsRun);
        QVERIFY(sink.boundaries >= 1);
        QCOMPARE(int(r.models[0].trainLoss.size()), r.epochsRun);
    }

    void invalidConfigsAreRefused()
    {
        CirclesConfig c = small({InitScheme::Heuristic}, {Normalization::Raw}, 1, 10);
        c.data.trainSize = 1;
        QVERIFY(QString::fromStdString(run(c).error).contains(QStringLiteral("training set")));
        c = small({InitScheme::Heuristic}, {Normalization::Raw}, 0, 10);
        QVERIFY(QString::fromStdString(run(c).error).contains(QStringLiteral("seeds")));
        c = small({InitScheme::Heuristic}, {Normalization::Raw}, 1, 10);
        c.learningRate = -1;
        QVERIFY(QString::fromStdString(run(c).error).contains(QStringLiteral("learning rate")));
    }
};

QTEST_APPLESS_MAIN(TestCircles)
#include "tst_circles.moc"

// The deep-propagation runner at small sizes: the known behaviours of init x activation pairs,
// exact statistics under chunking, seeding, streaming and cancellation.

#include "initlab/deeppropagation.h"
#include "deeptestrun.h"
#include "tolerance.h"

#include <QTest>
#include <cmath>

using namespace initlab;

namespace {

DeepConfig config(std::vector<Combination> combinations, int depth, int width, int batch)
{
    return test::smallDeepConfig(std::move(combinations), depth, width, batch, 5);
}

DeepResult run(const DeepConfig& c, DeepSink* sink = nullptr)
{
    return test::runToTheEnd(c, sink);
}

// Records what arrives, in order.
struct RecordingSink : DeepSink {
    std::vector<ForwardLayerStats> forward;
    std::vector<BackwardLayerStats> backward;
    std::vector<int> finished;
    double lastProgress = 0;
    bool progressMonotonic = true;
    void onForwardLayer(const ForwardLayerStats& s) override { forward.push_back(s); }
    void onBackwardLayer(const BackwardLayerStats& s) override { backward.push_back(s); }
    void onCombinationFinished(int c, const CombinationResult&) override { finished.push_back(c); }
    void onProgress(double f) override
    {
        progressMonotonic = progressMonotonic && f >= lastProgress;
        lastProgress = f;
    }
};

} // namespace

class TestDeepPropagation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void kaimingReluKeepsTheSignal()
    {
        const DeepResult r = run(config({{InitScheme::KaimingNormal, Activation::Relu}}, 20, 256, 256));
        QVERIFY(r.error.empty());
        QCOMPARE(r.combinations.size(), std::size_t(1));
        const auto& layers = r.combinations[0].layers;
        QCOMPARE(layers.size(), std::size_t(20));
        const double first = layers.front().actStd;
        for (const LayerStats& s : layers) {
            QVERIFY2(s.actStd > first / 2 && s.actStd < first * 2,
                     qPrintable(QStringLiteral("layer %1: std %2 vs %3").arg(s.layer).arg(s.actStd).arg(first)));
        }
    }

    void heuristicTanhVanishes()
    {
        const DeepResult r = run(config({{InitScheme::Heuristic, Activation::Tanh}}, 20, 256, 256));
        const auto& layers = r.combinations.at(0).layers;
        QVERIFY(layers.back().actStd < 1e-3 * layers.front().actStd);
        QVERIFY(layers.back().actStd > 0); // small, not zero
    }

    void zerosGiveExactZeros()
    {
        const DeepResult r = run(config({{InitScheme::Zeros, Activation::Tanh}}, 6, 32, 64));
        for (const LayerStats& s : r.combinations.at(0).layers) {
            QCOMPARE(s.actStd, 0.0);
            QCOMPARE(s.actMean, 0.0);
            QCOMPARE(s.gradStd, 0.0);
            QCOMPARE(s.gradMean, 0.0);
            QCOMPARE(s.theoryStd, 0.0);
        }
        // The last layer's pre-activation gradient is softmax - onehot: never zero.
        QVERIFY(r.combinations.at(0).layers.back().preGradStd > 0);
    }

    void chunkedEqualsUnchunked_data()
    {
        QTest::addColumn<int>("activation");
        for (Activation a : allActivations())
            QTest::newRow(std::string(name(a)).c_str()) << int(a);
    }

    void chunkedEqualsUnchunked()
    {
        QFETCH(int, activation);
        DeepConfig whole = config({{InitScheme::XavierUniform, Activation(activation)}}, 5, 48, 250);
        DeepConfig chunked = whole;
        chunked.chunkSize = 64; // four chunks, the last one short
        QCOMPARE(effectiveChunkSize(whole), 250);
        QCOMPARE(effectiveChunkSize(chunked), 64);
        const DeepResult a = run(whole);
        const DeepResult b = run(chunked);
        const auto& la = a.combinations.at(0).layers;
        const auto& lb = b.combinations.at(0).layers;
        for (std::size_t i = 0; i < la.size(); ++i) {
            INITLAB_COMPARE_REL(lb[i].actStd, la[i].actStd, 1e-5);
            INITLAB_COMPARE_REL(lb[i].gradStd, la[i].gradStd, 1e-4);
            INITLAB_COMPARE_REL(lb[i].preGradStd, la[i].preGradStd, 1e-5);
            QVERIFY(std::abs(lb[i].actMean - la[i].actMean) <= 1e-5 * la[i].actStd + 1e-12);
            QVERIFY(std::abs(lb[i].gradMean - la[i].gradMean) <= 1e-4 * la[i].gradStd + 1e-15);
        }
    }

    void seededRunsRepeat()
    {
        const DeepConfig c = config({{InitScheme::XavierNormal, Activation::Selu}}, 4, 32, 64);
        const DeepResult a = run(c);
        const DeepResult b = run(c);
        DeepConfig other = c;
        other.seed = 6;
        const DeepResult d = run(other);
        for (std::size_t i = 0; i < 4; ++i) {
            QCOMPARE(a.combinations[0].layers[i].actStd, b.combinations[0].layers[i].actStd);
            QCOMPARE(a.combinations[0].layers[i].gradStd, b.combinations[0].layers[i].gradStd);
        }
        QVERIFY(a.combinations[0].layers[0].actStd != d.combinations[0].layers[0].actStd);
    }

    void combinationsDoNotDependOnOrder()
    {
        const Combination x{InitScheme::XavierUniform, Activation::Tanh};
        const Combination y{InitScheme::KaimingUniform, Activation::Relu};
        const DeepResult a = run(config({x, y}, 3, 32, 64));
        const DeepResult b = run(config({y, x}, 3, 32, 64));
        QCOMPARE(a.combinations[0].layers[2].gradStd, b.combinations[1].layers[2].gradStd);
    }

    void streamsLayerByLayer()
    {
        RecordingSink sink;
        const DeepResult r = run(config({{InitScheme::XavierUniform, Activation::Tanh},
                                         {InitScheme::KaimingNormal, Activation::Relu}},
                                        4, 16, 32),
                                 &sink);
        QCOMPARE(sink.forward.size(), std::size_t(8));
        QCOMPARE(sink.backward.size(), std::size_t(8));
        QCOMPARE(sink.forward[0].layer, 1);
        QCOMPARE(sink.forward[3].layer, 4);
        QCOMPARE(sink.backward[0].layer, 4); // the backward pass runs from the last layer down
        QCOMPARE(sink.backward[3].layer, 1);
        QCOMPARE(sink.forward[4].combination, 1);
        QCOMPARE(sink.finished, (std::vector<int>{0, 1}));
        QVERIFY(sink.progressMonotonic);
        INITLAB_COMPARE_REL(sink.lastProgress, 1.0, 1e-12);
        QCOMPARE(sink.backward[0].gradStd, r.combinations[0].layers[3].gradStd);
    }

    void softmaxGradientSumsToZero()
    {
        // With a linear last layer, dL/dlogits = (softmax - onehot) / batch sums to zero over the
        // classes of each sample, so the last weight gradient's mean is zero: checks the
        // hand-written backward pass against a property of cross-entropy.
        const DeepResult r = run(config({{InitScheme::XavierNormal, Activation::Linear}}, 3, 40, 100));
        const LayerStats& last = r.combinations.at(0).layers.back();
        QVERIFY(last.gradStd > 0);
        QVERIFY2(std::abs(last.gradMean) < 1e-6 * last.gradStd, qPrintable(QString::number(last.gradMean)));
    }

    void theoryFollowsXavierTanh()
    {
        const DeepResult r = run(config({{InitScheme::XavierUniform, Activation::Tanh}}, 20, 512, 600));
        for (const LayerStats& s : r.combinations.at(0).layers)
            INITLAB_COMPARE_REL(s.actStd, s.theoryStd, 0.10);
    }

    void theoryFollowsKaimingReluEarly()
    {
        // ReLU nets drift from the infinite-width prediction with depth: compare the first layers only.
        const DeepResult r = run(config({{InitScheme::KaimingNormal, Activation::Relu}}, 3, 512, 600));
        for (const LayerStats& s : r.combinations.at(0).layers)
            INITLAB_COMPARE_REL(s.actStd, s.theoryStd, 0.10);
    }

    void cancelStopsWithinOneLayer()
    {
        struct CancellingSink : DeepSink {
            CancelFlag* flag = nullptr;
            int forwardCalls = 0;
            void onForwardLayer(const ForwardLayerStats& s) override
            {
                ++forwardCalls;
                if (s.layer == 3)
                    flag->store(true);
            }
        } sink;
        CancelFlag cancel{false};
        sink.flag = &cancel;
        const DeepResult r = runDeepPropagation(config({{InitScheme::XavierUniform, Activation::Tanh}}, 30, 32, 64),
                                                &sink, cancel);
        QVERIFY(r.cancelled);
        QVERIFY(r.combinations.empty());
        QVERIFY2(sink.forwardCalls <= 4, qPrintable(QString::number(sink.forwardCalls)));
    }

    void invalidConfigsAreRefused_data()
    {
        QTest::addColumn<int>("depth");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("batch");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("depth 0") << 0 << 8 << 8 << QStringLiteral("depth");
        QTest::newRow("width -3") << 3 << -3 << 8 << QStringLiteral("width");
        QTest::newRow("batch 0") << 3 << 8 << 0 << QStringLiteral("batch");
        QTest::newRow("huge") << 10000 << 16384 << 8 << QStringLiteral("too large");
    }

    void invalidConfigsAreRefused()
    {
        QFETCH(int, depth);
        QFETCH(int, width);
        QFETCH(int, batch);
        QFETCH(QString, mentions);
        const DeepResult r = run(config({{InitScheme::Heuristic, Activation::Tanh}}, depth, width, batch));
        QVERIFY2(QString::fromStdString(r.error).contains(mentions), r.error.c_str());
        QVERIFY(r.combinations.empty());
        QVERIFY(!validate(config({}, 3, 8, 8)).empty());
    }

    void flopCount()
    {
        // 50 layers: 50 forward GEMMs, 50 weight-gradient GEMMs, 49 input-gradient GEMMs.
        QCOMPARE(deepGemmFlops(50, 512, 10000), 149 * 2.0 * 10000 * 512 * 512);
    }

    void defaultChunkFitsTheBudget()
    {
        DeepConfig c = config({{InitScheme::Heuristic, Activation::Tanh}}, 50, 512, 10000);
        QCOMPARE(effectiveChunkSize(c), 10000); // the report's run fits in one chunk
        c.batch = 100000;
        const int chunk = effectiveChunkSize(c);
        QVERIFY(chunk < 100000);
        QVERIFY((c.depth + 4.0) * c.width * 4.0 * chunk <= DeepConfig::kMemoryBudgetBytes);
    }
};

QTEST_APPLESS_MAIN(TestDeepPropagation)
#include "tst_deeppropagation.moc"

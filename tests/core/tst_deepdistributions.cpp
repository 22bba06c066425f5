// What the deep run measures beyond mean and std: per-layer histograms of the activations and of the
// pre-activation gradients, the saturated and zero fractions, their CSV, and the click's preview.
// The kernel's numbers are checked against LibTorch computing the same thing directly.

#include "initlab/csv.h"
#include "initlab/deeppropagation.h"
#include "initlab/runrecord.h"
#include "deeptestrun.h"
#include "layervalues.h"

#include <ATen/ATen.h>
#include <QTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>

using namespace initlab;

namespace {

DeepConfig config(std::vector<Combination> combinations, int depth, int width, int batch)
{
    DeepConfig c = test::smallDeepConfig(std::move(combinations), depth, width, batch, 11);
    c.histograms = true;
    return c;
}

DeepResult run(const DeepConfig& c)
{
    return test::runToTheEnd(c);
}

std::vector<Combination> everyActivation(InitScheme init)
{
    std::vector<Combination> out;
    for (const Activation a : allActivations())
        out.push_back({init, a});
    return out;
}

// The share of values the saturation rule of the activation marks, computed with LibTorch from the
// derivative itself.
double saturatedShareDirect(const at::Tensor& a, Activation activation)
{
    at::Tensor derivative;
    double max = 1.0;
    switch (activation) {
    case Activation::Tanh:
        derivative = 1 - a.to(at::kDouble).pow(2);
        break;
    case Activation::Sigmoid:
        derivative = a.to(at::kDouble) * (1 - a.to(at::kDouble));
        max = 0.25;
        break;
    case Activation::Relu:
        derivative = (a > 0).to(at::kDouble);
        break;
    default:
        return -1.0;
    }
    return (derivative < kSaturationShare * max).to(at::kDouble).mean().item<double>();
}

// Counts of values into [low, high) split in `bins` equal bins, done the slow and obvious way.
std::vector<std::int64_t> binDirect(const at::Tensor& values, double low, double high, int bins)
{
    std::vector<std::int64_t> counts(bins, 0);
    const at::Tensor v = values.contiguous();
    const float* data = v.data_ptr<float>();
    for (std::int64_t i = 0; i < v.numel(); ++i) {
        const double x = data[i];
        if (!(x >= low && x <= high))
            continue;
        int b = static_cast<int>(std::floor((x - low) / (high - low) * bins));
        counts[std::min(b, bins - 1)] += 1;
    }
    return counts;
}

} // namespace

class TestDeepDistributions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void histogramsCountEveryValueOfEveryLayer()
    {
        const int depth = 6, width = 24, batch = 150;
        const DeepResult r = run(config(everyActivation(InitScheme::XavierNormal), depth, width, batch));
        QVERIFY2(r.error.empty(), r.error.c_str());
        QCOMPARE(r.combinations.size(), allActivations().size());
        for (const CombinationResult& c : r.combinations) {
            QCOMPARE(int(c.layers.size()), depth);
            for (const LayerStats& s : c.layers) {
                QCOMPARE(int(s.actHistogram.counts.size()), kHistogramBins);
                QCOMPARE(int(s.preGradHistogram.counts.size()), kHistogramBins);
                QCOMPARE(s.actHistogram.total(), std::int64_t(batch) * width);
                QCOMPARE(s.preGradHistogram.total(), std::int64_t(batch) * width);
                QVERIFY(s.actHistogram.low < s.actHistogram.high);
                QVERIFY(s.saturatedFrac >= 0.0 && s.saturatedFrac <= 1.0);
                QVERIFY(s.zeroFrac >= 0.0 && s.zeroFrac <= 1.0);
            }
            QVERIFY(c.histogramSeconds >= 0.0 && c.histogramSeconds <= c.seconds);
        }
    }

    void boundedActivationsUseTheirRangeAndOthersFollowTheSpread()
    {
        const DeepResult r = run(config(everyActivation(InitScheme::XavierUniform), 4, 32, 200));
        QVERIFY(r.error.empty());
        for (const CombinationResult& c : r.combinations) {
            for (const LayerStats& s : c.layers) {
                const Histogram& h = s.actHistogram;
                switch (c.combination.activation) {
                case Activation::Tanh:
                    QCOMPARE(h.low, -1.0);
                    QCOMPARE(h.high, 1.0);
                    break;
                case Activation::Sigmoid:
                    QCOMPARE(h.low, 0.0);
                    QCOMPARE(h.high, 1.0);
                    break;
                default: {
                    // Symmetric, reaching 4 rms (or every value, when they all lie closer), and not
                    // much more than 4 rms.
                    QCOMPARE(h.low, -h.high);
                    const double rms = std::sqrt(s.actStd * s.actStd + s.actMean * s.actMean);
                    QVERIFY2(h.high >= 4.0 * rms * 0.999 || (h.above == 0 && h.below == 0),
                             (std::to_string(h.high) + " vs rms " + std::to_string(rms)).c_str());
                    QVERIFY(h.high <= 2.0 * 4.0 * rms + 1e-12);
                    break;
                }
                }
                const Histogram& g = s.preGradHistogram;
                QCOMPARE(g.low, -g.high);
                QVERIFY(g.high > 0.0);
            }
        }
    }

    void chunkedRunsGiveTheSameHistograms()
    {
        DeepConfig whole = config({{InitScheme::KaimingNormal, Activation::Relu}, {InitScheme::Heuristic, Activation::Tanh},
                                   {InitScheme::XavierNormal, Activation::Selu}},
                                  5, 32, 301);
        DeepConfig chunked = whole;
        chunked.chunkSize = 64; // 5 chunks, the last one short
        const DeepResult a = run(whole);
        const DeepResult b = run(chunked);
        QVERIFY(a.error.empty() && b.error.empty());
        for (std::size_t c = 0; c < a.combinations.size(); ++c)
            for (std::size_t l = 0; l < a.combinations[c].layers.size(); ++l) {
                const LayerStats& x = a.combinations[c].layers[l];
                const LayerStats& y = b.combinations[c].layers[l];
                QCOMPARE(y.actHistogram.counts, x.actHistogram.counts);
                QCOMPARE(y.actHistogram.low, x.actHistogram.low);
                QCOMPARE(y.preGradHistogram.counts, x.preGradHistogram.counts);
                QCOMPARE(y.preGradHistogram.high, x.preGradHistogram.high);
                QCOMPARE(y.saturatedFrac, x.saturatedFrac);
                QCOMPARE(y.zeroFrac, x.zeroFrac);
            }
    }

    void histogramsDoNotChangeTheOtherStatistics()
    {
        DeepConfig with = config({{InitScheme::XavierUniform, Activation::Tanh}}, 5, 32, 128);
        DeepConfig without = with;
        without.histograms = false;
        const DeepResult a = run(with);
        const DeepResult b = run(without);
        for (std::size_t l = 0; l < a.combinations[0].layers.size(); ++l) {
            const LayerStats& x = a.combinations[0].layers[l];
            const LayerStats& y = b.combinations[0].layers[l];
            QCOMPARE(y.actStd, x.actStd);
            QCOMPARE(y.gradStd, x.gradStd);
            QCOMPARE(y.saturatedFrac, x.saturatedFrac);
            QCOMPARE(y.zeroFrac, x.zeroFrac);
            QVERIFY(y.actHistogram.empty() && y.preGradHistogram.empty());
        }
        QCOMPARE(b.combinations[0].histogramSeconds, 0.0);
    }

    // The kernel against LibTorch on the same activations: fractions, moments and bins.
    void fractionsAndBinsAgreeWithADirectComputation_data()
    {
        QTest::addColumn<int>("activation");
        QTest::addColumn<double>("scale");
        QTest::newRow("tanh, saturating") << int(Activation::Tanh) << 3.0;
        QTest::newRow("tanh, linear regime") << int(Activation::Tanh) << 0.3;
        QTest::newRow("sigmoid") << int(Activation::Sigmoid) << 4.0;
        QTest::newRow("relu") << int(Activation::Relu) << 1.0;
    }
    void fractionsAndBinsAgreeWithADirectComputation()
    {
        QFETCH(int, activation);
        QFETCH(double, scale);
        const Activation act = static_cast<Activation>(activation);
        at::Generator gen = at::detail::createCPUGenerator(3);
        at::Tensor a = at::empty({40000}, at::kFloat).normal_(0.0, scale, gen);
        if (act == Activation::Tanh)
            a.tanh_();
        else if (act == Activation::Sigmoid)
            a.sigmoid_();
        else
            a.relu_();
        Moments moments;
        const ChunkCounts counts = scanValues(a.data_ptr<float>(), a.numel(), SaturationTest::forActivation(act), moments);
        const double n = double(a.numel());
        QCOMPARE(moments.count, n);
        QVERIFY(std::abs(moments.mean - a.to(at::kDouble).mean().item<double>()) < 1e-12);
        QVERIFY(std::abs(moments.std() - a.to(at::kDouble).std().item<double>()) < 1e-12);
        QCOMPARE(double(counts.saturated) / n, saturatedShareDirect(a, act));
        QCOMPARE(double(counts.zeros) / n, (a == 0).to(at::kDouble).mean().item<double>());
        QCOMPARE(counts.maxAbs, a.abs().max().item<float>());
        if (act == Activation::Relu)
            QCOMPARE(counts.saturated, counts.zeros);

        HistogramAccumulator h = HistogramAccumulator::forActivation(act);
        Moments unused;
        const SaturationTest sat = SaturationTest::forActivation(act);
        const std::int64_t first = a.numel() / 2;
        // In two parts, as chunks arrive.
        h.add(a.data_ptr<float>(), first, scanValues(a.data_ptr<float>(), first, sat, unused));
        h.add(a.data_ptr<float>() + first, a.numel() - first,
              scanValues(a.data_ptr<float>() + first, a.numel() - first, sat, unused));
        const Histogram hist = h.finish(moments.rms());
        QCOMPARE(hist.total(), a.numel());
        QCOMPARE(hist.counts, binDirect(a, hist.low, hist.high, kHistogramBins));
        if (act == Activation::Relu) {
            QCOMPARE(hist.low, -hist.high);
            // Nothing negative; the zeros sit in the bin starting at 0.
            for (int b = 0; b < kHistogramBins / 2; ++b)
                QCOMPARE(hist.counts[b], std::int64_t(0));
            QVERIFY(hist.counts[kHistogramBins / 2] >= counts.zeros);
            const double rms = moments.rms();
            QVERIFY(hist.high >= 4 * rms && hist.high < 4 * rms * 1.1);
            QCOMPARE(hist.above, (a >= hist.high).sum().item<std::int64_t>());
        }
    }

    void boundedRangesTakeTheirEndsAndCountNaNApart()
    {
        // Saturated tanh units are exactly +-1 in float: -1 opens the first bin, +1 closes the last.
        // A tiny negative value belongs below 0, however close.
        std::vector<float> values{-1.0f, -1.0f, 1.0f, 1.0f, 1.0f, 0.0f, -0.5f,
                                  std::numeric_limits<float>::quiet_NaN(), -1e-30f};
        Moments moments;
        const ChunkCounts counts =
            scanValues(values.data(), std::int64_t(values.size()), SaturationTest::forActivation(Activation::Tanh), moments);
        QCOMPARE(counts.nans, std::int64_t(1));
        QCOMPARE(counts.saturated, std::int64_t(5));
        HistogramAccumulator h = HistogramAccumulator::forActivation(Activation::Tanh);
        h.add(values.data(), std::int64_t(values.size()), counts);
        const Histogram hist = h.finish(moments.rms());
        QCOMPARE(hist.counts.front(), std::int64_t(2));
        QCOMPARE(hist.counts.back(), std::int64_t(3));
        QCOMPARE(hist.counts[32], std::int64_t(1)); // [0, 1/32)
        QCOMPARE(hist.counts[16], std::int64_t(1)); // [-0.5, -0.46875)
        QCOMPARE(hist.counts[31], std::int64_t(1)); // [-1/32, 0)
        QCOMPARE(hist.nan, std::int64_t(1));
        QCOMPARE(hist.below + hist.above, std::int64_t(0));
        QCOMPARE(hist.total(), std::int64_t(values.size()));
    }

    void theVectorScanGivesThePlainLoopsBits()
    {
        // Every length from 1 to 67 (tails of every size) and a long one; zeros, NaN, inf, negative
        // values; every saturation rule.
        at::Generator gen = at::detail::createCPUGenerator(5);
        at::Tensor values = at::empty({70000}, at::kFloat).normal_(0.3, 2.0, gen);
        values.narrow(0, 100, 300).zero_();
        values[7] = std::numeric_limits<float>::quiet_NaN();
        values[13] = std::numeric_limits<float>::infinity();
        values[21] = -std::numeric_limits<float>::infinity();
        const float* data = values.data_ptr<float>();
        for (const Activation act : allActivations()) {
            const SaturationTest test = SaturationTest::forActivation(act);
            for (const std::int64_t n : {1, 2, 3, 5, 17, 42, 67, 69967}) {
                for (const std::int64_t offset : {std::int64_t(0), std::int64_t(30)}) {
                    Moments fast, plain;
                    const ChunkCounts a = scanValues(data + offset, n, test, fast);
                    const ChunkCounts b = scanValues(data + offset, n, test, plain, /*portable=*/true);
                    QCOMPARE(a.nans, b.nans);
                    QCOMPARE(a.zeros, b.zeros);
                    QCOMPARE(a.saturated, b.saturated);
                    QCOMPARE(a.maxAbs, b.maxAbs);
                    // Bit for bit, but for the sign of a NaN, which depends on the order of an add's
                    // operands (a compiler may swap them).
                    const auto sameBits = [](double x, double y) {
                        return (std::isnan(x) && std::isnan(y)) || std::memcmp(&x, &y, sizeof x) == 0;
                    };
                    QVERIFY(sameBits(fast.count, plain.count));
                    QVERIFY(sameBits(fast.mean, plain.mean));
                    QVERIFY(sameBits(fast.m2, plain.m2));
                    if (offset == 0 && n > 7) // the NaN at index 7 is among the values
                        QVERIFY(std::isnan(fast.mean));
                }
            }
        }
    }

    void theFineGridGrowsExactlyAndCountsWhatIsNotFinite()
    {
        // A first part of small values, then a part 1000 times larger: the grid must grow, and the
        // result must be what one part of everything gives.
        at::Generator gen = at::detail::createCPUGenerator(9);
        at::Tensor small = at::empty({5000}, at::kFloat).normal_(0.0, 0.01, gen);
        at::Tensor large = at::empty({5000}, at::kFloat).normal_(0.0, 10.0, gen);
        at::Tensor all = at::cat({small, large});
        all[17] = std::numeric_limits<float>::quiet_NaN();
        all[18] = std::numeric_limits<float>::infinity();
        all[5019] = -std::numeric_limits<float>::infinity();
        const SaturationTest never{};
        Moments m1, mAll;
        HistogramAccumulator parts = HistogramAccumulator::adaptive();
        const ChunkCounts c1 = scanValues(all.data_ptr<float>(), 5000, never, m1);
        parts.add(all.data_ptr<float>(), 5000, c1);
        const ChunkCounts c2 = scanValues(all.data_ptr<float>() + 5000, 5000, never, m1);
        parts.add(all.data_ptr<float>() + 5000, 5000, c2);
        HistogramAccumulator whole = HistogramAccumulator::adaptive();
        const ChunkCounts c = scanValues(all.data_ptr<float>(), all.numel(), never, mAll);
        QCOMPARE(c.maxAbs, std::max(c1.maxAbs, c2.maxAbs));
        whole.add(all.data_ptr<float>(), all.numel(), c);
        QCOMPARE(c.nans, std::int64_t(1));
        const double rms = 7.0; // any finite spread: both cut the same range
        const Histogram a = parts.finish(rms);
        const Histogram b = whole.finish(rms);
        QCOMPARE(a.counts, b.counts);
        QCOMPARE(a.low, b.low);
        QCOMPARE(a.nan, std::int64_t(1));
        QCOMPARE(b.nan, std::int64_t(1));
        QCOMPARE(a.total(), all.numel());
        QVERIFY(a.above >= 1 && a.below >= 1);
        QCOMPARE(a.counts, binDirect(all, a.low, a.high, kHistogramBins));
    }

    void csvWritesAndReadsTheHistograms()
    {
        const DeepResult r = run(config({{InitScheme::KaimingUniform, Activation::Relu},
                                         {InitScheme::Heuristic, Activation::Tanh}},
                                        3, 16, 64));
        const std::string deep = deepCsv(r);
        QVERIFY(deep.rfind("init,activation,layer,act_mean,act_std,grad_mean,grad_std,pre_grad_std,theory_std,"
                           "saturated_frac,zero_frac\n",
                           0)
                == 0);
        const std::string hist = deepHistogramCsv(r);
        std::istringstream lines(hist);
        std::string line;
        std::getline(lines, line);
        QCOMPARE(line, std::string("init,activation,layer,quantity,bin_low,bin_high,count"));
        int rows = 0;
        while (std::getline(lines, line))
            ++rows;
        QCOMPARE(rows, 2 * 3 * 2 * (kHistogramBins + 3));
        QVERIFY(hist.find("\nkaiming_uniform,relu,1,act,-inf,") != std::string::npos);
        QVERIFY(hist.find(",nan,nan,0\n") != std::string::npos);

        DeepResult back;
        std::string error;
        QVERIFY2(parseDeepCsv(deep, back, error), error.c_str());
        QVERIFY2(parseDeepHistogramCsv(hist, back, error), error.c_str());
        for (std::size_t c = 0; c < r.combinations.size(); ++c)
            for (std::size_t l = 0; l < r.combinations[c].layers.size(); ++l) {
                const LayerStats& x = r.combinations[c].layers[l];
                const LayerStats& y = back.combinations[c].layers[l];
                QCOMPARE(y.saturatedFrac, x.saturatedFrac);
                QCOMPARE(y.zeroFrac, x.zeroFrac);
                QCOMPARE(y.actHistogram.counts, x.actHistogram.counts);
                QCOMPARE(y.actHistogram.total(), x.actHistogram.total());
                QCOMPARE(y.preGradHistogram.counts, x.preGradHistogram.counts);
                QVERIFY(std::abs(y.preGradHistogram.high - x.preGradHistogram.high)
                        <= 1e-12 * x.preGradHistogram.high);
            }
    }

    void badHistogramCsvIsRefusedWithTheLine_data()
    {
        QTest::addColumn<int>("column"); // -1: cut the last two lines
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("negative count") << 6 << QByteArray("-5") << QByteArray("cannot be negative");
        QTest::newRow("unknown quantity") << 3 << QByteArray("grad") << QByteArray("quantity must be act or pre_grad");
        QTest::newRow("layer not in deep.csv") << 2 << QByteArray("9") << QByteArray("is not in deep.csv");
        QTest::newRow("bad number") << 4 << QByteArray("zero") << QByteArray("is not a valid bin_low");
        QTest::newRow("truncated") << -1 << QByteArray() << QByteArray("lacks its closing rows");
    }
    void badHistogramCsvIsRefusedWithTheLine()
    {
        QFETCH(int, column);
        QFETCH(QByteArray, value);
        QFETCH(QByteArray, message);
        const DeepResult r = run(config({{InitScheme::XavierUniform, Activation::Tanh}}, 2, 8, 32));
        DeepResult back;
        std::string error;
        QVERIFY(parseDeepCsv(deepCsv(r), back, error));
        std::vector<std::string> lines;
        std::istringstream in(deepHistogramCsv(r));
        for (std::string line; std::getline(in, line);)
            lines.push_back(line);
        if (column < 0) {
            lines.resize(lines.size() - 2);
        } else {
            std::vector<std::string> fields;
            std::istringstream row(lines[5]);
            for (std::string field; std::getline(row, field, ',');)
                fields.push_back(field);
            fields[std::size_t(column)] = value.toStdString();
            lines[5].clear();
            for (std::size_t i = 0; i < fields.size(); ++i)
                lines[5] += (i ? "," : "") + fields[i];
        }
        std::string text;
        for (const std::string& line : lines)
            text += line + '\n';
        QVERIFY(!parseDeepHistogramCsv(text, back, error));
        QVERIFY2(error.find(message.toStdString()) != std::string::npos, error.c_str());
        QVERIFY2(error.rfind("deep_hist.csv: line ", 0) == 0, error.c_str());
        QVERIFY(back.combinations[0].layers[0].actHistogram.empty()); // unchanged on error
    }

    void previewAgreesWithTheFullBatchWithinSamplingNoise()
    {
        DeepConfig full = config({{InitScheme::XavierUniform, Activation::Tanh}, {InitScheme::KaimingNormal, Activation::Relu}},
                                 10, 64, 4000);
        const DeepConfig preview = previewConfig(full);
        QCOMPARE(preview.batch, kPreviewBatch);
        QVERIFY(preview.histograms);
        QCOMPARE(preview.depth, full.depth);
        const DeepResult a = run(full);
        const DeepResult b = run(preview);
        QVERIFY(a.error.empty() && b.error.empty());
        for (std::size_t c = 0; c < 2; ++c)
            for (int l = 0; l < full.depth; ++l) {
                // 500 x 64 values: the std of a std estimate is well under 2 %; allow 6 %.
                const double x = a.combinations[c].layers[l].actStd;
                const double y = b.combinations[c].layers[l].actStd;
                QVERIFY2(std::abs(y / x - 1.0) < 0.06,
                         ("layer " + std::to_string(l + 1) + ": " + std::to_string(y) + " vs " + std::to_string(x)).c_str());
                const double gx = a.combinations[c].layers[l].preGradStd * full.batch; // the loss is a mean
                const double gy = b.combinations[c].layers[l].preGradStd * preview.batch;
                QVERIFY2(std::abs(gy / gx - 1.0) < 0.1, ("layer " + std::to_string(l + 1) + " pre-grad: " + std::to_string(gy)
                                                          + " vs " + std::to_string(gx)).c_str());
                QVERIFY(std::abs(b.combinations[c].layers[l].zeroFrac - a.combinations[c].layers[l].zeroFrac) < 0.03);
            }
    }

    void largeSigmaTanhSaturatesAndXavierReluVanishes()
    {
        // Two pictures the tab's density map is for, at a small size: a large normal sigma pins tanh
        // units at +-1 (sigma^2 n far above 1), and Xavier's weights halve a ReLU signal's variance at
        // every layer while about half of the units are exactly zero.
        DeepConfig c = config({{InitScheme::Normal, Activation::Tanh}, {InitScheme::XavierNormal, Activation::Relu}}, 20,
                              128, 256);
        c.normalStd = 0.3; // sigma^2 n = 11.5: far above tanh's critical point
        const DeepResult r = run(c);
        QVERIFY(r.error.empty());
        const LayerStats& tanhLast = r.combinations[0].layers.back();
        QVERIFY2(tanhLast.saturatedFrac > 0.3, std::to_string(tanhLast.saturatedFrac).c_str());
        QCOMPARE(tanhLast.zeroFrac, 0.0);
        const LayerStats& reluLast = r.combinations[1].layers.back();
        const LayerStats& reluFirst = r.combinations[1].layers.front();
        QVERIFY(reluLast.zeroFrac > 0.3 && reluLast.zeroFrac < 0.7);
        QCOMPARE(reluLast.saturatedFrac, reluLast.zeroFrac);
        QVERIFY(reluLast.actStd < 0.1 * reluFirst.actStd); // Xavier halves the variance per ReLU layer
    }
};

QTEST_GUILESS_MAIN(TestDeepDistributions)
#include "tst_deepdistributions.moc"

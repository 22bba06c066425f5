// The deep run in bfloat16: its fused element-wise passes (the activation with its scan, the
// derivative with the scan of dL/dh), which must give the functions to float accuracy and the same
// bits on AVX2 as in the plain loop; the bf16 run against the float32 run; and the table of their
// largest differences.

#include "initlab/deepprecision.h"
#include "initlab/deeppropagation.h"
#include "bf16pass.h"
#include "bf16pass_kernels.h"
#include "deeptestrun.h"
#include "layervalues.h"

#include <QTest>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace initlab;

namespace {

double exactActivation(double x, Activation activation)
{
    constexpr double scale = 1.0507009873554804934193349852946;
    constexpr double alpha = 1.6732632423543772848170429916717;
    switch (activation) {
    case Activation::Tanh:
        return std::tanh(x);
    case Activation::Sigmoid:
        return 1.0 / (1.0 + std::exp(-x));
    case Activation::Relu:
        return x > 0 ? x : 0.0;
    case Activation::LeakyRelu:
        return x > 0 ? x : x * kLeakyReluSlope;
    case Activation::Linear:
        return x;
    case Activation::Selu:
        return x > 0 ? scale * x : scale * alpha * std::expm1(x);
    }
    return x;
}

double exactDerivative(double g, double a, Activation activation)
{
    constexpr double scale = 1.0507009873554804934193349852946;
    constexpr double alpha = 1.6732632423543772848170429916717;
    switch (activation) {
    case Activation::Tanh:
        return g * (1 - a * a);
    case Activation::Sigmoid:
        return g * a * (1 - a);
    case Activation::Relu:
        return a > 0 ? g : 0.0;
    case Activation::LeakyRelu:
        return a > 0 ? g : g * kLeakyReluSlope;
    case Activation::Linear:
        return g;
    case Activation::Selu:
        return a > 0 ? g * scale : g * (a + scale * alpha);
    }
    return g;
}

// Random bfloat16 values of spread sigma, with NaN, both infinities and both zeros among them.
std::vector<std::uint16_t> randomBf16(std::size_t n, double sigma, unsigned seed, bool specials = true)
{
    std::mt19937 engine(seed);
    std::normal_distribution<float> normal(0.0f, float(sigma));
    std::vector<std::uint16_t> v(n);
    for (std::uint16_t& x : v)
        x = bf16pass::narrow(normal(engine));
    if (specials && n > 40) {
        v[3] = bf16pass::narrow(std::numeric_limits<float>::quiet_NaN());
        v[10] = bf16pass::narrow(std::numeric_limits<float>::infinity());
        v[17] = bf16pass::narrow(-std::numeric_limits<float>::infinity());
        v[24] = bf16pass::narrow(0.0f);
        v[31] = bf16pass::narrow(-0.0f);
    }
    return v;
}

bool sameBits(const std::vector<std::uint16_t>& a, const std::vector<std::uint16_t>& b)
{
    return a == b;
}

} // namespace

class TestDeepBf16 : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void activationsToFloatAccuracy();
    void derivativesToFloatAccuracy();
    void nanAndInfinities();
    void fusedForwardPass();
    void fusedBackwardPass();
    void vectorAndPlainLoopsAgreeOnEveryTail();
    void bf16RunCloseToFloat32();
    void bf16RunSeesNaNWhereFloat32Does();
    void largestDifferences();
};

void TestDeepBf16::activationsToFloatAccuracy()
{
    std::vector<float> xs;
    for (double x = -30.0; x <= 30.0; x += 0.01)
        xs.push_back(float(x));
    for (double x = 1e-6; x < 0.2; x *= 1.05) { // near 0, where the series take over
        xs.push_back(float(x));
        xs.push_back(float(-x));
    }
    xs.push_back(0.0625f);
    xs.push_back(-0.0625f);
    for (const Activation a : allActivations()) {
        double worst = 0.0;
        for (const float x : xs) {
            const double exact = exactActivation(x, a);
            const double got = activationValue(x, a);
            const double error = std::fabs(got - exact) / std::max(std::fabs(exact), 1e-30);
            worst = std::max(worst, error);
        }
        // A bfloat16 rounding is up to 2^-9 = 2e-3: the float function is a thousand times finer.
        QVERIFY2(worst < 2e-6, qPrintable(QString::fromUtf8(name(a).data(), int(name(a).size())) + QStringLiteral(": relative error %1").arg(worst)));
    }
}

void TestDeepBf16::derivativesToFloatAccuracy()
{
    for (const Activation a : allActivations()) {
        double worst = 0.0;
        for (double g = -3.0; g <= 3.0; g += 0.37)
            for (double x = -6.0; x <= 6.0; x += 0.05) {
                const float out = activationValue(float(x), a);
                const double exact = exactDerivative(g, out, a);
                const double got = derivativeValue(float(g), out, a);
                worst = std::max(worst, std::fabs(got - exact) / std::max(std::fabs(exact), 1e-30));
            }
        // tanh's and the sigmoid's 1 - a cancels near saturation, in float32 LibTorch as here: still far
        // below a bfloat16 rounding.
        QVERIFY2(worst < 2e-4, qPrintable(QString::fromUtf8(name(a).data(), int(name(a).size())) + QStringLiteral(": relative error %1").arg(worst)));
    }
}

void TestDeepBf16::nanAndInfinities()
{
    const float inf = std::numeric_limits<float>::infinity();
    const float nan = std::numeric_limits<float>::quiet_NaN();
    for (const Activation a : allActivations())
        QVERIFY(std::isnan(activationValue(nan, a)));
    QCOMPARE(activationValue(inf, Activation::Tanh), 1.0f);
    QCOMPARE(activationValue(-inf, Activation::Tanh), -1.0f);
    QCOMPARE(activationValue(inf, Activation::Sigmoid), 1.0f);
    QVERIFY(activationValue(-inf, Activation::Sigmoid) < 1e-37f);
    QCOMPARE(activationValue(-inf, Activation::Relu), 0.0f);
    QCOMPARE(activationValue(inf, Activation::Relu), inf);
    QVERIFY(std::fabs(activationValue(-inf, Activation::Selu) + bf16pass::kSeluScaleAlpha) < 1e-6f);
    QCOMPARE(bf16pass::narrow(nan), std::uint16_t(0x7FC0));
    QCOMPARE(bf16pass::narrow(1.0f), std::uint16_t(0x3F80));
    QCOMPARE(bf16pass::narrow(-inf), std::uint16_t(0xFF80));
    // Ties go to even: 1 + 2^-8 lies halfway between 1 and 1 + 2^-7.
    QCOMPARE(bf16pass::narrow(1.0f + 1.0f / 256.0f), std::uint16_t(0x3F80));
    QCOMPARE(bf16pass::narrow(1.0f + 3.0f / 256.0f), std::uint16_t(0x3F82));
}

void TestDeepBf16::fusedForwardPass()
{
    for (const bool specials : {true, false})
    for (const Activation a : allActivations()) {
        const std::vector<std::uint16_t> input = randomBf16(70001, 2.0, 5, specials);
        std::vector<std::uint16_t> fused = input;
        Moments moments;
        const ChunkCounts counts = activateAndScanBf16(fused.data(), std::int64_t(fused.size()), a,
                                                       SaturationTest::forActivation(a), moments);
        // Every value is the plain function rounded once.
        for (std::size_t i = 0; i < input.size(); ++i) {
            const std::uint16_t expected = bf16pass::narrow(activationValue(bf16pass::widen(input[i]), a));
            if (fused[i] != expected)
                QFAIL(qPrintable(QStringLiteral("value %1 of %2 differs").arg(i).arg(QString::fromUtf8(name(a).data(), int(name(a).size())))));
        }
        // The moments and counts are those of the written values.
        Moments direct;
        const ChunkCounts expected = scanValues(fused.data(), std::int64_t(fused.size()), SaturationTest::forActivation(a), direct);
        QCOMPARE(counts.nans, expected.nans);
        QCOMPARE(counts.zeros, expected.zeros);
        QCOMPARE(counts.saturated, expected.saturated);
        QCOMPARE(counts.maxAbs, expected.maxAbs);
        QCOMPARE(moments.count, direct.count);
        QCOMPARE(counts.nans, std::int64_t(specials ? 1 : 0));
        if (specials) {
            QVERIFY(std::isnan(moments.mean));
            continue;
        }
        // Summed block by block rather than in one range: equal to rounding.
        QVERIFY(std::fabs(moments.mean - direct.mean) <= 1e-12 * std::max(1.0, std::fabs(direct.mean)));
        QVERIFY(std::fabs(moments.std() - direct.std()) <= 1e-12 * direct.std());
        QVERIFY(direct.std() > 0.0);
    }
}

void TestDeepBf16::fusedBackwardPass()
{
    for (const bool specials : {true, false})
    for (const Activation a : allActivations()) {
        std::vector<std::uint16_t> output = randomBf16(50003, 1.5, 7, specials);
        for (std::uint16_t& v : output) // outputs the activation can give
            v = bf16pass::narrow(activationValue(bf16pass::widen(v), a));
        const std::vector<std::uint16_t> gradIn = randomBf16(output.size(), 0.01, 8, specials);
        std::vector<std::uint16_t> grad = gradIn;
        Moments moments;
        const ChunkCounts counts =
            backwardAndScanBf16(grad.data(), output.data(), std::int64_t(grad.size()), a, moments);
        for (std::size_t i = 0; i < grad.size(); ++i) {
            const std::uint16_t expected = bf16pass::narrow(
                derivativeValue(bf16pass::widen(gradIn[i]), bf16pass::widen(output[i]), a));
            if (grad[i] != expected)
                QFAIL(qPrintable(QStringLiteral("gradient %1 of %2 differs").arg(i).arg(QString::fromUtf8(name(a).data(), int(name(a).size())))));
        }
        Moments direct;
        const ChunkCounts expected = scanValues(grad.data(), std::int64_t(grad.size()), SaturationTest{}, direct);
        QCOMPARE(counts.nans, expected.nans);
        QCOMPARE(counts.zeros, expected.zeros);
        if (!specials) {
            QVERIFY(direct.std() > 0.0);
            QVERIFY(std::fabs(moments.std() - direct.std()) <= 1e-12 * direct.std());
        }
    }
}

void TestDeepBf16::vectorAndPlainLoopsAgreeOnEveryTail()
{
    // Best is AVX-512 where the CPU has it; each path is compared with the plain loop.
    for (const Bf16Path path : {Bf16Path::Best, Bf16Path::Avx2})
    for (const Activation a : allActivations())
        for (std::size_t n = 1; n <= 70; ++n) {
            const std::vector<std::uint16_t> input = randomBf16(n, 3.0, unsigned(n));
            std::vector<std::uint16_t> vector = input, plain = input;
            Moments mv, mp;
            const SaturationTest saturation = SaturationTest::forActivation(a);
            const ChunkCounts cv = activateAndScanBf16(vector.data(), std::int64_t(n), a, saturation, mv, path);
            const ChunkCounts cp = activateAndScanBf16(plain.data(), std::int64_t(n), a, saturation, mp, Bf16Path::Plain);
            QVERIFY(sameBits(vector, plain));
            QCOMPARE(cv.saturated, cp.saturated);
            QCOMPARE(cv.zeros, cp.zeros);
            QCOMPARE(mv.count, mp.count);
            // The scan's vector sums and plain sums agree bit for bit where the values are finite.
            if (std::isfinite(mp.m2)) {
                QCOMPARE(mv.mean, mp.mean);
                QCOMPARE(mv.m2, mp.m2);
            }

            const std::vector<std::uint16_t> gradIn = randomBf16(n, 0.1, unsigned(n + 100));
            std::vector<std::uint16_t> gv = gradIn, gp = gradIn;
            Moments bv, bp;
            backwardAndScanBf16(gv.data(), vector.data(), std::int64_t(n), a, bv, path);
            backwardAndScanBf16(gp.data(), vector.data(), std::int64_t(n), a, bp, Bf16Path::Plain);
            QVERIFY(sameBits(gv, gp));
            if (std::isfinite(bp.m2))
                QCOMPARE(bv.m2, bp.m2);
        }
}

void TestDeepBf16::bf16RunCloseToFloat32()
{
    std::vector<Combination> combinations;
    for (const Activation a : allActivations())
        combinations.push_back({InitScheme::XavierNormal, a});
    DeepConfig c = test::smallDeepConfig(combinations, 6, 64, 400, 3);
    const DeepResult fp32 = test::runToTheEnd(c);
    c.bf16 = true;
    const DeepResult bf16 = test::runToTheEnd(c);
    QVERIFY(fp32.error.empty() && bf16.error.empty());
    QCOMPARE(bf16.combinations.size(), combinations.size());
    for (const StatisticDifference& d : initlab::largestDifferences(fp32, bf16)) {
        const QString what = QString::fromStdString(d.column) + QStringLiteral(": %1").arg(d.largest);
        QVERIFY2(std::isfinite(d.largest), qPrintable(what));
        if (d.column == "act_std" || d.column == "pre_grad_std")
            QVERIFY2(d.largest < 0.02, qPrintable(what)); // bf16 keeps 8 bits: about 0.4 % per rounding
        else if (d.column == "grad_std")
            QVERIFY2(d.largest < 0.05, qPrintable(what));
        else if (d.scale == StatisticDifference::Scale::Absolute)
            QVERIFY2(d.largest < 0.01, qPrintable(what));
        else
            QVERIFY2(d.largest < 0.05, qPrintable(what));
    }
    // A bf16 run gives the same numbers every time.
    const DeepResult again = test::runToTheEnd(c);
    for (const StatisticDifference& d : initlab::largestDifferences(bf16, again))
        QCOMPARE(d.largest, 0.0);
    // And it differs from float32 at all: the products really ran in bf16.
    double largestStd = 0.0;
    for (const StatisticDifference& d : initlab::largestDifferences(fp32, bf16))
        if (d.column == "act_std")
            largestStd = d.largest;
    QVERIFY(largestStd > 0.0);
}

void TestDeepBf16::bf16RunSeesNaNWhereFloat32Does()
{
    // Weights of std 1e30 overflow to infinity in the first products, and inf - inf gives NaN.
    DeepConfig c = test::smallDeepConfig({{InitScheme::Normal, Activation::Linear}}, 3, 32, 50, 1);
    c.normalStd = 1e30;
    const DeepResult fp32 = test::runToTheEnd(c);
    c.bf16 = true;
    const DeepResult bf16 = test::runToTheEnd(c);
    QVERIFY(bf16.error.empty());
    QCOMPARE(std::isnan(bf16.combinations[0].layers[2].actStd), std::isnan(fp32.combinations[0].layers[2].actStd));
    QVERIFY(std::isnan(bf16.combinations[0].layers[2].actStd) || std::isinf(bf16.combinations[0].layers[2].actStd));
}

void TestDeepBf16::largestDifferences()
{
    DeepResult a;
    for (int c = 0; c < 2; ++c) {
        CombinationResult r;
        r.combination = {InitScheme::XavierUniform, c == 0 ? Activation::Tanh : Activation::Relu};
        for (int l = 1; l <= 3; ++l) {
            LayerStats s;
            s.layer = l;
            s.actMean = 0.1 * l;
            s.actStd = 0.5 * l;
            s.gradMean = 1e-4;
            s.gradStd = 1e-3;
            s.preGradStd = 2e-3;
            s.saturatedFrac = 0.25;
            s.zeroFrac = 0.5;
            r.layers.push_back(s);
        }
        a.combinations.push_back(r);
    }
    DeepResult b = a;
    for (const StatisticDifference& d : initlab::largestDifferences(a, b))
        QCOMPARE(d.largest, 0.0);
    QCOMPARE(initlab::largestDifferences(a, b).size(), std::size_t(7));

    b.combinations[1].layers[2].actStd *= 1.01;             // 1 % relative
    b.combinations[0].layers[1].actMean += 0.5 * 2 * 0.02;  // 2 % of that layer's std (1.0)
    b.combinations[1].layers[0].zeroFrac = 0.503;           // 0.3 percentage points
    b.combinations[0].layers[0].preGradStd = std::numeric_limits<double>::quiet_NaN();
    for (const StatisticDifference& d : initlab::largestDifferences(a, b)) {
        if (d.column == "act_std") {
            QVERIFY(std::fabs(d.largest - 0.01) < 1e-12);
            QCOMPARE(d.combination, 1);
            QCOMPARE(d.layer, 3);
        } else if (d.column == "act_mean") {
            QVERIFY(std::fabs(d.largest - 0.02) < 1e-12);
            QCOMPARE(d.combination, 0);
            QCOMPARE(d.layer, 2);
        } else if (d.column == "zero_frac") {
            QVERIFY(std::fabs(d.largest - 0.003) < 1e-12);
            QCOMPARE(d.layer, 1);
        } else if (d.column == "pre_grad_std") {
            QVERIFY(std::isnan(d.largest)); // a NaN is the largest difference of all
        } else {
            QCOMPARE(d.largest, 0.0);
        }
    }
    // Runs of different combinations or depths are not compared.
    DeepResult shorter = a;
    shorter.combinations[0].layers.pop_back();
    QVERIFY(initlab::largestDifferences(a, shorter).empty());
    DeepResult other = a;
    other.combinations[0].combination.activation = Activation::Sigmoid;
    QVERIFY(initlab::largestDifferences(a, other).empty());
}

QTEST_GUILESS_MAIN(TestDeepBf16)
#include "tst_deepbf16.moc"

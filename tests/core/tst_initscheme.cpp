// Init schemes: each draws from the distribution its formula says, for several shapes, and the two
// classic mistakes of public solutions stay fixed.

#include "initlab/initscheme.h"
#include "tolerance.h"

#include <QTest>
#include <algorithm>
#include <cmath>
#include <numeric>

using namespace initlab;

Q_DECLARE_METATYPE(initlab::InitScheme)
Q_DECLARE_METATYPE(initlab::Activation)

namespace {
struct Summary {
    double mean = 0.0;
    double std = 0.0;
    double maxAbs = 0.0;
};

Summary summarize(const std::vector<float>& w)
{
    Summary s;
    double sum = 0.0;
    for (float x : w)
        sum += x;
    s.mean = sum / w.size();
    double m2 = 0.0;
    for (float x : w) {
        m2 += (x - s.mean) * (x - s.mean);
        s.maxAbs = std::max(s.maxAbs, double(std::abs(x)));
    }
    s.std = std::sqrt(m2 / (w.size() - 1));
    return s;
}
} // namespace

class TestInitScheme : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void namesRoundTrip()
    {
        QCOMPARE(allInitSchemes().size(), std::size_t(9));
        QCOMPARE(allActivations().size(), std::size_t(6));
        for (InitScheme s : allInitSchemes()) {
            QCOMPARE(parseInitScheme(name(s)), std::optional<InitScheme>(s));
            QVERIFY(!formula(s).empty());
        }
        for (Activation a : allActivations())
            QCOMPARE(parseActivation(name(a)), std::optional<Activation>(a));
        QVERIFY(!parseInitScheme("xavier").has_value());
        QVERIFY(!parseActivation("Tanh").has_value());
        QCOMPARE(name(InitScheme::KaimingNormal), std::string_view("kaiming_normal"));
        QCOMPARE(name(Activation::LeakyRelu), std::string_view("leaky_relu"));
    }

    void gains()
    {
        INITLAB_COMPARE_REL(recommendedGain(Activation::Relu), std::sqrt(2.0), 1e-12);
        INITLAB_COMPARE_REL(recommendedGain(Activation::Tanh), 5.0 / 3.0, 1e-12);
        INITLAB_COMPARE_REL(recommendedGain(Activation::Selu), 0.75, 1e-12);
        QCOMPARE(schemeGain({InitScheme::XavierUniform, Activation::Relu}), 1.0);
        INITLAB_COMPARE_REL(schemeGain({InitScheme::KaimingNormal, Activation::Relu}), std::sqrt(2.0), 1e-12);
    }

    void empiricalMatchesFormula_data()
    {
        QTest::addColumn<InitScheme>("scheme");
        QTest::addColumn<Activation>("activation");
        QTest::addColumn<int>("fanIn");
        QTest::addColumn<int>("fanOut");
        QTest::addColumn<double>("expectedStd");
        QTest::addColumn<double>("expectedBound"); // 0 for unbounded distributions

        const QList<QPair<int, int>> shapes{{512, 512}, {256, 1024}, {1024, 256}, {784, 800}};
        for (const auto& [in, out] : shapes) {
            const double n = in, m = out;
            const auto row = [&](const char* what, InitScheme s, Activation a, double std, double bound) {
                QTest::addRow("%s %dx%d", what, in, out) << s << a << in << out << std << bound;
            };
            row("heuristic", InitScheme::Heuristic, Activation::Tanh, 1 / std::sqrt(n) / std::sqrt(3.0),
                1 / std::sqrt(n));
            row("xavier_uniform", InitScheme::XavierUniform, Activation::Tanh,
                std::sqrt(6 / (n + m)) / std::sqrt(3.0), std::sqrt(6 / (n + m)));
            // Regression: the std is sqrt(2 / (fan_in + fan_out)), not the variance 2 / (fan_in + fan_out).
            row("xavier_normal", InitScheme::XavierNormal, Activation::Tanh, std::sqrt(2 / (n + m)), 0.0);
            // Regression: for ReLU the bound is sqrt(6 / fan_in), not sqrt(3 / fan_in).
            row("kaiming_uniform relu", InitScheme::KaimingUniform, Activation::Relu, std::sqrt(2 / n),
                std::sqrt(6 / n));
            row("kaiming_normal relu", InitScheme::KaimingNormal, Activation::Relu, std::sqrt(2 / n), 0.0);
            row("kaiming_normal tanh", InitScheme::KaimingNormal, Activation::Tanh, 5.0 / 3.0 / std::sqrt(n), 0.0);
            row("lecun_normal", InitScheme::LecunNormal, Activation::Selu, 1 / std::sqrt(n), 0.0);
            row("orthogonal relu", InitScheme::Orthogonal, Activation::Relu, std::sqrt(2.0) / std::sqrt(std::max(n, m)),
                0.0);
            row("normal 0.1", InitScheme::Normal, Activation::Relu, 0.1, 0.0);
        }
    }

    void empiricalMatchesFormula()
    {
        QFETCH(InitScheme, scheme);
        QFETCH(Activation, activation);
        QFETCH(int, fanIn);
        QFETCH(int, fanOut);
        QFETCH(double, expectedStd);
        QFETCH(double, expectedBound);

        const InitSpec spec{scheme, activation, 0.1};
        const WeightDistribution dist = weightDistribution(spec, fanIn, fanOut);
        INITLAB_COMPARE_REL(dist.std, expectedStd, 1e-12);
        if (expectedBound > 0)
            INITLAB_COMPARE_REL(dist.bound, expectedBound, 1e-12);

        const std::vector<float> w = sampleWeights(spec, fanIn, fanOut, 7);
        QCOMPARE(w.size(), std::size_t(fanIn) * fanOut);
        const Summary s = summarize(w);
        INITLAB_COMPARE_REL(s.std, expectedStd, 0.01);
        QVERIFY2(std::abs(s.mean) < 0.02 * expectedStd, "weights are not centred");
        if (expectedBound > 0) {
            QVERIFY2(s.maxAbs <= expectedBound * (1 + 1e-6), "a uniform draw lies outside its bound");
            QVERIFY2(s.maxAbs >= expectedBound * 0.99, "a uniform draw does not reach its bound");
        }
    }

    void classicMistakesAreFarAway()
    {
        // The wrong variants differ from the right ones by far more than the 1 % tolerance above, so
        // the formula test would catch them.
        const double n = 512;
        const double xavierStd = weightDistribution({InitScheme::XavierNormal}, 512, 512).std;
        QVERIFY(std::abs(xavierStd - 2 / (n + n)) > 0.5 * xavierStd);
        const double kaimingBound = weightDistribution({InitScheme::KaimingUniform, Activation::Relu}, 512, 512).bound;
        QVERIFY(std::abs(kaimingBound - std::sqrt(3 / n)) > 0.2 * kaimingBound);
    }

    void orthogonalRowsAreOrthonormal()
    {
        const int in = 64, out = 48; // wide: rows orthonormal (times the gain)
        const std::vector<float> w = sampleWeights({InitScheme::Orthogonal, Activation::Linear}, in, out, 3);
        for (int i = 0; i < out; ++i)
            for (int j = 0; j < out; ++j) {
                double dot = 0;
                for (int k = 0; k < in; ++k)
                    dot += double(w[i * in + k]) * w[j * in + k];
                QVERIFY2(std::abs(dot - (i == j ? 1.0 : 0.0)) < 1e-5, "W W^T is not the identity");
            }
    }

    void zerosAreZero()
    {
        const std::vector<float> w = sampleWeights({InitScheme::Zeros}, 32, 16, 1);
        QVERIFY(std::all_of(w.begin(), w.end(), [](float x) { return x == 0.0f; }));
    }

    void seededReproducible()
    {
        const InitSpec spec{InitScheme::XavierNormal};
        QCOMPARE(sampleWeights(spec, 50, 40, 11), sampleWeights(spec, 50, 40, 11));
        QVERIFY(sampleWeights(spec, 50, 40, 11) != sampleWeights(spec, 50, 40, 12));
    }

    void badShapeThrows()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sampleWeights({InitScheme::Heuristic}, 0, 4, 1));
    }
};

QTEST_APPLESS_MAIN(TestInitScheme)
#include "tst_initscheme.moc"

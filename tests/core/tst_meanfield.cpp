// Mean-field theory: the quadrature is exact where it must be and the recursion gives the known
// closed forms.

#include "initlab/meanfield.h"
#include "tolerance.h"

#include <QTest>
#include <cmath>

using namespace initlab;

class TestMeanField : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void quadratureIntegratesPolynomials()
    {
        const double v = 2.5;
        INITLAB_COMPARE_REL(gaussianExpectation([](double) { return 1.0; }, v), 1.0, 1e-12);
        INITLAB_COMPARE_REL(gaussianExpectation([](double h) { return h * h; }, v), v, 1e-10);
        INITLAB_COMPARE_REL(gaussianExpectation([](double h) { return h * h * h * h; }, v), 3 * v * v, 1e-10);
        QVERIFY(std::abs(gaussianExpectation([](double h) { return h * h * h; }, v)) < 1e-10);
        const GaussHermite gh = gaussHermite(20);
        double sum = 0;
        for (double w : gh.weights)
            sum += w;
        INITLAB_COMPARE_REL(sum, std::sqrt(M_PI), 1e-12);
    }

    void kinkedExpectationsAreExact()
    {
        // E[relu(h)^2] = v/2 and E[relu(h)] = sqrt(v / (2 pi)): the kink at 0 is what Gauss-Hermite
        // finds hard, and why kinked activations are integrated on each half-line.
        const double v = 3.0;
        const auto relu = [](double h) { return h > 0 ? h : 0.0; };
        INITLAB_COMPARE_REL(gaussianExpectationSplitAtZero([&](double h) { return relu(h) * relu(h); }, v), v / 2, 1e-12);
        INITLAB_COMPARE_REL(gaussianExpectationSplitAtZero(relu, v), std::sqrt(v / (2 * M_PI)), 1e-12);
        INITLAB_COMPARE_REL(gaussianExpectationSplitAtZero([](double h) { return std::tanh(h) * std::tanh(h); }, v),
                            gaussianExpectation([](double h) { return std::tanh(h) * std::tanh(h); }, v), 1e-6);
        QVERIFY(std::abs(gaussianExpectation(relu, v) - std::sqrt(v / (2 * M_PI))) > 1e-4); // the reason
        const GaussLegendre gl = gaussLegendre(10);
        double integral = 0;
        for (std::size_t i = 0; i < gl.nodes.size(); ++i)
            integral += gl.weights[i] * std::pow(gl.nodes[i], 6);
        INITLAB_COMPARE_REL(integral, 2.0 / 7.0, 1e-13);
    }

    void linearNetScalesGeometrically()
    {
        const int width = 100;
        const double sigma = 1.2 / std::sqrt(double(width)); // gain 1.2 per layer in std
        const std::vector<double> stds = meanFieldActivationStd(Activation::Linear, sigma, width, 5);
        QCOMPARE(stds.size(), std::size_t(5));
        for (int l = 0; l < 5; ++l)
            INITLAB_COMPARE_REL(stds[l], std::pow(1.2, l + 1), 1e-9);
    }

    void kaimingReluIsAFixedPoint()
    {
        const int width = 512;
        const double sigma = std::sqrt(2.0 / width);
        const std::vector<double> stds = meanFieldActivationStd(Activation::Relu, sigma, width, 30);
        const double expected = std::sqrt(2.0 * (0.5 - 1.0 / (2 * M_PI))); // q stays 2
        for (double s : stds)
            INITLAB_COMPARE_REL(s, expected, 1e-10);
    }

    void zeroWeightsGiveZero()
    {
        const std::vector<double> stds = meanFieldActivationStd(Activation::Tanh, 0.0, 64, 4);
        for (double s : stds)
            QCOMPARE(s, 0.0);
    }

    void tanhDecaysWithSmallWeights()
    {
        const int width = 512;
        const double sigma = 1.0 / std::sqrt(3.0 * width); // the heuristic's std
        const std::vector<double> stds = meanFieldActivationStd(Activation::Tanh, sigma, width, 20);
        QVERIFY(stds.back() < 1e-3 * stds.front());
    }
};

QTEST_APPLESS_MAIN(TestMeanField)
#include "tst_meanfield.moc"

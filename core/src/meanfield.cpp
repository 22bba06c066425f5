#include "initlab/meanfield.h"

#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <stdexcept>

namespace initlab {

GaussHermite gaussHermite(int order)
{
    if (order < 1 || order > 400)
        throw std::invalid_argument("gaussHermite: order must be in [1, 400]");
    // Newton's method on the orthonormal Hermite recurrence (Golub-Welsch would need an eigen
    // solver; this is exact to machine precision for the orders used here).
    const int n = order;
    const double piToMinusQuarter = 0.7511255444649425; // pi^(-1/4)
    GaussHermite gh;
    gh.nodes.assign(n, 0.0);
    gh.weights.assign(n, 0.0);
    double z = 0.0;
    for (int i = 0; i < (n + 1) / 2; ++i) {
        if (i == 0)
            z = std::sqrt(2.0 * n + 1.0) - 1.85575 * std::pow(2.0 * n + 1.0, -0.16667);
        else if (i == 1)
            z -= 1.14 * std::pow(n, 0.426) / z;
        else if (i == 2)
            z = 1.86 * z - 0.86 * gh.nodes[0];
        else if (i == 3)
            z = 1.91 * z - 0.91 * gh.nodes[1];
        else
            z = 2.0 * z - gh.nodes[i - 2];
        double derivative = 0.0;
        for (int iteration = 0; iteration < 100; ++iteration) {
            double p1 = piToMinusQuarter;
            double p2 = 0.0;
            for (int j = 0; j < n; ++j) {
                const double p3 = p2;
                p2 = p1;
                p1 = z * std::sqrt(2.0 / (j + 1)) * p2 - std::sqrt(static_cast<double>(j) / (j + 1)) * p3;
            }
            derivative = std::sqrt(2.0 * n) * p2;
            const double previous = z;
            z = previous - p1 / derivative;
            if (std::abs(z - previous) <= 1e-14 * std::max(1.0, std::abs(z)))
                break;
        }
        gh.nodes[i] = z;
        gh.nodes[n - 1 - i] = -z;
        gh.weights[i] = gh.weights[n - 1 - i] = 2.0 / (derivative * derivative);
    }
    return gh;
}

GaussLegendre gaussLegendre(int order)
{
    if (order < 1 || order > 1000)
        throw std::invalid_argument("gaussLegendre: order must be in [1, 1000]");
    const int n = order;
    GaussLegendre gl;
    gl.nodes.assign(n, 0.0);
    gl.weights.assign(n, 0.0);
    for (int i = 0; i < (n + 1) / 2; ++i) {
        double z = std::cos(M_PI * (i + 0.75) / (n + 0.5));
        double derivative = 1.0;
        for (int iteration = 0; iteration < 100; ++iteration) {
            double p1 = 1.0;
            double p2 = 0.0;
            for (int j = 0; j < n; ++j) {
                const double p3 = p2;
                p2 = p1;
                p1 = ((2.0 * j + 1.0) * z * p2 - j * p3) / (j + 1);
            }
            derivative = n * (z * p1 - p2) / (z * z - 1.0);
            const double previous = z;
            z = previous - p1 / derivative;
            if (std::abs(z - previous) <= 1e-15)
                break;
        }
        gl.nodes[i] = -z;
        gl.nodes[n - 1 - i] = z;
        gl.weights[i] = gl.weights[n - 1 - i] = 2.0 / ((1.0 - z * z) * derivative * derivative);
    }
    return gl;
}

namespace {
const GaussLegendre& cachedGaussLegendre(int order)
{
    static std::mutex mutex;
    static std::map<int, GaussLegendre> cache;
    std::lock_guard lock(mutex);
    auto it = cache.find(order);
    if (it == cache.end())
        it = cache.emplace(order, gaussLegendre(order)).first;
    return it->second;
}

const GaussHermite& cachedGaussHermite(int order)
{
    static std::mutex mutex;
    static std::map<int, GaussHermite> cache;
    std::lock_guard lock(mutex);
    auto it = cache.find(order);
    if (it == cache.end())
        it = cache.emplace(order, gaussHermite(order)).first;
    return it->second;
}
} // namespace

double gaussianExpectation(const std::function<double(double)>& f, double variance, int order)
{
    if (!(variance >= 0.0))
        return std::nan("");
    const GaussHermite& gh = cachedGaussHermite(order);
    // E[f(h)], h ~ N(0, v) = 1/sqrt(pi) * integral f(sqrt(2v) x) exp(-x^2) dx.
    const double scale = std::sqrt(2.0 * variance);
    double sum = 0.0;
    for (std::size_t i = 0; i < gh.nodes.size(); ++i)
        sum += gh.weights[i] * f(scale * gh.nodes[i]);
    return sum / std::sqrt(M_PI);
}

double gaussianExpectationSplitAtZero(const std::function<double(double)>& f, double variance, int order)
{
    if (!(variance >= 0.0))
        return std::nan("");
    if (variance == 0.0)
        return f(0.0);
    const GaussLegendre& gl = cachedGaussLegendre(order);
    const double sd = std::sqrt(variance);
    constexpr double halfRange = 12.0; // in standard deviations: the tail beyond is below 1e-32
    double sum = 0.0;
    for (std::size_t i = 0; i < gl.nodes.size(); ++i) {
        const double z = 0.5 * halfRange * (gl.nodes[i] + 1.0); // [-1, 1] -> [0, 12]
        const double density = std::exp(-0.5 * z * z);
        sum += gl.weights[i] * density * (f(sd * z) + f(-sd * z));
    }
    return sum * 0.5 * halfRange / std::sqrt(2.0 * M_PI);
}

double applyActivation(Activation activation, double x)
{
    constexpr double seluScale = 1.0507009873554804934193349852946;
    constexpr double seluAlpha = 1.6732632423543772848170429916717;
    switch (activation) {
    case Activation::Tanh:
        return std::tanh(x);
    case Activation::Relu:
        return x > 0.0 ? x : 0.0;
    case Activation::Sigmoid:
        return 1.0 / (1.0 + std::exp(-x));
    case Activation::Linear:
        return x;
    case Activation::LeakyRelu:
        return x > 0.0 ? x : kLeakyReluSlope * x;
    case Activation::Selu:
        return x > 0.0 ? seluScale * x : seluScale * seluAlpha * std::expm1(x);
    }
    return x;
}

std::vector<double> meanFieldActivationStd(Activation activation, double weightStd, int width, int depth,
                                           double inputSecondMoment)
{
    std::vector<double> stds;
    stds.reserve(depth > 0 ? depth : 0);
    const double perLayerGain = weightStd * weightStd * width;
    double q = perLayerGain * inputSecondMoment;
    const auto phi = [activation](double h) { return applyActivation(activation, h); };
    const auto phiSquared = [activation](double h) {
        const double y = applyActivation(activation, h);
        return y * y;
    };
    const bool kinked
        = activation == Activation::Relu || activation == Activation::LeakyRelu || activation == Activation::Selu;
    const auto expectation = [kinked](const std::function<double(double)>& f, double variance) {
        return kinked ? gaussianExpectationSplitAtZero(f, variance) : gaussianExpectation(f, variance);
    };
    for (int layer = 1; layer <= depth; ++layer) {
        if (!std::isfinite(q)) {
            stds.push_back(std::numeric_limits<double>::infinity());
            continue;
        }
        const double m1 = expectation(phi, q);
        const double m2 = expectation(phiSquared, q);
        stds.push_back(std::sqrt(std::max(0.0, m2 - m1 * m1)));
        q = perLayerGain * m2;
    }
    return stds;
}

double criticalGain(Activation activation)
{
    switch (activation) {
    case Activation::Tanh:
    case Activation::Linear:
        return 1.0;
    case Activation::Relu:
        return 2.0;
    case Activation::LeakyRelu:
        return 2.0 / (1.0 + kLeakyReluSlope * kLeakyReluSlope);
    case Activation::Sigmoid:
    case Activation::Selu:
        break;
    }
    return std::numeric_limits<double>::quiet_NaN();
}

double criticalWeightStd(Activation activation, int width)
{
    return width > 0 ? std::sqrt(criticalGain(activation) / width) : std::numeric_limits<double>::quiet_NaN();
}

} // namespace initlab

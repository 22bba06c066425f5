#pragma once
// Mean-field (infinite-width) theory of signal propagation: the activation statistics a deep net
// would have if every layer were infinitely wide.

#include "initlab/initscheme.h"

#include <functional>
#include <vector>

namespace initlab {

// Gauss-Hermite nodes and weights for integrals of f(x) exp(-x^2) over the real line.
struct GaussHermite {
    std::vector<double> nodes;
    std::vector<double> weights;
};
GaussHermite gaussHermite(int order);

// Gauss-Legendre nodes and weights for integrals of f(x) over [-1, 1].
struct GaussLegendre {
    std::vector<double> nodes;
    std::vector<double> weights;
};
GaussLegendre gaussLegendre(int order);

// E[f(h)] for h ~ N(0, variance), by Gauss-Hermite quadrature: exact to machine precision for
// smooth f (tanh, sigmoid, polynomials).
double gaussianExpectation(const std::function<double(double)>& f, double variance, int order = 160);

// E[f(h)] for h ~ N(0, variance) when f has a kink at 0 (ReLU, leaky ReLU, SELU): Gauss-Hermite
// converges only algebraically there (0.3 % off for E[relu(h)] at 160 nodes), so each half-line
// [0, 12 sd] is integrated on its own with Gauss-Legendre, which is smooth on each side.
double gaussianExpectationSplitAtZero(const std::function<double(double)>& f, double variance, int order = 96);

double applyActivation(Activation activation, double x);

// Predicted std of the activations of layers 1..depth for a net of constant width whose weights have
// per-entry variance sigmaW^2 and whose input has second moment inputSecondMoment:
// q(1) = sigmaW^2 fan_in E[x^2], q(l+1) = sigmaW^2 fan_in E[phi(h)^2] with h ~ N(0, q(l)),
// predicted std(l) = sqrt(Var[phi(h)]).
std::vector<double> meanFieldActivationStd(Activation activation, double weightStd, int width, int depth,
                                           double inputSecondMoment = 1.0);

// The weight std at which a deep net of this width crosses from a vanishing signal to one that
// survives (tanh, linear: sigma^2 n = 1; ReLU: 2; leaky ReLU: 2 / (1 + slope^2)): below it the
// activations' second moment shrinks by the factor sigma^2 n phi'(0)^2 < 1 per layer. NaN where
// the activation has no such point at zero signal (sigmoid's mean is not zero; SELU's slopes differ
// on the two sides and its fixed point sits at sigma^2 n = 1 by design).
double criticalWeightStd(Activation activation, int width);
// sigma^2 n at the critical point, NaN where there is none.
double criticalGain(Activation activation);

} // namespace initlab

#pragma once
// Weight-initialization schemes and activation functions: names, formulas and the analytic
// distribution each scheme draws from. The sampling itself lives in core's .cpp files (torch).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace initlab {

enum class InitScheme {
    Heuristic,      // U(-1/sqrt(fan_in), 1/sqrt(fan_in)), LibTorch's default for Linear
    XavierUniform,  // U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out))
    XavierNormal,   // N(0, s^2), s = gain * sqrt(2 / (fan_in + fan_out))
    KaimingUniform, // U(-a, a), a = gain * sqrt(3 / fan_in)
    KaimingNormal,  // N(0, s^2), s = gain / sqrt(fan_in)
    Normal,         // N(0, s^2), s given by the user
    Orthogonal,     // gain * a (semi-)orthogonal matrix
    LecunNormal,    // N(0, 1 / fan_in)
    Zeros,          // all zero: shows the symmetry problem
};

enum class Activation { Tanh, Relu, Sigmoid, Linear, LeakyRelu, Selu };

inline constexpr double kLeakyReluSlope = 0.01;

const std::vector<InitScheme>& allInitSchemes();
const std::vector<Activation>& allActivations();

// Names used on the command line and in CSV files ("xavier_uniform", "leaky_relu").
std::string_view name(InitScheme scheme);
std::string_view name(Activation activation);
// Names for people ("Xavier uniform", "leaky ReLU").
std::string_view displayName(InitScheme scheme);
std::string_view displayName(Activation activation);
// One-line formula of the scheme's distribution, for tooltips and help.
std::string_view formula(InitScheme scheme);
// One-line definition of the activation, for tooltips and help.
std::string_view formula(Activation activation);

std::optional<InitScheme> parseInitScheme(std::string_view text);
std::optional<Activation> parseActivation(std::string_view text);

// The recommended gain of an activation (as torch.nn.init.calculate_gain): tanh 5/3, ReLU sqrt(2),
// leaky ReLU sqrt(2 / (1 + slope^2)), SELU 3/4, sigmoid and linear 1.
double recommendedGain(Activation activation);

// What a scheme needs besides fan_in and fan_out.
struct InitSpec {
    InitScheme scheme = InitScheme::Heuristic;
    Activation activation = Activation::Relu; // decides the gain of Kaiming and orthogonal
    double normalStd = 0.1;                   // the sigma of InitScheme::Normal
};

// The gain a scheme applies for this spec. Xavier uses gain 1 (Glorot & Bengio, and PyTorch's
// default, which is what the report ran); Kaiming and orthogonal use recommendedGain(activation);
// the remaining schemes have no gain (1).
double schemeGain(const InitSpec& spec);

// The distribution a weight matrix of shape fan_out x fan_in is drawn from.
struct WeightDistribution {
    enum class Kind { Uniform, Normal, Orthogonal, Zero };
    Kind kind = Kind::Zero;
    double bound = 0.0; // half-width for Uniform, 0 otherwise
    double std = 0.0;   // standard deviation of one entry (for Orthogonal: gain / sqrt(max(fan_in, fan_out)))
};
WeightDistribution weightDistribution(const InitSpec& spec, int fanIn, int fanOut);

// Draws a fan_out x fan_in weight matrix (row-major) with the scheme, seeded. Used by tests and the
// UI's weight histograms; the experiments initialize their torch tensors with the same code.
std::vector<float> sampleWeights(const InitSpec& spec, int fanIn, int fanOut, std::uint64_t seed);

} // namespace initlab

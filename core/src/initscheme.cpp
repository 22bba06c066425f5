#include "initlab/initscheme.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace initlab {
namespace {

struct SchemeInfo {
    InitScheme scheme;
    std::string_view name;
    std::string_view display;
    std::string_view formula;
};

constexpr std::array kSchemes{
    SchemeInfo{InitScheme::Heuristic, "heuristic", "Original heuristic",
               "U(-1/sqrt(fan_in), 1/sqrt(fan_in)) - LibTorch's default for Linear"},
    SchemeInfo{InitScheme::XavierUniform, "xavier_uniform", "Xavier uniform",
               "U(-a, a), a = sqrt(6 / (fan_in + fan_out)) - Glorot & Bengio, gain 1"},
    SchemeInfo{InitScheme::XavierNormal, "xavier_normal", "Xavier normal",
               "N(0, s^2), s = sqrt(2 / (fan_in + fan_out)) - Glorot & Bengio, gain 1"},
    SchemeInfo{InitScheme::KaimingUniform, "kaiming_uniform", "Kaiming uniform",
               "U(-a, a), a = gain * sqrt(3 / fan_in), gain from the activation (sqrt(2) for ReLU)"},
    SchemeInfo{InitScheme::KaimingNormal, "kaiming_normal", "Kaiming normal",
               "N(0, s^2), s = gain / sqrt(fan_in), gain from the activation (sqrt(2) for ReLU)"},
    SchemeInfo{InitScheme::Normal, "normal", "Normal(sigma)", "N(0, sigma^2) with the sigma you set"},
    SchemeInfo{InitScheme::Orthogonal, "orthogonal", "Orthogonal",
               "gain * Q, Q a random (semi-)orthogonal matrix - Saxe et al."},
    SchemeInfo{InitScheme::LecunNormal, "lecun_normal", "LeCun normal", "N(0, 1 / fan_in) - the init SELU assumes"},
    SchemeInfo{InitScheme::Zeros, "zeros", "Zeros", "all weights 0 - every unit computes the same thing"},
};

struct ActivationInfo {
    Activation activation;
    std::string_view name;
    std::string_view display;
    std::string_view formula;
};

constexpr std::array kActivations{
    ActivationInfo{Activation::Tanh, "tanh", "tanh", "tanh(x): odd, saturates at +-1, slope 1 at 0"},
    ActivationInfo{Activation::Relu, "relu", "ReLU", "max(0, x): halves the signal's second moment"},
    ActivationInfo{Activation::Sigmoid, "sigmoid", "sigmoid",
                   "1 / (1 + exp(-x)): not centred (mean 1/2), slope 1/4 at 0"},
    ActivationInfo{Activation::Linear, "linear", "linear", "x: no nonlinearity, the net is one matrix"},
    ActivationInfo{Activation::LeakyRelu, "leaky_relu", "leaky ReLU", "x if x > 0 else 0.01 x"},
    ActivationInfo{Activation::Selu, "selu", "SELU",
                   "1.0507 * (x if x > 0 else 1.6733 (exp(x) - 1)): self-normalizing with LeCun normal"},
};

const SchemeInfo& info(InitScheme scheme)
{
    return *std::find_if(kSchemes.begin(), kSchemes.end(), [&](const auto& i) { return i.scheme == scheme; });
}

const ActivationInfo& info(Activation activation)
{
    return *std::find_if(kActivations.begin(), kActivations.end(),
                         [&](const auto& i) { return i.activation == activation; });
}

} // namespace

const std::vector<InitScheme>& allInitSchemes()
{
    static const std::vector<InitScheme> all = [] {
        std::vector<InitScheme> v;
        for (const auto& i : kSchemes)
            v.push_back(i.scheme);
        return v;
    }();
    return all;
}

const std::vector<Activation>& allActivations()
{
    static const std::vector<Activation> all = [] {
        std::vector<Activation> v;
        for (const auto& i : kActivations)
            v.push_back(i.activation);
        return v;
    }();
    return all;
}

std::string_view name(InitScheme scheme) { return info(scheme).name; }
std::string_view name(Activation activation) { return info(activation).name; }
std::string_view displayName(InitScheme scheme) { return info(scheme).display; }
std::string_view displayName(Activation activation) { return info(activation).display; }
std::string_view formula(InitScheme scheme) { return info(scheme).formula; }
std::string_view formula(Activation activation) { return info(activation).formula; }

std::optional<InitScheme> parseInitScheme(std::string_view text)
{
    for (const auto& i : kSchemes)
        if (i.name == text)
            return i.scheme;
    return std::nullopt;
}

std::optional<Activation> parseActivation(std::string_view text)
{
    for (const auto& i : kActivations)
        if (i.name == text)
            return i.activation;
    return std::nullopt;
}

double recommendedGain(Activation activation)
{
    switch (activation) {
    case Activation::Tanh:
        return 5.0 / 3.0;
    case Activation::Relu:
        return std::sqrt(2.0);
    case Activation::LeakyRelu:
        return std::sqrt(2.0 / (1.0 + kLeakyReluSlope * kLeakyReluSlope));
    case Activation::Selu:
        return 0.75;
    case Activation::Sigmoid:
    case Activation::Linear:
        return 1.0;
    }
    return 1.0;
}

double schemeGain(const InitSpec& spec)
{
    switch (spec.scheme) {
    case InitScheme::KaimingUniform:
    case InitScheme::KaimingNormal:
    case InitScheme::Orthogonal:
        return recommendedGain(spec.activation);
    default:
        return 1.0;
    }
}

WeightDistribution weightDistribution(const InitSpec& spec, int fanIn, int fanOut)
{
    using Kind = WeightDistribution::Kind;
    const double in = fanIn;
    const double out = fanOut;
    const double gain = schemeGain(spec);
    switch (spec.scheme) {
    case InitScheme::Heuristic: {
        const double a = 1.0 / std::sqrt(in);
        return {Kind::Uniform, a, a / std::sqrt(3.0)};
    }
    case InitScheme::XavierUniform: {
        const double a = gain * std::sqrt(6.0 / (in + out));
        return {Kind::Uniform, a, a / std::sqrt(3.0)};
    }
    case InitScheme::XavierNormal:
        return {Kind::Normal, 0.0, gain * std::sqrt(2.0 / (in + out))};
    case InitScheme::KaimingUniform: {
        const double a = gain * std::sqrt(3.0 / in);
        return {Kind::Uniform, a, a / std::sqrt(3.0)};
    }
    case InitScheme::KaimingNormal:
        return {Kind::Normal, 0.0, gain / std::sqrt(in)};
    case InitScheme::Normal:
        return {Kind::Normal, 0.0, spec.normalStd};
    case InitScheme::Orthogonal:
        return {Kind::Orthogonal, 0.0, gain / std::sqrt(std::max(in, out))};
    case InitScheme::LecunNormal:
        return {Kind::Normal, 0.0, 1.0 / std::sqrt(in)};
    case InitScheme::Zeros:
        return {Kind::Zero, 0.0, 0.0};
    }
    return {};
}

} // namespace initlab

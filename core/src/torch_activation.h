#pragma once
// Activations applied to torch tensors, forward in place and backward from the output. Private to
// core. Every supported activation's derivative can be written in terms of its output, so a
// hand-written backward pass needs to keep only the activations.

#include "initlab/initscheme.h"

#include <ATen/ATen.h>

namespace initlab {

inline void activateInPlace(at::Tensor& h, Activation activation)
{
    switch (activation) {
    case Activation::Tanh:
        h.tanh_();
        break;
    case Activation::Relu:
        h.relu_();
        break;
    case Activation::Sigmoid:
        h.sigmoid_();
        break;
    case Activation::Linear:
        break;
    case Activation::LeakyRelu:
        at::leaky_relu_(h, kLeakyReluSlope);
        break;
    case Activation::Selu:
        at::selu_(h);
        break;
    }
}

// dL/dh from dL/da and the activation's output a = phi(h).
inline at::Tensor activationBackward(const at::Tensor& gradOutput, const at::Tensor& output, Activation activation)
{
    constexpr double seluScale = 1.0507009873554804934193349852946;
    constexpr double seluAlpha = 1.6732632423543772848170429916717;
    switch (activation) {
    case Activation::Tanh:
        return at::tanh_backward(gradOutput, output);
    case Activation::Relu:
        return at::threshold_backward(gradOutput, output, 0);
    case Activation::Sigmoid:
        return at::sigmoid_backward(gradOutput, output);
    case Activation::Linear:
        return gradOutput;
    case Activation::LeakyRelu:
        return at::leaky_relu_backward(gradOutput, output, kLeakyReluSlope, /*self_is_result=*/true);
    case Activation::Selu:
        return at::elu_backward(gradOutput, seluAlpha, seluScale, 1.0, /*is_result=*/true, output);
    }
    return gradOutput;
}

// The same in place: grad holds dL/da on entry and dL/dh on return (the element-wise backward
// kernels allow their output to be their input).
inline void activationBackwardInPlace(at::Tensor& grad, const at::Tensor& output, Activation activation)
{
    constexpr double seluScale = 1.0507009873554804934193349852946;
    constexpr double seluAlpha = 1.6732632423543772848170429916717;
    switch (activation) {
    case Activation::Tanh:
        at::tanh_backward_out(grad, grad, output);
        break;
    case Activation::Relu:
        at::threshold_backward_out(grad, grad, output, 0);
        break;
    case Activation::Sigmoid:
        at::sigmoid_backward_out(grad, grad, output);
        break;
    case Activation::Linear:
        break;
    case Activation::LeakyRelu:
        at::leaky_relu_backward_out(grad, grad, output, kLeakyReluSlope, /*self_is_result=*/true);
        break;
    case Activation::Selu:
        at::elu_backward_out(grad, grad, seluAlpha, seluScale, 1.0, /*is_result=*/true, output);
        break;
    }
}

} // namespace initlab

#pragma once
// AdamW (Loshchilov & Hutter's decoupled weight decay, the update of torch.optim.AdamW without
// amsgrad) over one flat float buffer of parameters. One fused pass per step: at batch 8 the
// optimizer touches every parameter once per step, and seven separate tensor ops (each a full pass
// over 1.3 million parameters, with a temporary) would cost more than the forward and backward
// passes together. Private to core.

#include "adamw_kernel.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <cmath>
#include <cstdint>

namespace initlab {

class FlatAdamW {
public:
    FlatAdamW(const at::Tensor& parameters, double lr, double weightDecay)
        : m_parameters(parameters)
        , m_lr(lr)
        , m_weightDecay(weightDecay)
        , m_first(at::zeros_like(parameters))
        , m_second(at::zeros_like(parameters))
    {
        TORCH_CHECK(parameters.is_contiguous() && parameters.scalar_type() == at::kFloat,
                    "FlatAdamW needs one contiguous float buffer");
    }

    // gradient: the same layout as the parameters.
    void step(const at::Tensor& gradient)
    {
        ++m_step;
        const double bias1 = 1.0 - std::pow(kBeta1, m_step);
        const double bias2 = 1.0 - std::pow(kBeta2, m_step);
        AdamWStep parameters;
        parameters.beta1 = static_cast<float>(kBeta1);
        parameters.beta2 = static_cast<float>(kBeta2);
        parameters.decay = static_cast<float>(1.0 - m_lr * m_weightDecay);
        parameters.stepSize = static_cast<float>(m_lr / bias1);
        parameters.inverseBias2Sqrt = static_cast<float>(1.0 / std::sqrt(bias2));
        parameters.eps = static_cast<float>(kEps);
        float* p = m_parameters.data_ptr<float>();
        float* m = m_first.data_ptr<float>();
        float* v = m_second.data_ptr<float>();
        const float* g = gradient.data_ptr<float>();
        at::parallel_for(0, m_parameters.numel(), 1 << 16, [&](std::int64_t begin, std::int64_t end) {
            adamwUpdate(p, m, v, g, begin, end, parameters);
        });
    }

    int steps() const { return m_step; }

private:
    static constexpr double kBeta1 = 0.9;
    static constexpr double kBeta2 = 0.999;
    static constexpr double kEps = 1e-8;
    at::Tensor m_parameters;
    double m_lr;
    double m_weightDecay;
    at::Tensor m_first;
    at::Tensor m_second;
    int m_step = 0;
};

} // namespace initlab

#include "adamw_kernel.h"

#include <cmath>

namespace initlab {

__attribute__((target_clones("avx512f", "avx2", "default"))) void
adamwUpdate(float* __restrict p, float* __restrict m, float* __restrict v, const float* __restrict g,
            std::int64_t begin, std::int64_t end, const AdamWStep& s)
{
    const float beta1 = s.beta1, beta2 = s.beta2, decay = s.decay, stepSize = s.stepSize;
    const float inverseBias2Sqrt = s.inverseBias2Sqrt, eps = s.eps;
    for (std::int64_t i = begin; i < end; ++i) {
        const float grad = g[i];
        const float first = beta1 * m[i] + (1.0f - beta1) * grad;
        const float second = beta2 * v[i] + (1.0f - beta2) * grad * grad;
        m[i] = first;
        v[i] = second;
        // As torch.optim.AdamW, rounding where it rounds: p *= 1 - lr wd, then
        // p -= lr / bias1 * m / (sqrt(v) / sqrt(bias2) + eps).
        const float decayed = p[i] * decay;
        p[i] = decayed - stepSize * (first / (std::sqrt(second) * inverseBias2Sqrt + eps));
    }
}

} // namespace initlab

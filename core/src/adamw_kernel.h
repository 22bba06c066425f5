#pragma once
// The fused AdamW update over raw float arrays. Kept in its own translation unit, compiled for
// several instruction sets (chosen at run time) and without errno for sqrt, so it vectorizes.

#include <cstdint>

namespace initlab {

struct AdamWStep {
    float beta1;
    float beta2;
    float decay;           // 1 - lr * weight_decay
    float stepSize;        // lr / (1 - beta1^t)
    float inverseBias2Sqrt; // 1 / sqrt(1 - beta2^t)
    float eps;
};

void adamwUpdate(float* parameters, float* first, float* second, const float* gradient, std::int64_t begin,
                 std::int64_t end, const AdamWStep& step);

} // namespace initlab

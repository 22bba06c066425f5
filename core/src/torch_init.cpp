#include "torch_init.h"

#include <c10/core/InferenceMode.h>
#include <cmath>
#include <stdexcept>

namespace initlab {

void initializeWeight(at::Tensor& weight, const InitSpec& spec, at::Generator& generator)
{
    const int fanOut = static_cast<int>(weight.size(0));
    const int fanIn = static_cast<int>(weight.size(1));
    const WeightDistribution dist = weightDistribution(spec, fanIn, fanOut);
    c10::InferenceMode inference; // filling a weight is not part of any graph
    switch (dist.kind) {
    case WeightDistribution::Kind::Uniform:
        weight.uniform_(-dist.bound, dist.bound, generator);
        break;
    case WeightDistribution::Kind::Normal:
        weight.normal_(0.0, dist.std, generator);
        break;
    case WeightDistribution::Kind::Zero:
        weight.zero_();
        break;
    case WeightDistribution::Kind::Orthogonal: {
        // As torch.nn.init.orthogonal_: QR of a Gaussian matrix with the sign of R's diagonal
        // folded into Q, so Q is Haar-distributed; transpose when there are more rows than columns.
        const bool tall = fanOut > fanIn;
        at::Tensor gaussian = at::empty({std::max(fanOut, fanIn), std::min(fanOut, fanIn)}, at::kDouble);
        gaussian.normal_(0.0, 1.0, generator);
        auto [q, r] = at::linalg_qr(gaussian);
        q = q * at::sign(at::diagonal(r)).unsqueeze(0);
        if (!tall)
            q = q.t();
        weight.copy_(q * schemeGain(spec));
        break;
    }
    }
}

std::vector<float> sampleWeights(const InitSpec& spec, int fanIn, int fanOut, std::uint64_t seed)
{
    if (fanIn <= 0 || fanOut <= 0)
        throw std::invalid_argument("sampleWeights: fan_in and fan_out must be positive");
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    at::Tensor weight = at::empty({fanOut, fanIn}, at::kFloat);
    initializeWeight(weight, spec, generator);
    const float* data = weight.contiguous().data_ptr<float>();
    return {data, data + weight.numel()};
}

} // namespace initlab

#pragma once
// Fills torch weight tensors with an init scheme. Private to core: it speaks torch.

#include "initlab/initscheme.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

namespace initlab {

// weight has shape fan_out x fan_in (as torch::nn::Linear). Draws from generator only, so a run is
// reproducible from its seed whatever else uses torch's global generator.
void initializeWeight(at::Tensor& weight, const InitSpec& spec, at::Generator& generator);

} // namespace initlab

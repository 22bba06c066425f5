#pragma once
// The narrow LibTorch headers core uses, precompiled once (torch/torch.h takes ~17 s to parse).
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/types.h>
#include <torch/utils.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/InferenceMode.h>

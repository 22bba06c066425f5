#pragma once
// CSV output of the experiments (column contracts in DESIGN.md) and atomic file writing.

#include "initlab/deeppropagation.h"

#include <string>

namespace initlab {

// deep.csv: init,activation,layer,act_mean,act_std,grad_mean,grad_std,pre_grad_std,theory_std
std::string deepCsv(const DeepResult& result);

// Numbers are written with enough digits to round-trip a double.
std::string formatNumber(double value);

// Writes content to path through a temporary file in the same folder renamed into place, so a
// failure never leaves a partial file. Returns an empty string on success, else a message naming
// the path and the problem.
std::string writeFileAtomically(const std::string& path, const std::string& content);

} // namespace initlab

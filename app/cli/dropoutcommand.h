#pragma once
// `initlab-cli dropout`: trains the dropout net once per p on MNIST-format data, evaluates each
// p's best checkpoint with one pass with dropout off and MC-dropout ensembles, writes the CSV files
// and the checkpoints, and prints Table I; or, with --benchmark, measures training steps per second,
// the MC passes' GFLOP/s against this machine's GEMM rate, and bf16 against fp32 ensembles.

#include "cli.h"
#include "dropoutoptions.h"

namespace initlab::cli {

// Loads the MNIST-format images of dataDir, or of the first data folder InitLab knows of when it is
// empty. On failure prints the one error line (naming the folders searched) and returns false.
bool loadMnistData(const std::string& dataDir, MnistDataset& data, const CliContext& context);

int runDropoutCommand(const DropoutOptions& options, const CliContext& context);

} // namespace initlab::cli

#pragma once
// `initlab-cli deep`: runs the deep signal-propagation experiment, or times it against this
// machine's GEMM rate (--benchmark). Progress goes to stderr, the summary to stdout, and deep.csv is
// written atomically only when every combination finished.

#include "cli.h"
#include "deepoptions.h"

namespace initlab::cli {

int runDeepCommand(const DeepOptions& options, const CliContext& context);

} // namespace initlab::cli

#pragma once
// `initlab-cli circles`: trains every (normalization, init, seed) of the two-ring experiment in one
// stack, writes circles_history.csv and circles_summary.csv (and boundary PNGs) atomically, and
// prints a summary per (normalization, init); or, with --benchmark, compares the stack with the
// same models trained one at a time.

#include "cli.h"
#include "circlesoptions.h"

namespace initlab::cli {

int runCirclesCommand(const CirclesOptions& options, const CliContext& context);

} // namespace initlab::cli

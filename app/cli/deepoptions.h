#pragma once
// What `initlab-cli deep` takes on its command line: DeepOptions, their parser and the command's help.

#include "options.h"
#include "runrecording.h"

#include "initlab/deeppropagation.h"

#include <string>
#include <vector>

namespace initlab::cli {

// What `initlab-cli deep ...` asked for.
struct DeepOptions {
    DeepConfig config;  // combinations already expanded (cross product, or the report's seven)
    std::string outDir; // empty: write no CSV (allowed only with --benchmark)
    bool benchmark = false;
    RunRecording recording; // a benchmark records nothing
};

ParsedCommand<DeepOptions> parseDeepOptions(const std::vector<std::string>& args);

std::string deepUsage();

} // namespace initlab::cli

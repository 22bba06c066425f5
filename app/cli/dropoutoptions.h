#pragma once
// What `initlab-cli dropout` takes on its command line: DropoutOptions, their parser and the
// command's help.

#include "options.h"
#include "runrecording.h"

#include "initlab/dropout.h"

#include <string>
#include <vector>

namespace initlab::cli {

// What `initlab-cli dropout ...` asked for.
struct DropoutOptions {
    DropoutConfig config; // runFolder is left empty: the command sets it to OUT/checkpoints
    std::string dataDir;  // empty: the first folder of dataFolderCandidates() that holds the files
    std::string outDir;   // empty only with --benchmark, which writes nothing
    std::string checkpoint; // --checkpoint FILE: evaluate this saved net instead of training
    bool benchmark = false;
    RunRecording recording; // only training runs are recorded (not --benchmark, not --checkpoint)
};

ParsedCommand<DropoutOptions> parseDropoutOptions(const std::vector<std::string>& args);

std::string dropoutUsage();

} // namespace initlab::cli

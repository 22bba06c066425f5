#pragma once
// What `initlab-cli reproduce` takes on its command line: ReproduceOptions, their parser and the
// command's help. The report's plan is fixed, so these few options are all there is.

#include "options.h"

#include <string>
#include <vector>

namespace initlab::cli {

// What `initlab-cli reproduce ...` asked for.
struct ReproduceOptions {
    std::string outDir;
    std::string dataDir; // empty: the first folder of dataFolderCandidates() that holds the files
    bool quick = false;
    int threads = 0;
};

ParsedCommand<ReproduceOptions> parseReproduceOptions(const std::vector<std::string>& args);

std::string reproduceUsage();

} // namespace initlab::cli

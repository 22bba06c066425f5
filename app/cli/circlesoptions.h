#pragma once
// What `initlab-cli circles` takes on its command line: CirclesOptions, their parser and the
// command's help.

#include "options.h"
#include "runrecording.h"

#include "initlab/circles.h"

#include <string>
#include <vector>

namespace initlab::cli {

// What `initlab-cli circles ...` asked for.
struct CirclesOptions {
    CirclesConfig config;
    double successThreshold = 0.95; // test accuracy that counts a seed as a success
    std::string outDir;             // empty: write nothing (allowed only with --benchmark)
    bool boundaryPng = false;
    int framesEvery = 0; // > 0: the best seeds' boundaries every framesEvery epochs as PNG frames
    bool unitsPng = false; // the best seeds' hidden-unit maps at their best epochs
    bool benchmark = false;
    int aloneModels = 6; // --benchmark: models also trained one at a time, spread over the stack
    RunRecording recording;
};

ParsedCommand<CirclesOptions> parseCirclesOptions(const std::vector<std::string>& args);

std::string circlesUsage();

} // namespace initlab::cli

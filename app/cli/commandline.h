#pragma once
// Parses initlab-cli's arguments into a Command. Every option is checked here, before anything runs,
// so a bad command line costs nothing and leaves nothing behind. (What only the data can tell, such
// as a training range beyond the end of the training file, is checked by the command once the data
// is loaded, still before anything runs.) With --config FILE, an experiment file's settings are the
// starting point and every option on the command line overrides the file's value.

#include "initlab/circles.h"
#include "initlab/deeppropagation.h"
#include "initlab/dropout.h"

#include "runrecording.h"

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

// What `initlab-cli circles ...` asked for.
struct CirclesOptions {
    CirclesConfig config;
    double successThreshold = 0.95; // test accuracy that counts a seed as a success
    std::string outDir;             // empty: write nothing (allowed only with --benchmark)
    bool boundaryPng = false;
    bool benchmark = false;
    int aloneModels = 6; // --benchmark: models also trained one at a time, spread over the stack
    RunRecording recording;
};

// What `initlab-cli dropout ...` asked for.
struct DropoutOptions {
    DropoutConfig config; // runFolder is left empty: the command sets it to OUT/checkpoints
    std::string dataDir;  // empty: the first folder of dataFolderCandidates() that holds the files
    std::string outDir;   // empty only with --benchmark, which writes nothing
    std::string checkpoint; // --checkpoint FILE: evaluate this saved net instead of training
    bool benchmark = false;
    RunRecording recording; // only training runs are recorded (not --benchmark, not --checkpoint)
};

enum class CommandKind { Help, Version, Diagnostics, DeepHelp, Deep, CirclesHelp, Circles, DropoutHelp, Dropout };

struct Command {
    CommandKind kind = CommandKind::Help;
    DeepOptions deep;       // meaningful for CommandKind::Deep
    CirclesOptions circles; // meaningful for CommandKind::Circles
    DropoutOptions dropout; // meaningful for CommandKind::Dropout
};

struct ParseOutcome {
    Command command;
    std::string error; // non-empty: a usage error, one line without the "error: " prefix
    // Lines without the "warning: " prefix, to print before the command runs (unknown keys of a
    // --config file, which are ignored).
    std::vector<std::string> warnings;
};

ParseOutcome parseCommandLine(const std::vector<std::string>& args);

std::string generalUsage();
std::string deepUsage();
std::string circlesUsage();
std::string dropoutUsage();

} // namespace initlab::cli

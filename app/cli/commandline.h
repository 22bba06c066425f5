#pragma once
// Parses initlab-cli's arguments into a Command. Every option is checked here, before anything runs,
// so a bad command line costs nothing and leaves nothing behind.

#include "initlab/deeppropagation.h"

#include <string>
#include <vector>

namespace initlab::cli {

// What `initlab-cli deep ...` asked for.
struct DeepOptions {
    DeepConfig config;  // combinations already expanded (cross product, or the report's seven)
    std::string outDir; // empty: write no CSV (allowed only with --benchmark)
    bool benchmark = false;
};

enum class CommandKind { Help, Version, Diagnostics, DeepHelp, Deep };

struct Command {
    CommandKind kind = CommandKind::Help;
    DeepOptions deep; // meaningful for CommandKind::Deep
};

struct ParseOutcome {
    Command command;
    std::string error; // non-empty: a usage error, one line without the "error: " prefix
};

ParseOutcome parseCommandLine(const std::vector<std::string>& args);

std::string generalUsage();
std::string deepUsage();

} // namespace initlab::cli

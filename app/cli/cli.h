#pragma once
// The whole initlab-cli program behind main(): parses the arguments, runs the command and maps the
// outcome to an exit status. It writes only to the streams it is given and stops when the cancel
// flag is set, so main() can own the process-wide parts (signals, BLAS kernel choice).

#include "initlab/cancellation.h"

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace initlab::cli {

inline constexpr int kExitSuccess = 0;
inline constexpr int kExitFailure = 1;     // the run itself failed (I/O, out of memory)
inline constexpr int kExitUsage = 2;       // bad command line; nothing was run
inline constexpr int kExitCancelled = 130; // SIGINT/SIGTERM, as a shell reports a Ctrl-C

struct CliContext {
    std::ostream& out; // results (tables, reports)
    std::ostream& err; // progress and the one `error:` line
    const CancelFlag& cancel;
    bool liveProgress = false; // err is a terminal: redraw one progress line instead of printing many
};

// args excludes the program name.
int runCli(const std::vector<std::string>& args, const CliContext& context);

// Prints "error: <message>" as exactly one line, whatever line breaks the message holds (torch's
// exception texts carry a backtrace after the first line).
void printError(std::ostream& err, std::string_view message);

} // namespace initlab::cli

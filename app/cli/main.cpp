// initlab-cli: the headless front end of InitLab. main() owns what is process-wide: the BLAS kernel
// choice (which may re-execute the program, so it comes before anything else) and the signals that
// cancel a run; everything else is in runCli.

#include "cli.h"

#include "initlab/blas.h"

#include <csignal>
#include <iostream>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

initlab::CancelFlag g_cancel{false};
static_assert(initlab::CancelFlag::is_always_lock_free, "the cancel flag is set from a signal handler");

void requestCancel(int) { g_cancel.store(true); }

void installCancelHandlers()
{
    struct sigaction action {};
    action.sa_handler = requestCancel;
    sigemptyset(&action.sa_mask);
    // The first SIGINT/SIGTERM asks the run to stop cleanly (within one layer); a second one, should
    // that be too slow, gets the default action and ends the process at once.
    action.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

} // namespace

int main(int argc, char** argv)
{
    initlab::selectFastBlasKernels(argc, argv);
    installCancelHandlers();

    const std::vector<std::string> args(argv + 1, argv + argc);
    const initlab::cli::CliContext context{std::cout, std::cerr, g_cancel, ::isatty(STDERR_FILENO) == 1};
    return initlab::cli::runCli(args, context);
}

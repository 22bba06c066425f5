#include "runrecording.h"

#include "cli.h"

#include "initlab/blas.h"

#include <ostream>

namespace initlab::cli {

std::string runsFolderOf(const RunRecording& recording)
{
    return recording.runsFolder.empty() ? configuredRunsFolder() : recording.runsFolder;
}

std::string recordRun(const RunRecording& recording, ExperimentKind kind, const RunOutcome& outcome,
                      const std::string& started, std::ostream& err)
{
    if (!recording.enabled)
        return {};
    std::string error;
    // blasInfo() after the run: LibTorch's thread count is the one the run set.
    const std::string folder = writeRunOutcome(runsFolderOf(recording), kind, outcome, blasInfo(), started, error);
    if (folder.empty())
        err << "warning: run record not written: " << error.substr(0, error.find('\n')) << '\n' << std::flush;
    else
        err << "run record: " << folder << '\n' << std::flush;
    return folder;
}

int recordEnding(const RunRecording& recording, ExperimentKind kind, RunOutcome& outcome, const std::string& started,
                 std::ostream& err, int exitCode, const std::string& failure)
{
    if (exitCode == kExitCancelled)
        outcome.status = "cancelled";
    else if (!failure.empty())
        outcome.status = "failed: " + failure;
    recordRun(recording, kind, outcome, started, err);
    return exitCode;
}

} // namespace initlab::cli

#pragma once
// Run records from initlab-cli: a run of deep, circles or dropout leaves the same record in the
// runs folder as the same run in the window (experiment.json, run.json, the result CSVs), so the
// Runs tab lists it and can show or repeat it. The record is an extra: the CSV files in --out are a
// command's results, and a record that cannot be written costs a warning, not the run.

#include "initlab/runoutcome.h"

#include <iosfwd>
#include <string>

namespace initlab::cli {

// Whether and where a command records its run (--no-record, --runs-folder DIR).
struct RunRecording {
    bool enabled = true;
    std::string runsFolder; // empty: configuredRunsFolder() (INITLAB_RUNS_FOLDER, else the default)
};

// The folder records go to: recording.runsFolder, else configuredRunsFolder().
std::string runsFolderOf(const RunRecording& recording);

// Writes the record of a run that started (it finished, was cancelled or failed; outcome.status
// says which) and prints one line to err: "run record: <folder>", or "warning: run record not
// written: <why>". Does nothing when recording is off. started is the run's start (isoTimeNow()).
// Returns the record's folder, empty when none was written.
std::string recordRun(const RunRecording& recording, ExperimentKind kind, const RunOutcome& outcome,
                      const std::string& started, std::ostream& err);

// How a command whose run has started ends: sets outcome's status from exitCode (kExitCancelled) or
// failure (a failure after the runner succeeded, such as an unwritable CSV), records the run as
// recordRun does, and returns exitCode, so that `return recordEnding(..., code)` ends the command.
int recordEnding(const RunRecording& recording, ExperimentKind kind, RunOutcome& outcome, const std::string& started,
                 std::ostream& err, int exitCode, const std::string& failure = {});

} // namespace initlab::cli

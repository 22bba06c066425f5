#pragma once
// What one run of an experiment leaves in its run record - the experiment file, the contract CSVs,
// how it ended and a one-line summary - built from the run's config and result, and the writing of
// that record with the machine's facts. Shared by the GUI and initlab-cli so that a run leaves the
// same record whichever of them ran it.

#include "initlab/blas.h"
#include "initlab/experimentfile.h"
#include "initlab/runrecord.h"

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace initlab {

using ResultFiles = std::vector<std::pair<std::string, std::string>>; // file name, content

// What a finished, cancelled or failed run leaves in its record.
struct RunOutcome {
    std::string experimentJson;
    ResultFiles results;
    // Files made only when the record is written, on whichever thread writes it: a long circles
    // run's history is megabytes of CSV, which the window's thread should not spend its time on.
    std::function<ResultFiles()> laterResults;
    std::string status;  // "finished", "cancelled" or "failed: <message>"
    std::string summary; // one line for the Runs list
    int threads = 0;     // LibTorch threads the config asked for (0 = all)
};
// results, then what laterResults makes: every file of the record.
ResultFiles allResults(const RunOutcome& outcome);

RunOutcome deepOutcome(const DeepConfig& config, const DeepResult& result);
RunOutcome circlesOutcome(const CirclesConfig& config, const CirclesExtras& extras, const CirclesResult& result);
// The same keeping result itself for laterResults, without a copy (a run's history is megabytes).
RunOutcome circlesOutcome(const CirclesConfig& config, const CirclesExtras& extras,
                          std::shared_ptr<const CirclesResult> result);
RunOutcome dropoutOutcome(const DropoutConfig& config, const DropoutExtras& extras, const DropoutResult& result);

// The runs folder records go to: INITLAB_RUNS_FOLDER when set and not empty (tests, people who keep
// runs elsewhere), else defaultRunsFolder().
std::string configuredRunsFolder();

// Writes the record of one run into runsFolder (see writeRunRecord). The machine facts come from
// blas, and the threads recorded are those the run used, usableThreads(outcome.threads,
// blas.hardwareThreads); started is the run's start (ISO 8601, UTC), and it finishes now. Returns
// the record's folder, or an empty string with error set.
std::string writeRunOutcome(const std::string& runsFolder, ExperimentKind kind, const RunOutcome& outcome,
                            const BlasInfo& blas, const std::string& started, std::string& error);

} // namespace initlab

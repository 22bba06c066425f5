#pragma once
// Run records: every run leaves a folder in the runs folder with what is needed to see it again and
// to repeat it - the experiment file (settings and seeds), the versions and machine it ran on, when
// it ran, how it ended, and its results as the CSV files of the CLI contract.

#include "initlab/experimentfile.h"

#include <string>
#include <utility>
#include <vector>

namespace initlab {

struct RunInfo {
    ExperimentKind kind = ExperimentKind::Deep;
    std::string initlabVersion;
    std::string torchVersion;
    std::string blas;         // library and kernels
    int threads = 0;          // LibTorch intra-op threads the run used
    std::string started;      // ISO 8601, UTC
    std::string finished;
    std::string status;       // "finished", "cancelled" or "failed: <message>"
    std::string summary;      // one line for lists ("7 combinations, depth 50")
};

// $XDG_DATA_HOME/initlab/runs, else ~/.local/share/initlab/runs.
std::string defaultRunsFolder();

// The current time as ISO 8601 in UTC ("2026-11-27T10:59:06Z").
std::string isoTimeNow();

// Writes <runsFolder>/<started, compact>-<experiment>[-n]/ with experiment.json, run.json and the
// result files (name, content). Every file is written atomically. Returns the folder, or an empty
// string and error.
std::string writeRunRecord(const std::string& runsFolder, const std::string& experimentJson, const RunInfo& info,
                           const std::vector<std::pair<std::string, std::string>>& results, std::string& error);

struct RunRecord {
    std::string folder;
    RunInfo info;
    ExperimentFile experiment;
    std::vector<std::string> resultFiles; // file names present besides experiment.json and run.json
    // Empty when the record was read whole; otherwise why it cannot be, naming the file
    // ("experiment.json: a number on line 3 is too large (1e999)"), and the fields above hold what
    // could be read. Such a record can be looked at and deleted, not shown or run again.
    std::string problem;
};

// Reads the record in folder. False with error (the folder and the problem); out then holds the
// folder, what could be read and the problem.
bool readRunRecord(const std::string& folder, RunRecord& out, std::string& error);

// The run records of a runs folder, newest first. A folder with a run.json or an experiment.json
// that cannot be read is listed too, with its problem, so that it is seen rather than lost; other
// folders are skipped, and a runs folder that cannot be read has no records.
std::vector<RunRecord> listRunRecords(const std::string& runsFolder);

// ---- results back from their CSV files -------------------------------------------------------

// deep.csv -> the combinations and layer statistics it holds.
bool parseDeepCsv(const std::string& csv, DeepResult& out, std::string& error);
// deep_hist.csv -> the histograms of the combinations and layers `inOut` already holds (from
// deep.csv). inOut is unchanged on error.
bool parseDeepHistogramCsv(const std::string& csv, DeepResult& inOut, std::string& error);
// circles_history.csv and circles_summary.csv -> models with their history and summary numbers
// (no boundary images: those are recomputed by re-running).
bool parseCirclesCsv(const std::string& history, const std::string& summary, CirclesResult& out, std::string& error);
// dropout_history.csv and ensemble_curve.csv (and ensemble.csv for the single-pass accuracy).
bool parseDropoutCsv(const std::string& history, const std::string& ensemble, const std::string& curve,
                     DropoutResult& out, std::string& error);

} // namespace initlab

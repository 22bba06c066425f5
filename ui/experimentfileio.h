#pragma once
// The GUI's side of experiment files and run records: Qt-typed wrappers around core's plain C++
// functions (experimentfile.h, runrecord.h, csv.h), and the pieces of a run record each tab's
// results turn into (the contract CSVs and a one-line summary). Nothing here touches torch.

#include "initlab/blas.h"
#include "initlab/experimentfile.h"
#include "initlab/runrecord.h"

#include <QString>
#include <QStringList>

#include <string>
#include <utility>
#include <vector>

namespace initlab::ui {

using ResultFiles = std::vector<std::pair<std::string, std::string>>;

// Reads and parses an experiment file. False with error naming the path and the key; warnings
// lists unknown keys (the file still loads).
bool loadExperimentFile(const QString& path, ExperimentFile& out, QString& error, QStringList& warnings);
// Writes json to path atomically; empty on success, else the reason.
QString saveExperimentFile(const QString& path, const std::string& json);

// The tab's index in the window and its name in experiment files ("deep", "circles", "dropout").
QString experimentName(ExperimentKind kind);
QString experimentTitle(ExperimentKind kind); // "Deep signal propagation", …

// The runs folder: INITLAB_RUNS_FOLDER when set (tests, people who keep runs elsewhere), else
// core's defaultRunsFolder() ($XDG_DATA_HOME/initlab/runs).
QString runsFolder();

// What a finished, cancelled or failed run leaves in its record.
struct RunOutcome {
    std::string experimentJson;
    ResultFiles results;
    std::string status;  // "finished", "cancelled" or "failed: <message>"
    std::string summary; // one line for the Runs list
    int threads = 0;     // LibTorch threads the config asked for (0 = all)
};
RunOutcome deepOutcome(const DeepConfig& config, const DeepResult& result);
RunOutcome circlesOutcome(const CirclesConfig& config, const CirclesExtras& extras, const CirclesResult& result);
RunOutcome dropoutOutcome(const DropoutConfig& config, const DropoutExtras& extras, const DropoutResult& result);

// Writes the record of one run into folder. The machine facts come from blas (collected on a
// worker thread); kind, started and finished are the run's. Returns the record's folder, or an
// empty string with error set.
QString writeRunRecordFor(const QString& folder, ExperimentKind kind, const RunOutcome& outcome,
                          const BlasInfo& blas, const std::string& started, QString& error);

// A run's results back from its record's CSV files. False with error when a file is missing or
// does not parse.
bool readDeepRecord(const RunRecord& record, DeepResult& out, QString& error);
bool readCirclesRecord(const RunRecord& record, CirclesResult& out, QString& error);
bool readDropoutRecord(const RunRecord& record, DropoutResult& out, QString& error);

} // namespace initlab::ui

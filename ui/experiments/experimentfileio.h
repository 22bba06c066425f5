#pragma once
// The GUI's side of experiment files and run records: Qt-typed wrappers around core's plain C++
// functions (experimentfile.h, runrecord.h, runoutcome.h, csv.h). What a run leaves in its record
// (the contract CSVs and a one-line summary) is core's runoutcome.h, shared with initlab-cli.
// Nothing here touches torch.

#include "initlab/blas.h"
#include "initlab/experimentfile.h"
#include "initlab/runoutcome.h"
#include "initlab/runrecord.h"

#include <QString>
#include <QStringList>

#include <string>
#include <utility>
#include <vector>

namespace initlab::ui {

using initlab::ResultFiles;

// Reads and parses an experiment file. False with error naming the path and the key; warnings
// lists unknown keys (the file still loads).
bool loadExperimentFile(const QString& path, ExperimentFile& out, QString& error, QStringList& warnings);
// Writes json to path atomically; empty on success, else the reason.
QString saveExperimentFile(const QString& path, const std::string& json);

// The tab's index in the window and its name in experiment files ("deep", "circles", "dropout").
QString experimentName(ExperimentKind kind);
QString experimentTitle(ExperimentKind kind); // "Deep signal propagation", …

// The runs folder: core's configuredRunsFolder() (INITLAB_RUNS_FOLDER when set, else
// $XDG_DATA_HOME/initlab/runs), the same folder initlab-cli records its runs in.
QString runsFolder();

// What a finished, cancelled or failed run leaves in its record: core builds it (runoutcome.h), so
// that the GUI and initlab-cli leave the same records.
using initlab::RunOutcome;
using initlab::circlesOutcome;
using initlab::deepOutcome;
using initlab::dropoutOutcome;

// Writes the record of one run into folder (core's writeRunOutcome). The machine facts come from
// blas (collected on a worker thread); kind, started and finished are the run's. Returns the
// record's folder, or an empty string with error set.
QString writeRunRecordFor(const QString& folder, ExperimentKind kind, const RunOutcome& outcome,
                          const BlasInfo& blas, const std::string& started, QString& error);

// A run's results back from its record's CSV files. False with error when a file is missing or
// does not parse.
bool readDeepRecord(const RunRecord& record, DeepResult& out, QString& error);
bool readCirclesRecord(const RunRecord& record, CirclesResult& out, QString& error);
bool readDropoutRecord(const RunRecord& record, DropoutResult& out, QString& error);

} // namespace initlab::ui

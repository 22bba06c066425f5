#pragma once
// "Reproduce the report": the homework report's three experiments at its settings, run one after the
// other, for `initlab-cli reproduce` and the GUI's File > Reproduce the report. The plan says what is
// run (the full report, or a reduced quick version that finishes in a few minutes); the runner runs
// it with one progress fraction over all three and one cancel flag, and keeps every result in memory
// (the decision-boundary images and confusion matrices too, which no CSV holds) for the figures.

#include "initlab/cancellation.h"
#include "initlab/circles.h"
#include "initlab/deeppropagation.h"
#include "initlab/dropout.h"
#include "initlab/experimentfile.h"
#include "initlab/mnist.h"

#include <string>

namespace initlab {

struct ReportPlan {
    bool quick = false;
    DeepConfig deep;
    CirclesConfig circles;
    CirclesExtras circlesExtras;
    DropoutConfig dropout;
    DropoutExtras dropoutExtras;
};

// The report's settings (quick: a smaller deep batch, fewer dropout epochs, ensembles up to T = 50
// over part of the test file). threads: LibTorch threads for the deep and dropout runs, 0 = all.
ReportPlan reportPlan(bool quick, int threads = 0);

// A rough duration of each experiment of a plan on this machine, in seconds, for one progress bar
// over the three of them (only the proportions matter).
struct ReportWeights {
    double deep = 1.0, circles = 1.0, dropout = 1.0;
};
ReportWeights reportWeights(const ReportPlan& plan, const MnistDataset& data);

enum class ReportStage { Deep, Circles, Dropout };
std::string_view title(ReportStage stage); // "Deep signal propagation", ...

// Receives progress on the runner's thread.
class ReportProgress {
public:
    virtual ~ReportProgress() = default;
    virtual void onStageStarted(ReportStage stage) {}
    // The whole report's fraction done, in [0, 1].
    virtual void onProgress(double fraction) {}
    virtual void onStageFinished(ReportStage stage) {}
};

struct ReportTiming {
    std::string started;  // ISO 8601, UTC
    std::string finished;
    double seconds = 0.0;
};

struct ReportResults {
    ReportPlan plan;
    std::string dataFolder; // where the dropout experiment's images came from
    DatasetKind dataKind = DatasetKind::Unknown;
    DeepResult deep;
    CirclesResult circles;
    DropoutResult dropout;
    ReportTiming deepTiming, circlesTiming, dropoutTiming;
    bool cancelled = false;
    std::string error; // the first experiment that failed and why
};

// Runs the plan's three experiments in order on the calling thread. data is the dropout
// experiment's images (loaded by the caller, who can report a missing folder before anything runs).
// Stops after the first failure or when cancel is set; the results then hold what finished.
ReportResults runReportExperiments(const ReportPlan& plan, const MnistDataset& data, const std::string& dataFolder,
                                   ReportProgress* progress, const CancelFlag& cancel);

} // namespace initlab

#include "initlab/runoutcome.h"

#include "initlab/circlessnapshots.h"

#include "initlab/csv.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <memory>

namespace initlab {
namespace {

std::string statusOf(const std::string& error, bool cancelled)
{
    if (!error.empty())
        return "failed: " + error;
    return cancelled ? "cancelled" : "finished";
}

std::string percentText(double fraction)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f %%", 100.0 * fraction);
    return buffer;
}

std::string numberList(const std::vector<double>& values)
{
    std::string text;
    for (double v : values)
        text += (text.empty() ? "" : ", ") + formatNumber(v);
    return text;
}

} // namespace

RunOutcome deepOutcome(const DeepConfig& config, const DeepResult& result)
{
    RunOutcome outcome;
    outcome.experimentJson = experimentFileJson(config);
    outcome.threads = config.threads;
    outcome.status = statusOf(result.error, result.cancelled);
    if (!result.combinations.empty())
        outcome.results.emplace_back("deep.csv", deepCsv(result));
    if (hasHistograms(result))
        outcome.results.emplace_back("deep_hist.csv", deepHistogramCsv(result));
    std::string what = config.combinations.size() == 1
        ? label(config.combinations.front())
        : std::to_string(config.combinations.size()) + " combinations";
    outcome.summary = what + ", depth " + std::to_string(config.depth) + ", width " + std::to_string(config.width)
                      + ", batch " + std::to_string(config.batch) + ", seed " + std::to_string(config.seed);
    if (result.cancelled)
        outcome.summary += " (" + std::to_string(result.combinations.size()) + " done)";
    return outcome;
}

ResultFiles allResults(const RunOutcome& outcome)
{
    ResultFiles files = outcome.results;
    if (outcome.laterResults) {
        ResultFiles later = outcome.laterResults();
        files.insert(files.end(), std::make_move_iterator(later.begin()), std::make_move_iterator(later.end()));
    }
    return files;
}

RunOutcome circlesOutcome(const CirclesConfig& config, const CirclesExtras& extras, const CirclesResult& result)
{
    return circlesOutcome(config, extras, std::make_shared<const CirclesResult>(result));
}

RunOutcome circlesOutcome(const CirclesConfig& config, const CirclesExtras& extras,
                          std::shared_ptr<const CirclesResult> kept)
{
    const CirclesResult& result = *kept;
    RunOutcome outcome;
    // Saved as the user set it up: the interval and live models are the panel's business.
    CirclesConfig saved = config;
    saved.liveBoundaryModels.clear();
    outcome.experimentJson = experimentFileJson(saved, extras);
    outcome.threads = config.threads;
    outcome.status = statusOf(result.error, result.cancelled);
    if (!result.models.empty()) {
        outcome.laterResults = [kept] {
            ResultFiles files{{"circles_history.csv", circlesHistoryCsv(*kept)},
                              {"circles_summary.csv", circlesSummaryCsv(*kept)}};
            // Every model's parameters at the recorded epochs: the record's boundaries, drawn again.
            if (!kept->snapshots.empty())
                files.emplace_back("circles_snapshots.bin", snapshotsFileBytes(kept->snapshots));
            return files;
        };
    }
    const std::size_t models = config.inits.size() * config.normalizations.size() * std::size_t(config.seeds);
    outcome.summary = std::to_string(models) + (models == 1 ? " model" : " models") + " x "
                      + std::to_string(result.epochsRun) + " epochs, seed " + std::to_string(config.firstSeed);
    const std::vector<CirclesSummaryRow> rows = summarize(result, extras.successThreshold);
    const auto best = std::max_element(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        return a.meanTestAcc < b.meanTestAcc;
    });
    if (best != rows.end())
        outcome.summary += "; best " + std::string(name(best->normalization)) + " + " + std::string(name(best->init))
                           + " " + percentText(best->meanTestAcc);
    return outcome;
}

RunOutcome dropoutOutcome(const DropoutConfig& config, const DropoutExtras& extras, const DropoutResult& result)
{
    RunOutcome outcome;
    outcome.experimentJson = experimentFileJson(config, extras);
    outcome.threads = config.threads;
    outcome.status = statusOf(result.error, result.cancelled);
    if (!result.runs.empty()) {
        outcome.results.emplace_back("dropout_history.csv", dropoutHistoryCsv(result));
        outcome.results.emplace_back("ensemble.csv", ensembleCsv(result, config.ensembleSizes));
        outcome.results.emplace_back("ensemble_curve.csv", ensembleCurveCsv(result));
    }
    outcome.summary = "p = " + numberList(config.ps) + ", " + std::to_string(config.epochs)
                      + (config.epochs == 1 ? " epoch" : " epochs") + ", seed " + std::to_string(config.seed);
    double best = -1.0;
    for (const DropoutRunResult& run : result.runs)
        if (!run.ensembleAcc.empty())
            best = std::max(best, run.ensembleAcc.back());
    if (best >= 0.0)
        outcome.summary += "; best ensemble " + percentText(best);
    return outcome;
}

std::string configuredRunsFolder()
{
    if (const char* custom = std::getenv("INITLAB_RUNS_FOLDER"); custom && *custom)
        return custom;
    return defaultRunsFolder();
}

std::string writeRunOutcome(const std::string& runsFolder, ExperimentKind kind, const RunOutcome& outcome,
                            const BlasInfo& blas, const std::string& started, std::string& error)
{
    RunInfo info;
    info.kind = kind;
    info.initlabVersion = INITLAB_VERSION;
    info.torchVersion = blas.torchVersion;
    info.blas = blas.library;
    if (!blas.coreName.empty())
        info.blas += " (" + blas.coreName + " kernels)";
    info.threads = usableThreads(outcome.threads, blas.hardwareThreads); // what ran, not what was asked
    info.started = started;
    info.finished = isoTimeNow();
    info.status = outcome.status;
    info.summary = outcome.summary;
    return writeRunRecord(runsFolder, outcome.experimentJson, info, allResults(outcome), error);
}

} // namespace initlab

#include "circlescommand.h"

#include "boundarypng.h"
#include "runrecording.h"
#include "statusline.h"
#include "texttable.h"

#include "initlab/circlessnapshots.h"
#include "initlab/csv.h"
#include "initlab/runoutcome.h"
#include "initlab/stagedfolder.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

namespace initlab::cli {
namespace {

using Clock = std::chrono::steady_clock;

constexpr double kBenchmarkTarget = 20.0; // batched model-epochs per second over one-at-a-time

constexpr std::string_view kHistoryFile = "circles_history.csv";
constexpr std::string_view kSummaryFile = "circles_summary.csv";

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::string modelLabel(const ModelKey& key)
{
    std::string text(name(key.normalization));
    text += " + ";
    text += name(key.init);
    text += ", seed ";
    text += std::to_string(key.seed);
    return text;
}

std::string netShape(const CirclesConfig& config)
{
    // Appends rather than chained operator+: GCC 12 warns falsely (-Wrestrict) on "-" + std::string.
    std::string shape = "2";
    for (const int size : config.hidden) {
        shape += '-';
        shape += std::to_string(size);
    }
    shape += "-2";
    return shape;
}

std::string plural(std::size_t count, std::string_view one, std::string_view many)
{
    return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

std::string threadsText(int threads)
{
    return threads == 0 ? std::string("all cores") : plural(std::size_t(threads), "torch thread", "torch threads");
}

std::string percent(double fraction, int decimals = 2) { return formatFixed(100.0 * fraction, decimals); }

// What was trained, in two lines: the stack and the data.
std::string describeRun(const CirclesConfig& config)
{
    const std::size_t models = config.normalizations.size() * config.inits.size() * std::size_t(config.seeds);
    const CirclesDataConfig& d = config.data;
    std::ostringstream text;
    text << plural(models, "model", "models") << " (" << plural(config.normalizations.size(), "normalization",
                                                                "normalizations")
         << " x " << plural(config.inits.size(), "init scheme", "init schemes") << " x "
         << plural(std::size_t(config.seeds), "seed", "seeds") << "), net " << netShape(config) << ' '
         << name(config.activation) << ", " << config.epochs << " epochs, AdamW lr " << config.learningRate
         << ", weight decay " << config.weightDecay << '\n'
         << "data: rings around (" << d.centerX << ", " << d.centerY << "), radius " << d.innerRadius
         << " (class 0) and " << d.outerRadius << " (class 1) +- U(-" << d.noise << ", " << d.noise << "); "
         << d.trainSize << " training, " << d.validationSize << " validation, " << d.testSize
         << " test points per seed\n";
    return text.str();
}

// Progress on stderr: the epoch, the share done and an ETA, and every model that diverges.
class CirclesProgress final : public CirclesSink {
public:
    CirclesProgress(std::string label, const CirclesConfig& config, StatusLine& status, bool milestones)
        : m_label(std::move(label)), m_epochs(config.epochs), m_keys(modelKeys(config)), m_status(status),
          m_milestones(milestones)
    {
    }

    void onProgress(double fraction) override
    {
        const double elapsed = secondsSince(m_started);
        std::string text = m_label + ": epoch " + std::to_string(std::lround(fraction * m_epochs)) + "/" +
                           std::to_string(m_epochs) + " (" + formatFixed(100.0 * fraction, 0) + " %)";
        if (fraction > 0.0 && fraction < 1.0)
            text += ", ETA " + formatDuration(elapsed * (1.0 - fraction) / fraction);
        m_status.show(text);
        // Without a terminal, every tenth is enough to see the run move in a log.
        const int tenth = static_cast<int>(fraction * 10.0);
        if (!m_status.live() && m_milestones && tenth > m_lastTenth && tenth < 10) {
            m_lastTenth = tenth;
            m_status.print(text);
        }
    }

    void onDiverged(int model, int epoch) override
    {
        m_status.print("diverged: " + modelLabel(m_keys[std::size_t(model)]) + " at epoch " + std::to_string(epoch) +
                       " (its loss became NaN or infinite; the other models go on)");
    }

private:
    std::string m_label;
    int m_epochs = 0;
    std::vector<ModelKey> m_keys;
    StatusLine& m_status;
    bool m_milestones = true;
    int m_lastTenth = 0;
    Clock::time_point m_started = Clock::now();
};

std::string summaryTable(const CirclesResult& result, const std::vector<CirclesSummaryRow>& rows)
{
    TextTable table({"normalization", "init", "seeds", "test % mean", "sd", "success", "best seed", "best test %",
                     "best epoch", "dead units", "diverged"},
                    2);
    for (const CirclesSummaryRow& row : rows) {
        const ModelResult& best = result.models[std::size_t(row.bestModel)];
        const int successes = static_cast<int>(std::lround(row.successRate * row.seeds));
        table.addRow({std::string(name(row.normalization)), std::string(name(row.init)), std::to_string(row.seeds),
                      percent(row.meanTestAcc), row.seeds > 1 ? percent(row.sdTestAcc) : std::string("-"),
                      std::to_string(successes) + "/" + std::to_string(row.seeds), std::to_string(row.bestSeed),
                      percent(best.testAcc), std::to_string(best.bestEpoch),
                      formatFixed(row.meanDeadUnits, row.seeds > 1 ? 1 : 0), std::to_string(row.diverged)});
    }
    return table.render();
}

std::string divergenceNotes(const CirclesResult& result)
{
    std::string notes;
    for (const ModelResult& model : result.models) {
        if (model.divergedEpoch == 0)
            continue;
        notes += "diverged: " + modelLabel(model.key) + " at epoch " + std::to_string(model.divergedEpoch);
        notes += model.bestEpoch > 0 ? "; reported: its best weights before that (epoch " +
                                           std::to_string(model.bestEpoch) + ")\n"
                                     : "; it never had a finite loss, so its test accuracy counts as 0\n";
    }
    return notes.empty() ? std::string("no model diverged\n") : notes;
}

std::string normalizationTitle(Normalization normalization, double factor)
{
    if (normalization == Normalization::Scaled) {
        std::ostringstream text;
        text << "Standardized \u00d7 " << factor;
        return text.str();
    }
    return std::string(displayName(normalization));
}

std::string boundaryFileName(const ModelKey& key)
{
    std::string text = "boundary_";
    text += name(key.normalization);
    text += '_';
    text += name(key.init);
    text += "_seed";
    text += std::to_string(key.seed);
    return text + ".png";
}

// The figure of each summary row's best seed.
std::vector<BoundaryPlot> boundaryPlots(const CirclesConfig& config, const CirclesResult& result,
                                        const std::vector<CirclesSummaryRow>& rows)
{
    std::vector<BoundaryPlot> plots;
    for (const CirclesSummaryRow& row : rows) {
        const ModelResult& model = result.models[std::size_t(row.bestModel)];
        BoundaryPlot plot;
        plot.boundary = model.boundary;
        plot.train = result.datasets[std::size_t(model.key.seed - config.firstSeed)].train;
        plot.title = normalizationTitle(model.key.normalization, config.scaledFactor) + " \u00b7 " +
                     std::string(displayName(model.key.init)) + " \u00b7 seed " + std::to_string(model.key.seed);
        std::ostringstream subtitle;
        subtitle << netShape(config) << ' ' << displayName(config.activation) << ", weights of epoch "
                 << model.bestEpoch << " of " << config.epochs << " (best validation accuracy): test accuracy "
                 << formatFixed(100.0 * model.testAcc, 1) << " %, " << model.deadUnits << " dead units";
        if (model.divergedEpoch > 0)
            subtitle << ", diverged at epoch " << model.divergedEpoch;
        plot.subtitle = subtitle.str();
        plots.push_back(std::move(plot));
    }
    return plots;
}

// The models of a benchmark trained one at a time: a diagonal walk through (normalization, init,
// seed), so that a handful of them covers every normalization and every scheme; when the walk
// repeats itself before `count` models, the first ones not yet taken fill up.
std::vector<int> spreadModels(const CirclesConfig& config, int count)
{
    const int normalizations = static_cast<int>(config.normalizations.size());
    const int inits = static_cast<int>(config.inits.size());
    const int seeds = config.seeds;
    const int models = normalizations * inits * seeds;
    std::vector<int> chosen;
    std::vector<bool> taken(std::size_t(models), false);
    const auto take = [&](int model) {
        if (!taken[std::size_t(model)]) {
            taken[std::size_t(model)] = true;
            chosen.push_back(model);
        }
    };
    for (int k = 0; k < models && int(chosen.size()) < count; ++k)
        take(((k % normalizations) * inits + k % inits) * seeds + k % seeds); // the order of modelKeys()
    for (int model = 0; model < models && int(chosen.size()) < count; ++model)
        take(model);
    return chosen;
}

struct AloneRun {
    int model = 0;        // index in the stack
    ModelResult result;   // trained alone
    double seconds = 0.0;
};

// What recording the parameter snapshots costs: the stack trained again without them.
struct SnapshotCost {
    double secondsWith = 0.0; // the faster of two runs
    double secondsWithout = 0.0;
};

std::string snapshotReport(const CirclesConfig& config, const CirclesResult& stack, const SnapshotCost& cost)
{
    const CirclesSnapshots& s = stack.snapshots;
    const double extra = cost.secondsWith / cost.secondsWithout - 1.0;
    constexpr double kGoal = 0.10;
    std::ostringstream out;
    out << "snapshots: every " << (s.stride == 1 ? std::string("epoch") : std::to_string(s.stride) + " epochs") << ", "
        << s.epochs.size() << " of them, " << formatFixed(double(s.bytes()) / (1 << 20), 1) << " MB (budget "
        << formatFixed(double(config.snapshotBudgetBytes) / (1 << 20), 0) << " MB)\n"
        << "training with snapshots " << formatFixed(cost.secondsWith, 2) << " s, without " << formatFixed(cost.secondsWithout, 2)
        << " s: " << (extra >= 0 ? "+" : "") << formatFixed(100.0 * extra, 1) << " % (goal <= "
        << formatFixed(100.0 * kGoal, 0) << " %): " << (extra <= kGoal ? "met" : "NOT met") << '\n';
    // The largest run the window offers by default: 150 models (10 seeds) x 5000 epochs of this net.
    const std::int64_t perEpoch150 = s.perModel() * 150;
    const int stride150 = snapshotStride(perEpoch150, 5000, config.snapshotBudgetBytes);
    if (stride150 > 0) {
        const std::int64_t count = 1 + (5000 + stride150 - 1) / stride150;
        out << "150 models x 5000 epochs of this net: every " << stride150 << (stride150 == 1 ? " epoch, " : " epochs, ")
            << formatFixed(double(count * perEpoch150) * sizeof(float) / (1 << 20), 1) << " MB\n";
    }
    return out.str();
}

std::string benchmarkReport(const CirclesConfig& config, const CirclesResult& stack, double stackSeconds,
                            const std::vector<AloneRun>& alone)
{
    const double stackModels = static_cast<double>(stack.models.size());
    const double stackRate = stackModels * config.epochs / stackSeconds;
    double aloneSeconds = 0.0;
    for (const AloneRun& run : alone)
        aloneSeconds += run.seconds;
    const double aloneRate = static_cast<double>(alone.size()) * config.epochs / aloneSeconds;
    const double ratio = stackRate / aloneRate;

    TextTable runs({"training", "models", "epochs", "seconds", "model-epochs/s"});
    runs.addRow({"batched (one stack)", std::to_string(stack.models.size()), std::to_string(config.epochs),
                 formatFixed(stackSeconds, 2), formatFixed(stackRate, 0)});
    runs.addRow({"one at a time", std::to_string(alone.size()), std::to_string(config.epochs),
                 formatFixed(aloneSeconds, 2), formatFixed(aloneRate, 0)});

    // The stack must give each model the arithmetic it gets alone; a benchmark that got faster by
    // changing the results would be no benchmark.
    TextTable agreement({"model trained alone", "seconds", "best epoch", "in stack", "test %", "in stack"});
    int same = 0;
    double largestDifference = 0.0;
    for (const AloneRun& run : alone) {
        const ModelResult& inStack = stack.models[std::size_t(run.model)];
        const double difference = std::abs(run.result.testAcc - inStack.testAcc);
        largestDifference = std::max(largestDifference, difference);
        if (run.result.bestEpoch == inStack.bestEpoch && difference < 1e-6)
            ++same;
        agreement.addRow({modelLabel(run.result.key), formatFixed(run.seconds, 2), std::to_string(run.result.bestEpoch),
                          std::to_string(inStack.bestEpoch), percent(run.result.testAcc), percent(inStack.testAcc)});
    }

    std::ostringstream out;
    out << "circles benchmark: " << describeRun(config)
        << "threads: " << threadsText(config.threads)
        << " for both ways (a model's tensors hold a few hundred numbers: more threads would only add\n"
           "synchronisation); 'one at a time' = one runCircles per model, as the GUI or a script would train it\n\n"
        << runs.render() << '\n'
        << agreement.render() << '\n'
        << same << " of " << alone.size()
        << " models trained alone reach the same best epoch and test accuracy as in the stack (largest test "
           "accuracy difference "
        << formatSignificant(largestDifference, 3) << ")\n"
        << "batched: " << formatFixed(stackRate, 0) << " model-epochs/s, one at a time: " << formatFixed(aloneRate, 0)
        << " model-epochs/s: the stack is " << formatFixed(ratio, 1) << "x faster per model (target >= "
        << formatFixed(kBenchmarkTarget, 0) << "x): " << (ratio >= kBenchmarkTarget ? "met" : "NOT met") << '\n';
    return out.str();
}

int reportCancelled(const CliContext& context)
{
    printError(context.err, "cancelled");
    return kExitCancelled;
}

// Creates the output folder and checks that the CSV files can be written into it; returns the
// problem, or an empty string.
std::string prepareFolder(StagedFolder& folder, const std::string& outDir)
{
    if (std::string error = folder.open(outDir); !error.empty())
        return error;
    for (const std::string_view file : {kHistoryFile, kSummaryFile})
        if (std::string error = folder.checkFile(file); !error.empty())
            return error;
    return {};
}

// One model of the stack as a run of its own.
CirclesConfig singleModelConfig(const CirclesConfig& config, const ModelKey& key)
{
    CirclesConfig single = config;
    single.inits = {key.init};
    single.normalizations = {key.normalization};
    single.seeds = 1;
    single.firstSeed = key.seed;
    single.liveBoundaryModels.clear();
    return single;
}

// --benchmark: a few models of the stack trained one at a time, as the GUI or a script would train
// them. Returns kExitSuccess, or the exit status of the failure it printed.
int trainAlone(const CirclesOptions& options, StatusLine& status, const CliContext& context,
               std::vector<AloneRun>& alone)
{
    const std::vector<ModelKey> keys = modelKeys(options.config);
    const std::vector<int> chosen = spreadModels(options.config, options.aloneModels);
    for (std::size_t k = 0; k < chosen.size(); ++k) {
        const ModelKey& key = keys[std::size_t(chosen[k])];
        const CirclesConfig single = singleModelConfig(options.config, key);
        const std::string label = "alone " + std::to_string(k + 1) + "/" + std::to_string(chosen.size()) + " (" +
                                  modelLabel(key) + ")";
        CirclesProgress singleProgress(label, single, status, false);
        const auto singleStarted = Clock::now();
        CirclesResult singleResult = runCircles(single, &singleProgress, context.cancel);
        const double singleSeconds = secondsSince(singleStarted);
        status.finish();
        if (singleResult.cancelled || context.cancel.load())
            return reportCancelled(context);
        if (!singleResult.error.empty()) {
            printError(context.err, singleResult.error);
            return kExitFailure;
        }
        status.print(label + ": " + formatFixed(singleSeconds, 2) + " s");
        alone.push_back({chosen[k], std::move(singleResult.models.front()), singleSeconds});
    }
    return kExitSuccess;
}

// --frames-every: each summary row's best seed, its boundary every framesEvery epochs (the recorded
// epoch at or before, when a large run keeps every k-th epoch only) drawn from the run's snapshots,
// into frames/<normalization>-<init>/ with frames.csv. Returns the problem, or an empty string.
std::string writeFrames(const CirclesOptions& options, const CirclesResult& result,
                        const std::vector<CirclesSummaryRow>& rows, StagedFolder& folder, StatusLine& status)
{
    const CirclesConfig& config = options.config;
    const CirclesSnapshots& snapshots = result.snapshots;
    if (snapshots.empty())
        return "--frames-every: the run recorded no snapshots (its models are too many for the snapshot memory)";
    std::vector<NormalizationMap> maps;
    for (const ModelResult& model : result.models)
        maps.push_back(model.normalization);
    std::size_t written = 0;
    for (const CirclesSummaryRow& row : rows) {
        const ModelResult& model = result.models[std::size_t(row.bestModel)];
        // Up to the model's last finite epoch: after a divergence its weights are not numbers.
        const int lastEpoch = int(model.trainLoss.size());
        std::vector<int> indices;
        for (int epoch = options.framesEvery; epoch <= lastEpoch; epoch += options.framesEvery) {
            const int index = snapshots.indexAtOrBefore(epoch);
            if (index > 0 && (indices.empty() || indices.back() != index))
                indices.push_back(index);
        }
        std::vector<BoundaryPlot> plots;
        std::ostringstream csv;
        csv << "epoch,train_loss,train_acc,val_acc\n";
        const PointSet& train = result.datasets[std::size_t(model.key.seed - config.firstSeed)].train;
        for (const int index : indices) {
            const int epoch = snapshots.epochs[std::size_t(index)];
            BoundaryPlot plot;
            plot.boundary = snapshotBoundaries(config, snapshots, index, maps, {row.bestModel}).front();
            plot.train = train;
            plot.title = normalizationTitle(model.key.normalization, config.scaledFactor) + " \u00b7 " +
                         std::string(displayName(model.key.init)) + " \u00b7 seed " + std::to_string(model.key.seed);
            const std::size_t e = std::size_t(epoch - 1);
            std::ostringstream subtitle;
            subtitle << netShape(config) << ' ' << displayName(config.activation) << ", epoch " << epoch << " of "
                     << config.epochs << ": validation accuracy " << formatFixed(100.0 * model.valAcc[e], 1) << " %";
            plot.subtitle = subtitle.str();
            plots.push_back(std::move(plot));
            // The numbers as circles_history.csv writes them.
            csv << epoch << ',' << formatNumber(model.trainLoss[e]) << ',' << formatNumber(model.trainAcc[e]) << ','
                << formatNumber(model.valAcc[e]) << '\n';
        }
        const std::string dir = "frames/" + std::string(name(model.key.normalization)) + "-" + std::string(name(model.key.init));
        std::vector<std::string> pngs;
        std::string error;
        if (!renderBoundaryPngs(plots, pngs, error))
            return error;
        for (std::size_t i = 0; i < pngs.size(); ++i) {
            char file[32];
            std::snprintf(file, sizeof file, "/epoch-%05d.png", snapshots.epochs[std::size_t(indices[i])]);
            if (std::string problem = folder.writeFile(dir + file, pngs[i]); !problem.empty())
                return problem;
        }
        if (std::string problem = folder.writeFile(dir + "/frames.csv", csv.str()); !problem.empty())
            return problem;
        written += pngs.size();
        status.print("frames: " + dir + ", " + plural(pngs.size(), "frame", "frames"));
    }
    status.print("drew " + plural(written, "frame", "frames") + " from the snapshots (every " +
                 (snapshots.stride == 1 ? std::string("epoch") : std::to_string(snapshots.stride) + " epochs") +
                 " recorded)");
    return {};
}

// --units-png: what each hidden unit of each summary row's best seed computes at its best epoch (the
// recorded epoch at or before), with its dead units and since when. Returns the problem, or empty.
std::string writeUnitMaps(const CirclesOptions& options, const CirclesResult& result,
                          const std::vector<CirclesSummaryRow>& rows, StagedFolder& folder, StatusLine& status)
{
    const CirclesConfig& config = options.config;
    const CirclesSnapshots& snapshots = result.snapshots;
    if (snapshots.empty())
        return "--units-png: the run recorded no snapshots (its models are too many for the snapshot memory)";
    std::vector<NormalizationMap> maps;
    for (const ModelResult& model : result.models)
        maps.push_back(model.normalization);
    std::vector<UnitsPlot> plots;
    std::vector<std::string> names;
    for (const CirclesSummaryRow& row : rows) {
        const ModelResult& model = result.models[std::size_t(row.bestModel)];
        const PointSet& train = result.datasets[std::size_t(model.key.seed - config.firstSeed)].train;
        const int index = snapshots.indexAtOrBefore(std::max(model.bestEpoch, 0));
        UnitsPlot plot;
        plot.maps = snapshotUnits(config, snapshots, index, maps, row.bestModel, train);
        plot.diedAt = unitDeathEpochs(config, snapshots, maps, row.bestModel, train);
        plot.title = normalizationTitle(model.key.normalization, config.scaledFactor) + " \u00b7 " +
                     std::string(displayName(model.key.init)) + " \u00b7 seed " + std::to_string(model.key.seed);
        const int dead = int(std::count(plot.maps.dead.begin(), plot.maps.dead.end(), true));
        plot.subtitle = netShape(config) + " " + std::string(displayName(config.activation)) + ", hidden units at epoch " +
                        std::to_string(plot.maps.epoch) + " (best validation accuracy): " + std::to_string(dead) +
                        (dead == 1 ? " dead unit" : " dead units");
        plots.push_back(std::move(plot));
        names.push_back("units_" + std::string(name(model.key.normalization)) + "_" + std::string(name(model.key.init)) +
                        "_seed" + std::to_string(model.key.seed) + ".png");
    }
    std::vector<std::string> pngs;
    std::string error;
    if (!renderUnitPngs(plots, pngs, error))
        return error;
    for (std::size_t i = 0; i < pngs.size(); ++i)
        if (std::string problem = folder.writeFile(names[i], pngs[i]); !problem.empty())
            return problem;
    status.print("drew " + plural(pngs.size(), "hidden-unit figure", "hidden-unit figures") +
                 " (units_<normalization>_<init>_seed<k>.png)");
    return {};
}

// Writes the CSV files (and the PNGs) and puts them into place together: a failure leaves the
// folder as it was. Returns the problem, or an empty string.
std::string writeResults(const CirclesOptions& options, const CirclesResult& result,
                         const std::vector<CirclesSummaryRow>& rows, StagedFolder& folder, StatusLine& status)
{
    std::vector<std::pair<std::string, std::string>> files{{std::string(kHistoryFile), circlesHistoryCsv(result)},
                                                           {std::string(kSummaryFile), circlesSummaryCsv(result)}};
    if (options.boundaryPng) {
        const std::vector<BoundaryPlot> plots = boundaryPlots(options.config, result, rows);
        std::vector<std::string> pngs;
        std::string error;
        if (!renderBoundaryPngs(plots, pngs, error))
            return error;
        for (std::size_t i = 0; i < rows.size(); ++i)
            files.emplace_back(boundaryFileName(result.models[std::size_t(rows[i].bestModel)].key), std::move(pngs[i]));
    }
    for (const auto& [fileName, content] : files)
        if (std::string error = folder.writeFile(fileName, content); !error.empty())
            return error;
    if (options.framesEvery > 0)
        if (std::string error = writeFrames(options, result, rows, folder, status); !error.empty())
            return error;
    if (options.unitsPng)
        if (std::string error = writeUnitMaps(options, result, rows, folder, status); !error.empty())
            return error;
    if (std::string error = folder.commit(); !error.empty())
        return error;

    std::size_t historyRows = 0;
    for (const ModelResult& model : result.models)
        historyRows += model.trainLoss.size();
    status.print("wrote " + folder.finalPath(kHistoryFile) + " (" + std::to_string(historyRows) + " rows) and " +
                 folder.finalPath(kSummaryFile) + " (" + std::to_string(result.models.size()) + " rows)");
    if (options.boundaryPng)
        status.print("wrote " + plural(rows.size(), "decision-boundary PNG", "decision-boundary PNGs") + " into " +
                     options.outDir + " (boundary_<normalization>_<init>_seed<k>.png)");
    return {};
}

// What a run prints on stdout: the summary per (normalization, init) and the divergences.
std::string resultReport(const CirclesOptions& options, const CirclesResult& result,
                         const std::vector<CirclesSummaryRow>& rows)
{
    std::ostringstream out;
    out << "circles: " << describeRun(options.config) << '\n'
        << summaryTable(result, rows) << '\n'
        << "test %: accuracy of each seed's weights at its best validation accuracy, mean and sd over seeds;\n"
           "success: seeds with test accuracy >= "
        << formatSignificant(options.successThreshold, 4)
        << "; dead units: hidden units never active on the training set\n"
           "after the last epoch (mean over seeds); best: the seed with the highest test accuracy\n"
        << divergenceNotes(result);
    return out.str();
}

} // namespace

int runCirclesCommand(const CirclesOptions& options, const CliContext& context)
{
    const CirclesConfig& config = options.config;

    StagedFolder folder; // the files reach the folder only when the run succeeded

    const bool writesFiles = !options.outDir.empty();
    if (writesFiles) {
        if (std::string error = prepareFolder(folder, options.outDir); !error.empty()) {
            printError(context.err, error);
            return kExitFailure;
        }
    }

    StatusLine status(context.err, context.liveProgress);
    status.print(std::string(options.benchmark ? "circles benchmark: " : "circles: ") + describeRun(config) +
                 "threads: " + threadsText(config.threads));

    CirclesProgress progress(options.benchmark ? "batched" : "circles", config, status, true);
    const auto started = Clock::now();
    const std::string startedIso = isoTimeNow();
    const CirclesResult result = runCircles(config, &progress, context.cancel);
    const double seconds = secondsSince(started);
    status.finish();

    // The run has started: however it ends, it leaves a run record (a benchmark does not), and the
    // record's line is the last one. failure is set when the command fails where the runner did not.
    RunOutcome outcome = circlesOutcome(config, CirclesExtras{options.successThreshold}, result);
    const auto recorded = [&](int exitCode, const std::string& failure = {}) {
        return options.benchmark ? exitCode
                                 : recordEnding(options.recording, ExperimentKind::Circles, outcome, startedIso,
                                                context.err, exitCode, failure);
    };

    if (result.cancelled || context.cancel.load())
        return recorded(reportCancelled(context));
    if (!result.error.empty()) {
        printError(context.err, result.error);
        return recorded(kExitFailure);
    }
    status.print("trained " + plural(result.models.size(), "model", "models") + " x " +
                 std::to_string(result.epochsRun) + " epochs in " + formatDuration(seconds));

    std::vector<AloneRun> alone;
    SnapshotCost snapshotCost;
    if (options.benchmark) {
        if (const int exitCode = trainAlone(options, status, context, alone); exitCode != kExitSuccess)
            return exitCode;
        // The stack again without snapshots and once more with them: the first run of a process
        // also pays for warming up, so the faster of the two with them is compared.
        for (const bool withSnapshots : {false, true}) {
            CirclesConfig again = config;
            if (!withSnapshots)
                again.snapshotBudgetBytes = 0;
            CirclesProgress againProgress(withSnapshots ? "batched again" : "batched, no snapshots", again, status, true);
            const auto againStarted = Clock::now();
            const CirclesResult againResult = runCircles(again, &againProgress, context.cancel);
            const double againSeconds = secondsSince(againStarted);
            status.finish();
            if (againResult.cancelled || context.cancel.load())
                return reportCancelled(context);
            if (withSnapshots)
                snapshotCost.secondsWith = std::min(seconds, againSeconds);
            else
                snapshotCost.secondsWithout = againSeconds;
        }
    }

    const std::vector<CirclesSummaryRow> rows = summarize(result, options.successThreshold);
    if (writesFiles) {
        if (std::string error = writeResults(options, result, rows, folder, status); !error.empty()) {
            printError(context.err, error);
            return recorded(kExitFailure, error);
        }
    }

    if (options.benchmark) {
        context.out << benchmarkReport(config, result, seconds, alone) << snapshotReport(config, result, snapshotCost)
                    << std::flush;
        return kExitSuccess;
    }
    context.out << resultReport(options, result, rows) << std::flush;
    return recorded(kExitSuccess);
}

} // namespace initlab::cli

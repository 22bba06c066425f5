#include "deepcommand.h"

#include "runrecording.h"
#include "texttable.h"

#include "initlab/blas.h"
#include "initlab/csv.h"
#include "initlab/deepprecision.h"
#include "initlab/deeppropagation.h"
#include "initlab/runoutcome.h"
#include "initlab/stagedfolder.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <ostream>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

namespace initlab::cli {
namespace {

constexpr double kBenchmarkTarget = 0.80; // share of the GEMM rate a run should reach

// The BLAS with the torch threads the run used.
std::string blasAndThreads(const BlasInfo& info)
{
    const std::string text = blasSummary(info) + ", " + std::to_string(info.torchThreads);
    return text + (info.torchThreads == 1 ? " torch thread" : " torch threads");
}

// A standard deviation of exactly zero is a signal that vanished; saying so is clearer than "0".
std::string formatStat(double value)
{
    if (value == 0.0)
        return "vanished";
    return formatSignificant(value, 4);
}

double gflops(double flops, double seconds) { return seconds > 0.0 ? flops / seconds / 1e9 : 0.0; }

std::string percent(double ratio) { return formatFixed(100.0 * ratio, 0) + " %"; }

// Progress on stderr: one line per finished combination, or, on a terminal, one line redrawn as the
// run advances (a 50-layer combination takes several seconds, too long to look frozen).
class ProgressReporter final : public DeepSink {
public:
    ProgressReporter(const DeepConfig& config, std::ostream& err, bool live)
        : m_config(config), m_err(err), m_live(live)
    {
    }

    void onCombinationStarted(int combination) override
    {
        m_current = combination;
        m_lastPercent = -1;
        if (m_live)
            redraw(prefix(combination) + " ...");
    }

    void onProgress(double fraction) override
    {
        const int percentDone = static_cast<int>(fraction * 100.0);
        if (!m_live || percentDone == m_lastPercent)
            return;
        m_lastPercent = percentDone;
        redraw(prefix(m_current) + "  " + std::to_string(percentDone) + " % of the run");
    }

    void onCombinationFinished(int combination, const CombinationResult& result) override
    {
        const std::string line = prefix(combination) + "  " + formatFixed(result.seconds, 3) + " s  " +
                                 formatFixed(gflops(result.gemmFlops, result.seconds), 1) + " GFLOP/s";
        if (m_live)
            redraw(line);
        m_err << (m_live ? "\n" : line + "\n") << std::flush;
        m_drawnWidth = 0;
    }

    // Ends a redrawn line so that what follows starts on a fresh one.
    void finish()
    {
        if (m_live && m_drawnWidth > 0)
            m_err << '\n' << std::flush;
        m_drawnWidth = 0;
    }

private:
    std::string prefix(int combination) const
    {
        // Appends rather than chained operator+: GCC 12 warns falsely (-Wrestrict) on "[" + std::string.
        std::string text = "[";
        text += std::to_string(combination + 1);
        text += '/';
        text += std::to_string(m_config.combinations.size());
        text += "] ";
        text += label(m_config.combinations[static_cast<std::size_t>(combination)]);
        if (m_config.bf16)
            text += " (bf16)";
        return text;
    }

    void redraw(const std::string& line)
    {
        std::string padded = line;
        if (padded.size() < m_drawnWidth)
            padded.append(m_drawnWidth - padded.size(), ' ');
        m_err << '\r' << padded << std::flush;
        m_drawnWidth = line.size();
    }

    const DeepConfig& m_config;
    std::ostream& m_err;
    bool m_live = false;
    int m_current = 0;
    int m_lastPercent = -1;
    std::size_t m_drawnWidth = 0;
};

std::string summaryTable(const DeepResult& result, int depth)
{
    const std::string last = std::to_string(depth);
    TextTable table({"combination", "act_std[1]", "act_std[" + last + "]", "grad_std[1]", "grad_std[" + last + "]",
                     "seconds", "GFLOP/s"});
    for (const CombinationResult& combination : result.combinations) {
        const LayerStats& first = combination.layers.front();
        const LayerStats& final = combination.layers.back();
        table.addRow({label(combination.combination), formatStat(first.actStd), formatStat(final.actStd),
                      formatStat(first.gradStd), formatStat(final.gradStd), formatFixed(combination.seconds, 3),
                      formatFixed(gflops(combination.gemmFlops, combination.seconds), 1)});
    }
    return table.render();
}

// One GEMM shape a run performs, and how many FLOPs of the run it accounts for.
struct GemmShape {
    std::string role;
    int m = 0;
    int k = 0;
    int n = 0;
    double flops = 0.0;  // per combination
    int sameAs = -1;     // index of an earlier shape with the same dimensions: measured once
    double gflopsMeasured = 0.0;
};

// The shapes of one chunk's GEMMs: forward (chunk x width . width x width) and the input gradient
// (chunk x width . width x width, not for the first layer) share a shape; the weight gradient is
// width x chunk . chunk x width. A smaller last chunk is ignored: its share of FLOPs is at most one
// chunk's, and a chunk that small is rare at the sizes worth benchmarking.
std::vector<GemmShape> gemmShapes(const DeepConfig& config)
{
    const int chunk = effectiveChunkSize(config);
    const int w = config.width;
    const double perLayer = 2.0 * config.batch * w * w;
    std::vector<GemmShape> shapes{{"forward", chunk, w, w, perLayer * config.depth},
                                  {"weight gradient", w, chunk, w, perLayer * config.depth}};
    if (config.depth > 1)
        shapes.push_back({"input gradient", chunk, w, w, perLayer * (config.depth - 1), 0});
    return shapes;
}

std::string shapeText(const GemmShape& shape)
{
    return std::to_string(shape.m) + "x" + std::to_string(shape.k) + " * " + std::to_string(shape.k) + "x" +
           std::to_string(shape.n);
}

// The rate a run made of these GEMMs would reach: total FLOPs over total time, each shape's time
// being its FLOPs over its rate (a FLOP-weighted harmonic mean).
double combinedGflops(const std::vector<GemmShape>& shapes)
{
    double flops = 0.0;
    double seconds = 0.0;
    for (const GemmShape& shape : shapes) {
        flops += shape.flops;
        seconds += shape.flops / (shape.gflopsMeasured * 1e9);
    }
    return seconds > 0.0 ? flops / seconds / 1e9 : 0.0;
}

// Fills in gflopsMeasured; false when cancelled on the way.
bool measureGemmShapes(std::vector<GemmShape>& shapes, const CancelFlag& cancel, bool bf16 = false)
{
    for (GemmShape& shape : shapes) {
        if (cancel.load())
            return false;
        // measureGemmGflops takes only the dimensions, so a second shape with the same ones would
        // measure the same thing again: reuse the first measurement instead of adding noise.
        shape.gflopsMeasured = shape.sameAs >= 0 ? shapes[static_cast<std::size_t>(shape.sameAs)].gflopsMeasured
                                                 : measureGemmGflops(shape.m, shape.k, shape.n, 1.0, bf16);
    }
    return !cancel.load();
}

// Where a combination's time goes, summed over the combinations: the products (with the rate they
// reached inside the run, against the GEMM rate measured alone) and the element-wise work around them.
std::string timeBreakdown(const DeepResult& result, double gemmRate)
{
    double total = 0.0, products = 0.0, activation = 0.0, statistics = 0.0, derivative = 0.0, binning = 0.0,
           flops = 0.0;
    for (const CombinationResult& c : result.combinations) {
        total += c.seconds;
        products += c.productSeconds;
        activation += c.activationSeconds;
        statistics += c.statisticsSeconds;
        derivative += c.derivativeSeconds;
        binning += c.histogramSeconds;
        flops += c.gemmFlops;
    }
    if (total <= 0.0)
        return {};
    const double other = std::max(0.0, total - products - activation - statistics - derivative - binning);
    const double count = double(result.combinations.size());
    TextTable table({"where the time goes", "seconds per combination", "share"});
    const auto row = [&](const std::string& what, double seconds) {
        table.addRow({what, formatFixed(seconds / count, 3), percent(seconds / total)});
    };
    const double productRate = gflops(flops, products);
    row("matrix products (" + formatFixed(productRate, 1) + " GFLOP/s"
            + (gemmRate > 0.0 ? ", " + percent(productRate / gemmRate) + " of the GEMM rate)" : ")"),
        products);
    row("activation, forward", activation);
    row("statistics (moments, zero and saturation counts)", statistics);
    row("activation derivative, backward", derivative);
    if (binning > 0.0)
        row("histograms", binning);
    row("the rest (loss, setting up the net, waiting)", other);
    return table.render();
}

// The time of a click's preview: the first combination on kPreviewBatch vectors, with histograms.
struct PreviewTiming {
    double seconds = 0.0;
    int batch = 0;
    std::string error;
};

PreviewTiming timePreview(const DeepConfig& config, const CancelFlag& cancel)
{
    DeepConfig preview = previewConfig(config);
    preview.combinations = {config.combinations.front()};
    const auto started = std::chrono::steady_clock::now();
    const DeepResult result = runDeepPropagation(preview, nullptr, cancel);
    PreviewTiming timing;
    timing.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    timing.batch = preview.batch;
    timing.error = result.error;
    return timing;
}

std::string benchmarkReport(const DeepConfig& config, const BlasInfo& blas, const DeepResult& result,
                            const std::vector<GemmShape>& shapes, const PreviewTiming& preview)
{
    const double gemmRate = combinedGflops(shapes);
    const auto ofGemm = [gemmRate](double rate) { return gemmRate > 0.0 ? percent(rate / gemmRate) : "-"; };

    double totalFlops = 0.0;
    double totalSeconds = 0.0;
    TextTable runs({"combination", "seconds", "GFLOP/s", "of GEMM rate"});
    for (const CombinationResult& combination : result.combinations) {
        const double rate = gflops(combination.gemmFlops, combination.seconds);
        runs.addRow({label(combination.combination), formatFixed(combination.seconds, 3), formatFixed(rate, 1),
                     ofGemm(rate)});
        totalFlops += combination.gemmFlops;
        totalSeconds += combination.seconds;
    }
    const double achieved = gflops(totalFlops, totalSeconds);
    runs.addRow({"all " + std::to_string(result.combinations.size()), formatFixed(totalSeconds, 3),
                 formatFixed(achieved, 1), ofGemm(achieved)});

    double shapeFlops = 0.0;
    for (const GemmShape& shape : shapes)
        shapeFlops += shape.flops;
    TextTable gemm({"GEMM", "shape", "GFLOP/s", "share of FLOPs"}, 2);
    for (const GemmShape& shape : shapes) {
        std::string text = shapeText(shape);
        if (shape.sameAs >= 0)
            text += " (as " + shapes[static_cast<std::size_t>(shape.sameAs)].role + ")";
        gemm.addRow({shape.role, text, formatFixed(shape.gflopsMeasured, 1), percent(shape.flops / shapeFlops)});
    }
    gemm.addRow({"FLOP-weighted", "harmonic mean", formatFixed(gemmRate, 1), ""});

    std::ostringstream out;
    out << "deep benchmark: depth " << config.depth << ", width " << config.width << ", batch " << config.batch
        << " (chunks of " << effectiveChunkSize(config) << ")\n"
        << "BLAS: " << blasAndThreads(blas) << "\n\n"
        << runs.render() << '\n'
        << "GEMM rate through the same LibTorch, same threads:\n"
        << gemm.render() << '\n';
    if (gemmRate > 0.0) {
        const double ratio = achieved / gemmRate;
        out << "achieved " << formatFixed(achieved, 1) << " of " << formatFixed(gemmRate, 1) << " GFLOP/s = "
            << percent(ratio) << " of the GEMM rate (target >= " << percent(kBenchmarkTarget)
            << "): " << (ratio >= kBenchmarkTarget ? "met" : "NOT met") << '\n';
    }
    out << '\n' << timeBreakdown(result, gemmRate);
    if (config.histograms) {
        double binning = 0.0;
        for (const CombinationResult& combination : result.combinations)
            binning += combination.histogramSeconds;
        const double without = totalSeconds - binning;
        out << "histograms: " << formatFixed(binning, 3) << " s of the " << formatFixed(totalSeconds, 3)
            << " s went to binning them = " << (without > 0.0 ? percent(binning / without) : "-")
            << " on top of a run without (target <= 10 %)\n";
    }
    if (preview.error.empty())
        out << "preview of a click (" << label(config.combinations.front()) << ", " << preview.batch
            << " vectors, with histograms): " << formatFixed(preview.seconds, 3) << " s (target < 1 s)\n";
    else
        out << "preview of a click: " << preview.error << '\n';
    return out.str();
}

std::string differenceText(const StatisticDifference& d)
{
    using Scale = StatisticDifference::Scale;
    if (std::isnan(d.largest))
        return "NaN";
    if (std::isinf(d.largest))
        return "from 0";
    switch (d.scale) {
    case Scale::Relative:
        return formatFixed(100.0 * d.largest, 3) + " %";
    case Scale::OfStd:
        return formatFixed(100.0 * d.largest, 3) + " % of std";
    case Scale::Absolute:
        return formatFixed(100.0 * d.largest, 3) + " pp";
    }
    return {};
}

// fp32 against bf16: the times side by side and the largest difference of every statistic.
std::string precisionReport(const DeepResult& fp32, const DeepResult& bf16, const std::vector<GemmShape>& fp32Shapes,
                            const std::vector<GemmShape>& bf16Shapes)
{
    TextTable times({"combination", "fp32 s", "bf16 s", "bf16 speed-up"});
    double fp32Total = 0.0, bf16Total = 0.0, bf16Products = 0.0, fp32Products = 0.0;
    for (std::size_t c = 0; c < fp32.combinations.size() && c < bf16.combinations.size(); ++c) {
        const CombinationResult& f = fp32.combinations[c];
        const CombinationResult& b = bf16.combinations[c];
        times.addRow({label(f.combination), formatFixed(f.seconds, 3), formatFixed(b.seconds, 3),
                      formatFixed(f.seconds / b.seconds, 2) + "x"});
        fp32Total += f.seconds;
        bf16Total += b.seconds;
        fp32Products += f.productSeconds;
        bf16Products += b.productSeconds;
    }
    const double speedUp = bf16Total > 0.0 ? fp32Total / bf16Total : 0.0;
    const double fp32Gemm = combinedGflops(fp32Shapes);
    const double bf16Gemm = combinedGflops(bf16Shapes);
    times.addRow({"all " + std::to_string(fp32.combinations.size()), formatFixed(fp32Total, 3),
                  formatFixed(bf16Total, 3), formatFixed(speedUp, 2) + "x"});

    TextTable differences({"statistic", "largest bf16 - fp32", "where"});
    for (const StatisticDifference& d : largestDifferences(fp32, bf16)) {
        const std::string where = d.combination >= 0
                                      ? label(fp32.combinations[std::size_t(d.combination)].combination) + ", layer " +
                                            std::to_string(d.layer)
                                      : std::string("-");
        differences.addRow({d.column, differenceText(d), where});
    }

    std::ostringstream out;
    out << "\nfp32 against bf16 (products in bfloat16 through oneDNN"
        << (cpuHasBf16() ? "" : "; this CPU has no bf16 arithmetic (AVX-512-BF16, AMX), so bf16 is emulated")
        << "):\n"
        << times.render() << "bf16 is " << formatFixed(speedUp, 2) << "x as fast as fp32 (target >= 2x): "
        << (speedUp >= 2.0 ? "met" : "NOT met") << "; the products alone " << formatFixed(fp32Products, 3)
        << " s against " << formatFixed(bf16Products, 3) << " s = "
        << formatFixed(bf16Products > 0.0 ? fp32Products / bf16Products : 0.0, 2) << "x\n\n"
        << "bf16 GEMM rate of the same shapes: " << formatFixed(bf16Gemm, 1) << " GFLOP/s = "
        << formatFixed(fp32Gemm > 0.0 ? bf16Gemm / fp32Gemm : 0.0, 2)
        << "x float32's (the products cannot gain more than that)\n\n"
        << "the bf16 run:\n" << timeBreakdown(bf16, bf16Gemm) << '\n'
        << "largest difference of every statistic over every combination and layer (stds relative to\n"
           "fp32's, means in units of their layer's fp32 std, fractions in percentage points):\n"
        << differences.render();
    return out.str();
}

int reportCancelled(const CliContext& context)
{
    printError(context.err, "cancelled");
    return kExitCancelled;
}

constexpr std::string_view kDeepCsv = "deep.csv";
constexpr std::string_view kDeepHistCsv = "deep_hist.csv";

// Opens the output folder and checks that deep.csv (and deep_hist.csv) can go into it; returns the
// problem, or an empty string.
std::string prepareFolder(StagedFolder& folder, const std::string& outDir, bool histograms)
{
    if (std::string error = folder.open(outDir); !error.empty())
        return error;
    if (std::string error = folder.checkFile(kDeepCsv); !error.empty() || !histograms)
        return error;
    return folder.checkFile(kDeepHistCsv);
}

// What runs, on stderr before the run.
void printRunHeader(const DeepOptions& options, const BlasInfo& blas, std::ostream& err)
{
    const DeepConfig& config = options.config;
    err << (options.benchmark ? "benchmark: " : "deep: ") << config.combinations.size() << " combinations, depth "
        << config.depth << ", width " << config.width << ", batch " << config.batch << " (chunks of "
        << effectiveChunkSize(config) << "), seed " << config.seed << '\n'
        << "BLAS: " << blasAndThreads(blas) << '\n'
        << std::flush;
}

// The GEMM rate of the shapes the run performed; false when cancelled.
bool measureRunShapes(const DeepConfig& config, std::vector<GemmShape>& shapes, const CliContext& context)
{
    context.err << "measuring the GEMM rate of the same shapes ..." << std::endl;
    shapes = gemmShapes(config);
    return measureGemmShapes(shapes, context.cancel);
}

// Writes deep.csv, puts it into place and says so; returns the problem, or an empty string.
std::string writeCsv(StagedFolder& folder, const DeepResult& result, const DeepConfig& config, std::ostream& err)
{
    if (std::string error = folder.writeFile(kDeepCsv, deepCsv(result)); !error.empty())
        return error;
    if (config.histograms) {
        if (std::string error = folder.writeFile(kDeepHistCsv, deepHistogramCsv(result)); !error.empty())
            return error;
    }
    if (std::string error = folder.commit(); !error.empty())
        return error;
    const std::size_t layers = config.combinations.size() * std::size_t(config.depth);
    err << "wrote " << folder.finalPath(kDeepCsv) << " (" << layers << " rows)" << std::endl;
    if (config.histograms)
        err << "wrote " << folder.finalPath(kDeepHistCsv) << " (" << layers * 2 * (kHistogramBins + 3) << " rows)"
            << std::endl;
    return {};
}

} // namespace

int runDeepCommand(const DeepOptions& options, const CliContext& context)
{
    const DeepConfig& config = options.config;

    StagedFolder folder; // deep.csv reaches the folder only when the run succeeded
    if (!options.outDir.empty()) {
        if (std::string error = prepareFolder(folder, options.outDir, config.histograms); !error.empty()) {
            printError(context.err, error);
            return kExitFailure;
        }
    }

    setTorchThreads(config.threads);
    const BlasInfo blas = blasInfo();
    printRunHeader(options, blas, context.err);

    // A bf16 benchmark runs in float32 first, for the GEMM rate and the differences; its float32 part
    // (the run, the preview, the report) is that of the same config in float32.
    DeepConfig fp32 = config;
    fp32.bf16 = false;
    DeepResult reference;
    if (options.benchmark && config.bf16) {
        ProgressReporter progress(fp32, context.err, context.liveProgress);
        reference = runDeepPropagation(fp32, &progress, context.cancel);
        progress.finish();
        if (reference.cancelled || context.cancel.load())
            return reportCancelled(context);
        if (!reference.error.empty()) {
            printError(context.err, reference.error);
            return kExitFailure;
        }
    }

    ProgressReporter progress(config, context.err, context.liveProgress);
    const std::string started = isoTimeNow();
    const DeepResult result = runDeepPropagation(config, &progress, context.cancel);
    progress.finish();

    // The run has started: however it ends, it leaves a run record (a benchmark does not), and the
    // record's line is the last one. failure is set when the command fails where the runner did not.
    RunOutcome outcome = deepOutcome(config, result);
    const auto recorded = [&](int exitCode, const std::string& failure = {}) {
        return options.benchmark ? exitCode
                                 : recordEnding(options.recording, ExperimentKind::Deep, outcome, started,
                                                context.err, exitCode, failure);
    };

    if (result.cancelled || context.cancel.load())
        return recorded(reportCancelled(context));
    if (!result.error.empty()) {
        printError(context.err, result.error);
        return recorded(kExitFailure);
    }
    if (result.combinations.size() != config.combinations.size()) {
        const std::string error = "the run ended after " + std::to_string(result.combinations.size()) + " of " +
                                  std::to_string(config.combinations.size()) + " combinations";
        printError(context.err, error);
        return recorded(kExitFailure, error);
    }

    // Measured after the run, before the CSV is written: a cancel during the measurement still
    // leaves no file.
    std::vector<GemmShape> shapes;
    if (options.benchmark && !measureRunShapes(config, shapes, context))
        return reportCancelled(context);

    if (folder.isOpen()) {
        if (std::string error = writeCsv(folder, result, config, context.err); !error.empty()) {
            printError(context.err, error);
            return recorded(kExitFailure, error);
        }
    }

    if (!options.benchmark) {
        context.out << summaryTable(result, config.depth) << std::flush;
        return recorded(kExitSuccess);
    }

    const PreviewTiming preview = timePreview(fp32, context.cancel);
    if (context.cancel.load())
        return reportCancelled(context);
    if (config.bf16) {
        std::vector<GemmShape> bf16Shapes = gemmShapes(config);
        context.err << "measuring the bf16 GEMM rate of the same shapes ..." << std::endl;
        if (!measureGemmShapes(bf16Shapes, context.cancel, true))
            return reportCancelled(context);
        context.out << benchmarkReport(fp32, blas, reference, shapes, preview)
                    << precisionReport(reference, result, shapes, bf16Shapes) << std::flush;
    } else {
        context.out << benchmarkReport(config, blas, result, shapes, preview) << std::flush;
    }
    return kExitSuccess;
}

} // namespace initlab::cli

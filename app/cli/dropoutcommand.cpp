#include "dropoutcommand.h"

#include "runrecording.h"
#include "statusline.h"
#include "texttable.h"

#include "initlab/blas.h"
#include "initlab/csv.h"
#include "initlab/dropout.h"
#include "initlab/mnist.h"
#include "initlab/runoutcome.h"
#include "initlab/stagedfolder.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib> // mkdtemp
#include <filesystem>
#include <ostream>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>


namespace initlab::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kHistoryFile = "dropout_history.csv";
constexpr std::string_view kEnsembleFile = "ensemble.csv";
constexpr std::string_view kCurveFile = "ensemble_curve.csv";
constexpr std::string_view kUncertainFile = "uncertain.csv";
constexpr std::string_view kConfusionFile = "confusion.csv";
constexpr std::string_view kCheckpointFolder = "checkpoints";

// Benchmark sizes: long enough to time reliably, short enough to keep the whole benchmark to about
// a minute on Fashion-MNIST.
const std::vector<double> kBenchmarkPs{0.0, 0.5};
constexpr int kSweepPasses = 20;                       // (b): one sweep per p inside the run
const std::vector<int> kComparedPasses{1, 5, 10, 20, 50}; // (c): fp32 against bf16
constexpr double kGemmTarget = 0.80;     // share of the GEMM rate the MC passes should reach

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::string pText(double p) { return formatSignificant(p, 6); }
std::string percent(double fraction, int decimals = 2) { return formatFixed(100.0 * fraction, decimals); }
double gflops(double flops, double seconds) { return seconds > 0.0 ? flops / seconds / 1e9 : 0.0; }

std::string netShape(const std::vector<int>& sizes)
{
    std::string shape;
    for (const int size : sizes) {
        if (!shape.empty())
            shape += '-';
        shape += std::to_string(size);
    }
    return shape;
}

std::vector<int> layerSizes(const DropoutConfig& config, const MnistDataset& data)
{
    std::vector<int> sizes{data.train.pixelsPerImage()};
    sizes.insert(sizes.end(), config.hidden.begin(), config.hidden.end());
    sizes.push_back(kMnistClasses);
    return sizes;
}

int testCount(const DropoutConfig& config, const MnistDataset& data)
{
    return config.testLimit > 0 ? std::min(config.testLimit, data.test.count) : data.test.count;
}

std::string averagingText(bool probabilities)
{
    return probabilities ? "the passes' softmax probabilities are averaged (Gal & Ghahramani)"
                         : "the passes' logits are averaged (as the report did)";
}


std::string describeData(const DropoutConfig& config, const MnistDataset& data)
{
    std::ostringstream text;
    text << displayName(data.kind) << " from " << data.folder << ": " << data.train.rows << "x" << data.train.cols
         << " images, training " << config.trainBegin << ":" << config.trainEnd << ", validation "
         << config.validationBegin << ":" << config.validationEnd << " of the training file, test "
         << testCount(config, data) << " of " << data.test.count << " test images";
    return text.str();
}

std::string describeNet(const DropoutConfig& config, const MnistDataset& data)
{
    std::ostringstream text;
    text << "net " << netShape(layerSizes(config, data)) << " (dropout before each Linear, ReLU between), init "
         << name(config.init);
    if (config.init == InitScheme::Normal)
        text << " (sigma " << config.normalStd << ")";
    text << ", AdamW lr " << config.learningRate << ", weight decay " << config.weightDecay << ", batch "
         << config.batch << ", seed " << config.seed;
    return text.str();
}

// Progress on stderr: a line per epoch and per finished p, the ensemble sizes as they are reached,
// divergence messages; on a terminal also a redrawn line with the share done and an ETA.
class DropoutProgress final : public DropoutSink {
public:
    DropoutProgress(const DropoutConfig& config, StatusLine& status) : m_config(config), m_status(status)
    {
        m_tMax = config.ensembleSizes.empty()
                     ? 0
                     : *std::max_element(config.ensembleSizes.begin(), config.ensembleSizes.end());
        m_phase = phaseOfEpoch(0, 1);
    }

    void onEpoch(const DropoutEpoch& e) override
    {
        m_status.print(label(e.run) + "  epoch " + std::to_string(e.epoch) + "/" + std::to_string(m_config.epochs) +
                       "  train loss " + formatFixed(e.trainLoss, 4) + "  acc " + percent(e.trainAcc) +
                       " %  val loss " + formatFixed(e.valLoss, 4) + "  acc " + percent(e.valAcc) + " %  " +
                       formatFixed(e.seconds, 1) + " s");
        m_phase = e.epoch < m_config.epochs ? phaseOfEpoch(e.run, e.epoch + 1) : label(e.run) + "  MC passes";
    }

    void onEnsemble(int run, int passes, double accuracy) override
    {
        m_phase = label(run) + "  MC pass " + std::to_string(passes) + "/" + std::to_string(m_tMax) +
                  "  ensemble acc " + percent(accuracy) + " %";
        const bool listed = std::find(m_config.ensembleSizes.begin(), m_config.ensembleSizes.end(), passes) !=
                            m_config.ensembleSizes.end();
        if (listed && !m_status.live())
            m_status.print(label(run) + "  T = " + std::to_string(passes) + ": " + percent(accuracy) + " %");
    }

    void onRunFinished(int run, const DropoutRunResult& r) override
    {
        if (std::size_t(run) + 1 < m_config.ps.size())
            m_phase = phaseOfEpoch(run + 1, 1);
        if (r.ensembleAcc.empty()) {
            // A run without ensembles says why in its message (diverged, cancelled), which
            // onMessage may have printed already.
            if (r.message.empty())
                m_status.print(label(run) + ": no checkpoint to evaluate");
            else if (r.message != m_lastMessage)
                m_status.print(r.message);
            return;
        }
        m_status.print(label(run) + ": best epoch " + std::to_string(r.bestEpoch) + " (validation " +
                       percent(r.bestValAcc) + " %), test single pass " + percent(r.singlePassAcc) + " %, " +
                       std::to_string(r.ensembleAcc.size()) + " MC passes in " + formatDuration(r.ensembleSeconds) +
                       " (" + formatFixed(gflops(r.ensembleFlops, r.ensembleSeconds), 1) + " GFLOP/s), training " +
                       formatFixed(r.stepsPerSecond, 0) + " steps/s");
    }

    void onMessage(const std::string& message) override
    {
        m_lastMessage = message;
        m_status.print(message);
    }

    void onProgress(double fraction) override
    {
        std::string text = m_phase + "  (" + formatFixed(100.0 * fraction, 0) + " % of the run";
        const double elapsed = secondsSince(m_started);
        if (fraction > 0.0 && fraction < 1.0)
            text += ", ETA " + formatDuration(elapsed * (1.0 - fraction) / fraction);
        m_status.show(text + ")");
    }

private:
    std::string label(int run) const { return "p = " + pText(m_config.ps[std::size_t(run)]); }
    std::string phaseOfEpoch(int run, int epoch) const
    {
        return label(run) + "  epoch " + std::to_string(epoch) + "/" + std::to_string(m_config.epochs);
    }

    const DropoutConfig& m_config;
    StatusLine& m_status;
    int m_tMax = 0;
    std::string m_phase;
    std::string m_lastMessage;
    Clock::time_point m_started = Clock::now();
};

std::string tableOne(const DropoutConfig& config, const DropoutResult& result)
{
    std::vector<std::string> header{"p", "best epoch", "val %", "single"};
    for (const int t : config.ensembleSizes)
        header.push_back("T=" + std::to_string(t));
    TextTable table(std::move(header));
    for (const DropoutRunResult& run : result.runs) {
        std::vector<std::string> row{pText(run.p), run.bestEpoch > 0 ? std::to_string(run.bestEpoch) : "-",
                                     run.bestEpoch > 0 ? percent(run.bestValAcc) : "-"};
        const bool evaluated = !run.ensembleAcc.empty();
        row.push_back(evaluated ? percent(run.singlePassAcc) : "-");
        for (const int t : config.ensembleSizes)
            row.push_back(evaluated && std::size_t(t) <= run.ensembleAcc.size() ? percent(run.ensembleAcc[t - 1])
                                                                               : "-");
        table.addRow(std::move(row));
    }
    return table.render();
}

// uncertain.csv: the gallery of each p, most uncertain first.
std::string uncertainCsv(const DropoutResult& result)
{
    std::string out = "p,rank,test_index,label,label_name,predicted,predicted_name,entropy";
    for (int c = 0; c < kMnistClasses; ++c)
        out += ",prob_" + std::to_string(c);
    out += '\n';
    const auto className = [&](int c) {
        return std::size_t(c) < result.classNames.size() ? result.classNames[std::size_t(c)] : std::to_string(c);
    };
    for (const DropoutRunResult& run : result.runs)
        for (std::size_t rank = 0; rank < run.gallery.size(); ++rank) {
            const UncertainImage& image = run.gallery[rank];
            out += formatNumber(run.p) + ',' + std::to_string(rank + 1) + ',' + std::to_string(image.testIndex) + ',' +
                   std::to_string(image.label) + ',' + className(image.label) + ',' + std::to_string(image.predicted) +
                   ',' + className(image.predicted) + ',' + formatNumber(image.entropy);
            for (const float probability : image.meanProbability)
                out += ',' + formatNumber(probability);
            out += '\n';
        }
    return out;
}

// confusion.csv: p,passes,true,predicted,count for the single pass and each ensemble size.
std::string confusionCsv(const DropoutResult& result)
{
    std::string out = "p,passes,true,predicted,count\n";
    for (const DropoutRunResult& run : result.runs)
        for (const ConfusionMatrix& matrix : run.confusion) {
            const std::string passes = matrix.passes == 0 ? std::string("single") : std::to_string(matrix.passes);
            for (int truth = 0; truth < kMnistClasses; ++truth)
                for (int predicted = 0; predicted < kMnistClasses; ++predicted)
                    out += formatNumber(run.p) + ',' + passes + ',' + std::to_string(truth) + ',' +
                           std::to_string(predicted) + ',' +
                           std::to_string(matrix.counts[std::size_t(truth * kMnistClasses + predicted)]) + '\n';
        }
    return out;
}

int reportCancelled(const CliContext& context)
{
    printError(context.err, "cancelled");
    return kExitCancelled;
}

// ---- benchmark -----------------------------------------------------------------------------

// A folder under $TMPDIR for the benchmark's checkpoints, removed with everything in it.
class TemporaryFolder {
public:
    TemporaryFolder()
    {
        std::error_code ec;
        std::string pattern = (fs::temp_directory_path(ec) / "initlab-benchmark-XXXXXX").string();
        if (!ec && ::mkdtemp(pattern.data()))
            m_path = pattern;
    }
    ~TemporaryFolder()
    {
        std::error_code ec;
        if (!m_path.empty())
            fs::remove_all(m_path, ec);
    }
    TemporaryFolder(const TemporaryFolder&) = delete;
    TemporaryFolder& operator=(const TemporaryFolder&) = delete;
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

struct GemmShape {
    int m = 0, k = 0, n = 0;
    double gflopsMeasured = 0.0;
    double flops() const { return 2.0 * m * k * n; }
};

// What the MC passes would reach if each GEMM ran at its measured rate: total FLOPs over the sum of
// each shape's time (a FLOP-weighted harmonic mean).
double combinedGflops(const std::vector<GemmShape>& shapes)
{
    double flops = 0.0, seconds = 0.0;
    for (const GemmShape& shape : shapes) {
        flops += shape.flops();
        seconds += shape.flops() / (shape.gflopsMeasured * 1e9);
    }
    return seconds > 0.0 ? flops / seconds / 1e9 : 0.0;
}

// An ensemble evaluation timed without its fixed part (the dropout-off pass, converting the test
// images and weights), which is measured with zero passes and subtracted.
struct TimedEnsemble {
    EnsembleEvaluation evaluation;
    double passSeconds = 0.0;
};

TimedEnsemble timedEnsemble(const DropoutCheckpoint& checkpoint, const ImageSet& test, int passes,
                            bool averageProbabilities, std::uint64_t seed, bool bf16, const CancelFlag& cancel)
{
    auto started = Clock::now();
    evaluateEnsemble(checkpoint, test, 0, averageProbabilities, seed, bf16);
    const double fixedSeconds = secondsSince(started);
    started = Clock::now();
    TimedEnsemble timed{evaluateEnsemble(checkpoint, test, passes, averageProbabilities, seed, bf16, &cancel), 0.0};
    timed.passSeconds = std::max(1e-9, secondsSince(started) - fixedSeconds);
    return timed;
}

// The benchmark's settings: p = 0 and 0.5 for one epoch, one sweep of MC passes, nothing beyond.
DropoutConfig benchmarkConfig(DropoutConfig config)
{
    config.ps = kBenchmarkPs;
    config.epochs = 1;
    config.ensembleSizes = {kSweepPasses};
    config.galleryCount = 0;
    config.bf16Inference = false;
    return config;
}

// What the benchmark measured, for its report.
struct BenchmarkMeasurements {
    DropoutConfig config;
    int threads = 0; // of the evaluation and the MC passes
    BlasInfo blas;
    DropoutResult result;          // (a) and (b): one epoch per p, and a sweep of MC passes of each
    std::vector<int> sizes;        // the net's layer sizes
    int testImages = 0;
    std::vector<GemmShape> shapes; // (b) the GEMM rate of the passes' shapes
    DropoutCheckpoint checkpoint;  // (c) the last p's best checkpoint,
    TimedEnsemble fp32;            // its ensembles in fp32,
    TimedEnsemble bf16;            // in bf16 with the same masks,
    TimedEnsemble otherMasks;      // and in fp32 with other masks
};

// (b) the GEMM rate of the passes' shapes, with the threads the passes ran on; false when cancelled.
bool measurePassShapes(BenchmarkMeasurements& m, const CancelFlag& cancel)
{
    setTorchThreads(m.config.threads);
    for (std::size_t l = 0; l + 1 < m.sizes.size(); ++l) {
        if (cancel.load())
            return false;
        GemmShape shape{m.testImages, m.sizes[l], m.sizes[l + 1]};
        shape.gflopsMeasured = measureGemmGflops(shape.m, shape.k, shape.n);
        m.shapes.push_back(shape);
    }
    return true;
}

// (c) fp32 against bf16 on the checkpoint with dropout; a second fp32 sweep with other masks shows
// how far MC sampling alone moves the accuracies. Returns kExitSuccess, or the exit status of the
// failure it printed.
int comparePrecisions(BenchmarkMeasurements& m, const MnistDataset& data, StatusLine& status,
                      const CliContext& context)
{
    const DropoutRunResult& dropoutRun = m.result.runs.back();
    std::string error;
    if (!readCheckpoint(dropoutRun.checkpointPath, m.checkpoint, error)) {
        printError(context.err, error);
        return kExitFailure;
    }
    ImageSet test = data.test;
    if (m.testImages < test.count) {
        test.count = m.testImages;
        test.pixels.resize(std::size_t(m.testImages) * test.pixelsPerImage());
        test.labels.resize(std::size_t(m.testImages));
    }
    const int comparedMax = kComparedPasses.back();
    status.print("p = " + pText(dropoutRun.p) + " checkpoint: " + std::to_string(comparedMax) +
                 " MC passes in fp32, in bf16, and in fp32 with other masks ...");
    const auto ensemble = [&](std::uint64_t seed, bool bf16, TimedEnsemble& timed) {
        timed = timedEnsemble(m.checkpoint, test, comparedMax, m.config.averageProbabilities, seed, bf16,
                              context.cancel);
        return !context.cancel.load();
    };
    if (!ensemble(m.config.seed, false, m.fp32) || !ensemble(m.config.seed, true, m.bf16) ||
        !ensemble(m.config.seed + 1, false, m.otherMasks))
        return reportCancelled(context);
    return kExitSuccess;
}

// (a) one training epoch per p. The same epoch in a plain PyTorch script is timed beside it by
// bench/compare-pytorch.sh (./setup.sh bench), in one run on the same machine, rather than quoted
// here from a measurement made on another day under another load.
std::string trainingReport(const BenchmarkMeasurements& m)
{
    const DropoutConfig& config = m.config;
    const int stepsPerEpoch = (config.trainEnd - config.trainBegin + config.batch - 1) / config.batch;
    TextTable training({"training", "steps", "steps/s", "train s", "epoch s (+ validation)"});
    double slowestTrain = 0.0;
    for (const DropoutRunResult& run : m.result.runs) {
        const double trainSeconds = run.stepsPerSecond > 0.0 ? stepsPerEpoch / run.stepsPerSecond : 0.0;
        slowestTrain = std::max(slowestTrain, trainSeconds);
        training.addRow({"p = " + pText(run.p), std::to_string(stepsPerEpoch), formatFixed(run.stepsPerSecond, 0),
                         formatFixed(trainSeconds, 2),
                         run.history.empty() ? std::string("-") : formatFixed(run.history.front().seconds, 2)});
    }
    std::ostringstream out;
    out << "(a) one training epoch at batch " << config.batch << "\n"
        << training.render() << "slowest epoch: " << formatFixed(slowestTrain, 2)
        << " s of training steps; against the same epoch in a plain PyTorch script: ./setup.sh bench\n\n";
    return out.str();
}

// (b) the MC sweeps against the GEMM rate of their shapes.
std::string passesReport(const BenchmarkMeasurements& m)
{
    const double gemmRate = combinedGflops(m.shapes);
    TextTable gemm({"GEMM", "GFLOP/s", "share of FLOPs"});
    double shapeFlops = 0.0;
    for (const GemmShape& shape : m.shapes)
        shapeFlops += shape.flops();
    for (const GemmShape& shape : m.shapes)
        gemm.addRow({std::to_string(shape.m) + "x" + std::to_string(shape.k) + " * " + std::to_string(shape.k) + "x" +
                         std::to_string(shape.n),
                     formatFixed(shape.gflopsMeasured, 1), formatFixed(100.0 * shape.flops() / shapeFlops, 0) + " %"});
    gemm.addRow({"FLOP-weighted harmonic mean", formatFixed(gemmRate, 1), ""});
    TextTable passes({"MC sweep", "passes", "seconds", "GFLOP/s", "of GEMM rate"});
    for (const DropoutRunResult& run : m.result.runs) {
        const double rate = gflops(run.ensembleFlops, run.ensembleSeconds);
        passes.addRow({"p = " + pText(run.p) + (run.p > 0.0 ? "" : " (no masks)"),
                       std::to_string(run.ensembleAcc.size()), formatFixed(run.ensembleSeconds, 2),
                       formatFixed(rate, 1), gemmRate > 0.0 ? formatFixed(100.0 * rate / gemmRate, 0) + " %" : "-"});
    }
    const DropoutRunResult& dropoutRun = m.result.runs.back();
    const double sweepRate = gflops(dropoutRun.ensembleFlops, dropoutRun.ensembleSeconds);
    const double sweepRatio = gemmRate > 0.0 ? sweepRate / gemmRate : 0.0;
    std::ostringstream out;
    out << "(b) MC passes over " << m.testImages << " test images ("
        << formatFixed(forwardFlops(m.sizes, m.testImages) / 1e9, 2) << " GFLOP per pass), fp32, " << m.threads
        << " threads\n"
        << "GEMM rate of the passes' shapes through the same LibTorch, same threads:\n"
        << gemm.render() << passes.render() << "the p = " << pText(dropoutRun.p) << " sweep reaches "
        << formatFixed(sweepRate, 1) << " of " << formatFixed(gemmRate, 1)
        << " GFLOP/s = " << formatFixed(100.0 * sweepRatio, 0)
        << " % of the GEMM rate (target >= " << formatFixed(100.0 * kGemmTarget, 0)
        << " %): " << (sweepRatio >= kGemmTarget ? "met" : "NOT met") << "\n\n";
    return out.str();
}

// (c) fp32 against bf16, beside what other masks alone change.
std::string precisionReport(const BenchmarkMeasurements& m)
{
    const int n = m.testImages;
    const int comparedMax = kComparedPasses.back();
    const double passFlops = forwardFlops(m.sizes, n);
    const double fp32Rate = gflops(passFlops * comparedMax, m.fp32.passSeconds);
    const double bf16Rate = gflops(passFlops * comparedMax, m.bf16.passSeconds);
    TextTable compare({"T", "fp32 %", "bf16 %", "bf16 - fp32", "other masks %", "other - fp32", "2 SE"});
    double largestBf16 = 0.0, largestMasks = 0.0;
    bool withinNoise = true;
    for (const int t : kComparedPasses) {
        const double a = m.fp32.evaluation.ensembleAcc[std::size_t(t - 1)];
        const double b = m.bf16.evaluation.ensembleAcc[std::size_t(t - 1)];
        const double c = m.otherMasks.evaluation.ensembleAcc[std::size_t(t - 1)];
        const double twoSe = 2.0 * std::sqrt(a * (1.0 - a) / n);
        largestBf16 = std::max(largestBf16, std::abs(b - a));
        largestMasks = std::max(largestMasks, std::abs(c - a));
        withinNoise = withinNoise && std::abs(b - a) <= twoSe;
        compare.addRow({std::to_string(t), percent(a), percent(b), formatFixed(100.0 * (b - a), 2) + " pp", percent(c),
                        formatFixed(100.0 * (c - a), 2) + " pp", formatFixed(100.0 * twoSe, 2) + " pp"});
    }
    const double accuracy = m.fp32.evaluation.ensembleAcc[std::size_t(comparedMax - 1)];
    std::ostringstream out;
    out << "(c) p = " << pText(m.result.runs.back().p) << " checkpoint (epoch " << m.checkpoint.epoch
        << "), ensembles in fp32 and bf16 with the same masks, and in fp32 with other masks (seed "
        << m.config.seed + 1 << "); " << (m.config.averageProbabilities ? "probabilities" : "logits")
        << " averaged\n"
        << compare.render() << comparedMax << " passes: fp32 " << formatFixed(fp32Rate, 1) << " GFLOP/s, bf16 "
        << formatFixed(bf16Rate, 1) << " GFLOP/s (" << formatFixed(bf16Rate / fp32Rate, 1) << "x"
        << (cpuHasBf16() ? "" : "; this CPU has no bf16 arithmetic (AVX-512-BF16, AMX), so bf16 is emulated") << ")\n"
        << "sampling noise: a test accuracy over N = " << n
        << " images has binomial standard error sqrt(acc(1-acc)/N) = "
        << formatFixed(100.0 * std::sqrt(accuracy * (1.0 - accuracy) / n), 2)
        << " pp at acc = " << percent(accuracy) << " %; other masks moved the accuracies by up to "
        << formatFixed(100.0 * largestMasks, 2) << " pp\n"
        << "largest bf16 - fp32 difference " << formatFixed(100.0 * largestBf16, 2) << " pp: "
        << (withinNoise ? "within" : "NOT within") << " 2 standard errors at every T\n";
    return out.str();
}

// (a) and (b): one epoch per p, and a sweep of MC passes of each best checkpoint. Returns
// kExitSuccess, or the exit status of the failure it printed.
int trainBenchmarkRuns(BenchmarkMeasurements& m, const MnistDataset& data, StatusLine& status,
                       const CliContext& context)
{
    DropoutProgress progress(m.config, status);
    m.result = runDropout(m.config, data, &progress, context.cancel);
    status.finish();
    if (m.result.cancelled || context.cancel.load())
        return reportCancelled(context);
    if (!m.result.error.empty()) {
        printError(context.err, m.result.error);
        return kExitFailure;
    }
    for (const DropoutRunResult& run : m.result.runs)
        if (run.ensembleAcc.empty() || run.checkpointPath.empty()) {
            printError(context.err, "p = " + pText(run.p) + ": " +
                                        (run.message.empty() ? std::string("no checkpoint was written") : run.message));
            return kExitFailure;
        }
    return kExitSuccess;
}

int runDropoutBenchmark(const DropoutOptions& options, const CliContext& context)
{
    MnistDataset data;
    if (!loadMnistData(options.dataDir, data, context))
        return kExitFailure;
    BenchmarkMeasurements m;
    m.config = benchmarkConfig(options.config);
    if (std::string error = validate(m.config, data); !error.empty()) {
        printError(context.err, error);
        return kExitUsage;
    }
    const TemporaryFolder checkpoints;
    if (checkpoints.path().empty()) {
        printError(context.err, "cannot create a temporary folder for the benchmark's checkpoints");
        return kExitFailure;
    }
    m.config.runFolder = checkpoints.path();

    m.threads = setTorchThreads(m.config.threads);
    m.blas = blasInfo();
    StatusLine status(context.err, context.liveProgress);
    status.print("dropout benchmark: " + describeData(m.config, data));
    status.print(describeNet(m.config, data));
    status.print("BLAS: " + blasSummary(m.blas) + "; " + std::to_string(m.threads) + " torch threads for evaluation");

    if (const int exitCode = trainBenchmarkRuns(m, data, status, context); exitCode != kExitSuccess)
        return exitCode;
    m.sizes = layerSizes(m.config, data);
    m.testImages = testCount(m.config, data);
    status.print("measuring the GEMM rate of the MC passes' shapes ...");
    if (!measurePassShapes(m, context.cancel))
        return reportCancelled(context);
    if (const int exitCode = comparePrecisions(m, data, status, context); exitCode != kExitSuccess)
        return exitCode;

    std::ostringstream out;
    out << "dropout benchmark: " << describeData(m.config, data) << '\n'
        << describeNet(m.config, data) << '\n'
        << "BLAS: " << blasSummary(m.blas) << "; CPU: " << m.blas.cpuFeatures << '\n'
        << "threads: training steps 1 (at batch <= 64 a second thread only adds synchronisation), evaluation and MC "
           "passes "
        << m.threads << "\n\n"
        << trainingReport(m) << passesReport(m) << precisionReport(m);
    context.out << out.str() << std::flush;
    return kExitSuccess;
}

// ---- training run --------------------------------------------------------------------------

// Creates the output folder and checks that the CSV files can be written into it; returns the
// problem, or an empty string.
std::string prepareFolder(StagedFolder& folder, const std::string& outDir)
{
    if (std::string error = folder.open(outDir); !error.empty())
        return error;
    for (const std::string_view file : {kHistoryFile, kEnsembleFile, kCurveFile, kUncertainFile, kConfusionFile})
        if (std::string error = folder.checkFile(file); !error.empty())
            return error;
    return {};
}

// What runs, on stderr before the run.
void printRunHeader(const DropoutConfig& config, const MnistDataset& data, int threads, StatusLine& status)
{
    status.print("dropout: " + describeData(config, data));
    std::string ps;
    for (const double p : config.ps)
        appendItem(ps, pText(p));
    std::string sizes;
    for (const int t : config.ensembleSizes)
        appendItem(sizes, std::to_string(t));
    status.print(describeNet(config, data) + "; p " + ps + "; " + std::to_string(config.epochs) +
                 (config.epochs == 1 ? " epoch" : " epochs") + "; ensembles T " +
                 sizes + (config.bf16Inference ? " in bf16" : "") + "; " + std::to_string(threads) +
                 " torch threads for evaluation");
    if (config.bf16Inference && !cpuHasBf16())
        status.print("note: this CPU has no bf16 arithmetic (AVX-512-BF16, AMX); bf16 passes are emulated and "
                     "may be slower than fp32");
}

// Writes the run's CSV files beside its checkpoints and puts them all into place; returns the
// problem, or an empty string.
std::string writeResults(const DropoutConfig& config, const DropoutResult& result, StagedFolder& folder)
{
    const std::vector<std::pair<std::string_view, std::string>> files{
        {kHistoryFile, dropoutHistoryCsv(result)},
        {kEnsembleFile, ensembleCsv(result, config.ensembleSizes)},
        {kCurveFile, ensembleCurveCsv(result)},
        {kUncertainFile, uncertainCsv(result)},
        {kConfusionFile, confusionCsv(result)},
    };
    for (const auto& [fileName, content] : files)
        if (std::string error = folder.writeFile(fileName, content); !error.empty())
            return error;
    return folder.commit();
}

// What a run prints on stdout: Table I over n test images, and the runs' messages.
std::string tableOneReport(const DropoutConfig& config, const DropoutResult& result, int n)
{
    const DropoutRunResult* evaluated = nullptr;
    for (const DropoutRunResult& run : result.runs)
        if (!run.ensembleAcc.empty())
            evaluated = &run;
    std::ostringstream out;
    out << "Table I: test accuracy (%) on " << displayName(result.kind) << ", " << n
        << " test images, best checkpoint of "
        << config.epochs << (config.epochs == 1 ? " epoch" : " epochs") << " per p\n"
        << "single: one pass with dropout off; T=k: mean of k passes with dropout on, where "
        << averagingText(config.averageProbabilities) << (config.bf16Inference ? "; passes in bf16" : "") << "\n\n"
        << tableOne(config, result) << '\n';
    // How far apart two entries may be by the luck of the test set alone.
    if (evaluated) {
        const double accuracy = evaluated->singlePassAcc;
        out << "sampling noise of one accuracy over " << n << " images: sqrt(acc(1-acc)/N) = "
            << formatFixed(100.0 * std::sqrt(accuracy * (1.0 - accuracy) / n), 2) << " pp at " << percent(accuracy, 1)
            << " %\n";
    }
    for (const DropoutRunResult& run : result.runs)
        if (!run.message.empty())
            out << run.message << '\n';
    return out.str();
}

} // namespace

bool loadMnistData(const std::string& dataDir, MnistDataset& data, const CliContext& context)
{
    std::string folder = dataDir;
    if (folder.empty()) {
        folder = findDataFolder();
        if (folder.empty()) {
            std::string searched;
            for (const std::string& candidate : dataFolderCandidates())
                appendItem(searched, candidate);
            printError(context.err, "no MNIST-format data found (looked in " + searched +
                                        "); give --data DIR or set INITLAB_DATA");
            return false;
        }
    }
    std::string error;
    if (!loadMnistFolder(folder, data, error)) {
        printError(context.err, error);
        return false;
    }
    return true;
}

// Evaluates a saved best checkpoint on the test file: the one-pass accuracy and the ensembles of
// --ensemble from one sweep, as the training run would have, without training again. Core's
// evaluateCheckpoint reads and checks the file, the window's evaluation too.
int runCheckpointEvaluation(const DropoutOptions& options, const CliContext& context)
{
    StagedFolder folder; // without commit() nothing of this evaluation reaches the folder
    if (std::string error = folder.open(options.outDir); !error.empty()) {
        printError(context.err, error);
        return kExitFailure;
    }
    // The data are read once the file has passed its checks; loadMnistData prints its own error.
    class Sink final : public CheckpointEvaluationSink {
    public:
        Sink(const DropoutOptions& options, const CliContext& context, StatusLine& status)
            : m_options(options), m_context(context), m_status(status) {}
        const MnistDataset* testData(std::string&) override
        {
            dataFailed = !loadMnistData(m_options.dataDir, m_data, m_context);
            return dataFailed ? nullptr : &m_data;
        }
        void onBegin(const DropoutConfig& shown, const DropoutCheckpoint& checkpoint) override
        {
            const std::vector<int>& sizes = shown.ensembleSizes;
            const int passes = sizes.empty() ? 0 : *std::max_element(sizes.begin(), sizes.end());
            m_status.print("evaluating " + m_options.checkpoint + " (p = " + pText(checkpoint.p) + ", best epoch " +
                           std::to_string(checkpoint.epoch) + ") on " + std::to_string(shown.testLimit) +
                           " test images, " + std::to_string(passes) + " passes");
        }
        void onEnsemble(int, int done, double accuracy) override
        {
            m_status.show("T = " + std::to_string(done) + ": " + percent(accuracy) + " %");
        }
        bool dataFailed = false;

    private:
        const DropoutOptions& m_options;
        const CliContext& m_context;
        StatusLine& m_status;
        MnistDataset m_data;
    };
    const DropoutConfig& config = options.config;
    StatusLine status(context.err, context.liveProgress);
    Sink sink(options, context, status);
    const auto started = Clock::now();
    const DropoutResult result = evaluateCheckpoint(options.checkpoint, config, sink, context.cancel);
    status.finish();
    if (sink.dataFailed)
        return kExitFailure;
    if (!result.error.empty()) {
        printError(context.err, result.error);
        return kExitFailure;
    }
    if (result.cancelled || context.cancel.load())
        return reportCancelled(context);

    for (const auto& [fileName, content] : std::vector<std::pair<std::string_view, std::string>>{
             {kEnsembleFile, ensembleCsv(result, config.ensembleSizes)}, {kCurveFile, ensembleCurveCsv(result)}})
        if (std::string problem = folder.writeFile(fileName, content); !problem.empty()) {
            printError(context.err, problem);
            return kExitFailure;
        }
    if (std::string problem = folder.commit(); !problem.empty()) {
        printError(context.err, problem);
        return kExitFailure;
    }
    status.print("done in " + formatDuration(secondsSince(started)) + "; wrote ensemble.csv and ensemble_curve.csv into " +
                 options.outDir);
    const DropoutRunResult& run = result.runs.front();
    std::ostringstream out;
    out << "test accuracy (%) of " << options.checkpoint << " (p = " << pText(run.p) << "), "
        << averagingText(config.averageProbabilities) << (config.bf16Inference ? "; passes in bf16" : "") << "\n"
        << "single pass (dropout off): " << percent(run.singlePassAcc) << "\n";
    for (const int t : config.ensembleSizes)
        if (t >= 1 && std::size_t(t) <= run.ensembleAcc.size())
            out << "T = " << t << ": " << percent(run.ensembleAcc[t - 1]) << "\n";
    context.out << out.str() << std::flush;
    return kExitSuccess;
}

int runDropoutCommand(const DropoutOptions& options, const CliContext& context)
{
    if (options.benchmark)
        return runDropoutBenchmark(options, context);
    if (!options.checkpoint.empty())
        return runCheckpointEvaluation(options, context);

    // The checkpoints and CSV files go into the folder together, when the run has succeeded.
    StagedFolder folder;
    if (std::string error = prepareFolder(folder, options.outDir); !error.empty()) {
        printError(context.err, error);
        return kExitFailure;
    }

    MnistDataset data;
    if (!loadMnistData(options.dataDir, data, context))
        return kExitFailure;
    DropoutConfig config = options.config;
    if (std::string error = validate(config, data); !error.empty()) {
        printError(context.err, error);
        return kExitUsage;
    }
    config.runFolder = folder.stagingPath(kCheckpointFolder);

    const int threads = setTorchThreads(config.threads);
    StatusLine status(context.err, context.liveProgress);
    printRunHeader(config, data, threads, status);

    DropoutProgress progress(config, status);
    const auto started = Clock::now();
    const std::string startedIso = isoTimeNow();
    DropoutResult result = runDropout(config, data, &progress, context.cancel);
    status.finish();
    result.error = folder.inFinalTerms(result.error);
    for (DropoutRunResult& run : result.runs)
        run.message = folder.inFinalTerms(run.message);

    // The run has started: however it ends, it leaves a run record, and the record's line is the
    // last one. failure is set when the command fails where the runner did not.
    RunOutcome outcome = dropoutOutcome(config, DropoutExtras{options.dataDir}, result);
    const auto recorded = [&](int exitCode, const std::string& failure = {}) {
        return recordEnding(options.recording, ExperimentKind::Dropout, outcome, startedIso, context.err, exitCode,
                            failure);
    };

    if (result.cancelled || context.cancel.load())
        return recorded(reportCancelled(context));
    if (!result.error.empty()) {
        printError(context.err, result.error);
        return recorded(kExitFailure);
    }
    status.print("done in " + formatDuration(secondsSince(started)));

    if (std::string error = writeResults(config, result, folder); !error.empty()) {
        printError(context.err, error);
        return recorded(kExitFailure, error);
    }
    for (DropoutRunResult& run : result.runs)
        run.checkpointPath = folder.finalPathOf(run.checkpointPath);
    status.print("wrote dropout_history.csv, ensemble.csv, ensemble_curve.csv, uncertain.csv and confusion.csv into " +
                 options.outDir + ", checkpoints into " + folder.finalPath(kCheckpointFolder));

    context.out << tableOneReport(config, result, testCount(config, data)) << std::flush;
    return recorded(kExitSuccess);
}

} // namespace initlab::cli

#include "initlab/report.h"

#include "initlab/runrecord.h"

#include <algorithm>
#include <chrono>

namespace initlab {
namespace {

// Rates of this kind of machine, only for splitting one progress bar between the experiments.
constexpr double kGemmFlopsPerSecond = 1.0e11;
constexpr double kCirclesModelEpochsPerSecond = 2.0e5;
constexpr double kDropoutStepsPerSecond = 600.0;

// Maps one experiment's own fraction into the report's.
class StageProgress {
public:
    StageProgress(ReportProgress* progress, double begin, double share)
        : m_progress(progress), m_begin(begin), m_share(share)
    {
    }
    void report(double fraction) const
    {
        if (m_progress)
            m_progress->onProgress(m_begin + m_share * std::clamp(fraction, 0.0, 1.0));
    }

private:
    ReportProgress* m_progress;
    double m_begin;
    double m_share;
};

// A runner's sink that passes its progress on as a share of the report's.
template <typename Sink>
class StageSink : public Sink {
public:
    explicit StageSink(StageProgress progress) : m_progress(progress) {}
    void onProgress(double fraction) override { m_progress.report(fraction); }

private:
    StageProgress m_progress;
};

// Runs one experiment between the stage callbacks and times it.
template <typename Run>
void runStage(ReportStage stage, ReportProgress* progress, ReportTiming& timing, Run&& run)
{
    if (progress)
        progress->onStageStarted(stage);
    timing.started = isoTimeNow();
    const auto start = std::chrono::steady_clock::now();
    run();
    timing.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    timing.finished = isoTimeNow();
    if (progress)
        progress->onStageFinished(stage);
}

} // namespace

ReportPlan reportPlan(bool quick, int threads)
{
    ReportPlan plan;
    plan.quick = quick;

    // Section I: the report's seven combinations, 50 layers of 512, a batch of 10000. The quick
    // version keeps the net and shrinks the batch: the statistics of 2000 samples already show
    // every trend of the figures.
    plan.deep.combinations = reportCombinations();
    plan.deep.threads = threads;
    plan.deep.histograms = true; // Figs. A and B of section I are drawn from them
    if (quick)
        plan.deep.batch = 2000;

    // Section II: every normalization and init scheme, ten seeds each so that the figures can show
    // the typical run and the success rate rather than one lucky seed. Training all 150 small
    // models as one stack takes seconds, so the quick version keeps it whole.
    plan.circles.seeds = 10;
    plan.circles.reportIntervalMs = 0;

    // Section III: p in {0, 0.2, 0.5}, 10 epochs, ensembles of 5 to 1000 passes over the whole test
    // file. Quick: 2 epochs, ensembles up to 50 passes over the first 2000 test images.
    plan.dropout.threads = threads;
    if (quick) {
        plan.dropout.epochs = 2;
        plan.dropout.ensembleSizes = {5, 50};
        plan.dropout.testLimit = 2000;
    }
    return plan;
}

ReportWeights reportWeights(const ReportPlan& plan, const MnistDataset& data)
{
    ReportWeights weights;
    weights.deep = double(plan.deep.combinations.size())
                   * deepGemmFlops(plan.deep.depth, plan.deep.width, plan.deep.batch) / kGemmFlopsPerSecond;

    const double models = double(plan.circles.inits.size() * plan.circles.normalizations.size())
                          * double(plan.circles.seeds);
    weights.circles = models * double(plan.circles.epochs) / kCirclesModelEpochsPerSecond;

    const DropoutConfig& dropout = plan.dropout;
    std::vector<int> sizes{data.train.pixelsPerImage() > 0 ? data.train.pixelsPerImage() : 784};
    sizes.insert(sizes.end(), dropout.hidden.begin(), dropout.hidden.end());
    sizes.push_back(kMnistClasses);
    const int testCount = dropout.testLimit > 0 ? std::min(dropout.testLimit, std::max(data.test.count, 1))
                                                : std::max(data.test.count, 1);
    const int trainCount = dropout.trainEnd - dropout.trainBegin;
    const int validationCount = dropout.validationEnd - dropout.validationBegin;
    const int maxPasses =
        dropout.ensembleSizes.empty() ? 1 : *std::max_element(dropout.ensembleSizes.begin(), dropout.ensembleSizes.end());
    const double perP = double(dropout.epochs)
                            * (double(trainCount) / double(dropout.batch) / kDropoutStepsPerSecond
                               + forwardFlops(sizes, validationCount) / kGemmFlopsPerSecond)
                        + double(maxPasses) * forwardFlops(sizes, testCount) / kGemmFlopsPerSecond;
    weights.dropout = double(dropout.ps.size()) * perP;
    return weights;
}

std::string_view title(ReportStage stage)
{
    switch (stage) {
    case ReportStage::Deep:
        return "Deep signal propagation";
    case ReportStage::Circles:
        return "Shallow net and data normalization";
    case ReportStage::Dropout:
        return "Dropout and MC-dropout ensembles";
    }
    return {};
}

ReportResults runReportExperiments(const ReportPlan& plan, const MnistDataset& data, const std::string& dataFolder,
                                   ReportProgress* progress, const CancelFlag& cancel)
{
    ReportResults results;
    results.plan = plan;
    results.dataFolder = dataFolder;
    results.dataKind = data.kind;

    const ReportWeights weights = reportWeights(plan, data);
    const double total = std::max(weights.deep + weights.circles + weights.dropout, 1e-9);
    const double deepShare = weights.deep / total;
    const double circlesShare = weights.circles / total;
    const double dropoutShare = weights.dropout / total;

    const auto stopped = [&results, &cancel](const std::string& error, bool cancelledRun, ReportStage stage) {
        if (!error.empty()) {
            results.error = std::string(title(stage)) + ": " + error;
            return true;
        }
        if (cancelledRun || cancel.load()) {
            results.cancelled = true;
            return true;
        }
        return false;
    };

    runStage(ReportStage::Deep, progress, results.deepTiming, [&] {
        StageSink<DeepSink> sink(StageProgress(progress, 0.0, deepShare));
        results.deep = runDeepPropagation(plan.deep, &sink, cancel);
    });
    if (stopped(results.deep.error, results.deep.cancelled, ReportStage::Deep))
        return results;

    runStage(ReportStage::Circles, progress, results.circlesTiming, [&] {
        StageSink<CirclesSink> sink(StageProgress(progress, deepShare, circlesShare));
        results.circles = runCircles(plan.circles, &sink, cancel);
    });
    if (stopped(results.circles.error, results.circles.cancelled, ReportStage::Circles))
        return results;

    runStage(ReportStage::Dropout, progress, results.dropoutTiming, [&] {
        StageSink<DropoutSink> sink(StageProgress(progress, deepShare + circlesShare, dropoutShare));
        results.dropout = runDropout(plan.dropout, data, &sink, cancel);
    });
    if (stopped(results.dropout.error, results.dropout.cancelled, ReportStage::Dropout))
        return results;

    if (progress)
        progress->onProgress(1.0);
    return results;
}

} // namespace initlab

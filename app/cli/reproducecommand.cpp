#include "reproducecommand.h"

#include "dropoutcommand.h"
#include "offscreenapplication.h"
#include "statusline.h"

#include "initlab/blas.h"
#include "initlab/mnist.h"
#include "initlab/report.h"
#include "initlab/stagedfolder.h"

#include "figures/reportwriter.h"


#include <chrono>
#include <filesystem>
#include <ostream>

namespace initlab::cli {
namespace {

std::string percentText(double fraction)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.2f %%", 100.0 * fraction);
    return text;
}

class CliReportProgress : public ReportProgress {
public:
    CliReportProgress(const ReportPlan& plan, StatusLine& status) : m_plan(plan), m_status(status) {}

    void onStageStarted(ReportStage stage) override
    {
        m_stage = stage;
        m_status.print(std::string(title(stage)) + ": " + describe(stage));
    }
    void onProgress(double fraction) override
    {
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
        std::string text = "reproduce: " + std::to_string(int(fraction * 100.0)) + " % (" + std::string(title(m_stage)) +
                           ", " + formatDuration(elapsed);
        if (fraction > 0.02)
            text += ", ETA " + formatDuration(elapsed * (1.0 - fraction) / fraction);
        m_status.show(text + ")");
    }
    void onStageFinished(ReportStage stage) override
    {
        const double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count() - m_finishedAt;
        m_finishedAt += elapsed;
        m_status.print(std::string(title(stage)) + ": done in " + formatDuration(elapsed));
    }

private:
    std::string describe(ReportStage stage) const
    {
        switch (stage) {
        case ReportStage::Deep:
            return std::to_string(m_plan.deep.combinations.size()) + " combinations, " +
                   std::to_string(m_plan.deep.depth) + " layers of " + std::to_string(m_plan.deep.width) +
                   ", batch " + std::to_string(m_plan.deep.batch);
        case ReportStage::Circles:
            return std::to_string(m_plan.circles.inits.size() * m_plan.circles.normalizations.size() *
                                  std::size_t(m_plan.circles.seeds)) +
                   " models x " + std::to_string(m_plan.circles.epochs) + " epochs";
        case ReportStage::Dropout:
            return std::to_string(m_plan.dropout.ps.size()) + " dropout rates x " +
                   std::to_string(m_plan.dropout.epochs) + " epochs, ensembles up to T = " +
                   std::to_string(m_plan.dropout.ensembleSizes.empty() ? 0 : m_plan.dropout.ensembleSizes.back());
        }
        return {};
    }

    const ReportPlan& m_plan;
    StatusLine& m_status;
    ReportStage m_stage = ReportStage::Deep;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
    double m_finishedAt = 0.0;
};

// What the report needs before its quarter of an hour of work, all checked first: the data, the
// plan and the output folder. Everything (checkpoints, run records, figures, the report) is written
// into the folder's staging folder and put into place only when the whole report is done.
struct ReportSetup {
    MnistDataset data;
    ReportPlan plan;
    StagedFolder out;
};

// Returns kExitSuccess, or the exit status of the failure it printed.
int prepareReport(const ReproduceOptions& options, const CliContext& context, ReportSetup& setup)
{
    // The folder first: while another run uses it, nothing else is worth checking.
    if (std::string error = setup.out.open(options.outDir); !error.empty()) {
        printError(context.err, error);
        return kExitFailure;
    }
    if (!loadMnistData(options.dataDir, setup.data, context))
        return kExitFailure;
    setup.plan = reportPlan(options.quick, options.threads);
    setup.plan.dropoutExtras.dataFolder = setup.data.folder;
    if (std::string error = validate(setup.plan.dropout, setup.data); !error.empty()) {
        printError(context.err, error);
        return kExitFailure;
    }
    setup.plan.dropout.runFolder = setup.out.stagingPath("checkpoints");
    return kExitSuccess;
}

// Takes back what the run wrote, prints the error and returns the exit status.
int abandonReport(ReportSetup& setup, const CliContext& context, const std::string& error, int exitCode)
{
    setup.out.abandon();
    printError(context.err, error);
    return exitCode;
}

// Writes the run records (with the experiments' CSV files) and the report with its figures into
// outDir (the staging folder), and counts the files of the figures. Returns the error, or an empty
// string.
std::string writeReport(const ReportResults& results, const BlasInfo& machine, const std::string& outDir,
                        StatusLine& status, QStringList& records, std::size_t& figureFiles)
{
    // The records go inside the report's folder, so that the report carries its own data and provenance.
    QString dataError;
    if (!ui::writeReportRecords(results, machine, QString::fromStdString(outDir), &records, nullptr, &dataError))
        return dataError.toStdString();

    status.print("drawing the figures ...");
    const OffscreenApplication application(OffscreenApplication::Kind::Widgets);
    ui::ReportWriter writer(results, machine, QString::fromStdString(outDir));
    writer.setRunRecords(records);
    const bool ok = writer.writeAll([&](int done, int total) {
        status.show("drawing the report: " + std::to_string(done) + "/" + std::to_string(total));
    });
    status.finish();
    if (!ok)
        return writer.error().toStdString();
    figureFiles = std::size_t(writer.writtenFiles().size() - 2); // all but report.html and report.md
    return {};
}

// Table I and where everything went.
void printSummary(std::ostream& o, const ReportResults& results, const ReportPlan& plan,
                  const std::filesystem::path& outPath, const QStringList& records, std::size_t figureFiles)
{
    o << "Table I: test accuracy (" << displayName(results.dataKind) << ")\n";
    for (const DropoutRunResult& run : results.dropout.runs) {
        if (run.ensembleAcc.empty())
            continue;
        o << "  p = " << run.p << "  single pass " << percentText(run.singlePassAcc);
        for (int t : plan.dropout.ensembleSizes)
            if (t >= 1 && std::size_t(t) <= run.ensembleAcc.size())
                o << "  T=" << t << " " << percentText(run.ensembleAcc[std::size_t(t) - 1]);
        o << '\n';
    }
    o << "report: " << (outPath / ui::ReportWriter::htmlName().toStdString()).string() << '\n'
      << "        " << (outPath / ui::ReportWriter::markdownName().toStdString()).string() << '\n'
      << "figures: " << (outPath / "figures").string() << " (" << figureFiles << " files: PNG, SVG, CSV)\n";
    for (const QString& record : std::as_const(records))
        o << "run record: " << (outPath / record.toStdString()).string() << '\n';
}

} // namespace

int runReproduceCommand(const ReproduceOptions& options, const CliContext& context)
{
    ReportSetup setup;
    if (const int exitCode = prepareReport(options, context, setup); exitCode != kExitSuccess)
        return exitCode;

    StatusLine status(context.err, context.liveProgress);
    const BlasInfo machine = blasInfo();
    status.print(std::string("reproducing the report") + (options.quick ? " (quick version)" : "") + " into " +
                 options.outDir);
    CliReportProgress progress(setup.plan, status);
    const ReportResults results =
        runReportExperiments(setup.plan, setup.data, setup.data.folder, &progress, context.cancel);
    status.finish();
    if (results.cancelled)
        return abandonReport(setup, context, "cancelled; no report written", kExitCancelled);
    if (!results.error.empty())
        return abandonReport(setup, context, setup.out.inFinalTerms(results.error), kExitFailure);

    QStringList records;
    std::size_t figureFiles = 0;
    if (std::string error = writeReport(results, machine, setup.out.stagingPath(), status, records, figureFiles);
        !error.empty())
        return abandonReport(setup, context, error, kExitFailure);
    if (std::string error = setup.out.commit(); !error.empty())
        return abandonReport(setup, context, error, kExitFailure);
    printSummary(context.out, results, setup.plan, options.outDir, records, figureFiles);
    return kExitSuccess;
}

} // namespace initlab::cli

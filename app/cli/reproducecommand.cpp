#include "reproducecommand.h"

#include "dropoutcommand.h"
#include "offscreenapplication.h"
#include "outputfolder.h"
#include "statusline.h"

#include "initlab/blas.h"
#include "initlab/mnist.h"
#include "initlab/report.h"

#include "shell/reportwriter.h"

#include <QDir>

#include <charconv>
#include <chrono>
#include <filesystem>
#include <ostream>

namespace initlab::cli {
namespace {

struct ReproduceOptions {
    std::string outDir;
    std::string dataDir; // empty: the first folder of dataFolderCandidates() that holds the files
    bool quick = false;
    int threads = 0;
    bool help = false;
};

// Returns an empty string, or the usage error.
std::string parseReproduce(const std::vector<std::string>& args, ReproduceOptions& options)
{
    bool sawOut = false, sawData = false, sawThreads = false, sawQuick = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string arg = args[i];
        std::string value;
        bool hasValue = false;
        if (const std::size_t equals = arg.find('='); arg.starts_with("--") && equals != std::string::npos) {
            value = arg.substr(equals + 1);
            arg = arg.substr(0, equals);
            hasValue = true;
        }
        const auto takeValue = [&](bool& seen) -> std::string {
            if (seen)
                return arg + " given more than once";
            seen = true;
            if (!hasValue) {
                if (i + 1 >= args.size() || std::string_view(args[i + 1]).starts_with("--"))
                    return "missing value for " + arg;
                value = args[++i];
            }
            if (value.empty())
                return "missing value for " + arg;
            return {};
        };
        if (arg == "--help" || arg == "-h") {
            options.help = true;
        } else if (arg == "--quick") {
            if (hasValue)
                return "--quick takes no value";
            if (sawQuick)
                return "--quick given more than once";
            sawQuick = true;
            options.quick = true;
        } else if (arg == "--out") {
            if (std::string error = takeValue(sawOut); !error.empty())
                return error;
            options.outDir = value;
        } else if (arg == "--data") {
            if (std::string error = takeValue(sawData); !error.empty())
                return error;
            options.dataDir = value;
        } else if (arg == "--threads") {
            if (std::string error = takeValue(sawThreads); !error.empty())
                return error;
            const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), options.threads);
            if (ec != std::errc() || ptr != value.data() + value.size())
                return "invalid number '" + value + "' for --threads";
            if (options.threads < 0)
                return "--threads must be 0 (all cores) or more, got " + value;
        } else if (arg.starts_with("-")) {
            return "unknown option '" + arg + "' (see 'initlab-cli reproduce --help')";
        } else {
            return "unexpected argument '" + arg + "' (see 'initlab-cli reproduce --help')";
        }
    }
    if (!options.help && options.outDir.empty())
        return "missing --out DIR (the folder the report is written to)";
    return {};
}

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

} // namespace

std::string reproduceUsage()
{
    return "usage: initlab-cli reproduce --out DIR [--quick] [--data DIR] [--threads N]\n"
           "\n"
           "Runs the homework report's three experiments at the report's settings and writes the report\n"
           "into DIR: report.html (self-contained, open it in a browser) and report.md, the figures 1-14\n"
           "(and two beyond the report) as PNG and SVG with the CSV of what each shows in DIR/figures,\n"
           "Table I, the experiments' CSV files in DIR/data, and a run record per experiment in DIR/runs.\n"
           "\n"
           "  --out DIR       the report's folder (created if missing; files of the same name are replaced)\n"
           "  --quick         a reduced version that finishes in a few minutes: deep batch 2000, dropout 2\n"
           "                  epochs, ensembles of 5 and 50 passes over the first 2000 test images\n"
           "  --data DIR      folder with the four MNIST-format IDX files (default: $INITLAB_DATA,\n"
           "                  ~/.local/share/initlab/mnist, /usr/share/datasets/fashion-mnist)\n"
           "  --threads N     LibTorch threads for the deep and dropout runs (default 0 = all cores)\n"
           "\n"
           "The full report takes 15-20 minutes on two cores; Ctrl-C cancels and writes nothing.\n";
}

int runReproduceCommand(const std::vector<std::string>& args, const CliContext& context)
{
    ReproduceOptions options;
    if (std::string error = parseReproduce(args, options); !error.empty()) {
        printError(context.err, error);
        return kExitUsage;
    }
    if (options.help) {
        context.out << reproduceUsage();
        return kExitSuccess;
    }

    // Everything that can be checked before the quarter of an hour of work is checked first: the
    // data and the output folder.
    MnistDataset data;
    if (!loadMnistData(options.dataDir, data, context))
        return kExitFailure;
    const std::string folder = data.folder;
    ReportPlan plan = reportPlan(options.quick, options.threads);
    plan.dropoutExtras.dataFolder = folder;
    if (std::string error = validate(plan.dropout, data); !error.empty()) {
        printError(context.err, error);
        return kExitFailure;
    }

    OutputFolder out;
    if (std::string error = out.prepare(options.outDir); !error.empty()) {
        printError(context.err, error);
        return kExitFailure;
    }
    const std::filesystem::path outPath(options.outDir);
    const std::filesystem::path checkpoints = outPath / "checkpoints";
    plan.dropout.runFolder = checkpoints.string();

    StatusLine status(context.err, context.liveProgress);
    const BlasInfo machine = blasInfo();
    status.print(std::string("reproducing the report") + (options.quick ? " (quick version)" : "") + " into " +
                 options.outDir);
    CliReportProgress progress(plan, status);
    const ReportResults results = runReportExperiments(plan, data, folder, &progress, context.cancel);
    status.finish();
    const auto discard = [&] {
        std::error_code ignored;
        std::filesystem::remove_all(checkpoints, ignored);
        out.discardCreated();
    };
    if (results.cancelled) {
        discard();
        printError(context.err, "cancelled; no report written");
        return kExitCancelled;
    }
    if (!results.error.empty()) {
        discard();
        printError(context.err, results.error);
        return kExitFailure;
    }

    // The run records (with the experiments' CSV files) go inside the report's folder, so that the
    // report carries its own data and provenance.
    QStringList records;
    QString dataError;
    if (!ui::writeReportRecords(results, machine, QString::fromStdString(options.outDir), &records, nullptr,
                             &dataError)) {
        discard();
        printError(context.err, dataError.toStdString());
        return kExitFailure;
    }

    status.print("drawing the figures ...");
    const OffscreenApplication application(OffscreenApplication::Kind::Widgets);
    ui::ReportWriter writer(results, machine, QString::fromStdString(options.outDir));
    writer.setRunRecords(records);
    const bool ok = writer.writeAll([&](int done, int total) {
        status.show("drawing the report: " + std::to_string(done) + "/" + std::to_string(total));
    });
    status.finish();
    if (!ok) {
        // A report without its figures is no report: what this run wrote goes again.
        for (const QString& record : std::as_const(records))
            QDir(QString::fromStdString(options.outDir) + QLatin1Char('/') + record).removeRecursively();
        discard();
        printError(context.err, writer.error().toStdString());
        return kExitFailure;
    }

    std::ostream& o = context.out;
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
      << "figures: " << (outPath / "figures").string() << " (" << writer.writtenFiles().size() - 2
      << " files: PNG, SVG, CSV)\n";
    for (const QString& record : std::as_const(records))
        o << "run record: " << (outPath / record.toStdString()).string() << '\n';
    return kExitSuccess;
}

} // namespace initlab::cli

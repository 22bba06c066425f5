#include "cli.h"

#include "circlescommand.h"
#include "deepcommand.h"
#include "dropoutcommand.h"
#include "options.h"
#include "reproducecommand.h"
#include "texttable.h"

#include "initlab/blas.h"

#include <exception>
#include <functional>
#include <iomanip>
#include <new>
#include <ostream>

namespace initlab::cli {
namespace {

std::string generalUsage()
{
    return "Usage: initlab-cli <command> [options]\n"
           "       initlab-cli --diagnostics | --version | --help\n"
           "\n"
           "InitLab, headless: the experiments of the desktop laboratory, written as CSV.\n"
           "\n"
           "Commands:\n"
           "  deep            Experiment 1, deep signal propagation: per-layer activation and\n"
           "                  gradient statistics for init scheme x activation (writes deep.csv)\n"
           "  circles         Experiment 2, two rings and a small ReLU net: how input normalization\n"
           "                  and initialization decide whether it learns them, over many seeds\n"
           "                  (writes circles_history.csv, circles_summary.csv, boundary PNGs)\n"
           "  dropout         Experiment 3, dropout and MC-dropout ensembles on MNIST-format data\n"
           "                  (writes dropout_history.csv, ensemble.csv, ensemble_curve.csv)\n"
           "  reproduce       All three at the homework report's settings: report.html and report.md\n"
           "                  with figures 1-14, Table I, the CSV files and run records (--quick: minutes)\n"
           "\n"
           "Options:\n"
           "  --diagnostics   BLAS library and kernels, threads, CPU features, LibTorch version,\n"
           "                  and the measured GEMM rate of this machine\n"
           "  --version       program and LibTorch versions\n"
           "  --help          this text; 'initlab-cli COMMAND --help' for the options of a command\n"
           "\n"
           "Exit status: 0 success, 1 run-time failure, 2 usage error, 130 cancelled (SIGINT/SIGTERM).\n"
           "Environment: OPENBLAS_CORETYPE picks OpenBLAS kernels; when unset, InitLab picks the fastest\n"
           "the CPU supports (INITLAB_BLAS_AUTO=0 turns that off).\n";
}

int printVersion(const CliContext& context)
{
    context.out << "initlab-cli " << INITLAB_VERSION << '\n' << "LibTorch " << blasInfo().torchVersion << '\n';
    return kExitSuccess;
}

int printDiagnostics(const CliContext& context)
{
    constexpr int kRows = 10000;
    constexpr int kSize = 512;
    setTorchThreads(0);
    const BlasInfo info = blasInfo();

    std::ostream& out = context.out;
    const auto field = [&out](std::string_view key, const std::string& value) {
        out << std::left << std::setw(24) << key << value << '\n';
    };
    const auto orNone = [](const std::string& text, const char* none) {
        return text.empty() ? std::string(none) : text;
    };
    field("BLAS library:", info.library);
    field("OpenBLAS kernels:", orNone(info.coreName, "unknown"));
    field("OPENBLAS_CORETYPE:", orNone(info.coreTypeEnv, "(unset)"));
    field("kernels auto-selected:", info.autoSelected ? "yes (by InitLab, for this CPU)" : "no");
    field("torch threads:", std::to_string(info.torchThreads));
    field("hardware threads:", std::to_string(info.hardwareThreads));
    field("CPU features:", orNone(info.cpuFeatures, "(none detected)"));
    field("LibTorch version:", info.torchVersion);
    out << std::flush; // the measurement takes a while: show what is known already

    const double rate = measureGemmGflops(kRows, kSize, kSize);
    if (context.cancel.load()) {
        printError(context.err, "cancelled");
        return kExitCancelled;
    }
    field("GEMM rate:", formatFixed(rate, 1) + " GFLOP/s (float32 " + std::to_string(kRows) + "x" +
                            std::to_string(kSize) + " * " + std::to_string(kSize) + "x" + std::to_string(kSize) +
                            " through LibTorch, " + std::to_string(info.torchThreads) + " threads)");
    out << std::flush;
    return kExitSuccess;
}

// Parses a command's arguments, then shows its help or runs it.
template <typename Options>
int parseAndRun(const ParsedCommand<Options>& parsed, std::string (*usage)(),
                int (*run)(const Options&, const CliContext&), const CliContext& context)
{
    if (!parsed.error.empty()) {
        printError(context.err, parsed.error);
        return kExitUsage;
    }
    for (const std::string& warning : parsed.warnings)
        context.err << "warning: " << warning << '\n';
    context.err << std::flush;
    if (parsed.help) {
        context.out << usage();
        return kExitSuccess;
    }
    return run(parsed.options, context);
}

constexpr std::string_view kTrySmaller = "out of memory (try a smaller --batch, --chunk, --seeds or --hidden)";

// One command of initlab-cli: its name, what runs it (the arguments after the name), and the hint
// of its out-of-memory message.
struct CommandEntry {
    std::string_view name;
    int (*main)(const std::vector<std::string>& args, const CliContext& context);
    std::string_view outOfMemory;
};

constexpr CommandEntry kCommands[] = {
    {"deep",
     [](const std::vector<std::string>& args, const CliContext& context) {
         return parseAndRun(parseDeepOptions(args), deepUsage, runDeepCommand, context);
     },
     kTrySmaller},
    {"circles",
     [](const std::vector<std::string>& args, const CliContext& context) {
         return parseAndRun(parseCirclesOptions(args), circlesUsage, runCirclesCommand, context);
     },
     kTrySmaller},
    {"dropout",
     [](const std::vector<std::string>& args, const CliContext& context) {
         return parseAndRun(parseDropoutOptions(args), dropoutUsage, runDropoutCommand, context);
     },
     kTrySmaller},
    {"reproduce",
     [](const std::vector<std::string>& args, const CliContext& context) {
         return parseAndRun(parseReproduceOptions(args), reproduceUsage, runReproduceCommand, context);
     },
     "out of memory (try --quick)"},
};

std::string commandNames()
{
    std::string names;
    for (const CommandEntry& command : kCommands)
        appendItem(names, command.name);
    return names;
}

// Torch reports out-of-memory and shape errors as exceptions; they end the command, not the
// process, so the user still gets one readable error line and the exit status.
int guarded(const CliContext& context, std::string_view outOfMemory, const std::function<int()>& body)
{
    try {
        return body();
    } catch (const std::bad_alloc&) {
        printError(context.err, outOfMemory);
        return kExitFailure;
    } catch (const std::exception& exception) {
        printError(context.err, exception.what());
        return kExitFailure;
    }
}

// --version and --diagnostics stand alone.
int runAlone(const std::vector<std::string>& args, const CliContext& context, int (*print)(const CliContext&))
{
    if (args.size() > 1) {
        printError(context.err, "unexpected argument '" + args[1] + "' after " + args.front());
        return kExitUsage;
    }
    return guarded(context, kTrySmaller, [&] { return print(context); });
}

} // namespace

void printError(std::ostream& err, std::string_view message)
{
    std::string line(message.substr(0, message.find('\n')));
    while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
        line.pop_back();
    if (line.empty())
        line = "unknown failure";
    err << "error: " << line << '\n' << std::flush;
}

int runCli(const std::vector<std::string>& args, const CliContext& context)
{
    if (args.empty()) {
        printError(context.err, "missing command (see '" + std::string(kProgram) + " --help')");
        return kExitUsage;
    }
    const std::string& first = args.front();
    if (isHelp(first) || first == "help") {
        context.out << generalUsage();
        return kExitSuccess;
    }
    if (first == "--version")
        return runAlone(args, context, printVersion);
    if (first == "--diagnostics")
        return runAlone(args, context, printDiagnostics);
    for (const CommandEntry& command : kCommands)
        if (first == command.name)
            return guarded(context, command.outOfMemory,
                           [&] { return command.main({args.begin() + 1, args.end()}, context); });
    if (first.starts_with("-")) {
        printError(context.err, "unknown option '" + first + "' (see '" + std::string(kProgram) + " --help')");
        return kExitUsage;
    }
    printError(context.err, "unknown command '" + first + "' (known: " + commandNames() + ")");
    return kExitUsage;
}

} // namespace initlab::cli

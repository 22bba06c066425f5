#include "cli.h"

#include "circlescommand.h"
#include "commandline.h"
#include "deepcommand.h"
#include "dropoutcommand.h"
#include "reproducecommand.h"
#include "texttable.h"

#include "initlab/blas.h"

#include <exception>
#include <iomanip>
#include <new>
#include <ostream>

namespace initlab::cli {
namespace {

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
    // `reproduce` runs a fixed plan rather than one experiment's config: it reads its own few options.
    if (!args.empty() && args.front() == "reproduce") {
        try {
            return runReproduceCommand({args.begin() + 1, args.end()}, context);
        } catch (const std::bad_alloc&) {
            printError(context.err, "out of memory (try --quick)");
            return kExitFailure;
        } catch (const std::exception& exception) {
            printError(context.err, exception.what());
            return kExitFailure;
        }
    }
    const ParseOutcome parsed = parseCommandLine(args);
    if (!parsed.error.empty()) {
        printError(context.err, parsed.error);
        return kExitUsage;
    }
    for (const std::string& warning : parsed.warnings)
        context.err << "warning: " << warning << '\n';
    context.err << std::flush;

    // Torch reports out-of-memory and shape errors as exceptions; they end the command, not the
    // process, so the user still gets one readable error line and the exit status.
    try {
        switch (parsed.command.kind) {
        case CommandKind::Help:
            context.out << generalUsage();
            return kExitSuccess;
        case CommandKind::DeepHelp:
            context.out << deepUsage();
            return kExitSuccess;
        case CommandKind::Version:
            return printVersion(context);
        case CommandKind::Diagnostics:
            return printDiagnostics(context);
        case CommandKind::Deep:
            return runDeepCommand(parsed.command.deep, context);
        case CommandKind::CirclesHelp:
            context.out << circlesUsage();
            return kExitSuccess;
        case CommandKind::Circles:
            return runCirclesCommand(parsed.command.circles, context);
        case CommandKind::DropoutHelp:
            context.out << dropoutUsage();
            return kExitSuccess;
        case CommandKind::Dropout:
            return runDropoutCommand(parsed.command.dropout, context);
        }
    } catch (const std::bad_alloc&) {
        printError(context.err, "out of memory (try a smaller --batch, --chunk, --seeds or --hidden)");
        return kExitFailure;
    } catch (const std::exception& exception) {
        printError(context.err, exception.what());
        return kExitFailure;
    }
    return kExitFailure;
}

} // namespace initlab::cli

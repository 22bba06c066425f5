#include "commandline.h"

#include "initlab/initscheme.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iomanip>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <system_error>

namespace initlab::cli {
namespace {

constexpr std::string_view kProgram = "initlab-cli";

bool isHelp(std::string_view arg) { return arg == "--help" || arg == "-h"; }

template <typename Item>
std::string joinNames(const std::vector<Item>& items)
{
    std::string joined;
    for (const Item& item : items) {
        if (!joined.empty())
            joined += ", ";
        joined += name(item);
    }
    return joined;
}

std::string_view trim(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

// Integers go through from_chars rather than stoi: stoi accepts "12abc" and leading spaces, and a
// typo should be an error, not a silently different experiment.
template <typename Integer>
std::string parseInteger(std::string_view text, std::string_view option, Integer& value)
{
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec == std::errc::result_out_of_range)
        return "number '" + std::string(text) + "' is out of range for " + std::string(option);
    if (ec != std::errc() || ptr != end || text.empty())
        return "invalid number '" + std::string(text) + "' for " + std::string(option);
    return {};
}

std::string parseReal(std::string_view text, std::string_view option, double& value)
{
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec == std::errc::result_out_of_range || (ec == std::errc() && ptr == end && !std::isfinite(value)))
        return "number '" + std::string(text) + "' is out of range for " + std::string(option);
    if (ec != std::errc() || ptr != end || text.empty())
        return "invalid number '" + std::string(text) + "' for " + std::string(option);
    return {};
}

std::string parsePositive(std::string_view text, std::string_view option, int& value)
{
    if (std::string error = parseInteger(text, option, value); !error.empty())
        return error;
    if (value <= 0)
        return std::string(option) + " must be a positive integer, got " + std::to_string(value);
    return {};
}

std::string parseNonNegative(std::string_view text, std::string_view option, std::string_view zeroMeans,
                             int& value)
{
    if (std::string error = parseInteger(text, option, value); !error.empty())
        return error;
    if (value < 0)
        return std::string(option) + " must be 0 (" + std::string(zeroMeans) + ") or more, got " +
               std::to_string(value);
    return {};
}

// Parses one comma-separated list of names, appending to `items`. `what` names the kind of item in
// messages ("scheme", "activation").
template <typename Item, typename Parser>
std::string parseNameList(std::string_view text, std::string_view option, std::string_view what,
                          const std::vector<Item>& known, Parser parse, std::vector<Item>& items)
{
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        const std::string_view piece =
            trim(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        if (piece.empty())
            return "empty name in " + std::string(option) + " list '" + std::string(text) + "'";
        const std::optional<Item> item = parse(piece);
        if (!item)
            return "unknown " + std::string(what) + " '" + std::string(piece) + "' (known: " + joinNames(known) +
                   ")";
        // A repeated name would give deep.csv two blocks with the same (init, activation) key.
        if (std::find(items.begin(), items.end(), *item) != items.end())
            return std::string(option) + " names '" + std::string(piece) + "' twice";
        items.push_back(*item);
        if (comma == std::string_view::npos)
            return {};
        start = comma + 1;
    }
}

enum class DeepOption { Init, Activation, Depth, Width, Batch, Seed, Threads, Chunk, Sigma, Out, Benchmark };

struct OptionSpec {
    std::string_view name;
    DeepOption option;
    bool takesValue;
};

constexpr OptionSpec kDeepOptions[] = {
    {"--init", DeepOption::Init, true},       {"--activation", DeepOption::Activation, true},
    {"--depth", DeepOption::Depth, true},     {"--width", DeepOption::Width, true},
    {"--batch", DeepOption::Batch, true},     {"--seed", DeepOption::Seed, true},
    {"--threads", DeepOption::Threads, true}, {"--chunk", DeepOption::Chunk, true},
    {"--sigma", DeepOption::Sigma, true},     {"--out", DeepOption::Out, true},
    {"--benchmark", DeepOption::Benchmark, false},
};

ParseOutcome usageError(std::string message) { return {Command{}, std::move(message)}; }

ParseOutcome parseDeep(const std::vector<std::string>& args)
{
    // --help wins wherever it stands, so `deep --depth x --help` still shows the help.
    if (std::any_of(args.begin(), args.end(), [](const std::string& arg) { return isHelp(arg); }))
        return {Command{CommandKind::DeepHelp, {}}, {}};

    DeepOptions options;
    DeepConfig& config = options.config;
    std::vector<InitScheme> inits;
    std::vector<Activation> activations;
    bool sawInit = false;
    bool sawActivation = false;
    std::set<std::string_view> seenScalars;

    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        if (!arg.starts_with("-"))
            return usageError("unexpected argument '" + std::string(arg) + "' (see '" + std::string(kProgram) +
                              " deep --help')");

        const std::size_t equals = arg.find('=');
        const std::string_view optionName = arg.substr(0, equals);
        const auto spec = std::find_if(std::begin(kDeepOptions), std::end(kDeepOptions),
                                       [&](const OptionSpec& s) { return s.name == optionName; });
        if (spec == std::end(kDeepOptions))
            return usageError("unknown option '" + std::string(optionName) + "' (see '" + std::string(kProgram) +
                              " deep --help')");

        std::string_view value;
        if (!spec->takesValue) {
            if (equals != std::string_view::npos)
                return usageError(std::string(spec->name) + " takes no value");
        } else if (equals != std::string_view::npos) {
            value = arg.substr(equals + 1);
            if (value.empty())
                return usageError("missing value for " + std::string(spec->name));
        } else {
            // A following option is not taken as the value: `--out --depth 3` is a forgotten DIR.
            // Negative numbers ("-3") are still values, so they reach the range check below.
            if (i + 1 >= args.size() || std::string_view(args[i + 1]).starts_with("--"))
                return usageError("missing value for " + std::string(spec->name));
            value = args[++i];
        }

        const bool isList = spec->option == DeepOption::Init || spec->option == DeepOption::Activation;
        if (!isList && !seenScalars.insert(spec->name).second)
            return usageError(std::string(spec->name) + " given more than once");

        std::string error;
        switch (spec->option) {
        case DeepOption::Init:
            sawInit = true;
            error = parseNameList(value, spec->name, "scheme", allInitSchemes(), parseInitScheme, inits);
            break;
        case DeepOption::Activation:
            sawActivation = true;
            error = parseNameList(value, spec->name, "activation", allActivations(), parseActivation, activations);
            break;
        case DeepOption::Depth:
            error = parsePositive(value, spec->name, config.depth);
            break;
        case DeepOption::Width:
            error = parsePositive(value, spec->name, config.width);
            break;
        case DeepOption::Batch:
            error = parsePositive(value, spec->name, config.batch);
            break;
        case DeepOption::Seed:
            error = parseInteger(value, spec->name, config.seed);
            break;
        case DeepOption::Threads:
            error = parseNonNegative(value, spec->name, "all cores", config.threads);
            break;
        case DeepOption::Chunk:
            error = parseNonNegative(value, spec->name, "automatic", config.chunkSize);
            break;
        case DeepOption::Sigma:
            error = parseReal(value, spec->name, config.normalStd);
            if (error.empty() && config.normalStd < 0.0)
                error = "--sigma must be 0 or more, got " + std::string(value);
            break;
        case DeepOption::Out:
            options.outDir = std::string(value);
            break;
        case DeepOption::Benchmark:
            options.benchmark = true;
            break;
        }
        if (!error.empty())
            return usageError(std::move(error));
    }

    if (sawInit != sawActivation)
        return usageError(std::string(sawInit ? "--init needs --activation" : "--activation needs --init") +
                          " (give both for their cross product, or neither for the report's seven combinations)");
    if (sawInit) {
        for (const InitScheme init : inits)
            for (const Activation activation : activations)
                config.combinations.push_back({init, activation});
    } else {
        config.combinations = reportCombinations();
    }

    if (!options.benchmark && options.outDir.empty())
        return usageError("missing --out DIR (the folder deep.csv is written to)");

    // Core has the last word on what it can run (memory budget, limits the parser does not know).
    if (std::string error = validate(config); !error.empty())
        return usageError(std::move(error));

    return {Command{CommandKind::Deep, std::move(options)}, {}};
}

} // namespace

ParseOutcome parseCommandLine(const std::vector<std::string>& args)
{
    if (args.empty())
        return usageError("missing command (see '" + std::string(kProgram) + " --help')");

    const std::string_view first = args.front();
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    const auto alone = [&](CommandKind kind) {
        if (!rest.empty())
            return usageError("unexpected argument '" + rest.front() + "' after " + std::string(first));
        return ParseOutcome{Command{kind, {}}, {}};
    };

    if (isHelp(first) || first == "help")
        return {Command{CommandKind::Help, {}}, {}};
    if (first == "--version")
        return alone(CommandKind::Version);
    if (first == "--diagnostics")
        return alone(CommandKind::Diagnostics);
    if (first == "deep")
        return parseDeep(rest);
    if (first.starts_with("-"))
        return usageError("unknown option '" + std::string(first) + "' (see '" + std::string(kProgram) +
                          " --help')");
    return usageError("unknown command '" + std::string(first) + "' (known: deep)");
}

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
           "\n"
           "Options:\n"
           "  --diagnostics   BLAS library and kernels, threads, CPU features, LibTorch version,\n"
           "                  and the measured GEMM rate of this machine\n"
           "  --version       program and LibTorch versions\n"
           "  --help          this text; 'initlab-cli deep --help' for the options of deep\n"
           "\n"
           "Exit status: 0 success, 1 run-time failure, 2 usage error, 130 cancelled (SIGINT/SIGTERM).\n"
           "Environment: OPENBLAS_CORETYPE picks OpenBLAS kernels; when unset, InitLab picks the fastest\n"
           "the CPU supports (INITLAB_BLAS_AUTO=0 turns that off).\n";
}

std::string deepUsage()
{
    const DeepConfig defaults;
    std::ostringstream text;
    text << "Usage: initlab-cli deep [--init LIST --activation LIST] [options] --out DIR\n"
            "       initlab-cli deep --benchmark [options] [--out DIR]\n"
            "\n"
            "A batch of N(0, I) vectors goes through a deep fully connected net (no biases, the activation\n"
            "after every layer); cross-entropy against random targets, backward. Per layer: mean and std of\n"
            "the activations and of the weight gradients, written to DIR/deep.csv with the columns\n"
            "init,activation,layer,act_mean,act_std,grad_mean,grad_std,pre_grad_std,theory_std.\n"
            "\n"
            "Options:\n"
            "  --init LIST        init schemes, comma-separated\n"
            "  --activation LIST  activations, comma-separated; runs every init with every activation.\n"
            "                     Give both or neither; neither runs the report's seven combinations.\n"
         << "  --depth N          layers (default " << defaults.depth << ")\n"
         << "  --width N          units per layer (default " << defaults.width << ")\n"
         << "  --batch N          input vectors (default " << defaults.batch << ")\n"
         << "  --seed N           random seed; the same seed gives the same numbers (default " << defaults.seed
         << ")\n"
         << "  --threads N        LibTorch threads, 0 = all cores (default " << defaults.threads << ")\n"
         << "  --chunk N          samples per chunk, 0 = the whole batch if it fits in memory (default "
         << defaults.chunkSize << ")\n"
         << "  --sigma X          standard deviation of the 'normal' scheme (default " << defaults.normalStd
         << ")\n"
         << "  --out DIR          folder for deep.csv, created if missing\n"
            "  --benchmark        time the run (default size: the report's) against this machine's GEMM\n"
            "                     rate through LibTorch; writes no CSV unless --out is given\n"
            "  --help             this text\n"
            "\n"
            "Init schemes:\n";
    const auto addEntry = [&text](std::string_view entryName, std::string_view description) {
        text << "  " << std::left << std::setw(17) << entryName << ' ' << description << '\n';
    };
    for (const InitScheme scheme : allInitSchemes())
        addEntry(name(scheme), formula(scheme));
    text << "\nActivations:\n";
    for (const Activation activation : allActivations())
        addEntry(name(activation), formula(activation));
    text << "\nThe report's seven combinations (run when neither --init nor --activation is given):\n";
    for (const Combination& combination : reportCombinations())
        text << "  " << label(combination) << '\n';
    text << "\nExample:\n"
            "  initlab-cli deep --init xavier_uniform,kaiming_normal --activation tanh,relu --out results\n";
    return text.str();
}

} // namespace initlab::cli

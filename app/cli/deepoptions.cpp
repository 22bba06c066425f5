#include "deepoptions.h"

#include "initlab/initscheme.h"

#include <iomanip>
#include <sstream>

namespace initlab::cli {
namespace {

// The lists of --init and --activation, whose cross product replaces the combinations.
struct CombinationLists {
    std::vector<InitScheme> inits;
    std::vector<Activation> activations;
    bool sawInit = false;
    bool sawActivation = false;
};

OptionTable deepOptionTable(DeepOptions& options, CombinationLists& lists)
{
    DeepConfig& config = options.config;
    OptionTable table{
        valueOption(
            "--init",
            [&lists](std::string_view option, std::string_view value) {
                lists.sawInit = true;
                return parseNameList(value, option, "scheme", allInitSchemes(), parseInitScheme, lists.inits);
            },
            OptionSpec::Kind::List),
        valueOption(
            "--activation",
            [&lists](std::string_view option, std::string_view value) {
                lists.sawActivation = true;
                return parseNameList(value, option, "activation", allActivations(), parseActivation,
                                     lists.activations);
            },
            OptionSpec::Kind::List),
        positiveOption("--depth", config.depth),
        positiveOption("--width", config.width),
        positiveOption("--batch", config.batch),
        seedOption(config.seed),
        threadsOption(config.threads),
        countOption("--chunk", "automatic", config.chunkSize),
        realOption("--sigma", config.normalStd),
        outOption(options.outDir),
        flagOption("--benchmark", options.benchmark),
        flagOption("--histograms", config.histograms),
        flagOption("--bf16", config.bf16),
    };
    addRecordOptions(table, options.recording);
    return table;
}

// Sets the combinations: the cross product of the lists when given, else the file's, else the
// report's seven.
std::string expandCombinations(const CombinationLists& lists, bool fromFile, DeepConfig& config)
{
    if (lists.sawInit != lists.sawActivation)
        return std::string(lists.sawInit ? "--init needs --activation" : "--activation needs --init") +
               " (give both for their cross product, or neither for " +
               (fromFile ? "the file's combinations)" : "the report's seven combinations)");
    if (lists.sawInit) {
        config.combinations.clear(); // the command line's lists replace the file's combinations
        for (const InitScheme init : lists.inits)
            for (const Activation activation : lists.activations)
                config.combinations.push_back({init, activation});
    } else if (config.combinations.empty()) {
        // Neither list, and no --config (or a file without combinations).
        config.combinations = reportCombinations();
    }
    return {};
}

} // namespace

ParsedCommand<DeepOptions> parseDeepOptions(const std::vector<std::string>& args)
{
    ParsedCommand<DeepOptions> parsed;
    DeepOptions& options = parsed.options;
    CombinationLists lists;
    bool fromFile = false;
    const OptionTable table = deepOptionTable(options, lists);
    const auto loadFile = [&](const ExperimentFile& file) {
        options.config = file.deep;
        fromFile = true;
    };
    if (!readCommandLine(args, "deep", ExperimentKind::Deep, table, loadFile, parsed))
        return parsed;
    limitThreads(options.config.threads, args, parsed);

    parsed.error = expandCombinations(lists, fromFile, options.config);
    if (parsed.error.empty() && !options.benchmark && options.outDir.empty())
        parsed.error = "missing --out DIR (the folder deep.csv is written to)";
    // Core has the last word on what it can run (memory budget, limits the parser does not know).
    if (parsed.error.empty())
        parsed.error = validate(options.config);
    return parsed;
}

std::string deepUsage()
{
    const DeepConfig defaults;
    std::ostringstream text;
    text << "Usage: initlab-cli deep [--config FILE] [--init LIST --activation LIST] [options] --out DIR\n"
            "       initlab-cli deep --benchmark [options] [--out DIR]\n"
            "\n"
            "A batch of N(0, I) vectors goes through a deep fully connected net (no biases, the activation\n"
            "after every layer); cross-entropy against random targets, backward. Per layer: mean and std of\n"
            "the activations and of the weight gradients, written to DIR/deep.csv with the columns\n"
            "init,activation,layer,act_mean,act_std,grad_mean,grad_std,pre_grad_std,theory_std,\n"
            "saturated_frac,zero_frac (saturated: activation derivative below 5 % of its largest value;\n"
            "zero: exactly 0).\n"
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
            "  --histograms       also write DIR/deep_hist.csv: per layer, 64-bin histograms of the\n"
            "                     activations (act) and of the pre-activation gradients (pre_grad), columns\n"
            "                     init,activation,layer,quantity,bin_low,bin_high,count\n"
            "  --bf16             matrix products in bfloat16 (oneDNN), activations and gradients kept in\n"
            "                     bfloat16; statistics still summed in double. About twice as fast where\n"
            "                     the CPU has AVX-512-BF16 or AMX, slower where bf16 is emulated\n"
            "  --benchmark        time the run (default size: the report's) against this machine's GEMM\n"
            "                     rate through LibTorch; writes no CSV unless --out is given. With --bf16,\n"
            "                     the run goes once in float32 and once in bfloat16: both times side by\n"
            "                     side, and the largest difference of every statistic between the two\n"
         << configAndRecordOptions("deep", 21,
                                   {"(without --init and --activation, the file's combinations run)"})
         << "  --help             this text\n"
            "\n"
         << runRecordParagraph("deep", "--benchmark")
         << "\n"
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
    text << "\nExamples:\n"
            "  initlab-cli deep --init xavier_uniform,kaiming_normal --activation tanh,relu --out results\n"
            "  initlab-cli deep --config deep.json --depth 20 --out results\n";
    return text.str();
}

} // namespace initlab::cli

#include "dropoutoptions.h"

#include "texttable.h"

#include "initlab/initscheme.h"
#include "initlab/mnist.h"

#include <limits>
#include <sstream>

namespace initlab::cli {
namespace {

// --p: dropout probabilities in [0, 1), each once.
std::string parseProbabilities(std::string_view text, std::string_view option, std::vector<double>& ps)
{
    std::vector<std::string_view> pieces;
    if (std::string error = splitList(text, option, pieces); !error.empty())
        return error;
    ps.clear();
    for (const std::string_view piece : pieces) {
        double p = 0.0;
        if (std::string error = parseReal(piece, option, p); !error.empty())
            return error;
        if (p < 0.0 || p >= 1.0)
            return "--p values are dropout probabilities in [0, 1), got " + std::string(piece);
        // Two runs with one p would share a checkpoint file and a key in every CSV.
        if (std::find(ps.begin(), ps.end(), p) != ps.end())
            return "--p names " + std::string(piece) + " twice";
        ps.push_back(p);
    }
    return {};
}

// --ensemble: numbers of passes, each once.
std::string parseEnsembleSizes(std::string_view text, std::string_view option, std::vector<int>& sizes)
{
    std::vector<std::string_view> pieces;
    if (std::string error = splitList(text, option, pieces); !error.empty())
        return error;
    sizes.clear();
    for (const std::string_view piece : pieces) {
        int passes = 0;
        if (std::string error = parsePositive(piece, option, passes); !error.empty())
            return error;
        if (std::find(sizes.begin(), sizes.end(), passes) != sizes.end())
            return "--ensemble names " + std::string(piece) + " twice";
        sizes.push_back(passes);
    }
    return {};
}

std::string parseAveraging(std::string_view value, bool& averageProbabilities)
{
    if (value == "probabilities")
        averageProbabilities = true;
    else if (value == "logits")
        averageProbabilities = false;
    else
        return "unknown averaging '" + std::string(value) + "' (known: probabilities, logits)";
    return {};
}

// An option whose job the benchmark does itself (it trains p = 0 and 0.5 for one epoch, compares
// fp32 with bf16 and writes nothing), so taking it would mislead: its name is noted in `conflicts`.
OptionSpec setByBenchmark(OptionSpec spec, std::vector<std::string_view>& conflicts)
{
    spec.apply = [apply = std::move(spec.apply), name = spec.name, &conflicts](std::string_view value) {
        conflicts.push_back(name);
        return apply(value);
    };
    return spec;
}

// The options of the net, its training and the data.
OptionTable trainingOptions(DropoutOptions& options, std::vector<std::string_view>& conflicts)
{
    DropoutConfig& config = options.config;
    return {
        textOption("--data", options.dataDir),
        setByBenchmark(valueOption("--p",
                                   [&config](std::string_view option, std::string_view value) {
                                       return parseProbabilities(value, option, config.ps);
                                   }),
                       conflicts),
        setByBenchmark(positiveOption("--epochs", config.epochs), conflicts),
        valueOption("--init",
                    [&config](std::string_view, std::string_view value) {
                        return parseOneName(value, "scheme", allInitSchemes(), parseInitScheme, config.init);
                    }),
        realOption("--sigma", config.normalStd),
        positiveRealOption("--lr", config.learningRate),
        realOption("--weight-decay", config.weightDecay),
        positiveOption("--batch", config.batch),
        seedOption(config.seed),
        valueOption("--hidden", [&config](std::string_view option,
                                          std::string_view value) { return parseSizeList(value, option, config.hidden); }),
        valueOption("--train",
                    [&config](std::string_view option, std::string_view value) {
                        return parseRange(value, option, config.trainBegin, config.trainEnd);
                    }),
        valueOption("--val",
                    [&config](std::string_view option, std::string_view value) {
                        return parseRange(value, option, config.validationBegin, config.validationEnd);
                    }),
    };
}

// The options of the evaluation and of what the command writes.
OptionTable evaluationOptions(DropoutOptions& options, std::vector<std::string_view>& conflicts)
{
    DropoutConfig& config = options.config;
    return {
        setByBenchmark(valueOption("--ensemble",
                                   [&config](std::string_view option, std::string_view value) {
                                       return parseEnsembleSizes(value, option, config.ensembleSizes);
                                   }),
                       conflicts),
        setByBenchmark(outOption(options.outDir), conflicts),
        countOption("--test-limit", "the whole test file", config.testLimit),
        valueOption("--average",
                    [&config](std::string_view, std::string_view value) {
                        return parseAveraging(value, config.averageProbabilities);
                    }),
        setByBenchmark(flagOption("--bf16", config.bf16Inference), conflicts),
        setByBenchmark(countOption("--gallery", "none", config.galleryCount), conflicts),
        threadsOption(config.threads),
        flagOption("--benchmark", options.benchmark),
        textOption("--checkpoint", options.checkpoint),
    };
}

// What the options allow only together, and what core can say of the configuration without the data.
std::string checkDropout(const DropoutOptions& options, const std::vector<std::string_view>& benchmarkConflicts)
{
    if (options.benchmark && !options.checkpoint.empty())
        return "--checkpoint evaluates a saved net; --benchmark trains its own";
    if (options.benchmark && !benchmarkConflicts.empty())
        return std::string(benchmarkConflicts.front()) +
               " is not an option of --benchmark (it trains p = 0 and 0.5 for one epoch, compares fp32 "
               "with bf16 passes itself and writes no file)";
    if (!options.benchmark && options.outDir.empty())
        return "missing --out DIR (the folder dropout_history.csv, ensemble.csv and ensemble_curve.csv "
               "are written to)";

    // Core's validation with a data set as large as any.
    MnistDataset unbounded;
    unbounded.train.count = std::numeric_limits<int>::max();
    unbounded.test.count = 1;
    return validate(options.config, unbounded);
}

// The help's lines on the data, the dropout rates, the ensembles, the net and its training.
std::string trainingHelp(const DropoutConfig& defaults)
{
    std::string ps;
    for (const double p : defaults.ps)
        appendItem(ps, formatReal(p), ",");
    std::ostringstream text;
    text << "  --data DIR            folder of train-images-idx3-ubyte, train-labels-idx1-ubyte,\n"
            "                        t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each may end in .gz);\n"
            "                        default: the first of $INITLAB_DATA, ~/.local/share/initlab/mnist,\n"
            "                        /usr/share/datasets/fashion-mnist that holds them\n"
         << "  --p LIST              dropout probabilities in [0, 1) (default " << ps << ")\n"
         << "  --epochs N            training epochs per p (default " << defaults.epochs << ")\n"
         << "  --ensemble LIST       ensemble sizes T for Table I; one sweep of the largest (default "
         << joined(defaults.ensembleSizes, ',') << ")\n"
         << "  --average MODE        average the passes' softmax 'probabilities' (default, Gal & Ghahramani)\n"
            "                        or their 'logits' (what the report did)\n"
         << "  --init NAME           init scheme of the weights (default " << name(defaults.init) << ")\n"
         << "  --sigma X             standard deviation of the 'normal' scheme (default " << defaults.normalStd
         << ")\n"
         << "  --hidden LIST         hidden layer sizes (default " << joined(defaults.hidden, ',') << ")\n"
         << "  --lr X                AdamW learning rate (default " << defaults.learningRate << ")\n"
         << "  --weight-decay X      AdamW decoupled weight decay (default " << defaults.weightDecay << ")\n"
         << "  --batch N             training batch size (default " << defaults.batch << ")\n"
         << "  --seed N              seed of the initial weights, data order and masks (default " << defaults.seed
         << ")\n"
         << "  --train BEGIN:END     training images of the training file, END excluded (default "
         << defaults.trainBegin << ":" << defaults.trainEnd << ")\n"
         << "  --val BEGIN:END       validation images of the training file (default " << defaults.validationBegin
         << ":" << defaults.validationEnd << ")\n";
    return text.str();
}

// The help's lines on the options of the evaluation, the output, the benchmark and --checkpoint.
std::string evaluationHelp(const DropoutConfig& defaults)
{
    std::ostringstream text;
    text << "  --test-limit N        use only the first N test images, 0 = all (default " << defaults.testLimit
         << ")\n"
         << "  --bf16                MC passes in bfloat16 (oneDNN; fast where the CPU has AVX-512-BF16)\n"
         << "  --gallery N           the N most uncertain test images per p in uncertain.csv (default "
         << defaults.galleryCount << ")\n"
         << "  --threads N           LibTorch threads for evaluation and ensembles, 0 = all cores (default "
         << defaults.threads << ");\n"
            "                        training steps at batch <= 64 always run on one thread\n"
            "  --out DIR             folder for the CSV files and checkpoints/, created if missing\n"
            "  --benchmark           time one training epoch at p = 0 and 0.5 (steps per second), the MC\n"
            "                        passes against this machine's GEMM rate, and fp32 against bf16\n"
            "                        ensembles; takes the data and net options, writes no file\n"
            "  --checkpoint FILE     evaluate a saved best checkpoint (OUT/checkpoints/best-p<p>.ckpt)\n"
            "                        on the test file instead of training: one pass with dropout off\n"
            "                        and the ensembles of --ensemble; writes ensemble.csv and\n"
            "                        ensemble_curve.csv (uses --data, --ensemble, --average, --bf16,\n"
            "                        --seed, --test-limit, --threads); no run record\n";
    return text.str();
}

} // namespace

ParsedCommand<DropoutOptions> parseDropoutOptions(const std::vector<std::string>& args)
{
    ParsedCommand<DropoutOptions> parsed;
    DropoutOptions& options = parsed.options;
    std::vector<std::string_view> benchmarkConflicts;
    OptionTable table = trainingOptions(options, benchmarkConflicts);
    const OptionTable evaluation = evaluationOptions(options, benchmarkConflicts);
    table.insert(table.end(), evaluation.begin(), evaluation.end());
    addRecordOptions(table, options.recording);
    const auto loadFile = [&options](const ExperimentFile& file) {
        options.config = file.dropout;
        options.dataDir = file.dropoutExtras.dataFolder; // --data overrides it like any other option
    };
    if (readCommandLine(args, "dropout", ExperimentKind::Dropout, table, loadFile, parsed)) {
        limitThreads(options.config.threads, args, parsed);
        parsed.error = checkDropout(options, benchmarkConflicts);
    }
    return parsed;
}

std::string dropoutUsage()
{
    const DropoutConfig defaults;
    std::ostringstream text;
    text << "Usage: initlab-cli dropout [--config FILE] [--data DIR] [options] --out DIR\n"
            "       initlab-cli dropout --benchmark [--data DIR] [options]\n"
            "\n"
            "A ReLU net with Dropout(p) before each Linear layer trains with AdamW on MNIST-format images,\n"
            "once per p; each p keeps its best-validation weights (DIR/checkpoints/best-p<p>.ckpt). Then one\n"
            "sweep of T_max dropout-on passes over the test set gives the accuracy of every ensemble of\n"
            "T <= T_max passes, beside one pass with dropout off. Writes DIR/dropout_history.csv\n"
            "(p,epoch,train_loss,train_acc,val_loss,val_acc), DIR/ensemble.csv (p,passes,test_acc,averaging;\n"
            "passes 'single' = dropout off), DIR/ensemble_curve.csv (p,passes,test_acc for every T),\n"
            "DIR/uncertain.csv (the test images of highest predictive entropy) and DIR/confusion.csv, and\n"
            "prints Table I: test accuracy per p, single pass and each ensemble size.\n"
            "\n"
            "Options:\n"
         << trainingHelp(defaults) << evaluationHelp(defaults)
         << configAndRecordOptions("dropout", 24, {"(its data folder too, unless --data is given)"})
         << "  --help                this text\n"
            "\n"
         << runRecordParagraph("dropout", "--benchmark or --checkpoint")
         << "\n"
         << "Init schemes: " << joinNames(allInitSchemes()) << "\n"
         << "\nExamples:\n"
            "  initlab-cli dropout --epochs 20 --out results\n"
            "  initlab-cli dropout --data ~/mnist --p 0,0.5 --ensemble 5,50 --average logits --out results\n"
            "  initlab-cli dropout --config dropout.json --epochs 1 --out results\n";
    return text.str();
}

} // namespace initlab::cli

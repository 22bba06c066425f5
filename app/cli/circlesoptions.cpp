#include "circlesoptions.h"

#include "texttable.h"

#include "initlab/initscheme.h"

#include <iomanip>
#include <sstream>

namespace initlab::cli {
namespace {

// The report's comparison at 10 seeds: what --benchmark trains in one stack unless --seeds says otherwise.
constexpr int kBenchmarkSeeds = 10;

// What the command line said beyond the settings themselves.
struct CirclesLists {
    std::vector<InitScheme> inits;
    std::vector<Normalization> normalizations;
    bool sawSeeds = false;
    bool sawAlone = false;
};

// The options of the net and its training.
void addTrainingOptions(OptionTable& table, CirclesConfig& config, CirclesLists& lists)
{
    const OptionTable training{
        valueOption(
            "--init",
            [&lists](std::string_view option, std::string_view value) {
                return parseNameList(value, option, "scheme", allInitSchemes(), parseInitScheme, lists.inits);
            },
            OptionSpec::Kind::List),
        valueOption(
            "--normalization",
            [&lists](std::string_view option, std::string_view value) {
                return parseNameList(value, option, "normalization", allNormalizations(), parseNormalization,
                                     lists.normalizations);
            },
            OptionSpec::Kind::List),
        valueOption("--activation",
                    [&config](std::string_view, std::string_view value) {
                        return parseOneName(value, "activation", allActivations(), parseActivation, config.activation);
                    }),
        valueOption("--hidden", [&config](std::string_view option,
                                          std::string_view value) { return parseSizeList(value, option, config.hidden); }),
        valueOption("--seeds",
                    [&config, &lists](std::string_view option, std::string_view value) {
                        lists.sawSeeds = true;
                        return parsePositive(value, option, config.seeds);
                    }),
        integerOption("--first-seed", config.firstSeed),
        positiveOption("--epochs", config.epochs),
        positiveRealOption("--lr", config.learningRate),
        realOption("--weight-decay", config.weightDecay),
        positiveRealOption("--scale-factor", config.scaledFactor),
        realOption("--sigma", config.normalStd),
    };
    table.insert(table.end(), training.begin(), training.end());
}

// The options of the two rings.
void addDataOptions(OptionTable& table, CirclesDataConfig& data)
{
    const OptionTable rings{
        positiveOption("--train", data.trainSize),
        positiveOption("--val", data.validationSize),
        positiveOption("--test", data.testSize),
        valueOption("--center",
                    [&data](std::string_view option, std::string_view value) {
                        return parsePair(value, option, "X,Y", data.centerX, data.centerY);
                    }),
        valueOption("--radii",
                    [&data](std::string_view option, std::string_view value) {
                        std::string error = parsePair(value, option, "INNER,OUTER", data.innerRadius, data.outerRadius);
                        if (error.empty() && (data.innerRadius < 0.0 || data.outerRadius < 0.0))
                            error = "--radii must be 0 or more, got '" + std::string(value) + "'";
                        return error;
                    }),
        realOption("--noise", data.noise),
    };
    table.insert(table.end(), rings.begin(), rings.end());
}

// The options of what the command does with the trained models.
void addOutputOptions(OptionTable& table, CirclesOptions& options, CirclesLists& lists)
{
    const OptionTable output{
        valueOption("--threshold",
                    [&options](std::string_view option, std::string_view value) {
                        std::string error = parseReal(value, option, options.successThreshold);
                        if (error.empty() && (options.successThreshold < 0.0 || options.successThreshold > 1.0))
                            error = "--threshold is a test accuracy between 0 and 1, got " + std::string(value);
                        return error;
                    }),
        threadsOption(options.config.threads),
        positiveOption("--resolution", options.config.boundaryResolution),
        outOption(options.outDir),
        flagOption("--boundary-png", options.boundaryPng),
        positiveOption("--frames-every", options.framesEvery),
        flagOption("--units-png", options.unitsPng),
        flagOption("--benchmark", options.benchmark),
        valueOption("--alone",
                    [&options, &lists](std::string_view option, std::string_view value) {
                        lists.sawAlone = true;
                        return parsePositive(value, option, options.aloneModels);
                    }),
    };
    table.insert(table.end(), output.begin(), output.end());
}

// What the options allow only together, and what core says of the configuration.
std::string checkCircles(CirclesOptions& options, const CirclesLists& lists, bool fromFile)
{
    CirclesConfig& config = options.config;
    if (!lists.inits.empty())
        config.inits = lists.inits;
    if (!lists.normalizations.empty())
        config.normalizations = lists.normalizations;
    // A file's seeds are a choice; the default single seed is too few to time.
    if (options.benchmark && !lists.sawSeeds && !fromFile)
        config.seeds = kBenchmarkSeeds;

    if (!options.benchmark && options.outDir.empty())
        return "missing --out DIR (the folder circles_history.csv and circles_summary.csv are written to)";
    if (options.boundaryPng && options.outDir.empty())
        return "--boundary-png needs --out DIR (the folder the images are written to)";
    if (options.unitsPng && options.outDir.empty())
        return "--units-png needs --out DIR (the folder the images are written to)";
    if (options.framesEvery > 0 && options.outDir.empty())
        return "--frames-every needs --out DIR (the folder the frames are written to)";
    if (options.framesEvery > config.epochs)
        return "--frames-every " + std::to_string(options.framesEvery) + " is more than the " +
               std::to_string(config.epochs) + " epochs of the run";
    if (lists.sawAlone && !options.benchmark)
        return "--alone is an option of --benchmark";

    if (std::string error = validate(config); !error.empty())
        return error;
    const std::size_t models = config.inits.size() * config.normalizations.size() * std::size_t(config.seeds);
    if (options.benchmark && std::size_t(options.aloneModels) > models)
        return "--alone " + std::to_string(options.aloneModels) + " is more than the " + std::to_string(models) +
               " models of the stack";
    return {};
}

std::string joinedNames(const std::vector<InitScheme>& schemes)
{
    std::string text;
    for (const InitScheme scheme : schemes)
        appendItem(text, name(scheme), ",");
    return text;
}

// The help's lines on the options of the net, its training and the data.
std::string trainingHelp(const CirclesConfig& defaults)
{
    std::string normalizations;
    for (const Normalization normalization : defaults.normalizations)
        appendItem(normalizations, name(normalization), ",");
    std::ostringstream text;
    text << "  --init LIST            init schemes, comma-separated; default the report's "
         << defaults.inits.size() << ":\n"
         << "                         " << joinedNames(defaults.inits) << "\n"
         << "  --normalization LIST   raw, standard, scaled, comma-separated (default " << normalizations << ")\n"
         << "  --seeds N              models per (normalization, init): seeds FIRST, FIRST+1, ...\n"
         << "                         (default " << defaults.seeds << "; " << kBenchmarkSeeds
         << " with --benchmark)\n"
         << "  --first-seed N         the first seed; a seed fixes the data and the initial weights (default "
         << defaults.firstSeed << ")\n"
         << "  --epochs N             full-batch epochs (default " << defaults.epochs << ")\n"
         << "  --activation NAME      activation after each hidden layer (default " << name(defaults.activation)
         << ")\n"
         << "  --hidden LIST          hidden layer sizes (default " << joined(defaults.hidden, ',') << ": a 2-"
         << joined(defaults.hidden, '-') << "-2 net)\n"
         << "  --lr X                 AdamW learning rate (default " << defaults.learningRate << ")\n"
         << "  --weight-decay X       AdamW decoupled weight decay (default " << defaults.weightDecay << ")\n"
         << "  --scale-factor X       the factor of 'scaled' (default " << defaults.scaledFactor << ")\n"
         << "  --sigma X              standard deviation of the 'normal' scheme (default " << defaults.normalStd
         << ")\n"
         << "  --train N, --val N, --test N\n"
         << "                         points per split, half of each class (default " << defaults.data.trainSize
         << ", " << defaults.data.validationSize << ", " << defaults.data.testSize << ")\n"
         << "  --center X,Y           centre of the rings (default " << defaults.data.centerX << ","
         << defaults.data.centerY << ")\n"
         << "  --radii INNER,OUTER    ring radii of class 0 and class 1 (default " << defaults.data.innerRadius << ","
         << defaults.data.outerRadius << ")\n"
         << "  --noise X              each radius is perturbed by U(-X, X) (default " << defaults.data.noise << ")\n";
    return text.str();
}

// The help's lines on the options of the output and the benchmark.
std::string outputHelp(const CirclesConfig& defaults)
{
    const CirclesOptions defaultOptions;
    std::ostringstream text;
    text << "  --threshold X          test accuracy that counts as a success (default "
         << defaultOptions.successThreshold << ")\n"
         << "  --threads N            LibTorch threads, 0 = all cores (default " << defaults.threads
         << ": the tensors are tiny)\n"
         << "  --resolution N         grid cells per side of the decision boundaries (default "
         << defaults.boundaryResolution << ")\n"
         << "  --out DIR              folder for the CSV files (and PNGs), created if missing\n"
            "  --boundary-png         also write DIR/boundary_<normalization>_<init>_seed<k>.png for the best\n"
            "                         seed of each (normalization, init): P(class 1) with its 0.5 contour and\n"
            "                         the training points\n"
            "  --frames-every N       also write, for the best seed of each (normalization, init), its\n"
            "                         boundary every N epochs as DIR/frames/<normalization>-<init>/\n"
            "                         epoch-<NNNNN>.png and the epochs' numbers as frames.csv there\n"
            "  --units-png            also write DIR/units_<normalization>_<init>_seed<k>.png: what each hidden\n"
            "                         unit of the best seed computes at its best epoch, dead units marked\n"
            "  --benchmark            train the whole stack at once, then a few of its models one at a time,\n"
            "                         and compare model-epochs per second; writes files only with --out\n"
         << "  --alone N              --benchmark: models trained one at a time (default "
         << defaultOptions.aloneModels << ")\n";
    return text.str();
}

} // namespace

ParsedCommand<CirclesOptions> parseCirclesOptions(const std::vector<std::string>& args)
{
    ParsedCommand<CirclesOptions> parsed;
    CirclesOptions& options = parsed.options;
    CirclesLists lists;
    bool fromFile = false;
    OptionTable table;
    addTrainingOptions(table, options.config, lists);
    addDataOptions(table, options.config.data);
    addOutputOptions(table, options, lists);
    addRecordOptions(table, options.recording);
    const auto loadFile = [&](const ExperimentFile& file) {
        options.config = file.circles;
        options.successThreshold = file.circlesExtras.successThreshold;
        fromFile = true;
    };
    if (readCommandLine(args, "circles", ExperimentKind::Circles, table, loadFile, parsed)) {
        limitThreads(options.config.threads, args, parsed);
        parsed.error = checkCircles(options, lists, fromFile);
    }
    return parsed;
}

std::string circlesUsage()
{
    const CirclesConfig defaults;
    std::ostringstream text;
    text << "Usage: initlab-cli circles [--config FILE] [options] --out DIR\n"
            "       initlab-cli circles --benchmark [options] [--out DIR]\n"
            "\n"
            "Two rings around a centre (class 0 inside, class 1 outside, radial noise), a small net with\n"
            "a linear output, AdamW on the full batch. Every init scheme trains on every normalization with\n"
            "N seeds, all models at once; each keeps the weights of its best validation accuracy, and\n"
            "its test accuracy is reported for those. Writes DIR/circles_history.csv\n"
            "(normalization,init,seed,epoch,train_loss,train_acc,val_loss,val_acc) and DIR/circles_summary.csv\n"
            "(normalization,init,seed,best_epoch,best_val_acc,test_acc,dead_units,diverged_epoch), and prints\n"
            "a summary per (normalization, init) over the seeds.\n"
            "\n"
            "Options:\n"
         << trainingHelp(defaults) << outputHelp(defaults) << configAndRecordOptions("circles", 25)
         << "  --help                 this text\n"
            "\n"
         << runRecordParagraph("circles", "--benchmark")
         << "\n"
            "Normalizations (statistics of the training split, applied to every split):\n";
    for (const Normalization normalization : allNormalizations())
        text << "  " << std::left << std::setw(10) << name(normalization) << ' ' << description(normalization)
             << '\n';
    text << "\nInit schemes: " << joinNames(allInitSchemes()) << "\n"
         << "Activations: " << joinNames(allActivations()) << "\n"
         << "\nExamples:\n"
            "  initlab-cli circles --out results\n"
            "  initlab-cli circles --init xavier_uniform,kaiming_normal --normalization raw,standard --seeds 10 \\\n"
            "      --boundary-png --out results\n"
            "  initlab-cli circles --config circles.json --seeds 5 --out results\n";
    return text.str();
}

} // namespace initlab::cli

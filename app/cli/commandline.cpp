#include "commandline.h"

#include "texttable.h"

#include "initlab/experimentfile.h"
#include "initlab/initscheme.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <limits>
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

// A real number as a user would type it: 0.2, not 0.200000.
std::string formatReal(double value)
{
    std::ostringstream text;
    text << value;
    return text.str();
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

// A real number with a lower bound; `positive` excludes the bound 0 itself.
std::string parseBoundedReal(std::string_view text, std::string_view option, bool positive, double& value)
{
    if (std::string error = parseReal(text, option, value); !error.empty())
        return error;
    if (positive && !(value > 0.0))
        return std::string(option) + " must be positive, got " + std::string(text);
    if (!positive && value < 0.0)
        return std::string(option) + " must be 0 or more, got " + std::string(text);
    return {};
}

// Splits a comma-separated list into trimmed pieces; an empty piece ("6,,3", "6,") is an error,
// because it is a typo far more often than an intended default.
std::string splitList(std::string_view text, std::string_view option, std::vector<std::string_view>& pieces)
{
    pieces.clear();
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        const std::string_view piece =
            trim(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        if (piece.empty())
            return "empty value in " + std::string(option) + " list '" + std::string(text) + "'";
        pieces.push_back(piece);
        if (comma == std::string_view::npos)
            return {};
        start = comma + 1;
    }
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
        // A repeated name would give the CSV files two blocks with the same key.
        if (std::find(items.begin(), items.end(), *item) != items.end())
            return std::string(option) + " names '" + std::string(piece) + "' twice";
        items.push_back(*item);
        if (comma == std::string_view::npos)
            return {};
        start = comma + 1;
    }
}

// One name where the experiment takes exactly one (the circles net has one activation).
template <typename Item, typename Parser>
std::string parseOneName(std::string_view text, std::string_view what, const std::vector<Item>& known, Parser parse,
                         Item& item)
{
    const std::optional<Item> parsed = parse(trim(text));
    if (!parsed)
        return "unknown " + std::string(what) + " '" + std::string(text) + "' (known: " + joinNames(known) + ")";
    item = *parsed;
    return {};
}

// Hidden layer sizes ("6,3", "800,800"): positive integers.
std::string parseSizeList(std::string_view text, std::string_view option, std::vector<int>& sizes)
{
    std::vector<std::string_view> pieces;
    if (std::string error = splitList(text, option, pieces); !error.empty())
        return error;
    sizes.clear();
    for (const std::string_view piece : pieces) {
        int size = 0;
        if (std::string error = parsePositive(piece, option, size); !error.empty())
            return error;
        sizes.push_back(size);
    }
    return {};
}

// Exactly two real numbers, "X,Y".
std::string parsePair(std::string_view text, std::string_view option, std::string_view shape, double& first,
                      double& second)
{
    std::vector<std::string_view> pieces;
    if (std::string error = splitList(text, option, pieces); !error.empty())
        return error;
    if (pieces.size() != 2)
        return std::string(option) + " needs two numbers " + std::string(shape) + ", got '" + std::string(text) + "'";
    if (std::string error = parseReal(pieces[0], option, first); !error.empty())
        return error;
    return parseReal(pieces[1], option, second);
}

// A half-open range of image indices, "BEGIN:END".
std::string parseRange(std::string_view text, std::string_view option, int& begin, int& end)
{
    const std::size_t colon = text.find(':');
    if (colon == std::string_view::npos)
        return std::string(option) + " needs a range BEGIN:END of image indices (END excluded), got '" +
               std::string(text) + "'";
    int first = 0;
    int last = 0;
    if (std::string error = parseInteger(trim(text.substr(0, colon)), option, first); !error.empty())
        return error;
    if (std::string error = parseInteger(trim(text.substr(colon + 1)), option, last); !error.empty())
        return error;
    if (first < 0)
        return std::string(option) + " range '" + std::string(text) + "' starts before image 0";
    if (last <= first)
        return std::string(option) + " range '" + std::string(text) + "' is empty (END must be greater than BEGIN)";
    begin = first;
    end = last;
    return {};
}

// How one option of a command is spelled and whether it takes a value.
template <typename Option>
struct OptionSpec {
    std::string_view name;
    Option option;
    bool takesValue;
    bool repeatable = false; // lists may come in pieces: --init a --init b
};

ParseOutcome usageError(std::string message) { return {Command{}, std::move(message), {}}; }

std::string seeHelp(std::string_view command)
{
    return " (see '" + std::string(kProgram) + " " + std::string(command) + " --help')";
}

// Walks the arguments of one command and calls handle(spec, value) for each option, in order.
// Returns the first problem found, by the walk (unknown option, missing value, an option given
// twice) or by handle.
template <typename Option, std::size_t Count, typename Handler>
std::string scanOptions(const std::vector<std::string>& args, const OptionSpec<Option> (&specs)[Count],
                        std::string_view command, Handler&& handle)
{
    std::set<std::string_view> seenScalars;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        if (!arg.starts_with("-"))
            return "unexpected argument '" + std::string(arg) + "'" + seeHelp(command);

        const std::size_t equals = arg.find('=');
        const std::string_view optionName = arg.substr(0, equals);
        const auto spec = std::find_if(std::begin(specs), std::end(specs),
                                       [&](const OptionSpec<Option>& s) { return s.name == optionName; });
        if (spec == std::end(specs))
            return "unknown option '" + std::string(optionName) + "'" + seeHelp(command);

        std::string_view value;
        if (!spec->takesValue) {
            if (equals != std::string_view::npos)
                return std::string(spec->name) + " takes no value";
        } else if (equals != std::string_view::npos) {
            value = arg.substr(equals + 1);
            if (value.empty())
                return "missing value for " + std::string(spec->name);
        } else {
            // A following option is not taken as the value: `--out --depth 3` is a forgotten DIR.
            // Negative numbers ("-3") are still values, so they reach the range checks.
            if (i + 1 >= args.size() || std::string_view(args[i + 1]).starts_with("--"))
                return "missing value for " + std::string(spec->name);
            value = args[++i];
        }

        if (!spec->repeatable && !seenScalars.insert(spec->name).second)
            return std::string(spec->name) + " given more than once";
        if (std::string error = handle(*spec, value); !error.empty())
            return error;
    }
    return {};
}

bool asksForHelp(const std::vector<std::string>& args)
{
    return std::any_of(args.begin(), args.end(), [](const std::string& arg) { return isHelp(arg); });
}

// ---- experiment files (--config FILE) -----------------------------------------------------------

// The value of --config, found before the options are applied: the file's settings are the starting
// point the other options override, wherever --config stands. The walk reports the same problems
// (unknown option, missing value) as the real one, so they come first, whatever the file holds.
template <typename Option, std::size_t Count>
std::string findConfigPath(const std::vector<std::string>& args, const OptionSpec<Option> (&specs)[Count],
                           std::string_view command, Option configOption, std::string& path)
{
    return scanOptions(args, specs, command, [&](const OptionSpec<Option>& spec, std::string_view value) {
        if (spec.option == configOption)
            path = std::string(value);
        return std::string();
    });
}

// core reports an unknown key as "settings.xyz: unknown key, ignored".
std::string unknownKeyWarning(const std::string& path, const std::string& warning)
{
    constexpr std::string_view kSuffix = ": unknown key, ignored";
    if (warning.ends_with(kSuffix))
        return path + ": unknown key " + warning.substr(0, warning.size() - kSuffix.size()) + " (ignored)";
    return path + ": " + warning;
}

// Reads the experiment file of --config, which must be one of `expected`. Every problem is a usage
// error naming the file (and, from core's parser, the key); unknown keys become warnings.
std::string loadConfigFile(const std::string& path, ExperimentKind expected, ExperimentFile& file,
                           std::vector<std::string>& warnings)
{
    // core's reader says only "cannot open"; the usual reasons deserve their own words.
    std::error_code ec;
    const std::filesystem::file_status status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status))
        return "cannot read experiment file '" + path + "': no such file";
    if (std::filesystem::is_directory(status))
        return "cannot read experiment file '" + path + "': it is a folder";
    std::string error;
    std::vector<std::string> unknownKeys;
    if (!readExperimentFile(path, file, error, unknownKeys))
        return "experiment file " + error;
    if (file.kind != expected)
        return path + " is a " + std::string(name(file.kind)) + " experiment, not " + std::string(name(expected));
    for (const std::string& warning : unknownKeys)
        warnings.push_back(unknownKeyWarning(path, warning));
    return {};
}

ParseOutcome parsed(Command command, std::vector<std::string> warnings)
{
    return {std::move(command), {}, std::move(warnings)};
}

// ---- deep ----------------------------------------------------------------------------------

enum class DeepOption {
    Init,
    Activation,
    Depth,
    Width,
    Batch,
    Seed,
    Threads,
    Chunk,
    Sigma,
    Out,
    Benchmark,
    Config,
    RunsFolder,
    NoRecord,
};

constexpr OptionSpec<DeepOption> kDeepOptions[] = {
    {"--init", DeepOption::Init, true, true},  {"--activation", DeepOption::Activation, true, true},
    {"--depth", DeepOption::Depth, true},      {"--width", DeepOption::Width, true},
    {"--batch", DeepOption::Batch, true},      {"--seed", DeepOption::Seed, true},
    {"--threads", DeepOption::Threads, true},  {"--chunk", DeepOption::Chunk, true},
    {"--sigma", DeepOption::Sigma, true},      {"--out", DeepOption::Out, true},
    {"--benchmark", DeepOption::Benchmark, false}, {"--config", DeepOption::Config, true},
    {"--runs-folder", DeepOption::RunsFolder, true}, {"--no-record", DeepOption::NoRecord, false},
};

ParseOutcome parseDeep(const std::vector<std::string>& args)
{
    // --help wins wherever it stands, so `deep --depth x --help` still shows the help.
    if (asksForHelp(args))
        return {Command{CommandKind::DeepHelp, {}, {}, {}}, {}, {}};

    DeepOptions options;
    DeepConfig& config = options.config;
    std::vector<InitScheme> inits;
    std::vector<Activation> activations;
    bool sawInit = false;
    bool sawActivation = false;

    std::string configPath;
    std::vector<std::string> warnings;
    if (std::string error = findConfigPath(args, kDeepOptions, "deep", DeepOption::Config, configPath);
        !error.empty())
        return usageError(std::move(error));
    if (!configPath.empty()) {
        ExperimentFile file;
        if (std::string error = loadConfigFile(configPath, ExperimentKind::Deep, file, warnings); !error.empty())
            return usageError(std::move(error));
        config = file.deep;
    }

    const std::string scanError =
        scanOptions(args, kDeepOptions, "deep", [&](const OptionSpec<DeepOption>& spec, std::string_view value) {
            switch (spec.option) {
            case DeepOption::Init:
                sawInit = true;
                return parseNameList(value, spec.name, "scheme", allInitSchemes(), parseInitScheme, inits);
            case DeepOption::Activation:
                sawActivation = true;
                return parseNameList(value, spec.name, "activation", allActivations(), parseActivation, activations);
            case DeepOption::Depth:
                return parsePositive(value, spec.name, config.depth);
            case DeepOption::Width:
                return parsePositive(value, spec.name, config.width);
            case DeepOption::Batch:
                return parsePositive(value, spec.name, config.batch);
            case DeepOption::Seed:
                return parseInteger(value, spec.name, config.seed);
            case DeepOption::Threads:
                return parseNonNegative(value, spec.name, "all cores", config.threads);
            case DeepOption::Chunk:
                return parseNonNegative(value, spec.name, "automatic", config.chunkSize);
            case DeepOption::Sigma:
                return parseBoundedReal(value, spec.name, false, config.normalStd);
            case DeepOption::Out:
                options.outDir = std::string(value);
                return std::string();
            case DeepOption::Benchmark:
                options.benchmark = true;
                return std::string();
            case DeepOption::Config: // read before the options, by findConfigPath
                return std::string();
            case DeepOption::RunsFolder:
                options.recording.runsFolder = std::string(value);
                return std::string();
            case DeepOption::NoRecord:
                options.recording.enabled = false;
                return std::string();
            }
            return std::string();
        });
    if (!scanError.empty())
        return usageError(scanError);

    if (sawInit != sawActivation)
        return usageError(std::string(sawInit ? "--init needs --activation" : "--activation needs --init") +
                          " (give both for their cross product, or neither for " +
                          (configPath.empty() ? "the report's seven combinations)" : "the file's combinations)"));
    if (sawInit) {
        config.combinations.clear(); // the command line's lists replace the file's combinations
        for (const InitScheme init : inits)
            for (const Activation activation : activations)
                config.combinations.push_back({init, activation});
    } else if (config.combinations.empty()) {
        // Neither list, and no --config (or a file without combinations).
        config.combinations = reportCombinations();
    }

    if (!options.benchmark && options.outDir.empty())
        return usageError("missing --out DIR (the folder deep.csv is written to)");

    // Core has the last word on what it can run (memory budget, limits the parser does not know).
    if (std::string error = validate(config); !error.empty())
        return usageError(std::move(error));

    Command command;
    command.kind = CommandKind::Deep;
    command.deep = std::move(options);
    return parsed(std::move(command), std::move(warnings));
}

// ---- circles -------------------------------------------------------------------------------

// The report's comparison at 10 seeds: what --benchmark trains in one stack unless --seeds says otherwise.
constexpr int kBenchmarkSeeds = 10;

enum class CirclesOption {
    Init,
    Normalization,
    Activation,
    Hidden,
    Seeds,
    FirstSeed,
    Epochs,
    LearningRate,
    WeightDecay,
    ScaleFactor,
    Sigma,
    Train,
    Validation,
    Test,
    Center,
    Radii,
    Noise,
    Threshold,
    Threads,
    Resolution,
    Out,
    BoundaryPng,
    Benchmark,
    Alone,
    Config,
    RunsFolder,
    NoRecord,
};

constexpr OptionSpec<CirclesOption> kCirclesOptions[] = {
    {"--init", CirclesOption::Init, true, true},
    {"--normalization", CirclesOption::Normalization, true, true},
    {"--activation", CirclesOption::Activation, true},
    {"--hidden", CirclesOption::Hidden, true},
    {"--seeds", CirclesOption::Seeds, true},
    {"--first-seed", CirclesOption::FirstSeed, true},
    {"--epochs", CirclesOption::Epochs, true},
    {"--lr", CirclesOption::LearningRate, true},
    {"--weight-decay", CirclesOption::WeightDecay, true},
    {"--scale-factor", CirclesOption::ScaleFactor, true},
    {"--sigma", CirclesOption::Sigma, true},
    {"--train", CirclesOption::Train, true},
    {"--val", CirclesOption::Validation, true},
    {"--test", CirclesOption::Test, true},
    {"--center", CirclesOption::Center, true},
    {"--radii", CirclesOption::Radii, true},
    {"--noise", CirclesOption::Noise, true},
    {"--threshold", CirclesOption::Threshold, true},
    {"--threads", CirclesOption::Threads, true},
    {"--resolution", CirclesOption::Resolution, true},
    {"--out", CirclesOption::Out, true},
    {"--boundary-png", CirclesOption::BoundaryPng, false},
    {"--benchmark", CirclesOption::Benchmark, false},
    {"--alone", CirclesOption::Alone, true},
    {"--config", CirclesOption::Config, true},
    {"--runs-folder", CirclesOption::RunsFolder, true},
    {"--no-record", CirclesOption::NoRecord, false},
};

ParseOutcome parseCircles(const std::vector<std::string>& args)
{
    if (asksForHelp(args))
        return {Command{CommandKind::CirclesHelp, {}, {}, {}}, {}, {}};

    CirclesOptions options;
    CirclesConfig& config = options.config;
    CirclesDataConfig& data = config.data;
    std::vector<InitScheme> inits;
    std::vector<Normalization> normalizations;
    bool sawSeeds = false;
    bool sawAlone = false;

    std::string configPath;
    std::vector<std::string> warnings;
    if (std::string error =
            findConfigPath(args, kCirclesOptions, "circles", CirclesOption::Config, configPath);
        !error.empty())
        return usageError(std::move(error));
    if (!configPath.empty()) {
        ExperimentFile file;
        if (std::string error = loadConfigFile(configPath, ExperimentKind::Circles, file, warnings);
            !error.empty())
            return usageError(std::move(error));
        config = file.circles;
        options.successThreshold = file.circlesExtras.successThreshold;
    }

    const std::string scanError = scanOptions(
        args, kCirclesOptions, "circles", [&](const OptionSpec<CirclesOption>& spec, std::string_view value) {
            switch (spec.option) {
            case CirclesOption::Init:
                return parseNameList(value, spec.name, "scheme", allInitSchemes(), parseInitScheme, inits);
            case CirclesOption::Normalization:
                return parseNameList(value, spec.name, "normalization", allNormalizations(), parseNormalization,
                                     normalizations);
            case CirclesOption::Activation:
                return parseOneName(value, "activation", allActivations(), parseActivation, config.activation);
            case CirclesOption::Hidden:
                return parseSizeList(value, spec.name, config.hidden);
            case CirclesOption::Seeds:
                sawSeeds = true;
                return parsePositive(value, spec.name, config.seeds);
            case CirclesOption::FirstSeed:
                return parseInteger(value, spec.name, config.firstSeed);
            case CirclesOption::Epochs:
                return parsePositive(value, spec.name, config.epochs);
            case CirclesOption::LearningRate:
                return parseBoundedReal(value, spec.name, true, config.learningRate);
            case CirclesOption::WeightDecay:
                return parseBoundedReal(value, spec.name, false, config.weightDecay);
            case CirclesOption::ScaleFactor:
                return parseBoundedReal(value, spec.name, true, config.scaledFactor);
            case CirclesOption::Sigma:
                return parseBoundedReal(value, spec.name, false, config.normalStd);
            case CirclesOption::Train:
                return parsePositive(value, spec.name, data.trainSize);
            case CirclesOption::Validation:
                return parsePositive(value, spec.name, data.validationSize);
            case CirclesOption::Test:
                return parsePositive(value, spec.name, data.testSize);
            case CirclesOption::Center:
                return parsePair(value, spec.name, "X,Y", data.centerX, data.centerY);
            case CirclesOption::Radii: {
                std::string error = parsePair(value, spec.name, "INNER,OUTER", data.innerRadius, data.outerRadius);
                if (error.empty() && (data.innerRadius < 0.0 || data.outerRadius < 0.0))
                    error = "--radii must be 0 or more, got '" + std::string(value) + "'";
                return error;
            }
            case CirclesOption::Noise:
                return parseBoundedReal(value, spec.name, false, data.noise);
            case CirclesOption::Threshold: {
                std::string error = parseReal(value, spec.name, options.successThreshold);
                if (error.empty() && (options.successThreshold < 0.0 || options.successThreshold > 1.0))
                    error = "--threshold is a test accuracy between 0 and 1, got " + std::string(value);
                return error;
            }
            case CirclesOption::Threads:
                return parseNonNegative(value, spec.name, "all cores", config.threads);
            case CirclesOption::Resolution:
                return parsePositive(value, spec.name, config.boundaryResolution);
            case CirclesOption::Out:
                options.outDir = std::string(value);
                return std::string();
            case CirclesOption::BoundaryPng:
                options.boundaryPng = true;
                return std::string();
            case CirclesOption::Benchmark:
                options.benchmark = true;
                return std::string();
            case CirclesOption::Alone:
                sawAlone = true;
                return parsePositive(value, spec.name, options.aloneModels);
            case CirclesOption::Config: // read before the options, by findConfigPath
                return std::string();
            case CirclesOption::RunsFolder:
                options.recording.runsFolder = std::string(value);
                return std::string();
            case CirclesOption::NoRecord:
                options.recording.enabled = false;
                return std::string();
            }
            return std::string();
        });
    if (!scanError.empty())
        return usageError(scanError);

    if (!inits.empty())
        config.inits = inits;
    if (!normalizations.empty())
        config.normalizations = normalizations;
    // A file's seeds are a choice; the default single seed is too few to time.
    if (options.benchmark && !sawSeeds && configPath.empty())
        config.seeds = kBenchmarkSeeds;

    if (!options.benchmark && options.outDir.empty())
        return usageError("missing --out DIR (the folder circles_history.csv and circles_summary.csv are written to)");
    if (options.boundaryPng && options.outDir.empty())
        return usageError("--boundary-png needs --out DIR (the folder the images are written to)");
    if (sawAlone && !options.benchmark)
        return usageError("--alone is an option of --benchmark");

    if (std::string error = validate(config); !error.empty())
        return usageError(std::move(error));
    const std::size_t models = config.inits.size() * config.normalizations.size() * std::size_t(config.seeds);
    if (options.benchmark && std::size_t(options.aloneModels) > models)
        return usageError("--alone " + std::to_string(options.aloneModels) + " is more than the " +
                          std::to_string(models) + " models of the stack");

    Command command;
    command.kind = CommandKind::Circles;
    command.circles = std::move(options);
    return parsed(std::move(command), std::move(warnings));
}

// ---- dropout -------------------------------------------------------------------------------

enum class DropoutOption {
    Data,
    P,
    Epochs,
    Ensemble,
    Out,
    Init,
    Sigma,
    LearningRate,
    WeightDecay,
    Batch,
    Seed,
    Hidden,
    Train,
    Validation,
    TestLimit,
    Average,
    Bf16,
    Gallery,
    Threads,
    Benchmark,
    Checkpoint,
    Config,
    RunsFolder,
    NoRecord,
};

constexpr OptionSpec<DropoutOption> kDropoutOptions[] = {
    {"--data", DropoutOption::Data, true},
    {"--p", DropoutOption::P, true},
    {"--epochs", DropoutOption::Epochs, true},
    {"--ensemble", DropoutOption::Ensemble, true},
    {"--out", DropoutOption::Out, true},
    {"--init", DropoutOption::Init, true},
    {"--sigma", DropoutOption::Sigma, true},
    {"--lr", DropoutOption::LearningRate, true},
    {"--weight-decay", DropoutOption::WeightDecay, true},
    {"--batch", DropoutOption::Batch, true},
    {"--seed", DropoutOption::Seed, true},
    {"--hidden", DropoutOption::Hidden, true},
    {"--train", DropoutOption::Train, true},
    {"--val", DropoutOption::Validation, true},
    {"--test-limit", DropoutOption::TestLimit, true},
    {"--average", DropoutOption::Average, true},
    {"--bf16", DropoutOption::Bf16, false},
    {"--gallery", DropoutOption::Gallery, true},
    {"--threads", DropoutOption::Threads, true},
    {"--benchmark", DropoutOption::Benchmark, false},
    {"--checkpoint", DropoutOption::Checkpoint, true},
    {"--config", DropoutOption::Config, true},
    {"--runs-folder", DropoutOption::RunsFolder, true},
    {"--no-record", DropoutOption::NoRecord, false},
};

// Options whose job the benchmark does itself (it trains p = 0 and 0.5 for one epoch, compares
// fp32 with bf16 and writes nothing), so taking them would mislead.
bool benchmarkSetsItself(DropoutOption option)
{
    switch (option) {
    case DropoutOption::P:
    case DropoutOption::Epochs:
    case DropoutOption::Ensemble:
    case DropoutOption::Out:
    case DropoutOption::Bf16:
    case DropoutOption::Gallery:
        return true;
    default:
        return false;
    }
}

ParseOutcome parseDropout(const std::vector<std::string>& args)
{
    if (asksForHelp(args))
        return {Command{CommandKind::DropoutHelp, {}, {}, {}}, {}, {}};

    DropoutOptions options;
    DropoutConfig& config = options.config;
    std::vector<std::string_view> benchmarkConflicts;

    std::string configPath;
    std::vector<std::string> warnings;
    if (std::string error =
            findConfigPath(args, kDropoutOptions, "dropout", DropoutOption::Config, configPath);
        !error.empty())
        return usageError(std::move(error));
    if (!configPath.empty()) {
        ExperimentFile file;
        if (std::string error = loadConfigFile(configPath, ExperimentKind::Dropout, file, warnings);
            !error.empty())
            return usageError(std::move(error));
        config = file.dropout;
        options.dataDir = file.dropoutExtras.dataFolder; // --data overrides it like any other option
    }

    const std::string scanError = scanOptions(
        args, kDropoutOptions, "dropout", [&](const OptionSpec<DropoutOption>& spec, std::string_view value) {
            if (benchmarkSetsItself(spec.option))
                benchmarkConflicts.push_back(spec.name);
            std::vector<std::string_view> pieces;
            switch (spec.option) {
            case DropoutOption::Data:
                options.dataDir = std::string(value);
                return std::string();
            case DropoutOption::P: {
                if (std::string error = splitList(value, spec.name, pieces); !error.empty())
                    return error;
                config.ps.clear();
                for (const std::string_view piece : pieces) {
                    double p = 0.0;
                    if (std::string error = parseReal(piece, spec.name, p); !error.empty())
                        return error;
                    if (p < 0.0 || p >= 1.0)
                        return "--p values are dropout probabilities in [0, 1), got " + std::string(piece);
                    // Two runs with one p would share a checkpoint file and a key in every CSV.
                    if (std::find(config.ps.begin(), config.ps.end(), p) != config.ps.end())
                        return "--p names " + std::string(piece) + " twice";
                    config.ps.push_back(p);
                }
                return std::string();
            }
            case DropoutOption::Epochs:
                return parsePositive(value, spec.name, config.epochs);
            case DropoutOption::Ensemble: {
                if (std::string error = splitList(value, spec.name, pieces); !error.empty())
                    return error;
                config.ensembleSizes.clear();
                for (const std::string_view piece : pieces) {
                    int passes = 0;
                    if (std::string error = parsePositive(piece, spec.name, passes); !error.empty())
                        return error;
                    if (std::find(config.ensembleSizes.begin(), config.ensembleSizes.end(), passes) !=
                        config.ensembleSizes.end())
                        return "--ensemble names " + std::string(piece) + " twice";
                    config.ensembleSizes.push_back(passes);
                }
                return std::string();
            }
            case DropoutOption::Out:
                options.outDir = std::string(value);
                return std::string();
            case DropoutOption::Init:
                return parseOneName(value, "scheme", allInitSchemes(), parseInitScheme, config.init);
            case DropoutOption::Sigma:
                return parseBoundedReal(value, spec.name, false, config.normalStd);
            case DropoutOption::LearningRate:
                return parseBoundedReal(value, spec.name, true, config.learningRate);
            case DropoutOption::WeightDecay:
                return parseBoundedReal(value, spec.name, false, config.weightDecay);
            case DropoutOption::Batch:
                return parsePositive(value, spec.name, config.batch);
            case DropoutOption::Seed:
                return parseInteger(value, spec.name, config.seed);
            case DropoutOption::Hidden:
                return parseSizeList(value, spec.name, config.hidden);
            case DropoutOption::Train:
                return parseRange(value, spec.name, config.trainBegin, config.trainEnd);
            case DropoutOption::Validation:
                return parseRange(value, spec.name, config.validationBegin, config.validationEnd);
            case DropoutOption::TestLimit:
                return parseNonNegative(value, spec.name, "the whole test file", config.testLimit);
            case DropoutOption::Average:
                if (value == "probabilities")
                    config.averageProbabilities = true;
                else if (value == "logits")
                    config.averageProbabilities = false;
                else
                    return "unknown averaging '" + std::string(value) + "' (known: probabilities, logits)";
                return std::string();
            case DropoutOption::Bf16:
                config.bf16Inference = true;
                return std::string();
            case DropoutOption::Gallery:
                return parseNonNegative(value, spec.name, "none", config.galleryCount);
            case DropoutOption::Threads:
                return parseNonNegative(value, spec.name, "all cores", config.threads);
            case DropoutOption::Benchmark:
                options.benchmark = true;
                return std::string();
            case DropoutOption::Checkpoint:
                options.checkpoint = std::string(value);
                return std::string();
            case DropoutOption::Config: // read before the options, by findConfigPath
                return std::string();
            case DropoutOption::RunsFolder:
                options.recording.runsFolder = std::string(value);
                return std::string();
            case DropoutOption::NoRecord:
                options.recording.enabled = false;
                return std::string();
            }
            return std::string();
        });
    if (!scanError.empty())
        return usageError(scanError);

    if (options.benchmark && !options.checkpoint.empty())
        return usageError("--checkpoint evaluates a saved net; --benchmark trains its own");
    if (options.benchmark && !benchmarkConflicts.empty())
        return usageError(std::string(benchmarkConflicts.front()) +
                          " is not an option of --benchmark (it trains p = 0 and 0.5 for one epoch, compares fp32 "
                          "with bf16 passes itself and writes no file)");
    if (!options.benchmark && options.outDir.empty())
        return usageError("missing --out DIR (the folder dropout_history.csv, ensemble.csv and ensemble_curve.csv "
                          "are written to)");

    // What can be checked without the data: core's validation with a data set as large as any.
    MnistDataset unbounded;
    unbounded.train.count = std::numeric_limits<int>::max();
    unbounded.test.count = 1;
    if (std::string error = validate(config, unbounded); !error.empty())
        return usageError(std::move(error));

    Command command;
    command.kind = CommandKind::Dropout;
    command.dropout = std::move(options);
    return parsed(std::move(command), std::move(warnings));
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
        Command command;
        command.kind = kind;
        return ParseOutcome{std::move(command), {}, {}};
    };

    if (isHelp(first) || first == "help")
        return ParseOutcome{Command{}, {}, {}}; // a default Command is the general help
    if (first == "--version")
        return alone(CommandKind::Version);
    if (first == "--diagnostics")
        return alone(CommandKind::Diagnostics);
    if (first == "deep")
        return parseDeep(rest);
    if (first == "circles")
        return parseCircles(rest);
    if (first == "dropout")
        return parseDropout(rest);
    if (first.starts_with("-"))
        return usageError("unknown option '" + std::string(first) + "' (see '" + std::string(kProgram) +
                          " --help')");
    return usageError("unknown command '" + std::string(first) + "' (known: deep, circles, dropout)");
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

namespace {

// The options every experiment command shares, in the command's column layout (`column`: where the
// descriptions start), and the paragraph on run records. configNotes: the command's own lines on
// what --config does.
std::string configAndRecordOptions(std::string_view experiment, int column,
                                   std::initializer_list<std::string_view> configNotes = {})
{
    std::ostringstream text;
    const auto entry = [&text, column](std::string_view option, const std::vector<std::string_view>& lines) {
        bool first = true;
        for (const std::string_view line : lines) {
            text << "  " << std::left << std::setw(column - 2) << (first ? option : std::string_view()) << line
                 << '\n';
            first = false;
        }
    };
    const std::string kind(experiment);
    const std::string first = "start from the settings of a " + kind + " experiment file (the JSON the";
    std::vector<std::string_view> configLines{first, "window's File > Save experiment writes); every option given here",
                                              "overrides the file's value, and a list replaces the file's list"};
    configLines.insert(configLines.end(), configNotes.begin(), configNotes.end());
    entry("--config FILE", configLines);
    entry("--runs-folder DIR", {"folder for the run record (default $INITLAB_RUNS_FOLDER when set,",
                                "else $XDG_DATA_HOME/initlab/runs, ~/.local/share/initlab/runs)"});
    entry("--no-record", {"leave no run record"});
    return text.str();
}

// notRecorded: the modes of the command that record nothing ("--benchmark").
std::string runRecordParagraph(std::string_view experiment, std::string_view notRecorded)
{
    return "Run record: every run (finished, cancelled or failed once started; not " + std::string(notRecorded) +
           ")\n"
           "leaves a folder <start time>-" +
           std::string(experiment) +
           " in the runs folder, as a run in the window does:\n"
           "experiment.json (its settings: give it to --config to run it again), run.json (versions, BLAS,\n"
           "threads, times, status) and the CSV files; the window's Runs tab lists it. The last line on\n"
           "stderr names it (run record: FOLDER); a record that cannot be written is a warning, not a failure.\n";
}

} // namespace

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

namespace {

std::string joined(const std::vector<int>& values, char separator)
{
    std::string text;
    for (const int value : values) {
        if (!text.empty())
            text += separator;
        text += std::to_string(value);
    }
    return text;
}

std::string joinedNames(const std::vector<InitScheme>& schemes)
{
    std::string text;
    for (const InitScheme scheme : schemes)
        appendItem(text, name(scheme), ",");
    return text;
}

} // namespace

std::string circlesUsage()
{
    const CirclesConfig defaults;
    const CirclesOptions defaultOptions;
    std::ostringstream text;
    std::string normalizations;
    for (const Normalization normalization : defaults.normalizations)
        appendItem(normalizations, name(normalization), ",");
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
         << "  --init LIST            init schemes, comma-separated; default the report's "
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
         << "  --noise X              each radius is perturbed by U(-X, X) (default " << defaults.data.noise << ")\n"
         << "  --threshold X          test accuracy that counts as a success (default "
         << defaultOptions.successThreshold << ")\n"
         << "  --threads N            LibTorch threads, 0 = all cores (default " << defaults.threads
         << ": the tensors are tiny)\n"
         << "  --resolution N         grid cells per side of the decision boundaries (default "
         << defaults.boundaryResolution << ")\n"
         << "  --out DIR              folder for the CSV files (and PNGs), created if missing\n"
            "  --boundary-png         also write DIR/boundary_<normalization>_<init>_seed<k>.png for the best\n"
            "                         seed of each (normalization, init): P(class 1) with its 0.5 contour and\n"
            "                         the training points\n"
            "  --benchmark            train the whole stack at once, then a few of its models one at a time,\n"
            "                         and compare model-epochs per second; writes files only with --out\n"
         << "  --alone N              --benchmark: models trained one at a time (default "
         << defaultOptions.aloneModels << ")\n"
         << configAndRecordOptions("circles", 25)
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

std::string dropoutUsage()
{
    const DropoutConfig defaults;
    std::ostringstream text;
    std::string ps;
    for (const double p : defaults.ps)
        appendItem(ps, formatReal(p), ",");
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
            "  --data DIR            folder of train-images-idx3-ubyte, train-labels-idx1-ubyte,\n"
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
         << ":" << defaults.validationEnd << ")\n"
         << "  --test-limit N        use only the first N test images, 0 = all (default " << defaults.testLimit
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
            "                        --seed, --test-limit, --threads); no run record\n"
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

#include "options.h"

#include "initlab/blas.h"

#include <cmath>
#include <filesystem>
#include <iomanip>
#include <set>
#include <sstream>

namespace initlab::cli {
namespace {

// The value of an option written "--name VALUE" or "--name=VALUE"; *index moves past a separate
// value. Returns a usage error or an empty string.
std::string takeValue(const std::vector<std::string>& args, std::size_t& index, const OptionSpec& spec,
                      std::string_view arg, std::string_view& value)
{
    const std::size_t equals = arg.find('=');
    if (spec.kind == OptionSpec::Kind::Flag) {
        if (equals != std::string_view::npos)
            return std::string(spec.name) + " takes no value";
        return {};
    }
    if (equals != std::string_view::npos) {
        value = arg.substr(equals + 1);
        if (value.empty())
            return "missing value for " + std::string(spec.name);
        return {};
    }
    // A following option is not taken as the value: `--out --depth 3` is a forgotten DIR.
    // Negative numbers ("-3") are still values, so they reach the range checks.
    if (index + 1 >= args.size() || std::string_view(args[index + 1]).starts_with("--"))
        return "missing value for " + std::string(spec.name);
    value = args[++index];
    return {};
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

// The value of --config, found before the options are applied. The walk reports the same problems
// (unknown option, missing value) as the real one, so they come first, whatever the file holds.
std::string findConfigPath(const std::vector<std::string>& args, const OptionTable& table, std::string_view command,
                           std::string& path)
{
    return scanOptions(args, table, command, [&](const OptionSpec& spec, std::string_view value) {
        if (spec.name == "--config")
            path = std::string(value);
        return std::string();
    });
}

} // namespace

// ---- the walk over the arguments ----------------------------------------------------------------

bool isHelp(std::string_view arg) { return arg == "--help" || arg == "-h"; }

bool asksForHelp(const std::vector<std::string>& args)
{
    return std::any_of(args.begin(), args.end(), [](const std::string& arg) { return isHelp(arg); });
}

std::string seeHelp(std::string_view command)
{
    return " (see '" + std::string(kProgram) + " " + std::string(command) + " --help')";
}

std::string scanOptions(const std::vector<std::string>& args, const OptionTable& table, std::string_view command,
                        const std::function<std::string(const OptionSpec&, std::string_view)>& handle)
{
    std::set<std::string_view> seenScalars;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        if (!arg.starts_with("-"))
            return "unexpected argument '" + std::string(arg) + "'" + seeHelp(command);

        const std::string_view optionName = arg.substr(0, arg.find('='));
        const auto spec = std::find_if(table.begin(), table.end(),
                                       [&](const OptionSpec& s) { return s.name == optionName; });
        if (spec == table.end())
            return "unknown option '" + std::string(optionName) + "'" + seeHelp(command);

        std::string_view value;
        if (std::string error = takeValue(args, i, *spec, arg, value); !error.empty())
            return error;
        if (spec->kind != OptionSpec::Kind::List && !seenScalars.insert(spec->name).second)
            return std::string(spec->name) + " given more than once";
        if (std::string error = handle(*spec, value); !error.empty())
            return error;
    }
    return {};
}

std::string applyOptions(const std::vector<std::string>& args, const OptionTable& table, std::string_view command)
{
    return scanOptions(args, table, command,
                       [](const OptionSpec& spec, std::string_view value) { return spec.apply(value); });
}

bool readCommandLine(const std::vector<std::string>& args, std::string_view command, ExperimentKind kind,
                     const OptionTable& table, const std::function<void(const ExperimentFile&)>& loadFile,
                     ParseStatus& status)
{
    status.help = asksForHelp(args);
    if (status.help)
        return false;
    std::string configPath;
    status.error = findConfigPath(args, table, command, configPath);
    if (status.error.empty() && !configPath.empty()) {
        ExperimentFile file;
        status.error = loadConfigFile(configPath, kind, file, status.warnings);
        if (status.error.empty())
            loadFile(file);
    }
    if (status.error.empty())
        status.error = applyOptions(args, table, command);
    return status.error.empty();
}

// ---- options every command takes the same way ---------------------------------------------------

OptionSpec flagOption(std::string_view name, bool& target, bool value)
{
    return {name, OptionSpec::Kind::Flag, [&target, value](std::string_view) {
                target = value;
                return std::string();
            }};
}

OptionSpec textOption(std::string_view name, std::string& target)
{
    return {name, OptionSpec::Kind::Value, [&target](std::string_view value) {
                target = std::string(value);
                return std::string();
            }};
}

OptionSpec positiveOption(std::string_view name, int& target)
{
    return {name, OptionSpec::Kind::Value,
            [name, &target](std::string_view value) { return parsePositive(value, name, target); }};
}

OptionSpec countOption(std::string_view name, std::string_view zeroMeans, int& target)
{
    return {name, OptionSpec::Kind::Value, [name, zeroMeans, &target](std::string_view value) {
                return parseNonNegative(value, name, zeroMeans, target);
            }};
}

OptionSpec realOption(std::string_view name, double& target)
{
    return {name, OptionSpec::Kind::Value,
            [name, &target](std::string_view value) { return parseBoundedReal(value, name, false, target); }};
}

OptionSpec positiveRealOption(std::string_view name, double& target)
{
    return {name, OptionSpec::Kind::Value,
            [name, &target](std::string_view value) { return parseBoundedReal(value, name, true, target); }};
}

OptionSpec valueOption(std::string_view name,
                       std::function<std::string(std::string_view option, std::string_view value)> apply,
                       OptionSpec::Kind kind)
{
    return {name, kind, [name, apply = std::move(apply)](std::string_view value) { return apply(name, value); }};
}

OptionSpec outOption(std::string& outDir) { return textOption("--out", outDir); }

OptionSpec threadsOption(int& threads) { return countOption("--threads", "all cores", threads); }

void limitThreads(int& threads, const std::vector<std::string>& args, ParseStatus& status)
{
    const int usable = usableThreads(threads);
    if (threads == 0 || usable == threads)
        return;
    const bool onCommandLine = std::any_of(args.begin(), args.end(), [](const std::string& arg) {
        return arg == "--threads" || arg.starts_with("--threads=");
    });
    const std::string asked = onCommandLine ? "--threads " + std::to_string(threads)
                                            : "the experiment file's threads " + std::to_string(threads);
    status.warnings.push_back(asked + " is more than the " + std::to_string(usable) + " hardware threads; using "
                              + std::to_string(usable));
    threads = usable;
}

void addRecordOptions(OptionTable& table, RunRecording& recording)
{
    table.push_back({"--config", OptionSpec::Kind::Value, [](std::string_view) { return std::string(); }});
    table.push_back(textOption("--runs-folder", recording.runsFolder));
    table.push_back(flagOption("--no-record", recording.enabled, false));
}

// ---- readers of values --------------------------------------------------------------------------

std::string_view trim(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

std::string formatReal(double value)
{
    std::ostringstream text;
    text << value;
    return text.str();
}

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

// ---- help text ----------------------------------------------------------------------------------

std::string configAndRecordOptions(std::string_view experiment, int column,
                                   std::initializer_list<std::string_view> configNotes)
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

} // namespace initlab::cli

#pragma once
// The parsing every initlab-cli command shares. A command declares its options in an OptionTable
// (spelling, flag or value, what the value sets); one walk over the arguments applies them in order
// and reports the first problem as a one-line usage error. Here too: the readers of numbers, lists,
// ranges and names, the options every command takes the same way (--out, --threads, --seed,
// --config, --runs-folder, --no-record, --help), the experiment file of --config, and the help text
// of the shared options. Every option is checked before anything runs, so a bad command line costs
// nothing and leaves nothing behind.

#include "runrecording.h"

#include "initlab/experimentfile.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace initlab::cli {

inline constexpr std::string_view kProgram = "initlab-cli";

// How parsing a command's arguments ended, whatever the command.
struct ParseStatus {
    bool help = false; // --help or -h: show the command's help and run nothing
    std::string error; // non-empty: a usage error, one line without the "error: " prefix
    // Lines without the "warning: " prefix, to print before the command runs (unknown keys of a
    // --config file, which are ignored).
    std::vector<std::string> warnings;
};

// What parsing one command's arguments gave: its options, meaningful when neither help nor error.
template <typename Options>
struct ParsedCommand : ParseStatus {
    Options options;
};

// One option of a command: how it is spelled, whether it takes a value, and what the value does.
struct OptionSpec {
    enum class Kind {
        Flag,  // no value: --benchmark
        Value, // one value, given once: --depth 3 or --depth=3
        List,  // a list that may come in pieces: --init a --init b
    };
    std::string_view name;
    Kind kind = Kind::Value;
    // Applies the value (empty for a flag); returns a usage error or an empty string.
    std::function<std::string(std::string_view value)> apply;
};

using OptionTable = std::vector<OptionSpec>;

// ---- the walk over the arguments ----------------------------------------------------------------

bool isHelp(std::string_view arg);
bool asksForHelp(const std::vector<std::string>& args);

// " (see 'initlab-cli COMMAND --help')", the hint after an unknown option or a stray argument.
std::string seeHelp(std::string_view command);

// Walks the arguments of one command and calls handle(spec, value) for each option, in order.
// Returns the first problem found, by the walk (unknown option, missing value, an option given
// twice) or by handle.
std::string scanOptions(const std::vector<std::string>& args, const OptionTable& table, std::string_view command,
                        const std::function<std::string(const OptionSpec&, std::string_view)>& handle);

// The walk that applies every option.
std::string applyOptions(const std::vector<std::string>& args, const OptionTable& table, std::string_view command);

// The first steps of every experiment command's parse: --help wins wherever it stands, so that
// `deep --depth x --help` still shows the help; the experiment file of --config, wherever --config
// stands, is the starting point (loadFile copies its settings into the options); then the options of
// the command line override it, in order. Returns false when parsing ends here, with status.help
// or status.error set.
bool readCommandLine(const std::vector<std::string>& args, std::string_view command, ExperimentKind kind,
                     const OptionTable& table, const std::function<void(const ExperimentFile&)>& loadFile,
                     ParseStatus& status);

// ---- options every command takes the same way ---------------------------------------------------

OptionSpec flagOption(std::string_view name, bool& target, bool value = true);
OptionSpec textOption(std::string_view name, std::string& target);
OptionSpec positiveOption(std::string_view name, int& target);
// 0 or more; zeroMeans says what 0 stands for in the message ("all cores").
OptionSpec countOption(std::string_view name, std::string_view zeroMeans, int& target);
OptionSpec realOption(std::string_view name, double& target);         // 0 or more
OptionSpec positiveRealOption(std::string_view name, double& target); // above 0
// An option whose value the command reads itself: apply(option name, value).
OptionSpec valueOption(std::string_view name,
                       std::function<std::string(std::string_view option, std::string_view value)> apply,
                       OptionSpec::Kind kind = OptionSpec::Kind::Value);

OptionSpec outOption(std::string& outDir);
OptionSpec threadsOption(int& threads);
// After the options are read: a thread count above the machine's hardware threads becomes the count
// core runs on instead (usableThreads), so that the header, the experiment file and the run record
// all say what ran, and status gets a warning naming where the count came from (--threads in args,
// else the --config file). 0 (all cores) and counts the machine has are left alone.
void limitThreads(int& threads, const std::vector<std::string>& args, ParseStatus& status);
// --config FILE (read before the other options, by readCommandLine), --runs-folder DIR, --no-record.
void addRecordOptions(OptionTable& table, RunRecording& recording);

// ---- readers of values --------------------------------------------------------------------------

std::string_view trim(std::string_view text);

// A real number as a user would type it: 0.2, not 0.200000.
std::string formatReal(double value);

// Numbers joined with a separator: "6,3", "2-6-3-2".
std::string joined(const std::vector<int>& values, char separator);

template <typename Item>
std::string joinNames(const std::vector<Item>& items)
{
    std::string text;
    for (const Item& item : items) {
        if (!text.empty())
            text += ", ";
        text += name(item);
    }
    return text;
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

template <typename Integer>
OptionSpec integerOption(std::string_view name, Integer& target)
{
    return {name, OptionSpec::Kind::Value,
            [name, &target](std::string_view value) { return parseInteger(value, name, target); }};
}

template <typename Integer>
OptionSpec seedOption(Integer& seed)
{
    return integerOption("--seed", seed);
}

std::string parseReal(std::string_view text, std::string_view option, double& value);
std::string parsePositive(std::string_view text, std::string_view option, int& value);
std::string parseNonNegative(std::string_view text, std::string_view option, std::string_view zeroMeans,
                             int& value);
// A real number with a lower bound; `positive` excludes the bound 0 itself.
std::string parseBoundedReal(std::string_view text, std::string_view option, bool positive, double& value);

// Splits a comma-separated list into trimmed pieces; an empty piece ("6,,3", "6,") is an error,
// because it is a typo far more often than an intended default.
std::string splitList(std::string_view text, std::string_view option, std::vector<std::string_view>& pieces);

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
std::string parseSizeList(std::string_view text, std::string_view option, std::vector<int>& sizes);

// Exactly two real numbers, "X,Y".
std::string parsePair(std::string_view text, std::string_view option, std::string_view shape, double& first,
                      double& second);

// A half-open range of image indices, "BEGIN:END".
std::string parseRange(std::string_view text, std::string_view option, int& begin, int& end);

// ---- help text ----------------------------------------------------------------------------------

// The options every experiment command shares, in the command's column layout (`column`: where the
// descriptions start). configNotes: the command's own lines on what --config does.
std::string configAndRecordOptions(std::string_view experiment, int column,
                                   std::initializer_list<std::string_view> configNotes = {});

// The paragraph on run records; notRecorded: the modes of the command that record nothing ("--benchmark").
std::string runRecordParagraph(std::string_view experiment, std::string_view notRecorded);

} // namespace initlab::cli

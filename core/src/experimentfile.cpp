#include "initlab/experimentfile.h"

#include "jsonread.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <set>
#include <sstream>

namespace initlab {
namespace {

using Json = nlohmann::ordered_json;

struct FileError {
    std::string message;
};

// The unknown keys of a file. Past the first few they are only counted: a file of a million
// unknown keys is one short list in a message box, not a million lines.
struct UnknownKeys {
    static constexpr std::size_t kListed = 20;
    std::vector<std::string> listed;
    std::size_t more = 0;

    void add(std::string warning)
    {
        if (listed.size() < kListed)
            listed.push_back(std::move(warning));
        else
            ++more;
    }
};

// Reads the keys of one JSON object, each with its type and range, and remembers which it saw so
// the others can be reported as unknown.
class ObjectReader {
public:
    ObjectReader(const Json& object, std::string path, UnknownKeys& warnings)
        : m_object(object)
        , m_path(std::move(path))
        , m_warnings(warnings)
    {
        if (!m_object.is_object())
            throw FileError{m_path + ": expected an object, got " + shortJson(m_object)};
    }

    ~ObjectReader() noexcept(false)
    {
        if (std::uncaught_exceptions() > 0)
            return;
        for (auto it = m_object.begin(); it != m_object.end(); ++it)
            if (!m_seen.count(it.key()))
                m_warnings.add(key(shortKey(it.key())) + ": unknown key, ignored");
    }

    const Json* find(const char* name)
    {
        m_seen.insert(name);
        const auto it = m_object.find(name);
        return it == m_object.end() ? nullptr : &*it;
    }

    std::string key(const std::string& name) const { return m_path + "." + name; }

    void integer(const char* name, int& out, long long min, long long max)
    {
        if (const Json* v = find(name))
            out = static_cast<int>(checkedInteger(*v, key(name), min, max));
    }

    void unsignedInteger(const char* name, std::uint64_t& out)
    {
        if (const Json* v = find(name)) {
            if (!v->is_number_unsigned())
                throw FileError{key(name) + ": expected an integer >= 0, got " + shortJson(*v)};
            out = v->get<std::uint64_t>();
        }
    }

    void number(const char* name, double& out, double min, double max, bool minExclusive = false)
    {
        if (const Json* v = find(name))
            out = checkedNumber(*v, key(name), min, max, minExclusive);
    }

    void boolean(const char* name, bool& out)
    {
        if (const Json* v = find(name)) {
            if (!v->is_boolean())
                throw FileError{key(name) + ": expected true or false, got " + shortJson(*v)};
            out = v->get<bool>();
        }
    }

    void string(const char* name, std::string& out)
    {
        if (const Json* v = find(name)) {
            if (!v->is_string())
                throw FileError{key(name) + ": expected a string, got " + shortJson(*v)};
            out = v->get<std::string>();
        }
    }

    template <typename T, typename Parse>
    void namedList(const char* name, std::vector<T>& out, Parse parse, const char* what)
    {
        if (const Json* v = find(name)) {
            if (!v->is_array() || v->empty())
                throw FileError{key(name) + ": expected a non-empty list of " + what + " names, got " + shortJson(*v)};
            std::vector<T> values;
            for (std::size_t i = 0; i < v->size(); ++i) {
                const Json& item = (*v)[i];
                const auto parsed = item.is_string() ? parse(item.template get<std::string>()) : std::nullopt;
                if (!parsed)
                    throw FileError{key(name) + "[" + std::to_string(i) + "]: " + shortJson(item) + " is not a known "
                                    + what};
                values.push_back(*parsed);
            }
            out = values;
        }
    }

    void integerList(const char* name, std::vector<int>& out, long long min, long long max, bool allowEmpty = false)
    {
        if (const Json* v = find(name)) {
            if (!v->is_array() || (v->empty() && !allowEmpty))
                throw FileError{key(name) + ": expected a list of integers, got " + shortJson(*v)};
            std::vector<int> values;
            for (std::size_t i = 0; i < v->size(); ++i)
                values.push_back(
                    static_cast<int>(checkedInteger((*v)[i], key(name) + "[" + std::to_string(i) + "]", min, max)));
            out = values;
        }
    }

    void numberList(const char* name, std::vector<double>& out, double min, double max)
    {
        if (const Json* v = find(name)) {
            if (!v->is_array() || v->empty())
                throw FileError{key(name) + ": expected a non-empty list of numbers, got " + shortJson(*v)};
            std::vector<double> values;
            for (std::size_t i = 0; i < v->size(); ++i)
                values.push_back(checkedNumber((*v)[i], key(name) + "[" + std::to_string(i) + "]", min, max, false));
            out = values;
        }
    }

    // A pair [a, b] of integers within [min, max].
    void integerPair(const char* name, int& first, int& second, long long min, long long max)
    {
        if (const Json* v = find(name)) {
            if (!v->is_array() || v->size() != 2)
                throw FileError{key(name) + ": expected [first, second], got " + shortJson(*v)};
            first = static_cast<int>(checkedInteger((*v)[0], key(name) + "[0]", min, max));
            second = static_cast<int>(checkedInteger((*v)[1], key(name) + "[1]", min, max));
        }
    }

    void numberPair(const char* name, double& first, double& second, double min, double max)
    {
        if (const Json* v = find(name)) {
            if (!v->is_array() || v->size() != 2)
                throw FileError{key(name) + ": expected [first, second], got " + shortJson(*v)};
            first = checkedNumber((*v)[0], key(name) + "[0]", min, max, false);
            second = checkedNumber((*v)[1], key(name) + "[1]", min, max, false);
        }
    }

private:
    static long long checkedInteger(const Json& v, const std::string& key, long long min, long long max)
    {
        if (!v.is_number_integer())
            throw FileError{key + ": expected an integer, got " + shortJson(v)};
        // An unsigned value above the largest long long would wrap to a negative number.
        if (v.is_number_unsigned()
            && v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<long long>::max()))
            throw FileError{key + ": " + shortJson(v) + " is out of range (" + std::to_string(min) + " to "
                            + std::to_string(max) + ")"};
        const long long value = v.get<long long>();
        if (value < min || value > max)
            throw FileError{key + ": " + std::to_string(value) + " is out of range (" + std::to_string(min) + " to "
                            + std::to_string(max) + ")"};
        return value;
    }

    static double checkedNumber(const Json& v, const std::string& key, double min, double max, bool minExclusive)
    {
        if (!v.is_number())
            throw FileError{key + ": expected a number, got " + shortJson(v)};
        const double value = v.get<double>();
        if (!std::isfinite(value) || value < min || value > max || (minExclusive && value == min)) {
            std::ostringstream range;
            range << (minExclusive ? "greater than " : "") << min << " to " << max;
            throw FileError{key + ": " + shortJson(v) + " is out of range (" + range.str() + ")"};
        }
        return value;
    }

    const Json& m_object;
    std::string m_path;
    UnknownKeys& m_warnings;
    std::set<std::string> m_seen;
};

template <typename T>
Json names(const std::vector<T>& values)
{
    Json list = Json::array();
    for (const T& v : values)
        list.push_back(std::string(name(v)));
    return list;
}

std::string document(ExperimentKind kind, Json settings)
{
    Json root;
    root["initlab_experiment"] = kExperimentFileVersion;
    root["experiment"] = std::string(name(kind));
    root["settings"] = std::move(settings);
    return root.dump(2) + "\n";
}

void readDeep(ObjectReader& r, DeepConfig& c, UnknownKeys& warnings)
{
    if (const Json* list = r.find("combinations")) {
        // An empty list is what the deep tab writes when no cell is selected: like a file without
        // the key, it leaves the choice to the window and the CLI (the report's seven).
        if (!list->is_array())
            throw FileError{r.key("combinations") + ": expected a list of [init, activation] pairs"};
        std::vector<Combination> combinations;
        for (std::size_t i = 0; i < list->size(); ++i) {
            const Json& pair = (*list)[i];
            const std::string key = r.key("combinations") + "[" + std::to_string(i) + "]";
            if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string())
                throw FileError{key + ": expected [\"init\", \"activation\"], got " + shortJson(pair)};
            const auto init = parseInitScheme(pair[0].get<std::string>());
            const auto activation = parseActivation(pair[1].get<std::string>());
            if (!init)
                throw FileError{key + ": " + shortJson(pair[0]) + " is not a known init scheme"};
            if (!activation)
                throw FileError{key + ": " + shortJson(pair[1]) + " is not a known activation"};
            combinations.push_back({*init, *activation});
        }
        c.combinations = combinations;
    }
    r.integer("depth", c.depth, 1, 10000);
    r.integer("width", c.width, 1, 16384);
    r.integer("batch", c.batch, 1, 10'000'000);
    r.unsignedInteger("seed", c.seed);
    r.integer("threads", c.threads, 0, 1024);
    r.integer("chunk", c.chunkSize, 0, 10'000'000);
    r.number("sigma", c.normalStd, 0.0, 1e6);
    r.boolean("histograms", c.histograms);
    r.boolean("bf16", c.bf16);
    (void)warnings;
}

void readCircles(ObjectReader& r, CirclesConfig& c, CirclesExtras& extras, UnknownKeys& warnings)
{
    if (const Json* data = r.find("data")) {
        ObjectReader d(*data, r.key("data"), warnings);
        d.numberPair("center", c.data.centerX, c.data.centerY, -1e6, 1e6);
        d.numberPair("radii", c.data.innerRadius, c.data.outerRadius, 0.0, 1e6);
        d.number("noise", c.data.noise, 0.0, 1e6);
        d.integer("train", c.data.trainSize, 2, 1'000'000);
        d.integer("validation", c.data.validationSize, 1, 1'000'000);
        d.integer("test", c.data.testSize, 1, 1'000'000);
    }
    r.namedList("inits", c.inits, parseInitScheme, "init scheme");
    r.namedList("normalizations", c.normalizations, parseNormalization, "normalization");
    r.number("scale_factor", c.scaledFactor, 0.0, 1e6, true);
    r.integer("seeds", c.seeds, 1, 1000);
    r.unsignedInteger("first_seed", c.firstSeed);
    r.integerList("hidden", c.hidden, 1, 4096);
    if (const Json* v = r.find("activation")) {
        const auto activation = v->is_string() ? parseActivation(v->get<std::string>()) : std::nullopt;
        if (!activation)
            throw FileError{r.key("activation") + ": " + shortJson(*v) + " is not a known activation"};
        c.activation = *activation;
    }
    r.number("sigma", c.normalStd, 0.0, 1e6);
    r.number("learning_rate", c.learningRate, 0.0, 1e3, true);
    r.number("weight_decay", c.weightDecay, 0.0, 1e3);
    r.integer("epochs", c.epochs, 1, 10'000'000);
    r.integer("threads", c.threads, 0, 1024);
    r.integer("resolution", c.boundaryResolution, 2, 1024);
    r.number("success_threshold", extras.successThreshold, 0.0, 1.0);
}

void readDropout(ObjectReader& r, DropoutConfig& c, DropoutExtras& extras, UnknownKeys& warnings)
{
    r.string("data_folder", extras.dataFolder);
    r.numberList("p", c.ps, 0.0, 0.999999);
    if (const Json* v = r.find("init")) {
        const auto init = v->is_string() ? parseInitScheme(v->get<std::string>()) : std::nullopt;
        if (!init)
            throw FileError{r.key("init") + ": " + shortJson(*v) + " is not a known init scheme"};
        c.init = *init;
    }
    r.number("sigma", c.normalStd, 0.0, 1e6);
    r.integerList("hidden", c.hidden, 1, 16384);
    r.number("learning_rate", c.learningRate, 0.0, 1e3, true);
    r.number("weight_decay", c.weightDecay, 0.0, 1e3);
    r.integer("batch", c.batch, 1, 65536);
    r.integer("epochs", c.epochs, 1, 100000);
    r.unsignedInteger("seed", c.seed);
    r.integerPair("train", c.trainBegin, c.trainEnd, 0, 100'000'000);
    r.integerPair("validation", c.validationBegin, c.validationEnd, 0, 100'000'000);
    r.integer("test_limit", c.testLimit, 0, 100'000'000);
    r.integerList("ensemble", c.ensembleSizes, 1, 100000, true);
    if (const Json* v = r.find("averaging")) {
        if (!v->is_string() || (*v != "probabilities" && *v != "logits"))
            throw FileError{r.key("averaging") + ": expected \"probabilities\" or \"logits\", got " + shortJson(*v)};
        c.averageProbabilities = *v == "probabilities";
    }
    r.boolean("bf16", c.bf16Inference);
    r.integer("gallery", c.galleryCount, 0, 1000);
    r.integer("threads", c.threads, 0, 1024);
}

} // namespace

std::string_view name(ExperimentKind kind)
{
    switch (kind) {
    case ExperimentKind::Deep:
        return "deep";
    case ExperimentKind::Circles:
        return "circles";
    case ExperimentKind::Dropout:
        return "dropout";
    }
    return "deep";
}

std::string experimentFileJson(const DeepConfig& c)
{
    Json settings;
    Json combinations = Json::array();
    for (const Combination& combination : c.combinations)
        combinations.push_back({std::string(name(combination.init)), std::string(name(combination.activation))});
    settings["combinations"] = combinations;
    settings["depth"] = c.depth;
    settings["width"] = c.width;
    settings["batch"] = c.batch;
    settings["seed"] = c.seed;
    settings["threads"] = c.threads;
    settings["chunk"] = c.chunkSize;
    settings["sigma"] = c.normalStd;
    settings["histograms"] = c.histograms;
    settings["bf16"] = c.bf16;
    return document(ExperimentKind::Deep, settings);
}

std::string experimentFileJson(const CirclesConfig& c, const CirclesExtras& extras)
{
    Json settings;
    settings["data"] = {{"center", {c.data.centerX, c.data.centerY}},
                        {"radii", {c.data.innerRadius, c.data.outerRadius}},
                        {"noise", c.data.noise},
                        {"train", c.data.trainSize},
                        {"validation", c.data.validationSize},
                        {"test", c.data.testSize}};
    settings["inits"] = names(c.inits);
    settings["normalizations"] = names(c.normalizations);
    settings["scale_factor"] = c.scaledFactor;
    settings["seeds"] = c.seeds;
    settings["first_seed"] = c.firstSeed;
    settings["hidden"] = c.hidden;
    settings["activation"] = std::string(name(c.activation));
    settings["sigma"] = c.normalStd;
    settings["learning_rate"] = c.learningRate;
    settings["weight_decay"] = c.weightDecay;
    settings["epochs"] = c.epochs;
    settings["threads"] = c.threads;
    settings["resolution"] = c.boundaryResolution;
    settings["success_threshold"] = extras.successThreshold;
    return document(ExperimentKind::Circles, settings);
}

std::string experimentFileJson(const DropoutConfig& c, const DropoutExtras& extras)
{
    Json settings;
    settings["data_folder"] = extras.dataFolder;
    settings["p"] = c.ps;
    settings["init"] = std::string(name(c.init));
    settings["sigma"] = c.normalStd;
    settings["hidden"] = c.hidden;
    settings["learning_rate"] = c.learningRate;
    settings["weight_decay"] = c.weightDecay;
    settings["batch"] = c.batch;
    settings["epochs"] = c.epochs;
    settings["seed"] = c.seed;
    settings["train"] = {c.trainBegin, c.trainEnd};
    settings["validation"] = {c.validationBegin, c.validationEnd};
    settings["test_limit"] = c.testLimit;
    settings["ensemble"] = c.ensembleSizes;
    settings["averaging"] = c.averageProbabilities ? "probabilities" : "logits";
    settings["bf16"] = c.bf16Inference;
    settings["gallery"] = c.galleryCount;
    settings["threads"] = c.threads;
    return document(ExperimentKind::Dropout, settings);
}

bool parseExperimentFile(const std::string& text, ExperimentFile& out, std::string& error,
                         std::vector<std::string>& warnings)
{
    // Every way a file can be refused ends here as one line: the parser's own (syntax, nesting,
    // numbers), the schema's (FileError), and whatever else a file no InitLab wrote might provoke.
    try {
        Json root;
        if (!parseJsonText(text, root, error))
            return false;
        UnknownKeys found;
        ExperimentFile file;
        {
            ObjectReader top(root, "", found);
            int version = 0;
            const Json* v = top.find("initlab_experiment");
            if (!v)
                throw FileError{"initlab_experiment: missing; this is not an InitLab experiment file"};
            top.integer("initlab_experiment", version, 1, 1'000'000);
            if (version > kExperimentFileVersion)
                throw FileError{"initlab_experiment: version " + std::to_string(version)
                                + " is newer than this InitLab reads (" + std::to_string(kExperimentFileVersion) + ")"};
            std::string kind;
            const Json* experiment = top.find("experiment");
            if (!experiment)
                throw FileError{"experiment: missing (deep, circles or dropout)"};
            top.string("experiment", kind);
            if (kind == "deep")
                file.kind = ExperimentKind::Deep;
            else if (kind == "circles")
                file.kind = ExperimentKind::Circles;
            else if (kind == "dropout")
                file.kind = ExperimentKind::Dropout;
            else
                throw FileError{"experiment: " + shortJson(*experiment) + " is not deep, circles or dropout"};
            const Json* settings = top.find("settings");
            if (settings) {
                ObjectReader r(*settings, "settings", found);
                switch (file.kind) {
                case ExperimentKind::Deep:
                    readDeep(r, file.deep, found);
                    break;
                case ExperimentKind::Circles:
                    readCircles(r, file.circles, file.circlesExtras, found);
                    break;
                case ExperimentKind::Dropout:
                    readDropout(r, file.dropout, file.dropoutExtras, found);
                    break;
                }
            }
        }
        // The top-level reader reports its keys as ".key": drop the leading dot.
        for (std::string& w : found.listed)
            if (!w.empty() && w.front() == '.')
                w.erase(0, 1);
        warnings.insert(warnings.end(), found.listed.begin(), found.listed.end());
        if (found.more > 0)
            warnings.push_back("and " + std::to_string(found.more) + " more unknown keys, ignored");
        out = std::move(file);
        return true;
    } catch (const FileError& e) {
        error = e.message.front() == '.' ? e.message.substr(1) : e.message;
    } catch (const std::exception& e) {
        error = unexpectedProblem(e);
    }
    return false;
}

bool readExperimentFile(const std::string& path, ExperimentFile& out, std::string& error,
                        std::vector<std::string>& warnings)
{
    std::string text;
    if (!readJsonFile(path, text, error) || !parseExperimentFile(text, out, error, warnings)) {
        error = path + ": " + error;
        return false;
    }
    return true;
}

} // namespace initlab

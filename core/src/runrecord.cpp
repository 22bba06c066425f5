#include "initlab/runrecord.h"

#include "initlab/csv.h"

#include "jsonread.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <limits>
#include <map>
#include <sstream>

namespace initlab {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// The text of one of a record's JSON files; empty on success, else why not ("missing", "not a
// regular file", "cannot open", "larger than 16 MB").
std::string readRecordFile(const fs::path& folder, const char* name, std::string& text)
{
    std::error_code ec;
    const fs::file_status status = fs::status(folder / name, ec);
    if (!fs::exists(status))
        return status.type() == fs::file_type::not_found ? std::string("missing") : "cannot open (" + ec.message() + ")";
    // A record's files are always written as regular files; opening a FIFO in their place would
    // block the listing, and with it the window's start, until something writes to it.
    if (!fs::is_regular_file(status))
        return "not a regular file";
    std::string error;
    return readJsonFile((folder / name).string(), text, error) ? std::string() : error;
}

// The fields of run.json, each where it belongs. Absent fields keep their defaults (older records
// lack some); a field of the wrong type is a problem (the first one is reported) but does not stop
// the others being read, so that an unreadable record still shows what it can.
class RunFields {
public:
    explicit RunFields(const Json& run)
        : m_run(run)
    {
    }

    void text(const char* key, std::string& out)
    {
        if (const Json* v = find(key)) {
            if (v->is_string())
                out = v->get<std::string>();
            else
                fail(std::string(key) + ": expected a string");
        }
    }

    void integer(const char* key, int& out)
    {
        if (const Json* v = find(key)) {
            using Limits = std::numeric_limits<int>;
            // Non-negative integers are parsed as unsigned, negative ones as signed.
            const bool fits = v->is_number_unsigned()
                ? v->get<std::uint64_t>() <= static_cast<std::uint64_t>(Limits::max())
                : v->is_number_integer() && v->get<long long>() >= Limits::min();
            if (fits)
                out = static_cast<int>(v->get<long long>());
            else
                fail(std::string(key) + ": expected an integer");
        }
    }

    // The result files the record names that are in its folder, by their plain names only: a
    // name that leads out of the folder is not a result of this run.
    void resultFiles(const fs::path& folder, std::vector<std::string>& out)
    {
        const Json* list = find("results");
        if (!list)
            return;
        if (!list->is_array()) {
            fail("results: expected a list of file names");
            return;
        }
        std::error_code ec;
        for (const Json& file : *list) {
            if (!file.is_string())
                continue;
            const std::string name = file.get<std::string>();
            if (name.empty() || name == "." || name == ".." || name.find_first_of(std::string("/\0", 2))
                != std::string::npos)
                continue;
            if (fs::exists(folder / name, ec))
                out.push_back(name);
        }
    }

    void fail(std::string problem)
    {
        if (m_problem.empty())
            m_problem = std::move(problem);
    }

    const std::string& problem() const { return m_problem; }

private:
    const Json* find(const char* key) const
    {
        const auto it = m_run.find(key);
        return it == m_run.end() ? nullptr : &*it;
    }

    const Json& m_run;
    std::string m_problem;
};

// Reads run.json into record; empty on success, else the problem without the file's name.
std::string readRunJson(const fs::path& folder, RunRecord& record)
{
    std::string text;
    if (std::string problem = readRecordFile(folder, "run.json", text); !problem.empty())
        return problem;
    Json run;
    std::string error;
    if (!parseJsonText(text, run, error))
        return error;
    if (!run.is_object())
        return "expected an object";
    RunFields fields(run);
    RunInfo& info = record.info;
    std::string kind;
    fields.text("experiment", kind);
    if (kind == "deep")
        info.kind = ExperimentKind::Deep;
    else if (kind == "circles")
        info.kind = ExperimentKind::Circles;
    else if (kind == "dropout")
        info.kind = ExperimentKind::Dropout;
    else
        fields.fail("unknown experiment " + shortJson(Json(kind)));
    fields.text("initlab_version", info.initlabVersion);
    fields.text("libtorch_version", info.torchVersion);
    fields.text("blas", info.blas);
    fields.integer("threads", info.threads);
    fields.text("started", info.started);
    fields.text("finished", info.finished);
    fields.text("status", info.status);
    fields.text("summary", info.summary);
    fields.resultFiles(folder, record.resultFiles);
    return fields.problem();
}

// Reads experiment.json into record; empty on success, else the problem.
std::string readExperimentJson(const fs::path& folder, RunRecord& record)
{
    std::string text;
    if (std::string problem = readRecordFile(folder, "experiment.json", text); !problem.empty())
        return problem;
    std::string error;
    std::vector<std::string> warnings;
    return parseExperimentFile(text, record.experiment, error, warnings) ? std::string() : error;
}

bool looksLikeRecord(const fs::path& folder)
{
    std::error_code ec;
    return fs::exists(folder / "run.json", ec) || fs::exists(folder / "experiment.json", ec);
}

// A CSV file of the contract: a header row, then rows of plain fields (no quoting is ever needed).
struct Table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;

    int column(const std::string& name) const
    {
        const auto it = std::find(header.begin(), header.end(), name);
        return it == header.end() ? -1 : static_cast<int>(it - header.begin());
    }
};

std::vector<std::string> split(const std::string& line)
{
    std::vector<std::string> fields;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = line.find(',', start);
        fields.push_back(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return fields;
}

bool parseTable(const std::string& csv, const std::string& name, const std::vector<std::string>& required, Table& out,
                std::string& error)
{
    std::istringstream in(csv);
    std::string line;
    if (!std::getline(in, line)) {
        error = name + ": empty";
        return false;
    }
    out.header = split(line);
    for (const std::string& column : required)
        if (out.column(column) < 0) {
            error = name + ": no column '" + column + "'";
            return false;
        }
    int lineNumber = 1;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (line.empty())
            continue;
        std::vector<std::string> fields = split(line);
        if (fields.size() != out.header.size()) {
            error = name + ": line " + std::to_string(lineNumber) + " has " + std::to_string(fields.size())
                + " fields, the header " + std::to_string(out.header.size());
            return false;
        }
        out.rows.push_back(std::move(fields));
    }
    return true;
}

bool toDouble(const std::string& text, double& value)
{
    if (text == "nan") {
        value = std::nan("");
        return true;
    }
    if (text == "inf" || text == "-inf") {
        value = text == "inf" ? INFINITY : -INFINITY;
        return true;
    }
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size();
}

template <typename Int>
bool toInt(const std::string& text, Int& value)
{
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size();
}

// Reads one row's named fields, reporting the first bad one.
class Row {
public:
    Row(const Table& table, std::size_t index, const std::string& name, std::string& error)
        : m_table(table), m_fields(table.rows[index]), m_where(name + ": line " + std::to_string(index + 2)),
          m_error(error)
    {
    }
    bool number(const char* column, double& value)
    {
        return check(toDouble(field(column), value), column);
    }
    template <typename Int>
    bool integer(const char* column, Int& value)
    {
        return check(toInt(field(column), value), column);
    }
    const std::string& field(const char* column) const { return m_fields[m_table.column(column)]; }
    bool fail(const std::string& message)
    {
        m_error = m_where + ": " + message;
        return false;
    }

private:
    bool check(bool ok, const char* column)
    {
        if (!ok)
            m_error = m_where + ": '" + field(column) + "' is not a valid " + column;
        return ok;
    }
    const Table& m_table;
    const std::vector<std::string>& m_fields;
    std::string m_where;
    std::string& m_error;
};

// "2026-11-27T10:59:06Z" -> "20261127-105906", for folder names that sort by time.
std::string compactTime(const std::string& iso)
{
    std::string out;
    for (char c : iso) {
        if (out.size() == 8)
            out.push_back('-');
        if (std::isdigit(static_cast<unsigned char>(c)) && out.size() < 15)
            out.push_back(c);
    }
    return out;
}

} // namespace

std::string defaultRunsFolder()
{
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        return (fs::path(xdg) / "initlab" / "runs").string();
    if (const char* home = std::getenv("HOME"); home && *home)
        return (fs::path(home) / ".local" / "share" / "initlab" / "runs").string();
    return (fs::temp_directory_path() / "initlab-runs").string();
}

std::string isoTimeNow()
{
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

std::string writeRunRecord(const std::string& runsFolder, const std::string& experimentJson, const RunInfo& info,
                           const std::vector<std::pair<std::string, std::string>>& results, std::string& error)
{
    std::error_code ec;
    fs::create_directories(runsFolder, ec);
    if (ec) {
        error = "cannot create the runs folder " + runsFolder + ": " + ec.message();
        return {};
    }
    const std::string base = compactTime(info.started) + "-" + std::string(name(info.kind));
    fs::path folder = fs::path(runsFolder) / base;
    for (int n = 2; fs::exists(folder, ec); ++n)
        folder = fs::path(runsFolder) / (base + "-" + std::to_string(n));
    if (!fs::create_directory(folder, ec)) {
        error = "cannot create the run folder " + folder.string() + ": " + ec.message();
        return {};
    }
    Json run;
    run["experiment"] = std::string(name(info.kind));
    run["initlab_version"] = info.initlabVersion;
    run["libtorch_version"] = info.torchVersion;
    run["blas"] = info.blas;
    run["threads"] = info.threads;
    run["started"] = info.started;
    run["finished"] = info.finished;
    run["status"] = info.status;
    run["summary"] = info.summary;
    Json files = Json::array();
    for (const auto& [fileName, content] : results)
        files.push_back(fileName);
    run["results"] = files;
    std::vector<std::pair<std::string, std::string>> all{{"experiment.json", experimentJson},
                                                         {"run.json", run.dump(2) + "\n"}};
    all.insert(all.end(), results.begin(), results.end());
    for (const auto& [fileName, content] : all)
        if (std::string problem = writeFileAtomically((folder / fileName).string(), content); !problem.empty()) {
            error = problem;
            fs::remove_all(folder, ec);
            return {};
        }
    return folder.string();
}

bool readRunRecord(const std::string& folder, RunRecord& out, std::string& error)
{
    // Both files are read whatever the other holds, so that a record that cannot be read keeps
    // what can be, and every exception a hostile file might still provoke ends here as a problem.
    RunRecord record;
    record.folder = folder;
    std::string runProblem;
    std::string experimentProblem;
    try {
        runProblem = readRunJson(folder, record);
    } catch (const std::exception& e) {
        runProblem = unexpectedProblem(e);
    }
    try {
        experimentProblem = readExperimentJson(folder, record);
    } catch (const std::exception& e) {
        experimentProblem = unexpectedProblem(e);
    }
    if (!runProblem.empty())
        record.problem = "run.json: " + runProblem;
    else if (!experimentProblem.empty())
        record.problem = "experiment.json: " + experimentProblem;
    else if (record.experiment.kind != record.info.kind)
        // Show and Re-run would put one experiment's settings into another's tab.
        record.problem = "experiment.json: a " + std::string(name(record.experiment.kind))
            + " experiment, but run.json says " + std::string(name(record.info.kind));
    out = std::move(record);
    if (out.problem.empty())
        return true;
    error = folder + "/" + out.problem;
    return false;
}

std::vector<RunRecord> listRunRecords(const std::string& runsFolder)
{
    std::vector<RunRecord> records;
    std::error_code ec;
    for (fs::directory_iterator it(runsFolder, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code entryError;
        if (!it->is_directory(entryError) || !looksLikeRecord(it->path()))
            continue;
        RunRecord record;
        std::string error;
        readRunRecord(it->path().string(), record, error); // an unreadable record is listed with its problem
        records.push_back(std::move(record));
    }
    std::sort(records.begin(), records.end(), [](const RunRecord& a, const RunRecord& b) {
        return a.info.started != b.info.started ? a.info.started > b.info.started : a.folder > b.folder;
    });
    return records;
}

bool parseDeepCsv(const std::string& csv, DeepResult& out, std::string& error)
{
    Table t;
    if (!parseTable(csv, "deep.csv",
                    {"init", "activation", "layer", "act_mean", "act_std", "grad_mean", "grad_std"}, t, error))
        return false;
    DeepResult result;
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
        Row row(t, i, "deep.csv", error);
        const auto init = parseInitScheme(row.field("init"));
        const auto activation = parseActivation(row.field("activation"));
        if (!init || !activation)
            return row.fail("unknown init scheme or activation");
        const Combination combination{*init, *activation};
        if (result.combinations.empty() || !(result.combinations.back().combination == combination)) {
            result.combinations.emplace_back();
            result.combinations.back().combination = combination;
        }
        LayerStats s;
        if (!row.integer("layer", s.layer) || !row.number("act_mean", s.actMean) || !row.number("act_std", s.actStd)
            || !row.number("grad_mean", s.gradMean) || !row.number("grad_std", s.gradStd))
            return false;
        if (t.column("pre_grad_std") >= 0 && !row.number("pre_grad_std", s.preGradStd))
            return false;
        if (t.column("theory_std") >= 0 && !row.number("theory_std", s.theoryStd))
            return false;
        if (t.column("saturated_frac") >= 0 && !row.number("saturated_frac", s.saturatedFrac))
            return false;
        if (t.column("zero_frac") >= 0 && !row.number("zero_frac", s.zeroFrac))
            return false;
        if (s.layer != int(result.combinations.back().layers.size()) + 1)
            return row.fail("layers must count up from 1 within a combination");
        result.combinations.back().layers.push_back(s);
    }
    out = std::move(result);
    return true;
}

bool parseDeepHistogramCsv(const std::string& csv, DeepResult& inOut, std::string& error)
{
    Table t;
    if (!parseTable(csv, "deep_hist.csv", {"init", "activation", "layer", "quantity", "bin_low", "bin_high", "count"},
                    t, error))
        return false;
    DeepResult result = inOut;
    // Per (combination, layer, quantity): its bins, then the rows of what lies below, above and NaN.
    Histogram* current = nullptr;
    int outsideRows = 3; // of the current histogram's three closing rows, how many were read
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
        Row row(t, i, "deep_hist.csv", error);
        const auto init = parseInitScheme(row.field("init"));
        const auto activation = parseActivation(row.field("activation"));
        if (!init || !activation)
            return row.fail("unknown init scheme or activation");
        const Combination combination{*init, *activation};
        int layer = 0;
        std::int64_t count = 0;
        if (!row.integer("layer", layer) || !row.integer("count", count))
            return false;
        if (count < 0)
            return row.fail("a count cannot be negative");
        const std::string& quantity = row.field("quantity");
        if (quantity != "act" && quantity != "pre_grad")
            return row.fail("quantity must be act or pre_grad (got '" + quantity + "')");
        auto found = std::find_if(result.combinations.begin(), result.combinations.end(),
                                  [&](const CombinationResult& c) { return c.combination == combination; });
        if (found == result.combinations.end())
            return row.fail("a combination that deep.csv does not hold");
        if (layer < 1 || layer > int(found->layers.size()))
            return row.fail("layer " + std::to_string(layer) + " is not in deep.csv");
        LayerStats& stats = found->layers[std::size_t(layer - 1)];
        Histogram& h = quantity == "act" ? stats.actHistogram : stats.preGradHistogram;
        const std::string& lowText = row.field("bin_low");
        const std::string& highText = row.field("bin_high");
        double low = 0.0;
        double high = 0.0;
        if (!row.number("bin_low", low) || !row.number("bin_high", high))
            return false;
        if (&h != current) {
            if (outsideRows != 3)
                return row.fail("the previous histogram lacks its below, above and nan rows");
            if (!h.counts.empty())
                return row.fail("a second histogram of the same layer and quantity");
            current = &h;
            outsideRows = 0;
        }
        if (lowText == "nan" && highText == "nan") {
            h.nan = count;
            ++outsideRows;
        } else if (lowText == "-inf") {
            h.below = count;
            ++outsideRows;
        } else if (highText == "inf") {
            h.above = count;
            ++outsideRows;
        } else {
            if (outsideRows != 0)
                return row.fail("a bin after the histogram's closing rows");
            if (!std::isfinite(low) || !std::isfinite(high) || !(low < high))
                return row.fail("a bin needs finite bin_low < bin_high");
            if (h.counts.empty())
                h.low = low;
            else if (std::abs(low - h.high) > 1e-9 * std::max(1.0, std::abs(high - h.low)))
                return row.fail("bins must follow each other without gaps");
            h.high = high;
            h.counts.push_back(count);
        }
        if (outsideRows == 3 && int(h.counts.size()) != kHistogramBins)
            return row.fail("a histogram must have " + std::to_string(kHistogramBins) + " bins (got "
                            + std::to_string(h.counts.size()) + ")");
    }
    if (outsideRows != 3)
        return Row(t, t.rows.size() - 1, "deep_hist.csv", error).fail("the last histogram lacks its closing rows");
    inOut = std::move(result);
    return true;
}

bool parseCirclesCsv(const std::string& history, const std::string& summary, CirclesResult& out, std::string& error)
{
    Table h, s;
    if (!parseTable(summary, "circles_summary.csv",
                    {"normalization", "init", "seed", "best_epoch", "best_val_acc", "test_acc"}, s, error)
        || !parseTable(history, "circles_history.csv",
                       {"normalization", "init", "seed", "epoch", "train_loss", "train_acc", "val_loss", "val_acc"}, h,
                       error))
        return false;
    CirclesResult result;
    std::map<std::tuple<int, int, std::uint64_t>, std::size_t> index;
    for (std::size_t i = 0; i < s.rows.size(); ++i) {
        Row row(s, i, "circles_summary.csv", error);
        ModelResult m;
        const auto normalization = parseNormalization(row.field("normalization"));
        const auto init = parseInitScheme(row.field("init"));
        if (!normalization || !init)
            return row.fail("unknown normalization or init scheme");
        m.key.normalization = *normalization;
        m.key.init = *init;
        if (!row.integer("seed", m.key.seed) || !row.integer("best_epoch", m.bestEpoch)
            || !row.number("best_val_acc", m.bestValAcc) || !row.number("test_acc", m.testAcc))
            return false;
        if (s.column("dead_units") >= 0 && !row.integer("dead_units", m.deadUnits))
            return false;
        if (s.column("diverged_epoch") >= 0 && !row.integer("diverged_epoch", m.divergedEpoch))
            return false;
        index[{int(m.key.normalization), int(m.key.init), m.key.seed}] = result.models.size();
        result.models.push_back(std::move(m));
    }
    for (std::size_t i = 0; i < h.rows.size(); ++i) {
        Row row(h, i, "circles_history.csv", error);
        const auto normalization = parseNormalization(row.field("normalization"));
        const auto init = parseInitScheme(row.field("init"));
        std::uint64_t seed = 0;
        int epoch = 0;
        if (!normalization || !init)
            return row.fail("unknown normalization or init scheme");
        if (!row.integer("seed", seed) || !row.integer("epoch", epoch))
            return false;
        const auto it = index.find({int(*normalization), int(*init), seed});
        if (it == index.end())
            return row.fail("a model that is not in circles_summary.csv");
        ModelResult& m = result.models[it->second];
        if (epoch != int(m.trainLoss.size()) + 1)
            return row.fail("epochs must count up from 1 for each model");
        double values[4];
        if (!row.number("train_loss", values[0]) || !row.number("train_acc", values[1])
            || !row.number("val_loss", values[2]) || !row.number("val_acc", values[3]))
            return false;
        m.trainLoss.push_back(float(values[0]));
        m.trainAcc.push_back(float(values[1]));
        m.valLoss.push_back(float(values[2]));
        m.valAcc.push_back(float(values[3]));
        result.epochsRun = std::max(result.epochsRun, epoch);
    }
    out = std::move(result);
    return true;
}

bool parseDropoutCsv(const std::string& history, const std::string& ensemble, const std::string& curve,
                     DropoutResult& out, std::string& error)
{
    Table h, e, c;
    if (!parseTable(history, "dropout_history.csv", {"p", "epoch", "train_loss", "train_acc", "val_loss", "val_acc"},
                    h, error)
        || !parseTable(ensemble, "ensemble.csv", {"p", "passes", "test_acc"}, e, error)
        || !parseTable(curve, "ensemble_curve.csv", {"p", "passes", "test_acc"}, c, error))
        return false;
    DropoutResult result;
    const auto runFor = [&](double p) -> DropoutRunResult& {
        for (DropoutRunResult& r : result.runs)
            if (r.p == p)
                return r;
        result.runs.emplace_back();
        result.runs.back().p = p;
        return result.runs.back();
    };
    for (std::size_t i = 0; i < h.rows.size(); ++i) {
        Row row(h, i, "dropout_history.csv", error);
        double p = 0;
        DropoutEpoch epoch;
        if (!row.number("p", p) || !row.integer("epoch", epoch.epoch) || !row.number("train_loss", epoch.trainLoss)
            || !row.number("train_acc", epoch.trainAcc) || !row.number("val_loss", epoch.valLoss)
            || !row.number("val_acc", epoch.valAcc))
            return false;
        DropoutRunResult& run = runFor(p);
        epoch.run = static_cast<int>(&run - result.runs.data());
        if (epoch.valAcc > run.bestValAcc || run.bestEpoch == 0) {
            run.bestValAcc = epoch.valAcc;
            run.bestEpoch = epoch.epoch;
        }
        run.history.push_back(epoch);
    }
    for (std::size_t i = 0; i < e.rows.size(); ++i) {
        Row row(e, i, "ensemble.csv", error);
        double p = 0, accuracy = 0;
        if (!row.number("p", p) || !row.number("test_acc", accuracy))
            return false;
        if (row.field("passes") == "single")
            runFor(p).singlePassAcc = accuracy;
        if (e.column("averaging") >= 0)
            result.averageProbabilities = row.field("averaging") != "logits";
    }
    for (std::size_t i = 0; i < c.rows.size(); ++i) {
        Row row(c, i, "ensemble_curve.csv", error);
        double p = 0, accuracy = 0;
        int passes = 0;
        if (!row.number("p", p) || !row.integer("passes", passes) || !row.number("test_acc", accuracy))
            return false;
        DropoutRunResult& run = runFor(p);
        if (passes != int(run.ensembleAcc.size()) + 1)
            return row.fail("passes must count up from 1 for each p");
        run.ensembleAcc.push_back(accuracy);
    }
    out = std::move(result);
    return true;
}

} // namespace initlab

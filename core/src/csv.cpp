#include "initlab/csv.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <string_view>
#include <fcntl.h>
#include <sys/stat.h>
#include <filesystem>
#include <unistd.h>

namespace initlab {

namespace {
template <typename Real>
std::string shortest(Real value)
{
    if (std::isnan(value))
        return "nan";
    if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc() ? std::string(buffer, end) : std::string("nan");
}
} // namespace

std::string formatNumber(double value) { return shortest(value); }
std::string formatNumber(float value) { return shortest(value); }

namespace {
// One CSV row of already formatted fields. (Chains of std::string operator+ also trip a false
// -Wstringop-overflow in GCC 12.)
void appendRow(std::string& out, std::initializer_list<std::string_view> fields)
{
    bool first = true;
    for (std::string_view field : fields) {
        if (!first)
            out += ',';
        out.append(field);
        first = false;
    }
    out += '\n';
}
} // namespace

std::string deepCsv(const DeepResult& result)
{
    std::string out;
    appendRow(out, {"init", "activation", "layer", "act_mean", "act_std", "grad_mean", "grad_std", "pre_grad_std",
                    "theory_std", "saturated_frac", "zero_frac"});
    for (const CombinationResult& combination : result.combinations)
        for (const LayerStats& s : combination.layers)
            appendRow(out, {name(combination.combination.init), name(combination.combination.activation),
                            std::to_string(s.layer), formatNumber(s.actMean), formatNumber(s.actStd),
                            formatNumber(s.gradMean), formatNumber(s.gradStd), formatNumber(s.preGradStd),
                            formatNumber(s.theoryStd), formatNumber(s.saturatedFrac), formatNumber(s.zeroFrac)});
    return out;
}

bool hasHistograms(const DeepResult& result)
{
    for (const CombinationResult& combination : result.combinations)
        for (const LayerStats& s : combination.layers)
            if (!s.actHistogram.empty() || !s.preGradHistogram.empty())
                return true;
    return false;
}

std::string deepHistogramCsv(const DeepResult& result)
{
    std::string out;
    appendRow(out, {"init", "activation", "layer", "quantity", "bin_low", "bin_high", "count"});
    for (const CombinationResult& combination : result.combinations) {
        const std::string_view init = name(combination.combination.init);
        const std::string_view activation = name(combination.combination.activation);
        for (const LayerStats& s : combination.layers) {
            const std::string layer = std::to_string(s.layer);
            const std::pair<std::string_view, const Histogram*> quantities[] = {{"act", &s.actHistogram},
                                                                                {"pre_grad", &s.preGradHistogram}};
            for (const auto& [quantity, h] : quantities) {
                if (h->empty())
                    continue;
                for (int b = 0; b < int(h->counts.size()); ++b)
                    appendRow(out, {init, activation, layer, quantity, formatNumber(h->binLow(b)),
                                    formatNumber(h->binHigh(b)), std::to_string(h->counts[std::size_t(b)])});
                appendRow(out, {init, activation, layer, quantity, "-inf", formatNumber(h->low),
                                std::to_string(h->below)});
                appendRow(out, {init, activation, layer, quantity, formatNumber(h->high), "inf",
                                std::to_string(h->above)});
                appendRow(out, {init, activation, layer, quantity, "nan", "nan", std::to_string(h->nan)});
            }
        }
    }
    return out;
}

std::string circlesHistoryCsv(const CirclesResult& result)
{
    std::string out;
    appendRow(out, {"normalization", "init", "seed", "epoch", "train_loss", "train_acc", "val_loss", "val_acc"});
    for (const ModelResult& m : result.models) {
        const std::string seed = std::to_string(m.key.seed);
        for (std::size_t e = 0; e < m.trainLoss.size(); ++e)
            appendRow(out, {name(m.key.normalization), name(m.key.init), seed, std::to_string(e + 1),
                            formatNumber(m.trainLoss[e]), formatNumber(m.trainAcc[e]), formatNumber(m.valLoss[e]),
                            formatNumber(m.valAcc[e])});
    }
    return out;
}

std::string circlesSummaryCsv(const CirclesResult& result)
{
    std::string out;
    appendRow(out, {"normalization", "init", "seed", "best_epoch", "best_val_acc", "test_acc", "dead_units",
                    "diverged_epoch"});
    for (const ModelResult& m : result.models)
        appendRow(out, {name(m.key.normalization), name(m.key.init), std::to_string(m.key.seed),
                        std::to_string(m.bestEpoch), formatNumber(m.bestValAcc), formatNumber(m.testAcc),
                        std::to_string(m.deadUnits), std::to_string(m.divergedEpoch)});
    return out;
}

std::string dropoutHistoryCsv(const DropoutResult& result)
{
    std::string out;
    appendRow(out, {"p", "epoch", "train_loss", "train_acc", "val_loss", "val_acc"});
    for (const DropoutRunResult& run : result.runs) {
        const std::string p = formatNumber(run.p);
        for (const DropoutEpoch& e : run.history)
            appendRow(out, {p, std::to_string(e.epoch), formatNumber(e.trainLoss), formatNumber(e.trainAcc),
                            formatNumber(e.valLoss), formatNumber(e.valAcc)});
    }
    return out;
}

std::string ensembleCsv(const DropoutResult& result, const std::vector<int>& ensembleSizes)
{
    std::string out;
    const std::string_view averaging = result.averageProbabilities ? "probabilities" : "logits";
    appendRow(out, {"p", "passes", "test_acc", "averaging"});
    for (const DropoutRunResult& run : result.runs) {
        if (run.ensembleAcc.empty())
            continue; // no checkpoint to evaluate (diverged at once, or cancelled)
        const std::string p = formatNumber(run.p);
        appendRow(out, {p, "single", formatNumber(run.singlePassAcc), averaging});
        for (int t : ensembleSizes)
            if (t >= 1 && std::size_t(t) <= run.ensembleAcc.size())
                appendRow(out, {p, std::to_string(t), formatNumber(run.ensembleAcc[t - 1]), averaging});
    }
    return out;
}

std::string ensembleCurveCsv(const DropoutResult& result)
{
    std::string out;
    appendRow(out, {"p", "passes", "test_acc"});
    for (const DropoutRunResult& run : result.runs) {
        const std::string p = formatNumber(run.p);
        for (std::size_t t = 0; t < run.ensembleAcc.size(); ++t)
            appendRow(out, {p, std::to_string(t + 1), formatNumber(run.ensembleAcc[t])});
    }
    return out;
}

std::string writeFileAtomically(const std::string& path, const std::string& content)
{
    namespace fs = std::filesystem;
    const fs::path target(path);
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::error_code ec;
    const fs::file_status status = fs::status(folder, ec);
    if (!fs::exists(status))
        return "cannot write " + path + ": folder " + folder.string() + " does not exist";
    if (!fs::is_directory(status))
        return "cannot write " + path + ": " + folder.string() + " is not a folder";
    std::string hidden = ".";
    hidden += target.filename().string();
    hidden += ".XXXXXX";
    std::string temporary = (folder / hidden).string();
    const int fd = ::mkstemp(temporary.data());
    if (fd < 0)
        return "cannot write " + path + ": " + std::strerror(errno);
    const auto fail = [&](int error) {
        ::close(fd);
        ::unlink(temporary.c_str());
        return "cannot write " + path + ": " + std::strerror(error);
    };
    const char* data = content.data();
    std::size_t left = content.size();
    while (left > 0) {
        const ssize_t written = ::write(fd, data, left);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return fail(errno);
        }
        // A regular file takes at least a byte or says why not; 0 would loop for ever.
        if (written == 0)
            return fail(ENOSPC);
        data += written;
        left -= static_cast<std::size_t>(written);
    }
    if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0)
        return fail(errno);
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        return "cannot write " + path + ": " + std::strerror(error);
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        return "cannot write " + path + ": " + std::strerror(error);
    }
    return {};
}

} // namespace initlab

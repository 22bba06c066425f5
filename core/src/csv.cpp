#include "initlab/csv.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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

std::string deepCsv(const DeepResult& result)
{
    std::string out = "init,activation,layer,act_mean,act_std,grad_mean,grad_std,pre_grad_std,theory_std\n";
    for (const CombinationResult& combination : result.combinations) {
        const std::string prefix = std::string(name(combination.combination.init)) + ','
            + std::string(name(combination.combination.activation)) + ',';
        for (const LayerStats& s : combination.layers) {
            out += prefix + std::to_string(s.layer) + ',' + formatNumber(s.actMean) + ',' + formatNumber(s.actStd)
                + ',' + formatNumber(s.gradMean) + ',' + formatNumber(s.gradStd) + ',' + formatNumber(s.preGradStd)
                + ',' + formatNumber(s.theoryStd) + '\n';
        }
    }
    return out;
}

namespace {
std::string modelPrefix(const ModelKey& key)
{
    return std::string(name(key.normalization)) + ',' + std::string(name(key.init)) + ',' + std::to_string(key.seed)
        + ',';
}
} // namespace

std::string circlesHistoryCsv(const CirclesResult& result)
{
    std::string out = "normalization,init,seed,epoch,train_loss,train_acc,val_loss,val_acc\n";
    for (const ModelResult& m : result.models) {
        const std::string prefix = modelPrefix(m.key);
        for (std::size_t e = 0; e < m.trainLoss.size(); ++e)
            out += prefix + std::to_string(e + 1) + ',' + formatNumber(m.trainLoss[e]) + ',' + formatNumber(m.trainAcc[e])
                + ',' + formatNumber(m.valLoss[e]) + ',' + formatNumber(m.valAcc[e]) + '\n';
    }
    return out;
}

std::string circlesSummaryCsv(const CirclesResult& result)
{
    std::string out = "normalization,init,seed,best_epoch,best_val_acc,test_acc,dead_units,diverged_epoch\n";
    for (const ModelResult& m : result.models)
        out += modelPrefix(m.key) + std::to_string(m.bestEpoch) + ',' + formatNumber(m.bestValAcc) + ','
            + formatNumber(m.testAcc) + ',' + std::to_string(m.deadUnits) + ',' + std::to_string(m.divergedEpoch) + '\n';
    return out;
}

std::string writeFileAtomically(const std::string& path, const std::string& content)
{
    namespace fs = std::filesystem;
    const fs::path target(path);
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        return "cannot write " + path + ": folder " + folder.string() + " does not exist";
    std::string temporary = (folder / ("." + target.filename().string() + ".XXXXXX")).string();
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

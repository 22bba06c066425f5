// Best checkpoints on disk, and their evaluation without training: the one place that reads a
// checkpoint file, checks it against the data and scores it, for the window and the command line.

#include "initlab/dropout.h"

#include "initlab/blas.h"
#include "initlab/csv.h"
#include "ensemble_throttle.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <exception>
#include <fstream>
#include <iterator>
#include <new>

namespace initlab {
namespace {

constexpr char kCheckpointMagic[8] = {'I', 'N', 'L', 'B', 'C', 'K', 'P', '1'};

template <typename T>
void append(std::string& out, const T& value)
{
    out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

// Takes the file's bytes in order; false when the file ends first.
class ByteReader {
public:
    explicit ByteReader(const std::string& bytes)
        : m_bytes(bytes)
    {
    }

    bool take(void* into, std::size_t n)
    {
        if (m_offset + n > m_bytes.size())
            return false;
        std::memcpy(into, m_bytes.data() + m_offset, n);
        m_offset += n;
        return true;
    }
    std::size_t left() const { return m_bytes.size() - m_offset; }

private:
    const std::string& m_bytes;
    std::size_t m_offset = 0;
};

// The header: magic, p, epoch, layer sizes. Every field is checked, so what follows can trust it.
bool readHeader(const std::string& path, ByteReader& in, DropoutCheckpoint& c, std::string& error)
{
    char magic[sizeof kCheckpointMagic];
    if (!in.take(magic, sizeof magic) || std::memcmp(magic, kCheckpointMagic, sizeof magic) != 0) {
        error = path + ": not an InitLab checkpoint";
        return false;
    }
    std::int32_t epoch = 0, count = 0;
    if (!in.take(&c.p, sizeof c.p) || !in.take(&epoch, sizeof epoch) || !in.take(&count, sizeof count) || count < 2
        || count > 64) {
        error = path + ": truncated or corrupt header";
        return false;
    }
    // A p outside [0, 1) would make every MC pass meaningless (p = 1 divides by zero when scaling
    // the kept units).
    if (!std::isfinite(c.p) || c.p < 0.0 || c.p >= 1.0) {
        error = path + ": the dropout probability p = " + std::to_string(c.p)
            + " in the file is not in [0, 1) (corrupt file)";
        return false;
    }
    if (epoch < 1) {
        error = path + ": the best epoch " + std::to_string(epoch) + " in the file is not a positive number (corrupt "
            + "file)";
        return false;
    }
    c.epoch = epoch;
    for (std::int32_t i = 0; i < count; ++i) {
        std::int32_t s = 0;
        if (!in.take(&s, sizeof s) || s < 1 || s > 1'000'000) {
            error = path + ": corrupt layer sizes";
            return false;
        }
        c.sizes.push_back(s);
    }
    return true;
}

// The images a training run of this config scores on: the first testLimit of the test file.
ImageSet firstTestImages(const ImageSet& all, int testLimit)
{
    ImageSet test = all;
    if (testLimit > 0 && testLimit < test.count) {
        test.count = testLimit;
        test.pixels.resize(std::size_t(test.count) * std::size_t(test.pixelsPerImage()));
        test.labels.resize(std::size_t(test.count));
    }
    return test;
}

// Empty when the net takes the test images' pixels and gives one output per class, else the fault.
std::string checkFit(const std::string& path, const DropoutCheckpoint& c, const MnistDataset& data)
{
    const std::string images = data.folder.empty() ? "the test images" : "the test images of " + data.folder;
    if (c.sizes.front() != data.test.pixelsPerImage())
        return path + ": the net takes " + std::to_string(c.sizes.front()) + " inputs, but " + images + " have "
            + std::to_string(data.test.pixelsPerImage()) + " pixels";
    if (c.sizes.back() != kMnistClasses)
        return path + ": the net gives " + std::to_string(c.sizes.back()) + " classes, but " + images + " have "
            + std::to_string(kMnistClasses) + " classes";
    return {};
}

// readCheckpoint, with what it may throw worded as a problem of the file.
bool readForEvaluation(const std::string& path, DropoutCheckpoint& checkpoint, std::string& error)
{
    try {
        if (readCheckpoint(path, checkpoint, error))
            return true;
    } catch (const std::bad_alloc&) {
        error = path + ": out of memory while reading the checkpoint";
    } catch (const std::exception& e) {
        error = path + ": " + e.what();
    }
    if (error.empty())
        error = path + ": cannot read the checkpoint";
    return false;
}

// The one-pass accuracy and the sweep of tMax passes, reported as run 0 of a run.
DropoutRunResult scoreCheckpoint(const std::string& path, const DropoutCheckpoint& checkpoint, const ImageSet& test,
                                 const DropoutConfig& config, int tMax, DropoutSink& sink, const CancelFlag& cancel)
{
    DropoutRunResult run;
    run.p = checkpoint.p;
    run.bestEpoch = checkpoint.epoch;
    run.checkpointPath = path;
    // Same thread count as a training run's sweep: the matrix products, hence the accuracies, then
    // agree to the last bit with what that run reported.
    setTorchThreads(config.threads);
    EnsembleThrottle throttle(config.ensembleSizes, tMax);
    const auto begun = std::chrono::steady_clock::now();
    const EnsembleEvaluation evaluation = evaluateEnsemble(
        checkpoint, test, tMax, config.averageProbabilities, config.seed, config.bf16Inference, &cancel,
        [&](int passes, double accuracy) {
            if (throttle.due(passes))
                sink.onEnsemble(0, passes, accuracy);
            sink.onProgress(double(passes) / double(std::max(1, tMax)));
        });
    run.singlePassAcc = evaluation.singlePassAcc;
    run.ensembleAcc = evaluation.ensembleAcc;
    run.ensembleSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begun).count();
    run.ensembleFlops = forwardFlops(checkpoint.sizes, test.count) * double(evaluation.ensembleAcc.size());
    return run;
}

} // namespace

std::string writeCheckpoint(const std::string& path, const DropoutCheckpoint& c)
{
    std::string bytes(kCheckpointMagic, sizeof kCheckpointMagic);
    append(bytes, c.p);
    append(bytes, std::int32_t(c.epoch));
    append(bytes, std::int32_t(c.sizes.size()));
    for (int s : c.sizes)
        append(bytes, std::int32_t(s));
    append(bytes, std::uint64_t(c.parameters.size()));
    bytes.append(reinterpret_cast<const char*>(c.parameters.data()), c.parameters.size() * sizeof(float));
    return writeFileAtomically(path, bytes);
}

bool readCheckpoint(const std::string& path, DropoutCheckpoint& out, std::string& error)
{
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        error = path + ": cannot open";
        return false;
    }
    const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    ByteReader in(bytes);
    DropoutCheckpoint c;
    if (!readHeader(path, in, c, error))
        return false;
    std::uint64_t n = 0;
    if (!in.take(&n, sizeof n) || n != std::uint64_t(parameterCount(c.sizes)) || in.left() != n * sizeof(float)) {
        error = path + ": the parameter count does not match the layer sizes (truncated or corrupt file)";
        return false;
    }
    c.parameters.resize(n);
    in.take(c.parameters.data(), n * sizeof(float));
    out = std::move(c);
    return true;
}

DropoutResult evaluateCheckpoint(const std::string& path, const DropoutConfig& config,
                                 CheckpointEvaluationSink& sink, const CancelFlag& cancel)
{
    DropoutResult result;
    result.averageProbabilities = config.averageProbabilities;
    // The checkpoint first: it is small, and a bad one need not wait for the data.
    DropoutCheckpoint checkpoint;
    std::string error;
    if (!readForEvaluation(path, checkpoint, error)) {
        result.error = error;
        return result;
    }
    const MnistDataset* data = sink.testData(error);
    if (!data) {
        result.error = error;
        return result;
    }
    result.kind = data->kind;
    result.classNames = data->classNames;
    result.rows = data->train.rows;
    result.cols = data->train.cols;
    if (std::string problem = checkFit(path, checkpoint, *data); !problem.empty()) {
        result.error = problem;
        return result;
    }
    if (cancel.load()) {
        result.cancelled = true;
        return result;
    }

    const ImageSet test = firstTestImages(data->test, config.testLimit);
    const int tMax = config.ensembleSizes.empty()
        ? 0
        : *std::max_element(config.ensembleSizes.begin(), config.ensembleSizes.end());
    DropoutConfig shown = config;
    shown.ps = {checkpoint.p};
    shown.hidden.assign(checkpoint.sizes.begin() + 1, checkpoint.sizes.end() - 1);
    shown.testLimit = test.count;
    sink.onBegin(shown, checkpoint);
    try {
        DropoutRunResult run = scoreCheckpoint(path, checkpoint, test, config, tMax, sink, cancel);
        result.cancelled = cancel.load() && int(run.ensembleAcc.size()) < tMax;
        sink.onRunFinished(0, run);
        result.runs.push_back(std::move(run));
    } catch (const std::bad_alloc&) {
        result.error = path + ": out of memory while evaluating: try fewer test images";
    } catch (const std::exception& e) {
        result.error = path + ": the evaluation failed: " + e.what();
    } catch (...) {
        result.error = path + ": the evaluation failed with an unknown error";
    }
    return result;
}

} // namespace initlab

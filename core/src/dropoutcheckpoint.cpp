// Best checkpoints on disk, and their evaluation without training: the one place that reads a
// checkpoint file, checks it against the data and scores it, for the window and the command line.

#include "initlab/dropout.h"

#include "initlab/blas.h"
#include "initlab/csv.h"
#include "ensemble_throttle.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <exception>
#include <fstream>
#include <iterator>
#include <new>
#include <string_view>

#include <zlib.h>

namespace initlab {
namespace {

// The checkpoint file. Numbers are stored as the machine holds them, which is little-endian on
// every machine InitLab builds for (the static_assert keeps it so).
//
// Version 2, written today:
//   char[8]    "INLBCKPT"
//   uint32     format version: 2
//   uint64     size of the whole file in bytes
//   uint32     length L of the writer's name (at most 64), then its L bytes ("InitLab 0.3.0")
//   float64    p
//   int32      best epoch
//   int32      layer count K (2 to 64), then K int32 layer sizes (784, 800, 800, 10)
//   uint64     parameter count N, then N float32: per layer the weight (out x in, row-major), then
//              the bias
//   uint32     CRC-32 (zlib's, the IEEE 802.3 polynomial) of every byte before it
// Later versions keep the first 12 bytes and the trailing CRC-32, so the checksum is checked before
// anything in the file is believed, the version number included.
//
// Version 1, the first format, still read: "INLBCKP1", then p through the parameters as in
// version 2, with no size, writer or checksum: a damaged weight went unnoticed.
static_assert(std::endian::native == std::endian::little, "checkpoints are little-endian");

constexpr std::string_view kMagicVersioned = "INLBCKPT";
constexpr std::string_view kMagicVersion1 = "INLBCKP1";
constexpr std::uint32_t kFormatVersion = 2;
constexpr std::size_t kPreambleBytes = 8 + 4 + 8; // magic, version, file size
constexpr std::size_t kChecksumBytes = 4;
constexpr std::uint32_t kMaxWriterBytes = 64;
constexpr char kWriter[] = "InitLab " INITLAB_VERSION;
static_assert(sizeof kWriter - 1 <= kMaxWriterBytes, "the writer's name must fit its field");

template <typename T>
void append(std::string& out, const T& value)
{
    out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

template <typename T>
T numberAt(std::string_view bytes, std::size_t offset)
{
    T value{};
    std::memcpy(&value, bytes.data() + offset, sizeof value);
    return value;
}

std::uint32_t crc32Of(std::string_view bytes)
{
    return static_cast<std::uint32_t>(
        ::crc32_z(::crc32_z(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
}

// Takes the file's bytes in order; false when the file ends first.
class ByteReader {
public:
    explicit ByteReader(std::string_view bytes)
        : m_bytes(bytes)
    {
    }

    bool take(void* into, std::size_t n)
    {
        if (n > left())
            return false;
        std::memcpy(into, m_bytes.data() + m_offset, n);
        m_offset += n;
        return true;
    }
    std::size_t left() const { return m_bytes.size() - m_offset; }

private:
    std::string_view m_bytes;
    std::size_t m_offset = 0;
};

// The writer's name as the file gives it: empty when it is not a short line of printable ASCII, which
// only a damaged file has.
std::string writerOf(std::string_view bytes)
{
    if (bytes.size() < kPreambleBytes + 4)
        return {};
    const auto length = numberAt<std::uint32_t>(bytes, kPreambleBytes);
    if (length == 0 || length > kMaxWriterBytes || bytes.size() < kPreambleBytes + 4 + length)
        return {};
    const std::string_view writer = bytes.substr(kPreambleBytes + 4, length);
    const bool printable = std::all_of(writer.begin(), writer.end(), [](char ch) { return ch >= 0x20 && ch < 0x7f; });
    return printable ? std::string(writer) : std::string();
}

// A file whose checksum does not match. What its header says of its size and writer may be damaged
// too, but it is only used to say more: a file of another size than its header gives was cut off
// (or grew), and a size beyond a terabyte is noise, not worth showing.
std::string damaged(const std::string& path, std::string_view bytes)
{
    std::string error = path + ": checksum mismatch: the file is damaged";
    if (bytes.size() >= kPreambleBytes) {
        const auto promised = numberAt<std::uint64_t>(bytes, 12);
        if (promised != bytes.size() && promised < (std::uint64_t(1) << 40))
            error += ": it is truncated or corrupt, " + std::to_string(bytes.size()) + " bytes where its header gives "
                + std::to_string(promised);
    }
    if (const std::string writer = writerOf(bytes); !writer.empty())
        error += " (written by " + writer + ")";
    return error;
}

// p, the epoch, the layer sizes and the parameters, the same in versions 1 and 2. Every field is
// checked before the next one is read, so what follows can trust it; the parameters must end the
// bytes given.
bool readBody(const std::string& path, ByteReader& in, DropoutCheckpoint& c, std::string& error)
{
    std::int32_t epoch = 0, count = 0;
    if (!in.take(&c.p, sizeof c.p) || !in.take(&epoch, sizeof epoch) || !in.take(&count, sizeof count)) {
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
    if (count < 2 || count > 64) {
        error = path + ": the layer count " + std::to_string(count)
            + " in the file is not between 2 and 64 (truncated or corrupt header)";
        return false;
    }
    for (std::int32_t i = 0; i < count; ++i) {
        std::int32_t s = 0;
        if (!in.take(&s, sizeof s) || s < 1 || s > 1'000'000) {
            error = path + ": corrupt layer sizes";
            return false;
        }
        c.sizes.push_back(s);
    }
    std::uint64_t n = 0;
    if (!in.take(&n, sizeof n) || n != std::uint64_t(parameterCount(c.sizes)) || in.left() != n * sizeof(float)) {
        error = path + ": the parameter count does not match the layer sizes (truncated or corrupt file)";
        return false;
    }
    c.parameters.resize(n);
    in.take(c.parameters.data(), n * sizeof(float));
    return true;
}

// A file of format 2 or later (its magic is checked): the checksum, then the version, then every
// field of the preamble, then the body.
bool readVersioned(const std::string& path, std::string_view bytes, DropoutCheckpoint& c, std::string& error)
{
    if (bytes.size() < kPreambleBytes + kChecksumBytes) {
        error = path + ": the file is damaged: it is truncated or corrupt, " + std::to_string(bytes.size())
            + " bytes are too few for a checkpoint";
        return false;
    }
    const std::string_view content = bytes.substr(0, bytes.size() - kChecksumBytes);
    if (crc32Of(content) != numberAt<std::uint32_t>(bytes, content.size())) {
        error = damaged(path, bytes);
        return false;
    }
    const auto version = numberAt<std::uint32_t>(bytes, 8);
    if (version > kFormatVersion) {
        const std::string writer = writerOf(bytes);
        error = path + ": checkpoint format version " + std::to_string(version)
            + (writer.empty() ? "" : " (written by " + writer + ")")
            + " is newer than this InitLab reads (versions 1 to " + std::to_string(kFormatVersion)
            + "): evaluate it with a later InitLab";
        return false;
    }
    if (version != kFormatVersion) {
        // Version 1 has its own magic; no writer ever wrote 0 or 1 here.
        error = path + ": unknown checkpoint format version " + std::to_string(version) + " (corrupt file)";
        return false;
    }
    if (numberAt<std::uint64_t>(bytes, 12) != bytes.size()) {
        error = path + ": the file size in the header, " + std::to_string(numberAt<std::uint64_t>(bytes, 12))
            + " bytes, is not the file's " + std::to_string(bytes.size()) + " (corrupt file)";
        return false;
    }
    ByteReader in(content.substr(kPreambleBytes));
    std::uint32_t writerBytes = 0;
    in.take(&writerBytes, sizeof writerBytes);
    if (writerBytes > kMaxWriterBytes || writerBytes > in.left()) {
        error = path + ": the writer's name in the header is " + std::to_string(writerBytes)
            + " bytes long (corrupt file)";
        return false;
    }
    std::string writer(writerBytes, '\0');
    in.take(writer.data(), writer.size());
    return readBody(path, in, c, error);
}

// The whole file, or false with the reason. A file that does not begin with a checkpoint magic is
// refused after its first 8 bytes, so that choosing a large file of another kind by mistake does not
// read all of it.
bool readFileBytes(const std::string& path, std::string& bytes, std::string& error)
{
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        error = path + ": cannot open: " + std::strerror(errno);
        return false;
    }
    bytes.assign(kMagicVersioned.size(), '\0');
    file.read(bytes.data(), std::streamsize(bytes.size()));
    bytes.resize(std::size_t(file.gcount()));
    const std::string_view magic = bytes;
    if (magic != kMagicVersioned && magic != kMagicVersion1) {
        error = file.bad() ? path + ": cannot read: " + std::strerror(errno) : path + ": not an InitLab checkpoint";
        return false;
    }
    bytes.append(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    if (file.bad()) {
        error = path + ": cannot read: " + std::strerror(errno);
        return false;
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

// Empty when the net takes the test images' pixels and gives one output per class, else every
// fault: a net of other inputs and outputs says both, so that fixing one does not just reveal the
// other.
std::string checkFit(const std::string& path, const DropoutCheckpoint& c, const MnistDataset& data)
{
    const std::string images = data.folder.empty() ? "the test images" : "the test images of " + data.folder;
    const int pixels = data.test.pixelsPerImage();
    const bool inputsFit = c.sizes.front() == pixels;
    const bool outputsFit = c.sizes.back() == kMnistClasses;
    const std::string inputs = "takes " + std::to_string(c.sizes.front()) + " inputs";
    const std::string outputs = "gives " + std::to_string(c.sizes.back()) + " classes";
    if (!inputsFit && !outputsFit)
        return path + ": the net " + inputs + " and " + outputs + ", but " + images + " have "
            + std::to_string(pixels) + " pixels and " + std::to_string(kMnistClasses) + " classes";
    if (!inputsFit)
        return path + ": the net " + inputs + ", but " + images + " have " + std::to_string(pixels) + " pixels";
    if (!outputsFit)
        return path + ": the net " + outputs + ", but " + images + " have " + std::to_string(kMnistClasses)
            + " classes";
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
    std::string bytes(kMagicVersioned);
    append(bytes, kFormatVersion);
    append(bytes, std::uint64_t(0)); // the file size, once known
    const std::string_view writer = kWriter;
    append(bytes, std::uint32_t(writer.size()));
    bytes.append(writer);
    append(bytes, c.p);
    append(bytes, std::int32_t(c.epoch));
    append(bytes, std::int32_t(c.sizes.size()));
    for (int s : c.sizes)
        append(bytes, std::int32_t(s));
    append(bytes, std::uint64_t(c.parameters.size()));
    bytes.append(reinterpret_cast<const char*>(c.parameters.data()), c.parameters.size() * sizeof(float));
    const std::uint64_t size = bytes.size() + kChecksumBytes;
    std::memcpy(bytes.data() + 12, &size, sizeof size);
    append(bytes, crc32Of(bytes));
    return writeFileAtomically(path, bytes);
}

bool readCheckpoint(const std::string& path, DropoutCheckpoint& out, std::string& error)
{
    std::string bytes;
    if (!readFileBytes(path, bytes, error))
        return false;
    DropoutCheckpoint c;
    const std::string_view all = bytes;
    if (all.starts_with(kMagicVersion1)) {
        ByteReader in(all.substr(kMagicVersion1.size()));
        if (!readBody(path, in, c, error))
            return false;
    } else if (!readVersioned(path, all, c, error)) {
        return false;
    }
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

// The snapshot file of a circles run record (circles_snapshots.bin). Numbers are stored as the
// machine holds them, which is little-endian on every machine InitLab builds for.
//
// Version 1:
//   char[8]    "INLBSNAP"
//   uint32     format version: 1
//   uint64     size of the whole file in bytes
//   uint32     length L of the writer's name (at most 64), then its L bytes ("InitLab 0.3.0")
//   int32      stride, int32 models
//   int32      layer count K (3 to 66), then K int32 layer sizes (2, the hidden layers, 2)
//   uint64     snapshot count E, then E int32 epochs (ascending)
//   E * P float32: each snapshot's parameters, P = the run's parameter count (all models)
//   uint32     CRC-32 (zlib's) of every byte before it
// Later versions keep the first 20 bytes and the trailing CRC-32, so the checksum is checked before
// anything in the file is believed.

#include "initlab/circlessnapshots.h"

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <fstream>
#include <limits>

namespace initlab {
namespace {

static_assert(std::endian::native == std::endian::little, "snapshot files are little-endian");

constexpr std::string_view kMagic = "INLBSNAP";
constexpr std::uint32_t kFormatVersion = 1;
constexpr std::size_t kPreambleBytes = 8 + 4 + 8; // magic, version, file size
constexpr std::size_t kChecksumBytes = 4;
constexpr std::uint32_t kMaxWriterBytes = 64;
constexpr char kWriter[] = "InitLab " INITLAB_VERSION;
static_assert(sizeof kWriter - 1 <= kMaxWriterBytes, "the writer's name must fit its field");
// No run's snapshots come near this; a larger file is not read into memory.
constexpr std::uint64_t kMaxFileBytes = std::uint64_t(4) << 30;

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

class ByteReader {
public:
    explicit ByteReader(std::string_view bytes)
        : m_bytes(bytes)
    {
    }
    template <typename T>
    bool take(T& value)
    {
        if (sizeof value > left())
            return false;
        std::memcpy(&value, m_bytes.data() + m_offset, sizeof value);
        m_offset += sizeof value;
        return true;
    }
    bool skip(std::size_t n)
    {
        if (n > left())
            return false;
        m_offset += n;
        return true;
    }
    const char* here() const { return m_bytes.data() + m_offset; }
    std::size_t left() const { return m_bytes.size() - m_offset; }

private:
    std::string_view m_bytes;
    std::size_t m_offset = 0;
};

} // namespace

std::string snapshotsFileBytes(const CirclesSnapshots& snapshots)
{
    std::string bytes(kMagic);
    append(bytes, kFormatVersion);
    append(bytes, std::uint64_t(0)); // the size, filled in below
    append(bytes, std::uint32_t(sizeof kWriter - 1));
    bytes.append(kWriter, sizeof kWriter - 1);
    append(bytes, std::int32_t(snapshots.stride));
    append(bytes, std::int32_t(snapshots.models));
    append(bytes, std::int32_t(snapshots.layerSizes.size()));
    for (int size : snapshots.layerSizes)
        append(bytes, std::int32_t(size));
    append(bytes, std::uint64_t(snapshots.epochs.size()));
    for (int epoch : snapshots.epochs)
        append(bytes, std::int32_t(epoch));
    bytes.append(reinterpret_cast<const char*>(snapshots.values.data()), snapshots.values.size() * sizeof(float));
    const std::uint64_t size = bytes.size() + kChecksumBytes;
    std::memcpy(bytes.data() + 12, &size, sizeof size);
    append(bytes, crc32Of(bytes));
    return bytes;
}

std::string parseSnapshotsBytes(std::string_view bytes, CirclesSnapshots& out)
{
    if (bytes.size() < kPreambleBytes + kChecksumBytes || bytes.substr(0, kMagic.size()) != kMagic)
        return "not an InitLab snapshot file";
    const std::string_view content = bytes.substr(0, bytes.size() - kChecksumBytes);
    if (crc32Of(content) != numberAt<std::uint32_t>(bytes, content.size())) {
        const auto promised = numberAt<std::uint64_t>(bytes, 12);
        std::string error = "checksum mismatch: the file is damaged";
        if (promised != bytes.size() && promised < (std::uint64_t(1) << 40))
            error += " (" + std::to_string(bytes.size()) + " bytes where its header gives " + std::to_string(promised) +
                     ": it is truncated or corrupt)";
        return error;
    }
    const auto version = numberAt<std::uint32_t>(bytes, 8);
    if (version > kFormatVersion)
        return "snapshot format version " + std::to_string(version) + " is newer than this InitLab reads (version " +
               std::to_string(kFormatVersion) + ")";
    if (version != kFormatVersion)
        return "unknown snapshot format version " + std::to_string(version);

    ByteReader reader(content);
    reader.skip(kPreambleBytes);
    std::uint32_t writerBytes = 0;
    if (!reader.take(writerBytes) || writerBytes > kMaxWriterBytes || !reader.skip(writerBytes))
        return "the writer's name is damaged";
    CirclesSnapshots read;
    std::int32_t stride = 0, models = 0, layers = 0;
    if (!reader.take(stride) || !reader.take(models) || !reader.take(layers))
        return "the file ends inside its header";
    if (stride < 1 || models < 1 || models > 100000)
        return "stride " + std::to_string(stride) + " or model count " + std::to_string(models) + " is out of range";
    if (layers < 3 || layers > 66)
        return "a net of " + std::to_string(layers) + " layer sizes (3 to 66 are possible)";
    for (std::int32_t l = 0; l < layers; ++l) {
        std::int32_t size = 0;
        if (!reader.take(size))
            return "the file ends inside its layer sizes";
        const bool end = l == 0 || l == layers - 1;
        if ((end && size != 2) || size < 1 || size > 4096)
            return "layer size " + std::to_string(size) + " is not possible here";
        read.layerSizes.push_back(size);
    }
    read.stride = stride;
    read.models = models;
    std::uint64_t count = 0;
    if (!reader.take(count) || count > reader.left() / sizeof(std::int32_t))
        return "the snapshot count does not fit the file";
    read.epochs.resize(std::size_t(count));
    for (int& epoch : read.epochs) {
        std::int32_t value = 0;
        reader.take(value);
        if (value < 0 || (&epoch != read.epochs.data() && value <= *(&epoch - 1)))
            return "the epochs are not ascending numbers from 0";
        epoch = value;
    }
    const std::uint64_t values = count * std::uint64_t(read.perEpoch());
    if (reader.left() != values * sizeof(float))
        return "the file holds " + std::to_string(reader.left()) + " bytes of parameters where its header needs " +
               std::to_string(values * sizeof(float));
    read.values.resize(std::size_t(values));
    std::memcpy(read.values.data(), reader.here(), values * sizeof(float));
    out = std::move(read);
    return {};
}

std::string readSnapshotsFile(const std::string& path, CirclesSnapshots& out)
{
    std::ifstream file(path, std::ios::binary | std::ios::ate);
    if (!file)
        return path + ": cannot be opened";
    const std::streamoff size = file.tellg();
    if (size < 0 || std::uint64_t(size) > kMaxFileBytes)
        return path + ": larger than any run's snapshots (" + std::to_string(size) + " bytes)";
    std::string bytes(std::size_t(size), '\0');
    file.seekg(0);
    if (!file.read(bytes.data(), size))
        return path + ": cannot be read";
    if (std::string problem = parseSnapshotsBytes(bytes, out); !problem.empty())
        return path + ": " + problem;
    return {};
}

} // namespace initlab

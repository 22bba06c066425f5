#include "initlab/idx.h"

#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace initlab {
namespace {

std::uint32_t bigEndian32(const std::uint8_t* p)
{
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}

std::string typeName(std::uint8_t type)
{
    switch (type) {
    case 0x08:
        return "unsigned byte";
    case 0x09:
        return "signed byte";
    case 0x0B:
        return "16-bit integer";
    case 0x0C:
        return "32-bit integer";
    case 0x0D:
        return "32-bit float";
    case 0x0E:
        return "64-bit float";
    default:
        return "unknown";
    }
}

// The header's validation, shared by the in-memory parser and the streaming file reader.
bool checkHeader(const std::uint8_t* header, std::size_t available, const std::string& name,
                 std::vector<std::uint32_t>& dims, std::uint64_t& payload, std::size_t& headerSize, std::string& error)
{
    if (available < 4) {
        error = name + ": too short to be an IDX file (" + std::to_string(available) + " bytes)";
        return false;
    }
    if (header[0] != 0 || header[1] != 0) {
        char magic[16];
        std::snprintf(magic, sizeof magic, "%02x %02x", header[0], header[1]);
        error = name + ": not an IDX file (it starts with bytes " + magic + ", not 00 00)";
        return false;
    }
    if (header[2] != 0x08) {
        char type[8];
        std::snprintf(type, sizeof type, "0x%02X", header[2]);
        error = name + ": element type " + type + " (" + typeName(header[2])
            + ") is not supported; InitLab reads unsigned bytes (0x08)";
        return false;
    }
    const std::uint32_t count = header[3];
    if (count == 0 || count > kIdxMaxDimensions) {
        error = name + ": " + std::to_string(count) + " dimensions declared; expected 1 to "
            + std::to_string(kIdxMaxDimensions);
        return false;
    }
    headerSize = 4 + 4 * std::size_t(count);
    if (available < headerSize) {
        error = name + ": truncated header (" + std::to_string(available) + " bytes, the " + std::to_string(count)
            + " dimension sizes need " + std::to_string(headerSize) + ")";
        return false;
    }
    dims.clear();
    payload = 1;
    for (std::uint32_t d = 0; d < count; ++d) {
        const std::uint32_t size = bigEndian32(header + 4 + 4 * d);
        if (size == 0) {
            error = name + ": dimension " + std::to_string(d + 1) + " has size 0";
            return false;
        }
        dims.push_back(size);
        payload *= size;
        if (payload > kIdxMaxPayloadBytes) {
            error = name + ": the header declares more than " + std::to_string(kIdxMaxPayloadBytes >> 20)
                + " MiB of data; the file is corrupt or not a data set InitLab can load";
            return false;
        }
    }
    return true;
}

} // namespace

bool parseIdx(const std::uint8_t* bytes, std::size_t size, const std::string& name, IdxArray& out, std::string& error)
{
    std::vector<std::uint32_t> dims;
    std::uint64_t payload = 0;
    std::size_t headerSize = 0;
    if (!checkHeader(bytes, size, name, dims, payload, headerSize, error))
        return false;
    const std::uint64_t present = size - headerSize;
    if (present < payload) {
        error = name + ": truncated: the header declares " + std::to_string(payload) + " bytes of data but only "
            + std::to_string(present) + " follow";
        return false;
    }
    if (present > payload) {
        error = name + ": " + std::to_string(present - payload) + " unexpected bytes after the "
            + std::to_string(payload) + " bytes of data the header declares";
        return false;
    }
    out.dims = std::move(dims);
    out.data.assign(bytes + headerSize, bytes + size);
    return true;
}

bool readIdxFile(const std::string& path, IdxArray& out, std::string& error)
{
    // gzread reads gzip and plain files alike, so one path serves both.
    std::FILE* probe = std::fopen(path.c_str(), "rb");
    if (!probe) {
        error = path + ": cannot open (" + std::strerror(errno) + ")";
        return false;
    }
    std::fclose(probe);
    std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), gzclose);
    if (!file) {
        error = path + ": cannot open";
        return false;
    }
    const auto readSome = [&](std::uint8_t* into, std::size_t want, std::size_t& got) {
        got = 0;
        while (got < want) {
            const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(want - got, 1u << 30));
            const int n = gzread(file.get(), into + got, chunk);
            if (n < 0) {
                int code = 0;
                const char* message = gzerror(file.get(), &code);
                error = path + ": corrupt compressed data (" + (message ? message : "zlib error") + ")";
                return false;
            }
            if (n == 0)
                break;
            got += static_cast<std::size_t>(n);
        }
        return true;
    };

    std::uint8_t header[4 + 4 * kIdxMaxDimensions];
    std::size_t got = 0;
    if (!readSome(header, 4, got))
        return false;
    std::vector<std::uint32_t> dims;
    std::uint64_t payload = 0;
    std::size_t headerSize = 0;
    // Check the fixed part first, so the dimension count is trusted before reading the sizes.
    if (got < 4 || header[0] != 0 || header[1] != 0 || header[2] != 0x08 || header[3] == 0
        || header[3] > kIdxMaxDimensions) {
        checkHeader(header, got, path, dims, payload, headerSize, error);
        return false;
    }
    std::size_t more = 0;
    if (!readSome(header + 4, 4 * std::size_t(header[3]), more))
        return false;
    if (!checkHeader(header, 4 + more, path, dims, payload, headerSize, error))
        return false;

    // Grow the buffer as data actually arrives: a corrupt header that declares 2 GiB in a file of a
    // few bytes must not allocate 2 GiB before the reader finds out.
    std::vector<std::uint8_t> data;
    std::size_t present = 0;
    while (present < payload) {
        const std::size_t chunk = static_cast<std::size_t>(std::min<std::uint64_t>(payload - present, 16u << 20));
        data.resize(present + chunk);
        std::size_t got = 0;
        if (!readSome(data.data() + present, chunk, got))
            return false;
        present += got;
        if (got < chunk)
            break;
    }
    if (present < payload) {
        error = path + ": truncated: the header declares " + std::to_string(payload) + " bytes of data but only "
            + std::to_string(present) + " follow";
        return false;
    }
    std::uint8_t extra[4096];
    std::size_t trailing = 0;
    if (!readSome(extra, sizeof extra, trailing))
        return false;
    if (trailing > 0) {
        error = path + ": unexpected bytes after the " + std::to_string(payload)
            + " bytes of data the header declares";
        return false;
    }
    out.dims = std::move(dims);
    out.data = std::move(data);
    return true;
}

} // namespace initlab

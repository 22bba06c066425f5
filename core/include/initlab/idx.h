#pragma once
// Reader of the IDX format (MNIST's): a big-endian header - two zero bytes, a type byte, the number
// of dimensions, then one 32-bit size per dimension - followed by the payload. Files may be raw or
// gzip-compressed. Every way a file can be wrong is refused with a message naming the file and the
// problem, before anything large is allocated.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace initlab {

struct IdxArray {
    std::vector<std::uint32_t> dims;
    std::vector<std::uint8_t> data; // unsigned bytes, row-major
    std::size_t count() const { return dims.empty() ? 0 : dims.front(); }
};

// Limits that keep a corrupt header from asking for absurd memory.
inline constexpr std::uint32_t kIdxMaxDimensions = 4;
inline constexpr std::uint64_t kIdxMaxPayloadBytes = 1ULL << 31; // 2 GiB

// Parses an IDX image in memory (already decompressed). On failure returns false and sets error to
// "<name>: <problem>".
bool parseIdx(const std::uint8_t* bytes, std::size_t size, const std::string& name, IdxArray& out,
              std::string& error);

// Reads an IDX file from disk, raw or gzip-compressed (recognised by its content, not its name).
bool readIdxFile(const std::string& path, IdxArray& out, std::string& error);

} // namespace initlab

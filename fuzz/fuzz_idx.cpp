// Fuzzes the IDX reader: the in-memory parser, and the file reader (raw and gzip) on the same bytes
// through an anonymous in-memory file. Any crash or sanitizer report is a bug; refusals are fine.

#include "initlab/idx.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    initlab::IdxArray array;
    std::string error;
    if (initlab::parseIdx(data, size, "input", array, error)) {
        std::size_t expected = 1;
        for (std::uint32_t d : array.dims)
            expected *= d;
        if (expected != array.data.size())
            __builtin_trap(); // accepted a file whose payload does not match its header
    } else if (error.empty()) {
        __builtin_trap(); // refused without saying why
    }

    const int fd = memfd_create("idx", 0);
    if (fd < 0)
        return 0;
    std::size_t written = 0;
    while (written < size) {
        const ssize_t n = write(fd, data + written, size - written);
        if (n <= 0)
            break;
        written += static_cast<std::size_t>(n);
    }
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    initlab::IdxArray fromFile;
    std::string fileError;
    if (!initlab::readIdxFile(path, fromFile, fileError) && fileError.empty())
        __builtin_trap();
    close(fd);
    return 0;
}

// Fuzzes the experiment-file reader, which reads what File ▸ Open, --config, the session and the
// run records are given. A file it refuses must be refused in one line that says why; a file it
// accepts must come back unchanged through the writer, as when the window saves what it loaded.
// Any crash, exception or sanitizer report is a bug.

#include "initlab/experimentfile.h"

#include <cstdint>
#include <string>
#include <vector>

namespace {

std::string written(const initlab::ExperimentFile& file)
{
    switch (file.kind) {
    case initlab::ExperimentKind::Deep:
        return initlab::experimentFileJson(file.deep);
    case initlab::ExperimentKind::Circles:
        return initlab::experimentFileJson(file.circles, file.circlesExtras);
    case initlab::ExperimentKind::Dropout:
        return initlab::experimentFileJson(file.dropout, file.dropoutExtras);
    }
    return {};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    initlab::ExperimentFile file;
    std::string error;
    std::vector<std::string> warnings;
    if (!initlab::parseExperimentFile(text, file, error, warnings)) {
        if (error.empty() || error.find('\n') != std::string::npos)
            __builtin_trap(); // refused without saying why, or not in one line
        return 0;
    }
    for (const std::string& warning : warnings)
        if (warning.empty() || warning.find('\n') != std::string::npos)
            __builtin_trap();

    const std::string json = written(file);
    initlab::ExperimentFile again;
    std::vector<std::string> againWarnings;
    if (!initlab::parseExperimentFile(json, again, error, againWarnings) || !againWarnings.empty())
        __builtin_trap(); // the writer wrote what the reader refuses
    if (again.kind != file.kind || written(again) != json)
        __builtin_trap(); // a setting changed on the way through the writer
    return 0;
}

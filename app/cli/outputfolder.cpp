#include "outputfolder.h"

#include "initlab/csv.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <system_error>
#include <unistd.h>

namespace initlab::cli {

namespace fs = std::filesystem;

std::string OutputFolder::prepare(const std::string& path)
{
    m_path = fs::path(path);
    m_created.clear();
    const auto fail = [&](const std::string& problem) {
        discardCreated();
        return "cannot write to output folder '" + path + "': " + problem;
    };

    std::error_code ec;
    // Remember which levels are missing now, to remove exactly those if nothing gets written.
    for (fs::path level = fs::absolute(m_path, ec); !ec && !level.empty(); level = level.parent_path()) {
        std::error_code existsError;
        if (fs::exists(level, existsError))
            break;
        m_created.push_back(level);
        if (level == level.parent_path())
            break;
    }

    fs::create_directories(m_path, ec);
    if (ec)
        return fail(ec.message());
    if (!fs::is_directory(m_path, ec))
        return fail("it exists and is not a folder");

    // Permission bits do not tell the whole story (root ignores them; read-only mounts, quotas), so
    // the only reliable test is creating a file.
    const std::string probe = (m_path / (".initlab-write-test-" + std::to_string(::getpid()))).string();
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail(std::strerror(errno));
    ::close(fd);
    ::unlink(probe.c_str());
    return {};
}

std::string OutputFolder::filePath(std::string_view fileName) const { return (m_path / fileName).string(); }

std::string OutputFolder::checkFile(std::string_view fileName) const
{
    const std::string path = filePath(fileName);
    std::error_code ec;
    if (fs::is_directory(path, ec))
        return "cannot write '" + path + "': it is a folder";
    return {};
}

std::string OutputFolder::writeFile(std::string_view fileName, const std::string& content)
{
    if (std::string problem = checkFile(fileName); !problem.empty())
        return problem;
    const std::string path = filePath(fileName);
    if (std::string problem = writeFileAtomically(path, content); !problem.empty())
        return problem;
    m_written.push_back(path);
    return {};
}

void OutputFolder::discardWritten()
{
    for (const std::string& path : m_written) {
        std::error_code ec;
        fs::remove(path, ec);
    }
    m_written.clear();
}

void OutputFolder::discardCreated()
{
    for (const fs::path& level : m_created) {
        std::error_code ec;
        // remove() deletes only an empty folder: anything someone put there meanwhile stays.
        if (!fs::remove(level, ec) && fs::exists(level, ec))
            break;
    }
    m_created.clear();
}

OutputFolderGuard::OutputFolderGuard(OutputFolder& folder, std::function<void()> alsoDiscard)
    : m_folder(folder), m_alsoDiscard(std::move(alsoDiscard))
{
}

OutputFolderGuard::~OutputFolderGuard()
{
    if (m_keep)
        return;
    if (m_alsoDiscard)
        m_alsoDiscard();
    m_folder.discardWritten();
    m_folder.discardCreated();
}

} // namespace initlab::cli

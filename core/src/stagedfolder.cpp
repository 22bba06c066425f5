#include "initlab/stagedfolder.h"

#include "initlab/csv.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <system_error>
#include <unistd.h>

namespace initlab {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kStagingPrefix = ".initlab-staging-";
constexpr std::string_view kReplacedFolder = ".replaced"; // inside the staging folder, during commit()

// A path relative to base that stays inside it, or an empty path.
fs::path inside(const fs::path& path, const fs::path& base)
{
    const fs::path relative = path.lexically_normal().lexically_relative(base.lexically_normal());
    if (relative.empty() || *relative.begin() == ".." || relative == ".")
        return {};
    return relative;
}

} // namespace

StagedFolder::~StagedFolder() { abandon(); }

bool StagedFolder::isStagingName(std::string_view fileName) { return fileName.starts_with(kStagingPrefix); }

std::string StagedFolder::open(const std::string& path)
{
    abandon();
    m_path = fs::path(path);
    const auto fail = [&](const std::string& problem) {
        abandon();
        return "cannot write to output folder '" + path + "': " + problem;
    };

    std::error_code ec;
    // Remember which levels are missing now, to remove exactly those if the run leaves nothing.
    for (fs::path level = fs::absolute(m_path, ec); !ec && !level.empty(); level = level.parent_path()) {
        std::error_code existsError;
        if (fs::exists(level, existsError))
            break;
        m_created.push_back(level);
        if (level == level.parent_path())
            break;
    }
    if (fs::exists(m_path, ec) && !fs::is_directory(m_path, ec))
        return fail("it exists and is not a folder");
    fs::create_directories(m_path, ec);
    if (ec)
        return fail(ec.message());
    if (!fs::is_directory(m_path, ec))
        return fail("it exists and is not a folder");

    m_lockFd = ::open(m_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (m_lockFd < 0)
        return fail(std::strerror(errno));
    if (::flock(m_lockFd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        return fail(error == EWOULDBLOCK ? "it is in use by another InitLab run (wait for that run to end, or "
                                           "choose another folder)"
                                         : std::strerror(error));
    }

    // With the lock held no other run uses the folder, so staging folders in it are left over from
    // a run that was killed: their files never became results.
    for (fs::directory_iterator it(m_path, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code entryError;
        if (isStagingName(it->path().filename().string()) && it->is_directory(entryError))
            fs::remove_all(it->path(), entryError);
    }

    // Creating the staging folder is also the test that the folder can be written: permission bits
    // do not tell the whole story (root ignores them; read-only mounts, quotas).
    const fs::path staging = m_path / (std::string(kStagingPrefix) + std::to_string(::getpid()));
    if (!fs::create_directory(staging, ec) || ec)
        return fail(ec ? ec.message() : "a staging folder of this process is already there");
    m_staging = staging;
    m_stagedAt = staging;
    return {};
}

std::string StagedFolder::finalPath(std::string_view relative) const
{
    return relative.empty() ? m_path.string() : (m_path / relative).string();
}

std::string StagedFolder::stagingPath(std::string_view relative) const
{
    return relative.empty() ? m_staging.string() : (m_staging / relative).string();
}

std::string StagedFolder::finalPathOf(const std::string& staged) const
{
    if (m_stagedAt.empty())
        return staged;
    const fs::path relative = inside(fs::path(staged), m_stagedAt);
    return relative.empty() ? staged : (m_path / relative).string();
}

std::string StagedFolder::inFinalTerms(std::string message) const
{
    if (m_stagedAt.empty())
        return message;
    const std::string staged = m_stagedAt.string();
    const std::string final = m_path.string();
    for (std::size_t at = message.find(staged); at != std::string::npos; at = message.find(staged, at + final.size()))
        message.replace(at, staged.size(), final);
    return message;
}

std::string StagedFolder::checkFile(std::string_view relative) const
{
    const std::string path = finalPath(relative);
    std::error_code ec;
    if (fs::is_directory(path, ec))
        return "cannot write '" + path + "': it is a folder";
    return {};
}

std::string StagedFolder::writeFile(std::string_view relative, const std::string& content)
{
    if (!isOpen())
        return "cannot write '" + std::string(relative) + "': no output folder is open";
    if (std::string problem = checkFile(relative); !problem.empty())
        return problem;
    const fs::path path = m_staging / relative;
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec)
        return "cannot write '" + finalPath(relative) + "': " + ec.message();
    std::string problem = writeFileAtomically(path.string(), content);
    // The user knows the file by its name in the folder, not by the staging folder's.
    if (const std::size_t at = problem.find(path.string()); at != std::string::npos)
        problem.replace(at, path.string().size(), finalPath(relative));
    return problem;
}

std::string StagedFolder::commit()
{
    if (!isOpen())
        return "no output folder is open";
    std::error_code ec;
    std::vector<fs::path> files; // relative to the staging folder
    for (fs::recursive_directory_iterator it(m_staging, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code entryError;
        if (it->is_regular_file(entryError))
            files.push_back(it->path().lexically_relative(m_staging));
    }
    if (ec)
        return "cannot read the staging folder " + m_staging.string() + ": " + ec.message();

    struct Move {
        fs::path relative;
        bool replaced = false;
    };
    std::vector<Move> moved;
    const fs::path replaced = m_staging / kReplacedFolder;
    const auto undo = [&] {
        for (auto it = moved.rbegin(); it != moved.rend(); ++it) {
            std::error_code ignored;
            fs::rename(m_path / it->relative, m_staging / it->relative, ignored);
            if (it->replaced)
                fs::rename(replaced / it->relative, m_path / it->relative, ignored);
        }
    };
    for (const fs::path& relative : files) {
        const fs::path target = m_path / relative;
        const auto fail = [&](const std::string& problem) {
            undo();
            return "cannot move '" + target.string() + "' into place: " + problem;
        };
        fs::create_directories(target.parent_path(), ec);
        if (ec)
            return fail(ec.message());
        Move move{relative, false};
        if (fs::exists(fs::symlink_status(target, ec))) {
            if (fs::is_directory(fs::symlink_status(target, ec)))
                return fail("a folder of that name is in the way");
            fs::create_directories((replaced / relative).parent_path(), ec);
            if (!ec)
                fs::rename(target, replaced / relative, ec);
            if (ec)
                return fail(ec.message());
            move.replaced = true;
        }
        fs::rename(m_staging / relative, target, ec);
        if (ec) {
            if (move.replaced) {
                std::error_code ignored;
                fs::rename(replaced / relative, target, ignored);
            }
            return fail(ec.message());
        }
        moved.push_back(move);
    }
    fs::remove_all(m_staging, ec); // what the new files replaced goes with it
    m_staging.clear();
    m_created.clear(); // the run's results are in them now
    release();
    return {};
}

void StagedFolder::abandon()
{
    std::error_code ec;
    if (!m_staging.empty())
        fs::remove_all(m_staging, ec);
    m_staging.clear();
    for (const fs::path& level : m_created) {
        // remove() deletes only an empty folder: anything someone put there meanwhile stays.
        if (!fs::remove(level, ec) && fs::exists(level, ec))
            break;
    }
    m_created.clear();
    release();
}

void StagedFolder::release()
{
    if (m_lockFd >= 0)
        ::close(m_lockFd); // closing the last descriptor releases the flock
    m_lockFd = -1;
}

} // namespace initlab

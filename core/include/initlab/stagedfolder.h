#pragma once
// The folder a run's results go into: all of them or none. A run never writes into the folder
// itself but into a staging folder inside it; only when the run has succeeded does commit() move
// the files into place. A cancelled or failed run (or one killed outright) therefore leaves what an
// earlier run left exactly as it was, and a reader of the folder never sees half of a run's results
// mixed with another's.
//
// The folder is also locked while a run uses it: a second run into the same folder, from this
// process or another, is refused with a clear message instead of both writing into it. The lock is
// the kernel's (flock on the folder), so a killed run releases it, and the next run into the folder
// removes the staging folder the killed one left.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace initlab {

class StagedFolder {
public:
    StagedFolder() = default;
    ~StagedFolder(); // abandon(), unless commit() succeeded
    StagedFolder(const StagedFolder&) = delete;
    StagedFolder& operator=(const StagedFolder&) = delete;

    // Creates the folder (and missing parents), takes its lock and creates the staging folder in
    // it, which also proves that the folder can be written. Returns an empty string on success,
    // else one line naming the folder and the problem ("... is in use by another InitLab run").
    std::string open(const std::string& path);
    bool isOpen() const { return m_lockFd >= 0; }

    // Where a file of the results ends up (relative may name a subfolder: "checkpoints/a.ckpt"),
    // and where the run writes it meanwhile. Empty relative: the folder itself.
    std::string finalPath(std::string_view relative = {}) const;
    std::string stagingPath(std::string_view relative = {}) const;
    // Where a path inside the staging folder ends up after commit() (also once it is done); any
    // other path unchanged.
    std::string finalPathOf(const std::string& staged) const;
    // A message that names files by their staged paths, naming them by their final ones: what a
    // user knows (a runner's "cannot write .../.initlab-staging-123/best-p0.ckpt" names best-p0.ckpt
    // in the folder).
    std::string inFinalTerms(std::string message) const;

    // Empty when relative can be put into place, else why not (a folder of that name is there).
    std::string checkFile(std::string_view relative) const;
    // Writes a file into the staging folder (creating its subfolders), atomically. Returns an empty
    // string on success, else a message naming the file and the system's reason.
    std::string writeFile(std::string_view relative, const std::string& content);

    // Moves every file of the staging folder into place, replacing files of the same names, and
    // removes the staging folder. If a move fails, the files already moved are put back (and the
    // ones they replaced restored), so the folder holds either the new results or the old ones.
    // Returns an empty string on success, else the problem.
    std::string commit();
    // Removes the staging folder with everything in it, the folders open() created as far as they
    // are still empty, and releases the lock. Nothing that was in the folder before is touched.
    void abandon();

    // The name of staging folders (".initlab-staging-<pid>"): readers of a results folder skip it.
    static bool isStagingName(std::string_view fileName);

private:
    void release();

    std::filesystem::path m_path;
    std::filesystem::path m_staging;
    std::filesystem::path m_stagedAt; // the staging folder of the last open(), for finalPathOf()
    std::vector<std::filesystem::path> m_created; // deepest first
    int m_lockFd = -1;
};

} // namespace initlab

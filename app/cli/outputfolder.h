#pragma once
// The folder a command writes its CSV files into. It is created and proved writable before the
// experiment starts, so a bad --out fails at once instead of after a long run; folders this run
// created are removed again when the run ends without writing anything (failure, cancel), and so
// are the files a run wrote before a later one of its files failed: half a set of results, mixed
// with an older run's, is worse than none.

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace initlab::cli {

class OutputFolder {
public:
    // Creates the folder (and missing parents) and checks that a file can be created in it.
    // Returns an empty string on success, else a one-line message naming the folder and the problem.
    std::string prepare(const std::string& path);
    std::string filePath(std::string_view fileName) const;
    // Empty when fileName can be written into the folder, else why not (it is a folder).
    std::string checkFile(std::string_view fileName) const;
    // Writes the file atomically (never a partial file) and remembers it for discardWritten().
    // Returns an empty string on success, else a one-line message naming the file.
    std::string writeFile(std::string_view fileName, const std::string& content);
    // Removes the files writeFile() wrote.
    void discardWritten();
    // Removes the folders prepare() created, as far as they are still empty.
    void discardCreated();

private:
    std::filesystem::path m_path;
    std::vector<std::filesystem::path> m_created; // deepest first
    std::vector<std::string> m_written;
};

// Takes back what a command wrote into its output folder unless keep() was called by the time it
// goes out of scope: the files writeFile() wrote and the folders prepare() created. alsoDiscard
// runs first, for what else the command wrote (checkpoints).
class OutputFolderGuard {
public:
    explicit OutputFolderGuard(OutputFolder& folder, std::function<void()> alsoDiscard = {});
    ~OutputFolderGuard();
    OutputFolderGuard(const OutputFolderGuard&) = delete;
    OutputFolderGuard& operator=(const OutputFolderGuard&) = delete;

    // The command succeeded: everything stays.
    void keep() { m_keep = true; }

private:
    OutputFolder& m_folder;
    std::function<void()> m_alsoDiscard;
    bool m_keep = false;
};

} // namespace initlab::cli

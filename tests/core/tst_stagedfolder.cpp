// A run's results go into their folder all at once or not at all, and one run at a time.

#include "initlab/stagedfolder.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace initlab;
namespace fs = std::filesystem;

namespace {

std::string readAll(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void put(const fs::path& path, const std::string& content)
{
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
}

// What a folder holds, as relative paths with contents, hidden names included.
std::map<std::string, std::string> contents(const fs::path& folder)
{
    std::map<std::string, std::string> all;
    for (const auto& entry : fs::recursive_directory_iterator(folder))
        all[entry.path().lexically_relative(folder).string()] = entry.is_regular_file() ? readAll(entry.path()) : "/";
    return all;
}

} // namespace

class TestStagedFolder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void filesAppearOnlyOnCommit()
    {
        QTemporaryDir dir;
        const fs::path out = fs::path(dir.path().toStdString()) / "results";
        put(out / "ensemble.csv", "old ensemble");
        put(out / "checkpoints" / "best-p0.ckpt", "old p0");
        put(out / "notes.txt", "the user's own file");

        StagedFolder folder;
        QCOMPARE(folder.open(out.string()), std::string());
        QVERIFY(folder.isOpen());
        QCOMPARE(folder.writeFile("ensemble.csv", "new ensemble"), std::string());
        QCOMPARE(folder.writeFile("checkpoints/best-p0.ckpt", "new p0"), std::string());
        QCOMPARE(folder.writeFile("checkpoints/best-p0.5.ckpt", "new p0.5"), std::string());
        // Nothing in the folder changed yet.
        QCOMPARE(readAll(out / "ensemble.csv"), std::string("old ensemble"));
        QCOMPARE(readAll(out / "checkpoints" / "best-p0.ckpt"), std::string("old p0"));
        QVERIFY(!fs::exists(out / "checkpoints" / "best-p0.5.ckpt"));

        QCOMPARE(folder.commit(), std::string());
        QVERIFY(!folder.isOpen());
        const std::map<std::string, std::string> expected{{"checkpoints", "/"},
                                                          {"checkpoints/best-p0.ckpt", "new p0"},
                                                          {"checkpoints/best-p0.5.ckpt", "new p0.5"},
                                                          {"ensemble.csv", "new ensemble"},
                                                          {"notes.txt", "the user's own file"}};
        QCOMPARE(contents(out), expected); // no staging folder, no leftovers
    }

    void abandonLeavesEarlierResultsUntouched()
    {
        QTemporaryDir dir;
        const fs::path out = fs::path(dir.path().toStdString()) / "results";
        put(out / "ensemble.csv", "old ensemble");
        put(out / "checkpoints" / "best-p0.ckpt", "old p0");
        const auto before = contents(out);
        {
            StagedFolder folder;
            QCOMPARE(folder.open(out.string()), std::string());
            QCOMPARE(folder.writeFile("checkpoints/best-p0.ckpt", "half a run"), std::string());
            QCOMPARE(folder.writeFile("ensemble.csv", "half a run"), std::string());
            // Destroyed without commit: a cancelled or failed run.
        }
        QCOMPARE(contents(out), before);
    }

    void abandonRemovesTheFoldersItCreated()
    {
        QTemporaryDir dir;
        const fs::path out = fs::path(dir.path().toStdString()) / "a" / "b";
        StagedFolder folder;
        QCOMPARE(folder.open(out.string()), std::string());
        QVERIFY(fs::is_directory(out));
        QCOMPARE(folder.writeFile("x.csv", "x"), std::string());
        folder.abandon();
        QVERIFY(!fs::exists(fs::path(dir.path().toStdString()) / "a"));
    }

    void pathsMapFromStagingToFinal()
    {
        QTemporaryDir dir;
        const fs::path out = fs::path(dir.path().toStdString()) / "r";
        StagedFolder folder;
        QCOMPARE(folder.open(out.string()), std::string());
        const std::string staged = folder.stagingPath("checkpoints/best-p0.ckpt");
        QVERIFY(staged.find(".initlab-staging-") != std::string::npos);
        QVERIFY(StagedFolder::isStagingName(fs::path(folder.stagingPath()).filename().string()));
        QCOMPARE(folder.finalPathOf(staged), (out / "checkpoints" / "best-p0.ckpt").string());
        QCOMPARE(folder.finalPathOf("/elsewhere/x.ckpt"), std::string("/elsewhere/x.ckpt"));
        QCOMPARE(folder.finalPath("deep.csv"), (out / "deep.csv").string());
        // Results name their files by the staged path: they are mapped after the commit too.
        QCOMPARE(folder.writeFile("checkpoints/best-p0.ckpt", "x"), std::string());
        QCOMPARE(folder.commit(), std::string());
        QCOMPARE(folder.finalPathOf(staged), (out / "checkpoints" / "best-p0.ckpt").string());
        QVERIFY(fs::exists(folder.finalPathOf(staged)));
    }

    void secondRunIntoTheSameFolderIsRefused()
    {
        QTemporaryDir dir;
        const std::string out = dir.filePath(QStringLiteral("r")).toStdString();
        StagedFolder first;
        QCOMPARE(first.open(out), std::string());
        StagedFolder second;
        const std::string error = second.open(out);
        QVERIFY2(error.find("in use by another InitLab run") != std::string::npos, error.c_str());
        QVERIFY(error.find(out) != std::string::npos);
        QVERIFY(!second.isOpen());
        // The refused run took nothing away from the first.
        QVERIFY(fs::is_directory(first.stagingPath()));
        QCOMPARE(first.writeFile("a.csv", "a"), std::string());

        // ... and across processes: a child process is refused while this one holds the folder.
        const pid_t child = ::fork();
        if (child == 0) {
            StagedFolder other;
            ::_exit(other.open(out).find("in use") != std::string::npos ? 7 : 0);
        }
        int status = 0;
        QCOMPARE(::waitpid(child, &status, 0), child);
        QVERIFY(WIFEXITED(status));
        QCOMPARE(WEXITSTATUS(status), 7);

        QCOMPARE(first.commit(), std::string());
        QCOMPARE(second.open(out), std::string()); // free again once the first run ended
    }

    void leftoverStagingOfAKilledRunIsRemoved()
    {
        QTemporaryDir dir;
        const fs::path out = fs::path(dir.path().toStdString()) / "r";
        put(out / ".initlab-staging-999999" / "ensemble.csv", "from a killed run");
        put(out / "ensemble.csv", "kept");
        StagedFolder folder;
        QCOMPARE(folder.open(out.string()), std::string());
        QVERIFY(!fs::exists(out / ".initlab-staging-999999"));
        QCOMPARE(folder.commit(), std::string());
        QCOMPARE(readAll(out / "ensemble.csv"), std::string("kept"));
    }

    void failedCommitPutsEverythingBack()
    {
        QTemporaryDir dir;
        const fs::path out = fs::path(dir.path().toStdString()) / "r";
        StagedFolder folder;
        for (int i = 0; i < 10; ++i)
            put(out / ("f" + std::to_string(i) + ".csv"), "old " + std::to_string(i));
        QCOMPARE(folder.open(out.string()), std::string());
        for (int i = 0; i < 10; ++i)
            QCOMPARE(folder.writeFile("f" + std::to_string(i) + ".csv", "new"), std::string());
        QCOMPARE(folder.writeFile("added.csv", "new"), std::string());
        // Something makes one move fail after the checks (most of the others have moved by then, in
        // the order the folder lists them): a folder where added.csv goes.
        fs::create_directories(out / "added.csv");
        const std::string error = folder.commit();
        QVERIFY2(error.find("added.csv") != std::string::npos && error.find("folder") != std::string::npos,
                 error.c_str());
        folder.abandon();
        std::map<std::string, std::string> expected{{"added.csv", "/"}};
        for (int i = 0; i < 10; ++i)
            expected["f" + std::to_string(i) + ".csv"] = "old " + std::to_string(i);
        QCOMPARE(contents(out), expected);
    }

    void unusableFoldersAreNamed()
    {
        QTemporaryDir dir;
        const std::string file = dir.filePath(QStringLiteral("plain-file")).toStdString();
        put(file, "x");
        StagedFolder folder;
        std::string error = folder.open(file);
        QVERIFY2(error.find("not a folder") != std::string::npos && error.find(file) != std::string::npos,
                 error.c_str());
        error = folder.open(file + "/below");
        QVERIFY2(error.find(file) != std::string::npos && !error.empty(), error.c_str());
        QVERIFY(!folder.isOpen());
        QVERIFY(folder.writeFile("x.csv", "x").find("no output folder") != std::string::npos);

        QCOMPARE(folder.open(dir.filePath(QStringLiteral("ok")).toStdString()), std::string());
        fs::create_directories(folder.finalPath("deep.csv"));
        error = folder.writeFile("deep.csv", "x");
        QVERIFY2(error.find("it is a folder") != std::string::npos, error.c_str());
    }
};

QTEST_APPLESS_MAIN(TestStagedFolder)
#include "tst_stagedfolder.moc"

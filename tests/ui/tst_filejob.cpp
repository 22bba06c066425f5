// FileJob, what Export all and Export frames build on: units of work one per turn of the event loop,
// their files written in the order handed out, what comes last after them; finished() once, from the
// event loop, with the folder holding every file or keeping what it had (after a cancel, a file that
// cannot be written, a precondition or setup that fails, a folder in use).

#include "figures/filejob.h"

#include "folderfiles.h"
#include "initlab/stagedfolder.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace initlab;
using namespace initlab::ui;
using namespace initlab::test;

namespace {

constexpr int kTimeoutMs = 60000;

// A job of count units, each a file unit-<i>.txt, then last.txt; a file named failName cannot be
// written.
class CountingJob : public FileJob
{
public:
    CountingJob(const QString& folder, int count, const QString& failName = QString())
        : FileJob(folder,
                  [failName](StagedFolder& staged, const QString& name, const QByteArray& bytes) {
                      if (name == failName)
                          return QStringLiteral("Could not write %1: refused.").arg(name);
                      return QString::fromStdString(
                          staged.writeFile(name.toStdString(), std::string(bytes.constData(), std::size_t(bytes.size()))));
                  },
                  nullptr)
        , m_count(count)
    {
    }
    ~CountingJob() override { stopWriters(); }

    int unitCount() const override { return m_count; }

    QString preconditionError;
    QString beginError;
    int turns = 0; // produceNext() calls that produced
    bool began = false;

protected:
    QString precondition() override { return preconditionError; }
    QString begin() override
    {
        began = true;
        return beginError;
    }
    Turn produceNext() override
    {
        if (m_next == m_count)
            return Turn::Done;
        if (writersFull())
            return Turn::Waiting;
        const QString name = QStringLiteral("unit-%1.txt").arg(m_next++);
        submit(name, [name] { return name.toUtf8(); }, true);
        ++turns;
        return Turn::Produced;
    }
    void submitLast() override
    {
        submit(QStringLiteral("last.txt"), [] { return QByteArray("last"); }, false);
    }

private:
    int m_count = 0;
    int m_next = 0;
};

struct Finished {
    bool ok = false;
    QStringList written;
    QString error;
};

// Starts job and waits for its finished(), which must come once and not from within start().
Finished run(FileJob& job)
{
    QSignalSpy finished(&job, &FileJob::finished);
    job.start();
    if (!finished.isEmpty() || job.isFinished())
        return {false, {}, QStringLiteral("finished within start()")};
    finished.wait(kTimeoutMs);
    QTest::qWait(20); // a second finished() would come by now
    if (finished.count() != 1)
        return {false, {}, QStringLiteral("%1 finished signals").arg(finished.count())};
    return {finished.at(0).at(0).toBool(), finished.at(0).at(1).toStringList(), finished.at(0).at(2).toString()};
}

} // namespace

class TestFileJob : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void writesEveryUnitInOrderThenTheLastFiles();
    void cancelKeepsWhatTheFolderHad();
    void aFileThatCannotBeWrittenFailsTheJob();
    void preconditionAndSetupFailuresComeFromTheEventLoop();
    void refusesAFolderInUse();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestFileJob::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestFileJob::cleanup()
{
    m_dir.reset();
}

void TestFileJob::writesEveryUnitInOrderThenTheLastFiles()
{
    CountingJob job(m_dir->path(), 5);
    QSignalSpy progress(&job, &FileJob::progress);
    const Finished finished = run(job);
    QVERIFY2(finished.ok, qPrintable(finished.error));
    QVERIFY(finished.error.isEmpty());
    QVERIFY(job.isFinished());
    QCOMPARE(job.turns, 5);
    QCOMPARE(job.unitsDone(), 5);
    QStringList expected;
    for (int unit = 0; unit < 5; ++unit)
        expected << QDir(m_dir->path()).filePath(QStringLiteral("unit-%1.txt").arg(unit));
    expected << QDir(m_dir->path()).filePath(QStringLiteral("last.txt"));
    QCOMPARE(finished.written, expected); // in the order handed out
    QCOMPARE(readAll(expected.at(3)), QByteArray("unit-3.txt"));
    QCOMPARE(readAll(expected.last()), QByteArray("last"));
    QCOMPARE(entries(m_dir->path()).size(), 6); // no staging folder left
    // Progress from 0 to every unit, a step a unit.
    QCOMPARE(progress.count(), 6);
    for (int i = 0; i < progress.count(); ++i) {
        QCOMPARE(progress.at(i).at(0).toInt(), i);
        QCOMPARE(progress.at(i).at(1).toInt(), 5);
    }
}

void TestFileJob::cancelKeepsWhatTheFolderHad()
{
    const QString earlier = QDir(m_dir->path()).filePath(QStringLiteral("unit-0.txt"));
    writeText(earlier, "an earlier job");
    CountingJob job(m_dir->path(), 500);
    QSignalSpy finished(&job, &FileJob::finished);
    // Cancelled once a unit is in the staging folder.
    connect(&job, &FileJob::progress, &job, [&job](int done) {
        if (done == 1) {
            job.cancel();
            job.cancel(); // once is enough
        }
    });
    job.start();
    QVERIFY(finished.wait(kTimeoutMs));
    QVERIFY(job.unitsDone() >= 1);
    QVERIFY(job.turns < 500);
    QTest::qWait(20);
    QCOMPARE(finished.count(), 1);
    QVERIFY(!finished.at(0).at(0).toBool());
    QVERIFY(finished.at(0).at(1).toStringList().isEmpty());
    QVERIFY(finished.at(0).at(2).toString().isEmpty()); // cancelled, not failed
    QCOMPARE(entries(m_dir->path()), QStringList{QStringLiteral("unit-0.txt")});
    QCOMPARE(readAll(earlier), QByteArray("an earlier job"));
    job.cancel(); // after the end: nothing
    QTest::qWait(20);
    QCOMPARE(finished.count(), 1);
}

void TestFileJob::aFileThatCannotBeWrittenFailsTheJob()
{
    writeText(QDir(m_dir->path()).filePath(QStringLiteral("unit-1.txt")), "kept");
    CountingJob job(m_dir->path(), 8, QStringLiteral("unit-3.txt"));
    const Finished finished = run(job);
    QVERIFY(!finished.ok);
    QVERIFY(finished.written.isEmpty());
    QCOMPARE(finished.error, QStringLiteral("Could not write unit-3.txt: refused."));
    QVERIFY(job.unitsDone() <= 3);
    QCOMPARE(entries(m_dir->path()), QStringList{QStringLiteral("unit-1.txt")});
    QCOMPARE(readAll(QDir(m_dir->path()).filePath(QStringLiteral("unit-1.txt"))), QByteArray("kept"));

    // The last files fail as well.
    CountingJob last(m_dir->path(), 2, QStringLiteral("last.txt"));
    const Finished lastFailed = run(last);
    QVERIFY(!lastFailed.ok);
    QCOMPARE(lastFailed.error, QStringLiteral("Could not write last.txt: refused."));
    QCOMPARE(entries(m_dir->path()), QStringList{QStringLiteral("unit-1.txt")});
}

void TestFileJob::preconditionAndSetupFailuresComeFromTheEventLoop()
{
    CountingJob refused(m_dir->path(), 3);
    refused.preconditionError = QStringLiteral("Not now.");
    QSignalSpy progress(&refused, &FileJob::progress);
    const Finished notNow = run(refused);
    QVERIFY(!notNow.ok);
    QCOMPARE(notNow.error, QStringLiteral("Not now."));
    QVERIFY(!refused.began); // the folder was not opened
    QCOMPARE(refused.turns, 0);
    QVERIFY(progress.isEmpty());
    QCOMPARE(entries(m_dir->path()), QStringList());

    CountingJob setup(m_dir->path(), 3);
    setup.beginError = QStringLiteral("No canvas.");
    const Finished failed = run(setup);
    QVERIFY(!failed.ok);
    QCOMPARE(failed.error, QStringLiteral("No canvas."));
    QVERIFY(setup.began);
    QCOMPARE(setup.turns, 0);
    QCOMPARE(entries(m_dir->path()), QStringList()); // the staging folder is gone again

    // A job with no unit writes what comes last.
    CountingJob empty(m_dir->path(), 0);
    const Finished onlyLast = run(empty);
    QVERIFY2(onlyLast.ok, qPrintable(onlyLast.error));
    QCOMPARE(onlyLast.written, QStringList{QDir(m_dir->path()).filePath(QStringLiteral("last.txt"))});
}

void TestFileJob::refusesAFolderInUse()
{
    StagedFolder other; // another run writing into the folder
    QCOMPARE(other.open(m_dir->path().toStdString()), std::string());
    CountingJob job(m_dir->path(), 3);
    const Finished finished = run(job);
    QVERIFY(!finished.ok);
    QVERIFY2(finished.error.contains(QStringLiteral("in use by another InitLab run")), qPrintable(finished.error));
    QVERIFY2(finished.error.at(0).isUpper(), qPrintable(finished.error)); // a sentence
    QVERIFY(!job.began);
    other.abandon();
    QCOMPARE(entries(m_dir->path()), QStringList());
}

QTEST_MAIN(TestFileJob)
#include "tst_filejob.moc"

// Run records: a record holds the experiment, the machine and the results; results read back from
// their CSV files equal what was written; unwritable folders are refused without leftovers; the
// run outcome the GUI and the CLI both record reads back as the run it came from.

#include "initlab/csv.h"
#include "initlab/runoutcome.h"
#include "initlab/runrecord.h"
#include "tolerance.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace initlab;

namespace {

// The settings of a record that reads back whole.
std::string readableExperiment()
{
    DeepConfig config;
    config.combinations = {{InitScheme::XavierUniform, Activation::Tanh}};
    return experimentFileJson(config);
}

} // namespace

class TestRunRecord : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void deepRecordRoundTrip()
    {
        DeepConfig config;
        config.combinations = {{InitScheme::XavierUniform, Activation::Tanh}, {InitScheme::Zeros, Activation::Relu}};
        config.depth = 4;
        config.width = 16;
        config.batch = 32;
        CancelFlag cancel{false};
        const DeepResult result = runDeepPropagation(config, nullptr, cancel);

        QTemporaryDir dir;
        RunInfo info;
        info.kind = ExperimentKind::Deep;
        info.initlabVersion = "0.1.0";
        info.torchVersion = "1.13.0";
        info.blas = "OpenBLAS, Cooperlake kernels";
        info.threads = 2;
        info.started = "2026-11-27T10:59:06Z";
        info.finished = "2026-11-27T10:59:07Z";
        info.status = "finished";
        info.summary = "2 combinations";
        std::string error;
        const std::string folder = writeRunRecord(dir.path().toStdString(), experimentFileJson(config), info,
                                                  {{"deep.csv", deepCsv(result)}}, error);
        QVERIFY2(!folder.empty(), error.c_str());
        QVERIFY(QString::fromStdString(folder).endsWith(QStringLiteral("20261127-105906-deep")));
        // A second run in the same second gets its own folder.
        const std::string second = writeRunRecord(dir.path().toStdString(), experimentFileJson(config), info,
                                                  {{"deep.csv", deepCsv(result)}}, error);
        QVERIFY(QString::fromStdString(second).endsWith(QStringLiteral("-deep-2")));

        RunRecord record;
        QVERIFY2(readRunRecord(folder, record, error), error.c_str());
        QCOMPARE(record.info.blas, info.blas);
        QCOMPARE(record.info.status, std::string("finished"));
        QCOMPARE(record.info.threads, 2);
        QCOMPARE(record.experiment.kind, ExperimentKind::Deep);
        QCOMPARE(record.experiment.deep.combinations, config.combinations);
        QCOMPARE(record.resultFiles, std::vector<std::string>{"deep.csv"});

        QFile csv(QString::fromStdString(folder) + QStringLiteral("/deep.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        DeepResult back;
        QVERIFY2(parseDeepCsv(csv.readAll().toStdString(), back, error), error.c_str());
        QCOMPARE(back.combinations.size(), std::size_t(2));
        for (std::size_t c = 0; c < 2; ++c)
            for (std::size_t l = 0; l < 4; ++l) {
                QCOMPARE(back.combinations[c].layers[l].actStd, result.combinations[c].layers[l].actStd);
                QCOMPARE(back.combinations[c].layers[l].preGradStd, result.combinations[c].layers[l].preGradStd);
                QCOMPARE(back.combinations[c].layers[l].theoryStd, result.combinations[c].layers[l].theoryStd);
            }
        QCOMPARE(listRunRecords(dir.path().toStdString()).size(), std::size_t(2));
    }

    // A record no InitLab could have written is listed with its problem and what could be read of
    // it, among the records that are fine; folders without run.json or experiment.json are not
    // records at all.
    void unreadableRecordsAreListed_data()
    {
        QTest::addColumn<QByteArray>("run");        // null: no run.json
        QTest::addColumn<QByteArray>("experiment"); // null: no experiment.json
        QTest::addColumn<QString>("problem");
        QTest::addColumn<bool>("summaryRead"); // whether run.json's summary was still read

        const QByteArray run = R"({"experiment": "deep", "started": "2026-01-01T00:00:00Z", "status": "finished",
                                   "summary": "one", "threads": 2, "results": []})";
        const QByteArray experiment = QByteArray::fromStdString(readableExperiment());
        const QByteArray deepWith = R"({"initlab_experiment": 1, "experiment": "deep", "settings": )";
        QTest::newRow("experiment: number too large")
            << run << deepWith + R"({"depth": 1e999}})"
            << QStringLiteral("experiment.json: a number on line 1 is too large (1e999)") << true;
        QTest::newRow("experiment: nested 100000 deep")
            << run << QByteArray(100000, '[') + QByteArray(100000, ']')
            << QStringLiteral("experiment.json: nested more than 64 levels deep (line 1)") << true;
        QTest::newRow("experiment: truncated") << run << experiment.left(experiment.size() / 2)
                                               << QStringLiteral("experiment.json: not valid JSON (line ") << true;
        QTest::newRow("experiment: invalid UTF-8")
            << run << deepWith + "{\"x\": \"\xc0\xaf\"}}" << QStringLiteral("experiment.json: not valid UTF-8 (line 1)")
            << true;
        QTest::newRow("experiment: wrong type deep inside")
            << run << deepWith + R"({"combinations": [["xavier_uniform", 1]]}})"
            << QStringLiteral("experiment.json: settings.combinations[0]: expected") << true;
        QTest::newRow("experiment: missing")
            << run << QByteArray() << QStringLiteral("experiment.json: missing") << true;
        QTest::newRow("run: number too large")
            << QByteArray(R"({"experiment": "deep", "summary": "one", "threads": 1e999})") << experiment
            << QStringLiteral("run.json: a number on line 1 is too large (1e999)") << false;
        QTest::newRow("run: nested 100000 deep") << QByteArray(100000, '[') << experiment
                                                 << QStringLiteral("run.json: nested more than 64 levels deep (line 1)")
                                                 << false;
        QTest::newRow("run: wrong type") << QByteArray(R"({"experiment": "deep", "threads": "two", "summary": "one"})")
                                         << experiment << QStringLiteral("run.json: threads: expected an integer")
                                         << true;
        QTest::newRow("run: results not a list")
            << QByteArray(R"({"experiment": "deep", "summary": "one", "results": {"deep.csv": 1}})") << experiment
            << QStringLiteral("run.json: results: expected a list of file names") << true;
        QTest::newRow("run: not an object") << QByteArray("[1, 2]") << experiment
                                            << QStringLiteral("run.json: expected an object") << false;
        QTest::newRow("run: truncated")
            << run.left(20) << experiment << QStringLiteral("run.json: not valid JSON (line 1)") << false;
        QTest::newRow("run: missing") << QByteArray() << experiment << QStringLiteral("run.json: missing") << false;
        // A FIFO would block whoever opens it until something writes to it: the window's start.
        QTest::newRow("run: a FIFO") << QByteArray("fifo") << experiment
                                     << QStringLiteral("run.json: not a regular file") << false;
        QTest::newRow("experiment: a folder")
            << run << QByteArray("folder") << QStringLiteral("experiment.json: not a regular file") << true;
        QTest::newRow("kinds differ") << QByteArray(run).replace("\"deep\"", "\"circles\"") << experiment
                                      << QStringLiteral("experiment.json: a deep experiment, but run.json says circles")
                                      << true;
    }

    void unreadableRecordsAreListed()
    {
        QFETCH(QByteArray, run);
        QFETCH(QByteArray, experiment);
        QFETCH(QString, problem);
        QFETCH(bool, summaryRead);

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        RunInfo info;
        info.kind = ExperimentKind::Deep;
        info.started = "2026-02-01T00:00:00Z";
        info.status = "finished";
        std::string error;
        const std::string good = writeRunRecord(dir.path().toStdString(), readableExperiment(), info, {}, error);
        QVERIFY2(!good.empty(), error.c_str());

        const QString bad = dir.filePath(QStringLiteral("20260101-000000-deep"));
        QVERIFY(QDir().mkpath(bad));
        const auto write = [](const QString& path, const QByteArray& content) {
            QFile file(path);
            return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
        };
        // "fifo" and "folder" put one of those in the file's place.
        const auto place = [&](const QString& path, const QByteArray& content) {
            if (content == "fifo")
                return ::mkfifo(QFile::encodeName(path).constData(), 0600) == 0;
            if (content == "folder")
                return QDir().mkpath(path);
            return write(path, content);
        };
        if (!run.isNull())
            QVERIFY(place(bad + QStringLiteral("/run.json"), run));
        if (!experiment.isNull())
            QVERIFY(place(bad + QStringLiteral("/experiment.json"), experiment));
        // Not records: a folder of other files, a file, a link to nowhere.
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("notes"))));
        QVERIFY(write(dir.filePath(QStringLiteral("notes/readme.txt")), "notes"));
        QVERIFY(write(dir.filePath(QStringLiteral("file.json")), "{}"));
        QVERIFY(QFile::link(dir.filePath(QStringLiteral("nowhere")), dir.filePath(QStringLiteral("dangling"))));

        const std::vector<RunRecord> records = listRunRecords(dir.path().toStdString());
        QCOMPARE(records.size(), std::size_t(2));
        QCOMPARE(records[0].folder, good); // newest first; the unreadable one is still there
        QCOMPARE(records[0].problem, std::string());
        const RunRecord& unreadable = records[1];
        QCOMPARE(QString::fromStdString(unreadable.folder), bad);
        QVERIFY2(QString::fromStdString(unreadable.problem).startsWith(problem), unreadable.problem.c_str());
        QVERIFY2(unreadable.problem.find('\n') == std::string::npos, unreadable.problem.c_str());
        QCOMPARE(unreadable.info.summary, std::string(summaryRead ? "one" : ""));

        RunRecord record;
        QVERIFY(!readRunRecord(bad.toStdString(), record, error));
        QCOMPARE(error, bad.toStdString() + "/" + unreadable.problem);
        QCOMPARE(record.problem, unreadable.problem);
        QCOMPARE(record.folder, bad.toStdString());
    }

    // Result files are plain names in the record's folder: a name that leads elsewhere is ignored.
    void resultFilesStayInTheFolder()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        RunInfo info;
        info.started = "2026-02-01T00:00:00Z";
        std::string error;
        const std::string folder = writeRunRecord(dir.path().toStdString(), readableExperiment(), info,
                                                  {{"deep.csv", "x"}}, error);
        QVERIFY2(!folder.empty(), error.c_str());
        QFile run(QString::fromStdString(folder) + QStringLiteral("/run.json"));
        QVERIFY(run.open(QIODevice::WriteOnly | QIODevice::Truncate));
        run.write(R"({"experiment": "deep", "results": ["deep.csv", "../", "..", "/etc/passwd", 7]})");
        run.close();
        RunRecord record;
        QVERIFY2(readRunRecord(folder, record, error), error.c_str());
        QCOMPARE(record.resultFiles, std::vector<std::string>{"deep.csv"});
    }

    void circlesCsvRoundTrip()
    {
        CirclesConfig config;
        config.inits = {InitScheme::XavierUniform, InitScheme::KaimingNormal};
        config.normalizations = {Normalization::Standard};
        config.seeds = 2;
        config.epochs = 30;
        config.reportIntervalMs = 0;
        config.boundaryResolution = 4;
        CancelFlag cancel{false};
        const CirclesResult result = runCircles(config, nullptr, cancel);
        CirclesResult back;
        std::string error;
        QVERIFY2(parseCirclesCsv(circlesHistoryCsv(result), circlesSummaryCsv(result), back, error), error.c_str());
        QCOMPARE(back.models.size(), result.models.size());
        QCOMPARE(back.epochsRun, 30);
        for (std::size_t m = 0; m < back.models.size(); ++m) {
            QCOMPARE(back.models[m].key.seed, result.models[m].key.seed);
            QCOMPARE(back.models[m].key.init, result.models[m].key.init);
            QCOMPARE(back.models[m].valAcc, result.models[m].valAcc);
            QCOMPARE(back.models[m].trainLoss, result.models[m].trainLoss);
            QCOMPARE(back.models[m].testAcc, result.models[m].testAcc);
            QCOMPARE(back.models[m].deadUnits, result.models[m].deadUnits);
        }
    }

    void dropoutCsvRoundTrip()
    {
        DropoutResult result;
        for (double p : {0.0, 0.5}) {
            DropoutRunResult run;
            run.p = p;
            run.history = {{0, 1, 0.5, 0.8, 0.4, 0.85, 1.0}, {0, 2, 0.25, 0.9, 0.35, 0.875, 1.0}};
            run.singlePassAcc = 0.86 + p / 10;
            run.ensembleAcc = {0.8, 0.85, 0.875};
            result.runs.push_back(run);
        }
        DropoutResult back;
        std::string error;
        QVERIFY2(parseDropoutCsv(dropoutHistoryCsv(result), ensembleCsv(result, {2}), ensembleCurveCsv(result), back,
                                 error),
                 error.c_str());
        QCOMPARE(back.runs.size(), std::size_t(2));
        QCOMPARE(back.runs[1].p, 0.5);
        QCOMPARE(back.runs[1].history.size(), std::size_t(2));
        QCOMPARE(back.runs[1].bestEpoch, 2);
        QCOMPARE(back.runs[1].singlePassAcc, 0.91);
        QCOMPARE(back.runs[0].ensembleAcc, result.runs[0].ensembleAcc);
    }

    void corruptCsvIsRefused_data()
    {
        QTest::addColumn<QString>("csv");
        QTest::addColumn<QString>("problem");
        QTest::newRow("empty") << QString() << QStringLiteral("empty");
        QTest::newRow("missing column") << QStringLiteral("init,activation,layer\n") << QStringLiteral("no column");
        QTest::newRow("short row")
            << QStringLiteral("init,activation,layer,act_mean,act_std,grad_mean,grad_std\nheuristic,tanh,1,0\n")
            << QStringLiteral("line 2 has 4 fields");
        QTest::newRow("bad number")
            << QStringLiteral("init,activation,layer,act_mean,act_std,grad_mean,grad_std\nheuristic,tanh,1,0,x,0,0\n")
            << QStringLiteral("'x' is not a valid act_std");
        QTest::newRow("layer gap")
            << QStringLiteral("init,activation,layer,act_mean,act_std,grad_mean,grad_std\nheuristic,tanh,2,0,1,0,0\n")
            << QStringLiteral("count up from 1");
    }

    void corruptCsvIsRefused()
    {
        QFETCH(QString, csv);
        QFETCH(QString, problem);
        DeepResult result;
        std::string error;
        QVERIFY(!parseDeepCsv(csv.toStdString(), result, error));
        QVERIFY2(QString::fromStdString(error).contains(problem), error.c_str());
    }

    // What deepOutcome and writeRunOutcome leave is a record readRunRecord reads back whole, with
    // the machine's facts, and the run's status.
    void deepOutcomeRecordReadsBack()
    {
        DeepConfig config;
        config.combinations = {{InitScheme::KaimingNormal, Activation::Relu}};
        config.depth = 3;
        config.width = 8;
        config.batch = 16;
        config.seed = 5;
        CancelFlag cancel{false};
        const DeepResult result = runDeepPropagation(config, nullptr, cancel);
        const RunOutcome outcome = deepOutcome(config, result);
        QCOMPARE(outcome.status, std::string("finished"));
        QCOMPARE(outcome.summary, std::string("kaiming_normal + relu, depth 3, width 8, batch 16, seed 5"));

        BlasInfo blas;
        blas.library = "OpenBLAS 0.3.21";
        blas.coreName = "Cooperlake";
        blas.hardwareThreads = 3;
        blas.torchVersion = "1.13.1";
        QTemporaryDir dir;
        std::string error;
        const std::string folder = writeRunOutcome(dir.path().toStdString(), ExperimentKind::Deep, outcome, blas,
                                                   "2026-11-27T10:59:06Z", error);
        QVERIFY2(!folder.empty(), error.c_str());

        RunRecord record;
        QVERIFY2(readRunRecord(folder, record, error), error.c_str());
        QCOMPARE(record.info.kind, ExperimentKind::Deep);
        QCOMPARE(record.info.status, std::string("finished"));
        QCOMPARE(record.info.blas, std::string("OpenBLAS 0.3.21 (Cooperlake kernels)"));
        QCOMPARE(record.info.threads, 3); // the config's 0 means all hardware threads
        QCOMPARE(record.info.initlabVersion, std::string(INITLAB_VERSION));
        QCOMPARE(record.info.torchVersion, std::string("1.13.1"));
        QCOMPARE(record.info.started, std::string("2026-11-27T10:59:06Z"));
        QVERIFY(!record.info.finished.empty());
        QCOMPARE(record.experiment.deep.combinations, config.combinations);
        QCOMPARE(record.experiment.deep.seed, config.seed);
        QCOMPARE(record.resultFiles, std::vector<std::string>{"deep.csv"});

        QFile csv(QString::fromStdString(folder) + QStringLiteral("/deep.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        DeepResult back;
        QVERIFY2(parseDeepCsv(csv.readAll().toStdString(), back, error), error.c_str());
        QCOMPARE(back.combinations.size(), std::size_t(1));
        QCOMPARE(back.combinations[0].layers.back().actStd, result.combinations[0].layers.back().actStd);
    }

    void outcomeStatus()
    {
        DeepConfig config;
        config.combinations = {{InitScheme::Zeros, Activation::Tanh}, {InitScheme::Zeros, Activation::Relu}};
        DeepResult result;
        result.cancelled = true;
        RunOutcome outcome = deepOutcome(config, result);
        QCOMPARE(outcome.status, std::string("cancelled"));
        QVERIFY(outcome.results.empty()); // nothing finished: no deep.csv
        QVERIFY(QString::fromStdString(outcome.summary).endsWith(QStringLiteral("(0 done)")));

        result.error = "out of memory";
        QCOMPARE(deepOutcome(config, result).status, std::string("failed: out of memory"));

        DropoutConfig dropout;
        dropout.ps = {0.0, 0.5};
        dropout.epochs = 1;
        outcome = dropoutOutcome(dropout, DropoutExtras{"/data/mnist"}, DropoutResult{});
        QCOMPARE(outcome.status, std::string("finished"));
        QCOMPARE(outcome.summary, std::string("p = 0, 0.5, 1 epoch, seed 0"));
        ExperimentFile file;
        std::string error;
        std::vector<std::string> warnings;
        QVERIFY2(parseExperimentFile(outcome.experimentJson, file, error, warnings), error.c_str());
        QCOMPARE(file.dropoutExtras.dataFolder, std::string("/data/mnist"));
        QVERIFY(warnings.empty());
    }

    // More threads than the hardware has run on the hardware threads, and the record says so; 0
    // means all of them. An unknown hardware count caps nothing.
    void recordedThreadsAreThoseUsed()
    {
        QCOMPARE(usableThreads(1000, 2), 2);
        QCOMPARE(usableThreads(2, 2), 2);
        QCOMPARE(usableThreads(1, 2), 1);
        QCOMPARE(usableThreads(0, 3), 3);
        QCOMPARE(usableThreads(6, 0), 6);
        QCOMPARE(usableThreads(0, 0), 1);

        DeepConfig config;
        config.combinations = {{InitScheme::Zeros, Activation::Relu}};
        config.threads = 1000;
        BlasInfo blas;
        blas.hardwareThreads = 3;
        QTemporaryDir dir;
        std::string error;
        const std::string folder = writeRunOutcome(dir.path().toStdString(), ExperimentKind::Deep,
                                                   deepOutcome(config, DeepResult{}), blas, isoTimeNow(), error);
        QVERIFY2(!folder.empty(), error.c_str());
        RunRecord record;
        QVERIFY2(readRunRecord(folder, record, error), error.c_str());
        QCOMPARE(record.info.threads, 3);
    }

    void runsFolderFromEnvironment()
    {
        const QByteArray saved = qgetenv("INITLAB_RUNS_FOLDER");
        qputenv("INITLAB_RUNS_FOLDER", "/somewhere/runs");
        QCOMPARE(configuredRunsFolder(), std::string("/somewhere/runs"));
        qputenv("INITLAB_RUNS_FOLDER", "");
        QCOMPARE(configuredRunsFolder(), defaultRunsFolder()); // empty counts as unset
        if (saved.isNull())
            qunsetenv("INITLAB_RUNS_FOLDER");
        else
            qputenv("INITLAB_RUNS_FOLDER", saved);
    }

    void unwritableRunsFolder()
    {
        QTemporaryDir dir;
        QFile blocker(dir.filePath(QStringLiteral("file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        RunInfo info;
        info.started = isoTimeNow();
        std::string error;
        const std::string folder = writeRunRecord(dir.filePath(QStringLiteral("file/runs")).toStdString(), "{}", info,
                                                  {}, error);
        QVERIFY(folder.empty());
        QVERIFY2(QString::fromStdString(error).contains(QStringLiteral("cannot create")), error.c_str());
    }
};

QTEST_APPLESS_MAIN(TestRunRecord)
#include "tst_runrecord.moc"

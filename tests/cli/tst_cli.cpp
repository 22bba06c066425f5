// Tests of initlab-cli as users and scripts meet it: the real binary run through QProcess, its exit
// status, its one-line errors, the CSV contracts of deep, circles and dropout, the boundary PNGs,
// and results that do not depend on which BLAS kernels the machine picks; experiment files given with
// --config, and the run records a run leaves. Sizes stay tiny: the build machine is shared.

#include "tolerance.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSet>
#include <QRegularExpression>
#include <QMap>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <csignal>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <random>
#include <thread>
#include <utility>
#include <zlib.h>

namespace {

const QString kCliPath = QStringLiteral(INITLAB_CLI_PATH);
constexpr int kTimeoutMs = 5 * 60 * 1000;

const QString kDeepHeader =
    QStringLiteral("init,activation,layer,act_mean,act_std,grad_mean,grad_std,pre_grad_std,theory_std,"
                   "saturated_frac,zero_frac");

// The names the README promises on the command line and in CSV files (the "Names:" line of its
// Command line section).
const QStringList kSchemeNames = {
    QStringLiteral("heuristic"),       QStringLiteral("xavier_uniform"), QStringLiteral("xavier_normal"),
    QStringLiteral("kaiming_uniform"), QStringLiteral("kaiming_normal"), QStringLiteral("normal"),
    QStringLiteral("orthogonal"),      QStringLiteral("lecun_normal"),   QStringLiteral("zeros"),
};
const QStringList kActivationNames = {
    QStringLiteral("tanh"),   QStringLiteral("relu"),       QStringLiteral("sigmoid"),
    QStringLiteral("linear"), QStringLiteral("leaky_relu"), QStringLiteral("selu"),
};

// Every run records itself into the runs folder; the tests' runs must not land in the real home.
// Tests that look at records set INITLAB_RUNS_FOLDER themselves.
const QTemporaryDir& harnessHome()
{
    static const QTemporaryDir home;
    return home;
}

QProcessEnvironment testEnvironment()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("INITLAB_RUNS_FOLDER"), harnessHome().filePath(QStringLiteral("runs")));
    environment.insert(QStringLiteral("XDG_DATA_HOME"), harnessHome().filePath(QStringLiteral("data")));
    return environment;
}

QProcessEnvironment environmentWithRuns(const QString& runsFolder)
{
    QProcessEnvironment environment = testEnvironment();
    environment.insert(QStringLiteral("INITLAB_RUNS_FOLDER"), runsFolder);
    return environment;
}

struct CliRun {
    int exitCode = -1;
    bool exitedNormally = false;
    QString out;
    QString err;
};

CliRun runProgram(const QString& program, const QStringList& args, const QProcessEnvironment& environment,
                  const QString& workingDirectory)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    if (!workingDirectory.isEmpty())
        process.setWorkingDirectory(workingDirectory);
    process.start(program, args);
    CliRun run;
    if (!process.waitForStarted() || !process.waitForFinished(kTimeoutMs)) {
        process.kill();
        process.waitForFinished();
        run.err = QStringLiteral("initlab-cli did not start or did not finish in time");
        return run;
    }
    run.exitedNormally = process.exitStatus() == QProcess::NormalExit;
    run.exitCode = process.exitCode();
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

CliRun runCli(const QStringList& args,
              const QProcessEnvironment& environment = testEnvironment(),
              const QString& workingDirectory = {})
{
    return runProgram(kCliPath, args, environment, workingDirectory);
}

// initlab-cli with every write past `bytes` of a file failing with EFBIG ("File too large"), as on a
// full disk: the tests run as root, whom no file mode stops. SIGXFSZ is ignored, else it would kill
// the process at the first such write.
CliRun runCliWithFileSizeLimit(qint64 bytes, const QStringList& args,
                               const QProcessEnvironment& environment = testEnvironment())
{
    const QString script = QStringLiteral("trap '' XFSZ; exec prlimit --fsize=%1 -- \"$0\" \"$@\"").arg(bytes);
    return runProgram(QStringLiteral("bash"), QStringList{QStringLiteral("-c"), script, kCliPath} + args, environment,
                      {});
}

QByteArray describe(const CliRun& run)
{
    return QStringLiteral("exit %1%2\n--- stdout:\n%3--- stderr:\n%4")
        .arg(run.exitCode)
        .arg(run.exitedNormally ? QString() : QStringLiteral(" (crashed)"))
        .arg(run.out, run.err)
        .toUtf8();
}

QStringList lines(const QString& text) { return text.split(QLatin1Char('\n'), Qt::SkipEmptyParts); }

struct Csv {
    QString header;
    QList<QStringList> rows;
};

Csv readCsv(const QString& path)
{
    QFile file(path);
    Csv csv;
    if (!file.open(QIODevice::ReadOnly))
        return csv;
    QStringList all = lines(QString::fromUtf8(file.readAll()));
    for (QString& line : all)
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
    if (all.isEmpty())
        return csv;
    csv.header = all.takeFirst();
    for (const QString& line : all)
        csv.rows.append(line.split(QLatin1Char(',')));
    return csv;
}

QStringList deepSizeArgs()
{
    return {QStringLiteral("--depth"), QStringLiteral("4"),  QStringLiteral("--width"),   QStringLiteral("16"),
            QStringLiteral("--batch"), QStringLiteral("32"), QStringLiteral("--threads"), QStringLiteral("1")};
}

// Every result file below root (CSV, PNG, checkpoint); a failed run must leave none, partial or not.
QStringList resultFilesUnder(const QString& root)
{
    QStringList found;
    // The atomic writer's temporary files are ".deep.csv.XXXXXX" and the like: match them too.
    QDirIterator it(root, {QStringLiteral("*.csv*"), QStringLiteral("*.png*"), QStringLiteral("*.ckpt*")},
                    QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        found.append(it.next());
    return found;
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QJsonObject readJsonObject(const QString& path) { return QJsonDocument::fromJson(readAll(path)).object(); }

// The record folders in a runs folder, oldest first (their names start with the start time).
QStringList recordsIn(const QString& runsFolder)
{
    return QDir(runsFolder).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
}

// Every file below root with its bytes, hidden ones included: what a folder holds, to compare.
QMap<QString, QByteArray> folderSnapshot(const QString& root)
{
    QMap<QString, QByteArray> files;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        files.insert(QDir(root).relativeFilePath(path), file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray());
    }
    return files;
}

// Starts initlab-cli and waits until marker appears on its stderr; false if it ended first.
bool startUntil(QProcess& process, const QStringList& args, const QByteArray& marker, QByteArray& err,
                const QProcessEnvironment& environment)
{
    process.setProcessEnvironment(environment);
    process.start(kCliPath, args);
    if (!process.waitForStarted())
        return false;
    process.setReadChannel(QProcess::StandardError); // waitForReadyRead() waits on this channel only
    while (!err.contains(marker) && process.state() == QProcess::Running && process.waitForReadyRead(60000))
        err += process.readAllStandardError();
    return err.contains(marker);
}

const QString kCirclesHistoryHeader =
    QStringLiteral("normalization,init,seed,epoch,train_loss,train_acc,val_loss,val_acc");
const QString kCirclesSummaryHeader =
    QStringLiteral("normalization,init,seed,best_epoch,best_val_acc,test_acc,dead_units,diverged_epoch");
const QString kDropoutHistoryHeader = QStringLiteral("p,epoch,train_loss,train_acc,val_loss,val_acc");
const QString kEnsembleHeader = QStringLiteral("p,passes,test_acc,averaging");
const QString kEnsembleCurveHeader = QStringLiteral("p,passes,test_acc");

// A circles run of a few milliseconds: few points, few epochs, a coarse boundary grid.
QStringList circlesSizeArgs()
{
    return QStringLiteral("--epochs 30 --train 20 --val 10 --test 50 --resolution 16 --threads 1")
        .split(QLatin1Char(' '));
}

// ---- MNIST-format data --------------------------------------------------------------------------

QByteArray idxHeader(const QList<quint32>& dims)
{
    QByteArray h;
    h.append(char(0)).append(char(0)).append(char(0x08)).append(char(dims.size()));
    for (const quint32 d : dims)
        for (int shift = 24; shift >= 0; shift -= 8)
            h.append(char((d >> shift) & 0xFF));
    return h;
}

QByteArray gzip(const QByteArray& raw)
{
    z_stream stream{};
    deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY); // +16: the gzip wrapper
    QByteArray out(int(deflateBound(&stream, uLong(raw.size()))) + 64, Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
    stream.avail_in = uInt(raw.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = uInt(out.size());
    deflate(&stream, Z_FINISH);
    out.resize(int(stream.total_out));
    deflateEnd(&stream);
    return out;
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// Ten classes of 6 x 6 images, learnable in an epoch or two: class c lights pixels c and c + 18 on
// a noisy background.
struct ImageFiles {
    QByteArray images;
    QByteArray labels;
};

ImageFiles makeImages(int count, unsigned seed)
{
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> noise(0, 60);
    QByteArray pixels;
    QByteArray labels;
    for (int i = 0; i < count; ++i) {
        const int label = i % 10;
        for (int px = 0; px < 36; ++px)
            pixels.append(char(px == label || px == label + 18 ? 255 : noise(random)));
        labels.append(char(label));
    }
    return {idxHeader({quint32(count), 6, 6}) + pixels, idxHeader({quint32(count)}) + labels};
}

constexpr int kTrainImages = 300;
constexpr int kTestImages = 100;

// The four files of an MNIST-format folder, raw or gzip-compressed.
bool writeMnistFolder(const QString& folder, bool compressed = false)
{
    if (!QDir().mkpath(folder))
        return false;
    const ImageFiles train = makeImages(kTrainImages, 1);
    const ImageFiles test = makeImages(kTestImages, 2);
    const QString suffix = compressed ? QStringLiteral(".gz") : QString();
    const auto content = [compressed](const QByteArray& raw) { return compressed ? gzip(raw) : raw; };
    return writeFile(folder + QStringLiteral("/train-images-idx3-ubyte") + suffix, content(train.images)) &&
           writeFile(folder + QStringLiteral("/train-labels-idx1-ubyte") + suffix, content(train.labels)) &&
           writeFile(folder + QStringLiteral("/t10k-images-idx3-ubyte") + suffix, content(test.images)) &&
           writeFile(folder + QStringLiteral("/t10k-labels-idx1-ubyte") + suffix, content(test.labels));
}

// A dropout run of about a second on the generated folder.
QStringList dropoutSizeArgs()
{
    return QStringLiteral("--hidden 16,16 --epochs 2 --train 0:200 --val 200:300 --ensemble 2,5 --lr 0.003 "
                          "--init kaiming_uniform --gallery 3 --threads 1")
        .split(QLatin1Char(' '));
}

QString checkpointName(const QString& p) { return QStringLiteral("best-p") + p + QStringLiteral(".ckpt"); }

} // namespace

class TestCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void deepWritesCsv_data();
    void deepWritesCsv();
    void deepHistogramsCsv();
    void deepBf16();

    void errorsAreOneLineAndLeaveNoFile_data();
    void errorsAreOneLineAndLeaveNoFile();

    void cancelStopsWithoutFile_data();
    void cancelStopsWithoutFile();
    void cancelKeepsEarlierResults_data();
    void cancelKeepsEarlierResults();
    void busyFolderIsRefused_data();
    void busyFolderIsRefused();
    void failedWriteFailsTheRun();

    void helpListsNames_data();
    void helpListsNames();
    void unknownCommandNamesEveryCommand();
    void versionPrintsVersions();
    void diagnosticsPrintsFields();
    void benchmarkReportsRates();

    void resultsDoNotDependOnBlasKernels();

    void circlesWritesCsv_data();
    void circlesWritesCsv();
    void circlesBoundaryPngs();
    void circlesBenchmarkReportsRatio();
    void circlesFramesFromSnapshots();

    void dropoutWritesCsv_data();
    void dropoutWritesCsv();
    void dropoutFindsDataThroughInitlabData();
    void dropoutReportsDivergence();
    void dropoutDataErrorsLeaveNoFile_data();
    void dropoutDataErrorsLeaveNoFile();
    void dropoutBenchmarkReports();
    void dropoutCheckpointWithBadPIsRefused();

    void deepConfigIsTheStartingPoint();
    void badConfigIsUsageError_data();
    void badConfigIsUsageError();
    void unknownConfigKeyWarns();
    void circlesConfigAndRecord();
    void dropoutConfigGivesDataFolder();
    void runRecordHoldsTheRun();
    void runRecordFolderChoice();

    void dropoutDamagedCheckpointIsRefused();
    void dropoutFailedCheckpointWriteFailsTheRun();
    void threadsBeyondTheHardwareAreCapped();
};

void TestCli::initTestCase()
{
    QVERIFY2(QFileInfo(kCliPath).isExecutable(), qPrintable(kCliPath));
}

void TestCli::deepWritesCsv_data()
{
    QTest::addColumn<QStringList>("combinationArgs");
    QTest::addColumn<QStringList>("expected"); // "init,activation" in run order

    QTest::newRow("one combination") << QStringList{QStringLiteral("--init"), QStringLiteral("kaiming_normal"),
                                                    QStringLiteral("--activation"), QStringLiteral("relu")}
                                     << QStringList{QStringLiteral("kaiming_normal,relu")};
    QTest::newRow("cross product, init-major")
        << QStringList{QStringLiteral("--init"), QStringLiteral("xavier_uniform,kaiming_normal"),
                       QStringLiteral("--activation"), QStringLiteral("tanh,relu")}
        << QStringList{QStringLiteral("xavier_uniform,tanh"), QStringLiteral("xavier_uniform,relu"),
                       QStringLiteral("kaiming_normal,tanh"), QStringLiteral("kaiming_normal,relu")};
    QTest::newRow("--option=value and repeated lists")
        << QStringList{QStringLiteral("--init=normal"), QStringLiteral("--init"), QStringLiteral("zeros"),
                       QStringLiteral("--activation=selu"), QStringLiteral("--sigma=0.5")}
        << QStringList{QStringLiteral("normal,selu"), QStringLiteral("zeros,selu")};
    QTest::newRow("neither: the report's seven")
        << QStringList{}
        << QStringList{QStringLiteral("heuristic,tanh"),      QStringLiteral("xavier_uniform,tanh"),
                       QStringLiteral("xavier_normal,tanh"),  QStringLiteral("xavier_uniform,relu"),
                       QStringLiteral("xavier_normal,relu"),  QStringLiteral("kaiming_uniform,relu"),
                       QStringLiteral("kaiming_normal,relu")};
}

void TestCli::deepHistogramsCsv()
{
    constexpr int depth = 4;
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString outDir = temp.filePath(QStringLiteral("hist"));
    const CliRun run = runCli(QStringList{QStringLiteral("deep"), QStringLiteral("--init"), QStringLiteral("heuristic"),
                                          QStringLiteral("--activation"), QStringLiteral("tanh,relu"),
                                          QStringLiteral("--histograms")}
                              + deepSizeArgs() + QStringList{QStringLiteral("--out"), outDir});
    QVERIFY2(run.exitedNormally && run.exitCode == 0, describe(run));
    QVERIFY2(run.err.contains(QStringLiteral("deep_hist.csv")), describe(run));
    const Csv csv = readCsv(outDir + QStringLiteral("/deep_hist.csv"));
    QCOMPARE(csv.header, QStringLiteral("init,activation,layer,quantity,bin_low,bin_high,count"));
    // Per combination, layer and quantity: 64 bins and the below / above / nan rows.
    QCOMPARE(csv.rows.size(), 2 * depth * 2 * (64 + 3));
    // Each layer's counts add up to batch x width: the same total for every histogram.
    QMap<QString, qint64> totals;
    for (const QStringList& row : csv.rows) {
        QCOMPARE(row.size(), 7);
        QVERIFY(row[3] == QStringLiteral("act") || row[3] == QStringLiteral("pre_grad"));
        totals[row.mid(0, 4).join(QLatin1Char(','))] += row[6].toLongLong();
    }
    QCOMPARE(totals.size(), 2 * depth * 2);
    const qint64 total = totals.first();
    QVERIFY(total > 0);
    for (const qint64 t : totals)
        QCOMPARE(t, total);
    QCOMPARE(csv.rows.first().mid(4, 2), (QStringList{QStringLiteral("-1"), QStringLiteral("-0.96875")}));

    // Without --histograms there is no deep_hist.csv.
    const QString plainDir = temp.filePath(QStringLiteral("plain"));
    const CliRun plain = runCli(QStringList{QStringLiteral("deep"), QStringLiteral("--init"), QStringLiteral("heuristic"),
                                            QStringLiteral("--activation"), QStringLiteral("tanh")}
                                + deepSizeArgs() + QStringList{QStringLiteral("--out"), plainDir});
    QVERIFY2(plain.exitedNormally && plain.exitCode == 0, describe(plain));
    QVERIFY(QFileInfo::exists(plainDir + QStringLiteral("/deep.csv")));
    QVERIFY(!QFileInfo::exists(plainDir + QStringLiteral("/deep_hist.csv")));
}

void TestCli::deepBf16()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QStringList combination{QStringLiteral("deep"), QStringLiteral("--init"), QStringLiteral("xavier_normal"),
                                  QStringLiteral("--activation"), QStringLiteral("tanh")};
    const QStringList size{QStringLiteral("--depth"), QStringLiteral("4"),    QStringLiteral("--width"),
                           QStringLiteral("64"),      QStringLiteral("--batch"), QStringLiteral("200")};
    const QString fp32Dir = temp.filePath(QStringLiteral("fp32"));
    const QString bf16Dir = temp.filePath(QStringLiteral("bf16"));
    const CliRun fp32 = runCli(combination + size + QStringList{QStringLiteral("--out"), fp32Dir});
    const CliRun bf16 =
        runCli(combination + size + QStringList{QStringLiteral("--bf16"), QStringLiteral("--out"), bf16Dir});
    QVERIFY2(fp32.exitedNormally && fp32.exitCode == 0, describe(fp32));
    QVERIFY2(bf16.exitedNormally && bf16.exitCode == 0, describe(bf16));
    const Csv a = readCsv(fp32Dir + QStringLiteral("/deep.csv"));
    const Csv b = readCsv(bf16Dir + QStringLiteral("/deep.csv"));
    QCOMPARE(b.header, a.header);
    QCOMPARE(b.rows.size(), 4);
    // act_std (column 4) within a few bf16 roundings of float32's, and not the same digits.
    bool anyDifferent = false;
    for (int row = 0; row < 4; ++row) {
        const double x = a.rows[row][4].toDouble();
        const double y = b.rows[row][4].toDouble();
        QVERIFY2(std::fabs(y - x) <= 0.02 * x, qPrintable(a.rows[row].join(QLatin1Char(',')) + QStringLiteral(" / ")
                                                          + b.rows[row].join(QLatin1Char(','))));
        anyDifferent = anyDifferent || a.rows[row][4] != b.rows[row][4];
    }
    QVERIFY(anyDifferent);

    // The benchmark runs both and prints the times side by side and every statistic's difference.
    const CliRun bench = runCli(combination + size + QStringList{QStringLiteral("--bf16"), QStringLiteral("--benchmark")});
    QVERIFY2(bench.exitedNormally && bench.exitCode == 0, describe(bench));
    QVERIFY2(bench.out.contains(QStringLiteral("fp32 against bf16")), describe(bench));
    QVERIFY2(bench.out.contains(QStringLiteral("bf16 speed-up")), describe(bench));
    for (const char* column : {"act_mean", "act_std", "grad_mean", "grad_std", "pre_grad_std", "saturated_frac",
                               "zero_frac"})
        QVERIFY2(bench.out.contains(QLatin1String(column) + QStringLiteral(" ")), describe(bench));
}

void TestCli::deepWritesCsv()
{
    QFETCH(QStringList, combinationArgs);
    QFETCH(QStringList, expected);
    constexpr int depth = 4;

    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    // A missing parent too: --out creates the whole path.
    const QString outDir = temp.filePath(QStringLiteral("results/deep"));
    const CliRun run = runCli(QStringList{QStringLiteral("deep")} + combinationArgs + deepSizeArgs() +
                              QStringList{QStringLiteral("--out"), outDir});
    QVERIFY2(run.exitedNormally && run.exitCode == 0, describe(run));

    const Csv csv = readCsv(outDir + QStringLiteral("/deep.csv"));
    QCOMPARE(csv.header, kDeepHeader);
    QCOMPARE(csv.rows.size(), expected.size() * depth);
    for (qsizetype i = 0; i < csv.rows.size(); ++i) {
        const QStringList& row = csv.rows[i];
        QCOMPARE(row.size(), 11);
        QCOMPARE(row[0] + QLatin1Char(',') + row[1], expected[i / depth]);
        for (const int fraction : {9, 10})
            QVERIFY(row[fraction].toDouble() >= 0.0 && row[fraction].toDouble() <= 1.0);
        QCOMPARE(row[2].toInt(), static_cast<int>(i % depth) + 1);
        for (int column = 3; column < row.size(); ++column) {
            bool isNumber = false;
            row[column].toDouble(&isNumber);
            QVERIFY2(isNumber, qPrintable(QStringLiteral("row %1: '%2'").arg(i).arg(row.join(QLatin1Char(',')))));
        }
    }

    QVERIFY2(run.out.contains(QStringLiteral("act_std[1]")) && run.out.contains(QStringLiteral("act_std[4]")),
             describe(run));
    for (const QString& combination : expected) {
        const QString label = QString(combination).replace(QLatin1Char(','), QStringLiteral(" + "));
        QVERIFY2(run.out.contains(label), qPrintable(label + QStringLiteral(" missing from\n") + run.out));
        QVERIFY2(run.err.contains(label), qPrintable(label + QStringLiteral(" missing from progress\n") + run.err));
    }
    QVERIFY2(!run.err.contains(QStringLiteral("error")), describe(run));
}

void TestCli::errorsAreOneLineAndLeaveNoFile_data()
{
    // {out} is a fresh path in a temporary folder, {file} a regular file there.
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("expectedExit");
    QTest::addColumn<QString>("messagePart");

    // Tiny sizes, except where a row sets one itself: should a row wrongly pass, it runs in no time.
    const auto deep = [](const QStringList& rest) {
        QStringList args{QStringLiteral("deep")};
        const QStringList sizes = deepSizeArgs();
        for (qsizetype i = 0; i + 1 < sizes.size(); i += 2)
            if (rest.filter(QRegularExpression(QStringLiteral("^") + sizes[i] + QStringLiteral("($|=)"))).isEmpty())
                args << sizes[i] << sizes[i + 1];
        return args + rest;
    };
    const auto deepOut = [&](QStringList rest) {
        return deep(rest + QStringList{QStringLiteral("--out"), QStringLiteral("{out}")});
    };
    const QStringList one = {QStringLiteral("--init"), QStringLiteral("xavier_uniform"),
                             QStringLiteral("--activation"), QStringLiteral("tanh")};

    QTest::newRow("unknown scheme")
        << deepOut({QStringLiteral("--init"), QStringLiteral("xavier_uniform,foo"), QStringLiteral("--activation"),
                    QStringLiteral("relu")})
        << 2 << QStringLiteral("unknown scheme 'foo' (known: heuristic, xavier_uniform");
    QTest::newRow("unknown activation")
        << deepOut({QStringLiteral("--init"), QStringLiteral("xavier_uniform"), QStringLiteral("--activation"),
                    QStringLiteral("swish")})
        << 2 << QStringLiteral("unknown activation 'swish' (known: tanh, relu");
    QTest::newRow("empty name in list")
        << deepOut({QStringLiteral("--init"), QStringLiteral("xavier_uniform,"), QStringLiteral("--activation"),
                    QStringLiteral("relu")})
        << 2 << QStringLiteral("empty name in --init");
    QTest::newRow("name twice")
        << deepOut({QStringLiteral("--init"), QStringLiteral("zeros,zeros"), QStringLiteral("--activation"),
                    QStringLiteral("relu")})
        << 2 << QStringLiteral("twice");
    QTest::newRow("depth 0") << deepOut(one + QStringList{QStringLiteral("--depth=0")}) << 2
                             << QStringLiteral("--depth must be a positive integer, got 0");
    QTest::newRow("width -3") << deepOut(one + QStringList{QStringLiteral("--width"), QStringLiteral("-3")}) << 2
                              << QStringLiteral("--width must be a positive integer, got -3");
    QTest::newRow("batch abc") << deepOut(one + QStringList{QStringLiteral("--batch"), QStringLiteral("abc")}) << 2
                               << QStringLiteral("invalid number 'abc' for --batch");
    QTest::newRow("width 12x") << deepOut(one + QStringList{QStringLiteral("--width"), QStringLiteral("12x")}) << 2
                               << QStringLiteral("invalid number '12x' for --width");
    QTest::newRow("depth too large")
        << deepOut(one + QStringList{QStringLiteral("--depth"), QStringLiteral("99999999999")}) << 2
        << QStringLiteral("out of range for --depth");
    QTest::newRow("negative seed") << deepOut(one + QStringList{QStringLiteral("--seed"), QStringLiteral("-1")})
                                   << 2 << QStringLiteral("invalid number '-1' for --seed");
    QTest::newRow("negative threads")
        << deepOut(one + QStringList{QStringLiteral("--threads=-1")}) << 2 << QStringLiteral("--threads");
    QTest::newRow("sigma not positive")
        << deepOut(one + QStringList{QStringLiteral("--sigma"), QStringLiteral("-0.5")}) << 2
        << QStringLiteral("--sigma must be 0 or more, got -0.5");
    QTest::newRow("missing value at the end") << deep(one + QStringList{QStringLiteral("--out")}) << 2
                                              << QStringLiteral("missing value for --out");
    QTest::newRow("missing value before an option")
        << deep(one + QStringList{QStringLiteral("--out"), QStringLiteral("--depth"), QStringLiteral("4")}) << 2
        << QStringLiteral("missing value for --out");
    QTest::newRow("unknown option") << deepOut(one + QStringList{QStringLiteral("--frobnicate")}) << 2
                                    << QStringLiteral("unknown option '--frobnicate'");
    QTest::newRow("option given twice")
        << deepOut(one + QStringList{QStringLiteral("--depth"), QStringLiteral("3"), QStringLiteral("--depth=4")})
        << 2 << QStringLiteral("--depth given more than once");
    QTest::newRow("stray argument") << deepOut(one + QStringList{QStringLiteral("relu")}) << 2
                                    << QStringLiteral("unexpected argument 'relu'");
    QTest::newRow("--init without --activation")
        << deepOut({QStringLiteral("--init"), QStringLiteral("xavier_uniform")}) << 2
        << QStringLiteral("--init needs --activation");
    QTest::newRow("--activation without --init")
        << deepOut({QStringLiteral("--activation"), QStringLiteral("relu")}) << 2
        << QStringLiteral("--activation needs --init");
    QTest::newRow("no --out") << deep(one) << 2 << QStringLiteral("missing --out");
    QTest::newRow("unknown command") << QStringList{QStringLiteral("shallow")} << 2
                                     << QStringLiteral("unknown command 'shallow'");
    QTest::newRow("no command") << QStringList{} << 2 << QStringLiteral("missing command");
    QTest::newRow("unknown top-level option") << QStringList{QStringLiteral("--frobnicate")} << 2
                                              << QStringLiteral("unknown option '--frobnicate'");
    // Tests run as root, for whom permission bits mean nothing: a regular file where a folder must
    // be is unwritable for everyone.
    QTest::newRow("unwritable DIR: a file as parent")
        << deepOut(one).replaceInStrings(QStringLiteral("{out}"), QStringLiteral("{file}/out")) << 1
        << QStringLiteral("cannot write to output folder");
    QTest::newRow("unwritable DIR: a file as DIR")
        << deepOut(one).replaceInStrings(QStringLiteral("{out}"), QStringLiteral("{file}")) << 1
        << QStringLiteral("cannot write to output folder");

    // circles: tiny sizes first, so that a row which wrongly passes runs in no time (a later
    // repetition of an option is itself an error, which is why the rows avoid the size options).
    const auto circles = [](const QString& rest) {
        return QStringList{QStringLiteral("circles")} + circlesSizeArgs() +
               (rest.isEmpty() ? QStringList{} : rest.split(QLatin1Char(' ')));
    };
    QTest::newRow("circles: unknown normalization")
        << circles(QStringLiteral("--normalization raw,foo --out {out}")) << 2
        << QStringLiteral("unknown normalization 'foo' (known: raw, standard, scaled)");
    QTest::newRow("circles: two activations") << circles(QStringLiteral("--activation relu,tanh --out {out}")) << 2
                                              << QStringLiteral("unknown activation 'relu,tanh'");
    QTest::newRow("circles: seeds 0") << circles(QStringLiteral("--seeds 0 --out {out}")) << 2
                                      << QStringLiteral("--seeds must be a positive integer, got 0");
    QTest::newRow("circles: empty hidden size") << circles(QStringLiteral("--hidden 6,,3 --out {out}")) << 2
                                                << QStringLiteral("empty value in --hidden list '6,,3'");
    QTest::newRow("circles: hidden size not a number") << circles(QStringLiteral("--hidden 6,x --out {out}")) << 2
                                                       << QStringLiteral("invalid number 'x' for --hidden");
    QTest::newRow("circles: hidden size 0") << circles(QStringLiteral("--hidden 6,0 --out {out}")) << 2
                                            << QStringLiteral("--hidden must be a positive integer, got 0");
    QTest::newRow("circles: one number for --center") << circles(QStringLiteral("--center 10 --out {out}")) << 2
                                                      << QStringLiteral("--center needs two numbers X,Y, got '10'");
    QTest::newRow("circles: negative radius") << circles(QStringLiteral("--radii -1,4 --out {out}")) << 2
                                              << QStringLiteral("--radii must be 0 or more");
    QTest::newRow("circles: threshold above 1") << circles(QStringLiteral("--threshold 95 --out {out}")) << 2
                                                << QStringLiteral("--threshold is a test accuracy between 0 and 1");
    QTest::newRow("circles: learning rate 0") << circles(QStringLiteral("--lr 0 --out {out}")) << 2
                                              << QStringLiteral("--lr must be positive, got 0");
    QTest::newRow("circles: too many seeds for core") << circles(QStringLiteral("--seeds 1001 --out {out}")) << 2
                                                      << QStringLiteral("seeds must be between 1 and 1000");
    QTest::newRow("circles: no --out") << circles(QString()) << 2 << QStringLiteral("missing --out DIR");
    QTest::newRow("circles: --boundary-png without --out")
        << circles(QStringLiteral("--benchmark --boundary-png")) << 2
        << QStringLiteral("--boundary-png needs --out DIR");
    QTest::newRow("circles: --frames-every 0") << circles(QStringLiteral("--frames-every 0 --out {out}")) << 2
                                               << QStringLiteral("--frames-every must be a positive integer, got 0");
    QTest::newRow("circles: --frames-every not a number")
        << circles(QStringLiteral("--frames-every ten --out {out}")) << 2
        << QStringLiteral("invalid number 'ten' for --frames-every");
    QTest::newRow("circles: --frames-every empty") << circles(QStringLiteral("--out {out} --frames-every")) << 2
                                                   << QStringLiteral("--frames-every");
    QTest::newRow("circles: --frames-every above the epochs")
        << circles(QStringLiteral("--frames-every 31 --out {out}")) << 2
        << QStringLiteral("--frames-every 31 is more than the 30 epochs of the run");
    QTest::newRow("circles: --units-png without --out") << circles(QStringLiteral("--benchmark --units-png")) << 2
                                                        << QStringLiteral("--units-png needs --out DIR");
    QTest::newRow("circles: --frames-every without --out") << circles(QStringLiteral("--benchmark --frames-every 10"))
                                                           << 2 << QStringLiteral("--frames-every needs --out DIR");
    QTest::newRow("circles: --alone without --benchmark") << circles(QStringLiteral("--alone 2 --out {out}")) << 2
                                                          << QStringLiteral("--alone is an option of --benchmark");
    QTest::newRow("circles: unwritable DIR, a file as parent")
        << circles(QStringLiteral("--out {file}/out")) << 1 << QStringLiteral("cannot write to output folder");
    QTest::newRow("circles: unwritable DIR, with --boundary-png")
        << circles(QStringLiteral("--boundary-png --out {file}")) << 1
        << QStringLiteral("cannot write to output folder");

    // dropout: what can be checked before any data is read.
    const auto dropout = [](const QString& rest) {
        return QStringList{QStringLiteral("dropout")} + rest.split(QLatin1Char(' '));
    };
    QTest::newRow("dropout: p of 1") << dropout(QStringLiteral("--p 0,1 --out {out}")) << 2
                                     << QStringLiteral("--p values are dropout probabilities in [0, 1), got 1");
    QTest::newRow("dropout: p twice") << dropout(QStringLiteral("--p 0.5,0.50 --out {out}")) << 2
                                      << QStringLiteral("--p names 0.50 twice");
    QTest::newRow("dropout: ensemble size 0") << dropout(QStringLiteral("--ensemble 5,0 --out {out}")) << 2
                                              << QStringLiteral("--ensemble must be a positive integer, got 0");
    QTest::newRow("dropout: empty range") << dropout(QStringLiteral("--train 5:5 --out {out}")) << 2
                                          << QStringLiteral("--train range '5:5' is empty");
    QTest::newRow("dropout: range without colon") << dropout(QStringLiteral("--val 5000 --out {out}")) << 2
                                                  << QStringLiteral("--val needs a range BEGIN:END");
    QTest::newRow("dropout: overlapping ranges")
        << dropout(QStringLiteral("--train 0:6000 --val 5000:7000 --out {out}")) << 2
        << QStringLiteral("the training and validation ranges overlap");
    QTest::newRow("dropout: unknown averaging") << dropout(QStringLiteral("--average mean --out {out}")) << 2
                                                << QStringLiteral("unknown averaging 'mean'");
    QTest::newRow("dropout: unknown init") << dropout(QStringLiteral("--init glorot --out {out}")) << 2
                                           << QStringLiteral("unknown scheme 'glorot'");
    QTest::newRow("dropout: --benchmark with --epochs") << dropout(QStringLiteral("--benchmark --epochs 3")) << 2
                                                        << QStringLiteral("--epochs is not an option of --benchmark");
    QTest::newRow("dropout: no --out") << dropout(QStringLiteral("--epochs 1")) << 2
                                       << QStringLiteral("missing --out DIR");
    QTest::newRow("dropout: unwritable DIR")
        << dropout(QStringLiteral("--data {file} --out {file}/out")) << 1
        << QStringLiteral("cannot write to output folder");
}

void TestCli::errorsAreOneLineAndLeaveNoFile()
{
    QFETCH(QStringList, args);
    QFETCH(int, expectedExit);
    QFETCH(QString, messagePart);

    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString outDir = temp.filePath(QStringLiteral("out"));
    const QString regularFile = temp.filePath(QStringLiteral("file.txt"));
    {
        QFile file(regularFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not a folder\n");
    }
    args.replaceInStrings(QStringLiteral("{out}"), outDir);
    args.replaceInStrings(QStringLiteral("{file}"), regularFile);

    const CliRun run = runCli(args);
    QVERIFY2(run.exitedNormally, describe(run));
    QVERIFY2(run.exitCode == expectedExit, describe(run));
    const QStringList errLines = lines(run.err);
    QVERIFY2(errLines.size() == 1 && errLines.front().startsWith(QStringLiteral("error: ")), describe(run));
    QVERIFY2(errLines.front().contains(messagePart), describe(run));
    QVERIFY2(run.out.isEmpty(), describe(run));

    QVERIFY2(resultFilesUnder(temp.path()).isEmpty(), qPrintable(resultFilesUnder(temp.path()).join(u' ')));
    QVERIFY2(!QFileInfo::exists(outDir), "a failed command left its output folder behind");
}

void TestCli::cancelStopsWithoutFile_data()
{
    // {out} is a fresh path in a temporary folder, {data} a generated MNIST-format folder there.
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("readyMarker"); // on stderr once the run is under way
    QTest::addColumn<int>("signalNumber");

    // Each run is big enough to be still running when the signal comes (seconds, not milliseconds),
    // and is cancelled right away, so it costs the shared machine little.
    const QStringList deep = QStringLiteral("deep --depth 40 --width 256 --batch 4000 --threads 1 --out {out}")
                                 .split(QLatin1Char(' '));
    // The "BLAS:" header comes after the signal handlers are installed, just before the run starts.
    QTest::newRow("deep, SIGINT (Ctrl-C)") << deep << QByteArray("BLAS:") << SIGINT;
    QTest::newRow("deep, SIGTERM") << deep << QByteArray("BLAS:") << SIGTERM;
    QTest::newRow("circles, SIGINT")
        << QStringLiteral("circles --epochs 10000000 --seeds 2 --out {out}").split(QLatin1Char(' '))
        << QByteArray("threads:") << SIGINT;
    // Waiting for epoch 2 means the checkpoint of epoch 1 is on disk: the cancel must take it back.
    QTest::newRow("dropout, SIGTERM, after a checkpoint")
        << QStringLiteral("dropout --data {data} --hidden 16,16 --epochs 100000 --train 0:200 --val 200:300 "
                          "--threads 1 --out {out}")
               .split(QLatin1Char(' '))
        << QByteArray("epoch 2/") << SIGTERM;
}

void TestCli::cancelStopsWithoutFile()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, readyMarker);
    QFETCH(int, signalNumber);
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString outDir = temp.filePath(QStringLiteral("out"));
    const QString dataDir = temp.filePath(QStringLiteral("data"));
    QVERIFY(writeMnistFolder(dataDir));
    args.replaceInStrings(QStringLiteral("{out}"), outDir);
    args.replaceInStrings(QStringLiteral("{data}"), dataDir);

    // The record of the cancelled run goes elsewhere: temp must stay free of result files.
    QTemporaryDir runs;
    QVERIFY(runs.isValid());
    QProcessEnvironment environment = testEnvironment();
    environment.insert(QStringLiteral("INITLAB_RUNS_FOLDER"), runs.path());

    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(kCliPath, args);
    QVERIFY(process.waitForStarted());
    process.setReadChannel(QProcess::StandardError); // waitForReadyRead() waits on this channel only
    QByteArray err;
    while (!err.contains(readyMarker) && process.state() == QProcess::Running && process.waitForReadyRead(60000))
        err += process.readAllStandardError();
    QVERIFY2(err.contains(readyMarker), err.constData());
    QCOMPARE(::kill(static_cast<pid_t>(process.processId()), signalNumber), 0);
    QVERIFY(process.waitForFinished(60000));
    err += process.readAllStandardError();

    const QString errText = QString::fromUtf8(err);
    QVERIFY2(process.exitStatus() == QProcess::NormalExit, qPrintable(errText));
    QVERIFY2(process.exitCode() == 130, qPrintable(QString::number(process.exitCode()) + QLatin1Char('\n') + errText));
    const QStringList errorLines = lines(errText).filter(QRegularExpression(QStringLiteral("^error:")));
    QCOMPARE(errorLines, QStringList{QStringLiteral("error: cancelled")});
    QVERIFY2(resultFilesUnder(temp.path()).isEmpty(), qPrintable(resultFilesUnder(temp.path()).join(u' ')));
    QVERIFY2(!QFileInfo::exists(outDir), "a cancelled run left its output folder behind");

    // A cancelled run is still a run: it leaves a record that says so, named on the last line.
    const QStringList records = QDir(runs.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCOMPARE(records.size(), 1);
    QCOMPARE(lines(errText).constLast(), QStringLiteral("run record: ") + runs.filePath(records.front()));
    QFile runJson(runs.filePath(records.front() + QStringLiteral("/run.json")));
    QVERIFY(runJson.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(runJson.readAll()).object().value(QStringLiteral("status")).toString(),
             QStringLiteral("cancelled"));
}

void TestCli::cancelKeepsEarlierResults_data()
{
    // A finished run into {out}, then a long one into the same folder, cancelled once it has written
    // something (the dropout run a checkpoint of the same name as the first run's).
    QTest::addColumn<QStringList>("first");
    QTest::addColumn<QStringList>("second");
    QTest::addColumn<QByteArray>("readyMarker");

    QTest::newRow("deep") << QStringList{QStringLiteral("deep")} + deepSizeArgs()
                          << QStringLiteral("deep --depth 40 --width 256 --batch 4000 --threads 1")
                                 .split(QLatin1Char(' '))
                          << QByteArray("BLAS:");
    QTest::newRow("circles") << QStringList{QStringLiteral("circles"), QStringLiteral("--boundary-png")} +
                                    circlesSizeArgs()
                             << QStringLiteral("circles --epochs 10000000 --seeds 2").split(QLatin1Char(' '))
                             << QByteArray("threads:");
    QTest::newRow("dropout, after a checkpoint of the same name")
        << QStringList{QStringLiteral("dropout"), QStringLiteral("--data"), QStringLiteral("{data}"),
                       QStringLiteral("--p"), QStringLiteral("0")} +
               dropoutSizeArgs()
        << QStringLiteral("dropout --data {data} --p 0 --hidden 16,16 --epochs 100000 --train 0:200 --val 200:300 "
                          "--threads 1")
               .split(QLatin1Char(' '))
        << QByteArray("epoch 2/");
}

// A cancelled run leaves what an earlier run left exactly as it was; and while it runs, a second
// run into the same folder is refused instead of mixing its files in.
void TestCli::cancelKeepsEarlierResults()
{
    QFETCH(QStringList, first);
    QFETCH(QStringList, second);
    QFETCH(QByteArray, readyMarker);
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString outDir = temp.filePath(QStringLiteral("out"));
    const QString dataDir = temp.filePath(QStringLiteral("data"));
    QVERIFY(writeMnistFolder(dataDir));
    const QStringList outArgs{QStringLiteral("--out"), outDir};
    first.replaceInStrings(QStringLiteral("{data}"), dataDir);
    second.replaceInStrings(QStringLiteral("{data}"), dataDir);

    const CliRun firstRun = runCli(first + outArgs);
    QVERIFY2(firstRun.exitedNormally && firstRun.exitCode == 0, describe(firstRun));
    const QMap<QString, QByteArray> before = folderSnapshot(outDir);
    QVERIFY(!before.isEmpty());

    QProcess process;
    QByteArray err;
    QVERIFY2(startUntil(process, second + outArgs, readyMarker, err, testEnvironment()), err.constData());

    const CliRun meanwhile = runCli(first + outArgs);
    QVERIFY2(meanwhile.exitedNormally && meanwhile.exitCode == 1, describe(meanwhile));
    QVERIFY2(meanwhile.err.contains(QStringLiteral("is in use by another InitLab run")) &&
                 meanwhile.err.contains(outDir),
             describe(meanwhile));

    QCOMPARE(::kill(static_cast<pid_t>(process.processId()), SIGINT), 0);
    QVERIFY(process.waitForFinished(60000));
    err += process.readAllStandardError();
    QVERIFY2(process.exitCode() == 130, err.constData());

    const QMap<QString, QByteArray> after = folderSnapshot(outDir);
    QCOMPARE(after.keys(), before.keys()); // nothing added, nothing taken, no staging folder left
    for (auto it = before.cbegin(); it != before.cend(); ++it)
        QVERIFY2(after.value(it.key()) == it.value(), qPrintable(it.key() + QStringLiteral(" changed")));
}

void TestCli::busyFolderIsRefused_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("deep") << QStringList{QStringLiteral("deep")} + deepSizeArgs();
    QTest::newRow("circles") << QStringList{QStringLiteral("circles")} + circlesSizeArgs();
    QTest::newRow("dropout") << QStringList{QStringLiteral("dropout"), QStringLiteral("--data"),
                                            QStringLiteral("{data}")} +
                                    dropoutSizeArgs();
    QTest::newRow("dropout --checkpoint")
        << QStringList{QStringLiteral("dropout"), QStringLiteral("--data"), QStringLiteral("{data}"),
                       QStringLiteral("--checkpoint"), QStringLiteral("{out}/checkpoints/best-p0.ckpt")};
    QTest::newRow("reproduce") << QStringList{QStringLiteral("reproduce"), QStringLiteral("--quick"),
                                              QStringLiteral("--data"), QStringLiteral("{data}")};
}

// Every command that writes into a folder refuses one that another run holds, before any work, and
// leaves it alone.
void TestCli::busyFolderIsRefused()
{
    QFETCH(QStringList, args);
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString outDir = temp.filePath(QStringLiteral("out"));
    const QString dataDir = temp.filePath(QStringLiteral("data"));
    QVERIFY(writeMnistFolder(dataDir));
    // A finished run's results, to be found untouched afterwards.
    const CliRun earlier = runCli(QStringList{QStringLiteral("dropout"), QStringLiteral("--data"), dataDir,
                                              QStringLiteral("--p"), QStringLiteral("0"), QStringLiteral("--out"),
                                              outDir} +
                                  dropoutSizeArgs());
    QVERIFY2(earlier.exitCode == 0, describe(earlier));
    const QMap<QString, QByteArray> before = folderSnapshot(outDir);
    args.replaceInStrings(QStringLiteral("{data}"), dataDir);
    args.replaceInStrings(QStringLiteral("{out}"), outDir);

    // The lock a running InitLab run holds on its folder.
    const int fd = ::open(QFile::encodeName(outDir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    QVERIFY(fd >= 0);
    QCOMPARE(::flock(fd, LOCK_EX | LOCK_NB), 0);
    QTemporaryDir runs;
    const CliRun run = runCli(args + QStringList{QStringLiteral("--out"), outDir}, environmentWithRuns(runs.path()));
    ::close(fd);
    QVERIFY2(run.exitedNormally && run.exitCode == 1, describe(run));
    QCOMPARE(lines(run.err).filter(QStringLiteral("error:")),
             QStringList{QStringLiteral("error: cannot write to output folder '") + outDir +
                         QStringLiteral("': it is in use by another InitLab run (wait for that run to end, or "
                                        "choose another folder)")});
    QCOMPARE(folderSnapshot(outDir), before);
    QVERIFY2(recordsIn(runs.path()).isEmpty(), "a refused run left a run record");
}

// A result that cannot be written fails the run: exit 1, a record saying "failed: ..." with the
// system's reason, and the folder as it was. Writes fail here through a file-size limit (the way a
// full disk fails them, but without needing one).
void TestCli::failedWriteFailsTheRun()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString outDir = temp.filePath(QStringLiteral("out"));
    QVERIFY(QDir().mkpath(outDir));
    QVERIFY(writeFile(outDir + QStringLiteral("/circles_summary.csv"), "an earlier run's summary\n"));
    QTemporaryDir runs;
    // The limit lets the CSV files (about 25 kB) and the record through and stops the boundary PNG
    // (about 50 kB), so the command fails where the runner did not. One model, so that the record's
    // parameter snapshots (6 kB) fit too.
    QProcess process;
    process.setProcessEnvironment(environmentWithRuns(runs.path()));
    process.start(QStringLiteral("bash"), QStringList{QStringLiteral("-c"),
                                                      QStringLiteral("trap '' XFSZ; exec prlimit --fsize=40000 -- \"$@\""),
                                                      QStringLiteral("bash"), kCliPath, QStringLiteral("circles"),
                                                      QStringLiteral("--boundary-png"), QStringLiteral("--seeds"),
                                                      QStringLiteral("1"), QStringLiteral("--init"),
                                                      QStringLiteral("xavier_uniform"), QStringLiteral("--normalization"),
                                                      QStringLiteral("standard"), QStringLiteral("--out"), outDir} +
                                              circlesSizeArgs());
    QVERIFY(process.waitForFinished(kTimeoutMs));
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 1, qPrintable(err));
    const QStringList errors = lines(err).filter(QRegularExpression(QStringLiteral("^error:")));
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.front().startsWith(QStringLiteral("error: cannot write ") + outDir + QStringLiteral("/boundary_")) &&
                 errors.front().endsWith(QStringLiteral(".png: File too large")),
             qPrintable(err));
    QCOMPARE(readAll(outDir + QStringLiteral("/circles_summary.csv")), QByteArray("an earlier run's summary\n"));
    QCOMPARE(folderSnapshot(outDir).size(), 1);
    const QStringList records = recordsIn(runs.path());
    QCOMPARE(records.size(), 1);
    const QString status = readJsonObject(runs.filePath(records.front() + QStringLiteral("/run.json")))
                               .value(QStringLiteral("status"))
                               .toString();
    QVERIFY2(status.startsWith(QStringLiteral("failed: ")) && status.contains(QStringLiteral("File too large")),
             qPrintable(status));
}

void TestCli::helpListsNames_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("mustMention");
    QTest::newRow("--help") << QStringList{QStringLiteral("--help")}
                            << QStringList{QStringLiteral("deep"), QStringLiteral("--diagnostics"),
                                           QStringLiteral("--version")};
    QTest::newRow("deep --help") << QStringList{QStringLiteral("deep"), QStringLiteral("--help")}
                                 << kSchemeNames + kActivationNames +
                                        QStringList{QStringLiteral("--benchmark"), QStringLiteral("--sigma"),
                                                    QStringLiteral("--config"), QStringLiteral("--runs-folder"),
                                                    QStringLiteral("--no-record"), QStringLiteral("run record")};
    QTest::newRow("deep --help among other options")
        << QStringList{QStringLiteral("deep"), QStringLiteral("--depth"), QStringLiteral("x"), QStringLiteral("-h")}
        << kSchemeNames + kActivationNames;
    QTest::newRow("--help lists the three commands")
        << QStringList{QStringLiteral("--help")}
        << QStringList{QStringLiteral("\n  deep "), QStringLiteral("\n  circles "), QStringLiteral("\n  dropout ")};
    QTest::newRow("circles --help")
        << QStringList{QStringLiteral("circles"), QStringLiteral("--help")}
        << kSchemeNames + kActivationNames +
               QStringLiteral("raw standard scaled --init --normalization --seeds --first-seed --epochs --activation "
                              "--hidden --lr --weight-decay --scale-factor --sigma --train --val --test --center "
                              "--radii --noise --threshold --threads --resolution --out --boundary-png --benchmark "
                              "--alone circles_history.csv circles_summary.csv dead_units --config --runs-folder "
                              "--no-record")
                   .split(QLatin1Char(' '));
    QTest::newRow("dropout --help")
        << QStringList{QStringLiteral("dropout"), QStringLiteral("-h")}
        << kSchemeNames +
               QStringLiteral("--data --p --epochs --ensemble --average probabilities logits --init --sigma --hidden "
                              "--lr --weight-decay --batch --seed --train --val --test-limit --bf16 --gallery "
                              "--threads --out --benchmark dropout_history.csv ensemble.csv ensemble_curve.csv "
                              "fashion-mnist INITLAB_DATA --config --runs-folder --no-record")
                   .split(QLatin1Char(' '));
    QTest::newRow("dropout --help among other options")
        << QStringList{QStringLiteral("dropout"), QStringLiteral("--p"), QStringLiteral("7"), QStringLiteral("--help")}
        << QStringList{QStringLiteral("--ensemble")};
}

void TestCli::helpListsNames()
{
    QFETCH(QStringList, args);
    QFETCH(QStringList, mustMention);
    const CliRun run = runCli(args);
    QVERIFY2(run.exitedNormally && run.exitCode == 0, describe(run));
    for (const QString& word : mustMention)
        QVERIFY2(run.out.contains(word), qPrintable(word + QStringLiteral(" missing from\n") + run.out));
}

// The commands --help lists are the ones an unknown command's message names, all of them, in order.
void TestCli::unknownCommandNamesEveryCommand()
{
    const CliRun help = runCli({QStringLiteral("--help")});
    QVERIFY2(help.exitedNormally && help.exitCode == 0, describe(help));
    const QString section =
        help.out.section(QStringLiteral("Commands:\n"), 1).section(QStringLiteral("\n\n"), 0, 0);
    static const QRegularExpression commandLine(QStringLiteral("^  (\\S+)"), QRegularExpression::MultilineOption);
    QStringList commands;
    for (QRegularExpressionMatchIterator it = commandLine.globalMatch(section); it.hasNext();)
        commands << it.next().captured(1);
    QCOMPARE(commands, (QStringList{QStringLiteral("deep"), QStringLiteral("circles"), QStringLiteral("dropout"),
                                    QStringLiteral("reproduce")}));

    const CliRun run = runCli({QStringLiteral("shallow")});
    QVERIFY2(run.exitedNormally && run.exitCode == 2, describe(run));
    QVERIFY2(run.out.isEmpty(), describe(run));
    const QStringList errLines = lines(run.err);
    QVERIFY2(errLines.size() == 1, describe(run));
    static const QRegularExpression known(QStringLiteral("^error: unknown command 'shallow' \\(known: (.*)\\)$"));
    const QRegularExpressionMatch match = known.match(errLines.front());
    QVERIFY2(match.hasMatch(), describe(run));
    QCOMPARE(match.captured(1).split(QStringLiteral(", ")), commands);
}

void TestCli::versionPrintsVersions()
{
    const CliRun run = runCli({QStringLiteral("--version")});
    QVERIFY2(run.exitedNormally && run.exitCode == 0, describe(run));
    QVERIFY2(run.out.contains(QRegularExpression(QStringLiteral("^initlab-cli \\d+\\.\\d+\\.\\d+$"),
                                                 QRegularExpression::MultilineOption)),
             describe(run));
    QVERIFY2(run.out.contains(QRegularExpression(QStringLiteral("^LibTorch \\d+\\.\\d+"),
                                                 QRegularExpression::MultilineOption)),
             describe(run));
}

void TestCli::diagnosticsPrintsFields()
{
    const CliRun run = runCli({QStringLiteral("--diagnostics")});
    QVERIFY2(run.exitedNormally && run.exitCode == 0, describe(run));
    for (const char* field : {"BLAS library:", "OpenBLAS kernels:", "OPENBLAS_CORETYPE:", "kernels auto-selected:",
                              "torch threads:", "hardware threads:", "CPU features:", "LibTorch version:"}) {
        const QRegularExpression filled(QStringLiteral("^") + QRegularExpression::escape(QLatin1String(field)) +
                                            QStringLiteral(" +\\S"),
                                        QRegularExpression::MultilineOption);
        QVERIFY2(run.out.contains(filled),
                 qPrintable(QLatin1String(field) + QStringLiteral(" missing or empty in\n") + run.out));
    }
    const QRegularExpressionMatch rate =
        QRegularExpression(QStringLiteral("^GEMM rate: +([0-9.]+) GFLOP/s"), QRegularExpression::MultilineOption)
            .match(run.out);
    QVERIFY2(rate.hasMatch(), describe(run));
    QVERIFY2(rate.captured(1).toDouble() > 0.0, describe(run));
}

void TestCli::benchmarkReportsRates()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    // A runs folder inside temp: a benchmark leaves no run record either.
    const CliRun run =
        runCli(QStringList{QStringLiteral("deep"), QStringLiteral("--benchmark")} + deepSizeArgs(),
               environmentWithRuns(temp.filePath(QStringLiteral("runs"))), temp.path());
    QVERIFY2(run.exitedNormally && run.exitCode == 0, describe(run));
    for (const char* part : {"heuristic + tanh", "kaiming_normal + relu", "forward", "weight gradient",
                             "input gradient", "FLOP-weighted", "of the GEMM rate (target >= 80 %)", "BLAS:"})
        QVERIFY2(run.out.contains(QLatin1String(part)),
                 qPrintable(QLatin1String(part) + QStringLiteral(" missing\n") + run.out));
    QVERIFY2(QDir(temp.path()).isEmpty(), "--benchmark without --out wrote a file or a run record");
}

// Kernel sets differ in blocking and FMA use, so float32 results differ in the last bits; they must
// not differ more than that. Two things keep the comparison honest rather than loose:
// - act_mean and grad_mean are signed means of values spread on both sides of zero, often 1e-4 of
//   their own std (grad_mean ~1e-7 next to grad_std ~1e-3), so their relative error is the float
//   error magnified by std/mean: a mean also agrees when the two differ by under 1e-4 of the std of
//   the same quantity. The stds themselves get the plain 1e-4 relative test.
// - One seed is avoided, not tolerated: with seed 7, xavier_uniform + relu at layer 1 has grad_std
//   off by 7e-4 and pre_grad_std by 2.5e-4 relative while every other number agrees within 1e-7,
//   and act_std at that layer agrees. That pattern is one ReLU pre-activation within rounding of 0
//   taking the other branch (a whole gradient element changes, only in the layer whose input
//   gradient is not propagated further); seeds 0-6 and 8-9 show nothing like it. It is a property of
//   ReLU's kink, not a kernel dependence, so the test runs seed 0.
void TestCli::resultsDoNotDependOnBlasKernels()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QStringList args = QStringLiteral("deep --init kaiming_normal,xavier_uniform --activation relu,tanh "
                                            "--depth 6 --width 128 --batch 256 --seed 0 --out")
                                 .split(QLatin1Char(' '));

    QProcessEnvironment base = testEnvironment();
    base.remove(QStringLiteral("INITLAB_BLAS_AUTOSELECTED")); // core's marker of a re-executed process
    base.remove(QStringLiteral("INITLAB_BLAS_AUTO"));

    QProcessEnvironment generic = base;
    generic.insert(QStringLiteral("OPENBLAS_CORETYPE"), QStringLiteral("Prescott"));
    const QString genericDir = temp.filePath(QStringLiteral("prescott"));
    const CliRun genericRun = runCli(args + QStringList{genericDir}, generic);
    QVERIFY2(genericRun.exitedNormally && genericRun.exitCode == 0, describe(genericRun));
    QVERIFY2(genericRun.err.contains(QStringLiteral("kernels Prescott"), Qt::CaseInsensitive), describe(genericRun));

    // The default: nothing chosen, so InitLab picks the fastest kernels the CPU supports.
    QProcessEnvironment automatic = base;
    automatic.remove(QStringLiteral("OPENBLAS_CORETYPE"));
    const QString automaticDir = temp.filePath(QStringLiteral("auto"));
    const CliRun automaticRun = runCli(args + QStringList{automaticDir}, automatic);
    QVERIFY2(automaticRun.exitedNormally && automaticRun.exitCode == 0, describe(automaticRun));
    const QString blasLine = lines(automaticRun.err).filter(QStringLiteral("BLAS:")).value(0);
    qInfo("default run: %s", qPrintable(blasLine));
    if (blasLine.contains(QStringLiteral("kernels Prescott"), Qt::CaseInsensitive))
        qInfo("this CPU gets Prescott kernels by default too: both runs used the same kernels");

    const Csv expected = readCsv(genericDir + QStringLiteral("/deep.csv"));
    const Csv actual = readCsv(automaticDir + QStringLiteral("/deep.csv"));
    QCOMPARE(expected.header, kDeepHeader);
    QCOMPARE(actual.header, kDeepHeader);
    QCOMPARE(actual.rows.size(), 4 * 6);
    QCOMPARE(actual.rows.size(), expected.rows.size());

    constexpr double relTol = 1e-4;
    constexpr double absTol = 1e-12;
    const QStringList columns = kDeepHeader.split(QLatin1Char(','));
    // For each mean column, the std column that gives its scale.
    const QHash<QString, QString> spreadOf = {{QStringLiteral("act_mean"), QStringLiteral("act_std")},
                                              {QStringLiteral("grad_mean"), QStringLiteral("grad_std")}};
    for (qsizetype r = 0; r < actual.rows.size(); ++r) {
        const QStringList& a = actual.rows[r];
        const QStringList& e = expected.rows[r];
        QCOMPARE(a.size(), columns.size());
        QCOMPARE(a.mid(0, 3), e.mid(0, 3)); // init, activation, layer
        for (qsizetype c = 3; c < columns.size(); ++c) {
            if (a[c] == e[c])
                continue;
            const double actualValue = a[c].toDouble();
            const double expectedValue = e[c].toDouble();
            const double difference = std::abs(actualValue - expectedValue);
            if (difference <= absTol || initlab::test::withinRelative(actualValue, expectedValue, relTol))
                continue;
            QString context = QStringLiteral("%1 + %2, layer %3, %4: ").arg(a[0], a[1], a[2], columns[c]) +
                              QString::fromUtf8(initlab::test::describe(actualValue, expectedValue, relTol));
            if (spreadOf.contains(columns[c])) {
                const double spread = e[columns.indexOf(spreadOf[columns[c]])].toDouble();
                if (difference <= relTol * spread)
                    continue;
                context += QStringLiteral("; also more than %1 of its std %2").arg(relTol).arg(spread);
            }
            QFAIL(qPrintable(context));
        }
    }
}

// ---- circles ------------------------------------------------------------------------------------

void TestCli::circlesWritesCsv_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QStringList>("normalizations"); // in model order
    QTest::addColumn<QStringList>("inits");
    QTest::addColumn<int>("seeds");
    QTest::addColumn<int>("firstSeed");

    QTest::newRow("defaults: 3 normalizations x 5 schemes x 1 seed")
        << QStringList{}
        << QStringList{QStringLiteral("raw"), QStringLiteral("standard"), QStringLiteral("scaled")}
        << QStringList{QStringLiteral("heuristic"), QStringLiteral("xavier_uniform"), QStringLiteral("xavier_normal"),
                       QStringLiteral("kaiming_uniform"), QStringLiteral("kaiming_normal")}
        << 1 << 0;
    QTest::newRow("lists in the order given, seeds from --first-seed")
        << QStringLiteral("--init zeros,xavier_uniform --normalization scaled,raw --seeds 3 --first-seed 5")
               .split(QLatin1Char(' '))
        << QStringList{QStringLiteral("scaled"), QStringLiteral("raw")}
        << QStringList{QStringLiteral("zeros"), QStringLiteral("xavier_uniform")} << 3 << 5;
    QTest::newRow("every net and data option")
        << QStringLiteral("--init normal --sigma=0.5 --normalization standard --seeds 2 --activation tanh --hidden 4 "
                          "--lr 0.01 --weight-decay 0 --scale-factor 0.1 --center -3,2.5 --radii 0.5,2 --noise 0.2 "
                          "--threshold 0.5")
               .split(QLatin1Char(' '))
        << QStringList{QStringLiteral("standard")} << QStringList{QStringLiteral("normal")} << 2 << 0;
}

void TestCli::circlesWritesCsv()
{
    QFETCH(QStringList, options);
    QFETCH(QStringList, normalizations);
    QFETCH(QStringList, inits);
    QFETCH(int, seeds);
    QFETCH(int, firstSeed);
    constexpr int epochs = 30; // circlesSizeArgs()

    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString outDir = temp.filePath(QStringLiteral("results/circles"));
    const CliRun run = runCli(QStringList{QStringLiteral("circles")} + circlesSizeArgs() + options +
                              QStringList{QStringLiteral("--out"), outDir});
    QVERIFY2(run.exitedNormally && run.exitCode == 0, describe(run));

    // Models are ordered normalization-major, then init, then seed.
    QStringList keys;
    for (const QString& normalization : normalizations)
        for (const QString& init : inits)
            for (int seed = firstSeed; seed < firstSeed + seeds; ++seed)
                keys.append(normalization + QLatin1Char(',') + init + QLatin1Char(',') + QString::number(seed));

    const Csv summary = readCsv(outDir + QStringLiteral("/circles_summary.csv"));
    QCOMPARE(summary.header, kCirclesSummaryHeader);
    QCOMPARE(summary.rows.size(), keys.size());
    int expectedHistoryRows = 0;
    for (qsizetype m = 0; m < summary.rows.size(); ++m) {
        const QStringList& row = summary.rows[m];
        QCOMPARE(row.size(), 8);
        QCOMPARE(row.mid(0, 3).join(QLatin1Char(',')), keys[m]);
        const int bestEpoch = row[3].toInt();
        QVERIFY2(bestEpoch >= 1 && bestEpoch <= epochs, qPrintable(row.join(QLatin1Char(','))));
        for (const int column : {4, 5}) {
            bool isNumber = false;
            const double accuracy = row[column].toDouble(&isNumber);
            QVERIFY2(isNumber && accuracy >= 0.0 && accuracy <= 1.0, qPrintable(row.join(QLatin1Char(','))));
        }
        QVERIFY(row[6].toInt() >= 0);
        const int divergedEpoch = row[7].toInt();
        // A diverged model's history ends before the epoch it diverged.
        expectedHistoryRows += divergedEpoch > 0 ? divergedEpoch - 1 : epochs;
    }

    const Csv history = readCsv(outDir + QStringLiteral("/circles_history.csv"));
    QCOMPARE(history.header, kCirclesHistoryHeader);
    QCOMPARE(history.rows.size(), expectedHistoryRows);
    qsizetype row = 0;
    for (qsizetype m = 0; m < keys.size(); ++m) {
        const int rows = summary.rows[m][7].toInt() > 0 ? summary.rows[m][7].toInt() - 1 : epochs;
        for (int epoch = 1; epoch <= rows; ++epoch, ++row) {
            const QStringList& cells = history.rows[row];
            QCOMPARE(cells.size(), 8);
            QCOMPARE(cells.mid(0, 3).join(QLatin1Char(',')), keys[m]);
            QCOMPARE(cells[3].toInt(), epoch);
        }
    }

    // The summary table: one line per (normalization, init), and what its columns mean.
    for (const QString& normalization : normalizations)
        for (const QString& init : inits) {
            const QRegularExpression line(QStringLiteral("^") + normalization + QStringLiteral(" +") + init +
                                              QStringLiteral(" +") + QString::number(seeds) + QStringLiteral(" "),
                                          QRegularExpression::MultilineOption);
            QVERIFY2(run.out.contains(line), qPrintable(normalization + QLatin1Char(' ') + init + QLatin1Char('\n') +
                                                        run.out));
        }
    for (const char* part : {"test % mean", "success", "best seed", "dead units", "diverged"})
        QVERIFY2(run.out.contains(QLatin1String(part)), describe(run));
    QVERIFY2(!run.err.contains(QStringLiteral("error")), describe(run));
    QVERIFY2(QDir(outDir).entryList(QDir::Files).filter(QStringLiteral(".png")).isEmpty(),
             "PNGs written without --boundary-png");
}

void TestCli::circlesBoundaryPngs()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString outDir = temp.filePath(QStringLiteral("out"));
    const QStringList normalizations{QStringLiteral("raw"), QStringLiteral("standard")};
    const QStringList inits{QStringLiteral("xavier_uniform"), QStringLiteral("kaiming_normal")};
    const CliRun run =
        runCli(QStringList{QStringLiteral("circles")} + circlesSizeArgs() +
               QStringList{QStringLiteral("--init"), inits.join(QLatin1Char(',')), QStringLiteral("--normalization"),
                           normalizations.join(QLatin1Char(',')), QStringLiteral("--seeds"), QStringLiteral("2"),
                           QStringLiteral("--boundary-png"), QStringLiteral("--out"), outDir});
    QVERIFY2(run.exitedNormally && run.exitCode == 0, describe(run));

    // The best seed of each (normalization, init): the highest test accuracy, the first of ties.
    const Csv summary = readCsv(outDir + QStringLiteral("/circles_summary.csv"));
    QCOMPARE(summary.header, kCirclesSummaryHeader);
    QHash<QString, QPair<double, QString>> best;
    for (const QStringList& row : summary.rows) {
        const QString key = row[0] + QLatin1Char('_') + row[1];
        const double accuracy = row[5].toDouble();
        if (!best.contains(key) || accuracy > best[key].first)
            best[key] = {accuracy, row[2]};
    }

    QStringList expected;
    for (const QString& normalization : normalizations)
        for (const QString& init : inits) {
            const QString key = normalization + QLatin1Char('_') + init;
            QVERIFY(best.contains(key));
            expected.append(QStringLiteral("boundary_") + key + QStringLiteral("_seed") + best[key].second +
                            QStringLiteral(".png"));
        }
    QStringList pngs = QDir(outDir).entryList({QStringLiteral("*.png")}, QDir::Files | QDir::Hidden);
    pngs.sort();
    expected.sort();
    QCOMPARE(pngs, expected);

    for (const QString& name : pngs) {
        QFile file(outDir + QLatin1Char('/') + name);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY2(bytes.startsWith(QByteArray("\x89PNG\r\n\x1a\n", 8)), qPrintable(name));
        QImage image;
        QVERIFY2(image.loadFromData(bytes, "PNG"), qPrintable(name));
        QVERIFY2(image.width() >= 400 && image.height() >= 400, qPrintable(name));
        // A figure, not a blank page: the heat map, points, text and lines give many colours.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 20, qPrintable(name + QStringLiteral(": %1 colours").arg(colours.size())));
    }
    QVERIFY2(run.err.contains(QStringLiteral("4 decision-boundary PNGs")), describe(run));
    // Qt's complaints (a missing XDG_RUNTIME_DIR and the like) must not reach the user.
    QVERIFY2(!run.err.contains(QStringLiteral("QStandardPaths")), describe(run));
}

void TestCli::circlesBenchmarkReportsRatio()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const CliRun run = runCli(QStringLiteral("circles --benchmark --epochs 40 --train 20 --val 10 --test 50 "
                                             "--resolution 8 --init heuristic,xavier_uniform --normalization "
                                             "raw,standard --seeds 2 --alone 2")
                                  .split(QLatin1Char(' ')),
                              testEnvironment(), temp.path());
    QVERIFY2(run.exitedNormally && run.exitCode == 0, describe(run));
    for (const char* part : {"batched (one stack)", "one at a time", "model-epochs/s", "threads: 1 torch thread",
                             "x faster per model (target >= 20x)"})
        QVERIFY2(run.out.contains(QLatin1String(part)), qPrintable(QLatin1String(part) + QStringLiteral(" missing\n") +
                                                                   run.out));
    // Trained alone, a model must end where it ends in the stack.
    const QRegularExpressionMatch agreement =
        QRegularExpression(QStringLiteral("(\\d+) of (\\d+) models trained alone reach the same best epoch"))
            .match(run.out);
    QVERIFY2(agreement.hasMatch(), describe(run));
    QCOMPARE(agreement.captured(1), QStringLiteral("2"));
    QCOMPARE(agreement.captured(2), QStringLiteral("2"));
    QVERIFY2(QDir(temp.path()).isEmpty(), "--benchmark without --out wrote a file");
}

// --frames-every: the best seed's boundary every N epochs, drawn from the run's snapshots, with the
// epochs' numbers, which are the history's.
void TestCli::circlesFramesFromSnapshots()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString outDir = temp.filePath(QStringLiteral("out"));
    const CliRun run = runCli(QStringList{QStringLiteral("circles")} + circlesSizeArgs() +
                              QStringLiteral("--init xavier_uniform --normalization raw,standard --seeds 2 "
                                             "--frames-every 10 --units-png --out")
                                  .split(QLatin1Char(' ')) +
                              QStringList{outDir});
    QVERIFY2(run.exitedNormally && run.exitCode == 0, describe(run));
    const Csv summary = readCsv(outDir + QStringLiteral("/circles_summary.csv"));
    const Csv history = readCsv(outDir + QStringLiteral("/circles_history.csv"));
    QCOMPARE(QDir(outDir + QStringLiteral("/frames")).entryList(QDir::Dirs | QDir::NoDotAndDotDot),
             (QStringList{QStringLiteral("raw-xavier_uniform"), QStringLiteral("standard-xavier_uniform")}));
    for (const QString& normalization : {QStringLiteral("raw"), QStringLiteral("standard")}) {
        // The best seed: the highest test accuracy, the first of ties.
        QString bestSeed;
        double bestAccuracy = -1.0;
        for (const QStringList& row : summary.rows)
            if (row[0] == normalization && row[5].toDouble() > bestAccuracy) {
                bestAccuracy = row[5].toDouble();
                bestSeed = row[2];
            }
        const QString dir = outDir + QStringLiteral("/frames/") + normalization + QStringLiteral("-xavier_uniform/");
        QStringList pngs = QDir(dir).entryList({QStringLiteral("*.png")}, QDir::Files);
        pngs.sort();
        QCOMPARE(pngs, (QStringList{QStringLiteral("epoch-00010.png"), QStringLiteral("epoch-00020.png"),
                                    QStringLiteral("epoch-00030.png")}));
        for (const QString& png : pngs) {
            QImage image;
            QVERIFY2(image.load(dir + png, "PNG"), qPrintable(dir + png));
            QVERIFY(image.width() >= 400);
        }
        const Csv frames = readCsv(dir + QStringLiteral("frames.csv"));
        QCOMPARE(frames.header, QStringLiteral("epoch,train_loss,train_acc,val_acc"));
        QCOMPARE(frames.rows.size(), 3);
        for (const QStringList& frame : frames.rows) {
            // normalization,init,seed,epoch,train_loss,train_acc,val_loss,val_acc
            const auto row = std::find_if(history.rows.begin(), history.rows.end(), [&](const QStringList& h) {
                return h[0] == normalization && h[2] == bestSeed && h[3] == frame[0];
            });
            QVERIFY2(row != history.rows.end(), qPrintable(frame.join(QLatin1Char(','))));
            QCOMPARE(frame[1], (*row)[4]);
            QCOMPARE(frame[2], (*row)[5]);
            QCOMPARE(frame[3], (*row)[7]);
        }
    }
    QVERIFY2(run.err.contains(QStringLiteral("drew 6 frames from the snapshots (every epoch recorded)")), describe(run));

    // --units-png: the best seeds' hidden units, one figure per setting.
    QStringList units = QDir(outDir).entryList({QStringLiteral("units_*.png")}, QDir::Files);
    QCOMPARE(units.size(), 2);
    for (const QString& png : units) {
        QVERIFY2(png.startsWith(QStringLiteral("units_raw_xavier_uniform_seed"))
                     || png.startsWith(QStringLiteral("units_standard_xavier_uniform_seed")),
                 qPrintable(png));
        QImage image;
        QVERIFY2(image.load(outDir + QLatin1Char('/') + png, "PNG"), qPrintable(png));
        QVERIFY(image.width() >= 400);
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 5)
            for (int x = 0; x < image.width(); x += 5)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 20, qPrintable(png)); // maps, text and lines, not a blank page
    }
    QVERIFY2(run.err.contains(QStringLiteral("drew 2 hidden-unit figures")), describe(run));
}

// ---- dropout ------------------------------------------------------------------------------------

void TestCli::dropoutWritesCsv_data()
{
    QTest::addColumn<bool>("compressed");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QStringList>("ps"); // as written in the CSV files
    QTest::addColumn<QString>("averaging");

    QTest::newRow("raw IDX files, p 0 and 0.5")
        << false << QStringList{QStringLiteral("--p"), QStringLiteral("0,0.5")}
        << QStringList{QStringLiteral("0"), QStringLiteral("0.5")} << QStringLiteral("probabilities");
    QTest::newRow("gzip files, logits averaged")
        << true
        << QStringList{QStringLiteral("--p"), QStringLiteral("0.2"), QStringLiteral("--average"),
                       QStringLiteral("logits")}
        << QStringList{QStringLiteral("0.2")} << QStringLiteral("logits");
    QTest::newRow("bf16 passes, test limit")
        << false
        << QStringList{QStringLiteral("--p=0.5"), QStringLiteral("--bf16"), QStringLiteral("--test-limit"),
                       QStringLiteral("60")}
        << QStringList{QStringLiteral("0.5")} << QStringLiteral("probabilities");
}

void TestCli::dropoutWritesCsv()
{
    QFETCH(bool, compressed);
    QFETCH(QStringList, options);
    QFETCH(QStringList, ps);
    QFETCH(QString, averaging);
    constexpr int epochs = 2;            // dropoutSizeArgs()
    const QStringList sizes{QStringLiteral("2"), QStringLiteral("5")};
    constexpr int passes = 5;
    constexpr int gallery = 3;

    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString dataDir = temp.filePath(QStringLiteral("data"));
    QVERIFY(writeMnistFolder(dataDir, compressed));
    const QString outDir = temp.filePath(QStringLiteral("results/dropout"));
    const CliRun run = runCli(QStringList{QStringLiteral("dropout"), QStringLiteral("--data"), dataDir} +
                              dropoutSizeArgs() + options + QStringList{QStringLiteral("--out"), outDir});
    QVERIFY2(run.exitedNormally && run.exitCode == 0, describe(run));

    const Csv history = readCsv(outDir + QStringLiteral("/dropout_history.csv"));
    QCOMPARE(history.header, kDropoutHistoryHeader);
    QCOMPARE(history.rows.size(), ps.size() * epochs);
    for (qsizetype i = 0; i < history.rows.size(); ++i) {
        const QStringList& row = history.rows[i];
        QCOMPARE(row.size(), 6);
        QCOMPARE(row[0], ps[i / epochs]);
        QCOMPARE(row[1].toInt(), static_cast<int>(i % epochs) + 1);
        for (int column = 2; column < 6; ++column) {
            bool isNumber = false;
            const double value = row[column].toDouble(&isNumber);
            QVERIFY2(isNumber && std::isfinite(value), qPrintable(row.join(QLatin1Char(','))));
        }
    }

    // A 'single' row per p, then each ensemble size.
    const Csv ensemble = readCsv(outDir + QStringLiteral("/ensemble.csv"));
    QCOMPARE(ensemble.header, kEnsembleHeader);
    QCOMPARE(ensemble.rows.size(), ps.size() * (1 + sizes.size()));
    for (qsizetype i = 0; i < ensemble.rows.size(); ++i) {
        const QStringList& row = ensemble.rows[i];
        QCOMPARE(row.size(), 4);
        QCOMPARE(row[0], ps[i / (1 + sizes.size())]);
        const qsizetype k = i % (1 + sizes.size());
        QCOMPARE(row[1], k == 0 ? QStringLiteral("single") : sizes[k - 1]);
        const double accuracy = row[2].toDouble();
        QVERIFY2(accuracy >= 0.0 && accuracy <= 1.0, qPrintable(row.join(QLatin1Char(','))));
        QCOMPARE(row[3], averaging);
    }

    const Csv curve = readCsv(outDir + QStringLiteral("/ensemble_curve.csv"));
    QCOMPARE(curve.header, kEnsembleCurveHeader);
    QCOMPARE(curve.rows.size(), ps.size() * passes);
    for (qsizetype i = 0; i < curve.rows.size(); ++i) {
        QCOMPARE(curve.rows[i][0], ps[i / passes]);
        QCOMPARE(curve.rows[i][1].toInt(), static_cast<int>(i % passes) + 1);
    }
    // T = 5 in Table I is the fifth pass of the one sweep.
    for (qsizetype r = 0; r < ps.size(); ++r)
        QCOMPARE(ensemble.rows[r * 3 + 2][2], curve.rows[r * passes + 4][2]);

    QCOMPARE(readCsv(outDir + QStringLiteral("/uncertain.csv")).rows.size(), ps.size() * gallery);
    QCOMPARE(readCsv(outDir + QStringLiteral("/confusion.csv")).rows.size(), ps.size() * (1 + sizes.size()) * 100);
    for (const QString& p : ps)
        QVERIFY2(QFileInfo(outDir + QStringLiteral("/checkpoints/") + checkpointName(p)).size() > 0,
                 qPrintable(checkpointName(p)));

    QVERIFY2(run.out.contains(QStringLiteral("Table I")), describe(run));
    QVERIFY2(run.out.contains(QRegularExpression(QStringLiteral("^p +best epoch +val % +single +T=2 +T=5$"),
                                                 QRegularExpression::MultilineOption)),
             describe(run));
    QVERIFY2(run.out.contains(averaging == QStringLiteral("logits") ? QStringLiteral("logits are averaged")
                                                                    : QStringLiteral("probabilities are averaged")),
             describe(run));
    QVERIFY2(run.err.contains(QStringLiteral("epoch 2/2")), describe(run));
    QVERIFY2(!run.err.contains(QStringLiteral("error")), describe(run));

    // A saved checkpoint evaluates again to the same numbers (same seed, same masks), without training.
    const QString again = temp.filePath(QStringLiteral("again"));
    const QString checkpoint = outDir + QStringLiteral("/checkpoints/") + checkpointName(ps[0]);
    const CliRun evaluation =
        runCli(QStringList{QStringLiteral("dropout"), QStringLiteral("--data"), dataDir, QStringLiteral("--checkpoint"),
                           checkpoint} +
               dropoutSizeArgs() + options + QStringList{QStringLiteral("--out"), again});
    QVERIFY2(evaluation.exitedNormally && evaluation.exitCode == 0, describe(evaluation));
    const Csv reevaluated = readCsv(again + QStringLiteral("/ensemble.csv"));
    QCOMPARE(reevaluated.rows.size(), 1 + sizes.size());
    for (qsizetype k = 0; k < reevaluated.rows.size(); ++k)
        QCOMPARE(reevaluated.rows[k], ensemble.rows[k]);
    QCOMPARE(readCsv(again + QStringLiteral("/ensemble_curve.csv")).rows.size(), passes);
    QVERIFY(!QFileInfo::exists(again + QStringLiteral("/dropout_history.csv")));
    // Something that is not a checkpoint is refused with one line naming it.
    const CliRun wrong = runCli(QStringList{QStringLiteral("dropout"), QStringLiteral("--data"), dataDir,
                                            QStringLiteral("--checkpoint"), outDir + QStringLiteral("/ensemble.csv"),
                                            QStringLiteral("--out"), temp.filePath(QStringLiteral("wrong"))});
    QVERIFY2(wrong.exitedNormally && wrong.exitCode == 1, describe(wrong));
    QVERIFY2(wrong.err.contains(QStringLiteral("not an InitLab checkpoint")), describe(wrong));
    QVERIFY(!QFileInfo::exists(temp.filePath(QStringLiteral("wrong/ensemble.csv"))));
}

void TestCli::dropoutFindsDataThroughInitlabData()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString dataDir = temp.filePath(QStringLiteral("data"));
    QVERIFY(writeMnistFolder(dataDir));
    QProcessEnvironment environment = testEnvironment();
    environment.insert(QStringLiteral("INITLAB_DATA"), dataDir);
    const QString outDir = temp.filePath(QStringLiteral("out"));
    const CliRun run = runCli(QStringList{QStringLiteral("dropout"), QStringLiteral("--p"), QStringLiteral("0.2")} +
                                  dropoutSizeArgs() + QStringList{QStringLiteral("--out"), outDir},
                              environment);
    QVERIFY2(run.exitedNormally && run.exitCode == 0, describe(run));
    QVERIFY2(run.err.contains(QStringLiteral("MNIST-format data from ") + dataDir), describe(run));
    QCOMPARE(readCsv(outDir + QStringLiteral("/ensemble.csv")).rows.size(), 3);
}

// A checkpoint whose dropout probability is not in [0, 1) is refused before anything is evaluated,
// with one error line naming the file.
void TestCli::dropoutCheckpointWithBadPIsRefused()
{
    QTemporaryDir temp;
    QTemporaryDir files;
    QVERIFY(temp.isValid() && files.isValid());
    const QString dataDir = temp.filePath(QStringLiteral("data"));
    QVERIFY(writeMnistFolder(dataDir));
    // The checkpoint format: magic, p, best epoch, layer count and sizes, parameter count, weights.
    QByteArray bytes("INLBCKP1", 8);
    const auto put = [&bytes](const auto value) { bytes.append(reinterpret_cast<const char*>(&value), sizeof value); };
    put(1.5);
    for (const qint32 field : {1, 3, 784, 4, 10})
        put(field);
    const quint64 count = 784 * 4 + 4 + 4 * 10 + 10;
    put(count);
    bytes.append(QByteArray(qsizetype(count * sizeof(float)), '\0'));
    const QString checkpoint = files.filePath(QStringLiteral("best-p1.5.ckpt"));
    QVERIFY(writeFile(checkpoint, bytes));

    const QString outDir = temp.filePath(QStringLiteral("out"));
    const CliRun run = runCli(QStringList{QStringLiteral("dropout"), QStringLiteral("--data"), dataDir,
                                          QStringLiteral("--checkpoint"), checkpoint, QStringLiteral("--out"), outDir});
    QVERIFY2(run.exitedNormally && run.exitCode == 1, describe(run));
    const QStringList errLines = lines(run.err);
    QVERIFY2(errLines.size() == 1 && errLines.front().startsWith(QStringLiteral("error: ") + checkpoint + u':'),
             describe(run));
    QVERIFY2(errLines.front().contains(QStringLiteral("p = 1.500000 in the file is not in [0, 1)")), describe(run));
    QVERIFY2(run.out.isEmpty(), describe(run));
    QVERIFY2(resultFilesUnder(temp.path()).isEmpty(), qPrintable(resultFilesUnder(temp.path()).join(u' ')));
    QVERIFY2(!QFileInfo::exists(outDir), "a refused checkpoint left its output folder behind");
}

// A diverged p is a result, not a failure: its message is printed, its rows are empty, and the
// other files are still written.
void TestCli::dropoutReportsDivergence()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString dataDir = temp.filePath(QStringLiteral("data"));
    QVERIFY(writeMnistFolder(dataDir));
    const QString outDir = temp.filePath(QStringLiteral("out"));
    QStringList sizes = dropoutSizeArgs();
    sizes[sizes.indexOf(QStringLiteral("--lr")) + 1] = QStringLiteral("1e30");
    const CliRun run = runCli(QStringList{QStringLiteral("dropout"), QStringLiteral("--data"), dataDir} + sizes +
                              QStringList{QStringLiteral("--p"), QStringLiteral("0.5"), QStringLiteral("--out"),
                                          outDir});
    QVERIFY2(run.exitedNormally && run.exitCode == 0, describe(run));
    const QString message = QStringLiteral("p = 0.5: training diverged");
    QVERIFY2(run.err.contains(message), describe(run));
    QVERIFY2(run.out.contains(message), describe(run));
    QVERIFY2(run.out.contains(QRegularExpression(QStringLiteral("^0\\.5 +- +- +- +- +-$"),
                                                 QRegularExpression::MultilineOption)),
             describe(run));
    const Csv ensemble = readCsv(outDir + QStringLiteral("/ensemble.csv"));
    QCOMPARE(ensemble.header, kEnsembleHeader);
    QVERIFY(ensemble.rows.isEmpty());
    QCOMPARE(readCsv(outDir + QStringLiteral("/dropout_history.csv")).header, kDropoutHistoryHeader);
}

void TestCli::dropoutDataErrorsLeaveNoFile_data()
{
    QTest::addColumn<QString>("damage");
    QTest::addColumn<QStringList>("options"); // {data} is the (damaged) data folder
    QTest::addColumn<int>("expectedExit");
    QTest::addColumn<QStringList>("messageParts");

    const QStringList plain{QStringLiteral("--data"), QStringLiteral("{data}")};
    QTest::newRow("truncated images file")
        << QStringLiteral("truncate train-images-idx3-ubyte") << plain << 1
        << QStringList{QStringLiteral("/train-images-idx3-ubyte: truncated"), QStringLiteral("10800 bytes")};
    QTest::newRow("truncated gzip file")
        << QStringLiteral("gzip, truncate t10k-images-idx3-ubyte.gz") << plain << 1
        << QStringList{QStringLiteral("/t10k-images-idx3-ubyte.gz: ")};
    QTest::newRow("label out of range")
        << QStringLiteral("label 12 in t10k-labels-idx1-ubyte") << plain << 1
        << QStringList{QStringLiteral("/t10k-labels-idx1-ubyte: label 12")};
    QTest::newRow("labels file missing") << QStringLiteral("remove train-labels-idx1-ubyte") << plain << 1
                                         << QStringList{QStringLiteral("train-labels-idx1-ubyte"),
                                                        QStringLiteral("is missing")};
    QTest::newRow("missing folder")
        << QStringLiteral("none") << QStringList{QStringLiteral("--data"), QStringLiteral("{data}/nowhere")} << 1
        << QStringList{QStringLiteral("/data/nowhere: no such folder")};
    QTest::newRow("validation range beyond the training file")
        << QStringLiteral("none")
        << QStringList{QStringLiteral("--data"), QStringLiteral("{data}"), QStringLiteral("--train"),
                       QStringLiteral("0:200"), QStringLiteral("--val"), QStringLiteral("200:400")}
        << 2 << QStringList{QStringLiteral("must lie within the 300 images of the training file")};
}

void TestCli::dropoutDataErrorsLeaveNoFile()
{
    QFETCH(QString, damage);
    QFETCH(QStringList, options);
    QFETCH(int, expectedExit);
    QFETCH(QStringList, messageParts);

    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString dataDir = temp.filePath(QStringLiteral("data"));
    const bool compressed = damage.startsWith(QStringLiteral("gzip"));
    QVERIFY(writeMnistFolder(dataDir, compressed));
    const auto path = [&](const QString& name) { return dataDir + QLatin1Char('/') + name; };
    if (damage == QStringLiteral("truncate train-images-idx3-ubyte")) {
        QFile file(path(QStringLiteral("train-images-idx3-ubyte")));
        QVERIFY(file.resize(16 + 10800 / 2));
    } else if (damage == QStringLiteral("gzip, truncate t10k-images-idx3-ubyte.gz")) {
        QFile file(path(QStringLiteral("t10k-images-idx3-ubyte.gz")));
        QVERIFY(file.resize(file.size() / 2));
    } else if (damage == QStringLiteral("label 12 in t10k-labels-idx1-ubyte")) {
        QByteArray labels = makeImages(kTestImages, 2).labels;
        labels[8 + 37] = char(12);
        QVERIFY(writeFile(path(QStringLiteral("t10k-labels-idx1-ubyte")), labels));
    } else if (damage == QStringLiteral("remove train-labels-idx1-ubyte")) {
        QVERIFY(QFile::remove(path(QStringLiteral("train-labels-idx1-ubyte"))));
    }
    options.replaceInStrings(QStringLiteral("{data}"), dataDir);

    const QString outDir = temp.filePath(QStringLiteral("out"));
    const CliRun run = runCli(QStringList{QStringLiteral("dropout")} + dropoutSizeArgs().mid(0, 2) + options +
                              QStringList{QStringLiteral("--out"), outDir});
    QVERIFY2(run.exitedNormally, describe(run));
    QVERIFY2(run.exitCode == expectedExit, describe(run));
    const QStringList errLines = lines(run.err);
    QVERIFY2(errLines.size() == 1 && errLines.front().startsWith(QStringLiteral("error: ")), describe(run));
    for (const QString& part : messageParts)
        QVERIFY2(errLines.front().contains(part),
                 qPrintable(part + QStringLiteral(" missing\n") + QString::fromUtf8(describe(run))));
    QVERIFY2(run.out.isEmpty(), describe(run));
    QVERIFY2(resultFilesUnder(temp.path()).isEmpty(), qPrintable(resultFilesUnder(temp.path()).join(u' ')));
    QVERIFY2(!QFileInfo::exists(outDir), "a failed command left its output folder behind");
}

void TestCli::dropoutBenchmarkReports()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString dataDir = temp.filePath(QStringLiteral("data"));
    QVERIFY(writeMnistFolder(dataDir));
    const QString work = temp.filePath(QStringLiteral("work"));
    const QString tmp = temp.filePath(QStringLiteral("tmp"));
    QVERIFY(QDir().mkpath(work) && QDir().mkpath(tmp));
    // The benchmark keeps its checkpoints under $TMPDIR and must take them away again.
    QProcessEnvironment environment = testEnvironment();
    environment.insert(QStringLiteral("TMPDIR"), tmp);
    const CliRun run = runCli(QStringList{QStringLiteral("dropout"), QStringLiteral("--benchmark"),
                                          QStringLiteral("--data"), dataDir} +
                                  QStringLiteral("--hidden 16,16 --train 0:200 --val 200:300 --threads 1")
                                      .split(QLatin1Char(' ')),
                              environment, work);
    QVERIFY2(run.exitedNormally && run.exitCode == 0, describe(run));
    for (const char* part :
         {"(a) one training epoch at batch 8", "steps/s", "./setup.sh bench", "(b) MC passes over 100 test images",
          "100x36 * 36x16", "FLOP-weighted harmonic mean", "of the GEMM rate (target >= 80 %)",
          "(c) p = 0.5 checkpoint", "fp32 %", "bf16 %", "binomial standard error sqrt(acc(1-acc)/N)",
          "2 standard errors at every T"})
        QVERIFY2(run.out.contains(QLatin1String(part)), qPrintable(QLatin1String(part) + QStringLiteral(" missing\n") +
                                                                   run.out));
    QVERIFY2(QDir(work).isEmpty(), "--benchmark wrote a file");
    QVERIFY2(QDir(tmp).isEmpty(), "--benchmark left its checkpoints behind");
}

namespace {

// What the window's File > Save experiment writes for a deep run (experimentFileJson), at a tiny size.
QByteArray deepExperimentJson(const QString& extraSetting = {})
{
    return QStringLiteral(R"({
  "initlab_experiment": 1,
  "experiment": "deep",
  "settings": {
    "combinations": [["xavier_normal", "tanh"], ["xavier_normal", "relu"]],
    "depth": 3,
    "width": 8,
    "batch": 16,
    "seed": 4,
    "threads": 1,
    "chunk": 0,
    "sigma": 0.1%1
  }
}
)")
        .arg(extraSetting)
        .toUtf8();
}

} // namespace

// The file's settings are the run's, and an option on the command line overrides the file's value.
void TestCli::deepConfigIsTheStartingPoint()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString config = temp.filePath(QStringLiteral("deep.json"));
    QVERIFY(writeFile(config, deepExperimentJson()));

    const QString fromFile = temp.filePath(QStringLiteral("file"));
    const CliRun run = runCli({QStringLiteral("deep"), QStringLiteral("--config"), config, QStringLiteral("--out"),
                               fromFile});
    QVERIFY2(run.exitedNormally && run.exitCode == 0, describe(run));
    const Csv csv = readCsv(fromFile + QStringLiteral("/deep.csv"));
    QCOMPARE(csv.header, kDeepHeader);
    QCOMPARE(csv.rows.size(), 2 * 3); // the file's two combinations at its depth
    for (qsizetype i = 0; i < csv.rows.size(); ++i)
        QCOMPARE(csv.rows[i][0] + QLatin1Char(',') + csv.rows[i][1],
                 i < 3 ? QStringLiteral("xavier_normal,tanh") : QStringLiteral("xavier_normal,relu"));
    QVERIFY2(run.err.contains(QStringLiteral("depth 3, width 8, batch 16")), describe(run));

    // The same settings as options give the same numbers: width, batch and seed came from the file too.
    const QString fromOptions = temp.filePath(QStringLiteral("options"));
    const CliRun same = runCli(QStringLiteral("deep --init xavier_normal --activation tanh,relu --depth 3 --width 8 "
                                              "--batch 16 --seed 4 --threads 1 --out")
                                   .split(QLatin1Char(' ')) +
                               QStringList{fromOptions});
    QVERIFY2(same.exitedNormally && same.exitCode == 0, describe(same));
    QCOMPARE(readAll(fromOptions + QStringLiteral("/deep.csv")), readAll(fromFile + QStringLiteral("/deep.csv")));

    // Options override the file; --init and --activation replace its combinations.
    const QString overridden = temp.filePath(QStringLiteral("overridden"));
    const CliRun override = runCli({QStringLiteral("deep"), QStringLiteral("--depth"), QStringLiteral("2"),
                                    QStringLiteral("--config"), config, QStringLiteral("--init"),
                                    QStringLiteral("zeros"), QStringLiteral("--activation"), QStringLiteral("selu"),
                                    QStringLiteral("--out"), overridden});
    QVERIFY2(override.exitedNormally && override.exitCode == 0, describe(override));
    const Csv overriddenCsv = readCsv(overridden + QStringLiteral("/deep.csv"));
    QCOMPARE(overriddenCsv.rows.size(), 2);
    for (const QStringList& row : overriddenCsv.rows)
        QCOMPARE(row[0] + QLatin1Char(',') + row[1], QStringLiteral("zeros,selu"));
    QVERIFY2(override.err.contains(QStringLiteral("depth 2, width 8, batch 16")), describe(override));
}

void TestCli::badConfigIsUsageError_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QByteArray>("content"); // empty: no file at all
    QTest::addColumn<QString>("messagePart"); // {file} is the file's path

    QTest::newRow("missing file") << QStringLiteral("deep") << QByteArray()
                                  << QStringLiteral("cannot read experiment file '{file}': no such file");
    QTest::newRow("syntax error") << QStringLiteral("deep") << QByteArray("{\n  \"initlab_experiment\": 1,\n  \"exp")
                                  << QStringLiteral("{file}: not valid JSON (line 3)");
    QTest::newRow("wrong type") << QStringLiteral("deep") << deepExperimentJson().replace("\"depth\": 3", "\"depth\": \"3\"")
                                << QStringLiteral("{file}: settings.depth: expected an integer, got \"3\"");
    QTest::newRow("out of range") << QStringLiteral("deep") << deepExperimentJson().replace("\"width\": 8", "\"width\": 0")
                                  << QStringLiteral("{file}: settings.width: 0 is out of range");
    QTest::newRow("circles file for deep") << QStringLiteral("deep")
                                           << QByteArray(R"({"initlab_experiment": 1, "experiment": "circles"})")
                                           << QStringLiteral("{file} is a circles experiment, not deep");
    QTest::newRow("deep file for dropout") << QStringLiteral("dropout") << deepExperimentJson()
                                           << QStringLiteral("{file} is a deep experiment, not dropout");
    QTest::newRow("circles: wrong type") << QStringLiteral("circles")
                                         << QByteArray(R"({"initlab_experiment": 1, "experiment": "circles",
                                                          "settings": {"seeds": [1]}})")
                                         << QStringLiteral("{file}: settings.seeds: expected an integer");
    // Files no InitLab wrote: refused the same way, whatever is in them.
    QTest::newRow("number too large") << QStringLiteral("deep")
                                      << deepExperimentJson().replace("\"depth\": 3", "\"depth\": 1e999")
                                      << QStringLiteral("{file}: a number on line 6 is too large (1e999)");
    QTest::newRow("nested 100000 deep") << QStringLiteral("deep") << QByteArray(100000, '[') + QByteArray(100000, ']')
                                        << QStringLiteral("{file}: nested more than 64 levels deep (line 1)");
    QTest::newRow("nested 100000 deep, unclosed")
        << QStringLiteral("deep") << deepExperimentJson().replace("\"depth\": 3", "\"depth\": " + QByteArray(100000, '['))
        << QStringLiteral("{file}: nested more than 64 levels deep (line 6)");
    QTest::newRow("truncated") << QStringLiteral("deep") << deepExperimentJson().left(150)
                               << QStringLiteral("{file}: not valid JSON (line 6)");
    QTest::newRow("invalid UTF-8") << QStringLiteral("deep")
                                   << deepExperimentJson().replace("\"tanh\"", "\"ta\xffnh\"")
                                   << QStringLiteral("{file}: not valid UTF-8 (line 5)");
    QTest::newRow("wrong type deep inside")
        << QStringLiteral("deep") << deepExperimentJson().replace("[\"xavier_normal\", \"relu\"]", "[\"xavier_normal\", [2]]")
        << QStringLiteral("{file}: settings.combinations[1]: expected [\"init\", \"activation\"], got [\"xavier_normal\",[2]]");
    QTest::newRow("larger than 16 MB") << QStringLiteral("deep") << QByteArray(17 << 20, ' ')
                                       << QStringLiteral("{file}: larger than 16 MB");
}

// A bad experiment file stops the command before it runs: exit 2, one error line naming the file
// (and the key), no CSV, no output folder, no run record.
void TestCli::badConfigIsUsageError()
{
    QFETCH(QString, command);
    QFETCH(QByteArray, content);
    QFETCH(QString, messagePart);

    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString config = temp.filePath(QStringLiteral("experiment.json"));
    if (!content.isEmpty())
        QVERIFY(writeFile(config, content));
    const QString outDir = temp.filePath(QStringLiteral("out"));
    const QString runs = temp.filePath(QStringLiteral("runs"));
    const CliRun run = runCli({command, QStringLiteral("--config"), config, QStringLiteral("--out"), outDir},
                              environmentWithRuns(runs));
    QVERIFY2(run.exitedNormally && run.exitCode == 2, describe(run));
    const QStringList errLines = lines(run.err);
    QVERIFY2(errLines.size() == 1 && errLines.front().startsWith(QStringLiteral("error: ")), describe(run));
    QVERIFY2(errLines.front().contains(QString(messagePart).replace(QStringLiteral("{file}"), config)), describe(run));
    QVERIFY2(run.out.isEmpty(), describe(run));
    QVERIFY2(resultFilesUnder(temp.path()).isEmpty(), qPrintable(resultFilesUnder(temp.path()).join(u' ')));
    QVERIFY(!QFileInfo::exists(outDir));
    QVERIFY(!QFileInfo::exists(runs));
}

void TestCli::unknownConfigKeyWarns()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString config = temp.filePath(QStringLiteral("deep.json"));
    QVERIFY(writeFile(config, deepExperimentJson(QStringLiteral(",\n    \"xyz\": 1"))));
    const QString outDir = temp.filePath(QStringLiteral("out"));
    const CliRun run = runCli({QStringLiteral("deep"), QStringLiteral("--config"), config, QStringLiteral("--out"),
                               outDir});
    QVERIFY2(run.exitedNormally && run.exitCode == 0, describe(run));
    const QStringList warnings = lines(run.err).filter(QRegularExpression(QStringLiteral("^warning:")));
    QCOMPARE(warnings, QStringList{QStringLiteral("warning: ") + config +
                                   QStringLiteral(": unknown key settings.xyz (ignored)")});
    QCOMPARE(readCsv(outDir + QStringLiteral("/deep.csv")).rows.size(), 6);
}

void TestCli::circlesConfigAndRecord()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString config = temp.filePath(QStringLiteral("circles.json"));
    QVERIFY(writeFile(config, R"({"initlab_experiment": 1, "experiment": "circles", "settings": {
        "data": {"train": 20, "validation": 10, "test": 50}, "inits": ["xavier_uniform", "zeros"],
        "normalizations": ["standard"], "seeds": 2, "epochs": 20, "resolution": 8, "threads": 1,
        "success_threshold": 0.5}})"));
    const QString outDir = temp.filePath(QStringLiteral("out"));
    const QString runs = temp.filePath(QStringLiteral("runs"));
    // --seeds overrides the file's 2; its inits and normalizations stay.
    const CliRun run = runCli({QStringLiteral("circles"), QStringLiteral("--config"), config, QStringLiteral("--seeds"),
                               QStringLiteral("1"), QStringLiteral("--out"), outDir},
                              environmentWithRuns(runs));
    QVERIFY2(run.exitedNormally && run.exitCode == 0, describe(run));
    const Csv summary = readCsv(outDir + QStringLiteral("/circles_summary.csv"));
    QCOMPARE(summary.rows.size(), 2);
    QCOMPARE(summary.rows[0].mid(0, 3), (QStringList{QStringLiteral("standard"), QStringLiteral("xavier_uniform"),
                                                     QStringLiteral("0")}));
    QCOMPARE(summary.rows[1].mid(0, 2), (QStringList{QStringLiteral("standard"), QStringLiteral("zeros")}));
    QVERIFY2(run.out.contains(QStringLiteral("test accuracy >= 0.5")), describe(run)); // the file's threshold

    const QStringList records = recordsIn(runs);
    QCOMPARE(records.size(), 1);
    const QString record = runs + QLatin1Char('/') + records.front();
    for (const QString& file : {QStringLiteral("circles_history.csv"), QStringLiteral("circles_summary.csv")})
        QCOMPARE(readAll(record + QLatin1Char('/') + file), readAll(outDir + QLatin1Char('/') + file));
    const QJsonObject settings =
        readJsonObject(record + QStringLiteral("/experiment.json")).value(QStringLiteral("settings")).toObject();
    QCOMPARE(settings.value(QStringLiteral("seeds")).toInt(), 1);
    QCOMPARE(settings.value(QStringLiteral("epochs")).toInt(), 20);
    QCOMPARE(settings.value(QStringLiteral("success_threshold")).toDouble(), 0.5);
    QCOMPARE(readJsonObject(record + QStringLiteral("/run.json")).value(QStringLiteral("experiment")).toString(),
             QStringLiteral("circles"));
}

// The file's data folder is used when --data is not given; the record keeps it.
void TestCli::dropoutConfigGivesDataFolder()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString dataDir = temp.filePath(QStringLiteral("data"));
    QVERIFY(writeMnistFolder(dataDir));
    const QString config = temp.filePath(QStringLiteral("dropout.json"));
    QVERIFY(writeFile(config, QStringLiteral(R"({"initlab_experiment": 1, "experiment": "dropout", "settings": {
        "data_folder": "%1", "p": [0.2], "hidden": [16, 16], "epochs": 1, "train": [0, 200],
        "validation": [200, 300], "ensemble": [2, 5], "init": "kaiming_uniform", "learning_rate": 0.003,
        "gallery": 3, "threads": 1}})")
                                  .arg(dataDir)
                                  .toUtf8()));
    const QString outDir = temp.filePath(QStringLiteral("out"));
    const QString runs = temp.filePath(QStringLiteral("runs"));
    const CliRun run = runCli({QStringLiteral("dropout"), QStringLiteral("--config"), config, QStringLiteral("--out"),
                               outDir},
                              environmentWithRuns(runs));
    QVERIFY2(run.exitedNormally && run.exitCode == 0, describe(run));
    QVERIFY2(run.err.contains(QStringLiteral("MNIST-format data from ") + dataDir), describe(run));
    QCOMPARE(readCsv(outDir + QStringLiteral("/ensemble.csv")).rows.size(), 3); // single, T=2, T=5 for one p

    const QStringList records = recordsIn(runs);
    QCOMPARE(records.size(), 1);
    const QString record = runs + QLatin1Char('/') + records.front();
    for (const QString& file : {QStringLiteral("dropout_history.csv"), QStringLiteral("ensemble.csv"),
                                QStringLiteral("ensemble_curve.csv")})
        QCOMPARE(readAll(record + QLatin1Char('/') + file), readAll(outDir + QLatin1Char('/') + file));
    const QJsonObject settings =
        readJsonObject(record + QStringLiteral("/experiment.json")).value(QStringLiteral("settings")).toObject();
    QCOMPARE(settings.value(QStringLiteral("data_folder")).toString(), dataDir);
    QCOMPARE(settings.value(QStringLiteral("epochs")).toInt(), 1);
}

// A record holds the experiment, the run and its CSV files; its experiment.json runs the same
// experiment again.
void TestCli::runRecordHoldsTheRun()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString runs = temp.filePath(QStringLiteral("runs"));
    const QString outDir = temp.filePath(QStringLiteral("out"));
    const CliRun run = runCli(QStringList{QStringLiteral("deep"), QStringLiteral("--init"), QStringLiteral("orthogonal"),
                                          QStringLiteral("--activation"), QStringLiteral("tanh,relu")} +
                                  deepSizeArgs() + QStringList{QStringLiteral("--out"), outDir},
                              environmentWithRuns(runs));
    QVERIFY2(run.exitedNormally && run.exitCode == 0, describe(run));

    const QStringList records = recordsIn(runs);
    QCOMPARE(records.size(), 1);
    QVERIFY2(records.front().endsWith(QStringLiteral("-deep")), qPrintable(records.front()));
    const QString record = runs + QLatin1Char('/') + records.front();
    QCOMPARE(lines(run.err).constLast(), QStringLiteral("run record: ") + record);
    QCOMPARE(QDir(record).entryList(QDir::Files, QDir::Name),
             (QStringList{QStringLiteral("deep.csv"), QStringLiteral("experiment.json"), QStringLiteral("run.json")}));
    QCOMPARE(readAll(record + QStringLiteral("/deep.csv")), readAll(outDir + QStringLiteral("/deep.csv")));

    const QJsonObject info = readJsonObject(record + QStringLiteral("/run.json"));
    QCOMPARE(info.value(QStringLiteral("experiment")).toString(), QStringLiteral("deep"));
    QCOMPARE(info.value(QStringLiteral("status")).toString(), QStringLiteral("finished"));
    QCOMPARE(info.value(QStringLiteral("threads")).toInt(), 1);
    QVERIFY(!info.value(QStringLiteral("blas")).toString().isEmpty());
    QVERIFY(info.value(QStringLiteral("summary")).toString().contains(QStringLiteral("2 combinations, depth 4")));

    const QJsonObject experiment = readJsonObject(record + QStringLiteral("/experiment.json"));
    QCOMPARE(experiment.value(QStringLiteral("experiment")).toString(), QStringLiteral("deep"));
    const QJsonObject settings = experiment.value(QStringLiteral("settings")).toObject();
    QCOMPARE(settings.value(QStringLiteral("depth")).toInt(), 4);
    QCOMPARE(settings.value(QStringLiteral("width")).toInt(), 16);
    QCOMPARE(settings.value(QStringLiteral("combinations")).toArray().size(), 2);

    // The record's experiment.json as --config repeats the run: the same numbers, no warning.
    const QString again = temp.filePath(QStringLiteral("again"));
    const CliRun repeat = runCli({QStringLiteral("deep"), QStringLiteral("--config"),
                                  record + QStringLiteral("/experiment.json"), QStringLiteral("--no-record"),
                                  QStringLiteral("--out"), again},
                                 environmentWithRuns(runs));
    QVERIFY2(repeat.exitedNormally && repeat.exitCode == 0, describe(repeat));
    QVERIFY2(!repeat.err.contains(QStringLiteral("warning")), describe(repeat));
    QCOMPARE(readAll(again + QStringLiteral("/deep.csv")), readAll(outDir + QStringLiteral("/deep.csv")));
    QCOMPARE(recordsIn(runs).size(), 1); // --no-record left none
    QVERIFY2(!repeat.err.contains(QStringLiteral("run record")), describe(repeat));
}

// --runs-folder, else INITLAB_RUNS_FOLDER, else $XDG_DATA_HOME/initlab/runs; a runs folder that
// cannot be written is a warning, not a failure. (benchmarkReportsRates: a benchmark leaves none.)
void TestCli::runRecordFolderChoice()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QStringList deep = QStringList{QStringLiteral("deep"), QStringLiteral("--init"), QStringLiteral("zeros"),
                                         QStringLiteral("--activation"), QStringLiteral("relu")} +
                             deepSizeArgs();
    const QString fromEnvironment = temp.filePath(QStringLiteral("env-runs"));
    const QString fromOption = temp.filePath(QStringLiteral("option-runs"));

    CliRun run = runCli(deep + QStringList{QStringLiteral("--runs-folder"), fromOption, QStringLiteral("--out"),
                                           temp.filePath(QStringLiteral("a"))},
                        environmentWithRuns(fromEnvironment));
    QVERIFY2(run.exitedNormally && run.exitCode == 0, describe(run));
    QCOMPARE(recordsIn(fromOption).size(), 1);
    QVERIFY(!QFileInfo::exists(fromEnvironment));

    QProcessEnvironment xdgOnly = testEnvironment();
    xdgOnly.remove(QStringLiteral("INITLAB_RUNS_FOLDER"));
    xdgOnly.insert(QStringLiteral("XDG_DATA_HOME"), temp.filePath(QStringLiteral("xdg")));
    run = runCli(deep + QStringList{QStringLiteral("--out"), temp.filePath(QStringLiteral("b"))}, xdgOnly);
    QVERIFY2(run.exitedNormally && run.exitCode == 0, describe(run));
    QCOMPARE(recordsIn(temp.filePath(QStringLiteral("xdg/initlab/runs"))).size(), 1);

    const QString regularFile = temp.filePath(QStringLiteral("file.txt"));
    QVERIFY(writeFile(regularFile, "not a folder\n"));
    const QString outDir = temp.filePath(QStringLiteral("c"));
    run = runCli(deep + QStringList{QStringLiteral("--out"), outDir},
                 environmentWithRuns(regularFile + QStringLiteral("/runs")));
    QVERIFY2(run.exitedNormally && run.exitCode == 0, describe(run));
    QVERIFY2(lines(run.err).constLast().startsWith(QStringLiteral("warning: run record not written: ")), describe(run));
    QVERIFY2(!run.err.contains(QStringLiteral("error")), describe(run));
    QCOMPARE(readCsv(outDir + QStringLiteral("/deep.csv")).rows.size(), 4);
}

// A checkpoint whose bytes changed after it was written is refused with one line naming the file
// and the damage, before the data are read, and nothing is written.
void TestCli::dropoutDamagedCheckpointIsRefused()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString dataDir = temp.filePath(QStringLiteral("data"));
    QVERIFY(writeMnistFolder(dataDir));
    const QString trained = temp.filePath(QStringLiteral("trained"));
    const CliRun training = runCli(QStringList{QStringLiteral("dropout"), QStringLiteral("--data"), dataDir,
                                               QStringLiteral("--p"), QStringLiteral("0.5")} +
                                   dropoutSizeArgs() +
                                   QStringList{QStringLiteral("--no-record"), QStringLiteral("--out"), trained});
    QVERIFY2(training.exitedNormally && training.exitCode == 0, describe(training));
    const QString checkpoint = trained + QStringLiteral("/checkpoints/") + checkpointName(QStringLiteral("0.5"));
    QByteArray bytes = readAll(checkpoint);
    QVERIFY(bytes.size() > 4000);
    // 200 bytes among the last weights, as a bad copy or a bad sector would change them.
    std::mt19937 random(7);
    for (int i = 0; i < 200; ++i) {
        const qsizetype at = bytes.size() - 5 - qsizetype(random() % 3000);
        bytes[at] = char(bytes[at] ^ 0x5A);
    }
    QVERIFY(writeFile(checkpoint, bytes));

    const QString outDir = temp.filePath(QStringLiteral("out"));
    const CliRun run = runCli({QStringLiteral("dropout"), QStringLiteral("--data"), dataDir,
                               QStringLiteral("--checkpoint"), checkpoint, QStringLiteral("--ensemble"),
                               QStringLiteral("2,5"), QStringLiteral("--out"), outDir});
    QVERIFY2(run.exitedNormally && run.exitCode == 1, describe(run));
    QCOMPARE(lines(run.err), QStringList{QStringLiteral("error: ") + checkpoint +
                                         QStringLiteral(": checksum mismatch: the file is damaged (written by "
                                                        "InitLab " INITLAB_VERSION ")")});
    QVERIFY2(run.out.isEmpty(), describe(run));
    QVERIFY2(!QFileInfo::exists(outDir), "a refused checkpoint left its output folder behind");
}

// A best checkpoint that cannot be written (a file-size limit here; a full disk is the same) fails
// the run: exit 1, an error naming the file and the system's reason, no checkpoint or CSV left in
// --out, and a run record that says the run failed and why.
void TestCli::dropoutFailedCheckpointWriteFailsTheRun()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString dataDir = temp.filePath(QStringLiteral("data"));
    QVERIFY(writeMnistFolder(dataDir));
    const QString runs = temp.filePath(QStringLiteral("runs"));
    const QString outDir = temp.filePath(QStringLiteral("out"));
    QStringList sizes = dropoutSizeArgs();
    sizes[sizes.indexOf(QStringLiteral("--hidden")) + 1] = QStringLiteral("64,64"); // a 29 KB checkpoint
    // 16 KB: too little for the checkpoint, plenty for the CSV files and the run record.
    const CliRun run = runCliWithFileSizeLimit(
        16384, QStringList{QStringLiteral("dropout"), QStringLiteral("--data"), dataDir, QStringLiteral("--p"),
                           QStringLiteral("0.5")} +
                   sizes + QStringList{QStringLiteral("--runs-folder"), runs, QStringLiteral("--out"), outDir});
    QVERIFY2(run.exitedNormally && run.exitCode == 1, describe(run));
    // The file is named where it would have been, not in the run's staging folder.
    const QString reason = outDir + QStringLiteral("/checkpoints/") + checkpointName(QStringLiteral("0.5")) +
                           QStringLiteral(": File too large");
    const QStringList errors = lines(run.err).filter(QRegularExpression(QStringLiteral("^error: ")));
    QVERIFY2(errors.size() == 1, describe(run));
    QVERIFY2(errors.front().startsWith(QStringLiteral("error: p = 0.5, epoch 1: cannot write ")), describe(run));
    QVERIFY2(errors.front().endsWith(reason), describe(run));
    QVERIFY2(run.out.isEmpty(), describe(run));
    QVERIFY2(resultFilesUnder(outDir).isEmpty(), qPrintable(resultFilesUnder(outDir).join(u' ')));

    const QStringList records = recordsIn(runs);
    QCOMPARE(records.size(), 1);
    const QString status =
        readJsonObject(runs + QLatin1Char('/') + records.front() + QStringLiteral("/run.json"))
            .value(QStringLiteral("status"))
            .toString();
    QVERIFY2(status.startsWith(QStringLiteral("failed: p = 0.5, epoch 1: cannot write ")) && status.endsWith(reason),
             qPrintable(status));
}

// A thread count beyond the machine's hardware threads is one warning, and the run goes on with the
// hardware threads, which its header and its record say; the same count from --config too.
void TestCli::threadsBeyondTheHardwareAreCapped()
{
    const int hardware = int(std::thread::hardware_concurrency());
    if (hardware < 1 || hardware >= 1000)
        QSKIP("needs a known hardware thread count below 1000");
    const QString used = QString::number(hardware);
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString runs = temp.filePath(QStringLiteral("runs"));
    const QString config = temp.filePath(QStringLiteral("deep.json"));
    QVERIFY(writeFile(config, deepExperimentJson().replace("\"threads\": 1,", "\"threads\": 1000,")));

    const QStringList fromOption{QStringLiteral("deep"), QStringLiteral("--init"), QStringLiteral("kaiming_normal"),
                                 QStringLiteral("--activation"), QStringLiteral("relu"), QStringLiteral("--depth"),
                                 QStringLiteral("4"), QStringLiteral("--width"), QStringLiteral("16"),
                                 QStringLiteral("--batch"), QStringLiteral("32"), QStringLiteral("--threads"),
                                 QStringLiteral("1000")};
    const QStringList fromFile{QStringLiteral("deep"), QStringLiteral("--config"), config};
    const QString why = QStringLiteral(" is more than the %1 hardware threads; using %1").arg(used);
    const QList<std::pair<QStringList, QString>> cases{
        {fromOption, QStringLiteral("warning: --threads 1000") + why},
        {fromFile, QStringLiteral("warning: the experiment file's threads 1000") + why},
    };
    for (const auto& [args, warning] : cases) {
        const QString outDir = temp.filePath(QStringLiteral("out-%1").arg(recordsIn(runs).size()));
        const CliRun run = runCli(args + QStringList{QStringLiteral("--runs-folder"), runs, QStringLiteral("--out"),
                                                     outDir});
        QVERIFY2(run.exitedNormally && run.exitCode == 0, describe(run));
        QCOMPARE(lines(run.err).filter(QRegularExpression(QStringLiteral("^warning:"))), QStringList{warning});
        QVERIFY2(run.err.contains(QRegularExpression(QStringLiteral("^BLAS: .*, %1 torch threads?$").arg(used),
                                                     QRegularExpression::MultilineOption)),
                 describe(run));
        QVERIFY(QFileInfo::exists(outDir + QStringLiteral("/deep.csv")));
        const QString record = runs + QLatin1Char('/') + recordsIn(runs).constLast();
        QCOMPARE(readJsonObject(record + QStringLiteral("/run.json")).value(QStringLiteral("threads")).toInt(),
                 hardware);
        QCOMPARE(readJsonObject(record + QStringLiteral("/experiment.json"))
                     .value(QStringLiteral("settings"))
                     .toObject()
                     .value(QStringLiteral("threads"))
                     .toInt(),
                 hardware);
    }
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"

// Dropout and MC-dropout ensembles on small generated MNIST-format data: masks, training, the best
// checkpoint, running ensemble averages, averaging modes, divergence and bad configurations.

#include "dropout_kernel.h"
#include "filesizelimit.h"
#include "initlab/dropout.h"
#include "tolerance.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <zlib.h>

using namespace initlab;

namespace {

// Ten classes of 6 x 6 images: class c lights pixels c and c + 18 on a noisy background.
ImageSet makeImages(int count, unsigned seed)
{
    ImageSet set;
    set.count = count;
    set.rows = 6;
    set.cols = 6;
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> noise(0, 60);
    for (int i = 0; i < count; ++i) {
        const int label = i % 10;
        for (int px = 0; px < 36; ++px)
            set.pixels.push_back(static_cast<std::uint8_t>(px == label || px == label + 18 ? 255 : noise(random)));
        set.labels.push_back(static_cast<std::uint8_t>(label));
    }
    return set;
}

MnistDataset makeData()
{
    MnistDataset d;
    d.train = makeImages(600, 1);
    d.test = makeImages(200, 2);
    d.kind = DatasetKind::Unknown;
    for (int c = 0; c < 10; ++c)
        d.classNames.push_back("class " + std::to_string(c));
    return d;
}

DropoutConfig smallConfig()
{
    DropoutConfig c;
    c.ps = {0.0, 0.5};
    c.hidden = {32, 32};
    c.init = InitScheme::KaimingUniform;
    c.learningRate = 3e-3;
    c.epochs = 4;
    c.trainBegin = 0;
    c.trainEnd = 400;
    c.validationBegin = 400;
    c.validationEnd = 600;
    c.ensembleSizes = {5, 20};
    c.galleryCount = 5;
    c.threads = 1;
    return c;
}

DropoutResult run(const DropoutConfig& c, const MnistDataset& d)
{
    CancelFlag cancel{false};
    return runDropout(c, d, nullptr, cancel);
}

// A checkpoint of the given header with weights of the right count.
std::string writeTestCheckpoint(const QTemporaryDir& dir, double p, int epoch, const std::vector<int>& sizes)
{
    DropoutCheckpoint c;
    c.p = p;
    c.epoch = epoch;
    c.sizes = sizes;
    c.parameters.assign(std::size_t(parameterCount(sizes)), 0.01f);
    const std::string path = dir.filePath(QStringLiteral("best.ckpt")).toStdString();
    return writeCheckpoint(path, c).empty() ? path : std::string();
}

// The checkpoint of a 36-64-32-10 net with weights that are not all alike, as a run would write.
DropoutCheckpoint variedCheckpoint()
{
    DropoutCheckpoint c;
    c.p = 0.2;
    c.epoch = 3;
    c.sizes = {36, 64, 32, 10};
    std::mt19937 random(11);
    std::normal_distribution<float> weight(0.0f, 0.1f);
    c.parameters.resize(std::size_t(parameterCount(c.sizes)));
    for (float& w : c.parameters)
        w = weight(random);
    return c;
}

QByteArray fileBytes(const std::string& path)
{
    QFile file(QString::fromStdString(path));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeBytes(const std::string& path, const QByteArray& bytes)
{
    QFile file(QString::fromStdString(path));
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

template <typename T>
void put(QByteArray& bytes, T value)
{
    bytes.append(reinterpret_cast<const char*>(&value), sizeof value);
}

// Format 1 as its writer made it: magic, p, best epoch, layer count and sizes, parameter count,
// weights; no version field and no checksum.
QByteArray formatOneBytes(const DropoutCheckpoint& c)
{
    QByteArray bytes("INLBCKP1", 8);
    put(bytes, c.p);
    put(bytes, std::int32_t(c.epoch));
    put(bytes, std::int32_t(c.sizes.size()));
    for (int s : c.sizes)
        put(bytes, std::int32_t(s));
    put(bytes, std::uint64_t(c.parameters.size()));
    bytes.append(reinterpret_cast<const char*>(c.parameters.data()), qsizetype(c.parameters.size() * sizeof(float)));
    return bytes;
}

// The CRC-32 the format ends with, computed by zlib: the format is what the documentation says, not
// only what our reader agrees with.
std::uint32_t zlibCrc(const QByteArray& bytes)
{
    return std::uint32_t(crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(bytes.constData()),
                               uInt(bytes.size())));
}

// What a checkpoint evaluation asked for and reported.
struct EvaluationSink : CheckpointEvaluationSink {
    const MnistDataset* data = nullptr;
    CancelFlag* cancelAt = nullptr; // set once this share of the passes is done
    double cancelShare = 2.0;
    int dataAsked = 0;
    int begun = 0;
    int finished = 0;
    DropoutConfig shown;
    std::vector<int> reportedPasses;

    const MnistDataset* testData(std::string& error) override
    {
        ++dataAsked;
        if (!data)
            error = "the data cannot be read";
        return data;
    }
    void onBegin(const DropoutConfig& config, const DropoutCheckpoint&) override
    {
        ++begun;
        shown = config;
    }
    void onEnsemble(int run, int passes, double) override
    {
        QCOMPARE(run, 0);
        reportedPasses.push_back(passes);
    }
    void onRunFinished(int, const DropoutRunResult&) override { ++finished; }
    void onProgress(double fraction) override
    {
        if (cancelAt && fraction >= cancelShare)
            cancelAt->store(true);
    }
};

} // namespace

class TestDropout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void masksScaleByInverseKeepProbability_data()
    {
        QTest::addColumn<double>("p");
        QTest::newRow("0.2") << 0.2;
        QTest::newRow("0.5") << 0.5;
        QTest::newRow("0.9") << 0.9;
    }

    void masksScaleByInverseKeepProbability()
    {
        QFETCH(double, p);
        const int n = 1 << 20;
        std::vector<float> ones(n, 1.0f), out(n);
        dropoutApply(ones.data(), out.data(), 0, n, p, 42, 3);
        int dropped = 0;
        for (float v : out) {
            if (v == 0.0f)
                ++dropped;
            else
                INITLAB_COMPARE_REL(v, 1.0 / (1.0 - p), 1e-4); // p is resolved to 1/65536
        }
        QVERIFY(std::abs(double(dropped) / n - p) < 0.003);
        // The same elements whatever the split into chunks (threads), different for another stream.
        std::vector<float> halves(n);
        dropoutApply(ones.data(), halves.data(), 0, n / 3, p, 42, 3);
        dropoutApply(ones.data(), halves.data(), n / 3, n, p, 42, 3);
        QCOMPARE(halves, out);
        dropoutApply(ones.data(), halves.data(), 0, n, p, 42, 4);
        QVERIFY(halves != out);
    }

    void bf16MasksMatchFloatMasks()
    {
        const int n = 4096;
        std::vector<float> ones(n, 1.0f), out(n);
        std::vector<std::uint16_t> onesBf16(n, 0x3F80), outBf16(n); // 1.0 in bfloat16
        dropoutApply(ones.data(), out.data(), 0, n, 0.5, 7, 1);
        dropoutApplyBf16(onesBf16.data(), outBf16.data(), 0, n, 0.5, 7, 1);
        for (int i = 0; i < n; ++i)
            QCOMPARE(outBf16[i], std::uint16_t(out[i] == 0.0f ? 0 : 0x4000)); // 2.0 in bfloat16
    }

    void learnsAndReportsTheBestCheckpoint()
    {
        QTemporaryDir dir;
        DropoutConfig c = smallConfig();
        c.runFolder = dir.path().toStdString();
        const MnistDataset d = makeData();
        const DropoutResult r = run(c, d);
        QVERIFY2(r.error.empty(), r.error.c_str());
        QCOMPARE(r.runs.size(), std::size_t(2));
        for (const DropoutRunResult& run : r.runs) {
            QCOMPARE(run.history.size(), std::size_t(4));
            QVERIFY2(run.bestValAcc > 0.9, qPrintable(QString::number(run.bestValAcc)));
            double best = 0;
            int bestEpoch = 0;
            for (const DropoutEpoch& e : run.history)
                if (e.valAcc > best)
                    best = e.valAcc, bestEpoch = e.epoch;
            QCOMPARE(run.bestEpoch, bestEpoch);
            QCOMPARE(run.ensembleAcc.size(), std::size_t(20));
            QCOMPARE(run.confusion.size(), std::size_t(3)); // single pass, T = 5, T = 20
            int total = 0;
            for (int count : run.confusion[2].counts)
                total += count;
            QCOMPARE(total, 200);
            QCOMPARE(run.gallery.size(), std::size_t(5));
            QVERIFY(run.gallery[0].entropy >= run.gallery[4].entropy);
            QCOMPARE(run.gallery[0].pixels.size(), std::size_t(36));

            // The checkpoint on disk holds the best weights: its single pass matches the run's.
            DropoutCheckpoint checkpoint;
            std::string error;
            QVERIFY2(readCheckpoint(run.checkpointPath, checkpoint, error), error.c_str());
            QCOMPARE(checkpoint.sizes, (std::vector<int>{36, 32, 32, 10}));
            QCOMPARE(checkpoint.parameters.size(), std::size_t(36 * 32 + 32 + 32 * 32 + 32 + 32 * 10 + 10));
            QCOMPARE(checkpoint.epoch, run.bestEpoch);
            const EnsembleEvaluation again = evaluateEnsemble(checkpoint, d.test, 20, true, c.seed);
            QCOMPARE(again.singlePassAcc, run.singlePassAcc);
            QCOMPARE(again.ensembleAcc, run.ensembleAcc); // same seed: the same passes
        }
        // Without dropout every pass is the same net: the ensemble is the single pass.
        QCOMPARE(r.runs[0].ensembleAcc.back(), r.runs[0].singlePassAcc);
    }

    // A best checkpoint that cannot be written fails the run with the file and the system's reason,
    // whether the write itself fails (a file-size limit, as a full disk) or the rename into place
    // (a folder in the way); the p values done before it are kept.
    void failedCheckpointWriteFailsTheRun_data()
    {
        QTest::addColumn<QString>("obstacle");
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("reason"); // errno
        QTest::newRow("file-size limit") << QStringLiteral("limit") << QStringLiteral("best-p0.ckpt") << EFBIG;
        QTest::newRow("a folder in the way") << QStringLiteral("folder") << QStringLiteral("best-p0.5.ckpt") << EISDIR;
    }

    void failedCheckpointWriteFailsTheRun()
    {
        QFETCH(QString, obstacle);
        QFETCH(QString, file);
        QFETCH(int, reason);
        QTemporaryDir dir;
        DropoutConfig c = smallConfig();
        c.runFolder = dir.path().toStdString();
        const std::string path = dir.filePath(file).toStdString();
        DropoutResult r;
        if (obstacle == QStringLiteral("limit")) {
            const test::FileSizeLimit limit(4096); // a checkpoint of this net is 10 KB
            QVERIFY(limit.active());
            r = run(c, makeData());
        } else {
            QVERIFY(QDir(dir.path()).mkdir(file));
            r = run(c, makeData());
        }
        QCOMPARE(r.error, "p = " + file.mid(6, file.size() - 11).toStdString() + ", epoch 1: cannot write " + path
                              + ": " + std::strerror(reason));
        QVERIFY(!r.cancelled);
        const DropoutRunResult& failed = r.runs.back();
        QCOMPARE(failed.history.size(), std::size_t(1));
        QVERIFY(failed.checkpointPath.empty());
        QVERIFY(failed.ensembleAcc.empty());
        QVERIFY2(QString::fromStdString(failed.message).contains(QStringLiteral("stopped in epoch 1: its best weights "
                                                                                "could not be written")),
                 failed.message.c_str());
        if (obstacle == QStringLiteral("folder")) {
            QCOMPARE(r.runs.size(), std::size_t(2));
            QCOMPARE(r.runs[0].ensembleAcc.size(), std::size_t(20));
            QVERIFY(QFile::exists(QString::fromStdString(r.runs[0].checkpointPath)));
        } else {
            QCOMPARE(r.runs.size(), std::size_t(1));
        }
        // No temporary file is left behind, nor a checkpoint of the failed p.
        const QStringList left = QDir(dir.path()).entryList(QDir::Files | QDir::Hidden);
        QCOMPARE(left, obstacle == QStringLiteral("folder") ? QStringList{QStringLiteral("best-p0.ckpt")}
                                                            : QStringList{});
    }

    void runningAveragesArePrefixes()
    {
        const MnistDataset d = makeData();
        DropoutConfig c = smallConfig();
        c.ps = {0.5};
        c.runFolder.clear();
        QTemporaryDir dir;
        c.runFolder = dir.path().toStdString();
        const DropoutResult r = run(c, d);
        DropoutCheckpoint checkpoint;
        std::string error;
        QVERIFY(readCheckpoint(r.runs[0].checkpointPath, checkpoint, error));
        const EnsembleEvaluation five = evaluateEnsemble(checkpoint, d.test, 5, true, 9);
        const EnsembleEvaluation fifty = evaluateEnsemble(checkpoint, d.test, 50, true, 9);
        // The T = 5 ensemble is the first five passes of the T = 50 one.
        QCOMPARE(std::vector<double>(fifty.ensembleAcc.begin(), fifty.ensembleAcc.begin() + 5), five.ensembleAcc);
        const EnsembleEvaluation otherSeed = evaluateEnsemble(checkpoint, d.test, 50, true, 10);
        QVERIFY(otherSeed.ensembleAcc != fifty.ensembleAcc);
        // Evaluation with dropout off is deterministic.
        QCOMPARE(otherSeed.singlePassAcc, fifty.singlePassAcc);
        // One pass: the argmax of the softmax is the argmax of the logits; later the modes differ.
        const EnsembleEvaluation logits = evaluateEnsemble(checkpoint, d.test, 50, false, 9);
        QCOMPARE(logits.ensembleAcc[0], fifty.ensembleAcc[0]);
        QVERIFY(logits.ensembleAcc.size() == 50);
    }

    void bf16StaysCloseToFloat()
    {
        const MnistDataset d = makeData();
        DropoutConfig c = smallConfig();
        c.ps = {0.2};
        QTemporaryDir dir;
        c.runFolder = dir.path().toStdString();
        const DropoutResult r = run(c, d);
        DropoutCheckpoint checkpoint;
        std::string error;
        QVERIFY(readCheckpoint(r.runs[0].checkpointPath, checkpoint, error));
        const EnsembleEvaluation f32 = evaluateEnsemble(checkpoint, d.test, 20, true, 3, false);
        const EnsembleEvaluation b16 = evaluateEnsemble(checkpoint, d.test, 20, true, 3, true);
        QVERIFY2(std::abs(f32.ensembleAcc.back() - b16.ensembleAcc.back()) <= 0.03,
                 qPrintable(QStringLiteral("%1 vs %2").arg(f32.ensembleAcc.back()).arg(b16.ensembleAcc.back())));
    }

    void divergenceStopsOnlyThatRun()
    {
        const MnistDataset d = makeData();
        DropoutConfig c = smallConfig();
        c.ps = {0.0, 0.5};
        c.init = InitScheme::Normal;
        c.normalStd = 1e25; // logits overflow at once
        const DropoutResult r = run(c, d);
        QCOMPARE(r.runs.size(), std::size_t(2));
        for (const DropoutRunResult& run : r.runs) {
            QCOMPARE(run.divergedEpoch, 1);
            QVERIFY(QString::fromStdString(run.message).contains(QStringLiteral("diverged")));
            QVERIFY(run.history.empty());
        }
    }

    void badConfigsAreRefused_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("problem");
        QTest::newRow("p = 1") << 0 << QStringLiteral("[0, 1)");
        QTest::newRow("overlap") << 1 << QStringLiteral("overlap");
        QTest::newRow("beyond the file") << 2 << QStringLiteral("within the 600 images");
        QTest::newRow("batch 0") << 3 << QStringLiteral("batch");
        QTest::newRow("reversed range") << 4 << QStringLiteral("the training range 600-500 is empty");
    }

    void badConfigsAreRefused()
    {
        QFETCH(int, which);
        QFETCH(QString, problem);
        DropoutConfig c = smallConfig();
        if (which == 0)
            c.ps = {0.2, 1.0};
        if (which == 1)
            c.validationBegin = 300;
        if (which == 2)
            c.validationEnd = 700;
        if (which == 3)
            c.batch = 0;
        if (which == 4) {
            c.trainBegin = 600;
            c.trainEnd = 500;
        }
        const DropoutResult r = run(c, makeData());
        QVERIFY2(QString::fromStdString(r.error).contains(problem), r.error.c_str());
        QVERIFY(r.runs.empty());
    }

    void corruptCheckpointIsRefused()
    {
        QTemporaryDir dir;
        DropoutCheckpoint c;
        c.p = 0.2;
        c.epoch = 3;
        c.sizes = {4, 3, 2};
        c.parameters.assign(4 * 3 + 3 + 3 * 2 + 2, 0.5f);
        const std::string path = dir.filePath(QStringLiteral("a.ckpt")).toStdString();
        QCOMPARE(writeCheckpoint(path, c), std::string());
        DropoutCheckpoint back;
        std::string error;
        QVERIFY(readCheckpoint(path, back, error));
        QCOMPARE(back.parameters, c.parameters);
        QCOMPARE(back.p, 0.2);
        QFile::resize(QString::fromStdString(path), 40);
        QVERIFY(!readCheckpoint(path, back, error));
        QVERIFY(QString::fromStdString(error).contains(QStringLiteral("corrupt")));
    }

    // Format 2 as documented: magic, version, the file's size, the writer, the fields of format 1,
    // and a CRC-32 of everything before it; it reads back bit for bit.
    void checkpointRoundTripsInFormat2()
    {
        QTemporaryDir dir;
        const DropoutCheckpoint c = variedCheckpoint();
        const std::string path = dir.filePath(QStringLiteral("best-p0.2.ckpt")).toStdString();
        QCOMPARE(writeCheckpoint(path, c), std::string());
        const QByteArray bytes = fileBytes(path);
        QVERIFY(bytes.startsWith("INLBCKPT"));
        std::uint32_t version = 0;
        std::uint64_t size = 0;
        std::uint32_t crc = 0;
        std::memcpy(&version, bytes.constData() + 8, sizeof version);
        std::memcpy(&size, bytes.constData() + 12, sizeof size);
        std::memcpy(&crc, bytes.constData() + bytes.size() - 4, sizeof crc);
        QCOMPARE(version, std::uint32_t(2));
        QCOMPARE(size, std::uint64_t(bytes.size()));
        QCOMPARE(crc, zlibCrc(bytes.left(bytes.size() - 4)));
        QVERIFY(bytes.contains("InitLab " INITLAB_VERSION));
        // Format 1's fields follow the preamble and the writer's name unchanged, up to the checksum.
        QVERIFY(bytes.chopped(4).endsWith(formatOneBytes(c).mid(8)));

        DropoutCheckpoint back;
        std::string error;
        QVERIFY2(readCheckpoint(path, back, error), error.c_str());
        QCOMPARE(back.p, c.p);
        QCOMPARE(back.epoch, c.epoch);
        QCOMPARE(back.sizes, c.sizes);
        QCOMPARE(back.parameters, c.parameters);
    }

    // Bytes changed anywhere are found by the checksum before any field is believed, and the error
    // says the file is damaged and who wrote it; evaluateCheckpoint stops there, before the data.
    void flippedBytesAreFound_data()
    {
        QTest::addColumn<QString>("where");
        QTest::newRow("200 bytes of the weights") << QStringLiteral("weights");
        QTest::newRow("one bit of p") << QStringLiteral("p");
        QTest::newRow("one bit of a layer size") << QStringLiteral("size");
        QTest::newRow("the version") << QStringLiteral("version");
        QTest::newRow("the checksum") << QStringLiteral("checksum");
    }

    void flippedBytesAreFound()
    {
        QFETCH(QString, where);
        QTemporaryDir dir;
        const DropoutCheckpoint c = variedCheckpoint();
        const std::string path = dir.filePath(QStringLiteral("best-p0.2.ckpt")).toStdString();
        QCOMPARE(writeCheckpoint(path, c), std::string());
        QByteArray bytes = fileBytes(path);
        const qsizetype weightsEnd = bytes.size() - 4;
        const qsizetype weightsBegin = weightsEnd - qsizetype(c.parameters.size() * sizeof(float));
        const QByteArray writer("InitLab " INITLAB_VERSION);
        const qsizetype pAt = bytes.indexOf(writer) + writer.size();
        if (where == QStringLiteral("weights")) {
            std::mt19937 random(5);
            std::uniform_int_distribution<qsizetype> at(weightsBegin, weightsEnd - 1);
            for (int i = 0; i < 200; ++i) {
                const qsizetype byte = at(random);
                bytes[byte] = char(bytes[byte] ^ 0x5A);
            }
        } else if (where == QStringLiteral("p")) {
            bytes[pAt + 7] = char(bytes[pAt + 7] ^ 0x01); // 0.2 becomes another p in [0, 1)
        } else if (where == QStringLiteral("size")) {
            bytes[pAt + 8 + 4 + 4 + 4] = char(bytes[pAt + 8 + 4 + 4 + 4] ^ 0x02); // 64 hidden units become 66
        } else if (where == QStringLiteral("version")) {
            bytes[8] = char(3);
        } else {
            bytes[bytes.size() - 1] = char(bytes[bytes.size() - 1] ^ 0x80);
        }
        QVERIFY(bytes != fileBytes(path));
        QVERIFY(writeBytes(path, bytes));

        DropoutCheckpoint back;
        std::string error;
        QVERIFY(!readCheckpoint(path, back, error));
        QCOMPARE(error, path + ": checksum mismatch: the file is damaged (written by InitLab " INITLAB_VERSION ")");

        const MnistDataset d = makeData();
        EvaluationSink sink;
        sink.data = &d;
        CancelFlag cancel{false};
        const DropoutResult r = evaluateCheckpoint(path, smallConfig(), sink, cancel);
        QCOMPARE(r.error, error);
        QCOMPARE(sink.dataAsked, 0);
        QVERIFY(r.runs.empty());
    }

    // A file cut off anywhere is refused, and the error says so.
    void truncatedCheckpointIsRefused_data()
    {
        QTest::addColumn<int>("keep"); // bytes kept; negative: bytes cut off the end
        QTest::addColumn<QString>("problem");
        const QString cut = QStringLiteral("the file is damaged: it is truncated or corrupt");
        QTest::newRow("empty") << 0 << QStringLiteral("not an InitLab checkpoint");
        QTest::newRow("half the magic") << 4 << QStringLiteral("not an InitLab checkpoint");
        QTest::newRow("the magic only") << 8 << cut + QStringLiteral(", 8 bytes are too few");
        QTest::newRow("within the preamble") << 15 << cut + QStringLiteral(", 15 bytes are too few");
        QTest::newRow("within the header") << 40 << cut + QStringLiteral(", 40 bytes where its header gives");
        QTest::newRow("within the weights") << 4000 << cut + QStringLiteral(", 4000 bytes where its header gives");
        QTest::newRow("the checksum cut") << -2 << QStringLiteral("checksum mismatch: ") + cut;
        QTest::newRow("the checksum missing") << -4 << QStringLiteral("checksum mismatch: ") + cut;
    }

    void truncatedCheckpointIsRefused()
    {
        QFETCH(int, keep);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("best-p0.2.ckpt")).toStdString();
        QCOMPARE(writeCheckpoint(path, variedCheckpoint()), std::string());
        const QByteArray bytes = fileBytes(path);
        QVERIFY(writeBytes(path, keep >= 0 ? bytes.left(keep) : bytes.chopped(-keep)));
        DropoutCheckpoint back;
        std::string error;
        QVERIFY(!readCheckpoint(path, back, error));
        QVERIFY2(QString::fromStdString(error).startsWith(QString::fromStdString(path) + QStringLiteral(": ")),
                 error.c_str());
        QVERIFY2(QString::fromStdString(error).contains(problem), error.c_str());
    }

    // Checkpoints written before format 2 still load, with the same weights, and their fields are
    // checked as before.
    void formatOneStillLoads()
    {
        QTemporaryDir dir;
        const DropoutCheckpoint c = variedCheckpoint();
        const std::string path = dir.filePath(QStringLiteral("old.ckpt")).toStdString();
        QVERIFY(writeBytes(path, formatOneBytes(c)));
        DropoutCheckpoint back;
        std::string error;
        QVERIFY2(readCheckpoint(path, back, error), error.c_str());
        QCOMPARE(back.p, c.p);
        QCOMPARE(back.epoch, c.epoch);
        QCOMPARE(back.sizes, c.sizes);
        QCOMPARE(back.parameters, c.parameters);

        // It evaluates as the same checkpoint written today does.
        const std::string today = dir.filePath(QStringLiteral("new.ckpt")).toStdString();
        QCOMPARE(writeCheckpoint(today, c), std::string());
        const MnistDataset d = makeData();
        EvaluationSink sink;
        sink.data = &d;
        CancelFlag cancel{false};
        const DropoutResult old = evaluateCheckpoint(path, smallConfig(), sink, cancel);
        const DropoutResult current = evaluateCheckpoint(today, smallConfig(), sink, cancel);
        QVERIFY2(old.error.empty(), old.error.c_str());
        QCOMPARE(old.runs.front().singlePassAcc, current.runs.front().singlePassAcc);
        QCOMPARE(old.runs.front().ensembleAcc, current.runs.front().ensembleAcc);

        // Cut off, or with a p out of range, a format-1 file is refused as it always was.
        QVERIFY(writeBytes(path, formatOneBytes(c).chopped(3)));
        QVERIFY(!readCheckpoint(path, back, error));
        QVERIFY2(QString::fromStdString(error).contains(QStringLiteral("truncated or corrupt file")), error.c_str());
        DropoutCheckpoint badP = c;
        badP.p = 1.0;
        QVERIFY(writeBytes(path, formatOneBytes(badP)));
        QVERIFY(!readCheckpoint(path, back, error));
        QVERIFY2(QString::fromStdString(error).contains(QStringLiteral("p = 1.000000 in the file is not in [0, 1)")),
                 error.c_str());
    }

    // A checkpoint of a later format, intact, is refused with its version named rather than misread.
    void laterFormatIsRefused()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("future.ckpt")).toStdString();
        QByteArray bytes("INLBCKPT", 8);
        put(bytes, std::uint32_t(7));
        put(bytes, std::uint64_t(0));
        const QByteArray writer("InitLab 9.0.0");
        put(bytes, std::uint32_t(writer.size()));
        bytes.append(writer);
        bytes.append(QByteArray(100, char(0x42))); // whatever format 7 holds
        const std::uint64_t size = std::uint64_t(bytes.size()) + 4;
        std::memcpy(bytes.data() + 12, &size, sizeof size);
        put(bytes, zlibCrc(bytes));
        QVERIFY(writeBytes(path, bytes));

        DropoutCheckpoint back;
        std::string error;
        QVERIFY(!readCheckpoint(path, back, error));
        QCOMPARE(error, path + ": checkpoint format version 7 (written by InitLab 9.0.0) is newer than this InitLab "
                               "reads (versions 1 to 2): evaluate it with a later InitLab");
    }

    // Every field of the header is checked on reading, and evaluateCheckpoint stops there, with the
    // file named, before it asks for any data.
    void checkpointHeaderIsChecked_data()
    {
        QTest::addColumn<double>("p");
        QTest::addColumn<int>("epoch");
        QTest::addColumn<QString>("problem");
        QTest::newRow("p NaN") << std::nan("") << 3 << QStringLiteral("p = nan in the file is not in [0, 1)");
        QTest::newRow("p = 1") << 1.0 << 3 << QStringLiteral("p = 1.000000 in the file is not in [0, 1)");
        QTest::newRow("p = 5") << 5.0 << 3 << QStringLiteral("p = 5.000000 in the file is not in [0, 1)");
        QTest::newRow("p negative") << -0.25 << 3 << QStringLiteral("not in [0, 1)");
        QTest::newRow("p infinite") << std::numeric_limits<double>::infinity() << 3 << QStringLiteral("not in [0, 1)");
        QTest::newRow("epoch 0") << 0.5 << 0 << QStringLiteral("the best epoch 0 in the file");
    }

    void checkpointHeaderIsChecked()
    {
        QFETCH(double, p);
        QFETCH(int, epoch);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const std::string path = writeTestCheckpoint(dir, p, epoch, {36, 8, 10});
        QVERIFY(!path.empty());
        DropoutCheckpoint back;
        std::string error;
        QVERIFY(!readCheckpoint(path, back, error));
        QVERIFY2(QString::fromStdString(error).startsWith(QString::fromStdString(path) + QStringLiteral(": ")),
                 error.c_str());
        QVERIFY2(QString::fromStdString(error).contains(problem), error.c_str());

        const MnistDataset d = makeData();
        EvaluationSink sink;
        sink.data = &d;
        CancelFlag cancel{false};
        const DropoutResult r = evaluateCheckpoint(path, smallConfig(), sink, cancel);
        QCOMPARE(r.error, error);
        QVERIFY(r.runs.empty());
        QCOMPARE(sink.dataAsked, 0);
        QCOMPARE(sink.begun, 0);
    }

    // The net must take the test images' pixels and give the 10 classes; the error says which fails.
    void checkpointMustFitTheData_data()
    {
        QTest::addColumn<std::vector<int>>("sizes");
        QTest::addColumn<QString>("problem");
        QTest::newRow("other inputs") << std::vector<int>{49, 8, 10}
                                      << QStringLiteral("the net takes 49 inputs, but the test images have 36 pixels");
        QTest::newRow("other outputs") << std::vector<int>{36, 8, 7}
                                       << QStringLiteral("the net gives 7 classes, but the test images have 10 classes");
        QTest::newRow("other inputs and outputs")
            << std::vector<int>{784, 8, 5}
            << QStringLiteral("the net takes 784 inputs and gives 5 classes, but the test images have 36 pixels and "
                              "10 classes");
    }

    void checkpointMustFitTheData()
    {
        QFETCH(std::vector<int>, sizes);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const std::string path = writeTestCheckpoint(dir, 0.5, 2, sizes);
        QVERIFY(!path.empty());
        const MnistDataset d = makeData();
        EvaluationSink sink;
        sink.data = &d;
        CancelFlag cancel{false};
        const DropoutResult r = evaluateCheckpoint(path, smallConfig(), sink, cancel);
        QCOMPARE(r.error, path + ": " + problem.toStdString());
        QVERIFY(r.runs.empty());
        QCOMPARE(sink.dataAsked, 1);
        QCOMPARE(sink.begun, 0);
        QCOMPARE(r.classNames, d.classNames); // the data were read
    }

    void checkpointWithoutDataNamesTheData()
    {
        QTemporaryDir dir;
        const std::string path = writeTestCheckpoint(dir, 0.5, 2, {36, 8, 10});
        EvaluationSink sink; // no data
        CancelFlag cancel{false};
        const DropoutResult r = evaluateCheckpoint(path, smallConfig(), sink, cancel);
        QCOMPARE(r.error, std::string("the data cannot be read"));
        QCOMPARE(sink.begun, 0);
        QVERIFY(r.runs.empty());
    }

    // With the run's seed and settings a checkpoint evaluates to exactly the accuracies its run
    // reported; it is shown as a run of its one p on the images it was scored on.
    void evaluatedCheckpointGivesTheRunsAccuracies()
    {
        QTemporaryDir dir;
        DropoutConfig c = smallConfig();
        c.ps = {0.5};
        c.testLimit = 150;
        c.runFolder = dir.path().toStdString();
        const MnistDataset d = makeData();
        const DropoutResult trained = run(c, d);
        QVERIFY2(trained.error.empty(), trained.error.c_str());
        const DropoutRunResult& best = trained.runs.front();

        EvaluationSink sink;
        sink.data = &d;
        CancelFlag cancel{false};
        const DropoutResult r = evaluateCheckpoint(best.checkpointPath, c, sink, cancel);
        QVERIFY2(r.error.empty(), r.error.c_str());
        QVERIFY(!r.cancelled);
        QCOMPARE(r.runs.size(), std::size_t(1));
        const DropoutRunResult& e = r.runs.front();
        QCOMPARE(e.p, 0.5);
        QCOMPARE(e.bestEpoch, best.bestEpoch);
        QCOMPARE(e.checkpointPath, best.checkpointPath);
        QCOMPARE(e.singlePassAcc, best.singlePassAcc);
        QCOMPARE(e.ensembleAcc, best.ensembleAcc);
        QVERIFY(e.ensembleFlops > 0.0);
        QCOMPARE(sink.begun, 1);
        QCOMPARE(sink.finished, 1);
        QCOMPARE(sink.shown.ps, std::vector<double>{0.5});
        QCOMPARE(sink.shown.hidden, c.hidden);
        QCOMPARE(sink.shown.testLimit, 150);
        // The listed sizes and the last pass are always reported.
        for (int passes : {5, 20})
            QVERIFY(std::find(sink.reportedPasses.begin(), sink.reportedPasses.end(), passes)
                    != sink.reportedPasses.end());
    }

    void cancelStopsAnEvaluationAfterThePass()
    {
        QTemporaryDir dir;
        const std::string path = writeTestCheckpoint(dir, 0.5, 2, {36, 8, 10});
        const MnistDataset d = makeData();
        CancelFlag cancel{false};
        EvaluationSink sink;
        sink.data = &d;
        sink.cancelAt = &cancel;
        sink.cancelShare = 3.0 / 20.0;
        const DropoutResult r = evaluateCheckpoint(path, smallConfig(), sink, cancel);
        QVERIFY2(r.error.empty(), r.error.c_str());
        QVERIFY(r.cancelled);
        QCOMPARE(r.runs.size(), std::size_t(1));
        QCOMPARE(r.runs.front().ensembleAcc.size(), std::size_t(3));
    }

    void cancelStopsTraining()
    {
        struct Sink : DropoutSink {
            CancelFlag* cancel = nullptr;
            int epochs = 0;
            void onEpoch(const DropoutEpoch&) override
            {
                ++epochs;
                cancel->store(true);
            }
        } sink;
        CancelFlag cancel{false};
        sink.cancel = &cancel;
        DropoutConfig c = smallConfig();
        c.epochs = 50;
        const DropoutResult r = runDropout(c, makeData(), &sink, cancel);
        QVERIFY(r.cancelled);
        QCOMPARE(sink.epochs, 1);
    }
};

QTEST_APPLESS_MAIN(TestDropout)
#include "tst_dropout.moc"

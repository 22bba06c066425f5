// The parameter snapshots a circles run records: within their memory budget, and what is drawn from
// them equals what the run drew: its live boundaries at the recorded epochs, each model's boundary
// at its best epoch, its dead units at the end.

#include "initlab/circles.h"
#include "initlab/circlessnapshots.h"

#include <QTest>

#include <zlib.h>

#include <algorithm>
#include <map>
#include <utility>

using namespace initlab;

namespace {

CirclesConfig small(int epochs)
{
    CirclesConfig c;
    c.inits = {InitScheme::Heuristic, InitScheme::KaimingNormal};
    c.normalizations = {Normalization::Raw, Normalization::Standard};
    c.seeds = 2;
    c.epochs = epochs;
    c.reportIntervalMs = 0;
    c.boundaryResolution = 12;
    return c;
}

// Keeps the live boundaries and the snapshots the blocks bring.
class Recorder : public CirclesSink
{
public:
    void onHistory(const HistoryBlock& block) override
    {
        const CirclesSnapshots& s = block.snapshots;
        streamed.stride = s.stride;
        streamed.models = s.models;
        streamed.layerSizes = s.layerSizes;
        streamed.epochs.insert(streamed.epochs.end(), s.epochs.begin(), s.epochs.end());
        streamed.values.insert(streamed.values.end(), s.values.begin(), s.values.end());
    }
    void onBoundary(const BoundaryImage& image) override { live[{image.model, image.epoch}] = image.probability; }

    CirclesSnapshots streamed;
    std::map<std::pair<int, int>, std::vector<float>> live;
};

std::vector<NormalizationMap> mapsOf(const CirclesResult& result)
{
    std::vector<NormalizationMap> maps;
    for (const ModelResult& m : result.models)
        maps.push_back(m.normalization);
    return maps;
}

} // namespace

class TestCirclesSnapshots : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void strideKeepsTheBudget()
    {
        QCOMPARE(snapshotStride(47 * 15, 5000, std::size_t(100) << 20), 1); // the default net and run: every epoch
        // 150 models: 28,200 bytes an epoch, 100 MB hold 3,718 of them.
        const int stride = snapshotStride(47 * 150, 5000, std::size_t(100) << 20);
        QCOMPARE(stride, 2);
        QVERIFY(std::size_t(1 + (5000 + stride - 1) / stride) * 47 * 150 * 4 <= (std::size_t(100) << 20));
        QCOMPARE(snapshotStride(47, 5000, 0), 0);      // off
        QCOMPARE(snapshotStride(1000, 10, 7999), 0);   // not even two fit
        QCOMPARE(snapshotStride(1000, 10, 8000), 10);  // the first and the last
    }

    void runRecordsEveryEpochWithinItsBudget()
    {
        CirclesConfig c = small(40);
        CancelFlag cancel{false};
        const CirclesResult all = runCircles(c, nullptr, cancel);
        QVERIFY2(all.error.empty(), all.error.c_str());
        const CirclesSnapshots& s = all.snapshots;
        QCOMPARE(s.stride, 1);
        QCOMPARE(s.models, 8);
        QCOMPARE(s.perModel(), std::int64_t(2 * 6 + 6 + 6 * 3 + 3 + 3 * 2 + 2)); // 47
        QCOMPARE(int(s.epochs.size()), 41); // 0 to 40
        QCOMPARE(s.epochs.front(), 0);
        QCOMPARE(s.epochs.back(), 40);
        QCOMPARE(s.values.size(), s.epochs.size() * std::size_t(s.perEpoch()));

        // A budget for a few: every stride-th epoch, the first and the last, within the budget.
        c.snapshotBudgetBytes = std::size_t(all.snapshots.perEpoch()) * sizeof(float) * 8;
        const CirclesResult few = runCircles(c, nullptr, cancel);
        QCOMPARE(few.snapshots.stride, 6);
        QCOMPARE(few.snapshots.epochs, (std::vector<int>{0, 6, 12, 18, 24, 30, 36, 40}));
        QVERIFY(few.snapshots.bytes() <= c.snapshotBudgetBytes);
        QCOMPARE(few.snapshots.indexAtOrBefore(17), 2);
        QCOMPARE(few.snapshots.indexAtOrBefore(40), 7);
        // The same weights at the same epochs, whatever the stride.
        const std::int64_t n = few.snapshots.perEpoch();
        QVERIFY(std::equal(few.snapshots.values.begin() + 3 * n, few.snapshots.values.begin() + 4 * n,
                           all.snapshots.values.begin() + 18 * n));

        c.snapshotBudgetBytes = 0;
        QVERIFY(runCircles(c, nullptr, cancel).snapshots.empty());
    }

    void snapshotsReproduceTheLiveBoundaries()
    {
        CirclesConfig c = small(300);
        c.reportIntervalMs = 1; // live boundaries at many epochs
        c.liveBoundaryModels = {0, 3, 5};
        Recorder recorder;
        CancelFlag cancel{false};
        const CirclesResult result = runCircles(c, &recorder, cancel);
        QVERIFY2(result.error.empty(), result.error.c_str());
        QVERIFY(recorder.live.size() >= 3);
        // The blocks brought every snapshot the result holds.
        QCOMPARE(recorder.streamed.epochs, result.snapshots.epochs);
        QVERIFY(recorder.streamed.values == result.snapshots.values);

        const std::vector<NormalizationMap> maps = mapsOf(result);
        for (const auto& [key, probability] : recorder.live) {
            const auto [model, epoch] = key;
            const int index = result.snapshots.indexAtOrBefore(epoch);
            QCOMPARE(result.snapshots.epochs[std::size_t(index)], epoch);
            const std::vector<BoundaryImage> drawn = snapshotBoundaries(c, result.snapshots, index, maps, {model});
            QCOMPARE(drawn.size(), std::size_t(1));
            QCOMPARE(drawn[0].epoch, epoch);
            QVERIFY2(drawn[0].probability == probability, "a snapshot's boundary differs from the live one");
        }
    }

    void bestEpochBoundaryAndDeadUnitsAgreeWithTheResult()
    {
        CirclesConfig c = small(200);
        c.learningRate = 0.05; // fast enough that some ReLU units die
        CancelFlag cancel{false};
        const CirclesResult result = runCircles(c, nullptr, cancel);
        QVERIFY2(result.error.empty(), result.error.c_str());
        const std::vector<NormalizationMap> maps = mapsOf(result);
        int deadSeen = 0;
        for (int m = 0; m < int(result.models.size()); ++m) {
            const ModelResult& model = result.models[std::size_t(m)];
            const PointSet& train = result.datasets[model.key.seed - c.firstSeed].train;
            if (model.bestEpoch > 0) {
                const int best = result.snapshots.indexAtOrBefore(model.bestEpoch);
                const std::vector<BoundaryImage> drawn = snapshotBoundaries(c, result.snapshots, best, maps, {m});
                QVERIFY2(drawn[0].probability == model.boundary.probability, qPrintable(QString::number(m)));
            }
            const int last = int(result.snapshots.epochs.size()) - 1;
            const UnitMaps units = snapshotUnits(c, result.snapshots, last, maps, m, train);
            QCOMPARE(units.hidden, c.hidden);
            QCOMPARE(int(units.units.size()), 9);
            QCOMPARE(units.incoming[0].size(), std::size_t(3)); // two inputs and the bias
            QCOMPARE(units.incoming[6].size(), std::size_t(7)); // six units and the bias
            QCOMPARE(int(units.units[0].size()), 12 * 12);
            QVERIFY(units.probability == snapshotBoundaries(c, result.snapshots, last, maps, {m})[0].probability);
            const int dead = int(std::count(units.dead.begin(), units.dead.end(), true));
            QCOMPARE(dead, model.deadUnits);
            deadSeen += dead;
            // A dead unit has died at a recorded epoch; a living one has not.
            const std::vector<int> died = unitDeathEpochs(c, result.snapshots, maps, m, train);
            for (std::size_t u = 0; u < died.size(); ++u) {
                QCOMPARE(died[u] >= 0, bool(units.dead[u]));
                if (units.dead[u]) {
                    // Dead from that epoch on, alive (or the start) just before.
                    const int at = result.snapshots.indexAtOrBefore(died[u]);
                    QVERIFY(snapshotUnits(c, result.snapshots, at, maps, m, train).dead[u]);
                    if (at > 0)
                        QVERIFY(!snapshotUnits(c, result.snapshots, at - 1, maps, m, train).dead[u]);
                }
            }
            // At any recorded epoch: the flags are the units' deaths there, and a unit dead there
            // died at the start of its dead stretch.
            const std::vector<std::vector<bool>> flags = unitDeadAcrossEpochs(c, result.snapshots, maps, m, train);
            QCOMPARE(flags.size(), result.snapshots.epochs.size());
            QCOMPARE(unitDeathEpochsAt(flags, result.snapshots.epochs, last), died);
            for (const int index : {1, last / 2}) {
                const UnitMaps then = snapshotUnits(c, result.snapshots, index, maps, m, train);
                QCOMPARE(flags[std::size_t(index)], then.dead);
                const std::vector<int> diedThen = unitDeathEpochsAt(flags, result.snapshots.epochs, index);
                for (std::size_t u = 0; u < diedThen.size(); ++u) {
                    QCOMPARE(diedThen[u] >= 0, bool(then.dead[u]));
                    if (diedThen[u] >= 0)
                        QVERIFY(diedThen[u] <= result.snapshots.epochs[std::size_t(index)]);
                }
            }
            QVERIFY(unitDeathEpochsAt(flags, result.snapshots.epochs, last + 1).empty());
        }
        QVERIFY2(deadSeen > 0, "no unit died: the test saw no dead unit to compare");
    }

    void theFileGivesBackTheSnapshots()
    {
        CirclesConfig c = small(12);
        CancelFlag cancel{false};
        const CirclesResult result = runCircles(c, nullptr, cancel);
        const std::string bytes = snapshotsFileBytes(result.snapshots);
        // Preamble, writer, stride, models, 4 layer sizes, 13 epochs, 13 x 8 models x 47 parameters, CRC.
        const std::size_t writer = (std::string("InitLab ") + INITLAB_VERSION).size();
        QCOMPARE(bytes.size(), 20 + 4 + writer + 4 + 4 + 4 + 4 * 4 + 8 + 13 * 4 + 13 * 8 * 47 * 4 + 4);
        CirclesSnapshots read;
        QCOMPARE(parseSnapshotsBytes(bytes, read), std::string());
        QCOMPARE(read.stride, result.snapshots.stride);
        QCOMPARE(read.models, 8);
        QCOMPARE(read.layerSizes, result.snapshots.layerSizes);
        QCOMPARE(read.epochs, result.snapshots.epochs);
        QVERIFY(read.values == result.snapshots.values);
        // And what is drawn from them is the same.
        std::vector<NormalizationMap> maps;
        for (const ModelResult& m : result.models)
            maps.push_back(m.normalization);
        QVERIFY(snapshotBoundaries(c, read, 12, maps, {3})[0].probability
                == snapshotBoundaries(c, result.snapshots, 12, maps, {3})[0].probability);
    }

    void damagedFilesAreRefusedWithTheReason()
    {
        CirclesConfig c = small(6);
        CancelFlag cancel{false};
        const std::string bytes = snapshotsFileBytes(runCircles(c, nullptr, cancel).snapshots);
        CirclesSnapshots kept;
        kept.stride = 99; // a refused file leaves this alone
        const auto problem = [&kept](const std::string& file) { return QString::fromStdString(parseSnapshotsBytes(file, kept)); };

        QCOMPARE(problem(std::string()), QStringLiteral("not an InitLab snapshot file"));
        QCOMPARE(problem("INLBCKPT" + bytes.substr(8)), QStringLiteral("not an InitLab snapshot file"));
        std::string flipped = bytes;
        flipped[flipped.size() / 2] ^= 0x40;
        QCOMPARE(problem(flipped), QStringLiteral("checksum mismatch: the file is damaged"));
        QVERIFY(problem(bytes.substr(0, bytes.size() - 100)).contains(QStringLiteral("truncated or corrupt")));

        // A newer version, with a valid checksum.
        const auto resealed = [](std::string file) {
            file.resize(file.size() - 4);
            const std::uint32_t crc = std::uint32_t(::crc32_z(::crc32_z(0L, Z_NULL, 0),
                                                              reinterpret_cast<const Bytef*>(file.data()), file.size()));
            file.append(reinterpret_cast<const char*>(&crc), 4);
            return file;
        };
        std::string newer = bytes;
        newer[8] = 2;
        QCOMPARE(problem(resealed(newer)),
                 QStringLiteral("snapshot format version 2 is newer than this InitLab reads (version 1)"));
        // A header that does not fit its parameters (a model count changed, the checksum redone).
        std::string lying = bytes;
        const std::size_t modelsAt = 8 + 4 + 8 + 4 + (std::string("InitLab ") + INITLAB_VERSION).size() + 4;
        lying[modelsAt] = 9;
        QVERIFY(problem(resealed(lying)).contains(QStringLiteral("bytes of parameters where its header needs")));
        QCOMPARE(kept.stride, 99);

        QVERIFY(QString::fromStdString(readSnapshotsFile("/nonexistent/circles_snapshots.bin", kept))
                    .contains(QStringLiteral("cannot be opened")));
    }

    void badIndicesAndDamagedSnapshotsAreRefused()
    {
        CirclesConfig c = small(5);
        CancelFlag cancel{false};
        const CirclesResult result = runCircles(c, nullptr, cancel);
        const std::vector<NormalizationMap> maps = mapsOf(result);
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, snapshotBoundaries(c, result.snapshots, 6, maps, {0}));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, snapshotBoundaries(c, result.snapshots, -1, maps, {0}));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, snapshotBoundaries(c, result.snapshots, 0, maps, {8}));
        CirclesSnapshots cut = result.snapshots;
        cut.values.pop_back();
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, snapshotBoundaries(c, cut, 0, maps, {0}));
    }
};

QTEST_MAIN(TestCirclesSnapshots)
#include "tst_circlessnapshots.moc"

// Export frames in the circles lab with a tiny run (one model, 60 epochs, 16 x 16 boundary images):
// the model the big canvas shows, every N epochs, as epoch-NNNNN.png files with frames.csv holding
// the model's history at those epochs; the recorded epoch at or before each multiple, each once; a
// folder that cannot be written fails naming it and writes nothing; Cancel leaves the folder as it
// was; Frames… on the playback bar asks for N and the folder, then exports.

#include "experiments/circles/circlesframesdialog.h"
#include "experiments/circles/circlesframesexport.h"
#include "experiments/circles/circlespanel.h"
#include "experiments/circles/circlesplayback.h"
#include "experiments/circles/circlesworker.h"
#include "experiments/metatypes.h"
#include "experiments/workerthread.h"
#include "figures/chartexport.h"
#include "initlab/csv.h"
#include "folderfiles.h"
#include "widgets.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <memory>

using namespace initlab;
using namespace initlab::ui;
using namespace initlab::test;

namespace {

constexpr int kEpochs = 60;
constexpr int kTimeoutMs = 60000;
const QString kSubfolder = QStringLiteral("frames/standard-xavier_uniform-seed0");

struct Exported {
    bool ok = false;
    QStringList written;
    QString error;
};

} // namespace

class TestCirclesFrames : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void framesAreTheRecordedEpochsAtOrBeforeEachMultiple();
    void writesAFrameEveryNEpochsWithFramesCsv();
    void unwritableFolderFailsNamingItAndWritesNothing();
    void cancelLeavesTheFolderAsItWas();
    void framesButtonAsksThenExports();

private:
    // Trains the tiny run; its result.
    CirclesResult train();
    Exported waitForExport();

    std::unique_ptr<WorkerThread<CirclesWorker>> m_thread;
    std::unique_ptr<CirclesPanel> m_panel;
    std::unique_ptr<QSignalSpy> m_exported;
    QStringList m_reported; // the error dialogs the export would have shown
};

void TestCirclesFrames::initTestCase()
{
    registerMetaTypes();
    chartexport::setErrorHandler([this](QWidget*, const QString& message) { m_reported << message; });
}

void TestCirclesFrames::init()
{
    m_thread = std::make_unique<WorkerThread<CirclesWorker>>();
    m_panel = std::make_unique<CirclesPanel>(m_thread->worker());
    m_panel->resize(1500, 950);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    m_exported = std::make_unique<QSignalSpy>(m_panel.get(), &ExperimentPanel::exportFinished);
    m_reported.clear();
}

void TestCirclesFrames::cleanup()
{
    QVERIFY(m_thread->stop(kTimeoutMs));
    m_exported.reset();
    m_panel.reset();
    m_thread.reset();
}

CirclesResult TestCirclesFrames::train()
{
    std::optional<CirclesConfig> config = m_panel->configFromControls();
    if (!config)
        return {};
    config->inits = {InitScheme::XavierUniform};
    config->normalizations = {Normalization::Standard};
    config->seeds = 1;
    config->firstSeed = 0;
    config->epochs = kEpochs;
    config->boundaryResolution = 16;
    QSignalSpy finished(m_panel.get(), &CirclesPanel::runFinished);
    if (!m_panel->runConfig(*config) || !finished.wait(kTimeoutMs))
        return {};
    return finished.at(0).at(0).value<CirclesResult>();
}

Exported TestCirclesFrames::waitForExport()
{
    if (m_exported->isEmpty() && !m_exported->wait(kTimeoutMs))
        return {false, {}, QStringLiteral("no exportFinished signal")};
    const QList<QVariant> arguments = m_exported->takeFirst();
    return {arguments.at(0).toBool(), arguments.at(1).toStringList(), arguments.at(2).toString()};
}

// As the CLI's --frames-every: a run that kept every 3rd epoch shows the one at or before each
// multiple, each once, never the initial weights, and nothing after the model's last epoch.
void TestCirclesFrames::framesAreTheRecordedEpochsAtOrBeforeEachMultiple()
{
    CirclesSnapshots snapshots;
    snapshots.stride = 3;
    snapshots.epochs = {0, 3, 6, 9, 12, 14};
    const auto epochsOf = [&](int lastEpoch, int every) {
        QList<int> epochs;
        for (const int index : CirclesFramesExport::frameIndices(snapshots, lastEpoch, every))
            epochs << snapshots.epochs[std::size_t(index)];
        return epochs;
    };
    QCOMPARE(epochsOf(14, 2), (QList<int>{3, 6, 9, 12, 14}));
    QCOMPARE(epochsOf(14, 5), (QList<int>{3, 9}));
    QCOMPARE(epochsOf(11, 3), (QList<int>{3, 6, 9}));
    QCOMPARE(epochsOf(2, 1), QList<int>{}); // only the initial weights are recorded by then
    QCOMPARE(epochsOf(14, 15), QList<int>{});
    QCOMPARE(CirclesFramesDialog::defaultEvery(1, 5000), 100);
    QCOMPARE(CirclesFramesDialog::defaultEvery(7, 5000), 98);
    QCOMPARE(CirclesFramesDialog::defaultEvery(3, 40), 3);
}

void TestCirclesFrames::writesAFrameEveryNEpochsWithFramesCsv()
{
    const CirclesResult result = train();
    QVERIFY2(result.error.empty(), result.error.c_str());
    QCOMPARE(result.snapshots.stride, 1);
    const ModelResult& model = result.models.at(std::size_t(m_panel->shownModel()));
    QCOMPARE(int(model.trainLoss.size()), kEpochs);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(m_panel->exportFrames(dir.path(), 10));
    QVERIFY(m_panel->isRunning());
    QVERIFY(m_panel->isExporting());
    QVERIFY(!child<QPushButton>(m_panel.get(), "trainAllButton")->isEnabled());
    QVERIFY(!child<QPushButton>(m_panel.get(), "exportAllButton")->isEnabled());
    QVERIFY(child<QPushButton>(m_panel.get(), "cancelButton")->isEnabled());
    QVERIFY(!m_panel->exportFrames(dir.path(), 10)); // one job at a time
    const Exported exported = waitForExport();
    QVERIFY2(exported.ok, qPrintable(exported.error));
    QVERIFY(!m_panel->isRunning());
    QCOMPARE(m_panel->progress(), 1.0);
    QVERIFY2(m_panel->statusText().startsWith(QStringLiteral("Exported 6 frames and frames.csv into")),
             qPrintable(m_panel->statusText()));

    const QDir frames(QDir(dir.path()).filePath(kSubfolder));
    QStringList expected;
    for (int epoch = 10; epoch <= kEpochs; epoch += 10)
        expected << QStringLiteral("epoch-%1.png").arg(epoch, 5, 10, QLatin1Char('0'));
    QCOMPARE(entries(frames.path()), expected + QStringList{QStringLiteral("frames.csv")});
    QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("frames")}); // no staging folder left
    QStringList writtenPaths;
    for (const QString& name : expected + QStringList{QStringLiteral("frames.csv")})
        writtenPaths << frames.filePath(name);
    QCOMPARE(exported.written, writtenPaths);
    for (const QString& name : expected) {
        QVERIFY2(readAll(frames.filePath(name)).startsWith("\x89PNG\r\n\x1a\n"), qPrintable(name));
        const QImage image(frames.filePath(name));
        QVERIFY(!image.isNull());
        QCOMPARE(image.width(), 945); // 16 cm at 150 dpi, as the CLI's frames
    }

    QString csv = QStringLiteral("epoch,train_loss,train_acc,val_acc\n");
    for (int epoch = 10; epoch <= kEpochs; epoch += 10) {
        const std::size_t e = std::size_t(epoch - 1);
        csv += QStringLiteral("%1,%2,%3,%4\n")
                   .arg(epoch)
                   .arg(QString::fromStdString(formatNumber(model.trainLoss[e])),
                        QString::fromStdString(formatNumber(model.trainAcc[e])),
                        QString::fromStdString(formatNumber(model.valAcc[e])));
    }
    QCOMPARE(QString::fromUtf8(readAll(frames.filePath(QStringLiteral("frames.csv")))), csv);
    QVERIFY(m_reported.isEmpty());
}

void TestCirclesFrames::unwritableFolderFailsNamingItAndWritesNothing()
{
    QVERIFY(train().error.empty());
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString blocker = QDir(dir.path()).filePath(QStringLiteral("notes.txt"));
    {
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("a file, not a folder");
    }
    const QString folder = QDir(blocker).filePath(QStringLiteral("frames-out"));
    QVERIFY(m_panel->exportFrames(folder, 10));
    const Exported exported = waitForExport();
    QVERIFY(!exported.ok);
    QVERIFY(exported.written.isEmpty());
    QVERIFY2(exported.error.contains(folder), qPrintable(exported.error));
    QVERIFY2(m_panel->statusText().contains(folder), qPrintable(m_panel->statusText()));
    QCOMPARE(m_reported, QStringList{exported.error});
    QVERIFY(!m_panel->isRunning());
    QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("notes.txt")});
    QCOMPARE(readAll(blocker), QByteArray("a file, not a folder"));
}

void TestCirclesFrames::cancelLeavesTheFolderAsItWas()
{
    QVERIFY(train().error.empty());
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QSignalSpy framesWritten(m_panel.get(), &ExperimentPanel::progressChanged);
    QVERIFY(m_panel->exportFrames(dir.path(), 1)); // 60 frames
    QVERIFY(framesWritten.wait(kTimeoutMs));        // some are in the staging folder
    QVERIFY(m_exported->isEmpty());
    child<QPushButton>(m_panel.get(), "cancelButton")->click();
    QCOMPARE(m_panel->state(), ExperimentPanel::State::Cancelling);
    const Exported exported = waitForExport();
    QVERIFY(!exported.ok);
    QVERIFY2(exported.error.isEmpty(), qPrintable(exported.error)); // cancelled, not failed
    QVERIFY2(m_panel->statusText().startsWith(QStringLiteral("Export cancelled")), qPrintable(m_panel->statusText()));
    QVERIFY(!m_panel->isRunning());
    QCOMPARE(entries(dir.path()), QStringList{});
    QVERIFY(m_reported.isEmpty());
}

// Frames… is there once a run has ended; its dialog names the model, proposes about 50 frames and
// counts them as N changes, and its Export starts the job.
void TestCirclesFrames::framesButtonAsksThenExports()
{
    auto* button = child<QToolButton>(m_panel->playback(), "exportFramesButton");
    QVERIFY(!button->isEnabled());
    QVERIFY(!button->toolTip().isEmpty());
    QVERIFY(train().error.empty());
    QVERIFY(button->isEnabled());

    button->click();
    auto* dialog = m_panel->findChild<CirclesFramesDialog*>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(child<QLabel>(dialog, "framesModelLabel")->text(),
             QStringLiteral("Standardized + Xavier uniform, seed 0"));
    QSpinBox* every = dialog->everySpin();
    QCOMPARE(every->minimum(), 1);
    QCOMPARE(every->maximum(), kEpochs);
    QCOMPARE(every->value(), 1); // 60 epochs: about 50 frames is every one
    auto* count = child<QLabel>(dialog, "framesCountLabel");
    QCOMPARE(count->text(), QStringLiteral("→ 60 frames"));
    every->setValue(25);
    QCOMPARE(count->text(), QStringLiteral("→ 2 frames"));
    every->setValue(kEpochs);
    QCOMPARE(count->text(), QStringLiteral("→ 1 frame"));
    every->setValue(30);
    for (QWidget* control : dialog->findChildren<QWidget*>()) {
        const bool spinBoxPart = qobject_cast<QSpinBox*>(control->parentWidget());
        if (qobject_cast<QSpinBox*>(control) || (qobject_cast<QLineEdit*>(control) && !spinBoxPart)
            || qobject_cast<QPushButton*>(control))
            QVERIFY2(!control->toolTip().isEmpty(), qPrintable(control->objectName()));
    }

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    dialog->folderEdit()->clear();
    QVERIFY(!dialog->exportButton()->isEnabled());
    dialog->setFolder(dir.path());
    QVERIFY(dialog->exportButton()->isEnabled());
    QVERIFY2(child<QLabel>(dialog, "framesTargetLabel")->text().contains(kSubfolder),
             qPrintable(child<QLabel>(dialog, "framesTargetLabel")->text()));
    dialog->exportButton()->click();
    QVERIFY(m_panel->isExporting());
    const Exported exported = waitForExport();
    QVERIFY2(exported.ok, qPrintable(exported.error));
    QCOMPARE(entries(QDir(dir.path()).filePath(kSubfolder)),
             (QStringList{QStringLiteral("epoch-00030.png"), QStringLiteral("epoch-00060.png"),
                          QStringLiteral("frames.csv")}));
    QCOMPARE(chartexport::lastExportFolder(), dir.path()); // the next dialog starts there
}

QTEST_MAIN(TestCirclesFrames)
#include "tst_circlesframes.moc"

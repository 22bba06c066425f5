// ExportJob, what Export all runs: every figure's files into a folder while the event loop goes on,
// with progress and cancel; a folder that gets all the files or keeps what it had.

#include "figures/boundarycanvas.h"
#include "figures/exportjob.h"
#include "figures/layerchart.h"

#include "folderfiles.h"
#include "initlab/stagedfolder.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace initlab;
using namespace initlab::ui;
using namespace initlab::test;

namespace {

constexpr int kTimeoutMs = 60000;

struct Finished {
    bool ok = false;
    QStringList written;
    QString error;
};

Finished waitFor(ExportJob& job)
{
    QSignalSpy finished(&job, &ExportJob::finished);
    if (!job.isFinished())
        finished.wait(kTimeoutMs);
    if (finished.count() != 1)
        return {false, {}, QStringLiteral("no finished signal")};
    return {finished.at(0).at(0).toBool(), finished.at(0).at(1).toStringList(), finished.at(0).at(2).toString()};
}

} // namespace

class TestExportJob : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void writesEveryFileWithProgress();
    void cancelKeepsWhatTheFolderHad();
    void refusesAFolderInUse();
    void aFigureClosedMeanwhileFailsTheJob();

private:
    QList<NamedFigure> figures() { return {{QStringLiteral("layer"), m_chart.get()}, {QStringLiteral("canvas"), m_canvas.get()}}; }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<LayerChart> m_chart;
    std::unique_ptr<BoundaryCanvas> m_canvas;
};

void TestExportJob::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_chart = std::make_unique<LayerChart>(QStringLiteral("Activation std per layer"), QStringLiteral("std"));
    m_chart->setLayerCount(4);
    const int curve = m_chart->addCurve(QStringLiteral("Xavier uniform + tanh"), Qt::blue);
    for (int layer = 1; layer <= 4; ++layer)
        m_chart->setValue(curve, layer, 1.0 / layer);
    m_chart->refresh();
    m_canvas = std::make_unique<BoundaryCanvas>();
    BoundaryImage image;
    image.resolution = 8;
    image.xMin = image.yMin = 0.0;
    image.xMax = image.yMax = 8.0;
    for (int cell = 0; cell < 64; ++cell)
        image.probability.push_back(float(cell) / 63.0f);
    m_canvas->setImage(image);
}

void TestExportJob::cleanup()
{
    m_canvas.reset();
    m_chart.reset();
    m_dir.reset();
}

void TestExportJob::writesEveryFileWithProgress()
{
    ExportJob job(figures(), m_dir->path());
    QSignalSpy progress(&job, &ExportJob::progress);
    // The job leaves the event loop running: a timer queued after start() fires before it ends.
    bool loopRanMeanwhile = false;
    job.start();
    QTimer::singleShot(0, this, [&] { loopRanMeanwhile = !job.isFinished(); });
    const Finished finished = waitFor(job);
    QVERIFY2(finished.ok, qPrintable(finished.error));
    QVERIFY(loopRanMeanwhile);
    QStringList expected;
    for (const QString& name : {QStringLiteral("layer"), QStringLiteral("canvas")})
        for (const char* extension : {".png", ".svg", ".pdf", ".csv"})
            expected << name + QLatin1String(extension);
    expected << QStringLiteral("canvas_points.csv");
    expected.sort();
    QCOMPARE(entries(m_dir->path()), expected);
    QCOMPARE(finished.written.size(), expected.size());
    for (const QString& path : finished.written)
        QVERIFY2(QFileInfo(path).isFile() && QFileInfo(path).size() > 0, qPrintable(path));
    // Progress from 0 to every figure, never backwards.
    QVERIFY(progress.count() >= 2);
    QCOMPARE(progress.first().at(0).toInt(), 0);
    QCOMPARE(progress.last().at(0).toInt(), 2);
    for (qsizetype i = 1; i < progress.count(); ++i)
        QVERIFY(progress.at(i).at(0).toInt() >= progress.at(i - 1).at(0).toInt());
    QCOMPARE(job.figuresDone(), 2);
}

void TestExportJob::cancelKeepsWhatTheFolderHad()
{
    const QString earlier = QDir(m_dir->path()).filePath(QStringLiteral("layer.png"));
    writeText(earlier, "an earlier export");
    ExportJob job(figures(), m_dir->path());
    job.start();
    job.cancel();
    const Finished finished = waitFor(job);
    QVERIFY(!finished.ok);
    QVERIFY2(finished.error.isEmpty(), qPrintable(finished.error)); // cancelled, not failed
    QCOMPARE(readAll(earlier), QByteArray("an earlier export"));
    QCOMPARE(entries(m_dir->path()), QStringList{QStringLiteral("layer.png")});

    // Cancelled once a figure is under way: the same.
    ExportJob second(figures(), m_dir->path());
    QSignalSpy progress(&second, &ExportJob::progress);
    second.start();
    QTimer::singleShot(0, &second, [&second] { second.cancel(); });
    const Finished again = waitFor(second);
    QVERIFY(!again.ok);
    QVERIFY(again.error.isEmpty());
    QCOMPARE(entries(m_dir->path()), QStringList{QStringLiteral("layer.png")});
    QCOMPARE(readAll(earlier), QByteArray("an earlier export"));
}

void TestExportJob::refusesAFolderInUse()
{
    StagedFolder other; // another run writing into the folder
    QCOMPARE(other.open(m_dir->path().toStdString()), std::string());
    ExportJob job(figures(), m_dir->path());
    job.start();
    const Finished finished = waitFor(job);
    QVERIFY(!finished.ok);
    QVERIFY2(finished.error.contains(QStringLiteral("in use by another InitLab run")), qPrintable(finished.error));
    QVERIFY2(finished.error.contains(m_dir->path()), qPrintable(finished.error));
    other.abandon();
    QCOMPARE(entries(m_dir->path()), QStringList());
}

void TestExportJob::aFigureClosedMeanwhileFailsTheJob()
{
    writeText(QDir(m_dir->path()).filePath(QStringLiteral("canvas.csv")), "kept");
    ExportJob job(figures(), m_dir->path());
    job.start();
    m_canvas.reset(); // the tab rebuilt its views before the job reached this figure
    const Finished finished = waitFor(job);
    QVERIFY(!finished.ok);
    QVERIFY2(finished.error.contains(QStringLiteral("canvas")) && finished.error.contains(QStringLiteral("closed")),
             qPrintable(finished.error));
    QCOMPARE(entries(m_dir->path()), QStringList{QStringLiteral("canvas.csv")});
    QCOMPARE(readAll(QDir(m_dir->path()).filePath(QStringLiteral("canvas.csv"))), QByteArray("kept"));
}

QTEST_MAIN(TestExportJob)
#include "tst_exportjob.moc"

// ExperimentPanel, the base of every experiment tab, with a panel and a worker of the test's own:
// the run state and its signals, cancel through the worker's flag, progress with an estimate of the
// time left, the status line's error colour, and a run that leaves no record.

#include "common/palette.h"
#include "experiments/experimentpanel.h"
#include "experiments/experimentworker.h"
#include "figures/layerchart.h"
#include "widgets.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QVBoxLayout>

using namespace initlab;
using namespace initlab::ui;

namespace {

// A worker whose job the test drives by hand: progress is sent from the test's thread.
class ManualWorker : public ExperimentWorker
{
    Q_OBJECT

public:
    void sendProgress(double fraction) { reportProgress(fraction); }
    void startJob() { queue([] {}); }
};

// The smallest tab: start() begins a run, finish() ends it.
class ManualPanel : public ExperimentPanel
{
    Q_OBJECT

public:
    explicit ManualPanel(ManualWorker* worker)
        : ExperimentPanel(ExperimentKind::Circles, worker)
        , m_worker(worker)
    {
        // A tab places the shared run widgets where its layout wants them.
        auto* layout = new QVBoxLayout(this);
        layout->addWidget(progressBar());
        layout->addWidget(cancelButton());
        layout->addWidget(statusLabel());
        layout->addWidget(exportAllButton());
    }

    bool start() override { return startRun(true); }
    bool startRun(bool recorded)
    {
        if (!beginRun(QStringLiteral("Working …"), recorded))
            return false;
        m_worker->startJob();
        return true;
    }
    void finish(const QString& status, bool isError = false)
    {
        endRun();
        setStatus(status, isError);
        ++finished;
    }
    bool cancelRequested() const { return isCancelRequested(); }

    QList<NamedFigure> exportFigures() const override { return figures; }
    std::string experimentJson() const override { return {}; }
    void applyExperiment(const ExperimentFile&) override {}
    bool showRecord(const RunRecord&, QString*) override { return false; }
    bool rerun(const RunRecord&) override { return false; }

    QList<NamedFigure> figures;
    int finished = 0;
    int refreshes = 0;
    int controlUpdates = 0;

protected:
    void refreshViews() override { ++refreshes; }
    void updateControls() override { ++controlUpdates; }

private:
    ManualWorker* m_worker;
};

} // namespace

class TestExperimentPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void runStateAndSignals();
    void cancelGoesThroughTheWorkersFlag();
    void progressAndTimeLeft();
    void errorsAreRed();
    void aRunWithoutRecordSendsNoRunStarted();
    void exportAllIsAJobOfTheTab();
};

void TestExperimentPanel::runStateAndSignals()
{
    ManualWorker worker;
    ManualPanel panel(&worker);
    QCOMPARE(panel.objectName(), QStringLiteral("circlesPanel"));
    QCOMPARE(panel.shortName(), QStringLiteral("Circles"));
    QCOMPARE(panel.state(), ExperimentPanel::State::Idle);
    QSignalSpy states(&panel, &ExperimentPanel::stateChanged);
    QSignalSpy started(&panel, &ExperimentPanel::runStarted);
    auto* cancel = child<QPushButton>(&panel, "cancelButton");
    QVERIFY(!cancel->isEnabled());

    QVERIFY(panel.start());
    QCOMPARE(panel.state(), ExperimentPanel::State::Running);
    QVERIFY(panel.isRunning());
    QCOMPARE(started.count(), 1);
    QCOMPARE(states.count(), 1);
    QCOMPARE(states.at(0).at(0).value<ExperimentPanel::State>(), ExperimentPanel::State::Running);
    QVERIFY(cancel->isEnabled());
    QCOMPARE(panel.statusText(), QStringLiteral("Working …"));
    QCOMPARE(panel.progress(), 0.0);
    QVERIFY(panel.controlUpdates >= 1);
    // One run at a time.
    QVERIFY(!panel.start());
    QCOMPARE(started.count(), 1);

    // The views are refreshed while the run goes on, and once more as it ends.
    QTRY_VERIFY(panel.refreshes >= 2);
    const int refreshes = panel.refreshes;
    panel.finish(QStringLiteral("Done."));
    QCOMPARE(panel.state(), ExperimentPanel::State::Idle);
    QCOMPARE(states.count(), 2);
    QCOMPARE(states.at(1).at(0).value<ExperimentPanel::State>(), ExperimentPanel::State::Idle);
    QCOMPARE(panel.refreshes, refreshes + 1);
    QVERIFY(!cancel->isEnabled());
    QCOMPARE(panel.statusText(), QStringLiteral("Done."));
    QVERIFY(panel.elapsedMs() >= 0);
    // Idle again: a new run can start.
    QVERIFY(panel.start());
    panel.finish(QStringLiteral("Done again."));
}

void TestExperimentPanel::cancelGoesThroughTheWorkersFlag()
{
    ManualWorker worker;
    ManualPanel panel(&worker);
    QSignalSpy states(&panel, &ExperimentPanel::stateChanged);
    panel.cancel(); // nothing runs: nothing happens
    QCOMPARE(states.count(), 0);
    QVERIFY(!worker.isCancelRequested());

    QVERIFY(panel.start());
    QVERIFY(!worker.isCancelRequested());
    QTest::mouseClick(child<QPushButton>(&panel, "cancelButton"), Qt::LeftButton);
    QVERIFY(worker.isCancelRequested());
    QVERIFY(panel.cancelRequested());
    QCOMPARE(panel.state(), ExperimentPanel::State::Cancelling);
    QVERIFY(panel.isRunning());
    QVERIFY(!child<QPushButton>(&panel, "cancelButton")->isEnabled());
    QCOMPARE(panel.statusText(), QStringLiteral("Cancelling …"));
    panel.cancel(); // a second request changes nothing
    QCOMPARE(states.count(), 2);
    panel.finish(QStringLiteral("Cancelled."));
    QCOMPARE(panel.state(), ExperimentPanel::State::Idle);

    // The next job starts with the flag cleared.
    QVERIFY(panel.start());
    QVERIFY(!worker.isCancelRequested());
    panel.finish(QStringLiteral("Done."));
}

void TestExperimentPanel::progressAndTimeLeft()
{
    ManualWorker worker;
    ManualPanel panel(&worker);
    QSignalSpy progress(&panel, &ExperimentPanel::progressChanged);
    worker.sendProgress(0.5); // not running: ignored
    QCOMPARE(panel.progress(), 0.0);

    QVERIFY(panel.start());
    worker.startJob(); // a job resets the throttle on the worker's thread (here: this one)
    QCoreApplication::processEvents();
    worker.sendProgress(0.25);
    QCOMPARE(panel.progress(), 0.25);
    QCOMPARE(progress.count(), 1);
    // The throttle drops steps too small for the bar to show.
    worker.sendProgress(0.2504);
    QCOMPARE(progress.count(), 1);
    QCOMPARE(panel.progress(), 0.25);
    // No estimate in the first seconds of a run.
    QVERIFY(!panel.secondsLeft().has_value());
    QTest::qWait(3100);
    worker.sendProgress(0.5);
    const std::optional<double> left = panel.secondsLeft();
    QVERIFY(left.has_value());
    // Half done after elapsed seconds: about as many left.
    const double elapsed = panel.elapsedMs() / 1000.0;
    QVERIFY2(std::abs(*left - elapsed) < 0.2, qPrintable(QStringLiteral("%1 left after %2 s").arg(*left).arg(elapsed)));
    QVERIFY2(child<QProgressBar>(&panel, "circlesProgress")->format().contains(QStringLiteral("left")),
             qPrintable(child<QProgressBar>(&panel, "circlesProgress")->format()));
    worker.sendProgress(1.0);
    QCOMPARE(panel.progress(), 1.0);
    QVERIFY(!panel.secondsLeft().has_value());
    panel.finish(QStringLiteral("Done."));
    QCOMPARE(child<QProgressBar>(&panel, "circlesProgress")->format(), QStringLiteral("%p%"));
}

void TestExperimentPanel::errorsAreRed()
{
    ManualWorker worker;
    ManualPanel panel(&worker);
    QSignalSpy messages(&panel, &ExperimentPanel::statusMessage);
    QVERIFY(panel.start());
    panel.finish(QStringLiteral("Error: it failed."), true);
    auto* status = child<QLabel>(&panel, "circlesStatus");
    QVERIFY2(status->styleSheet().contains(errorTextColor(panel.palette()).name()), qPrintable(status->styleSheet()));
    QCOMPARE(messages.last().at(0).toString(), QStringLiteral("Error: it failed."));
    QVERIFY(panel.start());
    panel.finish(QStringLiteral("Done."));
    QVERIFY(status->styleSheet().isEmpty());
}

void TestExperimentPanel::aRunWithoutRecordSendsNoRunStarted()
{
    ManualWorker worker;
    ManualPanel panel(&worker);
    QSignalSpy started(&panel, &ExperimentPanel::runStarted);
    QSignalSpy states(&panel, &ExperimentPanel::stateChanged);
    QVERIFY(panel.startRun(false));
    QCOMPARE(started.count(), 0);
    QCOMPARE(states.count(), 1);
    QVERIFY(panel.isRunning());
    panel.finish(QStringLiteral("Evaluated."));
}

// Export all runs as a job of the tab: the tab is busy meanwhile (progress, Cancel, no run), and a
// cancelled export leaves the folder as it was.
void TestExperimentPanel::exportAllIsAJobOfTheTab()
{
    ManualWorker worker;
    ManualPanel panel(&worker);
    LayerChart chart(QStringLiteral("Activation std per layer"), QStringLiteral("std"));
    chart.setLayerCount(3);
    const int curve = chart.addCurve(QStringLiteral("Xavier uniform + tanh"), Qt::blue);
    for (int layer = 1; layer <= 3; ++layer)
        chart.setValue(curve, layer, 1.0 / layer);
    chart.refresh();
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto* exportAll = child<QPushButton>(&panel, "exportAllButton");
    auto* cancel = child<QPushButton>(&panel, "cancelButton");

    // Nothing to export yet.
    QVERIFY(!panel.exportAllInto(dir.path()));
    QVERIFY(panel.statusText().contains(QStringLiteral("no figures")));

    panel.figures = {{QStringLiteral("std"), &chart}};
    QSignalSpy exported(&panel, &ExperimentPanel::exportFinished);
    QVERIFY(panel.exportAllInto(dir.path()));
    QVERIFY(panel.isRunning());
    QVERIFY(panel.isExporting());
    QVERIFY(cancel->isEnabled());
    QVERIFY(!exportAll->isEnabled());
    QVERIFY(panel.statusText().startsWith(QStringLiteral("Exporting 1 figure into")));
    QVERIFY(!panel.start()); // no run while the export goes on
    QVERIFY(exported.wait(30000));
    QVERIFY2(exported.at(0).at(0).toBool(), qPrintable(exported.at(0).at(2).toString()));
    QCOMPARE(exported.at(0).at(1).toStringList().size(), 4);
    QVERIFY(!panel.isRunning());
    QVERIFY(!panel.isExporting());
    QVERIFY(exportAll->isEnabled());
    QCOMPARE(panel.progress(), 1.0);
    QVERIFY2(panel.statusText().startsWith(QStringLiteral("Exported 4 files into")), qPrintable(panel.statusText()));

    // Cancel: the earlier export's files stay as they were.
    const QString png = QDir(dir.path()).filePath(QStringLiteral("std.png"));
    const qint64 pngSize = QFileInfo(png).size();
    {
        QFile file(png);
        QVERIFY(file.open(QIODevice::Append));
        file.write("marker");
    }
    QVERIFY(panel.exportAllInto(dir.path()));
    cancel->click();
    QCOMPARE(panel.state(), ExperimentPanel::State::Cancelling);
    QVERIFY(exported.wait(30000));
    QVERIFY(!exported.at(1).at(0).toBool());
    QVERIFY(exported.at(1).at(2).toString().isEmpty());
    QVERIFY2(panel.statusText().startsWith(QStringLiteral("Export cancelled")), qPrintable(panel.statusText()));
    QCOMPARE(QFileInfo(png).size(), pngSize + 6);
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).size(), 4);

    // During a run the figures are still changing: no export.
    QVERIFY(panel.start());
    QVERIFY(!exportAll->isEnabled());
    QVERIFY(!panel.exportAllInto(dir.path()));
    QVERIFY(panel.statusText().contains(QStringLiteral("until the run has ended")));
    panel.finish(QStringLiteral("Done."));
    QCOMPARE(exported.count(), 2);
}

QTEST_MAIN(TestExperimentPanel)
#include "tst_experimentpanel.moc"

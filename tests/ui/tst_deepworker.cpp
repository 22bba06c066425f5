// DeepWorker on its own thread: the runner's callbacks arrive on the GUI thread as queued
// signals in order, cancellation through the atomic flag stops a run, errors come back in the
// result, and diagnostics are computed off the GUI thread.

#include "experiments/deep/deepworker.h"
#include "experiments/metatypes.h"
#include "experiments/workerthread.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <optional>

using namespace initlab;
using namespace initlab::ui;

namespace {

// Lives on the test's thread, so the worker's signals reach it queued, as they reach the GUI.
class Recorder : public QObject
{
    Q_OBJECT

public:
    explicit Recorder(DeepWorker* worker)
    {
        connect(worker, &DeepWorker::combinationStarted, this, [this](int c) {
            checkThread();
            events << QStringLiteral("start %1").arg(c);
        });
        connect(worker, &DeepWorker::forwardLayer, this, [this](const ForwardLayerStats& s) {
            checkThread();
            events << QStringLiteral("forward %1 %2").arg(s.combination).arg(s.layer);
        });
        connect(worker, &DeepWorker::backwardLayer, this, [this](const BackwardLayerStats& s) {
            checkThread();
            events << QStringLiteral("backward %1 %2").arg(s.combination).arg(s.layer);
        });
        connect(worker, &DeepWorker::combinationFinished, this, [this](int c, const CombinationResult& r) {
            checkThread();
            events << QStringLiteral("finished %1").arg(c);
            results.push_back(r);
        });
        connect(worker, &DeepWorker::progress, this, [this](double f) {
            checkThread();
            progress << f;
        });
        connect(worker, &DeepWorker::finished, this, [this](const DeepResult& r) {
            checkThread();
            result = r;
            Q_EMIT done();
        });
    }

    void checkThread()
    {
        if (QThread::currentThread() != thread())
            wrongThread = true;
    }

    QStringList events;
    QList<double> progress;
    std::vector<CombinationResult> results;
    DeepResult result;
    bool wrongThread = false;

Q_SIGNALS:
    void done();
};

DeepConfig tinyConfig(std::vector<Combination> combinations, int depth = 4)
{
    DeepConfig config;
    config.combinations = std::move(combinations);
    config.depth = depth;
    config.width = 16;
    config.batch = 32;
    config.threads = 1;
    return config;
}

} // namespace

class TestDeepWorker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void signalsArriveInOrder();
    void cancelStopsARun();
    void errorComesBackInTheResult();
    void diagnosticsComeFromTheWorkerThread();

private:
    std::unique_ptr<WorkerThread<DeepWorker>> m_thread;
    DeepWorker* m_worker = nullptr;
};

void TestDeepWorker::init()
{
    m_thread = std::make_unique<WorkerThread<DeepWorker>>();
    m_worker = m_thread->worker();
}

void TestDeepWorker::cleanup()
{
    QVERIFY(m_thread->stop(60000));
    m_thread.reset();
    m_worker = nullptr;
}

void TestDeepWorker::signalsArriveInOrder()
{
    Recorder recorder(m_worker);
    QSignalSpy done(&recorder, &Recorder::done);
    const Combination a{InitScheme::XavierUniform, Activation::Tanh};
    const Combination b{InitScheme::KaimingNormal, Activation::Relu};
    m_worker->startDeep(tinyConfig({a, b}, 3));
    QVERIFY(done.wait(60000));

    QVERIFY(!recorder.wrongThread);
    QVERIFY2(recorder.result.error.empty(), recorder.result.error.c_str());
    QVERIFY(!recorder.result.cancelled);
    QCOMPARE(recorder.result.combinations.size(), std::size_t(2));
    // Forward from the first layer up, backward from the last layer down.
    const QStringList expected{QStringLiteral("start 0"),    QStringLiteral("forward 0 1"),  QStringLiteral("forward 0 2"),
                               QStringLiteral("forward 0 3"), QStringLiteral("backward 0 3"), QStringLiteral("backward 0 2"),
                               QStringLiteral("backward 0 1"), QStringLiteral("finished 0"),  QStringLiteral("start 1"),
                               QStringLiteral("forward 1 1"),  QStringLiteral("forward 1 2"),  QStringLiteral("forward 1 3"),
                               QStringLiteral("backward 1 3"), QStringLiteral("backward 1 2"), QStringLiteral("backward 1 1"),
                               QStringLiteral("finished 1")};
    QCOMPARE(recorder.events, expected);
    QCOMPARE(recorder.results.size(), std::size_t(2));
    QVERIFY(recorder.results[0].combination == a);
    QCOMPARE(recorder.results[0].layers.size(), std::size_t(3));

    QVERIFY(!recorder.progress.isEmpty());
    for (qsizetype i = 1; i < recorder.progress.size(); ++i)
        QVERIFY(recorder.progress[i] >= recorder.progress[i - 1]);
    QCOMPARE(recorder.progress.last(), 1.0);
}

void TestDeepWorker::cancelStopsARun()
{
    Recorder recorder(m_worker);
    QSignalSpy done(&recorder, &Recorder::done);
    // Big enough that it cannot finish before the cancel arrives, small enough to stop at once.
    DeepConfig config = tinyConfig(reportCombinations(), 400);
    config.width = 128;
    config.batch = 2000;
    m_worker->startDeep(config);
    m_worker->requestCancel();
    QVERIFY(m_worker->isCancelRequested());
    QVERIFY(done.wait(60000));
    QVERIFY(recorder.result.cancelled);
    QVERIFY(recorder.result.combinations.size() < config.combinations.size());

    // A new run forgets the old request.
    Recorder again(m_worker);
    QSignalSpy doneAgain(&again, &Recorder::done);
    m_worker->startDeep(tinyConfig({{InitScheme::Heuristic, Activation::Tanh}}));
    QVERIFY(doneAgain.wait(60000));
    QVERIFY(!again.result.cancelled);
    QCOMPARE(again.result.combinations.size(), std::size_t(1));
}

void TestDeepWorker::errorComesBackInTheResult()
{
    Recorder recorder(m_worker);
    QSignalSpy done(&recorder, &Recorder::done);
    m_worker->startDeep(tinyConfig({{InitScheme::Heuristic, Activation::Tanh}}, 0));
    QVERIFY(done.wait(60000));
    QVERIFY(!recorder.result.error.empty());
    QVERIFY(recorder.events.isEmpty());
}

void TestDeepWorker::diagnosticsComeFromTheWorkerThread()
{
    std::optional<BlasInfo> info;
    std::optional<double> gflops;
    std::atomic<QThread*> emitter{nullptr};
    QObject receiver; // on this thread: the results arrive queued, as they do in the dialog
    connect(m_worker, &DeepWorker::blasInfoReady, &receiver, [&](const BlasInfo& i) { info = i; });
    connect(m_worker, &DeepWorker::gemmMeasured, &receiver, [&](double g) { gflops = g; });
    connect(m_worker, &DeepWorker::gemmMeasured, &receiver, [&] { emitter = QThread::currentThread(); },
            Qt::DirectConnection);
    m_worker->startDiagnostics(true);
    QTRY_VERIFY_WITH_TIMEOUT(gflops.has_value(), 60000);
    QVERIFY(info.has_value());
    QVERIFY(info->hardwareThreads > 0);
    QVERIFY(!info->library.empty());
    QVERIFY(*gflops > 0.0);
    QCOMPARE(emitter.load(), m_thread->thread());
}

QTEST_MAIN(TestDeepWorker)
#include "tst_deepworker.moc"

#pragma once
// DropoutWorker runs experiment 3 (dropout and MC-dropout ensembles) on a thread of its own: it is
// moved to a QThread that someone else owns. It reads the MNIST-format data folder (tens of MB,
// gzip-compressed) and keeps it, runs core's runDropout, and turns the runner's sink callbacks into
// queued signals carrying value types, so the GUI thread never touches torch or the raw data.
// Cancellation goes through an atomic flag, because a running experiment blocks its thread's event
// queue.

#include "experiments/experimentworker.h"
#include "experiments/metatypes.h"

#include "initlab/dropout.h"
#include "initlab/mnist.h"

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>

namespace initlab::ui {

// What the GUI shows of a loaded data folder: the data stay with the worker.
struct DataSummary {
    QString folder;
    initlab::DatasetKind kind = initlab::DatasetKind::Unknown;
    QStringList classNames;
    int trainCount = 0;
    int testCount = 0;
    int rows = 0;
    int cols = 0;
};

class DropoutWorker : public ExperimentWorker
{
    Q_OBJECT

public:
    explicit DropoutWorker(QObject* parent = nullptr);

    // Called from the controlling (GUI) thread; each queues the slot of the same name on the
    // worker's thread. startRun forgets an earlier cancel request first, so a cancel that arrives
    // before the queued run begins is kept.
    void startLoad(const QString& folder);
    void startRun(const QString& folder, const initlab::DropoutConfig& config);
    void startEvaluation(const QString& folder, const QString& checkpoint, const initlab::DropoutConfig& config);

public Q_SLOTS:
    // Reads the folder (or reuses what is loaded, when its files have not changed) and emits
    // dataLoaded or dataFailed.
    void loadData(const QString& folder);
    // Loads the folder as loadData does, checks the config against the data, emits started, runs
    // the experiment. finished is sent whatever happens.
    void runExperiment(const QString& folder, const initlab::DropoutConfig& config);
    // Re-tests a saved best checkpoint on the folder's test images without training, through core's
    // evaluateCheckpoint (which checks the file against the data): one dropout-off pass and one
    // sweep of max(config.ensembleSizes) MC-dropout passes, with the config's seed, averaging, bf16,
    // threads and test limit. Reports through the same signals as a run of one p whose config (in
    // started) has ps = {the checkpoint's p}; finished carries one run with bestEpoch = the
    // checkpoint's epoch, or an error naming the file. finished is sent whatever happens.
    void evaluateCheckpoint(const QString& folder, const QString& checkpoint, const initlab::DropoutConfig& config);

Q_SIGNALS:
    void dataLoaded(const initlab::ui::DataSummary& summary);
    // error names the file and the problem, as core words it.
    void dataFailed(const QString& folder, const QString& error);

    void started(const initlab::DropoutConfig& config, const initlab::ui::DataSummary& summary);
    void epochFinished(const initlab::DropoutEpoch& epoch);
    // The running MC-dropout accuracy of run `run` (index into config.ps) after `passes` passes.
    void ensembleProgress(int run, int passes, double accuracy);
    void runFinished(int run, const initlab::DropoutRunResult& result);
    void message(const QString& text);
    void finished(const initlab::DropoutResult& result);

private:
    class EvaluationSink;

    // False (with error set) when the folder cannot be read.
    bool ensureData(const QString& folder, QString& error);
    DataSummary summary() const;

    initlab::MnistDataset m_data;
    QString m_dataKey; // folder and the size and time of each file; empty when nothing is loaded
};

// Registers DataSummary by name (the core types are in registerMetaTypes); idempotent.
void registerDropoutMetaTypes();

} // namespace initlab::ui

Q_DECLARE_METATYPE(initlab::ui::DataSummary)

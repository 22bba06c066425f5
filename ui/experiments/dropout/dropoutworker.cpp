#include "dropoutworker.h"

#include "initlab/stagedfolder.h"

#include <QDir>
#include <QFileInfo>

#include <exception>
#include <string>

namespace initlab::ui {
namespace {

// Forwards the runner's callbacks as the worker's signals.
class SignalSink final : public DropoutSink
{
public:
    // folder, when given, names the run's files where they go when the run succeeds, not in its
    // staging folder.
    explicit SignalSink(DropoutWorker& worker, const StagedFolder* folder = nullptr)
        : m_worker(worker), m_folder(folder)
    {
    }

    void onEpoch(const DropoutEpoch& epoch) override { Q_EMIT m_worker.epochFinished(epoch); }
    void onEnsemble(int run, int passes, double accuracy) override
    {
        Q_EMIT m_worker.ensembleProgress(run, passes, accuracy);
    }
    void onRunFinished(int run, const DropoutRunResult& result) override
    {
        if (!m_folder) {
            Q_EMIT m_worker.runFinished(run, result);
            return;
        }
        DropoutRunResult shown = result;
        shown.checkpointPath = m_folder->finalPathOf(shown.checkpointPath);
        shown.message = m_folder->inFinalTerms(shown.message);
        Q_EMIT m_worker.runFinished(run, shown);
    }
    void onMessage(const std::string& message) override
    {
        Q_EMIT m_worker.message(QString::fromStdString(m_folder ? m_folder->inFinalTerms(message) : message));
    }
    void onProgress(double fraction) override { m_worker.reportProgress(fraction); }

private:
    DropoutWorker& m_worker;
    const StagedFolder* m_folder = nullptr;
};

} // namespace

// What a checkpoint evaluation needs of the worker besides the run's signals: the data folder, read
// (or reused) only once the checkpoint has passed its checks, and the started signal once its
// passes begin.
class DropoutWorker::EvaluationSink final : public CheckpointEvaluationSink
{
public:
    EvaluationSink(DropoutWorker& worker, const QString& folder)
        : m_worker(worker)
        , m_signals(worker)
        , m_folder(folder)
    {
    }

    const MnistDataset* testData(std::string& error) override
    {
        QString problem;
        if (!m_worker.ensureData(m_folder, problem)) {
            Q_EMIT m_worker.dataFailed(m_folder, problem);
            error = problem.toStdString();
            return nullptr;
        }
        Q_EMIT m_worker.dataLoaded(m_worker.summary());
        return &m_worker.m_data;
    }
    // The panel shows the evaluation as a run of the one p the checkpoint was trained with.
    void onBegin(const DropoutConfig& shown, const DropoutCheckpoint&) override
    {
        Q_EMIT m_worker.started(shown, m_worker.summary());
    }
    void onEnsemble(int run, int passes, double accuracy) override { m_signals.onEnsemble(run, passes, accuracy); }
    void onRunFinished(int run, const DropoutRunResult& result) override { m_signals.onRunFinished(run, result); }
    void onProgress(double fraction) override { m_signals.onProgress(fraction); }

private:
    DropoutWorker& m_worker;
    SignalSink m_signals;
    QString m_folder;
};

namespace {

// Identifies a folder's contents cheaply: a file replaced or rewritten (a corrupt one fixed, say)
// changes its size or time, and the data are read again.
QString folderKey(const QString& folder)
{
    QString key = QDir(folder).absolutePath();
    for (std::string_view base : {kTrainImages, kTrainLabels, kTestImages, kTestLabels}) {
        const QString name = QString::fromUtf8(base.data(), qsizetype(base.size()));
        for (const QString& file : {name, name + QStringLiteral(".gz")}) {
            const QFileInfo info(QDir(folder), file);
            key += QLatin1Char('|') + file;
            if (info.exists())
                key += QStringLiteral(":%1:%2").arg(info.size()).arg(info.lastModified().toMSecsSinceEpoch());
        }
    }
    return key;
}

} // namespace

void registerDropoutMetaTypes()
{
    registerMetaTypes();
    qRegisterMetaType<initlab::ui::DataSummary>("initlab::ui::DataSummary");
}

DropoutWorker::DropoutWorker(QObject* parent)
    : ExperimentWorker(parent)
{
    registerDropoutMetaTypes();
}

void DropoutWorker::startLoad(const QString& folder)
{
    QMetaObject::invokeMethod(this, [this, folder] { loadData(folder); }, Qt::QueuedConnection);
}

void DropoutWorker::startRun(const QString& folder, const DropoutConfig& config)
{
    queue([this, folder, config] { runExperiment(folder, config); });
}

void DropoutWorker::startEvaluation(const QString& folder, const QString& checkpoint, const DropoutConfig& config)
{
    queue([this, folder, checkpoint, config] { evaluateCheckpoint(folder, checkpoint, config); });
}

void DropoutWorker::loadData(const QString& folder)
{
    QString error;
    if (ensureData(folder, error))
        Q_EMIT dataLoaded(summary());
    else
        Q_EMIT dataFailed(folder, error);
}

void DropoutWorker::runExperiment(const QString& folder, const DropoutConfig& config)
{
    // The GUI waits for finished() to leave its running state, so it is sent whatever happens.
    DropoutResult result;
    result.averageProbabilities = config.averageProbabilities;
    QString error;
    if (!ensureData(folder, error)) {
        Q_EMIT dataFailed(folder, error);
        result.error = error.toStdString();
        Q_EMIT finished(result);
        return;
    }
    Q_EMIT dataLoaded(summary());
    result.kind = m_data.kind;
    result.classNames = m_data.classNames;
    result.rows = m_data.train.rows;
    result.cols = m_data.train.cols;
    if (isCancelRequested()) {
        result.cancelled = true;
        Q_EMIT finished(result);
        return;
    }
    // Checked here rather than left to runDropout, so that the GUI clears its charts only for a run
    // that really begins.
    if (const std::string problem = validate(config, m_data); !problem.empty()) {
        result.error = problem;
        Q_EMIT finished(result);
        return;
    }
    // The checkpoints reach the run folder when the run has succeeded: a cancelled or failed run
    // leaves the checkpoints an earlier run left there as they were, and while this run writes into
    // the folder no other run can.
    StagedFolder runFolder;
    DropoutConfig staged = config;
    if (!config.runFolder.empty()) {
        if (const std::string problem = runFolder.open(config.runFolder); !problem.empty()) {
            result.error = problem;
            Q_EMIT finished(result);
            return;
        }
        staged.runFolder = runFolder.stagingPath();
    }
    Q_EMIT started(config, summary());
    try {
        SignalSink sink(*this, runFolder.isOpen() ? &runFolder : nullptr);
        result = runDropout(staged, m_data, &sink, cancelFlag());
    } catch (const std::exception& e) {
        result.error = std::string("the run failed: ") + e.what();
    } catch (...) {
        result.error = "the run failed with an unknown error";
    }
    if (runFolder.isOpen()) {
        result.error = runFolder.inFinalTerms(result.error);
        for (DropoutRunResult& run : result.runs)
            run.message = runFolder.inFinalTerms(run.message);
        const bool keep = result.error.empty() && !result.cancelled;
        if (keep)
            if (const std::string problem = runFolder.commit(); !problem.empty())
                result.error = problem;
        const bool kept = keep && result.error.empty();
        for (DropoutRunResult& run : result.runs)
            run.checkpointPath = kept ? runFolder.finalPathOf(run.checkpointPath) : std::string();
    }
    Q_EMIT finished(result);
}

void DropoutWorker::evaluateCheckpoint(const QString& folder, const QString& checkpointPath,
                                       const DropoutConfig& config)
{
    // As in runExperiment: the GUI leaves its busy state on finished(), so it is sent on every path.
    EvaluationSink sink(*this, folder);
    Q_EMIT finished(initlab::evaluateCheckpoint(checkpointPath.toStdString(), config, sink, cancelFlag()));
}

bool DropoutWorker::ensureData(const QString& folder, QString& error)
{
    if (folder.trimmed().isEmpty()) {
        error = tr("no data folder chosen: none of the places InitLab looks in holds the four MNIST-format files");
        return false;
    }
    const QString key = folderKey(folder);
    if (!m_dataKey.isEmpty() && key == m_dataKey)
        return true;
    // The old data are dropped first: two data sets need not be in memory at once.
    m_data = MnistDataset();
    m_dataKey.clear();
    std::string problem;
    bool loaded = false;
    try {
        loaded = loadMnistFolder(folder.toStdString(), m_data, problem);
    } catch (const std::bad_alloc&) {
        problem = folder.toStdString() + ": out of memory while reading the data";
    } catch (const std::exception& e) {
        problem = folder.toStdString() + ": " + e.what();
    }
    if (!loaded) {
        m_data = MnistDataset();
        error = QString::fromStdString(problem);
        return false;
    }
    m_dataKey = key;
    return true;
}

DataSummary DropoutWorker::summary() const
{
    DataSummary s;
    s.folder = QString::fromStdString(m_data.folder);
    s.kind = m_data.kind;
    for (const std::string& name : m_data.classNames)
        s.classNames << QString::fromStdString(name);
    s.trainCount = m_data.train.count;
    s.testCount = m_data.test.count;
    s.rows = m_data.train.rows;
    s.cols = m_data.train.cols;
    return s;
}

} // namespace initlab::ui

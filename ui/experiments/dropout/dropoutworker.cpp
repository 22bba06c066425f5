#include "dropoutworker.h"

#include "initlab/blas.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <string>

namespace initlab::ui {
namespace {

// Forwards the runner's callbacks as the worker's signals.
class SignalSink final : public DropoutSink
{
public:
    explicit SignalSink(DropoutWorker& worker)
        : m_worker(worker)
    {
    }

    void onEpoch(const DropoutEpoch& epoch) override { Q_EMIT m_worker.epochFinished(epoch); }
    void onEnsemble(int run, int passes, double accuracy) override
    {
        Q_EMIT m_worker.ensembleProgress(run, passes, accuracy);
    }
    void onRunFinished(int run, const DropoutRunResult& result) override { Q_EMIT m_worker.runFinished(run, result); }
    void onMessage(const std::string& message) override { Q_EMIT m_worker.message(QString::fromStdString(message)); }
    void onProgress(double fraction) override { m_worker.reportProgress(fraction); }

private:
    DropoutWorker& m_worker;
};

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
    Q_EMIT started(config, summary());
    try {
        SignalSink sink(*this);
        result = runDropout(config, m_data, &sink, cancelFlag());
    } catch (const std::exception& e) {
        result.error = std::string("the run failed: ") + e.what();
    } catch (...) {
        result.error = "the run failed with an unknown error";
    }
    Q_EMIT finished(result);
}

void DropoutWorker::evaluateCheckpoint(const QString& folder, const QString& checkpointPath,
                                       const DropoutConfig& config)
{
    // As in runExperiment: the GUI leaves its busy state on finished(), so it is sent on every path.
    DropoutResult result;
    result.averageProbabilities = config.averageProbabilities;
    const std::string path = checkpointPath.toStdString();
    // The checkpoint first: it is small, and a bad one need not wait for tens of MB of data.
    DropoutCheckpoint checkpoint;
    std::string problem;
    bool read = false;
    try {
        read = readCheckpoint(path, checkpoint, problem);
    } catch (const std::bad_alloc&) {
        problem = path + ": out of memory while reading the checkpoint";
    } catch (const std::exception& e) {
        problem = path + ": " + e.what();
    }
    if (!read) {
        result.error = problem.empty() ? path + ": cannot read the checkpoint" : problem;
        Q_EMIT finished(result);
        return;
    }
    // readCheckpoint checks the layout, not the values: a p outside [0, 1) would make every MC pass
    // meaningless (p = 1 divides by zero when scaling the kept units).
    if (!std::isfinite(checkpoint.p) || checkpoint.p < 0.0 || checkpoint.p >= 1.0) {
        result.error = path + ": the dropout probability p = " + std::to_string(checkpoint.p)
            + " in the file is not in [0, 1) (corrupt file)";
        Q_EMIT finished(result);
        return;
    }
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
    if (checkpoint.sizes.front() != m_data.test.pixelsPerImage() || checkpoint.sizes.back() != kMnistClasses) {
        result.error = path + ": the net takes " + std::to_string(checkpoint.sizes.front()) + " inputs and gives "
            + std::to_string(checkpoint.sizes.back()) + " classes, but the test images of " + m_data.folder
            + " have " + std::to_string(m_data.test.pixelsPerImage()) + " pixels and "
            + std::to_string(kMnistClasses) + " classes";
        Q_EMIT finished(result);
        return;
    }
    if (isCancelRequested()) {
        result.cancelled = true;
        Q_EMIT finished(result);
        return;
    }

    // The test set a training run of this config scores on: the first testLimit images.
    ImageSet test = m_data.test;
    if (config.testLimit > 0 && config.testLimit < test.count) {
        test.count = config.testLimit;
        test.pixels.resize(std::size_t(test.count) * std::size_t(test.pixelsPerImage()));
        test.labels.resize(std::size_t(test.count));
    }
    const int tMax = config.ensembleSizes.empty()
        ? 0
        : *std::max_element(config.ensembleSizes.begin(), config.ensembleSizes.end());

    // The panel shows the evaluation as a run of the one p the checkpoint was trained with.
    DropoutConfig shown = config;
    shown.ps = {checkpoint.p};
    shown.hidden.assign(checkpoint.sizes.begin() + 1, checkpoint.sizes.end() - 1);
    shown.testLimit = test.count;
    Q_EMIT started(shown, summary());

    DropoutRunResult run;
    run.p = checkpoint.p;
    run.bestEpoch = checkpoint.epoch;
    run.checkpointPath = path;
    try {
        SignalSink sink(*this);
        // Same thread count as a training run's sweep: the matrix products, hence the accuracies,
        // then agree to the last bit with what that run reported.
        setTorchThreads(config.threads);
        // Throttled as runDropout reports its sweep: every listed T, the last pass, and otherwise
        // at most every 50 ms, so a sweep of thousands of quick passes does not flood the GUI.
        using Clock = std::chrono::steady_clock;
        auto lastReport = Clock::now();
        const auto begun = Clock::now();
        const EnsembleEvaluation evaluation = evaluateEnsemble(
            checkpoint, test, tMax, config.averageProbabilities, config.seed, config.bf16Inference, &cancelFlag(),
            [&](int passes, double accuracy) {
                const auto now = Clock::now();
                const bool listed = std::find(config.ensembleSizes.begin(), config.ensembleSizes.end(), passes)
                    != config.ensembleSizes.end();
                if (listed || passes == tMax || now - lastReport > std::chrono::milliseconds(50)) {
                    lastReport = now;
                    sink.onEnsemble(0, passes, accuracy);
                }
                sink.onProgress(double(passes) / double(std::max(1, tMax)));
            });
        run.singlePassAcc = evaluation.singlePassAcc;
        run.ensembleAcc = evaluation.ensembleAcc;
        run.ensembleSeconds = std::chrono::duration<double>(Clock::now() - begun).count();
        run.ensembleFlops = forwardFlops(checkpoint.sizes, test.count) * double(evaluation.ensembleAcc.size());
        result.cancelled = isCancelRequested() && int(evaluation.ensembleAcc.size()) < tMax;
        Q_EMIT runFinished(0, run);
        result.runs.push_back(std::move(run));
    } catch (const std::bad_alloc&) {
        result.error = path + ": out of memory while evaluating: try fewer test images";
    } catch (const std::exception& e) {
        result.error = path + ": the evaluation failed: " + e.what();
    } catch (...) {
        result.error = path + ": the evaluation failed with an unknown error";
    }
    Q_EMIT finished(result);
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

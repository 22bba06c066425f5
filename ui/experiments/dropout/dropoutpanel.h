#pragma once
// DropoutPanel is the "Dropout & ensembles" tab (experiment 3): choose an MNIST-format data folder
// and the settings, train the 784-800-800-10 net once per dropout probability p on the
// DropoutWorker's thread, and watch the per-epoch training and validation curves fill in; then
// compare each p's best checkpoint with dropout off (one pass) against MC-dropout ensembles of T
// passes (Table I and an accuracy-vs-T curve), and look at the test images the ensemble is least
// sure about and at the confusion matrix for a chosen p and T. A p has one colour everywhere.
//
// The panel holds the run logic (the data folder's reading, runs, checkpoint evaluations, the status
// line and the log's lines); DropoutSettingsForm holds the settings and DropoutResultsView the
// pages of results.

#include "dropoutworker.h"
#include "experiments/experimentpanel.h"
#include "experiments/metatypes.h"

#include "initlab/dropout.h"
#include "initlab/experimentfile.h"

#include <QColor>
#include <QPointer>

#include <optional>

QT_BEGIN_NAMESPACE
class QMessageBox;
QT_END_NAMESPACE

namespace initlab::ui {

class DropoutFigures;
class DropoutResultsView;
class DropoutSettingsForm;

class DropoutPanel : public ExperimentPanel
{
    Q_OBJECT

public:
    enum class Page { Training, Ensembles, Uncertainty };

    // The worker lives on another thread and outlives the panel's runs; the panel does not own it.
    explicit DropoutPanel(DropoutWorker* worker, QWidget* parent = nullptr);

    // ExperimentPanel: trains with the settings in the controls. False (with the reason on the
    // status line) when a run is going on or a setting cannot be read. isRunning() is true while a
    // training run or a checkpoint evaluation goes on (Cancel and Esc stop either).
    bool start() override;
    QList<NamedFigure> exportFigures() const override;
    std::string experimentJson() const override;
    void applyExperiment(const ExperimentFile& file) override;
    bool showRecord(const RunRecord& record, QString* error = nullptr) override;
    bool rerun(const RunRecord& record) override;

    // Re-tests a saved best checkpoint (a run folder's best-p*.ckpt) on the data folder's test
    // images without training: one dropout-off pass and MC-dropout ensembles of the Ensemble sizes
    // T, with the seed, averaging, bf16, threads and test images of the controls. The ensemble chart
    // and Table I show it; evaluationFinished follows. False (with the reason on the status line)
    // while something runs or a setting cannot be read; a bad file is reported on the status line
    // when the worker has read it.
    bool evaluateCheckpoint(const QString& path);
    bool isEvaluating() const;

    // The config the controls describe; nullopt (with the reason in *error) when a field cannot be
    // read. The run folder is the one shown.
    std::optional<initlab::DropoutConfig> configFromControls(QString* error = nullptr) const;
    // Settings of the tab that are not the runner's (the data folder).
    initlab::DropoutExtras extras() const;
    // Sets every setting control from a config (as read from an experiment file); a non-empty
    // data folder is read.
    void setConfig(const initlab::DropoutConfig& config, const initlab::DropoutExtras& extras = {});
    // The config of the running or last run.
    const initlab::DropoutConfig& runConfig() const;
    // Draws a recorded run's training curves, accuracy-vs-T curves and Table I, without running
    // (the gallery and confusion matrices are not recorded). False while a run goes on.
    bool showRecordedResult(const initlab::DropoutConfig& config, const initlab::DropoutResult& result);

    // Sets the folder field and reads the folder on the worker's thread.
    void setDataFolder(const QString& folder);
    QString dataFolder() const;
    // The last loaded data set; empty folder while none is.
    const DataSummary& dataSummary() const;
    void setEpochs(int epochs);
    void setEnsembleSizes(const QString& sizes);
    // An explicit run folder (the default is a fresh timestamped folder per run).
    void setRunFolder(const QString& folder);
    QString runFolder() const;
    void showPage(Page page);

    // The last error shown in a dialog or on the status line, empty if none since the last success.
    QString lastError() const;
    // The error dialog while it is open (non-modal, so nothing waits on it), else null.
    QMessageBox* errorDialog() const;
    // The result of the last finished run.
    const initlab::DropoutResult& lastResult() const;
    // The colour of the p with this index in the running (or last) config.
    QColor colorOf(int run) const;
    // The five charts, fed by the runs and records this tab shows.
    DropoutFigures* figures() const;

Q_SIGNALS:
    void runFinished(const initlab::DropoutResult& result);
    // A checkpoint evaluation: not a run, so no run record is written for it (runStarted and
    // runFinished are not sent).
    void evaluationStarted();
    void evaluationFinished(const initlab::DropoutResult& result);

protected:
    void showEvent(QShowEvent* event) override;
    void refreshViews() override;
    void updateControls() override;

private:
    QWidget* buildSettings();
    QWidget* buildViews();
    void connectParts();

    // running
    void onStarted(const initlab::DropoutConfig& config, const DataSummary& summary);
    void onEpoch(const initlab::DropoutEpoch& epoch);
    void onEnsemble(int run, int passes, double accuracy);
    void onRunFinished(int run, const initlab::DropoutRunResult& result);
    void onMessage(const QString& text);
    void onFinished(const initlab::DropoutResult& result);
    void onTrainingFinished(const initlab::DropoutResult& result);
    void onEvaluationFinished(const initlab::DropoutResult& result);
    void logRunStart(const initlab::DropoutConfig& config, const DataSummary& summary);
    void logRunResult(int run, const initlab::DropoutRunResult& result);
    QString cancelledText(double seconds) const;
    QString finishedText(const initlab::DropoutResult& result, double seconds) const;
    QString evaluatedText(const initlab::DropoutRunResult& run, double seconds) const;

    // data
    void useDefaultFolder();
    void requestLoad();
    void onDataLoaded(const DataSummary& summary);
    void onDataFailed(const QString& folder, const QString& error);
    void showError(const QString& title, const QString& text);

    DropoutWorker* dropoutWorker() const;

    DropoutSettingsForm* m_form = nullptr;
    DropoutResultsView* m_views = nullptr;
    QPointer<QMessageBox> m_errorBox;

    bool m_evaluating = false;   // a checkpoint evaluation is the job running
    QString m_evaluatedPath;     // the checkpoint being (or last) evaluated
    bool m_loadRequested = false;
    QString m_requestedFolder;
    QString m_lastError;
    DataSummary m_data; // the folder shown in the Data box
    initlab::DropoutConfig m_runConfig;
    initlab::DropoutResult m_lastResult;
};

} // namespace initlab::ui

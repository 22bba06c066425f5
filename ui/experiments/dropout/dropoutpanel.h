#pragma once
// DropoutPanel is the "Dropout & ensembles" tab (experiment 3): choose an MNIST-format data folder
// and the settings, train the 784-800-800-10 net once per dropout probability p on the
// DropoutWorker's thread, and watch the per-epoch training and validation curves fill in; then
// compare each p's best checkpoint with dropout off (one pass) against MC-dropout ensembles of T
// passes (Table I and an accuracy-vs-T curve), and look at the test images the ensemble is least
// sure about and at the confusion matrix for a chosen p and T. A p has one colour everywhere.

#include "dropoutworker.h"
#include "experiments/experimentpanel.h"
#include "experiments/metatypes.h"

#include "initlab/dropout.h"
#include "initlab/experimentfile.h"

#include <QColor>
#include <QPointer>

#include <array>
#include <optional>
#include <vector>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QMessageBox;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTabWidget;
QT_END_NAMESPACE

namespace initlab::ui {

class ConfusionMatrixView;
class DropoutChart;
class GalleryView;

class DropoutPanel : public ExperimentPanel
{
    Q_OBJECT

public:
    enum class Chart { TrainingLoss, TrainingAccuracy, ValidationLoss, ValidationAccuracy, EnsembleAccuracy };
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
    // Draws a recorded run's training curves, accuracy-vs-T curves and Table I as a run of this
    // config would, without running (the gallery and confusion matrices are not recorded). False
    // while a run goes on.
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

    DropoutChart* chart(Chart which) const;
    QTableWidget* ensembleTable() const;
    QLabel* ensembleCaption() const;
    GalleryView* gallery() const;
    ConfusionMatrixView* confusionMatrix() const;
    QComboBox* confusionPCombo() const;
    QComboBox* confusionPassesCombo() const;
    QTabWidget* pages() const;
    QPushButton* startButton() const;
    QPushButton* evaluateButton() const;
    QLabel* dataLabel() const;
    QLabel* candidatesLabel() const;
    QPlainTextEdit* log() const;
    QLineEdit* pValuesEdit() const;
    QLineEdit* hiddenEdit() const;
    QLineEdit* learningRateEdit() const;
    QLineEdit* ensembleSizesEdit() const;
    QComboBox* initCombo() const;
    QDoubleSpinBox* sigmaSpin() const;
    QComboBox* averagingCombo() const;
    QCheckBox* bf16Toggle() const;
    QSpinBox* epochsSpin() const;
    QSpinBox* batchSpin() const;
    QSpinBox* seedSpin() const;
    QSpinBox* threadsSpin() const;
    // Training begin/end, validation begin/end.
    std::array<QSpinBox*, 4> splitSpins() const;
    // The colour of the p with this index in the running (or last) config.
    QColor colorOf(int run) const;

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
    // What one p of the running config has on the charts and in the table.
    struct Shown {
        double p = 0.0;
        QString name; // "p = 0.2"
        QColor color;
        bool finished = false;
        std::optional<initlab::DropoutRunResult> result;
    };

    void onDataLoaded(const DataSummary& summary);
    void onDataFailed(const QString& folder, const QString& error);
    void onStarted(const initlab::DropoutConfig& config, const DataSummary& summary);
    void onEpoch(const initlab::DropoutEpoch& epoch);
    void onEnsemble(int run, int passes, double accuracy);
    void onRunFinished(int run, const initlab::DropoutRunResult& result);
    void onMessage(const QString& text);
    // What a run's events draw, also for a recorded run.
    void prepareViews(const initlab::DropoutConfig& config, const DataSummary& summary);
    void addEpoch(const initlab::DropoutEpoch& epoch);
    void addRunResult(int run, const initlab::DropoutRunResult& result);
    void onFinished(const initlab::DropoutResult& result);
    void onEvaluationFinished(const initlab::DropoutResult& result);

    void chooseFolder();
    void chooseCheckpoint();
    void useDefaultFolder();
    void requestLoad();
    void updateCandidates();
    void showError(const QString& title, const QString& text);
    void clearResults();
    void setUpTable(const initlab::DropoutConfig& config);
    void fitTable();
    void fillTableRow(int run);
    void setTableCell(int run, int column, const QString& text, const QString& toolTip);
    void updateCaption(bool averageProbabilities);
    void updateUncertaintyChoices();
    void showUncertainty();
    void showConfusion();
    void refreshCharts();
    void appendLog(const QString& text);
    QString freshRunFolder() const;
    QString pName(int run) const;
    DropoutWorker* dropoutWorker() const;

    // data
    QLineEdit* m_folder = nullptr;
    QPushButton* m_browse = nullptr;
    QPushButton* m_defaultFolder = nullptr;
    QLabel* m_candidates = nullptr;
    QLabel* m_dataInfo = nullptr;
    // settings
    QLineEdit* m_ps = nullptr;
    QComboBox* m_init = nullptr;
    QDoubleSpinBox* m_sigma = nullptr;
    QLineEdit* m_hidden = nullptr;
    QLineEdit* m_learningRate = nullptr;
    QLineEdit* m_weightDecay = nullptr;
    QSpinBox* m_batch = nullptr;
    QSpinBox* m_epochs = nullptr;
    QSpinBox* m_seed = nullptr;
    QSpinBox* m_threads = nullptr;
    std::array<QSpinBox*, 4> m_splits{};
    QSpinBox* m_testLimit = nullptr;
    QLineEdit* m_ensembleSizes = nullptr;
    QComboBox* m_averaging = nullptr;
    QCheckBox* m_bf16 = nullptr;
    QLineEdit* m_runFolder = nullptr;
    QPushButton* m_browseRunFolder = nullptr;
    std::vector<QWidget*> m_settingsBoxes; // disabled while a run goes on
    // run
    QPushButton* m_start = nullptr;
    QPushButton* m_evaluate = nullptr;
    QPlainTextEdit* m_log = nullptr;
    // results
    QTabWidget* m_pages = nullptr;
    std::array<DropoutChart*, 5> m_charts{};
    QTableWidget* m_table = nullptr;
    QLabel* m_caption = nullptr;
    GalleryView* m_gallery = nullptr;
    QLabel* m_galleryCaption = nullptr;
    ConfusionMatrixView* m_confusion = nullptr;
    QLabel* m_confusionCaption = nullptr;
    QComboBox* m_uncertaintyP = nullptr;
    QComboBox* m_confusionPasses = nullptr;
    QPointer<QMessageBox> m_errorBox;

    bool m_evaluating = false;   // a checkpoint evaluation is the job running
    QString m_evaluatedPath;     // the checkpoint being (or last) evaluated
    bool m_loadRequested = false;
    bool m_runFolderAuto = true;
    bool m_uncertaintyPChosen = false; // the user picked the gallery's p in this run
    QString m_requestedFolder;
    QString m_lastError;
    DataSummary m_data;    // the folder shown in the Data box
    DataSummary m_runData; // the data of the running (or last) run, for its class names and sizes
    initlab::DropoutConfig m_runConfig;
    std::vector<int> m_tableSizes; // the ensemble sizes of the table's columns after "single pass"
    std::vector<Shown> m_shown;    // per p of m_runConfig
    initlab::DropoutResult m_lastResult;
};

} // namespace initlab::ui

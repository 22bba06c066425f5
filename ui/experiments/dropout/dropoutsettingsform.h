#pragma once
// DropoutSettingsForm is the dropout tab's left column: the data folder with the places searched
// for one, the net and its training, the ensembles, and the run (its folder, Start, "Evaluate a
// checkpoint …", the tab's progress, Cancel and status line, and a log). It turns its fields into a
// DropoutConfig and back; what a button starts is the panel's business, told through signals.

#include "initlab/dropout.h"
#include "initlab/experimentfile.h"

#include <QString>
#include <QWidget>

#include <array>
#include <optional>
#include <vector>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
QT_END_NAMESPACE

namespace initlab::ui {

class DropoutSettingsForm : public QWidget
{
    Q_OBJECT

public:
    // progress, cancel and status are the panel's own run widgets, placed in the Run box.
    DropoutSettingsForm(QWidget* progress, QWidget* cancel, QWidget* status, QWidget* parent = nullptr);

    // The config the fields describe; nullopt (with the reason in *error) when a field cannot be
    // read. The run folder is the one shown. lastGoodValues: a spin box holding what is not a
    // number in its range gives its last one that was (to save the settings with), rather than
    // make the config unreadable.
    std::optional<initlab::DropoutConfig> config(QString* error = nullptr, bool lastGoodValues = false) const;
    // Sets every field of the config (the data folder is not in it).
    void setConfig(const initlab::DropoutConfig& config);
    // Marks the training and validation range fields that problem (core's objection to the config,
    // validate()) is about, in the error red with the problem as their tooltip, until one of them
    // changes; an empty problem clears the marks. imageCount: the training file's images, 0 when
    // not known.
    void markRanges(const QString& problem, int imageCount);
    void setEpochs(int epochs);
    int epochs() const;
    void setEnsembleSizes(const QString& sizes);

    QString dataFolder() const; // trimmed
    // Only the field: reading the folder is the panel's.
    void setDataFolder(const QString& folder);
    // The line under the folder: what was read, or why nothing was (rich text).
    void setDataInfo(const QString& html, const QString& toolTip = QString());
    // Marks which of the places searched for data hold the four files.
    void updateCandidates();

    QString runFolder() const; // trimmed
    // An explicit run folder; empty goes back to a fresh timestamped folder per run.
    void setRunFolder(const QString& folder);
    // Before a run: a fresh timestamped run folder, unless the user chose one.
    void renewRunFolder();

    void appendLog(const QString& text);
    // While a run goes on the settings, Start and "Evaluate a checkpoint …" are disabled.
    void setRunning(bool running);

Q_SIGNALS:
    void startRequested();
    void checkpointChosen(const QString& path);
    // Browse chose a data folder.
    void dataFolderChosen(const QString& folder);
    void defaultDataFolderRequested();
    // Enter in the folder field, and the field left after an edit.
    void dataFolderEntered();
    void dataFolderEditingFinished();
    void epochsChanged(int epochs);
    void averagingChanged(bool averageProbabilities);
    // Something for the status line.
    void message(const QString& text);

private:
    QGroupBox* buildDataBox();
    QGroupBox* buildTrainingBox();
    void buildTrainingFields();
    QGroupBox* buildEnsembleBox();
    QGroupBox* buildRunBox(QWidget* progress, QWidget* cancel, QWidget* status);
    void buildRunFields();
    void connectFields();
    bool readLists(initlab::DropoutConfig& config, QString& error) const;
    void chooseCheckpoint();
    void openRunFolder();
    static QString freshRunFolder();

    // data
    QLineEdit* m_folder = nullptr;
    QPushButton* m_browse = nullptr;
    QPushButton* m_defaultFolder = nullptr;
    QLabel* m_candidates = nullptr;
    QLabel* m_dataInfo = nullptr;
    // net and training
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
    std::array<QSpinBox*, 4> m_splits{}; // training begin/end, validation begin/end
    QSpinBox* m_testLimit = nullptr;
    // ensembles
    QLineEdit* m_ensembleSizes = nullptr;
    QComboBox* m_averaging = nullptr;
    QCheckBox* m_bf16 = nullptr;
    // run
    QLineEdit* m_runFolder = nullptr;
    QPushButton* m_browseRunFolder = nullptr;
    QPushButton* m_openRunFolder = nullptr;
    QPushButton* m_start = nullptr;
    QPushButton* m_evaluate = nullptr;
    QPlainTextEdit* m_log = nullptr;
    std::vector<QWidget*> m_settingsBoxes; // disabled while a run goes on
    bool m_runFolderAuto = true;
};

} // namespace initlab::ui

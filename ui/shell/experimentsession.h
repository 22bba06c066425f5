#pragma once
// ExperimentSession gives the window what outlives a single run: experiment files (File ▸ Open /
// Save experiment), a run record for every run of every tab, the Runs tab that lists them (show a
// recorded run again, re-run it), and the session that persists across starts (window geometry,
// last folders, each tab's last settings, in QSettings). It lives beside the MainWindow and reaches
// the tabs only as ExperimentPanels (their settings as experiment files, their recorded runs, the
// outcome of each run), so the window itself stays small.

#include "experiments/experimentfileio.h"

#include "initlab/blas.h"
#include "initlab/experimentfile.h"
#include "initlab/runrecord.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QThreadPool>

#include <map>
#include <optional>
#include <string>

QT_BEGIN_NAMESPACE
class QAction;
class QMainWindow;
class QMenu;
class QSettings;
class QTabWidget;
QT_END_NAMESPACE

namespace initlab::ui {

class DeepWorker;
class ExperimentPanel;
class RunsPanel;

class ExperimentSession : public QObject
{
    Q_OBJECT

public:
    struct Parts {
        QMainWindow* window = nullptr;
        QTabWidget* tabs = nullptr;
        QMenu* fileMenu = nullptr;
        QAction* insertBefore = nullptr; // the File menu's entries go before this one (Quit)
        QList<ExperimentPanel*> panels;
        DeepWorker* worker = nullptr; // collects the BLAS facts for the records
    };
    explicit ExperimentSession(const Parts& parts);

    RunsPanel* runsPanel() const;
    QAction* openAction() const;
    QAction* saveAction() const;

    // The runs folder records go to (default: experimentfileio's runsFolder()).
    QString runsFolder() const;
    void setRunsFolder(const QString& folder);
    // The record the last finished run wrote, empty when it could not be written.
    QString lastRecordFolder() const;
    // Whether run records are written (on unless switched off, e.g. for screenshots).
    void setRecording(bool on);

    // The experiment the current tab holds; nullopt on a tab that is not an experiment.
    std::optional<ExperimentKind> currentKind() const;
    // The current settings of a tab as an experiment file.
    std::string experimentJson(ExperimentKind kind) const;
    // Applies a file's settings to its tab and switches to it. False with the error (naming the
    // key) when the file is refused; warnings lists unknown keys.
    bool openExperiment(const QString& path, QString* error = nullptr, QStringList* warnings = nullptr);
    // Applies parsed settings to their tab (and switches to it).
    void applyExperiment(const ExperimentFile& file);
    // Saves the kind's settings to path; empty on success, else the reason.
    QString saveExperiment(const QString& path, ExperimentKind kind) const;

    // Switches to the record's tab, applies its settings and redraws its results from the CSV files
    // without running. False with the reason when the record cannot be shown.
    bool showRun(const RunRecord& record, QString* error = nullptr);
    // Switches to the record's tab, applies its settings (seeds included) and starts the run. An
    // unreadable record (RunRecord::problem) is neither shown nor re-run.
    bool rerun(const RunRecord& record);

    // QSettings: restores the window, the folders and each tab's settings (a missing or corrupt
    // value keeps the default) and saves them again when the window closes.
    void restoreSession(QSettings& settings);
    void saveSession(QSettings& settings) const;
    // The same with the application's default QSettings; after this the session is saved on close.
    void restoreSession();

    QString lastExperimentFolder() const;

Q_SIGNALS:
    // A run record was written (folder) or could not be (error).
    void runRecorded(const QString& folder);
    void recordFailed(const QString& error);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void chooseAndOpen();
    void chooseAndSave();
    void updateActions();
    void writeRecord(ExperimentKind kind, const std::string& started, const RunOutcome& outcome);
    void recordWritten(const QString& folder, const QString& error);
    ExperimentPanel* panelOf(ExperimentKind kind) const;
    ExperimentPanel* currentPanel() const;
    void showMessage(const QString& text, int milliseconds = 10000) const;

    QMainWindow* m_window = nullptr;
    QTabWidget* m_tabs = nullptr;
    QList<ExperimentPanel*> m_panels;
    RunsPanel* m_runs = nullptr;
    QAction* m_open = nullptr;
    QAction* m_save = nullptr;

    BlasInfo m_blas; // from the deep worker's diagnostics, on its thread
    std::map<ExperimentKind, std::string> m_started; // when each tab's running run began
    QString m_lastRecord;
    QString m_lastExperimentFolder;
    bool m_recording = true;
    bool m_persistent = false;
    // Writes run records off the window's thread, one at a time, in the order the runs ended. Last
    // member: destroyed first, it waits for a record still being written.
    QThreadPool m_recordWriter;
};

} // namespace initlab::ui

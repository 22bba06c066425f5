#pragma once
// ExperimentPanel is what the three experiment tabs share, and the only face of a tab the rest of
// the window sees. It owns the run's state (idle, running, cancelling) with a stateChanged signal,
// start and cancel, the progress bar with elapsed and remaining time, the status line (errors in
// the palette's red), the ~30 Hz refresh of the views while a run goes on, and "Export all". The
// main window, the session and the status bar talk to a tab only through this class: what the tab
// runs, how it reads and writes its settings as an experiment file, and how it draws a recorded run
// are its own business (the virtual functions below).
//
// A subclass builds its own settings and views and places the shared run widgets (progressBar(),
// cancelButton(), statusLabel(), exportAllButton()) where its layout wants them; it enters a run with
// beginRun() and leaves it with endRun().

#include "initlab/experimentfile.h"
#include "initlab/runoutcome.h"
#include "initlab/runrecord.h"

#include "figures/chartexport.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <functional>
#include <optional>
#include <string>

QT_BEGIN_NAMESPACE
class QLabel;
class QProgressBar;
class QPushButton;
QT_END_NAMESPACE

namespace initlab::ui {

class ExperimentWorker;
class ExportJob;

class ExperimentPanel : public QWidget
{
    Q_OBJECT

public:
    enum class State { Idle, Running, Cancelling };
    Q_ENUM(State)

    ~ExperimentPanel() override;

    ExperimentKind kind() const;
    // "Deep", "Circles", "Dropout": the tab's name on the status bar.
    QString shortName() const;
    State state() const;
    // True while a run (or other long job of the tab) goes on, cancelling included.
    bool isRunning() const;

    // Runs the tab's experiment with the settings in its controls (Ctrl+R). False (the status line
    // says why) when a run goes on or the settings cannot be run.
    virtual bool start() = 0;
    // Runs what the homework report ran on this tab (the welcome page's button). By default start().
    virtual bool startReportDefault();
    // Asks the running job to stop; it ends soon after with what it finished.
    void cancel();

    // What the status bar shows of a run.
    double progress() const; // [0, 1]
    QString statusText() const;
    qint64 elapsedMs() const; // of the running or last run
    // Seconds left by the rate so far; nullopt while there is no fair estimate (the first percent
    // of a run, its first seconds).
    std::optional<double> secondsLeft() const;

    // Every figure of the tab with its export file name.
    virtual QList<NamedFigure> exportFigures() const = 0;
    // Asks for a folder and exports every figure into it as a job of the tab: the progress bar
    // follows it, Cancel stops it (the folder keeps what it had), the window stays responsive, and
    // exportFinished() follows. False when nothing was started (no figures, no folder chosen, a run
    // going on: its figures are still changing).
    bool exportAll();
    // The same into folder, without asking.
    bool exportAllInto(const QString& folder);
    // True while Export all or another job of the tab that writes files goes on.
    bool isExporting() const;

    // The tab's settings as an experiment file (JSON), and back.
    virtual std::string experimentJson() const = 0;
    virtual void applyExperiment(const ExperimentFile& file) = 0;
    // Draws a recorded run's results from its record's files, without running. False with the
    // reason when the record cannot be shown (a file missing or unreadable, a run going on).
    virtual bool showRecord(const RunRecord& record, QString* error = nullptr) = 0;
    // Applies the record's settings (seeds included) and starts the run.
    virtual bool rerun(const RunRecord& record) = 0;

Q_SIGNALS:
    void stateChanged(initlab::ui::ExperimentPanel::State state);
    // A run that leaves a record started; runEnded follows when it finished, was cancelled or failed.
    void runStarted();
    void runEnded(const initlab::RunOutcome& outcome);
    // What the window's status bar may show for a while.
    void statusMessage(const QString& message);
    void progressChanged(double fraction);
    // An export job ended: ok with the files written, else error (empty when it was cancelled).
    void exportFinished(bool ok, const QStringList& written, const QString& error);

protected:
    // The worker runs this tab's jobs on its thread; the panel does not own it.
    ExperimentPanel(ExperimentKind kind, ExperimentWorker* worker, QWidget* parent = nullptr);

    // Null once the window has stopped the worker's thread.
    ExperimentWorker* worker() const;
    // Enters the running state with this status: progress 0, the clock and the views' refresh
    // started. recorded: the run leaves a record, so runStarted is sent now and the subclass sends
    // runEnded when the run is over. False while a run goes on or without a worker.
    bool beginRun(const QString& status, bool recorded = true);
    // Back to idle: the clock stopped, the views refreshed a last time.
    void endRun();
    bool isCancelRequested() const;
    void setProgress(double fraction);
    // The status line, announced on the window's status bar too. Errors are red and bold.
    void setStatus(const QString& text, bool isError = false);
    // The status line only: for the steady stream of a run's progress.
    void setStatusQuietly(const QString& text);

    // A job of the tab that writes files and leaves no record, run as Export all runs: the running
    // state with this status (no runStarted), and Cancel calls cancelJob instead of the worker's
    // cancel. The subclass shows the job's progress with setProgress() and ends it with endFileJob().
    // False while a run goes on or without a worker.
    bool beginFileJob(const QString& status, std::function<void()> cancelJob);
    // The job has ended (finished as ExportJob::finished says): back to idle, and the status line says
    // doneText, or that folder is as it was (cancelled: error empty), or the error, which a dialog
    // shows too. exportFinished follows.
    void endFileJob(bool ok, const QStringList& written, const QString& error, const QString& folder,
                    const QString& doneText);

    // Called ~30 times a second while a run goes on, and once as it ends: push what changed to the
    // charts.
    virtual void refreshViews() {}
    // The tab's own buttons follow the state (the base enables Cancel).
    virtual void updateControls() {}

    QProgressBar* progressBar() const;
    QPushButton* cancelButton() const;
    QLabel* statusLabel() const;
    QPushButton* exportAllButton() const;

private:
    void setState(State state);
    void updateProgressFormat();
    void exportEnded(bool ok, const QStringList& written, const QString& error);

    ExperimentKind m_kind;
    QPointer<ExperimentWorker> m_worker;
    State m_state = State::Idle;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_cancel = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_exportAll = nullptr;
    ExportJob* m_export = nullptr; // while Export all runs
    std::function<void()> m_cancelFileJob; // while Export all or another file job runs
    QTimer m_refreshTimer;
    QElapsedTimer m_clock;
    qint64 m_lastElapsed = 0;
};

} // namespace initlab::ui

#pragma once
// The application window: the experiment tabs, the menus and the status bar. It owns the thread
// the ExperimentWorker runs on and stops it cleanly when the window closes, even mid-run.

#include "experiments/metatypes.h"

#include <QElapsedTimer>
#include <QKeySequence>
#include <QList>
#include <QMainWindow>
#include <QPair>
#include <QPointer>
#include <QThread>
#include <QTimer>

#include <array>

QT_BEGIN_NAMESPACE
class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QTabWidget;
QT_END_NAMESPACE

namespace initlab::ui {

class CirclesPanel;
class CirclesWorker;
class DeepPanel;
class DiagnosticsDialog;
class DropoutPanel;
class DropoutWorker;
class ExperimentSession;
class ExperimentWorker;
class HelpDialog;
class ReportDialog;
struct NamedFigure;
class WelcomePage;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    DeepPanel* deepPanel() const;
    CirclesPanel* circlesPanel() const;
    DropoutPanel* dropoutPanel() const;
    ExperimentWorker* worker() const;
    // Experiment files, run records, the Runs tab and the persisted session.
    ExperimentSession* session() const;
    WelcomePage* welcomePage() const;
    QTabWidget* tabs() const;
    void showDiagnostics();
    // The current tab's figures with their file names (empty on a tab without charts), and the
    // Export menu's command (Ctrl+E): asks for a folder and writes them all.
    QList<NamedFigure> currentTabFigures() const;
    bool exportCurrentTab();

    // Keyboard and menu commands. Run starts the current tab's experiment with its settings (the
    // deep tab: the selected cells, or the report's seven when none is); cancel stops the current
    // tab's run, or the only run going on when the current tab has none.
    bool runCurrentTab();
    bool cancelCurrentTab();
    // The n-th experiment tab (0 = the first after the welcome page), as Ctrl+1 .. Ctrl+9 do.
    bool showExperimentTab(int n);
    void showWelcome();
    // The guide page of the current tab (the deep tab's on the welcome page).
    void showGuide();
    void showShortcuts();
    HelpDialog* helpDialog() const; // null until the guide was first opened
    // Export > Reproduce the report: the dialog that runs all three experiments and writes the report.
    ReportDialog* showReportDialog();
    ReportDialog* reportDialog() const; // null until first shown
    // What the status bar says about the runs going on (empty when none is).
    QString runStatusText() const;
    // Every shortcut of the window's actions, for the shortcuts help.
    QList<QPair<QString, QKeySequence>> shortcutList() const;

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void stopWorker();
    void showBlasSummary(const initlab::BlasInfo& info);
    void setUpCommands(QMenu* helpMenu);
    void updateRunStatus();
    void openHelp();
    QList<QWidget*> experimentTabs() const;

    // What the status bar knows of each experiment tab's run.
    struct RunWatch {
        QString name;
        QWidget* panel = nullptr;
        QProgressBar* progress = nullptr;
        QLabel* status = nullptr;
        QElapsedTimer clock;
        bool running = false;
    };
    bool isPanelRunning(const QWidget* panel) const;
    void cancelPanel(QWidget* panel);

    QThread m_workerThread;
    QPointer<ExperimentWorker> m_worker; // deleted on its own thread when the thread finishes
    // The circles lab trains on a thread of its own too, so a long comparison does not hold up the
    // deep tab (and the other way round).
    QThread m_circlesThread;
    QPointer<CirclesWorker> m_circlesWorker;
    CirclesPanel* m_circlesPanel = nullptr;
    // The dropout experiment has a thread of its own: its data and long runs do not wait behind
    // (or hold up) the other tabs.
    QThread m_dropoutThread;
    QPointer<DropoutWorker> m_dropoutWorker;
    DropoutPanel* m_dropoutPanel = nullptr;
    QTabWidget* m_tabs = nullptr;
    DeepPanel* m_deepPanel = nullptr;
    DiagnosticsDialog* m_diagnostics = nullptr;
    QLabel* m_blasSummary = nullptr;
    WelcomePage* m_welcome = nullptr;
    ExperimentSession* m_session = nullptr;
    HelpDialog* m_help = nullptr;
    ReportDialog* m_reportDialog = nullptr;
    QLabel* m_runStatus = nullptr;
    std::array<RunWatch, 3> m_runs;
    QTimer m_runStatusTimer;
    QList<QAction*> m_tabActions; // Ctrl+1 .. Ctrl+9
};

} // namespace initlab::ui

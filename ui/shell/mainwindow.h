#pragma once
// The application window: the experiment tabs, the menus and the status bar. It owns the threads
// the tabs' workers run on and stops them cleanly when the window closes, even mid-run. It talks to
// the experiment tabs only as ExperimentPanels: run, cancel, status and export are the same calls
// for every tab.

#include "experiments/deep/deepworker.h"
#include "experiments/circles/circlesworker.h"
#include "experiments/dropout/dropoutworker.h"
#include "experiments/workerthread.h"

#include "initlab/experimentfile.h"

#include <QKeySequence>
#include <QList>
#include <QMainWindow>
#include <QPair>
#include <QTimer>

QT_BEGIN_NAMESPACE
class QAction;
class QLabel;
class QMenu;
class QTabWidget;
QT_END_NAMESPACE

namespace initlab::ui {

class CirclesPanel;
class DeepPanel;
class DiagnosticsDialog;
class DropoutPanel;
class ExperimentPanel;
class ExperimentSession;
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
    ExperimentPanel* panelOf(ExperimentKind kind) const;
    // The worker whose thread also answers the diagnostics (BLAS facts, GEMM rate).
    DeepWorker* worker() const;
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
    void addExperimentTab(ExperimentPanel* panel, const QString& title, const QString& toolTip);
    QMenu* buildFileMenu(QAction** quit);
    void buildExportMenu(QMenu* before);
    void buildRunAndViewMenus(QMenu* before);
    void buildHelpMenu(QMenu* help);
    void connectWelcomePage();
    void buildStatusBar();
    void stopWorkers();
    void showBlasSummary(const initlab::BlasInfo& info);
    void updateRunStatus();
    void openHelp();
    ExperimentPanel* currentPanel() const;
    QList<QWidget*> experimentTabs() const;

    WorkerThread<DeepWorker> m_deepThread{QStringLiteral("InitLab deep")};
    // The circles lab and the dropout experiment train on threads of their own too, so a long run of
    // one tab does not hold up another.
    WorkerThread<CirclesWorker> m_circlesThread{QStringLiteral("InitLab circles")};
    WorkerThread<DropoutWorker> m_dropoutThread{QStringLiteral("InitLab dropout")};
    DeepPanel* m_deepPanel = nullptr;
    CirclesPanel* m_circlesPanel = nullptr;
    DropoutPanel* m_dropoutPanel = nullptr;
    QList<ExperimentPanel*> m_panels;
    QTabWidget* m_tabs = nullptr;
    DiagnosticsDialog* m_diagnostics = nullptr;
    QLabel* m_blasSummary = nullptr;
    WelcomePage* m_welcome = nullptr;
    ExperimentSession* m_session = nullptr;
    HelpDialog* m_help = nullptr;
    ReportDialog* m_reportDialog = nullptr;
    QLabel* m_runStatus = nullptr;
    QString m_runStatusFull; // the run line before eliding
    QTimer m_runStatusTimer;
    QList<QAction*> m_tabActions; // Ctrl+1 .. Ctrl+9
};

} // namespace initlab::ui

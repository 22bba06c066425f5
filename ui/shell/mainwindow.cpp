#include "mainwindow.h"

#include "diagnosticsdialog.h"
#include "experimentsession.h"
#include "helpdialog.h"
#include "reportdialog.h"
#include "welcomepage.h"

#include "common/formatting.h"
#include "experiments/circles/circlespanel.h"
#include "experiments/deep/deeppanel.h"
#include "experiments/dropout/dropoutpanel.h"
#include "figures/chartexport.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QFontMetrics>
#include <QLabel>
#include <QMenuBar>
#include <QProgressBar>
#include <QStatusBar>
#include <QTabWidget>

#include <algorithm>

namespace initlab::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("InitLab"));
    setObjectName(QStringLiteral("mainWindow"));

    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("experimentTabs"));
    m_tabs->setDocumentMode(true);
    m_deepPanel = new DeepPanel(m_deepThread.worker());
    addExperimentTab(m_deepPanel, tr("Deep signal propagation"),
                     tr("Experiment 1: how init scheme and activation decide whether activations and gradients "
                        "survive a deep fully connected net."));
    m_circlesPanel = new CirclesPanel(m_circlesThread.worker());
    addExperimentTab(m_circlesPanel, tr("Circles lab"),
                     tr("Experiment 2: whether input normalization and init let a small net learn two concentric "
                        "rings; live decision boundaries, many seeds."));
    m_dropoutPanel = new DropoutPanel(m_dropoutThread.worker());
    addExperimentTab(m_dropoutPanel, tr("Dropout && ensembles"),
                     tr("Experiment 3: dropout on MNIST-format images, and what averaging many dropout passes at "
                        "test time (MC dropout) buys."));
    // The welcome page comes first; after the first start InitLab opens on the deep tab unless the
    // page's check box asks for it.
    m_welcome = new WelcomePage;
    m_tabs->insertTab(0, m_welcome, tr("Welcome"));
    m_tabs->setTabToolTip(0, tr("What each tab shows, and buttons that run the report's defaults."));
    m_tabs->setCurrentWidget(WelcomePage::takeShowAtStart() ? static_cast<QWidget*>(m_welcome) : m_deepPanel);
    setCentralWidget(m_tabs);

    QAction* quit = nullptr;
    QMenu* fileMenu = buildFileMenu(&quit);
    QMenu* helpMenu = menuBar()->addMenu(tr("&Help"));
    buildRunAndViewMenus(helpMenu);
    buildExportMenu(helpMenu);
    buildHelpMenu(helpMenu);
    connectWelcomePage();
    buildStatusBar();

    // Experiment files, run records, the Runs tab and the persisted session.
    m_session = new ExperimentSession({this, m_tabs, fileMenu, quit, m_panels, m_deepThread.worker()});
}

MainWindow::~MainWindow()
{
    stopWorkers();
}

void MainWindow::addExperimentTab(ExperimentPanel* panel, const QString& title, const QString& toolTip)
{
    const int index = m_tabs->addTab(panel, title);
    m_tabs->setTabToolTip(index, toolTip);
    m_panels.append(panel);
    // A running panel's own status is already in the run line; everything else (a refused click, an
    // error, the end of a run) shows for ten seconds.
    connect(panel, &ExperimentPanel::statusMessage, this, [this, panel](const QString& message) {
        if (panel->isRunning() && message == panel->statusText())
            return;
        statusBar()->showMessage(message, 10000);
    });
    // The status bar's run line follows every tab's runs.
    connect(panel, &ExperimentPanel::stateChanged, this, [this](ExperimentPanel::State state) {
        if (state != ExperimentPanel::State::Idle && !m_runStatusTimer.isActive())
            m_runStatusTimer.start();
        updateRunStatus();
    });
    connect(panel, &ExperimentPanel::progressChanged, this, &MainWindow::updateRunStatus);
}

QMenu* MainWindow::buildFileMenu(QAction** quit)
{
    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    *quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    (*quit)->setShortcut(QKeySequence::Quit);
    (*quit)->setMenuRole(QAction::QuitRole);
    return fileMenu;
}

// Export: every figure of the current tab (a chart's own right-click menu exports one), and the
// whole report.
void MainWindow::buildExportMenu(QMenu* before)
{
    QMenu* exportMenu = new QMenu(tr("E&xport"), this);
    exportMenu->setObjectName(QStringLiteral("exportMenu"));
    QAction* exportAll = exportMenu->addAction(tr("&Export all figures of this tab …"), this, [this] { exportCurrentTab(); });
    exportAll->setObjectName(QStringLiteral("exportAllAction"));
    exportAll->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    exportAll->setStatusTip(tr("Writes the current tab's charts as PNG, SVG and PDF and their data as CSV into a folder."));
    // Only a tab with charts has something to export; the shortcut follows the tab, menu or not.
    const auto updateExport = [this, exportAll] { exportAll->setEnabled(!currentTabFigures().isEmpty()); };
    connect(m_tabs, &QTabWidget::currentChanged, this, updateExport);
    updateExport();
    exportMenu->addSeparator();
    QAction* reproduce = exportMenu->addAction(tr("&Reproduce the report …"), this, [this] { showReportDialog(); });
    reproduce->setObjectName(QStringLiteral("reproduceReportAction"));
    reproduce->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    reproduce->setStatusTip(tr("Runs all three experiments at the report's settings and writes report.html with "
                               "figures 1-14, Table I, the CSV files and the run records."));
    menuBar()->insertMenu(before->menuAction(), exportMenu);
}

void MainWindow::buildRunAndViewMenus(QMenu* before)
{
    QMenu* runMenu = new QMenu(tr("&Run"), this);
    runMenu->setObjectName(QStringLiteral("runMenu"));
    QAction* run = runMenu->addAction(tr("&Run this tab's experiment"), this, [this] { runCurrentTab(); });
    run->setObjectName(QStringLiteral("runAction"));
    run->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    run->setToolTip(tr("Deep tab: the selected cells, or the report's seven when none is selected. Circles: Train "
                       "all. Dropout: Start."));
    QAction* cancel = runMenu->addAction(tr("&Cancel the run"), this, [this] { cancelCurrentTab(); });
    cancel->setObjectName(QStringLiteral("cancelAction"));
    cancel->setShortcut(QKeySequence(Qt::Key_Escape));
    menuBar()->insertMenu(before->menuAction(), runMenu);

    QMenu* viewMenu = new QMenu(tr("&View"), this);
    viewMenu->setObjectName(QStringLiteral("viewMenu"));
    QAction* welcome = viewMenu->addAction(tr("&Welcome page"), this, &MainWindow::showWelcome);
    welcome->setObjectName(QStringLiteral("welcomeAction"));
    welcome->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    QMenu* goTo = viewMenu->addMenu(tr("&Go to tab"));
    for (int n = 0; n < 9; ++n) {
        auto* action = new QAction(this);
        action->setObjectName(QStringLiteral("tabAction%1").arg(n + 1));
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + n)));
        connect(action, &QAction::triggered, this, [this, n] { showExperimentTab(n); });
        addAction(action); // works whether or not the menu lists it
        m_tabActions.append(action);
    }
    // Tabs may be added after the window is built, so the list is made when the menu opens.
    connect(goTo, &QMenu::aboutToShow, this, [this, goTo] {
        goTo->clear();
        const QList<QWidget*> tabs = experimentTabs();
        for (int n = 0; n < tabs.size() && n < m_tabActions.size(); ++n) {
            m_tabActions[n]->setText(m_tabs->tabText(m_tabs->indexOf(tabs[n])));
            goTo->addAction(m_tabActions[n]);
        }
    });
    viewMenu->addSeparator();
    QAction* fullScreen = viewMenu->addAction(tr("&Full screen"));
    fullScreen->setObjectName(QStringLiteral("fullScreenAction"));
    fullScreen->setCheckable(true);
    fullScreen->setShortcut(QKeySequence(Qt::Key_F11));
    connect(fullScreen, &QAction::toggled, this, [this](bool on) {
        if (on)
            showFullScreen();
        else
            showNormal();
    });
    menuBar()->insertMenu(before->menuAction(), viewMenu);
}

// Help: the guide, the shortcuts and the welcome page, then About.
void MainWindow::buildHelpMenu(QMenu* help)
{
    QAction* guide = help->addAction(tr("&Guide to this tab"), this, &MainWindow::showGuide);
    guide->setObjectName(QStringLiteral("guideAction"));
    guide->setShortcut(QKeySequence(Qt::Key_F1));
    QAction* keys = help->addAction(tr("&Keyboard shortcuts"), this, &MainWindow::showShortcuts);
    keys->setObjectName(QStringLiteral("shortcutsAction"));
    help->addAction(tr("&Welcome page"), this, &MainWindow::showWelcome);
    help->addSeparator();
    QAction* about = help->addAction(tr("&About / Diagnostics …"), this, &MainWindow::showDiagnostics);
    about->setMenuRole(QAction::AboutRole);
}

// The welcome page's buttons open a tab, run its report default, or reproduce the whole report.
void MainWindow::connectWelcomePage()
{
    connect(m_welcome, &WelcomePage::openRequested, this,
            [this](ExperimentKind kind) { m_tabs->setCurrentWidget(panelOf(kind)); });
    connect(m_welcome, &WelcomePage::reproduceRequested, this, [this] { showReportDialog(); });
    connect(m_welcome, &WelcomePage::runRequested, this, [this](ExperimentKind kind) {
        ExperimentPanel* panel = panelOf(kind);
        m_tabs->setCurrentWidget(panel);
        panel->startReportDefault();
    });
}

// The run line (what runs, for how long, how much is left) left of the BLAS summary.
void MainWindow::buildStatusBar()
{
    m_runStatusTimer.setInterval(500);
    connect(&m_runStatusTimer, &QTimer::timeout, this, &MainWindow::updateRunStatus);
    m_runStatus = new QLabel;
    m_runStatus->setObjectName(QStringLiteral("runStatus"));
    m_runStatus->setToolTip(tr("The runs going on: the experiment, what it is doing, the time since it started and "
                               "an estimate of the time left from its progress so far."));
    m_runStatus->hide();
    statusBar()->addPermanentWidget(m_runStatus);

    m_blasSummary = new QLabel;
    m_blasSummary->setObjectName(QStringLiteral("blasSummary"));
    statusBar()->addPermanentWidget(m_blasSummary);
    connect(m_deepThread.worker(), &DeepWorker::blasInfoReady, this, &MainWindow::showBlasSummary);
    // Cheap (no GEMM): fills the status bar's BLAS summary.
    m_deepThread.worker()->startDiagnostics(false);
}

ReportDialog* MainWindow::showReportDialog()
{
    if (!m_reportDialog) {
        m_reportDialog = new ReportDialog(this);
        // The report's run shows on the status bar's run line like a tab's, so it is seen with the
        // dialog behind the window.
        connect(m_reportDialog->progressBar(), &QProgressBar::valueChanged, this, [this] {
            if (!m_runStatusTimer.isActive())
                m_runStatusTimer.start();
            updateRunStatus();
        });
        connect(m_reportDialog, &ReportDialog::reportFinished, this, &MainWindow::updateRunStatus,
                Qt::QueuedConnection);
    }
    // The images the Dropout tab uses are the report's too.
    if (!m_reportDialog->isRunning())
        m_reportDialog->setDataFolder(m_dropoutPanel->dataFolder());
    m_reportDialog->show();
    m_reportDialog->raise();
    m_reportDialog->activateWindow();
    return m_reportDialog;
}

ReportDialog* MainWindow::reportDialog() const
{
    return m_reportDialog;
}

ExperimentPanel* MainWindow::currentPanel() const
{
    return qobject_cast<ExperimentPanel*>(m_tabs->currentWidget());
}

QList<NamedFigure> MainWindow::currentTabFigures() const
{
    const ExperimentPanel* panel = currentPanel();
    return panel ? panel->exportFigures() : QList<NamedFigure>();
}

bool MainWindow::exportCurrentTab()
{
    const QList<NamedFigure> figures = currentTabFigures();
    if (figures.isEmpty()) {
        statusBar()->showMessage(tr("This tab has no figures to export."), 5000);
        return false;
    }
    // The tab runs the job and shows its progress; its status line reaches the status bar.
    return currentPanel()->exportAll();
}

ExperimentSession* MainWindow::session() const
{
    return m_session;
}

DeepPanel* MainWindow::deepPanel() const
{
    return m_deepPanel;
}

CirclesPanel* MainWindow::circlesPanel() const
{
    return m_circlesPanel;
}

DropoutPanel* MainWindow::dropoutPanel() const
{
    return m_dropoutPanel;
}

ExperimentPanel* MainWindow::panelOf(ExperimentKind kind) const
{
    const auto found = std::find_if(m_panels.begin(), m_panels.end(),
                                    [kind](const ExperimentPanel* panel) { return panel->kind() == kind; });
    return found == m_panels.end() ? nullptr : *found;
}

DeepWorker* MainWindow::worker() const
{
    return m_deepThread.worker();
}

void MainWindow::showDiagnostics()
{
    if (!m_diagnostics)
        m_diagnostics = new DiagnosticsDialog(m_deepThread.worker(), this);
    m_diagnostics->show();
    m_diagnostics->raise();
    m_diagnostics->activateWindow();
    m_diagnostics->measure(m_deepPanel->isRunning());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    stopWorkers();
    QMainWindow::closeEvent(event);
}

void MainWindow::stopWorkers()
{
    // Each run polls its cancel flag (after every layer, epoch, training step or MC pass), so the
    // threads end soon after.
    m_circlesThread.stop();
    m_dropoutThread.stop();
    m_deepThread.stop();
}

void MainWindow::showBlasSummary(const BlasInfo& info)
{
    // OpenBLAS's config string is long ("OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH ..."): the first two
    // words name it; the rest is in the tooltip and the Diagnostics dialog.
    const QString library = QString::fromStdString(info.library);
    QString text = library.section(QLatin1Char(' '), 0, 1);
    if (!info.coreName.empty())
        text += tr(", %1 kernels").arg(QString::fromStdString(info.coreName));
    text += tr(" · %1 hardware threads").arg(info.hardwareThreads);
    m_blasSummary->setText(text);
    m_blasSummary->setToolTip(library + QLatin1Char('\n')
                              + tr("Help ▸ About / Diagnostics measures the matrix-product speed."));
}

WelcomePage* MainWindow::welcomePage() const
{
    return m_welcome;
}

QTabWidget* MainWindow::tabs() const
{
    return m_tabs;
}

QList<QWidget*> MainWindow::experimentTabs() const
{
    QList<QWidget*> tabs;
    for (int i = 0; i < m_tabs->count(); ++i)
        if (m_tabs->widget(i) != m_welcome)
            tabs.append(m_tabs->widget(i));
    return tabs;
}

bool MainWindow::runCurrentTab()
{
    if (ExperimentPanel* panel = currentPanel())
        return panel->start();
    statusBar()->showMessage(tr("Ctrl+R runs the experiment of the tab shown: pick one with Ctrl+1 … Ctrl+3."), 5000);
    return false;
}

bool MainWindow::cancelCurrentTab()
{
    ExperimentPanel* current = currentPanel();
    if (current && current->isRunning()) {
        current->cancel();
        return true;
    }
    // From another tab, Esc still stops a run when it is the only one (the status bar names it).
    QList<ExperimentPanel*> running;
    for (ExperimentPanel* panel : m_panels)
        if (panel->isRunning())
            running.append(panel);
    if (running.size() != 1)
        return false;
    running.front()->cancel();
    return true;
}

bool MainWindow::showExperimentTab(int n)
{
    const QList<QWidget*> tabs = experimentTabs();
    if (n < 0 || n >= tabs.size())
        return false;
    m_tabs->setCurrentWidget(tabs[n]);
    return true;
}

void MainWindow::showWelcome()
{
    m_tabs->setCurrentWidget(m_welcome);
}

void MainWindow::openHelp()
{
    if (!m_help)
        m_help = new HelpDialog(this);
    m_help->setShortcuts(shortcutList());
    m_help->show();
    m_help->raise();
    m_help->activateWindow();
}

void MainWindow::showGuide()
{
    openHelp();
    const ExperimentPanel* panel = currentPanel();
    const ExperimentKind kind = panel ? panel->kind() : ExperimentKind::Deep;
    m_help->showPage(kind == ExperimentKind::Circles   ? HelpDialog::Page::Circles
                     : kind == ExperimentKind::Dropout ? HelpDialog::Page::Dropout
                                                       : HelpDialog::Page::Deep);
}

void MainWindow::showShortcuts()
{
    openHelp();
    m_help->showPage(HelpDialog::Page::Shortcuts);
}

HelpDialog* MainWindow::helpDialog() const
{
    return m_help;
}

QList<QPair<QString, QKeySequence>> MainWindow::shortcutList() const
{
    // The menus' actions in menu order, then the window's own (the tab keys); whatever other parts
    // of the window add (export, files) is listed as soon as it exists.
    QList<QAction*> actions;
    const auto collect = [&actions](const auto& self, const QList<QAction*>& list) -> void {
        for (QAction* action : list) {
            if (action->menu())
                self(self, action->menu()->actions());
            else if (!actions.contains(action))
                actions.append(action);
        }
    };
    collect(collect, menuBar()->actions());
    collect(collect, QWidget::actions());
    const QList<QWidget*> tabs = experimentTabs();
    QList<QPair<QString, QKeySequence>> list;
    for (QAction* action : actions) {
        if (action->shortcut().isEmpty())
            continue;
        QString text = action->text();
        const int tab = int(m_tabActions.indexOf(action));
        if (tab >= 0) {
            if (tab >= tabs.size())
                continue;
            text = tr("Show the %1 tab").arg(m_tabs->tabText(m_tabs->indexOf(tabs[tab])));
        }
        text.replace(QStringLiteral("&&"), QStringLiteral("\u0001"));
        text.remove(QLatin1Char('&'));
        text.replace(QStringLiteral("\u0001"), QStringLiteral("&"));
        text.remove(QStringLiteral(" …")).remove(QStringLiteral("…"));
        list.append({text, action->shortcut()});
    }
    return list;
}

QString MainWindow::runStatusText() const
{
    return m_runStatusFull;
}

void MainWindow::updateRunStatus()
{
    const auto shortened = [](const QString& text) {
        const QString line = text.simplified();
        return line.size() > 90 ? line.left(88) + QStringLiteral(" …") : line;
    };
    QStringList parts;
    for (const ExperimentPanel* panel : std::as_const(m_panels)) {
        if (!panel->isRunning())
            continue;
        const std::optional<double> left = panel->secondsLeft();
        const QString remaining = left ? tr("about %1 remaining").arg(clockText(qint64(*left * 1000.0)))
                                       : tr("estimating the time remaining");
        parts << tr("%1: %2 · %3 % · %4 elapsed · %5")
                     .arg(panel->shortName(), shortened(panel->statusText()))
                     .arg(int(panel->progress() * 100.0))
                     .arg(clockText(panel->elapsedMs()), remaining);
    }
    if (m_reportDialog && m_reportDialog->isRunning()) {
        const QProgressBar* bar = m_reportDialog->progressBar();
        parts << tr("Report: %1 · %2 %")
                     .arg(shortened(m_reportDialog->statusLabel()->text()))
                     .arg(100 * bar->value() / std::max(1, bar->maximum()));
    }
    if (parts.isEmpty()) {
        m_runStatusTimer.stop();
        m_runStatusFull.clear();
        m_runStatus->clear();
        m_runStatus->hide();
        return;
    }
    // At most half the bar, elided, so a message beside it (a refused click) stays readable; a
    // message from before the run (a file loaded) gives way to it.
    if (m_runStatus->isHidden())
        statusBar()->clearMessage();
    m_runStatusFull = parts.join(QStringLiteral("  |  "));
    m_runStatus->setText(m_runStatus->fontMetrics().elidedText(m_runStatusFull, Qt::ElideMiddle,
                                                               std::max(200, statusBar()->width() / 2)));
    m_runStatus->show();
}

} // namespace initlab::ui

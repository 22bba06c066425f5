#include "mainwindow.h"

#include "figures/chartexport.h"
#include "experiments/circles/circlespanel.h"
#include "experiments/circles/circlesworker.h"
#include "experiments/deep/deeppanel.h"
#include "diagnosticsdialog.h"
#include "experiments/dropout/dropoutpanel.h"
#include "experiments/dropout/dropoutworker.h"
#include "experimentsession.h"
#include "experiments/deep/experimentworker.h"
#include "helpdialog.h"
#include "experiments/deep/initmatrix.h"
#include "reportdialog.h"
#include "welcomepage.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QMenuBar>
#include <QProgressBar>
#include <QStatusBar>
#include <QTabWidget>

#include <algorithm>

namespace initlab::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_worker(new ExperimentWorker)
{
    setWindowTitle(QStringLiteral("InitLab"));
    setObjectName(QStringLiteral("mainWindow"));

    m_workerThread.setObjectName(QStringLiteral("InitLab experiments"));
    m_worker->moveToThread(&m_workerThread);
    connect(&m_workerThread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_workerThread.start();

    m_deepPanel = new DeepPanel(m_worker);
    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("experimentTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_deepPanel, tr("Deep signal propagation"));
    m_tabs->setTabToolTip(0, tr("Experiment 1: how init scheme and activation decide whether activations and "
                                "gradients survive a deep fully connected net."));

    m_circlesWorker = new CirclesWorker;
    m_circlesThread.setObjectName(QStringLiteral("InitLab circles"));
    m_circlesWorker->moveToThread(&m_circlesThread);
    connect(&m_circlesThread, &QThread::finished, m_circlesWorker, &QObject::deleteLater);
    m_circlesThread.start();
    m_circlesPanel = new CirclesPanel(m_circlesWorker);
    const int circlesTab = m_tabs->addTab(m_circlesPanel, tr("Circles lab"));
    m_tabs->setTabToolTip(circlesTab, tr("Experiment 2: whether input normalization and init let a small net learn "
                                         "two concentric rings; live decision boundaries, many seeds."));
    connect(m_circlesPanel, &CirclesPanel::statusMessage, this, [this](const QString& message) {
        statusBar()->showMessage(message, 10000);
    });

    m_dropoutWorker = new DropoutWorker;
    m_dropoutThread.setObjectName(QStringLiteral("InitLab dropout"));
    m_dropoutWorker->moveToThread(&m_dropoutThread);
    connect(&m_dropoutThread, &QThread::finished, m_dropoutWorker, &QObject::deleteLater);
    m_dropoutThread.start();
    m_dropoutPanel = new DropoutPanel(m_dropoutWorker);
    const int dropoutTab = m_tabs->addTab(m_dropoutPanel, tr("Dropout && ensembles"));
    m_tabs->setTabToolTip(dropoutTab, tr("Experiment 3: dropout on MNIST-format images, and what averaging many "
                                         "dropout passes at test time (MC dropout) buys."));
    connect(m_dropoutPanel, &DropoutPanel::statusMessage, this, [this](const QString& message) {
        statusBar()->showMessage(message, 10000);
    });
    // The welcome page comes first; after the first start InitLab opens on the deep tab unless the
    // page's check box asks for it.
    m_welcome = new WelcomePage;
    m_tabs->insertTab(0, m_welcome, tr("Welcome"));
    m_tabs->setTabToolTip(0, tr("What each tab shows, and buttons that run the report's defaults."));
    m_tabs->setCurrentWidget(WelcomePage::takeShowAtStart() ? static_cast<QWidget*>(m_welcome) : m_deepPanel);
    setCentralWidget(m_tabs);

    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    QAction* quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu* helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction* about = helpMenu->addAction(tr("&About / Diagnostics …"), this, &MainWindow::showDiagnostics);
    about->setMenuRole(QAction::AboutRole);
    setUpCommands(helpMenu);

    // --- Export: every figure of the current tab (a chart's own right-click menu exports one)
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
    menuBar()->insertMenu(helpMenu->menuAction(), exportMenu);

    m_blasSummary = new QLabel;
    m_blasSummary->setObjectName(QStringLiteral("blasSummary"));
    statusBar()->addPermanentWidget(m_blasSummary);
    connect(m_deepPanel, &DeepPanel::statusMessage, this, [this](const QString& message) {
        statusBar()->showMessage(message, 10000);
    });
    connect(m_worker, &ExperimentWorker::blasInfoReady, this, &MainWindow::showBlasSummary);
    // Cheap (no GEMM): fills the status bar's BLAS summary.
    m_worker->startDiagnostics(false);

    // Experiment files, run records, the Runs tab and the persisted session.
    m_session = new ExperimentSession(
        {this, m_tabs, fileMenu, quit, m_deepPanel, m_circlesPanel, m_dropoutPanel, m_worker});
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

MainWindow::~MainWindow()
{
    stopWorker();
}

QList<NamedFigure> MainWindow::currentTabFigures() const
{
    QWidget* current = m_tabs->currentWidget();
    if (current == m_deepPanel)
        return m_deepPanel->exportFigures();
    if (current == m_circlesPanel)
        return m_circlesPanel->exportFigures();
    if (current == m_dropoutPanel)
        return m_dropoutPanel->exportFigures();
    return {};
}

bool MainWindow::exportCurrentTab()
{
    const QList<NamedFigure> figures = currentTabFigures();
    if (figures.isEmpty()) {
        statusBar()->showMessage(tr("This tab has no figures to export."), 5000);
        return false;
    }
    const bool ok = chartexport::exportAllInteractive(this, figures);
    if (ok)
        statusBar()->showMessage(tr("Exported %1 figures.").arg(figures.size()), 5000);
    return ok;
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

ExperimentWorker* MainWindow::worker() const
{
    return m_worker;
}

void MainWindow::showDiagnostics()
{
    if (!m_diagnostics)
        m_diagnostics = new DiagnosticsDialog(m_worker, this);
    m_diagnostics->show();
    m_diagnostics->raise();
    m_diagnostics->activateWindow();
    m_diagnostics->measure(m_deepPanel->isRunning());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    stopWorker();
    QMainWindow::closeEvent(event);
}

void MainWindow::stopWorker()
{
    // The circles run polls its flag after every epoch.
    if (m_circlesThread.isRunning()) {
        if (m_circlesWorker)
            m_circlesWorker->requestCancel();
        m_circlesThread.quit();
        m_circlesThread.wait();
    }
    // The dropout run polls its flag after every training step and MC pass.
    if (m_dropoutThread.isRunning()) {
        if (m_dropoutWorker)
            m_dropoutWorker->requestCancel();
        m_dropoutThread.quit();
        m_dropoutThread.wait();
    }
    if (!m_workerThread.isRunning())
        return;
    // The run polls the flag after every layer, so quit() is seen soon after.
    if (m_worker)
        m_worker->requestCancel();
    m_workerThread.quit();
    m_workerThread.wait();
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

void MainWindow::setUpCommands(QMenu* helpMenu)
{
    // --- the welcome page's buttons
    const auto panelOf = [this](WelcomePage::Experiment experiment) -> QWidget* {
        switch (experiment) {
        case WelcomePage::Experiment::Deep:
            return m_deepPanel;
        case WelcomePage::Experiment::Circles:
            return m_circlesPanel;
        case WelcomePage::Experiment::Dropout:
            return m_dropoutPanel;
        }
        return nullptr;
    };
    connect(m_welcome, &WelcomePage::openRequested, this,
            [this, panelOf](WelcomePage::Experiment experiment) { m_tabs->setCurrentWidget(panelOf(experiment)); });
    connect(m_welcome, &WelcomePage::reproduceRequested, this, [this] { showReportDialog(); });
    connect(m_welcome, &WelcomePage::runRequested, this, [this, panelOf](WelcomePage::Experiment experiment) {
        m_tabs->setCurrentWidget(panelOf(experiment));
        switch (experiment) {
        case WelcomePage::Experiment::Deep:
            m_deepPanel->runReportCombinations();
            break;
        case WelcomePage::Experiment::Circles:
            m_circlesPanel->trainAll();
            break;
        case WelcomePage::Experiment::Dropout:
            m_dropoutPanel->start();
            break;
        }
    });

    // --- Run and View menus, before Help
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
    menuBar()->insertMenu(helpMenu->menuAction(), runMenu);

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
    menuBar()->insertMenu(helpMenu->menuAction(), viewMenu);

    // --- Help: the guide and the shortcuts before About
    QAction* first = helpMenu->actions().isEmpty() ? nullptr : helpMenu->actions().first();
    QAction* guide = new QAction(tr("&Guide to this tab"), this);
    guide->setObjectName(QStringLiteral("guideAction"));
    guide->setShortcut(QKeySequence(Qt::Key_F1));
    connect(guide, &QAction::triggered, this, &MainWindow::showGuide);
    QAction* keys = new QAction(tr("&Keyboard shortcuts"), this);
    keys->setObjectName(QStringLiteral("shortcutsAction"));
    connect(keys, &QAction::triggered, this, &MainWindow::showShortcuts);
    QAction* welcomeAgain = new QAction(tr("&Welcome page"), this);
    connect(welcomeAgain, &QAction::triggered, this, &MainWindow::showWelcome);
    helpMenu->insertActions(first, {guide, keys, welcomeAgain});
    helpMenu->insertSeparator(first);

    // --- the status bar's run line, left of the BLAS summary
    m_runs[0].name = tr("Deep");
    m_runs[0].panel = m_deepPanel;
    m_runs[0].progress = m_deepPanel->progressBar();
    m_runs[0].status = m_deepPanel->statusLabel();
    m_runs[1].name = tr("Circles");
    m_runs[1].panel = m_circlesPanel;
    m_runs[1].progress = m_circlesPanel->progressBar();
    m_runs[1].status = m_circlesPanel->statusLabel();
    m_runs[2].name = tr("Dropout");
    m_runs[2].panel = m_dropoutPanel;
    m_runs[2].progress = m_dropoutPanel->progressBar();
    m_runs[2].status = m_dropoutPanel->statusLabel();
    const auto started = [this](int index) {
        return [this, index] {
            m_runs[index].running = true;
            m_runs[index].clock.start();
            m_runStatusTimer.start();
            updateRunStatus();
        };
    };
    connect(m_deepPanel, &DeepPanel::runStarted, this, started(0));
    connect(m_circlesPanel, &CirclesPanel::runStarted, this, started(1));
    connect(m_dropoutPanel, &DropoutPanel::runStarted, this, started(2));
    connect(m_deepPanel, &DeepPanel::runFinished, this, &MainWindow::updateRunStatus, Qt::QueuedConnection);
    connect(m_circlesPanel, &CirclesPanel::runFinished, this, &MainWindow::updateRunStatus, Qt::QueuedConnection);
    connect(m_dropoutPanel, &DropoutPanel::runFinished, this, &MainWindow::updateRunStatus, Qt::QueuedConnection);
    // A checkpoint evaluation is no run to record, but it is work going on: the run line shows it.
    connect(m_dropoutPanel, &DropoutPanel::evaluationStarted, this, started(2));
    connect(m_dropoutPanel, &DropoutPanel::evaluationFinished, this, &MainWindow::updateRunStatus,
            Qt::QueuedConnection);
    for (const RunWatch& watch : m_runs)
        connect(watch.progress, &QProgressBar::valueChanged, this, &MainWindow::updateRunStatus);
    m_runStatusTimer.setInterval(500);
    connect(&m_runStatusTimer, &QTimer::timeout, this, &MainWindow::updateRunStatus);
    m_runStatus = new QLabel;
    m_runStatus->setObjectName(QStringLiteral("runStatus"));
    m_runStatus->setToolTip(tr("The runs going on: the experiment, what it is doing, the time since it started and "
                               "an estimate of the time left from its progress so far."));
    m_runStatus->hide();
    statusBar()->addPermanentWidget(m_runStatus);
}

QList<QWidget*> MainWindow::experimentTabs() const
{
    QList<QWidget*> tabs;
    for (int i = 0; i < m_tabs->count(); ++i)
        if (m_tabs->widget(i) != m_welcome)
            tabs.append(m_tabs->widget(i));
    return tabs;
}

bool MainWindow::isPanelRunning(const QWidget* panel) const
{
    if (panel == m_deepPanel)
        return m_deepPanel->isRunning();
    if (panel == m_circlesPanel)
        return m_circlesPanel->isRunning();
    if (panel == m_dropoutPanel)
        return m_dropoutPanel->isRunning();
    return false;
}

void MainWindow::cancelPanel(QWidget* panel)
{
    if (panel == m_deepPanel)
        m_deepPanel->cancel();
    else if (panel == m_circlesPanel)
        m_circlesPanel->cancel();
    else if (panel == m_dropoutPanel)
        m_dropoutPanel->cancel();
}

bool MainWindow::runCurrentTab()
{
    QWidget* current = m_tabs->currentWidget();
    if (current == m_deepPanel) {
        const std::vector<Combination> selected = m_deepPanel->matrix()->selectedCombinations();
        return selected.empty() ? m_deepPanel->runReportCombinations() : m_deepPanel->run(selected);
    }
    if (current == m_circlesPanel)
        return m_circlesPanel->trainAll();
    if (current == m_dropoutPanel)
        return m_dropoutPanel->start();
    statusBar()->showMessage(tr("Ctrl+R runs the experiment of the tab shown: pick one with Ctrl+1 … Ctrl+3."), 5000);
    return false;
}

bool MainWindow::cancelCurrentTab()
{
    QWidget* current = m_tabs->currentWidget();
    if (isPanelRunning(current)) {
        cancelPanel(current);
        return true;
    }
    // From another tab, Esc still stops a run when it is the only one (the status bar names it).
    QWidget* only = nullptr;
    int running = 0;
    for (const RunWatch& watch : m_runs)
        if (isPanelRunning(watch.panel)) {
            only = watch.panel;
            ++running;
        }
    if (running != 1)
        return false;
    cancelPanel(only);
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
    QWidget* current = m_tabs->currentWidget();
    m_help->showPage(current == m_circlesPanel   ? HelpDialog::Page::Circles
                     : current == m_dropoutPanel ? HelpDialog::Page::Dropout
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
    return m_runStatus ? m_runStatus->text() : QString();
}

void MainWindow::updateRunStatus()
{
    const auto clockText = [](qint64 ms) {
        const qint64 seconds = (ms + 500) / 1000;
        return seconds >= 3600 ? QStringLiteral("%1:%2:%3")
                                     .arg(seconds / 3600)
                                     .arg(seconds / 60 % 60, 2, 10, QLatin1Char('0'))
                                     .arg(seconds % 60, 2, 10, QLatin1Char('0'))
                               : QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    };
    QStringList parts;
    for (RunWatch& watch : m_runs) {
        if (!isPanelRunning(watch.panel)) {
            watch.running = false;
            continue;
        }
        if (!watch.running) { // started without the signal reaching us first
            watch.running = true;
            watch.clock.start();
        }
        const qint64 elapsed = watch.clock.elapsed();
        const int span = watch.progress->maximum() - watch.progress->minimum();
        const double fraction
            = span > 0 ? std::clamp(double(watch.progress->value() - watch.progress->minimum()) / span, 0.0, 1.0)
                       : 0.0;
        QString item = watch.status->text().simplified();
        if (item.size() > 90)
            item = item.left(88) + QStringLiteral(" …");
        QString remaining;
        // The first percent of a run says little about its rate (data loading, warm-up).
        if (fraction >= 0.01 && elapsed >= 1000)
            remaining = tr("about %1 remaining").arg(clockText(qint64(elapsed * (1.0 - fraction) / fraction)));
        else
            remaining = tr("estimating the time remaining");
        parts << tr("%1: %2 · %3 % · %4 elapsed · %5")
                     .arg(watch.name, item)
                     .arg(int(fraction * 100.0))
                     .arg(clockText(elapsed), remaining);
    }
    if (m_reportDialog && m_reportDialog->isRunning()) {
        QString item = m_reportDialog->statusLabel()->text().simplified();
        if (item.size() > 90)
            item = item.left(88) + QStringLiteral(" …");
        const QProgressBar* bar = m_reportDialog->progressBar();
        parts << tr("Report: %1 · %2 %").arg(item).arg(100 * bar->value() / std::max(1, bar->maximum()));
    }
    if (parts.isEmpty()) {
        m_runStatusTimer.stop();
        m_runStatus->clear();
        m_runStatus->hide();
        return;
    }
    m_runStatus->setText(parts.join(QStringLiteral("  |  ")));
    m_runStatus->show();
}

} // namespace initlab::ui

#include "mainwindow.h"

#include "circlespanel.h"
#include "circlesworker.h"
#include "deeppanel.h"
#include "diagnosticsdialog.h"
#include "dropoutpanel.h"
#include "dropoutworker.h"
#include "experimentworker.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>
#include <QTabWidget>

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
    setCentralWidget(m_tabs);

    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    QAction* quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu* helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction* about = helpMenu->addAction(tr("&About / Diagnostics …"), this, &MainWindow::showDiagnostics);
    about->setMenuRole(QAction::AboutRole);

    m_blasSummary = new QLabel;
    m_blasSummary->setObjectName(QStringLiteral("blasSummary"));
    statusBar()->addPermanentWidget(m_blasSummary);
    connect(m_deepPanel, &DeepPanel::statusMessage, this, [this](const QString& message) {
        statusBar()->showMessage(message, 10000);
    });
    connect(m_worker, &ExperimentWorker::blasInfoReady, this, &MainWindow::showBlasSummary);
    // Cheap (no GEMM): fills the status bar's BLAS summary.
    m_worker->startDiagnostics(false);
}

MainWindow::~MainWindow()
{
    stopWorker();
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

} // namespace initlab::ui

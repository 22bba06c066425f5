#include "experimentsession.h"

#include "runspanel.h"

#include "experiments/deep/deepworker.h"
#include "experiments/experimentpanel.h"

#include <QAction>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>

namespace initlab::ui {
namespace {

const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kStateKey = QStringLiteral("window/state");
const QString kExperimentFolderKey = QStringLiteral("folders/experimentFiles");

QString settingsKey(ExperimentKind kind)
{
    return QStringLiteral("settings/") + experimentName(kind);
}

} // namespace

ExperimentSession::ExperimentSession(const Parts& parts)
    : QObject(parts.window)
    , m_window(parts.window)
    , m_tabs(parts.tabs)
    , m_panels(parts.panels)
{
    setObjectName(QStringLiteral("experimentSession"));
    m_recordWriter.setMaxThreadCount(1);

    m_runs = new RunsPanel;
    const int runsTab = m_tabs->addTab(m_runs, tr("Runs"));
    m_tabs->setTabToolTip(runsTab, tr("Every run's record: its settings and seeds, versions, machine and results. "
                                      "Show one again without running, or re-run it."));
    m_runs->setFolder(ui::runsFolder());
    connect(m_runs, &RunsPanel::showRequested, this, [this](const RunRecord& record) {
        QString error;
        if (!showRun(record, &error))
            QMessageBox::warning(m_window, tr("Show run"), tr("The run cannot be shown: %1").arg(error));
    });
    connect(m_runs, &RunsPanel::rerunRequested, this, [this](const RunRecord& record) {
        if (!rerun(record))
            showMessage(tr("The run could not be started again (see the tab's status line)."));
    });

    m_open = new QAction(tr("&Open experiment …"), this);
    m_open->setObjectName(QStringLiteral("openExperimentAction"));
    m_open->setShortcut(QKeySequence::Open);
    m_open->setStatusTip(tr("Loads an experiment file's settings into its tab."));
    m_save = new QAction(tr("&Save experiment …"), this);
    m_save->setObjectName(QStringLiteral("saveExperimentAction"));
    m_save->setShortcut(QKeySequence::Save);
    m_save->setStatusTip(tr("Saves the current tab's settings, seeds included, as an experiment file (JSON) that "
                            "the GUI and initlab-cli --config read."));
    if (parts.fileMenu) {
        parts.fileMenu->insertAction(parts.insertBefore, m_open);
        parts.fileMenu->insertAction(parts.insertBefore, m_save);
        if (parts.insertBefore)
            parts.fileMenu->insertSeparator(parts.insertBefore);
    } else {
        m_window->addAction(m_open);
        m_window->addAction(m_save);
    }
    connect(m_open, &QAction::triggered, this, &ExperimentSession::chooseAndOpen);
    connect(m_save, &QAction::triggered, this, &ExperimentSession::chooseAndSave);
    connect(m_tabs, &QTabWidget::currentChanged, this, &ExperimentSession::updateActions);
    // Runs of initlab-cli or of another window land in the same folder: the list is read again
    // whenever the tab is opened.
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (m_tabs->currentWidget() == m_runs)
            m_runs->refresh();
    });
    updateActions();

    // Run records: the start time when a run starts, the record when it ends.
    for (ExperimentPanel* panel : std::as_const(m_panels)) {
        const ExperimentKind kind = panel->kind();
        connect(panel, &ExperimentPanel::runStarted, this, [this, kind] { m_started[kind] = isoTimeNow(); });
        connect(panel, &ExperimentPanel::runEnded, this,
                [this, kind](const RunOutcome& outcome) { writeRecord(kind, m_started[kind], outcome); });
    }
    // The machine facts come once from the worker's diagnostics (blasInfo touches torch, so it runs
    // on the worker's thread); runs queued after this request find them here.
    if (parts.worker) {
        connect(parts.worker, &DeepWorker::blasInfoReady, this, [this](const BlasInfo& info) { m_blas = info; });
        parts.worker->startDiagnostics(false);
    }
    m_window->installEventFilter(this);
}

RunsPanel* ExperimentSession::runsPanel() const
{
    return m_runs;
}

QAction* ExperimentSession::openAction() const
{
    return m_open;
}

QAction* ExperimentSession::saveAction() const
{
    return m_save;
}

QString ExperimentSession::runsFolder() const
{
    return m_runs->folder();
}

void ExperimentSession::setRunsFolder(const QString& folder)
{
    m_runs->setFolder(folder);
}

QString ExperimentSession::lastRecordFolder() const
{
    return m_lastRecord;
}

void ExperimentSession::setRecording(bool on)
{
    m_recording = on;
}

ExperimentPanel* ExperimentSession::currentPanel() const
{
    return qobject_cast<ExperimentPanel*>(m_tabs->currentWidget());
}

std::optional<ExperimentKind> ExperimentSession::currentKind() const
{
    if (const ExperimentPanel* panel = currentPanel())
        return panel->kind();
    return std::nullopt;
}

std::string ExperimentSession::experimentJson(ExperimentKind kind) const
{
    const ExperimentPanel* panel = panelOf(kind);
    return panel ? panel->experimentJson() : std::string();
}

bool ExperimentSession::openExperiment(const QString& path, QString* error, QStringList* warnings)
{
    ExperimentFile file;
    QString problem;
    QStringList unknown;
    const bool ok = loadExperimentFile(path, file, problem, unknown);
    if (warnings)
        *warnings = unknown;
    if (!ok) {
        if (error)
            *error = problem;
        return false;
    }
    m_lastExperimentFolder = QFileInfo(path).absolutePath();
    applyExperiment(file);
    showMessage(tr("Loaded %1.").arg(QDir::toNativeSeparators(path)));
    return true;
}

void ExperimentSession::applyExperiment(const ExperimentFile& file)
{
    ExperimentPanel* panel = panelOf(file.kind);
    if (!panel)
        return;
    panel->applyExperiment(file);
    m_tabs->setCurrentWidget(panel);
}

QString ExperimentSession::saveExperiment(const QString& path, ExperimentKind kind) const
{
    return saveExperimentFile(path, experimentJson(kind));
}

bool ExperimentSession::showRun(const RunRecord& record, QString* error)
{
    if (!record.problem.empty()) {
        if (error)
            *error = QString::fromStdString(record.problem);
        return false;
    }
    ExperimentPanel* panel = panelOf(record.info.kind);
    if (!panel) {
        if (error)
            *error = tr("unknown experiment");
        return false;
    }
    if (!panel->showRecord(record, error))
        return false;
    m_tabs->setCurrentWidget(panel);
    return true;
}

bool ExperimentSession::rerun(const RunRecord& record)
{
    ExperimentPanel* panel = panelOf(record.info.kind);
    if (!panel || !record.problem.empty())
        return false;
    m_tabs->setCurrentWidget(panel);
    return panel->rerun(record);
}

void ExperimentSession::restoreSession(QSettings& settings)
{
    m_window->restoreGeometry(settings.value(kGeometryKey).toByteArray());
    m_window->restoreState(settings.value(kStateKey).toByteArray());
    const QString folder = settings.value(kExperimentFolderKey).toString();
    if (!folder.isEmpty() && QFileInfo(folder).isDir())
        m_lastExperimentFolder = folder;
    const QWidget* current = m_tabs->currentWidget();
    for (ExperimentKind kind : {ExperimentKind::Deep, ExperimentKind::Circles, ExperimentKind::Dropout}) {
        const QString json = settings.value(settingsKey(kind)).toString();
        if (json.isEmpty())
            continue;
        ExperimentFile file;
        std::string error;
        std::vector<std::string> warnings;
        // A corrupt or foreign value is dropped: the tab keeps its defaults.
        if (!parseExperimentFile(json.toStdString(), file, error, warnings) || file.kind != kind)
            continue;
        applyExperiment(file);
    }
    // Restoring settings is not opening a tab.
    m_tabs->setCurrentWidget(const_cast<QWidget*>(current));
}

void ExperimentSession::saveSession(QSettings& settings) const
{
    settings.setValue(kGeometryKey, m_window->saveGeometry());
    settings.setValue(kStateKey, m_window->saveState());
    settings.setValue(kExperimentFolderKey, m_lastExperimentFolder);
    for (ExperimentKind kind : {ExperimentKind::Deep, ExperimentKind::Circles, ExperimentKind::Dropout})
        settings.setValue(settingsKey(kind), QString::fromStdString(experimentJson(kind)));
}

void ExperimentSession::restoreSession()
{
    QSettings settings;
    restoreSession(settings);
    m_persistent = true;
}

QString ExperimentSession::lastExperimentFolder() const
{
    return m_lastExperimentFolder;
}

bool ExperimentSession::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_window && event->type() == QEvent::Close && m_persistent) {
        QSettings settings;
        saveSession(settings);
    }
    return QObject::eventFilter(watched, event);
}

void ExperimentSession::chooseAndOpen()
{
    const QString start = !m_lastExperimentFolder.isEmpty()
        ? m_lastExperimentFolder
        : QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = QFileDialog::getOpenFileName(m_window, tr("Open experiment"), start,
                                                      tr("Experiment files (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    QStringList warnings;
    if (!openExperiment(path, &error, &warnings)) {
        QMessageBox::critical(m_window, tr("Open experiment"), tr("The file was not loaded.\n\n%1").arg(error));
        return;
    }
    if (!warnings.isEmpty())
        QMessageBox::warning(m_window, tr("Open experiment"),
                             tr("The file was loaded, but these keys are unknown and were ignored:\n\n%1")
                                 .arg(warnings.join(QLatin1Char('\n'))));
}

void ExperimentSession::chooseAndSave()
{
    const std::optional<ExperimentKind> kind = currentKind();
    if (!kind)
        return;
    const QString folder = !m_lastExperimentFolder.isEmpty()
        ? m_lastExperimentFolder
        : QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    QString path = QFileDialog::getSaveFileName(m_window, tr("Save experiment"),
                                                folder + QLatin1Char('/') + experimentName(*kind)
                                                    + QStringLiteral(".json"),
                                                tr("Experiment files (*.json)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".json");
    if (const QString error = saveExperiment(path, *kind); !error.isEmpty()) {
        QMessageBox::critical(m_window, tr("Save experiment"), tr("The file was not saved.\n\n%1").arg(error));
        return;
    }
    m_lastExperimentFolder = QFileInfo(path).absolutePath();
    showMessage(tr("Saved %1.").arg(QDir::toNativeSeparators(path)));
}

void ExperimentSession::updateActions()
{
    const std::optional<ExperimentKind> kind = currentKind();
    m_save->setEnabled(kind.has_value());
    // "Dropout & ensembles": a single & would be taken for a mnemonic.
    m_save->setText(kind ? tr("&Save experiment (%1) …")
                               .arg(experimentTitle(*kind).replace(QLatin1Char('&'), QStringLiteral("&&")))
                         : tr("&Save experiment …"));
}

void ExperimentSession::writeRecord(ExperimentKind kind, const std::string& started, const RunOutcome& outcome)
{
    if (!m_recording)
        return;
    // A long run's record is megabytes of CSV to format and write: that happens on the writer's
    // thread, and the record is announced when it is on disk.
    const QString folder = m_runs->folder();
    const BlasInfo blas = m_blas;
    const std::string start = started.empty() ? isoTimeNow() : started;
    m_recordWriter.start([this, kind, outcome, folder, blas, start] {
        QString error;
        const QString written = writeRunRecordFor(folder, kind, outcome, blas, start, error);
        QMetaObject::invokeMethod(
            this, [this, written, error] { recordWritten(written, error); }, Qt::QueuedConnection);
    });
}

void ExperimentSession::recordWritten(const QString& folder, const QString& error)
{
    m_lastRecord = folder;
    if (folder.isEmpty()) {
        // The run's results stay on screen; only the record is missing.
        showMessage(tr("The run record could not be written: %1").arg(error), 30000);
        Q_EMIT recordFailed(error);
        return;
    }
    m_runs->refresh();
    Q_EMIT runRecorded(folder);
}

ExperimentPanel* ExperimentSession::panelOf(ExperimentKind kind) const
{
    for (ExperimentPanel* panel : m_panels)
        if (panel->kind() == kind)
            return panel;
    return nullptr;
}

void ExperimentSession::showMessage(const QString& text, int milliseconds) const
{
    m_window->statusBar()->showMessage(text, milliseconds);
}

} // namespace initlab::ui

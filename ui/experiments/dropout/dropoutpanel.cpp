#include "dropoutpanel.h"

#include "dropoutresultsview.h"
#include "dropoutsettingsform.h"

#include "common/formatting.h"
#include "common/formfields.h"
#include "common/names.h"
#include "common/palette.h"
#include "experiments/experimentfileio.h"
#include "figures/dropoutfigures.h"

#include "initlab/mnist.h"
#include "initlab/runoutcome.h"
#include "initlab/runrecord.h"

#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QTime>

#include <algorithm>
#include <limits>

namespace initlab::ui {
namespace {

// "87.31": accuracies on the status line and in the log are percentages.
QString percentCell(double fraction)
{
    return percentNumber(fraction, 2);
}

QString gflopsText(const DropoutRunResult& result)
{
    return QString::number(result.ensembleFlops / result.ensembleSeconds / 1e9, 'f', 1);
}

} // namespace

DropoutPanel::DropoutPanel(DropoutWorker* worker, QWidget* parent)
    : ExperimentPanel(ExperimentKind::Dropout, worker, parent)
{
    registerDropoutMetaTypes();
    auto* layout = new QHBoxLayout(this);
    layout->addWidget(scrollableColumn(buildSettings(), QStringLiteral("dropoutControlsScroll")));
    layout->addWidget(buildViews(), 1);
    connectParts();
    // Empty charts already span the epochs a run would fill.
    figures()->showEpochRange(m_form->epochs());
    updateControls();
}

// The data folder, the net and its training, the ensembles and the run, in one column.
QWidget* DropoutPanel::buildSettings()
{
    cancelButton()->setToolTip(tr("Stops within one training step or MC pass; what has finished is kept."));
    m_form = new DropoutSettingsForm(progressBar(), cancelButton(), statusLabel());
    return m_form;
}

// The three pages of results, with Export all in the corner of their tabs.
QWidget* DropoutPanel::buildViews()
{
    m_views = new DropoutResultsView;
    exportAllButton()->setToolTip(tr("Writes the five charts and the confusion matrix as PNG, SVG and PDF, and their "
                                     "data as CSV, into a folder. Right-click a chart to export only that one."));
    m_views->setCornerWidget(exportAllButton(), Qt::TopRightCorner);
    return m_views;
}

// What the form's buttons and the worker's signals do.
void DropoutPanel::connectParts()
{
    connect(m_form, &DropoutSettingsForm::startRequested, this, &DropoutPanel::start);
    connect(m_form, &DropoutSettingsForm::checkpointChosen, this, &DropoutPanel::evaluateCheckpoint);
    connect(m_form, &DropoutSettingsForm::dataFolderChosen, this, &DropoutPanel::setDataFolder);
    connect(m_form, &DropoutSettingsForm::defaultDataFolderRequested, this, &DropoutPanel::useDefaultFolder);
    connect(m_form, &DropoutSettingsForm::dataFolderEntered, this, &DropoutPanel::requestLoad);
    connect(m_form, &DropoutSettingsForm::dataFolderEditingFinished, this, [this] {
        if (dataFolder() != m_requestedFolder)
            requestLoad();
    });
    connect(m_form, &DropoutSettingsForm::epochsChanged, figures(), &DropoutFigures::showEpochRange);
    connect(m_form, &DropoutSettingsForm::averagingChanged, m_views, &DropoutResultsView::setAveraging);
    connect(m_form, &DropoutSettingsForm::message, this, [this](const QString& text) { setStatus(text); });

    DropoutWorker* worker = dropoutWorker();
    connect(worker, &DropoutWorker::dataLoaded, this, &DropoutPanel::onDataLoaded);
    connect(worker, &DropoutWorker::dataFailed, this, &DropoutPanel::onDataFailed);
    connect(worker, &DropoutWorker::started, this, &DropoutPanel::onStarted);
    connect(worker, &DropoutWorker::epochFinished, this, &DropoutPanel::onEpoch);
    connect(worker, &DropoutWorker::ensembleProgress, this, &DropoutPanel::onEnsemble);
    connect(worker, &DropoutWorker::runFinished, this, &DropoutPanel::onRunFinished);
    connect(worker, &DropoutWorker::message, this, &DropoutPanel::onMessage);
    connect(worker, &DropoutWorker::finished, this, &DropoutPanel::onFinished);
}

// ---- running ------------------------------------------------------------------------------

bool DropoutPanel::start()
{
    if (isRunning() || !worker())
        return false;
    QString error;
    std::optional<DropoutConfig> config = configFromControls(&error);
    if (!config) {
        m_lastError = error;
        setStatus(tr("Cannot start: %1.").arg(error), true);
        return false;
    }
    // What core would refuse once the run has begun (a failed run, with a record), refused now:
    // the ranges against the training file's images when the folder shown has been read, else
    // against a file as large as any, as initlab-cli checks before reading its data.
    const bool known = !m_data.folder.isEmpty() && m_data.folder == dataFolder();
    MnistDataset sized; // validate() reads the counts only
    sized.train.count = known ? m_data.trainCount : std::numeric_limits<int>::max();
    sized.test.count = known ? m_data.testCount : 1;
    const QString problem = QString::fromStdString(validate(*config, sized));
    m_form->markRanges(problem, known ? m_data.trainCount : 0);
    if (!problem.isEmpty()) {
        m_lastError = problem;
        setStatus(tr("Cannot start: %1.").arg(problem), true);
        return false;
    }
    m_form->renewRunFolder();
    config->runFolder = m_form->runFolder().toStdString();
    const QString folder = dataFolder();
    m_requestedFolder = folder;
    m_loadRequested = true;
    m_runConfig = *config;
    beginRun(tr("Reading the data …"));
    dropoutWorker()->startRun(folder, *config);
    return true;
}

bool DropoutPanel::evaluateCheckpoint(const QString& path)
{
    if (isRunning() || !worker())
        return false;
    const QString file = path.trimmed();
    if (file.isEmpty()) {
        m_lastError = tr("no checkpoint file chosen");
        setStatus(tr("Cannot evaluate: %1.").arg(m_lastError), true);
        return false;
    }
    // Only the ensemble and test settings matter, but a field that cannot be read is named rather
    // than silently replaced.
    QString error;
    std::optional<DropoutConfig> config = configFromControls(&error);
    if (!config) {
        m_lastError = error;
        setStatus(tr("Cannot evaluate: %1.").arg(error), true);
        return false;
    }
    // Nothing is written: the checkpoint's own folder stands in for the run folder.
    config->runFolder = QFileInfo(file).absolutePath().toStdString();
    const QString folder = dataFolder();
    m_requestedFolder = folder;
    m_loadRequested = true;
    m_evaluating = true;
    m_evaluatedPath = file;
    // Not a run: it leaves no record.
    beginRun(tr("Reading %1 …").arg(QDir::toNativeSeparators(file)), false);
    dropoutWorker()->startEvaluation(folder, file, *config);
    Q_EMIT evaluationStarted();
    return true;
}

bool DropoutPanel::isEvaluating() const
{
    return m_evaluating;
}

void DropoutPanel::onStarted(const DropoutConfig& config, const DataSummary& summary)
{
    if (!isRunning())
        return;
    // Results are cleared only once the run has really begun, so a run refused for its settings or
    // its data leaves the previous results in place.
    m_views->beginRun(config, summary);
    m_lastError.clear();
    m_runConfig = config;
    logRunStart(config, summary);
    if (m_evaluating) {
        m_views->setPlaceholders(
            tr("Evaluating a checkpoint gives its accuracies only: train to see the gallery."),
            tr("Evaluating a checkpoint gives its accuracies only: train to see the confusion matrices."));
        setStatus(tr("Evaluating %1 (%2) …").arg(QFileInfo(m_evaluatedPath).fileName(), figures()->pName(0)));
        // There are no training curves to watch: what fills in is on the Ensembles page.
        showPage(Page::Ensembles);
        return;
    }
    m_views->setPlaceholders(tr("The gallery appears when the first p's ensemble is done."),
                             tr("The confusion matrix appears when the first p's ensemble is done."));
    setStatus(tr("Training %1 …").arg(figures()->pName(0)));
}

void DropoutPanel::onEpoch(const DropoutEpoch& epoch)
{
    if (!isRunning() || epoch.run < 0 || epoch.run >= figures()->pCount())
        return;
    m_views->addEpoch(epoch);
    setStatus(tr("%1 — epoch %2 of %3: training loss %4, validation accuracy %5 % (%6 per epoch).")
                  .arg(figures()->pName(epoch.run))
                  .arg(epoch.epoch)
                  .arg(m_runConfig.epochs)
                  .arg(epoch.trainLoss, 0, 'f', 4)
                  .arg(percentCell(epoch.valAcc))
                  .arg(durationText(epoch.seconds)));
}

void DropoutPanel::onEnsemble(int run, int passes, double accuracy)
{
    if (!isRunning() || run < 0 || run >= figures()->pCount())
        return;
    m_views->addEnsemblePoint(run, passes, accuracy);
    const std::vector<int>& sizes = m_runConfig.ensembleSizes;
    const int tMax = sizes.empty() ? passes : sizes.back();
    setStatus(tr("%1 — MC dropout: %2 of %3 passes, ensemble accuracy %4 %.")
                  .arg(figures()->pName(run))
                  .arg(passes)
                  .arg(tMax)
                  .arg(percentCell(accuracy)));
}

void DropoutPanel::onRunFinished(int run, const DropoutRunResult& result)
{
    if (!isRunning() || run < 0 || run >= figures()->pCount())
        return;
    m_views->addRunResult(run, result);
    logRunResult(run, result);
}

void DropoutPanel::onMessage(const QString& text)
{
    if (!isRunning())
        return;
    // Core's messages are problems: a p that diverged, a checkpoint that could not be written.
    m_form->appendLog(text);
    setStatus(text, true);
}

void DropoutPanel::onFinished(const DropoutResult& result)
{
    if (!isRunning())
        return;
    if (m_evaluating)
        onEvaluationFinished(result);
    else
        onTrainingFinished(result);
}

void DropoutPanel::onTrainingFinished(const DropoutResult& result)
{
    endRun();
    m_lastResult = result;
    const double seconds = elapsedMs() / 1000.0;
    if (!result.error.empty()) {
        m_lastError = QString::fromStdString(result.error);
        setStatus(tr("Error: %1.").arg(m_lastError), true);
        m_form->appendLog(tr("Error: %1.").arg(m_lastError));
    } else if (result.cancelled) {
        // A p cancelled in training has no row yet; one cancelled in its sweep is partly filled.
        m_views->markUnscored();
        setStatus(cancelledText(seconds));
        m_form->appendLog(tr("Cancelled."));
    } else {
        const bool diverged = std::any_of(result.runs.begin(), result.runs.end(),
                                          [](const DropoutRunResult& run) { return run.divergedEpoch > 0; });
        setStatus(finishedText(result, seconds), diverged);
        setProgress(1.0);
    }
    Q_EMIT runEnded(dropoutOutcome(m_runConfig, extras(), result));
    Q_EMIT runFinished(result);
}

void DropoutPanel::onEvaluationFinished(const DropoutResult& result)
{
    m_evaluating = false;
    endRun();
    const QString file = QDir::toNativeSeparators(m_evaluatedPath);
    const double seconds = elapsedMs() / 1000.0;
    const DropoutRunResult* run = result.runs.empty() ? nullptr : &result.runs.front();
    if (!result.error.empty()) {
        // The earlier results stay: the charts are cleared only once an evaluation has begun.
        m_lastError = QString::fromStdString(result.error);
        setStatus(tr("Cannot evaluate the checkpoint: %1.").arg(m_lastError), true);
        m_form->appendLog(tr("Cannot evaluate the checkpoint: %1.").arg(m_lastError));
    } else if (result.cancelled && !run) {
        // Cancelled while the data were read: nothing was shown, the earlier results stay.
        m_lastResult = result;
        m_lastError.clear();
        setStatus(tr("Cancelled the evaluation of %1 before it began.").arg(file));
    } else if (result.cancelled) {
        m_lastResult = result;
        m_lastError.clear();
        // The table's columns beyond the passes done already say "Cancelled before T passes".
        const std::vector<int>& sizes = m_runConfig.ensembleSizes;
        setStatus(tr("Cancelled the evaluation of %1 after %2 of %3 passes (%4).")
                      .arg(file)
                      .arg(run->ensembleAcc.size())
                      .arg(sizes.empty() ? 0 : sizes.back())
                      .arg(durationText(seconds)));
        m_form->appendLog(tr("Cancelled."));
    } else if (run) {
        m_lastResult = result;
        m_lastError.clear();
        setStatus(evaluatedText(*run, seconds));
        setProgress(1.0);
    }
    Q_EMIT evaluationFinished(result);
}

void DropoutPanel::logRunStart(const DropoutConfig& config, const DataSummary& summary)
{
    const QString time = QTime::currentTime().toString(QStringLiteral("HH:mm:ss"));
    const int tMax = config.ensembleSizes.empty() ? 0 : config.ensembleSizes.back();
    if (m_evaluating) {
        m_form->appendLog(tr("— %1: evaluating %2 on %3 test images of %4, ensembles of up to %5 passes —")
                              .arg(time, QDir::toNativeSeparators(m_evaluatedPath))
                              .arg(config.testLimit > 0 ? config.testLimit : summary.testCount)
                              .arg(toQString(displayName(summary.kind)))
                              .arg(tMax));
        return;
    }
    QStringList ps;
    for (double p : config.ps)
        ps << DropoutFigures::pText(p);
    m_form->appendLog(tr("— %1: %2, p = %3, %4 epochs, ensembles of up to %5 passes —")
                          .arg(time, toQString(displayName(summary.kind)), ps.join(QStringLiteral(", ")))
                          .arg(config.epochs)
                          .arg(tMax));
}

void DropoutPanel::logRunResult(int run, const DropoutRunResult& result)
{
    const QString name = figures()->pName(run);
    if (m_evaluating) {
        QString line = tr("%1, checkpoint of epoch %2: test: one pass %3 %")
                           .arg(name)
                           .arg(result.bestEpoch)
                           .arg(percentCell(result.singlePassAcc));
        if (!result.ensembleAcc.empty())
            line += tr(", T = %1: %2 %").arg(result.ensembleAcc.size()).arg(percentCell(result.ensembleAcc.back()));
        if (result.ensembleSeconds > 0 && result.ensembleFlops > 0)
            line += tr("; MC passes %1 GFLOP/s").arg(gflopsText(result));
        m_form->appendLog(line + tr(". Checkpoint: %1").arg(QDir::toNativeSeparators(m_evaluatedPath)));
        return;
    }
    if (result.bestEpoch == 0)
        return;
    QString line = tr("%1: best validation accuracy %2 % at epoch %3")
                       .arg(name, percentCell(result.bestValAcc))
                       .arg(result.bestEpoch);
    if (!result.ensembleAcc.empty())
        line += tr("; test: one pass %1 %, T = %2: %3 %")
                    .arg(percentCell(result.singlePassAcc))
                    .arg(result.ensembleAcc.size())
                    .arg(percentCell(result.ensembleAcc.back()));
    if (result.stepsPerSecond > 0)
        line += tr("; training %1 steps/s").arg(result.stepsPerSecond, 0, 'f', 0);
    if (result.ensembleSeconds > 0)
        line += tr(", MC passes %1 GFLOP/s").arg(gflopsText(result));
    line += QLatin1Char('.');
    if (!result.checkpointPath.empty())
        line += tr(" Checkpoint: %1").arg(QString::fromStdString(result.checkpointPath));
    m_form->appendLog(line);
}

QString DropoutPanel::cancelledText(double seconds) const
{
    return tr("Cancelled after %1 (%2 of %3 p values finished).")
        .arg(durationText(seconds))
        .arg(m_views->completedCount())
        .arg(figures()->pCount());
}

QString DropoutPanel::finishedText(const DropoutResult& result, double seconds) const
{
    QString text = tr("Finished in %1.").arg(durationText(seconds));
    QStringList diverged;
    for (const DropoutRunResult& run : result.runs)
        if (run.divergedEpoch > 0)
            diverged << DropoutFigures::pLabel(run.p);
    if (!diverged.isEmpty())
        text += tr(" Diverged: %1 (see the log).").arg(diverged.join(QStringLiteral(", ")));
    else if (!result.runs.empty() && !result.runs.back().checkpointPath.empty())
        text += tr(" Checkpoints are in the run folder.");
    return text;
}

QString DropoutPanel::evaluatedText(const DropoutRunResult& run, double seconds) const
{
    QString text = tr("Evaluated %1 (p = %2, best epoch %3) in %4: one pass %5 %")
                       .arg(QDir::toNativeSeparators(m_evaluatedPath), DropoutFigures::pText(run.p))
                       .arg(run.bestEpoch)
                       .arg(durationText(seconds))
                       .arg(percentCell(run.singlePassAcc));
    if (!run.ensembleAcc.empty())
        text += tr(", T = %1: %2 %").arg(run.ensembleAcc.size()).arg(percentCell(run.ensembleAcc.back()));
    return text + QLatin1Char('.');
}

// ---- data ---------------------------------------------------------------------------------

void DropoutPanel::setDataFolder(const QString& folder)
{
    m_form->setDataFolder(folder);
    requestLoad();
}

QString DropoutPanel::dataFolder() const
{
    return m_form->dataFolder();
}

const DataSummary& DropoutPanel::dataSummary() const
{
    return m_data;
}

void DropoutPanel::useDefaultFolder()
{
    m_form->updateCandidates();
    const QString folder = QString::fromStdString(findDataFolder());
    if (folder.isEmpty()) {
        m_form->setDataFolder(QString());
        m_requestedFolder.clear();
        m_data = DataSummary();
        m_form->setDataInfo(tr("<span style=\"%1\">None of the places above holds the four files.</span>")
                                .arg(errorSpanStyle(palette())));
        return;
    }
    setDataFolder(folder);
}

void DropoutPanel::requestLoad()
{
    if (isRunning() || !worker())
        return;
    m_loadRequested = true;
    m_requestedFolder = dataFolder();
    if (m_requestedFolder.isEmpty()) {
        m_data = DataSummary();
        m_form->setDataInfo(tr("<span style=\"%1\">No data folder chosen.</span>").arg(errorSpanStyle(palette())));
        return;
    }
    m_form->setDataInfo(tr("Reading %1 …").arg(m_requestedFolder.toHtmlEscaped()));
    dropoutWorker()->startLoad(m_requestedFolder);
}

void DropoutPanel::onDataLoaded(const DataSummary& summary)
{
    if (summary.folder != m_requestedFolder)
        return; // an older request
    m_data = summary;
    const QLocale locale;
    m_form->setDataInfo(tr("<b>%1</b>: %2 training and %3 test images of %4 × %5 pixels.<br>Classes: %6")
                            .arg(toQString(displayName(summary.kind)))
                            .arg(locale.toString(summary.trainCount))
                            .arg(locale.toString(summary.testCount))
                            .arg(summary.rows)
                            .arg(summary.cols)
                            .arg(summary.classNames.join(QStringLiteral(", ")).toHtmlEscaped()),
                        summary.kind == DatasetKind::Unknown
                            ? tr("Not recognised as MNIST or Fashion-MNIST (60 000 + 10 000 images of 28 × 28 "
                                 "with their typical brightness), so the classes are numbered.")
                            : tr("Recognised by its size and its mean pixel brightness."));
}

void DropoutPanel::onDataFailed(const QString& folder, const QString& error)
{
    if (folder != m_requestedFolder)
        return;
    m_data = DataSummary();
    m_form->setDataInfo(tr("<span style=\"%1\">Cannot read the data:</span> %2")
                            .arg(errorSpanStyle(palette()), error.toHtmlEscaped()));
    showError(tr("Cannot read the data"), error);
}

void DropoutPanel::showError(const QString& title, const QString& text)
{
    m_lastError = text;
    if (m_errorBox)
        m_errorBox->close();
    // Non-modal: nothing waits on the dialog, and the tab stays usable behind it.
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("dropoutErrorDialog"));
    box->setInformativeText(tr("A data folder needs train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                               "t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each may end in .gz), in "
                               "MNIST's IDX format. Choose another folder or fix the file, then try again."));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::NonModal);
    box->show();
    m_errorBox = box;
    Q_EMIT statusMessage(title + QStringLiteral(": ") + text);
}

void DropoutPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    // The data are read when the tab is first shown, not when the window is built: a session that
    // never opens this tab reads nothing.
    if (!m_loadRequested && !dataFolder().isEmpty())
        requestLoad();
}

DropoutWorker* DropoutPanel::dropoutWorker() const
{
    return static_cast<DropoutWorker*>(worker());
}

// ---- settings and recorded runs ------------------------------------------------------------

std::optional<DropoutConfig> DropoutPanel::configFromControls(QString* error) const
{
    return m_form->config(error);
}

DropoutExtras DropoutPanel::extras() const
{
    DropoutExtras extras;
    extras.dataFolder = dataFolder().toStdString();
    return extras;
}

void DropoutPanel::setConfig(const DropoutConfig& config, const DropoutExtras& extras)
{
    m_form->setConfig(config);
    const QString folder = QString::fromStdString(extras.dataFolder);
    if (folder.isEmpty() || folder == dataFolder())
        return;
    // Before the tab has been shown the folder is only noted: showEvent reads it, as at start.
    if (m_loadRequested)
        setDataFolder(folder);
    else
        m_form->setDataFolder(folder);
}

const DropoutConfig& DropoutPanel::runConfig() const
{
    return m_runConfig;
}

std::string DropoutPanel::experimentJson() const
{
    // A spin box holding what cannot be used gives its last good value; settings the controls
    // cannot give at all (a p that is not a number) are saved as the last run's.
    DropoutConfig config = m_form->config(nullptr, true).value_or(m_runConfig);
    config.runFolder.clear();
    return experimentFileJson(config, extras());
}

void DropoutPanel::applyExperiment(const ExperimentFile& file)
{
    if (file.kind == ExperimentKind::Dropout)
        setConfig(file.dropout, file.dropoutExtras);
}

bool DropoutPanel::showRecord(const RunRecord& record, QString* error)
{
    const auto fail = [error](const QString& why) {
        if (error)
            *error = why;
        return false;
    };
    if (isRunning())
        return fail(tr("a dropout run is going on"));
    DropoutResult result;
    QString problem;
    if (!readDropoutRecord(record, result, problem))
        return fail(problem);
    applyExperiment(record.experiment);
    return showRecordedResult(record.experiment.dropout, result) || fail(tr("the record holds no results"));
}

bool DropoutPanel::rerun(const RunRecord& record)
{
    applyExperiment(record.experiment);
    return start();
}

bool DropoutPanel::showRecordedResult(const DropoutConfig& config, const DropoutResult& recorded)
{
    if (isRunning() || recorded.runs.empty())
        return false;
    // Drawn at once, as the run's figures and Table I looked when it ended; the log says what it was.
    m_views->showResult(config, recorded);
    m_runConfig = config;
    m_runConfig.ps.clear();
    for (const DropoutRunResult& run : recorded.runs)
        m_runConfig.ps.push_back(run.p);
    m_lastError.clear();
    logRunStart(m_runConfig, m_views->runData());
    for (std::size_t run = 0; run < recorded.runs.size(); ++run)
        logRunResult(int(run), recorded.runs[run]);
    m_lastResult = recorded;
    setProgress(1.0);
    m_views->setPlaceholders(tr("The gallery is not recorded: re-run to see it."),
                             tr("Confusion matrices are not recorded: re-run to see them."));
    setStatus(tr("Showing a recorded run (%1 p values, read from its CSV files, not re-run).")
                  .arg(recorded.runs.size()));
    updateControls();
    return true;
}

// ---- small things ---------------------------------------------------------------------------

void DropoutPanel::updateControls()
{
    m_form->setRunning(isRunning());
}

void DropoutPanel::refreshViews()
{
    m_views->refresh();
}

void DropoutPanel::setEpochs(int epochs)
{
    m_form->setEpochs(epochs);
}

void DropoutPanel::setEnsembleSizes(const QString& sizes)
{
    m_form->setEnsembleSizes(sizes);
}

void DropoutPanel::setRunFolder(const QString& folder)
{
    m_form->setRunFolder(folder);
}

QString DropoutPanel::runFolder() const
{
    return m_form->runFolder();
}

void DropoutPanel::showPage(Page page)
{
    m_views->setCurrentIndex(int(page));
}

QString DropoutPanel::lastError() const
{
    return m_lastError;
}

QMessageBox* DropoutPanel::errorDialog() const
{
    return m_errorBox;
}

const DropoutResult& DropoutPanel::lastResult() const
{
    return m_lastResult;
}

QColor DropoutPanel::colorOf(int run) const
{
    return DropoutFigures::colorOf(run);
}

DropoutFigures* DropoutPanel::figures() const
{
    return m_views->figures();
}

QList<NamedFigure> DropoutPanel::exportFigures() const
{
    return m_views->exportFigures();
}

} // namespace initlab::ui

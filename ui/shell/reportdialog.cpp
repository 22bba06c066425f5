#include "reportdialog.h"

#include "figures/reportwriter.h"

#include "initlab/blas.h"
#include "initlab/mnist.h"
#include "initlab/report.h"
#include "initlab/stagedfolder.h"

#include <QCheckBox>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QThread>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

#include <chrono>

namespace initlab::ui {
namespace {

constexpr int kProgressSteps = 1000;
// The experiments' share of the bar; drawing the figures takes the rest.
constexpr double kExperimentsShare = 0.95;

QString durationText(double seconds)
{
    if (seconds < 60.0)
        return QObject::tr("%1 s").arg(int(seconds + 0.5));
    const int minutes = int(seconds / 60.0);
    return QObject::tr("%1 min %2 s").arg(minutes).arg(int(seconds - 60.0 * minutes), 2, 10, QLatin1Char('0'));
}

QString defaultFolder()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
        .filePath(QStringLiteral("InitLab report"));
}

} // namespace

// What the worker thread and the dialog share. The thread writes the results; the dialog reads them
// only after the thread has finished.
struct ReportDialog::Job {
    ReportPlan plan;
    // The report's folder, locked for the run; everything is written into its staging folder
    // (outFolder) and put into place when the report is complete, so a cancelled or failed report
    // leaves an earlier one as it was.
    StagedFolder folder;
    QString outFolder;
    QString dataFolder; // requested; empty = the default places
    CancelFlag cancel{false};
    BlasInfo machine;
    ReportResults results;
    QStringList records;
    QString error;
};

// Posts the experiments' progress from their thread to the dialog, a few hundred times per report.
class ReportDialog::JobProgress : public ReportProgress
{
public:
    explicit JobProgress(ReportDialog* dialog) : m_dialog(dialog) {}
    void onStageStarted(ReportStage stage) override
    {
        m_stage = QString::fromUtf8(title(stage));
        post(m_last < 0.0 ? 0.0 : m_last);
    }
    void onProgress(double fraction) override
    {
        // A few hundred updates per report are plenty; the runners call far more often.
        const auto now = std::chrono::steady_clock::now();
        if (fraction - m_last < 0.002 && now - m_lastPost < std::chrono::milliseconds(250))
            return;
        m_last = fraction;
        m_lastPost = now;
        post(fraction);
    }

private:
    void post(double fraction)
    {
        QMetaObject::invokeMethod(
            m_dialog, [dialog = m_dialog, fraction, stage = m_stage] { dialog->onProgress(fraction, stage); },
            Qt::QueuedConnection);
    }
    ReportDialog* m_dialog;
    QString m_stage;
    double m_last = -1.0;
    std::chrono::steady_clock::time_point m_lastPost{};
};

// On the report's thread: loads the images, runs the three experiments and writes their run
// records (tens of megabytes of CSV), touching only the job.
void ReportDialog::runExperiments(Job& job, ReportDialog* dialog)
{
    std::string dataFolder = QFile::encodeName(job.dataFolder).toStdString();
    if (dataFolder.empty())
        dataFolder = findDataFolder();
    if (dataFolder.empty()) {
        job.error = tr("No MNIST-format images found for the dropout experiment: set a data folder in the Dropout "
                       "tab (or $INITLAB_DATA), or install Debian's dataset-fashion-mnist.");
        return;
    }
    MnistDataset data;
    std::string problem;
    if (!loadMnistFolder(dataFolder, data, problem)) {
        job.error = QString::fromStdString(problem);
        return;
    }
    job.plan.dropoutExtras.dataFolder = dataFolder;
    if (const std::string invalid = validate(job.plan.dropout, data); !invalid.empty()) {
        job.error = QString::fromStdString(invalid);
        return;
    }
    job.machine = blasInfo();
    JobProgress progress(dialog);
    job.results = runReportExperiments(job.plan, data, dataFolder, &progress, job.cancel);
    if (job.results.cancelled || !job.results.error.empty())
        return;
    // The run records hold tens of megabytes of CSV: written here, off the GUI thread.
    QString error;
    if (!writeReportRecords(job.results, job.machine, job.outFolder, &job.records, nullptr, &error))
        job.error = error;
}

ReportDialog::ReportDialog(QWidget* parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("reportDialog"));
    setWindowTitle(tr("Reproduce the report"));

    auto* intro = new QLabel(tr(
        "Runs the homework report's three experiments at its settings and writes <b>report.html</b> (open it in a "
        "browser) and report.md into a folder: figures 1–14 as PNG and SVG with the data of each as CSV, Table I, "
        "and a run record per experiment."));
    intro->setWordWrap(true);

    m_progress = new QProgressBar;
    m_progress->setObjectName(QStringLiteral("reportProgress"));
    m_progress->setRange(0, kProgressSteps);
    m_progress->setValue(0);
    m_progress->setFormat(QStringLiteral("%p%"));
    m_status = new QLabel(tr("Press Start."));
    m_status->setObjectName(QStringLiteral("reportStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(buildForm());
    layout->addSpacing(6);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addStretch(1);
    layout->addLayout(buildButtons());
    resize(640, 280);

    setDataFolder(QString());
    updateControls();
}

// The folder, the quick toggle and the images the dropout experiment will use.
QFormLayout* ReportDialog::buildForm()
{
    m_folder = new QLineEdit(QSettings().value(QStringLiteral("report/folder"), defaultFolder()).toString());
    m_folder->setObjectName(QStringLiteral("reportFolderEdit"));
    m_folder->setToolTip(tr("The report's folder. It is created if missing; files of the same name are replaced."));
    m_browse = new QPushButton(tr("Browse …"));
    m_browse->setToolTip(tr("Choose the folder the report is written into."));
    connect(m_browse, &QPushButton::clicked, this, &ReportDialog::chooseFolder);
    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(m_browse);

    m_quick = new QCheckBox(tr("Quick version (a few minutes)"));
    m_quick->setObjectName(QStringLiteral("reportQuickToggle"));
    m_quick->setChecked(QSettings().value(QStringLiteral("report/quick"), true).toBool());
    m_quick->setToolTip(tr("Quick: the deep net sees 2000 samples instead of 10000, the dropout nets train for 2 "
                           "epochs instead of 10, and the ensembles go up to 50 passes over 2000 test images; a few "
                           "minutes on two cores.\nUnchecked: the full report, 15–20 minutes on two cores."));

    m_dataLabel = new QLabel;
    m_dataLabel->setWordWrap(true);
    m_dataLabel->setToolTip(tr("The dropout experiment's images: the Dropout tab's data folder, else the first "
                               "of $INITLAB_DATA, ~/.local/share/initlab/mnist and /usr/share/datasets/fashion-mnist "
                               "that holds the four IDX files."));

    auto* form = new QFormLayout;
    form->addRow(tr("Folder:"), folderRow);
    form->addRow(QString(), m_quick);
    form->addRow(tr("Images:"), m_dataLabel);
    return form;
}

// Open report, Open folder, Start, Cancel, Close.
QHBoxLayout* ReportDialog::buildButtons()
{
    m_start = new QPushButton(tr("Start"));
    m_start->setObjectName(QStringLiteral("reportStartButton"));
    m_start->setDefault(true);
    m_start->setToolTip(tr("Runs the three experiments, then draws the figures and writes the report."));
    m_cancel = new QPushButton(tr("Cancel run"));
    m_cancel->setObjectName(QStringLiteral("reportCancelButton"));
    m_cancel->setToolTip(tr("Stops the run (within an epoch); nothing is written into the folder. (Esc)"));
    m_open = new QPushButton(tr("Open report"));
    m_open->setObjectName(QStringLiteral("reportOpenButton"));
    m_open->setToolTip(tr("Opens report.html in the web browser."));
    m_openFolder = new QPushButton(tr("Open folder"));
    m_openFolder->setToolTip(tr("Shows the report's folder in the file manager."));
    m_close = new QPushButton(tr("Close"));
    connect(m_start, &QPushButton::clicked, this, &ReportDialog::start);
    connect(m_cancel, &QPushButton::clicked, this, &ReportDialog::cancel);
    connect(m_open, &QPushButton::clicked, this, [this] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(m_reportPath));
    });
    connect(m_openFolder, &QPushButton::clicked, this, [this] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(m_reportPath).absolutePath()));
    });
    connect(m_close, &QPushButton::clicked, this, &QDialog::close);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_open);
    buttons->addWidget(m_openFolder);
    buttons->addStretch(1);
    buttons->addWidget(m_start);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_close);
    return buttons;
}

ReportDialog::~ReportDialog()
{
    // The window closes during a run: stop it and leave no half report behind.
    if (isRunning()) {
        m_cancelRequested = true;
        stopThread();
        discardWritten();
    }
}

void ReportDialog::setDataFolder(const QString& folder)
{
    m_dataFolder = folder;
    const QString shown = folder.isEmpty() ? QString::fromStdString(findDataFolder()) : folder;
    m_dataLabel->setText(shown.isEmpty() ? tr("<i>no MNIST-format images found: set a data folder in the Dropout "
                                              "tab</i>")
                                         : QDir::toNativeSeparators(shown));
}

void ReportDialog::setOutputFolder(const QString& folder)
{
    m_folder->setText(folder);
}

void ReportDialog::setQuick(bool quick)
{
    m_quick->setChecked(quick);
}

bool ReportDialog::isRunning() const
{
    return m_thread != nullptr || m_writer != nullptr;
}

QString ReportDialog::reportPath() const
{
    return m_reportPath;
}

void ReportDialog::chooseFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Folder for the report"), m_folder->text());
    if (!folder.isEmpty())
        m_folder->setText(folder);
}

bool ReportDialog::start()
{
    if (isRunning())
        return false;
    const QString folder = m_folder->text().trimmed();
    if (folder.isEmpty()) {
        m_status->setText(tr("Choose a folder for the report first."));
        return false;
    }
    // A folder that cannot be written (or that another run is writing) fails now, not after a
    // quarter of an hour.
    auto fresh = std::make_shared<Job>();
    if (const std::string problem = fresh->folder.open(QFile::encodeName(folder).toStdString()); !problem.empty()) {
        m_status->setText(tr("The report cannot be written: %1.").arg(QString::fromStdString(problem)));
        return false;
    }
    QSettings().setValue(QStringLiteral("report/folder"), folder);
    QSettings().setValue(QStringLiteral("report/quick"), m_quick->isChecked());

    m_job = std::move(fresh);
    m_job->plan = reportPlan(m_quick->isChecked());
    m_job->plan.dropout.runFolder = m_job->folder.stagingPath("checkpoints");
    m_job->outFolder = QFile::decodeName(m_job->folder.stagingPath().c_str());
    m_job->dataFolder = m_dataFolder;
    m_reportPath.clear();
    m_cancelRequested = false;
    m_progress->setValue(0);
    m_status->setText(tr("Loading the images …"));
    m_clock.start();

    // The thread touches only the job; it reports progress by posting to the dialog, and the
    // dialog's destructor waits for it, so no post can outlive the dialog.
    const std::shared_ptr<Job> job = m_job;
    m_thread = QThread::create([this, job] { runExperiments(*job, this); });
    connect(m_thread, &QThread::finished, this, &ReportDialog::onExperimentsDone);
    m_thread->start();
    updateControls();
    return true;
}

void ReportDialog::cancel()
{
    if (!isRunning() || m_cancelRequested)
        return;
    m_cancelRequested = true;
    if (m_job)
        m_job->cancel.store(true);
    m_status->setText(tr("Cancelling …"));
    updateControls();
    if (m_writer) // drawing runs on this thread: stop at once
        finish(false, tr("Cancelled; nothing was written."));
}

void ReportDialog::onProgress(double fraction, const QString& stage)
{
    if (!m_thread || m_cancelRequested)
        return;
    const double overall = kExperimentsShare * fraction;
    m_progress->setValue(int(overall * kProgressSteps));
    const double elapsed = double(m_clock.elapsed()) / 1000.0;
    QString text = tr("%1 · %2 elapsed").arg(stage, durationText(elapsed));
    if (overall > 0.03)
        text += tr(", about %1 left").arg(durationText(elapsed * (1.0 - overall) / overall));
    m_status->setText(text);
}

void ReportDialog::onExperimentsDone()
{
    if (!m_thread)
        return; // closing the dialog already waited for the thread and cleaned up
    m_thread->deleteLater();
    m_thread = nullptr;
    const std::shared_ptr<Job> job = m_job;
    if (m_cancelRequested || job->results.cancelled) {
        finish(false, tr("Cancelled; nothing was written."));
        return;
    }
    QString error = job->error;
    if (error.isEmpty() && !job->results.error.empty())
        error = QString::fromStdString(job->results.error);
    if (!error.isEmpty()) {
        finish(false, tr("The report could not be made: %1").arg(error));
        return;
    }
    m_writer = std::make_unique<ReportWriter>(job->results, job->machine, job->outFolder);
    m_writer->setRunRecords(job->records);
    updateControls();
    QTimer::singleShot(0, this, &ReportDialog::drawNext);
}

void ReportDialog::drawNext()
{
    if (!m_writer)
        return; // cancelled in between
    m_status->setText(tr("%1 (%2 of %3) · %4 elapsed")
                          .arg(m_writer->nextStepText())
                          .arg(m_writer->stepsDone() + 1)
                          .arg(m_writer->stepCount())
                          .arg(durationText(double(m_clock.elapsed()) / 1000.0)));
    if (!m_writer->step()) {
        finish(false, tr("The report could not be written: %1").arg(m_writer->error()));
        return;
    }
    const double drawn = double(m_writer->stepsDone()) / double(m_writer->stepCount());
    m_progress->setValue(int((kExperimentsShare + (1.0 - kExperimentsShare) * drawn) * kProgressSteps));
    if (!m_writer->isFinished()) {
        QTimer::singleShot(0, this, &ReportDialog::drawNext);
        return;
    }
    if (const std::string problem = m_job->folder.commit(); !problem.empty()) {
        finish(false, tr("The report could not be written: %1").arg(QString::fromStdString(problem)));
        return;
    }
    m_reportPath = QFile::decodeName(m_job->folder.finalPath(ReportWriter::htmlName().toStdString()).c_str());
    finish(true, tr("Report written in %1: %2").arg(durationText(double(m_clock.elapsed()) / 1000.0),
                                                     QDir::toNativeSeparators(m_reportPath)));
}

void ReportDialog::finish(bool ok, const QString& message)
{
    if (!ok)
        discardWritten();
    m_writer.reset();
    m_status->setText(message);
    if (ok)
        m_progress->setValue(kProgressSteps);
    else
        m_progress->setValue(0);
    updateControls();
    Q_EMIT reportFinished(ok);
}

void ReportDialog::discardWritten()
{
    if (!m_job)
        return;
    // Only the staging folder goes: what an earlier report left in the folder stays as it was.
    m_job->folder.abandon();
    m_job->records.clear();
}

void ReportDialog::updateControls()
{
    const bool running = isRunning();
    m_start->setEnabled(!running);
    m_cancel->setEnabled(running && !m_cancelRequested);
    m_folder->setEnabled(!running);
    m_browse->setEnabled(!running);
    m_quick->setEnabled(!running);
    m_open->setEnabled(!running && !m_reportPath.isEmpty());
    m_openFolder->setEnabled(!running && !m_reportPath.isEmpty());
    m_close->setText(running ? tr("Close (cancels)") : tr("Close"));
}

void ReportDialog::stopThread()
{
    if (!m_thread)
        return;
    if (m_job)
        m_job->cancel.store(true);
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
}

void ReportDialog::closeEvent(QCloseEvent* event)
{
    // Closing means stop: the run is cancelled and the dialog goes once the thread has ended.
    if (isRunning()) {
        const bool experimentsRunning = m_thread != nullptr;
        cancel(); // while drawing, this finishes at once
        if (experimentsRunning) {
            stopThread();
            finish(false, tr("Cancelled; nothing was written."));
        }
    }
    QDialog::closeEvent(event);
}

void ReportDialog::reject()
{
    // Esc cancels a run first; a second Esc (or one without a run) closes.
    if (isRunning()) {
        cancel();
        return;
    }
    QDialog::reject();
}

QLineEdit* ReportDialog::folderEdit() const
{
    return m_folder;
}

QCheckBox* ReportDialog::quickToggle() const
{
    return m_quick;
}

QPushButton* ReportDialog::startButton() const
{
    return m_start;
}

QPushButton* ReportDialog::cancelButton() const
{
    return m_cancel;
}

QPushButton* ReportDialog::openButton() const
{
    return m_open;
}

QProgressBar* ReportDialog::progressBar() const
{
    return m_progress;
}

QLabel* ReportDialog::statusLabel() const
{
    return m_status;
}

} // namespace initlab::ui

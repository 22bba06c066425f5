#include "experimentpanel.h"

#include "experimentfileio.h"
#include "experimentworker.h"

#include "common/formatting.h"
#include "common/palette.h"
#include "figures/exportjob.h"

#include <QDir>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

#include <algorithm>
#include <cmath>

namespace initlab::ui {
namespace {

constexpr int kProgressSteps = 1000;
constexpr int kRefreshIntervalMs = 33; // ~30 Hz
// The first percent of a run says little about its rate (data loading, warm-up), nor do its first
// seconds.
constexpr double kEstimateAfterFraction = 0.01;
constexpr qint64 kEstimateAfterMs = 3000;

} // namespace

ExperimentPanel::ExperimentPanel(ExperimentKind kind, ExperimentWorker* worker, QWidget* parent)
    : QWidget(parent)
    , m_kind(kind)
    , m_worker(worker)
{
    const QString name = experimentName(kind);
    setObjectName(name + QStringLiteral("Panel"));

    m_progress = new QProgressBar;
    m_progress->setObjectName(name + QStringLiteral("Progress"));
    m_progress->setRange(0, kProgressSteps);
    m_progress->setValue(0);
    m_progress->setFormat(QStringLiteral("%p%"));
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setEnabled(false);
    m_status = new QLabel(tr("Ready."));
    m_status->setObjectName(name + QStringLiteral("Status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_exportAll = new QPushButton(tr("Export all…"));
    m_exportAll->setObjectName(QStringLiteral("exportAllButton"));

    m_refreshTimer.setInterval(kRefreshIntervalMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, [this] {
        refreshViews();
        updateProgressFormat();
    });
    connect(m_cancel, &QPushButton::clicked, this, &ExperimentPanel::cancel);
    connect(m_exportAll, &QPushButton::clicked, this, &ExperimentPanel::exportAll);
    if (m_worker)
        connect(m_worker, &ExperimentWorker::progress, this, [this](double fraction) {
            if (isRunning())
                setProgress(fraction);
        });
}

ExperimentPanel::~ExperimentPanel()
{
    // Stops its writers before the figures go.
    delete m_export;
    // A tab that does not place one of the shared widgets leaves it without a parent.
    for (QWidget* widget : {static_cast<QWidget*>(m_progress), static_cast<QWidget*>(m_cancel),
                            static_cast<QWidget*>(m_status), static_cast<QWidget*>(m_exportAll)})
        if (!widget->parent())
            delete widget;
}

ExperimentKind ExperimentPanel::kind() const
{
    return m_kind;
}

QString ExperimentPanel::shortName() const
{
    QString name = experimentName(m_kind);
    if (!name.isEmpty())
        name[0] = name[0].toUpper();
    return name;
}

ExperimentPanel::State ExperimentPanel::state() const
{
    return m_state;
}

bool ExperimentPanel::isRunning() const
{
    return m_state != State::Idle;
}

bool ExperimentPanel::startReportDefault()
{
    return start();
}

void ExperimentPanel::cancel()
{
    if (m_state != State::Running)
        return;
    if (m_cancelFileJob) {
        m_cancelFileJob();
        setStatus(tr("Cancelling the export …"));
        setState(State::Cancelling);
        return;
    }
    if (m_worker)
        m_worker->requestCancel();
    setStatus(tr("Cancelling …"));
    setState(State::Cancelling);
}

double ExperimentPanel::progress() const
{
    return double(m_progress->value()) / kProgressSteps;
}

QString ExperimentPanel::statusText() const
{
    return m_status->text();
}

qint64 ExperimentPanel::elapsedMs() const
{
    return isRunning() && m_clock.isValid() ? m_clock.elapsed() : m_lastElapsed;
}

std::optional<double> ExperimentPanel::secondsLeft() const
{
    const double fraction = progress();
    const qint64 elapsed = elapsedMs();
    if (!isRunning() || fraction < kEstimateAfterFraction || fraction >= 1.0 || elapsed < kEstimateAfterMs)
        return std::nullopt;
    return elapsed / 1000.0 * (1.0 - fraction) / fraction;
}

bool ExperimentPanel::exportAll()
{
    if (exportFigures().isEmpty() || isRunning())
        return exportAllInto(QString()); // says why not
    const QString folder = chartexport::askExportFolder(this);
    return !folder.isEmpty() && exportAllInto(folder);
}

bool ExperimentPanel::exportAllInto(const QString& folder)
{
    const QList<NamedFigure> figures = exportFigures();
    if (figures.isEmpty()) {
        setStatus(tr("This tab has no figures to export yet."));
        return false;
    }
    if (isRunning()) {
        setStatus(tr("Export all waits until the run has ended: its figures are still changing."));
        return false;
    }
    const QString what = countText(int(figures.size()), tr("figure"), tr("figures"));
    if (!beginFileJob(tr("Exporting %1 into %2 …").arg(what, QDir::toNativeSeparators(folder)),
                      [this] { m_export->cancel(); }))
        return false;
    m_export = new ExportJob(figures, folder, PngSize(), this);
    connect(m_export, &ExportJob::progress, this,
            [this](int done, int count) { setProgress(count > 0 ? double(done) / count : 1.0); });
    connect(m_export, &ExportJob::finished, this, &ExperimentPanel::exportEnded);
    m_export->start();
    return true;
}

bool ExperimentPanel::isExporting() const
{
    return m_cancelFileJob != nullptr;
}

void ExperimentPanel::exportEnded(bool ok, const QStringList& written, const QString& error)
{
    const QString folder = QDir::toNativeSeparators(m_export->folder());
    m_export->deleteLater();
    m_export = nullptr;
    endFileJob(ok, written, error, folder,
               tr("Exported %1 into %2.").arg(countText(int(written.size()), tr("file"), tr("files")), folder));
}

bool ExperimentPanel::beginFileJob(const QString& status, std::function<void()> cancelJob)
{
    if (!beginRun(status, false))
        return false;
    m_cancelFileJob = std::move(cancelJob);
    return true;
}

void ExperimentPanel::endFileJob(bool ok, const QStringList& written, const QString& error, const QString& folder,
                                 const QString& doneText)
{
    m_cancelFileJob = nullptr;
    endRun();
    if (ok)
        setStatus(doneText);
    else if (error.isEmpty())
        setStatus(tr("Export cancelled: %1 is as it was.").arg(folder));
    else
        setStatus(error, true);
    if (!ok && !error.isEmpty())
        chartexport::reportError(this, error);
    Q_EMIT exportFinished(ok, written, error);
}

ExperimentWorker* ExperimentPanel::worker() const
{
    return m_worker.data();
}

bool ExperimentPanel::beginRun(const QString& status, bool recorded)
{
    if (isRunning() || !m_worker)
        return false;
    m_progress->setValue(0);
    m_progress->setFormat(QStringLiteral("%p%"));
    m_clock.start();
    m_refreshTimer.start();
    // Running first: the window then knows the status below belongs to a run (its run line shows it).
    setState(State::Running);
    setStatus(status);
    if (recorded)
        Q_EMIT runStarted();
    return true;
}

void ExperimentPanel::endRun()
{
    if (!isRunning())
        return;
    m_lastElapsed = m_clock.elapsed();
    m_refreshTimer.stop();
    refreshViews();
    m_progress->setFormat(QStringLiteral("%p%"));
    setState(State::Idle);
}

bool ExperimentPanel::isCancelRequested() const
{
    return m_state == State::Cancelling;
}

void ExperimentPanel::setProgress(double fraction)
{
    const int value = int(std::lround(std::clamp(fraction, 0.0, 1.0) * kProgressSteps));
    if (value == m_progress->value())
        return;
    m_progress->setValue(value);
    updateProgressFormat();
    Q_EMIT progressChanged(progress());
}

void ExperimentPanel::setStatus(const QString& text, bool isError)
{
    m_status->setText(text);
    m_status->setStyleSheet(isError ? errorStyleSheet(palette()) : QString());
    Q_EMIT statusMessage(text);
}

void ExperimentPanel::setStatusQuietly(const QString& text)
{
    m_status->setText(text);
    m_status->setStyleSheet(QString());
}

QProgressBar* ExperimentPanel::progressBar() const
{
    return m_progress;
}

QPushButton* ExperimentPanel::cancelButton() const
{
    return m_cancel;
}

QLabel* ExperimentPanel::statusLabel() const
{
    return m_status;
}

QPushButton* ExperimentPanel::exportAllButton() const
{
    return m_exportAll;
}

void ExperimentPanel::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    m_cancel->setEnabled(state == State::Running);
    m_exportAll->setEnabled(state == State::Idle); // a run's figures are still changing
    updateControls();
    Q_EMIT stateChanged(state);
}

void ExperimentPanel::updateProgressFormat()
{
    const std::optional<double> left = secondsLeft();
    m_progress->setFormat(left ? tr("%p% · about %1 left").arg(durationText(*left)) : QStringLiteral("%p%"));
}

} // namespace initlab::ui

#include "exportjob.h"

#include "initlab/stagedfolder.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QMutex>
#include <QThread>
#include <QWaitCondition>
#include <QTimer>

#include <algorithm>
#include <atomic>

namespace initlab::ui {
namespace {

// Tasks handed to the writers and not yet done: enough to keep them busy, few enough that a cancel
// is quick and the drawings waiting take little memory.
constexpr int kMaxInFlight = 2;

QString firstUpper(QString text)
{
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

} // namespace

struct ExportJob::Shared {
    StagedFolder folder;
    std::atomic<bool> stop{false};
    QMutex mutex;
    QStringList written; // names in the folder, in the order written
    // Tasks draw and encode side by side but write in the order they were handed out, so the first
    // file that cannot be written is the one reported, whichever thread got to it first.
    int turn = 0;
    QWaitCondition turnTaken;

    void awaitTurn(int ticket)
    {
        QMutexLocker lock(&mutex);
        while (turn != ticket)
            turnTaken.wait(&mutex);
    }
    void passTurn()
    {
        const QMutexLocker lock(&mutex);
        ++turn;
        turnTaken.wakeAll();
    }

    // Writes name into the staging folder. False with the reason in error (empty when the job was
    // stopped meanwhile).
    bool write(const QString& name, const QByteArray& bytes, QString& error)
    {
        if (stop)
            return false;
        const std::string relative = name.toStdString();
        if (!folder.checkFile(relative).empty()) {
            error = QObject::tr("Could not write %1: a folder of that name is in the way.")
                        .arg(QDir::toNativeSeparators(QString::fromStdString(folder.finalPath(relative))));
            return false;
        }
        const QString staged = QString::fromStdString(folder.stagingPath(relative));
        if (!chartexport::writeFileAtomically(staged, bytes, &error)) {
            // The user knows the file by its name in the folder, not by the staging folder's.
            error.replace(QDir::toNativeSeparators(staged),
                          QDir::toNativeSeparators(QString::fromStdString(folder.finalPath(relative))));
            return false;
        }
        const QMutexLocker lock(&mutex);
        written << name;
        return true;
    }
};

// A figure that only the GUI thread can draw: one format per step.
struct ExportJob::Pending {
    int index = 0;
    int format = 0; // PNG, SVG, PDF, tables
};

ExportJob::ExportJob(const QList<NamedFigure>& figures, const QString& folder, const PngSize& size, QObject* parent)
    : QObject(parent)
    , m_figures(figures)
    , m_folder(folder)
    , m_size(size)
    , m_shared(std::make_shared<Shared>())
{
    for (const NamedFigure& named : m_figures)
        m_alive << QPointer<QObject>(dynamic_cast<QObject*>(named.figure));
    m_writers.setMaxThreadCount(std::clamp(QThread::idealThreadCount(), 1, 2));
}

ExportJob::~ExportJob()
{
    m_shared->stop = true;
    m_writers.waitForDone();
}

void ExportJob::start()
{
    if (m_started)
        return;
    m_started = true;
    if (const QFileInfo info(m_folder); !info.isDir()) {
        m_error = (info.exists() ? tr("Could not write into %1: it is not a folder.")
                                 : tr("Could not write into %1: there is no such folder."))
                      .arg(QDir::toNativeSeparators(m_folder));
    } else if (const std::string problem = m_shared->folder.open(m_folder.toStdString()); !problem.empty()) {
        m_error = firstUpper(QString::fromStdString(problem));
    } else {
        Q_EMIT progress(0, figureCount());
    }
    scheduleStep();
}

void ExportJob::cancel()
{
    if (m_finished || m_cancelled)
        return;
    m_cancelled = true;
    m_shared->stop = true;
    scheduleStep();
}

int ExportJob::figureCount() const
{
    return int(m_figures.size());
}

int ExportJob::figuresDone() const
{
    return m_done;
}

bool ExportJob::isFinished() const
{
    return m_finished;
}

QString ExportJob::folder() const
{
    return m_folder;
}

void ExportJob::scheduleStep()
{
    if (m_stepScheduled || m_finished)
        return;
    m_stepScheduled = true;
    // A turn of the event loop between steps, through a timer: input, paint events and other
    // timers go first (steps posted as events could follow each other with nothing in between).
    QTimer::singleShot(1, Qt::PreciseTimer, this, &ExportJob::step);
}

void ExportJob::step()
{
    m_stepScheduled = false;
    if (m_finished)
        return;
    const bool stopping = m_cancelled || !m_error.isEmpty();
    if (stopping || (m_next >= m_figures.size() && !m_pending)) {
        if (m_inFlight == 0)
            finish();
        return; // the last writer's figureWritten() comes back here
    }
    if (m_inFlight >= kMaxInFlight)
        return;

    using Files = QList<std::pair<QString, QByteArray>>;
    // Hands a figure's files (made on the writer thread by produce) to the writers.
    const auto submit = [this](std::function<Files()> produce, bool lastOfFigure) {
        ++m_inFlight;
        const int ticket = m_tickets++;
        m_writers.start([this, shared = m_shared, produce = std::move(produce), ticket, lastOfFigure] {
            Files files;
            if (!shared->stop)
                files = produce();
            shared->awaitTurn(ticket);
            QString error;
            for (const auto& [name, bytes] : std::as_const(files))
                if (!shared->write(name, bytes, error))
                    break;
            if (!error.isEmpty())
                shared->stop = true; // the files after this one are not written
            shared->passTurn();
            QMetaObject::invokeMethod(
                this, [this, error, lastOfFigure] {
                    if (lastOfFigure)
                        ++m_done;
                    figureWritten(error);
                },
                Qt::QueuedConnection);
        });
    };
    const auto tableFiles = [](const QString& baseName, const QList<CsvTable>& tables) {
        Files files;
        for (const CsvTable& table : tables)
            files.append({baseName + table.suffix + QStringLiteral(".csv"), table.toCsv()});
        return files;
    };

    const int index = m_pending ? m_pending->index : m_next;
    const NamedFigure& named = m_figures[index];
    if (!m_alive[index]) {
        m_error = tr("Could not export %1: the figure was closed during the export.").arg(named.baseName);
        m_pending.reset();
        scheduleStep();
        return;
    }
    ExportableFigure& figure = *named.figure;
    const QString baseName = named.baseName;
    const QString title = figure.figureTitle();

    if (!m_pending) {
        const QSizeF pngLogical = chartexport::logicalSize(figure, m_size.widthCm);
        const QSizeF vectorLogical = chartexport::logicalSize(figure);
        std::shared_ptr<const FigureDrawing> pngDrawing = figure.takeDrawing(pngLogical);
        if (pngDrawing) {
            // Everything of this figure on a writer thread.
            std::shared_ptr<const FigureDrawing> vectorDrawing
                = vectorLogical == pngLogical ? pngDrawing : figure.takeDrawing(vectorLogical);
            const QList<CsvTable> tables = figure.figureTables();
            const PngSize size = m_size;
            submit(
                [=] {
                    Files files{
                        {baseName + QStringLiteral(".png"),
                         chartexport::encodePng(chartexport::renderImage(*pngDrawing, pngLogical, size))},
                        {baseName + QStringLiteral(".svg"), chartexport::renderSvg(*vectorDrawing, vectorLogical, title)},
                        {baseName + QStringLiteral(".pdf"), chartexport::renderPdf(*vectorDrawing, vectorLogical, title)},
                    };
                    return files + tableFiles(baseName, tables);
                },
                true);
            ++m_next;
            scheduleStep();
            return;
        }
        m_pending = std::make_unique<Pending>();
        m_pending->index = index;
        ++m_next;
    }

    // Drawn here, one format per step; encoding and writing on a writer thread.
    switch (m_pending->format++) {
    case 0: {
        const QImage image = chartexport::renderImage(figure, m_size);
        submit([=] { return Files{{baseName + QStringLiteral(".png"), chartexport::encodePng(image)}}; }, false);
        break;
    }
    case 1: {
        const QByteArray svg = chartexport::renderSvg(figure);
        submit([=] { return Files{{baseName + QStringLiteral(".svg"), svg}}; }, false);
        break;
    }
    case 2: {
        const QByteArray pdf = chartexport::renderPdf(figure);
        submit([=] { return Files{{baseName + QStringLiteral(".pdf"), pdf}}; }, false);
        break;
    }
    default: {
        const QList<CsvTable> tables = figure.figureTables();
        submit([=] { return tableFiles(baseName, tables); }, true);
        m_pending.reset();
        break;
    }
    }
    scheduleStep();
}

void ExportJob::figureWritten(const QString& error)
{
    --m_inFlight;
    if (!error.isEmpty() && m_error.isEmpty() && !m_cancelled) {
        m_error = error;
        m_shared->stop = true; // the writers still going stop at their next file
    }
    if (m_error.isEmpty() && !m_cancelled)
        Q_EMIT progress(m_done, figureCount());
    scheduleStep();
}

void ExportJob::finish()
{
    m_finished = true;
    QStringList written;
    bool ok = !m_cancelled && m_error.isEmpty();
    if (ok) {
        if (const std::string problem = m_shared->folder.commit(); !problem.empty()) {
            m_error = firstUpper(QString::fromStdString(problem));
            ok = false;
        } else {
            const QMutexLocker lock(&m_shared->mutex);
            for (const QString& name : std::as_const(m_shared->written))
                written << QString::fromStdString(m_shared->folder.finalPath(name.toStdString()));
        }
    }
    if (!ok)
        m_shared->folder.abandon();
    Q_EMIT finished(ok, written, m_cancelled ? QString() : m_error);
}

} // namespace initlab::ui

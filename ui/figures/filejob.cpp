#include "filejob.h"

#include "initlab/stagedfolder.h"

#include <QFile>
#include <QMutex>
#include <QThread>
#include <QTimer>
#include <QWaitCondition>

#include <algorithm>
#include <atomic>

namespace initlab::ui {
namespace {

// Tasks handed to the writers and not yet done: enough to keep them busy, few enough that a cancel
// is quick and the drawings waiting take little memory.
constexpr int kMaxInFlight = 2;

} // namespace

// What the writer threads share with the job; it outlives the job while a writer still holds it.
struct FileJob::Shared {
    explicit Shared(WriteFile writeFile) : writeFile(std::move(writeFile)) {}

    const WriteFile writeFile;
    StagedFolder folder;
    std::atomic<bool> stop{false};
    QMutex mutex;
    QStringList written; // names in the folder, in the order written
    int turn = 0;        // the ticket whose files are written now
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
        error = writeFile(folder, name, bytes);
        if (!error.isEmpty())
            return false;
        const QMutexLocker lock(&mutex);
        written << name;
        return true;
    }
};

FileJob::FileJob(const QString& folder, WriteFile writeFile, QObject* parent)
    : QObject(parent)
    , m_folder(folder)
    , m_shared(std::make_shared<Shared>(std::move(writeFile)))
{
    m_writers.setMaxThreadCount(std::clamp(QThread::idealThreadCount(), 1, 2));
}

FileJob::~FileJob()
{
    stopWriters();
}

void FileJob::stopWriters()
{
    m_shared->stop = true;
    m_writers.waitForDone();
}

void FileJob::start()
{
    if (m_started)
        return;
    m_started = true;
    if (m_error.isEmpty())
        fail(precondition());
    if (m_error.isEmpty()) {
        if (const std::string problem = m_shared->folder.open(QFile::encodeName(m_folder).toStdString());
            !problem.empty())
            fail(firstUpper(QString::fromStdString(problem)));
    }
    if (m_error.isEmpty())
        fail(begin());
    if (m_error.isEmpty())
        Q_EMIT progress(0, unitCount());
    scheduleStep();
}

void FileJob::cancel()
{
    if (m_finished || m_cancelled)
        return;
    m_cancelled = true;
    m_shared->stop = true;
    scheduleStep();
}

int FileJob::unitsDone() const
{
    return m_done;
}

bool FileJob::isFinished() const
{
    return m_finished;
}

QString FileJob::folder() const
{
    return m_folder;
}

StagedFolder& FileJob::stagedFolder()
{
    return m_shared->folder;
}

bool FileJob::writersFull() const
{
    return m_inFlight >= kMaxInFlight;
}

bool FileJob::stopRequested() const
{
    return m_shared->stop;
}

void FileJob::fail(const QString& error)
{
    if (error.isEmpty() || !m_error.isEmpty() || m_cancelled)
        return;
    m_error = error;
    m_shared->stop = true; // the threads still going stop at their next file
}

QString FileJob::firstUpper(QString text)
{
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

void FileJob::scheduleStep()
{
    if (m_stepScheduled || m_finished)
        return;
    m_stepScheduled = true;
    // A turn of the event loop between steps, through a timer: input, paint events and other
    // timers go first (steps posted as events could follow each other with nothing in between).
    QTimer::singleShot(1, Qt::PreciseTimer, this, &FileJob::step);
}

void FileJob::step()
{
    m_stepScheduled = false;
    if (m_finished)
        return;
    if (!m_cancelled && m_error.isEmpty() && !m_produced) {
        switch (produceNext()) {
        case Turn::Produced:
            scheduleStep();
            return;
        case Turn::Waiting:
            return; // taskWritten() or the producer comes back here
        case Turn::Done:
            m_produced = true;
            submitLast();
            break;
        }
    }
    if (m_inFlight == 0 && !producerBusy())
        finish();
    // Otherwise the last writer's or the producer's answer comes back here.
}

void FileJob::submit(std::function<Files()> produce, bool completesUnit)
{
    ++m_inFlight;
    const int ticket = m_tickets++;
    m_writers.start([this, shared = m_shared, produce = std::move(produce), ticket, completesUnit] {
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
            this, [this, error, completesUnit] { taskWritten(error, completesUnit); }, Qt::QueuedConnection);
    });
}

void FileJob::submit(const QString& name, std::function<QByteArray()> produce, bool completesUnit)
{
    submit([name, produce = std::move(produce)] { return Files{{name, produce()}}; }, completesUnit);
}

void FileJob::taskWritten(const QString& error, bool completesUnit)
{
    --m_inFlight;
    if (!error.isEmpty()) {
        fail(error);
    } else if (completesUnit && !m_cancelled && m_error.isEmpty()) {
        ++m_done;
        Q_EMIT progress(m_done, unitCount());
    }
    scheduleStep();
}

void FileJob::finish()
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
                written << QFile::decodeName(m_shared->folder.finalPath(name.toStdString()).c_str());
        }
    }
    if (!ok)
        m_shared->folder.abandon();
    Q_EMIT finished(ok, written, m_cancelled ? QString() : m_error);
}

} // namespace initlab::ui

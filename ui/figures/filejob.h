#pragma once
// A job that writes files into a folder while the window stays responsive, with progress and
// cancel: what Export all (exportjob.h) and the circles lab's Export frames build on.
//
// The GUI thread does one unit of work per turn of the event loop (produceNext(): a figure, a
// frame) and only what must happen there; writer threads make the files' bytes and write them. The
// files go into the folder through a StagedFolder: the folder gets all of them when the job
// succeeds and keeps what it had when the job fails or is cancelled; a folder another InitLab run
// is writing into is refused. The writers make the files side by side but write them in the order
// they were handed out, so the first file that cannot be written is the one reported and the files
// are listed in that order.

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QThreadPool>

#include <functional>
#include <memory>
#include <utility>

namespace initlab {
class StagedFolder;
}

namespace initlab::ui {

class FileJob : public QObject
{
    Q_OBJECT

public:
    // Writes bytes as name (relative to the folder) into the staging folder; empty on success, else
    // why not. Runs on the writer threads.
    using WriteFile = std::function<QString(StagedFolder& folder, const QString& name, const QByteArray& bytes)>;

    ~FileJob() override;

    // Begins; finished() follows, from the event loop, also when the folder cannot be used.
    void start();
    // Stops after the work in flight; finished() follows with ok false and no error.
    void cancel();

    // The units of work (figures, frames) and those whose files are written.
    virtual int unitCount() const = 0;
    int unitsDone() const;
    bool isFinished() const;
    QString folder() const;

Q_SIGNALS:
    void progress(int done, int count);
    // ok: every file is in the folder (written lists them, in the order written). Otherwise nothing
    // in the folder has changed; error says why, empty when the job was cancelled.
    void finished(bool ok, const QStringList& written, const QString& error);

protected:
    using Files = QList<std::pair<QString, QByteArray>>;
    // What one turn of produceNext() did.
    enum class Turn {
        Produced, // a unit's work (or part of it): the next turn follows
        Waiting,  // nothing to do until a writer or the producer's own work calls scheduleStep()
        Done,     // every unit is produced
    };

    FileJob(const QString& folder, WriteFile writeFile, QObject* parent);

    // Why the job cannot begin, asked before the folder is opened; empty when it can.
    virtual QString precondition() { return {}; }
    // After the folder is opened: the producer's setup; empty, or why the job cannot go on.
    virtual QString begin() { return {}; }
    // One unit of work on the GUI thread, called once per turn of the event loop while the job goes
    // well; it hands files to the writers with submit().
    virtual Turn produceNext() = 0;
    // Once every unit is produced: the files that come last.
    virtual void submitLast() {}
    // Work of the producer's own still going (it calls scheduleStep() when it ends): the job ends
    // only after it.
    virtual bool producerBusy() const { return false; }

    // Hands files to the writers: produce makes them on a writer thread (unless the job has stopped
    // meanwhile). completesUnit: they are a unit's last, which counts as done once they are written.
    void submit(std::function<Files()> produce, bool completesUnit);
    void submit(const QString& name, std::function<QByteArray()> produce, bool completesUnit);
    // Enough handed to the writers for now: produceNext() waits.
    bool writersFull() const;
    // The job stops with error (the first error is the one reported; none after a cancel).
    void fail(const QString& error);
    // Cancelled or failed: set from any thread, for the producer's threads to stop early.
    bool stopRequested() const;
    void scheduleStep();
    // Stops the writers and waits for them: for a derived class's destructor, before the members
    // that what it submitted uses.
    void stopWriters();
    // The open staging folder (GUI thread, from begin() on).
    StagedFolder& stagedFolder();

    // A message of the core ("cannot write ...") as a sentence of the window's ("Cannot write ...").
    static QString firstUpper(QString text);

private:
    struct Shared;

    void step();
    void taskWritten(const QString& error, bool completesUnit);
    void finish();

    QString m_folder;
    std::shared_ptr<Shared> m_shared;
    int m_inFlight = 0; // tasks handed to the writers and not yet done
    int m_tickets = 0;  // tasks handed out: the order they write in
    int m_done = 0;
    bool m_started = false;
    bool m_produced = false; // produceNext() said Done and submitLast() ran
    bool m_stepScheduled = false;
    bool m_cancelled = false;
    bool m_finished = false;
    QString m_error;
    QThreadPool m_writers; // last: its threads end before the members they use
};

} // namespace initlab::ui

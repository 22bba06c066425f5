#pragma once
// Export all as a job that leaves the window responsive: every figure as PNG, SVG, PDF and its data
// as CSV into a folder, with progress and cancel.
//
// The GUI thread does only what must happen there, one figure (or, for a figure that can only be
// drawn there, one format) per turn of the event loop: it takes the figure's drawing and its tables.
// Writer threads draw, encode and write. The files go into the folder through a StagedFolder: the
// folder gets all of them when the job succeeds, and keeps what it had when the job fails or is
// cancelled; a folder another InitLab run is writing into is refused.

#include "chartexport.h"

#include <QObject>
#include <QPointer>
#include <QThreadPool>

#include <memory>

namespace initlab::ui {

class ExportJob : public QObject
{
    Q_OBJECT

public:
    ExportJob(const QList<NamedFigure>& figures, const QString& folder, const PngSize& size = PngSize(),
              QObject* parent = nullptr);
    // Cancels and waits for the writer threads (at most the figures in flight).
    ~ExportJob() override;

    // Begins; finished() follows, from the event loop, also when the folder cannot be used.
    void start();
    // Stops after the figures in flight; finished() follows with ok false and no error.
    void cancel();

    int figureCount() const;
    int figuresDone() const;
    bool isFinished() const;
    QString folder() const;

Q_SIGNALS:
    void progress(int figuresDone, int figureCount);
    // ok: every file is in the folder (written lists them). Otherwise nothing in the folder has
    // changed; error says why, empty when the job was cancelled.
    void finished(bool ok, const QStringList& written, const QString& error);

private:
    struct Shared;
    struct Pending;

    void step();
    void scheduleStep();
    void figureWritten(const QString& error);
    void finish();

    QList<NamedFigure> m_figures;
    QList<QPointer<QObject>> m_alive; // a figure's widget, to notice one that was closed meanwhile
    QString m_folder;
    PngSize m_size;
    std::shared_ptr<Shared> m_shared;
    std::unique_ptr<Pending> m_pending; // a figure drawn on this thread, one format per step
    int m_next = 0;      // the next figure to take
    int m_inFlight = 0;  // tasks handed to the writers and not yet done
    int m_tickets = 0;   // tasks handed out: the order they write in
    int m_done = 0;
    bool m_started = false;
    bool m_stepScheduled = false;
    bool m_cancelled = false;
    bool m_finished = false;
    QString m_error;
    QThreadPool m_writers; // last: its threads end before the members they use
};

} // namespace initlab::ui

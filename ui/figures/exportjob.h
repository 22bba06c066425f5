#pragma once
// Export all as a job that leaves the window responsive: every figure as PNG, SVG, PDF and its data
// as CSV into a folder, with progress and cancel.
//
// The GUI thread does only what must happen there, one figure (or, for a figure that can only be
// drawn there, one format) per turn of the event loop: it takes the figure's drawing and its tables.
// Writer threads draw, encode and write. The files go into the folder as FileJob (filejob.h) puts
// them: the folder gets all of them when the job succeeds, and keeps what it had when the job fails
// or is cancelled; a folder another InitLab run is writing into is refused.

#include "chartexport.h"
#include "filejob.h"

#include <QPointer>

#include <memory>

namespace initlab::ui {

class ExportJob : public FileJob
{
    Q_OBJECT

public:
    ExportJob(const QList<NamedFigure>& figures, const QString& folder, const PngSize& size = PngSize(),
              QObject* parent = nullptr);
    // Cancels and waits for the writer threads (at most the figures in flight).
    ~ExportJob() override;

    // start(), cancel(), isFinished(), folder(), and the signals progress(figuresDone, figureCount)
    // and finished(ok, written, error): FileJob's.
    int figureCount() const;
    int figuresDone() const;
    int unitCount() const override;

protected:
    QString precondition() override;
    Turn produceNext() override;

private:
    struct Pending;

    QList<NamedFigure> m_figures;
    QList<QPointer<QObject>> m_alive; // a figure's widget, to notice one that was closed meanwhile
    PngSize m_size;
    std::unique_ptr<Pending> m_pending; // a figure drawn on this thread, one format per step
    int m_next = 0;                     // the next figure to take
};

} // namespace initlab::ui

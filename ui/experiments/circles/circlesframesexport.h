#pragma once
// "Export frames…" of the circles lab: one model of a finished run drawn every N epochs from the
// run's parameter snapshots, as a numbered PNG sequence (for a video or a slide) with frames.csv,
// the model's training loss, training accuracy and validation accuracy at those epochs. The frames
// are those `initlab-cli circles --frames-every N` writes for each setting's best seed: the same
// epochs, the same canvas with the same title and subtitle, and frames.csv's numbers as
// circles_history.csv writes them.
//
// A job that leaves the window responsive, built like Export all's (exportjob.h). A pool thread
// computes the boundaries a few frames ahead (LibTorch, which never runs on the GUI thread). The GUI
// thread does one frame per turn of the event loop and only what must happen there: it puts the
// image on a BoundaryCanvas in its print look and takes its drawing. Writer threads render, encode
// and write the PNGs. The files go into <folder>/frames/<normalization>-<init>-seed<S>/ through a
// StagedFolder: the folder gets all of them when the job succeeds and keeps what it had when the
// job fails or is cancelled.

#include "initlab/circles.h"

#include <QByteArray>
#include <QObject>
#include <QSizeF>
#include <QString>
#include <QStringList>
#include <QThreadPool>

#include <deque>
#include <functional>
#include <memory>
#include <vector>

namespace initlab::ui {

class BoundaryCanvas;

class CirclesFramesExport : public QObject
{
    Q_OBJECT

public:
    // model: an index into result's models; config: the run's (its data and net); every: the epochs
    // between frames.
    CirclesFramesExport(std::shared_ptr<const CirclesResult> result, const CirclesConfig& config, int model, int every,
                        const QString& folder, QObject* parent = nullptr);
    // Cancels and waits for the threads (at most the frames in flight).
    ~CirclesFramesExport() override;

    // The snapshots the frames show (indices into snapshots.epochs): the recorded epoch at or before
    // each multiple of every up to lastEpoch, each once, the initial weights left out.
    static std::vector<int> frameIndices(const CirclesSnapshots& snapshots, int lastEpoch, int every);
    // The model's last epoch with finite numbers, where its frames stop: after a divergence its
    // weights are not numbers.
    static int lastEpoch(const ModelResult& model);
    // "frames/standard-xavier_uniform-seed3": where a model's frames go in the folder.
    static QString subfolder(const ModelKey& key);

    // Begins; finished() follows, from the event loop, also when the folder cannot be used or there
    // is no frame to export.
    void start();
    // Stops after the frames in flight; finished() follows with ok false and no error.
    void cancel();

    int frameCount() const;
    int framesDone() const;
    bool isFinished() const;
    // The folder chosen, and the one inside it that gets the files.
    QString folder() const;
    QString framesFolder() const;

Q_SIGNALS:
    void progress(int framesDone, int frameCount);
    // ok: every frame and frames.csv are in framesFolder() (written lists them). Otherwise nothing in
    // the folder has changed; error says why, empty when the job was cancelled.
    void finished(bool ok, const QStringList& written, const QString& error);

private:
    struct Shared;

    void scheduleStep();
    void step();
    void computeAhead();
    void boundariesComputed(const std::vector<BoundaryImage>& images, const QString& error);
    void prepareCanvas();
    void drawFrame();
    void submit(const QString& name, std::function<QByteArray()> produce, bool isFrame);
    void fileWritten(const QString& error, bool isFrame);
    void fail(const QString& error);
    void finish();
    QString caption(int epoch) const;
    QByteArray framesCsv() const;

    std::shared_ptr<const CirclesResult> m_result;
    CirclesConfig m_config;
    int m_model = 0;
    QString m_folder;
    QString m_subfolder;
    std::vector<NormalizationMap> m_maps; // every model's, as snapshotBoundaries() wants them
    std::vector<int> m_indices;           // the frames' snapshots
    std::unique_ptr<BoundaryCanvas> m_canvas;
    QSizeF m_logical; // the frames' size in logical units
    std::shared_ptr<Shared> m_shared;
    std::deque<BoundaryImage> m_ready; // computed, not drawn yet
    int m_computeNext = 0;             // the next frame to hand to the computing thread
    bool m_computing = false;
    int m_drawn = 0;
    int m_inFlight = 0; // files handed to the writers and not written yet
    int m_done = 0;     // frames written
    bool m_started = false;
    bool m_stepScheduled = false;
    bool m_cancelled = false;
    bool m_finished = false;
    QString m_error;
    // Last: their threads end before the members they use.
    QThreadPool m_compute;
    QThreadPool m_writers;
};

} // namespace initlab::ui

#pragma once
// "Export frames…" of the circles lab: one model of a finished run drawn every N epochs from the
// run's parameter snapshots, as a numbered PNG sequence (for a video or a slide) with frames.csv,
// the model's training loss, training accuracy and validation accuracy at those epochs. The frames
// are those `initlab-cli circles --frames-every N` writes for each setting's best seed: the same
// epochs, the same canvas with the same title and subtitle, and frames.csv's numbers as
// circles_history.csv writes them.
//
// A job that leaves the window responsive, a FileJob (figures/filejob.h) as Export all's is. A pool
// thread computes the boundaries a few frames ahead (LibTorch, which never runs on the GUI thread).
// The GUI thread does one frame per turn of the event loop and only what must happen there: it puts
// the image on a BoundaryCanvas in its print look and takes its drawing. Writer threads render,
// encode and write the PNGs, then frames.csv. The files go into
// <folder>/frames/<normalization>-<init>-seed<S>/ through a StagedFolder: the folder gets all of
// them when the job succeeds and keeps what it had when the job fails or is cancelled.

#include "figures/filejob.h"
#include "initlab/circles.h"

#include <QByteArray>
#include <QSizeF>
#include <QString>
#include <QThreadPool>

#include <deque>
#include <functional>
#include <memory>
#include <vector>

namespace initlab::ui {

class BoundaryCanvas;

class CirclesFramesExport : public FileJob
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

    // start() begins; finished() follows, from the event loop, also when the folder cannot be used or
    // there is no frame to export. cancel() stops after the frames in flight. isFinished(), and the
    // signals progress(framesDone, frameCount) and finished(ok, written, error): FileJob's; ok means
    // every frame and frames.csv are in framesFolder(), written lists the frames, then frames.csv.
    int frameCount() const;
    int framesDone() const;
    int unitCount() const override;
    // The folder chosen (folder(), FileJob's), and the one inside it that gets the files.
    QString framesFolder() const;

protected:
    QString begin() override;
    Turn produceNext() override;
    void submitLast() override;
    bool producerBusy() const override;

private:
    void computeAhead();
    void boundariesComputed(const std::vector<BoundaryImage>& images, const QString& error);
    void prepareCanvas();
    void drawFrame();
    // Hands name in the frames' folder, made by produce on a writer thread, to the writers.
    void submitFile(const QString& name, std::function<QByteArray()> produce, bool isFrame);
    QString caption(int epoch) const;
    QByteArray framesCsv() const;

    std::shared_ptr<const CirclesResult> m_result;
    CirclesConfig m_config;
    int m_model = 0;
    QString m_subfolder;
    std::vector<NormalizationMap> m_maps; // every model's, as snapshotBoundaries() wants them
    std::vector<int> m_indices;           // the frames' snapshots
    std::unique_ptr<BoundaryCanvas> m_canvas;
    QSizeF m_logical; // the frames' size in logical units
    std::deque<BoundaryImage> m_ready; // computed, not drawn yet
    int m_computeNext = 0;             // the next frame to hand to the computing thread
    bool m_computing = false;
    int m_drawn = 0;
    QThreadPool m_compute; // last: its thread ends before the members it uses
};

} // namespace initlab::ui

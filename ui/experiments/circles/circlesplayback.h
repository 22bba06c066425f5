#pragma once
// CirclesPlayback is the bar under the circles lab's big canvas that plays a run at a pace a student
// can follow: an epoch slider over the run's recorded snapshots, play / pause, a step back and
// forward, the speed, and "Best" for each model at its best epoch (what the tab shows when a run
// ends). Keyboard: Space plays or pauses, Left and Right step, Home and End jump to the first and
// last recorded epoch. The bar only says which snapshot to show (frameRequested); the panel draws it.
//
// While a run trains, the slider grows with the snapshots as they arrive, and playback follows the
// run at the chosen speed from epoch 0: training stays as fast as it is, and playback may fall
// behind it (End or the slider's right end jump to the newest epoch). "Live" then shows what the
// run sends as it trains, and so does the speed "as trained". A playback that followed the run
// to its end returns to Best, as the tab did before playback.
// "Frames…" beside Best asks the panel to export the big canvas's model as a PNG sequence.

#include "initlab/circles.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <memory>
#include <vector>

QT_BEGIN_NAMESPACE
class QComboBox;
class QLabel;
class QSlider;
class QToolButton;
QT_END_NAMESPACE

namespace initlab::ui {

class CirclesPlayback : public QWidget
{
    Q_OBJECT

public:
    explicit CirclesPlayback(QWidget* parent = nullptr);

    // A run begins: no snapshots yet; with a finite speed, playback follows the run from its first
    // snapshot on.
    void beginRun();
    // The next block of the running run's snapshots: the slider's range grows.
    void appendSnapshots(const CirclesSnapshots& block);
    // The snapshots of a finished run (null or empty disables the bar). A playback following the run
    // goes on over them; otherwise the bar shows "Best".
    void setSnapshots(std::shared_ptr<const CirclesSnapshots> snapshots);
    bool hasSnapshots() const;
    bool isTraining() const { return m_training; }
    // Playback follows the run from its start and returns to Best when it reaches the end.
    bool isFollowing() const { return m_following; }

    // The snapshot shown, or -1 while each model is shown at its best epoch (live while training).
    int index() const { return m_index; }
    int epoch() const;
    int snapshotCount() const { return int(m_epochs.size()); }
    bool isPlaying() const { return m_timer.isActive(); }
    double speed() const; // epochs per second; infinity for "as trained"

    void showIndex(int index);
    void showBest();
    // Asks again for what the bar shows (a frame, or Best / Live).
    void redraw();
    void play();
    void pause();
    void step(int snapshots);
    void setSpeed(double epochsPerSecond);

Q_SIGNALS:
    void frameRequested(int index);
    // After a run: each model at its best epoch; while training: the live boundaries.
    void bestRequested();
    // Frames…: the shown model's boundary every N epochs as a PNG sequence.
    void exportFramesRequested();

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void advance();
    void updateControls();
    void stopFollowing();
    int indexAtOrBefore(double epoch) const;

    std::vector<int> m_epochs; // the recorded epochs, ascending
    int m_stride = 0;
    std::size_t m_bytes = 0;
    bool m_training = false;
    bool m_following = false;
    int m_index = -1;
    double m_position = 0.0; // epochs, while playing
    QTimer m_timer;
    QElapsedTimer m_clock;
    QToolButton* m_play = nullptr;
    QToolButton* m_back = nullptr;
    QToolButton* m_forward = nullptr;
    QToolButton* m_best = nullptr;
    QSlider* m_slider = nullptr;
    QComboBox* m_speed = nullptr;
    QLabel* m_label = nullptr;
    QToolButton* m_frames = nullptr;
};

} // namespace initlab::ui

#pragma once
// CirclesPlayback is the bar under the circles lab's big canvas that looks back through a finished
// run: an epoch slider over the run's recorded snapshots, play / pause, a step back and forward,
// the speed, and "Best" for each model at its best epoch (what the tab shows when a run ends).
// Keyboard: Space plays or pauses, Left and Right step, Home and End jump to the first and last
// recorded epoch. The bar only says which snapshot to show (frameRequested); the panel draws it.
// "Frames…" at the end asks the panel to export the big canvas's model as a PNG sequence.

#include "initlab/circles.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <memory>

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

    // The snapshots to play (a finished run's); null or empty disables the bar. Starts at "Best".
    void setSnapshots(std::shared_ptr<const CirclesSnapshots> snapshots);
    bool hasSnapshots() const;

    // The snapshot shown, or -1 while each model is shown at its best epoch.
    int index() const { return m_index; }
    int epoch() const;
    bool isPlaying() const { return m_timer.isActive(); }
    double speed() const; // epochs per second

    void showIndex(int index);
    void showBest();
    void play();
    void pause();
    void step(int snapshots);
    void setSpeed(double epochsPerSecond);

Q_SIGNALS:
    void frameRequested(int index);
    void bestRequested();
    // Frames…: the shown model's boundary every N epochs as a PNG sequence.
    void exportFramesRequested();

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void advance();
    void updateControls();

    std::shared_ptr<const CirclesSnapshots> m_snapshots;
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

#include "circlesplayback.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QStyle>
#include <QToolButton>

#include <algorithm>
#include <cmath>

namespace initlab::ui {
namespace {

constexpr int kTickMs = 33; // ~30 frames a second at most
// Epochs per second; the default plays the default 5000 epochs in 20 s.
constexpr double kSpeeds[] = {10.0, 50.0, 250.0, 1000.0, 5000.0};
constexpr int kDefaultSpeed = 2;

} // namespace

CirclesPlayback::CirclesPlayback(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("circlesPlayback"));
    setFocusPolicy(Qt::StrongFocus);
    const auto button = [this](QStyle::StandardPixmap icon, const QString& name, const QString& tip) {
        auto* b = new QToolButton;
        b->setObjectName(name);
        b->setIcon(style()->standardIcon(icon));
        b->setToolTip(tip);
        b->setAutoRaise(true);
        return b;
    };
    m_play = button(QStyle::SP_MediaPlay, QStringLiteral("playButton"),
                    tr("Play the run back from the epoch shown, at the chosen speed (Space)"));
    m_back = button(QStyle::SP_MediaSeekBackward, QStringLiteral("stepBackButton"),
                    tr("One recorded epoch back (Left)"));
    m_forward = button(QStyle::SP_MediaSeekForward, QStringLiteral("stepForwardButton"),
                       tr("One recorded epoch forward (Right)"));
    m_best = new QToolButton;
    m_best->setObjectName(QStringLiteral("bestButton"));
    m_best->setText(tr("Best"));
    m_best->setToolTip(tr("Each model at its epoch of best validation accuracy, whose weights give its test "
                          "accuracy: what the tab shows when a run ends"));
    m_slider = new QSlider(Qt::Horizontal);
    m_slider->setObjectName(QStringLiteral("epochSlider"));
    m_slider->setToolTip(tr("The epoch shown, over the run's recorded snapshots (Home, End)"));
    m_speed = new QComboBox;
    m_speed->setObjectName(QStringLiteral("speedCombo"));
    for (double speed : kSpeeds)
        m_speed->addItem(tr("%1/s").arg(speed));
    m_speed->setCurrentIndex(kDefaultSpeed);
    m_speed->setToolTip(tr("How fast playback moves through the epochs, in epochs per second"));
    m_label = new QLabel;
    m_label->setObjectName(QStringLiteral("playbackLabel"));
    m_frames = new QToolButton;
    m_frames->setObjectName(QStringLiteral("exportFramesButton"));
    m_frames->setText(tr("Frames…"));
    m_frames->setToolTip(tr("Export frames: the model the big canvas shows, drawn every N epochs from the recorded "
                            "snapshots, as numbered PNG files for a video or a slide, with frames.csv"));

    // Two rows, so that the canvas's column does not have to grow: the slider over the whole width,
    // the buttons under it.
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto* sliderRow = new QHBoxLayout;
    sliderRow->addWidget(m_slider, 1);
    sliderRow->addWidget(m_best);
    layout->addLayout(sliderRow);
    auto* buttons = new QHBoxLayout;
    for (QWidget* w : std::initializer_list<QWidget*>{m_back, m_play, m_forward})
        buttons->addWidget(w);
    buttons->addWidget(m_label, 1);
    buttons->addWidget(m_speed);
    buttons->addWidget(m_frames);
    layout->addLayout(buttons);

    m_timer.setInterval(kTickMs);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &CirclesPlayback::advance);
    connect(m_play, &QToolButton::clicked, this, [this] { isPlaying() ? pause() : play(); });
    connect(m_back, &QToolButton::clicked, this, [this] { step(-1); });
    connect(m_forward, &QToolButton::clicked, this, [this] { step(1); });
    connect(m_best, &QToolButton::clicked, this, &CirclesPlayback::showBest);
    connect(m_frames, &QToolButton::clicked, this, &CirclesPlayback::exportFramesRequested);
    connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
        pause();
        showIndex(value);
    });
    updateControls();
}

void CirclesPlayback::setSnapshots(std::shared_ptr<const CirclesSnapshots> snapshots)
{
    pause();
    m_snapshots = (snapshots && !snapshots->empty()) ? std::move(snapshots) : nullptr;
    m_index = -1;
    const QSignalBlocker blocker(m_slider);
    m_slider->setRange(0, m_snapshots ? int(m_snapshots->epochs.size()) - 1 : 0);
    m_slider->setValue(m_slider->maximum());
    updateControls();
}

bool CirclesPlayback::hasSnapshots() const
{
    return m_snapshots != nullptr;
}

int CirclesPlayback::epoch() const
{
    return m_snapshots && m_index >= 0 ? m_snapshots->epochs[std::size_t(m_index)] : -1;
}

double CirclesPlayback::speed() const
{
    return kSpeeds[std::clamp(m_speed->currentIndex(), 0, int(std::size(kSpeeds)) - 1)];
}

void CirclesPlayback::setSpeed(double epochsPerSecond)
{
    const auto nearest = std::min_element(std::begin(kSpeeds), std::end(kSpeeds), [epochsPerSecond](double a, double b) {
        return std::abs(a - epochsPerSecond) < std::abs(b - epochsPerSecond);
    });
    m_speed->setCurrentIndex(int(nearest - std::begin(kSpeeds)));
}

void CirclesPlayback::showIndex(int index)
{
    if (!m_snapshots)
        return;
    index = std::clamp(index, 0, int(m_snapshots->epochs.size()) - 1);
    if (index == m_index)
        return;
    m_index = index;
    {
        const QSignalBlocker blocker(m_slider);
        m_slider->setValue(index);
    }
    updateControls();
    Q_EMIT frameRequested(index);
}

void CirclesPlayback::showBest()
{
    pause();
    if (m_index < 0)
        return;
    m_index = -1;
    {
        const QSignalBlocker blocker(m_slider);
        m_slider->setValue(m_slider->maximum());
    }
    updateControls();
    Q_EMIT bestRequested();
}

void CirclesPlayback::play()
{
    if (!m_snapshots || isPlaying())
        return;
    // From the start when at the end or at "Best".
    if (m_index < 0 || m_index + 1 >= int(m_snapshots->epochs.size()))
        showIndex(0);
    m_position = epoch();
    m_clock.start();
    m_timer.start();
    updateControls();
}

void CirclesPlayback::pause()
{
    if (!m_timer.isActive())
        return;
    m_timer.stop();
    updateControls();
}

void CirclesPlayback::step(int snapshots)
{
    if (!m_snapshots)
        return;
    pause();
    const int from = m_index < 0 ? int(m_snapshots->epochs.size()) - 1 : m_index;
    showIndex(from + snapshots);
}

void CirclesPlayback::advance()
{
    const double seconds = m_clock.restart() / 1000.0;
    m_position += seconds * speed();
    const int index = m_snapshots->indexAtOrBefore(int(std::floor(m_position)));
    showIndex(std::max(index, m_index));
    if (m_index + 1 >= int(m_snapshots->epochs.size()))
        pause();
}

void CirclesPlayback::updateControls()
{
    const bool enabled = m_snapshots != nullptr;
    for (QWidget* w : std::initializer_list<QWidget*>{m_play, m_back, m_forward, m_best, m_slider, m_speed, m_frames})
        w->setEnabled(enabled);
    m_play->setIcon(style()->standardIcon(isPlaying() ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    if (!enabled) {
        m_label->setText(tr("after a run"));
        m_label->setToolTip(tr("Once a run has ended, its recorded epochs can be played back here."));
        return;
    }
    const int last = m_snapshots->epochs.back();
    m_label->setText(m_index < 0 ? tr("best epochs") : tr("epoch %1 / %2").arg(epoch()).arg(last));
    m_label->setToolTip(tr("%1 snapshots recorded, every %2 · %3 MB")
                            .arg(m_snapshots->epochs.size())
                            .arg(m_snapshots->stride == 1 ? tr("epoch") : tr("%1 epochs").arg(m_snapshots->stride))
                            .arg(double(m_snapshots->bytes()) / (1 << 20), 0, 'f', 1));
}

void CirclesPlayback::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Space:
        isPlaying() ? pause() : play();
        break;
    case Qt::Key_Left:
        step(-1);
        break;
    case Qt::Key_Right:
        step(1);
        break;
    case Qt::Key_Home:
        pause();
        showIndex(0);
        break;
    case Qt::Key_End:
        pause();
        if (m_snapshots)
            showIndex(int(m_snapshots->epochs.size()) - 1);
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

} // namespace initlab::ui

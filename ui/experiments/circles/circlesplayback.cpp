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
#include <limits>

namespace initlab::ui {
namespace {

constexpr int kTickMs = 33; // ~30 frames a second at most
// Epochs per second; the default plays the default 5000 epochs in 20 s, the last keeps up with
// training (and a finished run shows its end at once).
constexpr double kSpeeds[] = {10.0, 50.0, 250.0, 1000.0, 5000.0, std::numeric_limits<double>::infinity()};
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
        m_speed->addItem(std::isinf(speed) ? tr("as trained") : tr("%1/s").arg(speed));
    m_speed->setCurrentIndex(kDefaultSpeed);
    m_speed->setToolTip(tr("How fast playback moves through the epochs, in epochs per second. While a run trains, "
                           "playback follows it at this pace (250/s shows the default 5000 epochs in 20 s); "
                           "\"as trained\" shows each model as it trains, as fast as the run goes."));
    m_label = new QLabel;
    m_label->setObjectName(QStringLiteral("playbackLabel"));
    // The text changes with every frame: it must not widen the canvas's column (nor make it jump).
    m_label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_label->setMinimumWidth(m_label->fontMetrics().horizontalAdvance(QStringLiteral("epoch 0000 / 0000")));
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
    sliderRow->addWidget(m_frames);
    layout->addLayout(sliderRow);
    auto* buttons = new QHBoxLayout;
    for (QWidget* w : std::initializer_list<QWidget*>{m_back, m_play, m_forward})
        buttons->addWidget(w);
    buttons->addWidget(m_label, 1);
    buttons->addWidget(m_speed);
    layout->addLayout(buttons);

    m_timer.setInterval(kTickMs);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &CirclesPlayback::advance);
    connect(m_play, &QToolButton::clicked, this, [this] {
        stopFollowing();
        isPlaying() ? pause() : play();
    });
    connect(m_back, &QToolButton::clicked, this, [this] { step(-1); });
    connect(m_forward, &QToolButton::clicked, this, [this] { step(1); });
    connect(m_best, &QToolButton::clicked, this, &CirclesPlayback::showBest);
    connect(m_frames, &QToolButton::clicked, this, &CirclesPlayback::exportFramesRequested);
    connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
        stopFollowing();
        pause();
        showIndex(value);
    });
    connect(m_speed, &QComboBox::currentIndexChanged, this, [this] {
        // "As trained" while a run trains: back to what the run sends.
        if (std::isinf(speed()) && m_training && m_index >= 0)
            showBest();
    });
    updateControls();
}

void CirclesPlayback::beginRun()
{
    m_timer.stop();
    m_epochs.clear();
    m_stride = 0;
    m_bytes = 0;
    m_index = -1;
    m_training = true;
    m_following = !std::isinf(speed());
    {
        const QSignalBlocker blocker(m_slider);
        m_slider->setRange(0, 0);
    }
    updateControls();
}

void CirclesPlayback::appendSnapshots(const CirclesSnapshots& block)
{
    if (!m_training || block.epochs.empty())
        return;
    const bool first = m_epochs.empty();
    m_epochs.insert(m_epochs.end(), block.epochs.begin(), block.epochs.end());
    m_stride = block.stride;
    m_bytes += block.bytes();
    {
        const QSignalBlocker blocker(m_slider);
        m_slider->setRange(0, int(m_epochs.size()) - 1);
        if (m_index < 0)
            m_slider->setValue(m_slider->maximum());
    }
    if (first && m_following) {
        showIndex(0);
        m_position = 0.0;
        m_clock.start();
        m_timer.start();
    }
    updateControls();
}

void CirclesPlayback::setSnapshots(std::shared_ptr<const CirclesSnapshots> snapshots)
{
    m_training = false;
    if (!snapshots || snapshots->empty()) {
        m_epochs.clear();
        m_stride = 0;
        m_bytes = 0;
    } else {
        m_epochs = snapshots->epochs;
        m_stride = snapshots->stride;
        m_bytes = snapshots->bytes();
    }
    // A playback under way (or paused at an epoch) when the run ends goes on over its snapshots.
    const bool keep = m_index >= 0 && m_index < int(m_epochs.size());
    if (!keep) {
        m_timer.stop();
        m_following = false;
        m_index = -1;
    }
    {
        const QSignalBlocker blocker(m_slider);
        m_slider->setRange(0, m_epochs.empty() ? 0 : int(m_epochs.size()) - 1);
        m_slider->setValue(m_index >= 0 ? m_index : m_slider->maximum());
    }
    updateControls();
}

bool CirclesPlayback::hasSnapshots() const
{
    return !m_epochs.empty();
}

int CirclesPlayback::epoch() const
{
    return m_index >= 0 && m_index < int(m_epochs.size()) ? m_epochs[std::size_t(m_index)] : -1;
}

double CirclesPlayback::speed() const
{
    return kSpeeds[std::clamp(m_speed->currentIndex(), 0, int(std::size(kSpeeds)) - 1)];
}

void CirclesPlayback::setSpeed(double epochsPerSecond)
{
    const auto nearest = std::min_element(std::begin(kSpeeds), std::end(kSpeeds), [epochsPerSecond](double a, double b) {
        if (std::isinf(a) || std::isinf(b))
            return std::isinf(epochsPerSecond) ? std::isinf(a) && !std::isinf(b) : !std::isinf(a) && std::isinf(b);
        return std::abs(a - epochsPerSecond) < std::abs(b - epochsPerSecond);
    });
    m_speed->setCurrentIndex(int(nearest - std::begin(kSpeeds)));
}

int CirclesPlayback::indexAtOrBefore(double epoch) const
{
    const auto after = std::upper_bound(m_epochs.begin(), m_epochs.end(), epoch,
                                        [](double e, int recorded) { return e < double(recorded); });
    return std::max(0, int(after - m_epochs.begin()) - 1);
}

void CirclesPlayback::showIndex(int index)
{
    if (m_epochs.empty())
        return;
    index = std::clamp(index, 0, int(m_epochs.size()) - 1);
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
    stopFollowing();
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

void CirclesPlayback::redraw()
{
    if (m_index >= 0)
        Q_EMIT frameRequested(m_index);
    else
        Q_EMIT bestRequested();
}

void CirclesPlayback::play()
{
    if (m_epochs.empty() || isPlaying())
        return;
    if (std::isinf(speed())) {
        // As fast as training: the newest state at once.
        if (m_training)
            showBest();
        else
            showIndex(int(m_epochs.size()) - 1);
        return;
    }
    // From the start when at the end or at "Best" (after a run).
    if (!m_training && (m_index < 0 || m_index + 1 >= int(m_epochs.size())))
        showIndex(0);
    else if (m_index < 0)
        showIndex(int(m_epochs.size()) - 1);
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

void CirclesPlayback::stopFollowing()
{
    m_following = false;
}

void CirclesPlayback::step(int snapshots)
{
    if (m_epochs.empty())
        return;
    stopFollowing();
    pause();
    const int from = m_index < 0 ? int(m_epochs.size()) - 1 : m_index;
    showIndex(from + snapshots);
}

void CirclesPlayback::advance()
{
    if (m_epochs.empty())
        return;
    const double seconds = m_clock.restart() / 1000.0;
    if (std::isinf(speed())) {
        m_timer.stop();
        m_training ? showBest() : showIndex(int(m_epochs.size()) - 1);
        return;
    }
    // While training, playback waits at the newest snapshot for the next ones.
    m_position = std::min(m_position + seconds * speed(), double(m_epochs.back()));
    showIndex(std::max(indexAtOrBefore(m_position), m_index));
    if (!m_training && m_index + 1 >= int(m_epochs.size())) {
        pause();
        if (m_following)
            showBest();
    }
}

void CirclesPlayback::updateControls()
{
    const bool enabled = !m_epochs.empty();
    for (QWidget* w : std::initializer_list<QWidget*>{m_play, m_back, m_forward, m_best, m_slider})
        w->setEnabled(enabled);
    m_speed->setEnabled(true);
    m_frames->setEnabled(enabled && !m_training); // frames are exported from a finished run
    m_play->setIcon(style()->standardIcon(isPlaying() ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    m_best->setText(m_training ? tr("Live") : tr("Best"));
    m_best->setToolTip(m_training ? tr("Each model as it trains, at the newest epoch the run has reached")
                                  : tr("Each model at its epoch of best validation accuracy, whose weights give its "
                                       "test accuracy: what the tab shows when a run ends"));
    if (!enabled) {
        m_label->setText(m_training ? tr("training …") : tr("after a run"));
        m_label->setToolTip(tr("A run's recorded epochs can be played back here, while it trains and afterwards."));
        return;
    }
    const int last = m_epochs.back();
    if (m_index >= 0)
        m_label->setText(m_training ? tr("epoch %1 · trained %2").arg(epoch()).arg(last)
                                    : tr("epoch %1 / %2").arg(epoch()).arg(last));
    else
        m_label->setText(m_training ? tr("live · epoch %1").arg(last) : tr("best epochs"));
    m_label->setToolTip(tr("%1 snapshots recorded, every %2 · %3 MB")
                            .arg(m_epochs.size())
                            .arg(m_stride == 1 ? tr("epoch") : tr("%1 epochs").arg(m_stride))
                            .arg(double(m_bytes) / (1 << 20), 0, 'f', 1));
}

void CirclesPlayback::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Space:
        stopFollowing();
        isPlaying() ? pause() : play();
        break;
    case Qt::Key_Left:
        step(-1);
        break;
    case Qt::Key_Right:
        step(1);
        break;
    case Qt::Key_Home:
        stopFollowing();
        pause();
        showIndex(0);
        break;
    case Qt::Key_End:
        stopFollowing();
        pause();
        if (!m_epochs.empty())
            showIndex(int(m_epochs.size()) - 1);
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

} // namespace initlab::ui

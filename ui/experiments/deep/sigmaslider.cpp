#include "sigmaslider.h"

#include "common/names.h"
#include "common/palette.h"

#include "initlab/meanfield.h"

#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QPainter>
#include <QStyle>
#include <QStyleOptionSlider>

#include <algorithm>
#include <cmath>

namespace initlab::ui {

MarkedSlider::MarkedSlider(QWidget* parent)
    : QSlider(Qt::Horizontal, parent)
{
}

void MarkedSlider::setMark(int value)
{
    m_mark = value;
    update();
}

int MarkedSlider::mark() const
{
    return m_mark;
}

void MarkedSlider::paintEvent(QPaintEvent* event)
{
    QSlider::paintEvent(event);
    if (m_mark < minimum() || m_mark > maximum())
        return;
    QStyleOptionSlider option;
    initStyleOption(&option);
    const QRect handle = style()->subControlRect(QStyle::CC_Slider, &option, QStyle::SC_SliderHandle, this);
    const int span = width() - handle.width();
    const int x = handle.width() / 2
        + QStyle::sliderPositionFromValue(minimum(), maximum(), m_mark, span, option.upsideDown);
    QPainter painter(this);
    painter.setPen(QPen(errorTextColor(palette()), 2));
    painter.drawLine(x, 1, x, height() - 2);
}

SigmaSlider::SigmaSlider(QWidget* parent)
    : QWidget(parent)
{
    m_slider = new MarkedSlider;
    m_slider->setObjectName(QStringLiteral("sigmaSlider"));
    m_slider->setRange(0, kSteps);
    m_slider->setPageStep(kSteps / 20);
    m_slider->setToolTip(
        tr("<p>σ of the Normal(σ) scheme, N(0, σ²), on a log scale from %1 to %2. Dragging re-runs a "
           "preview of the Normal row's cell of the chosen activation (500 vectors) and moves the mean-field "
           "curve at once.</p><p>The red tick is the critical σ: for tanh the signal vanishes below σ²·n = 1 "
           "and settles, saturating, at a non-zero level above it; for ReLU it vanishes below σ²·n = 2 and "
           "explodes above.</p>")
            .arg(kMinimum)
            .arg(kMaximum));
    m_activation = new QComboBox;
    m_activation->setObjectName(QStringLiteral("sigmaActivation"));
    m_activation->setToolTip(tr("The activation whose Normal(σ) cell the slider runs. A click on a matrix cell "
                                "chooses its activation."));
    for (const Activation activation : allActivations())
        m_activation->addItem(toQString(displayName(activation)), int(activation));
    m_critical = new QLabel;
    m_critical->setObjectName(QStringLiteral("criticalSigmaLabel"));
    m_critical->setWordWrap(true);
    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("σ")), 0, 0);
    layout->addWidget(m_slider, 0, 1);
    layout->addWidget(m_activation, 0, 2);
    layout->addWidget(m_critical, 1, 1, 1, 2);
    layout->setColumnStretch(1, 1);

    connect(m_slider, &QSlider::valueChanged, this, [this](int position) {
        if (!signalsBlocked())
            Q_EMIT sigmaDragged(sigmaAt(position));
    });
    connect(m_activation, &QComboBox::currentIndexChanged, this, [this] {
        updateMark();
        Q_EMIT activationChanged(activation());
    });
    setSigma(0.1);
    updateMark();
}

int SigmaSlider::positionOf(double sigma)
{
    const double clamped = std::clamp(sigma, kMinimum, kMaximum);
    const double t = std::log(clamped / kMinimum) / std::log(kMaximum / kMinimum);
    return int(std::lround(t * kSteps));
}

double SigmaSlider::sigmaAt(int position)
{
    const double t = double(std::clamp(position, 0, kSteps)) / kSteps;
    const double sigma = kMinimum * std::pow(kMaximum / kMinimum, t);
    // Four significant digits, as the σ field shows.
    const double scale = std::pow(10.0, 3 - int(std::floor(std::log10(sigma))));
    return std::round(sigma * scale) / scale;
}

double SigmaSlider::sigma() const
{
    return sigmaAt(m_slider->value());
}

void SigmaSlider::setSigma(double sigma)
{
    const QSignalBlocker block(this);
    m_slider->setValue(positionOf(sigma));
}

Activation SigmaSlider::activation() const
{
    return static_cast<Activation>(m_activation->currentData().toInt());
}

void SigmaSlider::setActivation(Activation activation)
{
    m_activation->setCurrentIndex(m_activation->findData(int(activation)));
}

void SigmaSlider::setWidth(int width)
{
    m_width = width;
    updateMark();
}

double SigmaSlider::criticalSigma() const
{
    return criticalWeightStd(activation(), m_width);
}

MarkedSlider* SigmaSlider::slider() const
{
    return m_slider;
}

QLabel* SigmaSlider::criticalLabel() const
{
    return m_critical;
}

void SigmaSlider::updateMark()
{
    const double critical = criticalSigma();
    const QString name = toQString(displayName(activation()));
    if (!std::isfinite(critical)) {
        m_slider->setMark(-1);
        m_critical->setText(tr("No critical σ is marked for %1: %2.")
                                .arg(name, activation() == Activation::Sigmoid
                                               ? tr("its mean is not zero, so the signal never vanishes")
                                               : tr("its fixed point is at σ²·n = 1 by design")));
        return;
    }
    m_slider->setMark(positionOf(critical));
    m_critical->setText(tr("Critical σ for %1 at width %2: %3 (σ²·n = %4), the red tick.")
                            .arg(name)
                            .arg(m_width)
                            .arg(critical, 0, 'g', 3)
                            .arg(criticalGain(activation()), 0, 'g', 4));
}

} // namespace initlab::ui

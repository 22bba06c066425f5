#pragma once
// The diverging colour map of the init x activation matrix and the colour bar that explains it.
// A cell's colour is log10 of the activation std at the last layer: near 0 the signal kept its
// size through the net, very negative it vanished, positive it exploded.

#include <QColor>
#include <QWidget>

namespace initlab::ui {

// Decades either side of 0 that the colour map spans; beyond them it saturates.
inline constexpr double kSignalDecades = 8.0;

// Colour for log10(std). -inf (an exact zero) gets the vanished end, NaN a neutral grey.
QColor signalColor(double log10Std);
// Black or white, whichever reads better on the background.
QColor textColorOn(const QColor& background);

class SignalColorBar : public QWidget
{
    Q_OBJECT

public:
    explicit SignalColorBar(QWidget* parent = nullptr);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
};

} // namespace initlab::ui

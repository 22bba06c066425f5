#pragma once
// SigmaSlider sets σ of the Normal(σ) scheme by dragging, on a logarithmic scale from 0.001 to 3,
// for one activation chosen beside it. A red tick marks the critical σ of that activation at the
// net's width (σ²·n = 1 for tanh, 2 for ReLU: meanfield.h's criticalWeightStd), and a line under
// the slider names it, so a student sees on which side of the edge of chaos the net is.

#include "initlab/initscheme.h"

#include <QSlider>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QComboBox;
class QLabel;
QT_END_NAMESPACE

namespace initlab::ui {

// A horizontal slider with a marked position.
class MarkedSlider : public QSlider
{
    Q_OBJECT

public:
    explicit MarkedSlider(QWidget* parent = nullptr);
    // The slider value to mark, or -1 for none.
    void setMark(int value);
    int mark() const;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    int m_mark = -1;
};

class SigmaSlider : public QWidget
{
    Q_OBJECT

public:
    static constexpr double kMinimum = 0.001;
    static constexpr double kMaximum = 3.0;
    static constexpr int kSteps = 1000;

    explicit SigmaSlider(QWidget* parent = nullptr);

    double sigma() const;
    // Moves the slider without sending sigmaDragged (the σ field changed).
    void setSigma(double sigma);
    Activation activation() const;
    void setActivation(Activation activation);
    void setWidth(int width);
    // The critical σ for the current activation and width, NaN where there is none.
    double criticalSigma() const;

    MarkedSlider* slider() const;
    QLabel* criticalLabel() const;

    // The slider position of a σ and back (logarithmic).
    static int positionOf(double sigma);
    static double sigmaAt(int position);

Q_SIGNALS:
    // The user moved the slider (dragging, keys, clicks on the groove).
    void sigmaDragged(double sigma);
    void activationChanged(initlab::Activation activation);

private:
    void updateMark();

    MarkedSlider* m_slider = nullptr;
    QComboBox* m_activation = nullptr;
    QLabel* m_critical = nullptr;
    int m_width = 512;
};

} // namespace initlab::ui

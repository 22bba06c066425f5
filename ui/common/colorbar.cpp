#include "colorbar.h"

#include <QLinearGradient>
#include <QPainter>

#include <algorithm>
#include <array>
#include <cmath>

namespace initlab::ui {
namespace {

// ColorBrewer RdYlBu, from blue (vanished) through pale yellow (kept) to red (exploding). The pale
// centre still differs from the white of a cell that has not been run.
constexpr std::array<QRgb, 11> kStops{0x313695, 0x4575b4, 0x74add1, 0xabd9e9, 0xe0f3f8, 0xffffbf,
                                      0xfee090, 0xfdae61, 0xf46d43, 0xd73027, 0xa50026};

QColor interpolate(double t) // t in [0, 1]
{
    const double position = std::clamp(t, 0.0, 1.0) * double(kStops.size() - 1);
    const int low = std::min(int(position), int(kStops.size()) - 2);
    const double f = position - low;
    const QColor a(kStops[low]);
    const QColor b(kStops[low + 1]);
    return QColor::fromRgbF(float(a.redF() + f * (b.redF() - a.redF())),
                            float(a.greenF() + f * (b.greenF() - a.greenF())),
                            float(a.blueF() + f * (b.blueF() - a.blueF())));
}

QString powerOfTen(int exponent)
{
    if (exponent == 0)
        return QStringLiteral("1");
    static const QString superscripts = QStringLiteral("⁰¹²³⁴⁵⁶⁷⁸⁹");
    QString digits;
    for (const QChar c : QString::number(std::abs(exponent)))
        digits += superscripts.at(c.digitValue());
    return QStringLiteral("10") + (exponent < 0 ? QStringLiteral("⁻") : QString()) + digits;
}

} // namespace

QColor signalColor(double log10Std)
{
    if (std::isnan(log10Std))
        return QColor(0x80, 0x80, 0x80);
    return interpolate((log10Std / kSignalDecades + 1.0) / 2.0);
}

QColor textColorOn(const QColor& background)
{
    const double luminance = 0.2126 * background.redF() + 0.7152 * background.greenF() + 0.0722 * background.blueF();
    return luminance < 0.5 ? QColor(Qt::white) : QColor(Qt::black);
}

SignalColorBar::SignalColorBar(QWidget* parent)
    : QWidget(parent)
{
    setToolTip(tr("Each cell that has run is coloured by log10 of the standard deviation of the last layer's "
                  "activations.\nNear 1 (pale yellow): the signal kept its size through every layer.\n"
                  "Blue: it shrank layer by layer (vanished); \"0\" means exactly zero.\n"
                  "Red: it grew layer by layer (exploded). Grey: NaN or infinity.\n"
                  "The colours saturate beyond %1 decades; the number in the cell is exact.")
                   .arg(kSignalDecades));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

QSize SignalColorBar::sizeHint() const
{
    const int line = fontMetrics().height();
    return {360, 3 * line + 24};
}

QSize SignalColorBar::minimumSizeHint() const
{
    return {200, sizeHint().height()};
}

void SignalColorBar::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing, false);
    const QFontMetrics metrics = fontMetrics();
    const int line = metrics.height();
    const int margin = metrics.horizontalAdvance(QStringLiteral("10⁻⁸")) / 2 + 2;
    const QRect bar(margin, line + 2, width() - 2 * margin, 14);

    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRect(0, 0, width(), line), Qt::AlignLeft | Qt::AlignVCenter,
                     tr("Cell colour: std of the last layer's activations"));

    QLinearGradient gradient(bar.topLeft(), bar.topRight());
    for (int i = 0; i <= 16; ++i) {
        const double t = i / 16.0;
        gradient.setColorAt(t, signalColor((2.0 * t - 1.0) * kSignalDecades));
    }
    painter.fillRect(bar, gradient);
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(bar.adjusted(0, 0, -1, -1));

    // Ticks every 4 decades, labelled as powers of ten.
    painter.setPen(palette().color(QPalette::WindowText));
    const int tickTop = bar.bottom() + 1;
    for (int exponent = -int(kSignalDecades); exponent <= int(kSignalDecades); exponent += 4) {
        const double t = (exponent / kSignalDecades + 1.0) / 2.0;
        const int x = bar.left() + int(std::lround(t * (bar.width() - 1)));
        painter.drawLine(x, tickTop, x, tickTop + 3);
        const QString text = powerOfTen(exponent);
        const int w = metrics.horizontalAdvance(text);
        painter.drawText(QRect(x - w / 2 - 1, tickTop + 3, w + 2, line), Qt::AlignCenter, text);
    }

    const QRect words(bar.left(), tickTop + 3 + line, bar.width(), line);
    painter.drawText(words, Qt::AlignLeft | Qt::AlignVCenter, tr("← vanished"));
    painter.drawText(words, Qt::AlignHCenter | Qt::AlignVCenter, tr("kept"));
    painter.drawText(words, Qt::AlignRight | Qt::AlignVCenter, tr("exploding →"));
}

} // namespace initlab::ui

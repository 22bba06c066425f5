#include "boundarypng.h"

#include "offscreenapplication.h"

#include <QBuffer>
#include <QByteArray>
#include <QColor>
#include <QFont>
#include <QFontMetricsF>
#include <QImage>
#include <QLineF>
#include <QLinearGradient>
#include <QPainter>
#include <QPen>
#include <QRectF>
#include <QString>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>

namespace initlab::cli {
namespace {

constexpr int kWidth = 780;
constexpr int kHeight = 660;
const QRectF kPlotArea(84, 84, 500, 500);

// A diverging map, light at the ends so that the points drawn on top stay visible: blue for
// class 0, near-white at the 0.5 boundary, red for class 1 (ColorBrewer RdBu).
struct Rgb {
    double r, g, b;
};
constexpr Rgb kClass0Shade{67, 147, 195};
constexpr Rgb kUndecided{247, 247, 247};
constexpr Rgb kClass1Shade{214, 96, 77};
const QColor kClass0Point(8, 48, 107);
const QColor kClass1Point(103, 0, 13);
const QColor kNotANumber(150, 150, 150);

QColor probabilityColour(double p)
{
    if (!std::isfinite(p))
        return kNotANumber;
    p = std::clamp(p, 0.0, 1.0);
    const Rgb& from = p < 0.5 ? kClass0Shade : kUndecided;
    const Rgb& to = p < 0.5 ? kUndecided : kClass1Shade;
    const double t = p < 0.5 ? p / 0.5 : (p - 0.5) / 0.5;
    const auto mix = [t](double a, double b) { return static_cast<int>(std::lround(a + (b - a) * t)); };
    return QColor(mix(from.r, to.r), mix(from.g, to.g), mix(from.b, to.b));
}

// A tick spacing of 1, 2, 2.5 or 5 times a power of ten giving about `ticks` ticks over `range`.
double niceStep(double range, int ticks)
{
    const double raw = range / ticks;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double multiple : {1.0, 2.0, 2.5, 5.0})
        if (raw <= multiple * magnitude)
            return multiple * magnitude;
    return 10.0 * magnitude;
}

QString tickText(double value, double step)
{
    value = std::round(value / step) * step;
    if (std::abs(value) < step * 1e-9)
        value = 0.0; // no "-0"
    return QString::number(value, 'g', 6);
}

// The `level` contour of values on a grid (row-major, row 0 at the bottom) by marching squares, in
// grid coordinates (column, row). A saddle cell is resolved by the mean of its corners.
std::vector<QLineF> contourSegments(const std::vector<float>& values, int n, double level)
{
    std::vector<QLineF> segments;
    const auto at = [&](int row, int col) { return static_cast<double>(values[std::size_t(row) * n + col]); };
    for (int row = 0; row + 1 < n; ++row) {
        for (int col = 0; col + 1 < n; ++col) {
            // Corners counter-clockwise from the bottom left; edge k runs from corner k to k + 1.
            const std::array<double, 4> v{at(row, col), at(row, col + 1), at(row + 1, col + 1), at(row + 1, col)};
            if (std::any_of(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }))
                continue;
            const std::array<QPointF, 4> corner{QPointF(col, row), QPointF(col + 1, row), QPointF(col + 1, row + 1),
                                                QPointF(col, row + 1)};
            int cell = 0;
            for (int k = 0; k < 4; ++k)
                cell |= (v[k] > level ? 1 : 0) << k;
            if (cell == 0 || cell == 15)
                continue;
            const auto edge = [&](int k) {
                const int next = (k + 1) % 4;
                const double t = (level - v[k]) / (v[next] - v[k]);
                return corner[k] + (corner[next] - corner[k]) * t;
            };
            const auto add = [&](int a, int b) { segments.emplace_back(edge(a), edge(b)); };
            const bool centreAbove = (v[0] + v[1] + v[2] + v[3]) / 4.0 > level;
            switch (cell) {
            case 1: case 14: add(3, 0); break;
            case 2: case 13: add(0, 1); break;
            case 3: case 12: add(3, 1); break;
            case 4: case 11: add(1, 2); break;
            case 6: case 9: add(0, 2); break;
            case 7: case 8: add(2, 3); break;
            case 5: // corners 0 and 2 above
                if (centreAbove) { add(0, 1); add(2, 3); } else { add(3, 0); add(1, 2); }
                break;
            case 10: // corners 1 and 3 above
                if (centreAbove) { add(3, 0); add(1, 2); } else { add(0, 1); add(2, 3); }
                break;
            default:
                break;
            }
        }
    }
    return segments;
}

QFont pixelFont(int pixels, bool bold = false)
{
    QFont font;
    font.setPixelSize(pixels);
    font.setBold(bold);
    return font;
}

void drawPoint(QPainter& painter, const QPointF& centre, const QColor& fill)
{
    painter.setPen(QPen(Qt::white, 1.3));
    painter.setBrush(fill);
    painter.drawEllipse(centre, 4.6, 4.6);
}

QImage renderPlot(const BoundaryPlot& plot)
{
    const BoundaryImage& b = plot.boundary;
    QImage canvas(kWidth, kHeight, QImage::Format_RGB32);
    canvas.fill(Qt::white);
    QPainter painter(&canvas);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    const QRectF area = kPlotArea;
    const QColor ink(40, 40, 40);

    // Heat map: grid row 0 is at yMin, the bottom of the plot; image row 0 is the top.
    const int n = b.resolution;
    QImage heat(n, n, QImage::Format_RGB32);
    for (int row = 0; row < n; ++row)
        for (int col = 0; col < n; ++col)
            heat.setPixelColor(col, n - 1 - row, probabilityColour(b.probability[std::size_t(row) * n + col]));
    painter.save();
    painter.setClipRect(area);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.drawImage(area, heat);

    // The grid values sit at cell centres: column c is at x = xMin + (c + 0.5) / n * width.
    const auto gridToPixel = [&](const QPointF& g) {
        return QPointF(area.left() + (g.x() + 0.5) / n * area.width(),
                       area.bottom() - (g.y() + 0.5) / n * area.height());
    };
    painter.setPen(QPen(QColor(20, 20, 20), 2.2, Qt::SolidLine, Qt::RoundCap));
    for (const QLineF& segment : contourSegments(b.probability, n, 0.5))
        painter.drawLine(QLineF(gridToPixel(segment.p1()), gridToPixel(segment.p2())));

    const auto dataToPixel = [&](double x, double y) {
        return QPointF(area.left() + (x - b.xMin) / (b.xMax - b.xMin) * area.width(),
                       area.bottom() - (y - b.yMin) / (b.yMax - b.yMin) * area.height());
    };
    for (int i = 0; i < plot.train.size(); ++i)
        drawPoint(painter, dataToPixel(plot.train.x[i], plot.train.y[i]),
                  plot.train.label[i] == 1 ? kClass1Point : kClass0Point);
    painter.restore();

    painter.setPen(QPen(ink, 1.0));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(area);

    // Ticks and their labels.
    painter.setFont(pixelFont(13));
    const QFontMetricsF metrics(painter.font());
    const double xStep = niceStep(b.xMax - b.xMin, 6);
    for (double x = std::ceil(b.xMin / xStep) * xStep; x <= b.xMax + xStep * 1e-9; x += xStep) {
        const double px = dataToPixel(x, b.yMin).x();
        painter.drawLine(QPointF(px, area.bottom()), QPointF(px, area.bottom() + 5));
        painter.drawText(QRectF(px - 40, area.bottom() + 7, 80, 18), Qt::AlignHCenter | Qt::AlignTop,
                         tickText(x, xStep));
    }
    const double yStep = niceStep(b.yMax - b.yMin, 6);
    for (double y = std::ceil(b.yMin / yStep) * yStep; y <= b.yMax + yStep * 1e-9; y += yStep) {
        const double py = dataToPixel(b.xMin, y).y();
        painter.drawLine(QPointF(area.left() - 5, py), QPointF(area.left(), py));
        painter.drawText(QRectF(area.left() - 57, py - 9, 48, 18), Qt::AlignRight | Qt::AlignVCenter,
                         tickText(y, yStep));
    }

    // Axis labels: the net sees normalized inputs, the figure shows the points where they lie.
    painter.setFont(pixelFont(14));
    painter.drawText(QRectF(area.left(), area.bottom() + 30, area.width(), 22), Qt::AlignCenter,
                     QStringLiteral("x (input space)"));
    painter.save();
    painter.translate(area.left() - 62, area.center().y());
    painter.rotate(-90);
    painter.drawText(QRectF(-area.height() / 2, -11, area.height(), 22), Qt::AlignCenter,
                     QStringLiteral("y (input space)"));
    painter.restore();

    // Title and subtitle.
    painter.setFont(pixelFont(18, true));
    painter.drawText(QRectF(0, 16, kWidth, 26), Qt::AlignHCenter | Qt::AlignVCenter,
                     QString::fromStdString(plot.title));
    painter.setFont(pixelFont(13));
    painter.drawText(QRectF(0, 46, kWidth, 22), Qt::AlignHCenter | Qt::AlignVCenter,
                     QString::fromStdString(plot.subtitle));

    // Colour bar, P = 1 at the top.
    const QRectF bar(area.right() + 44, area.top() + 34, 22, 250);
    painter.setFont(pixelFont(14));
    painter.drawText(QRectF(bar.left() - 30, area.top() + 4, 120, 22), Qt::AlignLeft | Qt::AlignVCenter,
                     QStringLiteral("P(class 1)"));
    QLinearGradient gradient(bar.bottomLeft(), bar.topLeft());
    for (const double stop : {0.0, 0.25, 0.5, 0.75, 1.0})
        gradient.setColorAt(stop, probabilityColour(stop));
    painter.setPen(QPen(ink, 1.0));
    painter.setBrush(gradient);
    painter.drawRect(bar);
    painter.setBrush(Qt::NoBrush);
    painter.setFont(pixelFont(13));
    for (const double tick : {0.0, 0.25, 0.5, 0.75, 1.0}) {
        const double py = bar.bottom() - tick * bar.height();
        painter.drawLine(QPointF(bar.right(), py), QPointF(bar.right() + 5, py));
        painter.drawText(QRectF(bar.right() + 8, py - 9, 60, 18), Qt::AlignLeft | Qt::AlignVCenter,
                         QString::number(tick));
    }
    painter.setPen(QPen(QColor(20, 20, 20), 2.2));
    const double half = bar.bottom() - 0.5 * bar.height();
    painter.drawLine(QPointF(bar.left(), half), QPointF(bar.right(), half));

    // Legend.
    double y = bar.bottom() + 40;
    const double x = bar.left() - 14;
    painter.setFont(pixelFont(13));
    const auto legendText = [&](double at, const QString& text) {
        painter.setPen(ink);
        painter.drawText(QRectF(x + 16, at - 9, 160, 18), Qt::AlignLeft | Qt::AlignVCenter, text);
    };
    painter.setPen(ink);
    painter.drawText(QRectF(x - 3, y - 9, 180, 18), Qt::AlignLeft | Qt::AlignVCenter,
                     QStringLiteral("training points:"));
    y += 24;
    drawPoint(painter, QPointF(x + 5, y), kClass0Point);
    legendText(y, QStringLiteral("class 0 (inner ring)"));
    y += 24;
    drawPoint(painter, QPointF(x + 5, y), kClass1Point);
    legendText(y, QStringLiteral("class 1 (outer ring)"));
    y += 30;
    painter.setPen(QPen(QColor(20, 20, 20), 2.2));
    painter.drawLine(QPointF(x - 3, y), QPointF(x + 12, y));
    legendText(y, QStringLiteral("P = 0.5 boundary"));

    painter.end();
    return canvas;
}

} // namespace

bool renderBoundaryPngs(const std::vector<BoundaryPlot>& plots, std::vector<std::string>& pngs, std::string& error)
{
    pngs.clear();
    for (const BoundaryPlot& plot : plots) {
        const BoundaryImage& b = plot.boundary;
        if (b.resolution < 2 || b.probability.size() != std::size_t(b.resolution) * b.resolution ||
            !(b.xMax > b.xMin) || !(b.yMax > b.yMin)) {
            error = "no decision boundary to draw for '" + plot.title + "'";
            return false;
        }
    }
    const OffscreenApplication application(OffscreenApplication::Kind::Gui);
    for (const BoundaryPlot& plot : plots) {
        QByteArray bytes;
        QBuffer buffer(&bytes);
        if (!buffer.open(QIODevice::WriteOnly) || !renderPlot(plot).save(&buffer, "PNG")) {
            error = "cannot encode the PNG of '" + plot.title + "' (Qt's PNG writer failed)";
            return false;
        }
        pngs.emplace_back(bytes.constData(), static_cast<std::size_t>(bytes.size()));
    }
    return true;
}

} // namespace initlab::cli

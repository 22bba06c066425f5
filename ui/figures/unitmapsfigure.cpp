#include "unitmapsfigure.h"

#include <QFontMetricsF>
#include <QImage>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace initlab::ui {
namespace {

constexpr double kMapGap = 0.18;   // between maps, as a share of a map's side
constexpr double kLabelLines = 2.3; // text above each map: two lines
constexpr double kScaleWidth = 0.9; // the colour scale's column, in map sides

const QColor kClass0(0x92, 0xc5, 0xde);
const QColor kUndecided(0xf7, 0xf7, 0xf7);
const QColor kClass1(0xf4, 0xa5, 0x82);
const QColor kPositive(0x4a, 0x1d, 0x7a);
const QColor kNegative(0x0b, 0x6e, 0x4f);

QColor mix(const QColor& a, const QColor& b, double t)
{
    t = std::clamp(t, 0.0, 1.0);
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t), float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

// White at zero, towards kPositive at the highest output and kNegative at the lowest (a scale
// symmetric about zero when there are negative outputs).
QColor unitColor(float value, float low, float high)
{
    if (!std::isfinite(value))
        return QColor(0xbd, 0xbd, 0xbd);
    const double reach = std::max({double(high), -double(low), 1e-12});
    return value >= 0 ? mix(Qt::white, kPositive, value / reach) : mix(Qt::white, kNegative, -value / reach);
}

QColor probabilityColor(float p)
{
    if (!std::isfinite(p))
        return QColor(0xbd, 0xbd, 0xbd);
    return p < 0.5f ? mix(kClass0, kUndecided, p / 0.5) : mix(kUndecided, kClass1, (p - 0.5) / 0.5);
}

// A map's image, row 0 (y lowest) at the bottom.
template <typename Colour>
QImage mapImage(const std::vector<float>& values, int resolution, Colour colour)
{
    QImage image(resolution, resolution, QImage::Format_RGB32);
    for (int row = 0; row < resolution; ++row)
        for (int col = 0; col < resolution; ++col) {
            const std::size_t at = std::size_t(row) * resolution + col;
            image.setPixelColor(col, resolution - 1 - row, at < values.size() ? colour(values[at]) : QColor(Qt::gray));
        }
    return image;
}

std::pair<float, float> rangeOf(const UnitMaps& maps)
{
    float low = 0.0f, high = 0.0f;
    for (const std::vector<float>& unit : maps.units)
        for (float v : unit)
            if (std::isfinite(v)) {
                low = std::min(low, v);
                high = std::max(high, v);
            }
    return {low, high};
}

int columnsOf(const UnitMaps& maps)
{
    int columns = 1; // the output's row
    for (int units : maps.hidden)
        columns = std::max(columns, units);
    return columns;
}

// The whole figure into target: title, a row of maps per hidden layer, the output, the scale.
void drawUnitMaps(QPainter& painter, const QRectF& target, const UnitMapsData& data, const QFont& baseFont)
{
    const UnitMaps& maps = data.maps;
    QFont font = chartexport::printFont(baseFont);
    QFont bold = font;
    bold.setBold(true);
    const QFontMetricsF metrics(font);
    const double line = metrics.lineSpacing();
    painter.save();
    painter.setPen(chartexport::printPalette().color(QPalette::Text));
    painter.setFont(bold);
    double top = target.top();
    painter.drawText(QRectF(target.left(), top, target.width(), line * 1.5), Qt::AlignCenter, data.title);
    top += line * 1.5;
    painter.setFont(font);
    if (!data.subtitle.isEmpty()) {
        painter.drawText(QRectF(target.left(), top, target.width(), line * 1.3), Qt::AlignCenter, data.subtitle);
        top += line * 1.4;
    }
    if (maps.resolution < 1 || maps.hidden.empty()) {
        painter.restore();
        return;
    }
    const int columns = columnsOf(maps);
    const int rows = int(maps.hidden.size()) + 1;
    const double margin = line * 0.5;
    const double labelWidth = margin + metrics.horizontalAdvance(QStringLiteral("output  ")) + 4;
    // Side of a map: the width and the height left, shared out (each row is its labels, then maps).
    const double side = std::min((target.width() - labelWidth) / (columns * (1 + kMapGap) + kScaleWidth + kMapGap),
                                 ((target.bottom() - top) / rows - kLabelLines * line) / (1 + kMapGap));
    if (side <= 2) {
        painter.restore();
        return;
    }
    const auto [low, high] = rangeOf(maps);
    painter.setRenderHint(QPainter::SmoothPixmapTransform, true);
    std::size_t unit = 0;
    double y = top;
    for (int row = 0; row < rows; ++row) {
        const bool output = row == rows - 1;
        const int count = output ? 1 : maps.hidden[std::size_t(row)];
        y += kLabelLines * line;
        painter.setPen(chartexport::printPalette().color(QPalette::Text));
        painter.drawText(QRectF(target.left() + margin, y, labelWidth - margin, side), Qt::AlignLeft | Qt::AlignVCenter,
                         output ? QObject::tr("output") : QObject::tr("layer %1").arg(row + 1));
        for (int k = 0; k < count; ++k) {
            const QRectF cell(target.left() + labelWidth + k * side * (1 + kMapGap), y, side, side);
            QString label;
            if (output) {
                painter.drawImage(cell, mapImage(maps.probability, maps.resolution, probabilityColor));
                label = QObject::tr("P(class 1)");
            } else {
                painter.drawImage(cell, mapImage(maps.units[unit], maps.resolution,
                                                 [low = low, high = high](float v) { return unitColor(v, low, high); }));
                label = QObject::tr("unit %1").arg(k + 1);
                const bool dead = unit < maps.dead.size() && maps.dead[unit];
                if (dead) {
                    painter.fillRect(cell, QColor(120, 120, 120, 110));
                    const int died = unit < data.diedAt.size() ? data.diedAt[unit] : -1;
                    label = died >= 0 ? QObject::tr("dead since\nepoch %1").arg(died) : QObject::tr("dead");
                }
                painter.setPen(dead ? QColor(0xc6, 0x28, 0x28) : chartexport::printPalette().color(QPalette::Text));
                ++unit;
            }
            painter.drawText(QRectF(cell.left() - side * kMapGap / 2, cell.top() - kLabelLines * line,
                                    side * (1 + kMapGap), kLabelLines * line),
                             Qt::AlignHCenter | Qt::AlignBottom, label);
            painter.setPen(QColor(90, 90, 90));
            painter.setBrush(Qt::NoBrush);
            painter.drawRect(cell);
            painter.setPen(chartexport::printPalette().color(QPalette::Text));
        }
        y += side * (1 + kMapGap);
    }
    // The hidden units' scale, beside the first row.
    const double scaleLeft = target.left() + labelWidth + columns * side * (1 + kMapGap);
    const QRectF bar(scaleLeft, top + kLabelLines * line, side * 0.22, side * 1.6);
    QImage gradient(1, 64, QImage::Format_RGB32);
    for (int i = 0; i < 64; ++i)
        gradient.setPixelColor(0, 63 - i, unitColor(low + (high - low) * float(i) / 63.0f, low, high));
    painter.drawImage(bar, gradient);
    painter.setPen(QColor(90, 90, 90));
    painter.drawRect(bar);
    painter.setPen(chartexport::printPalette().color(QPalette::Text));
    const double textLeft = bar.right() + 3;
    painter.drawText(QRectF(textLeft, bar.top() - line / 2, target.right() - textLeft, line), Qt::AlignLeft | Qt::AlignVCenter,
                     QString::number(double(high), 'g', 3));
    painter.drawText(QRectF(textLeft, bar.bottom() - line / 2, target.right() - textLeft, line),
                     Qt::AlignLeft | Qt::AlignVCenter, QString::number(double(low), 'g', 3));
    painter.restore();
}

class UnitMapsDrawing : public FigureDrawing
{
public:
    UnitMapsDrawing(UnitMapsData data, QFont font)
        : m_data(std::move(data))
        , m_font(std::move(font))
    {
    }
    void draw(QPainter& painter, const QRectF& target) const override { drawUnitMaps(painter, target, m_data, m_font); }

private:
    UnitMapsData m_data;
    QFont m_font;
};

} // namespace

UnitMapsFigure::UnitMapsFigure(QWidget* parent)
    : QWidget(parent)
{
    chartexport::installContextMenu(this, this, [this] { return chartexport::exportName(this, figureTitle()); });
}

void UnitMapsFigure::setData(const UnitMapsData& data)
{
    m_data = data;
    update();
}

std::pair<float, float> UnitMapsFigure::unitRange() const
{
    return rangeOf(m_data.maps);
}

QString UnitMapsFigure::figureTitle() const
{
    return m_data.title.isEmpty() ? tr("Hidden units") : m_data.title;
}

double UnitMapsFigure::figureAspect() const
{
    const int rows = int(m_data.maps.hidden.size()) + 1;
    const int columns = columnsOf(m_data.maps);
    return std::clamp((rows * 1.55 + 0.6) / (columns * 1.18 + 1.6), 0.3, 1.4);
}

void UnitMapsFigure::renderFigure(QPainter& painter, const QRectF& target)
{
    drawUnitMaps(painter, target, m_data, font());
}

std::shared_ptr<const FigureDrawing> UnitMapsFigure::takeDrawing(const QSizeF& logical)
{
    Q_UNUSED(logical);
    return std::make_shared<UnitMapsDrawing>(m_data, font());
}

QList<CsvTable> UnitMapsFigure::figureTables() const
{
    const UnitMaps& maps = m_data.maps;
    CsvTable table;
    table.header = {QStringLiteral("layer"), QStringLiteral("unit"), QStringLiteral("x"), QStringLiteral("y"),
                    QStringLiteral("value")};
    const int n = maps.resolution;
    const auto addMap = [&](const QString& layer, int unit, const std::vector<float>& values) {
        for (int row = 0; row < n; ++row)
            for (int col = 0; col < n; ++col) {
                const double x = maps.xMin + (maps.xMax - maps.xMin) * (col + 0.5) / n;
                const double y = maps.yMin + (maps.yMax - maps.yMin) * (row + 0.5) / n;
                const std::size_t at = std::size_t(row) * n + col;
                table.rows.append({layer, QString::number(unit), QString::number(x, 'g', 9), QString::number(y, 'g', 9),
                                   at < values.size() ? QString::number(double(values[at]), 'g', 9) : QString()});
            }
    };
    std::size_t unit = 0;
    for (std::size_t l = 0; l < maps.hidden.size(); ++l)
        for (int k = 0; k < maps.hidden[l]; ++k, ++unit)
            if (unit < maps.units.size())
                addMap(QString::number(l + 1), k + 1, maps.units[unit]);
    addMap(QStringLiteral("output"), 1, maps.probability);
    return {table};
}

QSize UnitMapsFigure::sizeHint() const
{
    return QSize(420, int(420 * figureAspect()));
}

void UnitMapsFigure::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect(), chartexport::printPalette().color(QPalette::Window));
    drawUnitMaps(painter, QRectF(rect()), m_data, font());
}

} // namespace initlab::ui

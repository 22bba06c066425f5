#include "unitmapsfigure.h"

#include <QFontMetricsF>
#include <QHelpEvent>
#include <QToolTip>
#include <QImage>
#include <QPainter>

#include <algorithm>
#include <numeric>
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

std::pair<float, float> rangeOf(const UnitMaps& maps);

// Colours by table: a map is redrawn at every playback frame, and a colour computed per cell
// costs more than drawing it. 1024 steps are finer than the eye (or an 8-bit channel) tells apart.
constexpr int kSteps = 1024;

} // namespace

struct UnitMapImages {
    std::vector<QImage> units;
    QImage probability;
};

namespace {

QImage tableImage(const std::vector<float>& values, int resolution, const std::vector<QRgb>& table, double low,
                  double high)
{
    QImage image(resolution, resolution, QImage::Format_RGB32);
    const QRgb missing = QColor(0xbd, 0xbd, 0xbd).rgb();
    const double scale = high > low ? (kSteps - 1) / (high - low) : 0.0;
    for (int row = 0; row < resolution; ++row) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(resolution - 1 - row)); // row 0 (y lowest) at the bottom
        for (int col = 0; col < resolution; ++col) {
            const std::size_t at = std::size_t(row) * resolution + col;
            if (at >= values.size()) {
                line[col] = QColor(Qt::gray).rgb();
                continue;
            }
            const float v = values[at];
            line[col] = std::isfinite(v) ? table[std::size_t(std::clamp(std::lround((v - low) * scale), 0L, long(kSteps - 1)))]
                                          : missing;
        }
    }
    return image;
}

std::shared_ptr<const UnitMapImages> imagesOf(const UnitMaps& maps)
{
    auto images = std::make_shared<UnitMapImages>();
    if (maps.resolution < 1)
        return images;
    const auto [low, high] = rangeOf(maps);
    // The units' scale is symmetric about zero when there are negative outputs (white at zero).
    const double reach = std::max({double(high), -double(low), 1e-12});
    const double tableLow = low < 0 ? -reach : 0.0;
    std::vector<QRgb> unitTable(kSteps), probabilityTable(kSteps);
    for (int i = 0; i < kSteps; ++i) {
        const double t = double(i) / (kSteps - 1);
        unitTable[std::size_t(i)] = unitColor(float(tableLow + t * (reach - tableLow)), low, high).rgb();
        probabilityTable[std::size_t(i)] = probabilityColor(float(t)).rgb();
    }
    for (const std::vector<float>& unit : maps.units)
        images->units.push_back(tableImage(unit, maps.resolution, unitTable, tableLow, reach));
    images->probability = tableImage(maps.probability, maps.resolution, probabilityTable, 0.0, 1.0);
    return images;
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

// Where the figure's parts go in target, below the title lines: either a row per hidden layer and
// one for the output, each its name and then its maps, or (in a wide, low target, where the maps
// come out larger so) all maps in one strip, each layer's under its name.
struct MapsLayout {
    double top = 0.0;          // below the title and the subtitle
    double line = 0.0;         // the font's line spacing
    double side = 0.0;         // of a map; not drawable at 2 pixels or less
    std::vector<QRectF> cells; // per hidden unit, layer by layer, then the output
    std::vector<std::pair<QRectF, QString>> groups; // the layers' names and where they go
    Qt::Alignment groupAlignment = Qt::AlignLeft | Qt::AlignVCenter;
    QRectF scale;              // the hidden units' colour bar
};

MapsLayout layoutOf(const QRectF& target, const UnitMapsData& data, const QFont& baseFont)
{
    const UnitMaps& maps = data.maps;
    const QFontMetricsF metrics(chartexport::printFont(baseFont));
    MapsLayout layout;
    layout.line = metrics.lineSpacing();
    layout.top = target.top() + layout.line * 1.5;
    if (!data.subtitle.isEmpty())
        layout.top += layout.line * 1.4;
    if (maps.resolution < 1 || maps.hidden.empty())
        return layout;
    const double line = layout.line;
    std::vector<int> counts = maps.hidden;
    counts.push_back(1); // the output
    const int groups = int(counts.size());
    const int units = std::accumulate(counts.begin(), counts.end(), 0);
    const auto groupName = [&](int g) {
        return g == groups - 1 ? QObject::tr("output") : QObject::tr("layer %1").arg(g + 1);
    };

    // Rows: the names in a column at the left.
    const double margin = line * 0.5;
    const double labelWidth = margin + metrics.horizontalAdvance(QStringLiteral("output  ")) + 4;
    const int columns = columnsOf(maps);
    const double rowSide = std::min((target.width() - labelWidth) / (columns * (1 + kMapGap) + kScaleWidth + kMapGap),
                                    ((target.bottom() - layout.top) / groups - kLabelLines * line) / (1 + kMapGap));
    // Strip: a line of names, the maps' labels, the maps; a wider gap between layers.
    constexpr double kGroupGap = 0.5;
    constexpr double kStripScaleWidth = 1.2; // beside the maps' last row, not over two rows
    const double stripSide
        = std::min((target.width() - 2 * margin) / (units * (1 + kMapGap) + (groups - 1) * kGroupGap + kStripScaleWidth),
                   (target.bottom() - layout.top - (1 + kLabelLines) * line) / (1 + kMapGap));
    if (stripSide > rowSide) {
        layout.side = stripSide;
        const double y = layout.top + (1 + kLabelLines) * line;
        double x = target.left() + margin;
        for (int g = 0; g < groups; ++g) {
            const double width = counts[std::size_t(g)] * stripSide * (1 + kMapGap);
            layout.groups.emplace_back(QRectF(x, layout.top, width, line), groupName(g));
            for (int k = 0; k < counts[std::size_t(g)]; ++k)
                layout.cells.emplace_back(x + k * stripSide * (1 + kMapGap), y, stripSide, stripSide);
            x += width + kGroupGap * stripSide;
        }
        layout.groupAlignment = Qt::AlignLeft | Qt::AlignBottom;
        layout.scale = QRectF(x, y, stripSide * 0.22, stripSide);
        return layout;
    }
    layout.side = rowSide;
    double y = layout.top;
    for (int g = 0; g < groups; ++g) {
        y += kLabelLines * line;
        layout.groups.emplace_back(QRectF(target.left() + margin, y, labelWidth - margin, rowSide), groupName(g));
        for (int k = 0; k < counts[std::size_t(g)]; ++k)
            layout.cells.emplace_back(target.left() + labelWidth + k * rowSide * (1 + kMapGap), y, rowSide, rowSide);
        y += rowSide * (1 + kMapGap);
    }
    layout.scale = QRectF(target.left() + labelWidth + columns * rowSide * (1 + kMapGap),
                          layout.top + kLabelLines * line, rowSide * 0.22, rowSide * 1.6);
    return layout;
}

// The whole figure into target: title, the maps of the hidden units and the output, the scale.
void drawUnitMaps(QPainter& painter, const QRectF& target, const UnitMapsData& data, const UnitMapImages& images,
                  const QFont& baseFont)
{
    const UnitMaps& maps = data.maps;
    QFont font = chartexport::printFont(baseFont);
    QFont bold = font;
    bold.setBold(true);
    const MapsLayout layout = layoutOf(target, data, baseFont);
    const double line = layout.line;
    const QColor text = chartexport::printPalette().color(QPalette::Text);
    painter.save();
    painter.setPen(text);
    painter.setFont(bold);
    painter.drawText(QRectF(target.left(), target.top(), target.width(), line * 1.5), Qt::AlignCenter, data.title);
    painter.setFont(font);
    if (!data.subtitle.isEmpty())
        painter.drawText(QRectF(target.left(), target.top() + line * 1.5, target.width(), line * 1.3), Qt::AlignCenter,
                         data.subtitle);
    const double side = layout.side;
    if (layout.cells.empty() || side <= 2) {
        painter.restore();
        return;
    }
    const auto [low, high] = rangeOf(maps);
    painter.setRenderHint(QPainter::SmoothPixmapTransform, true);
    for (const auto& [where, name] : layout.groups)
        painter.drawText(where, layout.groupAlignment, name);
    for (std::size_t i = 0; i < layout.cells.size(); ++i) {
        const QRectF cell = layout.cells[i];
        const bool output = i + 1 == layout.cells.size();
        QString label;
        bool dead = false;
        if (output) {
            painter.drawImage(cell, images.probability);
            label = QObject::tr("P(class 1)");
        } else {
            if (i < images.units.size())
                painter.drawImage(cell, images.units[i]);
            // The unit's number within its layer.
            std::size_t first = 0, layer = 0;
            while (layer < maps.hidden.size() && i >= first + std::size_t(maps.hidden[layer]))
                first += std::size_t(maps.hidden[layer++]);
            label = QObject::tr("unit %1").arg(i - first + 1);
            dead = i < maps.dead.size() && maps.dead[i];
            if (dead) {
                painter.fillRect(cell, QColor(120, 120, 120, 110));
                const int died = i < data.diedAt.size() ? data.diedAt[i] : -1;
                label = died >= 0 ? QObject::tr("dead since\n%1").arg(died) : QObject::tr("dead");
            }
        }
        painter.setPen(dead ? QColor(0xc6, 0x28, 0x28) : text);
        // Labels may reach into the gaps beside the map; the output's has room to its right.
        const double labelWidth = side * (output ? 2.0 : 1 + kMapGap);
        painter.drawText(QRectF(cell.center().x() - labelWidth / 2, cell.top() - kLabelLines * line, labelWidth,
                                kLabelLines * line),
                         Qt::AlignHCenter | Qt::AlignBottom | Qt::TextDontClip, label);
        painter.setPen(QColor(90, 90, 90));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(cell);
    }
    // The hidden units' scale.
    const QRectF bar = layout.scale;
    QImage gradient(1, 64, QImage::Format_RGB32);
    for (int i = 0; i < 64; ++i)
        gradient.setPixelColor(0, 63 - i, unitColor(low + (high - low) * float(i) / 63.0f, low, high));
    painter.drawImage(bar, gradient);
    painter.setPen(QColor(90, 90, 90));
    painter.drawRect(bar);
    painter.setPen(text);
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
    UnitMapsDrawing(UnitMapsData data, std::shared_ptr<const UnitMapImages> images, QFont font)
        : m_data(std::move(data))
        , m_images(std::move(images))
        , m_font(std::move(font))
    {
    }
    void draw(QPainter& painter, const QRectF& target) const override
    {
        drawUnitMaps(painter, target, m_data, *m_images, m_font);
    }

private:
    UnitMapsData m_data;
    std::shared_ptr<const UnitMapImages> m_images; // QImage is safe to share read-only across threads
    QFont m_font;
};

} // namespace

UnitMapsFigure::UnitMapsFigure(QWidget* parent)
    : QWidget(parent)
    , m_images(imagesOf(m_data.maps))
{
    chartexport::installContextMenu(this, this, [this] { return chartexport::exportName(this, figureTitle()); });
}

void UnitMapsFigure::setData(const UnitMapsData& data)
{
    m_data = data;
    m_images = imagesOf(m_data.maps);
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
    drawUnitMaps(painter, target, m_data, *m_images, font());
}

std::shared_ptr<const FigureDrawing> UnitMapsFigure::takeDrawing(const QSizeF& logical)
{
    Q_UNUSED(logical);
    return std::make_shared<UnitMapsDrawing>(m_data, m_images, font());
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

int UnitMapsFigure::unitAt(const QPointF& position) const
{
    const MapsLayout layout = layoutOf(QRectF(rect()), m_data, font());
    if (layout.side <= 2)
        return -1;
    for (std::size_t i = 0; i < layout.cells.size(); ++i)
        if (layout.cells[i].contains(position))
            return int(i);
    return -1;
}

QString UnitMapsFigure::unitText(int unit) const
{
    const UnitMaps& maps = m_data.maps;
    if (unit < 0)
        return {};
    if (std::size_t(unit) >= maps.units.size())
        return std::size_t(unit) == maps.units.size()
            ? tr("Output: P(class 1), the decision boundary's colours (blue class 0, red class 1)")
            : QString();
    // Its layer and its place in it.
    int layer = 0, first = 0;
    while (layer < int(maps.hidden.size()) && unit >= first + maps.hidden[std::size_t(layer)])
        first += maps.hidden[std::size_t(layer++)];
    QString text = tr("Layer %1, unit %2 at epoch %3").arg(layer + 1).arg(unit - first + 1).arg(maps.epoch);
    if (std::size_t(unit) < maps.incoming.size() && !maps.incoming[std::size_t(unit)].empty()) {
        const std::vector<float>& incoming = maps.incoming[std::size_t(unit)];
        QStringList weights;
        for (std::size_t k = 0; k + 1 < incoming.size(); ++k)
            weights << QString::number(double(incoming[k]), 'g', 3);
        text += tr("\nincoming weights (%1): %2\nbias: %3")
                    .arg(layer == 0 ? tr("from x, y after normalization") : tr("from layer %1's units").arg(layer))
                    .arg(weights.join(QStringLiteral(", ")))
                    .arg(double(incoming.back()), 0, 'g', 3);
    }
    if (std::size_t(unit) < maps.dead.size() && maps.dead[std::size_t(unit)]) {
        const int died = std::size_t(unit) < m_data.diedAt.size() ? m_data.diedAt[std::size_t(unit)] : -1;
        text += died >= 0 ? tr("\ndead (zero on every training point) since epoch %1").arg(died)
                          : tr("\ndead (zero on every training point)");
    }
    return text;
}

bool UnitMapsFigure::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = unitText(unitAt(help->pos()));
        if (text.isEmpty())
            QToolTip::showText(help->globalPos(), toolTip(), this);
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

void UnitMapsFigure::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect(), chartexport::printPalette().color(QPalette::Window));
    drawUnitMaps(painter, QRectF(rect()), m_data, *m_images, font());
}

} // namespace initlab::ui
